"""The audit table in four forms: console, JSON, HTML (one self-contained page), XLSX (one sheet per table)."""
from __future__ import annotations

import io
import json
import shutil

from ..taxonomy import label
from ..i18n import C_, N_, labels, tr
from .diff import STATUS_TEXT, Diff

FORMATS = ("console", "json", "html", "xlsx")
T = {"title": N_("Declared vs found"), "sdks": N_("SDKs"), "cats": N_("Data categories per SDK"),
     "perms": N_("Permissions"), "doms": N_("Domains"), "sdk": N_("SDK"), "status": N_("Status"),
     "where": N_("Seen in"), "cat": C_("data", "Category"), "perm": N_("Permission"), "seen": N_("Seen as"),
     "dom": N_("Domain"), "by": N_("Contacted by"), "decl": N_("Declared for"), "inc": N_("Evidence incomplete"),
     "summary": N_("Summary"), "pk": N_("Packages"), "generic": N_("declared only generically as {category}"),
     "generic_row": N_("a generic row: covers {category}.*")}
WHERE = {"static": N_("static"), "runtime": N_("runtime"), "network": N_("network"),
         "declared_in_apk": N_("declared_in_apk"), "used_by_api": N_("used_by_api"), "requested": N_("requested")}


def _w(items, lang):
    return ", ".join(tr(WHERE.get(i, i), lang) if i in WHERE else i for i in items)


def tables(d: Diff, lang: str) -> list[tuple[str, list[str], list[list[str]], list[str]]]:
    """(title, header, rows, statuses): the same four tables for every format."""
    t, st = labels(T, lang), labels(STATUS_TEXT, lang)
    out = []
    out.append((t["sdks"], [t["sdk"], t["status"], t["where"], t["pk"]],
                [[f"{c.sdk}" + (f" ({c.name})" if c.name and c.name != c.sdk else ""), st[c.status], _w(c.where, lang),
                  ", ".join(c.packages[:5])] for c in d.sdks], [c.status for c in d.sdks]))
    out.append((t["cats"], [t["sdk"], t["cat"], t["status"], t["where"]],
                [[c.sdk, f"{c.category} ({label(c.category, lang)})", _cat_status(c, t, st), _w(c.where, lang)]
                 for c in d.categories], [_cat_class(c) for c in d.categories]))
    out.append((t["perms"], [t["perm"], t["status"], t["seen"]],
                [[c.permission, st[c.status], _w(c.seen_as, lang)] for c in d.permissions],
                [c.status for c in d.permissions]))
    out.append((t["doms"], [t["dom"], t["status"], t["by"], t["decl"]],
                [[c.domain, st[c.status], ", ".join(c.actors), c.declared_for] for c in d.domains],
                [c.status for c in d.domains]))
    return out


def _cat_status(c, t, st) -> str:
    """A category matched only through a generic declaration ("device_id") says so: the policy was vague."""
    if not c.declared_as:
        return st[c.status]
    what = t["generic_row"] if c.declared_as == c.category else t["generic"]
    return f"{st[c.status]} ({what.format(category=c.declared_as)})"


def _cat_class(c) -> str:
    return f"{c.status} generic" if c.declared_as else c.status


def render(d: Diff, fmt: str, lang: str = "en") -> str | bytes:
    if fmt == "json":
        return json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return _html(d, lang)
    if fmt == "xlsx":
        return _xlsx(d, lang)
    return _console(d, lang)


def _summary(d: Diff, lang: str) -> str:
    s = d.to_dict()["summary"]
    st = labels(STATUS_TEXT, lang)
    return ", ".join(f"{st[k]}: {v}" for k, v in s.items())


def _console(d: Diff, lang: str) -> str:
    from rich.console import Console
    from rich.table import Table
    buf = io.StringIO()
    con = Console(file=buf, width=max(80, shutil.get_terminal_size((110, 24)).columns), force_terminal=False,
                  color_system=None, soft_wrap=False)
    t = labels(T, lang)
    con.print(f"{t['title']}: {d.manifest}  <->  {d.evidence}")
    for title, header, rows, _ in tables(d, lang):
        tb = Table(title=title, expand=False)
        for h in header:
            tb.add_column(h, overflow="fold")
        for r in rows:
            tb.add_row(*r)
        con.print(tb)
    con.print(f"{t['summary']}: {_summary(d, lang)}")
    for r in d.incomplete:
        con.print(f"{t['inc']}: {tr(r, lang)}")
    return buf.getvalue()


def _html(d: Diff, lang: str) -> str:
    from ..formats.htmlbase import page_head, render_page
    t = labels(T, lang)
    verdict = {1: "fail", 3: "incomplete"}.get(d.exit_code, "pass")
    head = page_head(lang, kind=t["title"], app=d.manifest, verdict=verdict)
    return render_page("diff.html.j2", head, lang, t=t, d=d, summary=_summary(d, lang),
                       incomplete=[tr(r, lang) for r in d.incomplete],
                       tables=[(title, header, list(zip(rows, statuses))) for title, header, rows, statuses in tables(d, lang)])


def _xlsx(d: Diff, lang: str) -> bytes:
    """The summary first, then one sheet per table (frozen header, autofilter), undeclared rows filled; every cell
    through the one cell writer (formats/cells.py): names from the manifest are never formulas."""
    from ..formats.cells import Sheet, workbook
    summary = [["manifest", d.manifest], ["evidence", d.evidence]]
    summary += [[tr(STATUS_TEXT[k], lang), v] for k, v in d.to_dict()["summary"].items()]
    summary += [[tr(T["inc"], lang), tr(r, lang)] for r in d.incomplete]
    head = ["field", "value"] if lang == "en" else [tr(N_("Field"), lang), tr(N_("Value"), lang)]
    sheets = [Sheet("summary" if lang == "en" else tr(N_("Summary"), lang), head, summary, [30, 90])]
    for title, header, rows, statuses in tables(d, lang):
        widths = [max(14, min(60, max([len(str(h))] + [len(str(r[i])) for r in rows]) + 2)) for i, h in enumerate(header)]
        sheets.append(Sheet(title, header, rows, widths, [s == "undeclared" for s in statuses]))
    return workbook(sheets, lang)
