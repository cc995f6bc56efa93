"""The audit table in four forms: console, JSON, HTML (one self-contained page), XLSX (one sheet per table)."""
from __future__ import annotations

import io
import json
import shutil

from ..taxonomy import label
from .diff import STATUS_TEXT, Diff

FORMATS = ("console", "json", "html", "xlsx")
T = {
    "en": {"title": "Declared vs found", "sdks": "SDKs", "cats": "Data categories per SDK", "perms": "Permissions",
           "doms": "Domains", "sdk": "SDK", "status": "Status", "where": "Seen in", "cat": "Category",
           "perm": "Permission", "seen": "Seen as", "dom": "Domain", "by": "Contacted by", "decl": "Declared for",
           "inc": "Evidence incomplete", "summary": "Summary", "pk": "Packages",
           "generic": "declared only generically as {0}", "generic_row": "a generic row: covers {0}.*"},
    "zh": {"title": "声明与发现对照", "sdks": "SDK", "cats": "各 SDK 的个人信息类型", "perms": "权限", "doms": "域名",
           "sdk": "SDK", "status": "结论", "where": "发现于", "cat": "信息类型", "perm": "权限", "seen": "发现方式",
           "dom": "域名", "by": "访问方", "decl": "声明于", "inc": "证据不完整", "summary": "汇总", "pk": "包名",
           "generic": "仅概括声明为 {0}", "generic_row": "概括声明：涵盖 {0}.*"},
}
WHERE_ZH = {"static": "静态", "runtime": "运行时", "network": "网络", "declared_in_apk": "APK 声明",
            "used_by_api": "API 使用", "requested": "运行时申请"}


def _w(items, lang):
    return ", ".join(WHERE_ZH.get(i, i) if lang == "zh" else i for i in items)


def tables(d: Diff, lang: str) -> list[tuple[str, list[str], list[list[str]], list[str]]]:
    """(title, header, rows, statuses): the same four tables for every format."""
    t, st = T[lang], STATUS_TEXT[lang]
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
    return f"{st[c.status]} ({what.format(c.declared_as)})"


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
    st = STATUS_TEXT[lang]
    return ", ".join(f"{st[k]}: {v}" for k, v in s.items())


def _console(d: Diff, lang: str) -> str:
    from rich.console import Console
    from rich.table import Table
    buf = io.StringIO()
    con = Console(file=buf, width=max(80, shutil.get_terminal_size((110, 24)).columns), force_terminal=False,
                  color_system=None, soft_wrap=False)
    t = T[lang]
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
        con.print(f"{t['inc']}: {r}")
    return buf.getvalue()


def _html(d: Diff, lang: str) -> str:
    from ..formats.htmlbase import page_head, render_page
    t = T[lang]
    verdict = {1: "fail", 3: "incomplete"}.get(d.exit_code, "pass")
    head = page_head(lang, kind=t["title"], app=d.manifest, verdict=verdict)
    return render_page("diff.html.j2", head, lang, t=t, d=d, summary=_summary(d, lang),
                       tables=[(title, header, list(zip(rows, statuses))) for title, header, rows, statuses in tables(d, lang)])


def _xlsx(d: Diff, lang: str) -> bytes:
    """The summary first, then one sheet per table (frozen header, autofilter), undeclared rows filled; every cell
    through the one cell writer (formats/cells.py): names from the manifest are never formulas."""
    from ..formats.cells import Sheet, workbook
    summary = [["manifest", d.manifest], ["evidence", d.evidence]]
    summary += [[STATUS_TEXT[lang][k], v] for k, v in d.to_dict()["summary"].items()]
    summary += [[T[lang]["inc"], r] for r in d.incomplete]
    sheets = [Sheet("summary" if lang == "en" else "汇总", ["field", "value"] if lang == "en" else ["项目", "值"], summary, [30, 90])]
    for title, header, rows, statuses in tables(d, lang):
        widths = [max(14, min(60, max([len(str(h))] + [len(str(r[i])) for r in rows]) + 2)) for i, h in enumerate(header)]
        sheets.append(Sheet(title, header, rows, widths, [s == "undeclared" for s in statuses]))
    return workbook(sheets, lang)
