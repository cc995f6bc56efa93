"""The audit table in four forms: console, JSON, HTML (one self-contained page), XLSX (one sheet per table)."""
from __future__ import annotations

import html
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


_CSS = ("body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}"
        "tr.undeclared td{background:#fde2e2}tr.match td{background:#e6f4ea}tr.declared_not_seen td{background:#f4f4f4}"
        "tr.generic td{background:#fff4d6}")


def _html(d: Diff, lang: str) -> str:
    t = T[lang]
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{e(t['title'])}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{e(t['title'])}</h1><p>{e(d.manifest)} &harr; {e(d.evidence)}</p>",
             f"<p><strong>{e(t['summary'])}:</strong> {e(_summary(d, lang))}</p>"]
    for title, header, rows, statuses in tables(d, lang):
        parts.append(f"<h2>{e(title)}</h2><table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header)
                     + "</tr></thead><tbody>")
        for r, s in zip(rows, statuses):
            parts.append(f"<tr class=\"{s}\">" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>")
        parts.append("</tbody></table>")
    if d.incomplete:
        parts.append(f"<h2>{e(t['inc'])}</h2><ul>" + "".join(f"<li>{e(r)}</li>" for r in d.incomplete) + "</ul>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _xlsx(d: Diff, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    fills = {"undeclared": PatternFill("solid", fgColor="FDE2E2"), "match": PatternFill("solid", fgColor="E6F4EA"),
             "declared_not_seen": PatternFill("solid", fgColor="F4F4F4")}
    for k in list(fills):
        fills[f"{k} generic"] = PatternFill("solid", fgColor="FFF4D6")
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows, statuses in tables(d, lang):
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for c in ws[1]:
            c.font = Font(bold=True)
        for r, s in zip(rows, statuses):
            ws.append(r)
            for c in ws[ws.max_row]:
                c.fill = fills[s]
        for col, h in zip("ABCDEFG", header):
            ws.column_dimensions[col].width = max(14, min(60, max([len(str(h))] + [len(str(r[header.index(h)])) for r in rows]) + 2))
        ws.freeze_panes = "A2"
    ws = wb.create_sheet("summary" if lang == "en" else "汇总")
    ws.append(["manifest", d.manifest])
    ws.append(["evidence", d.evidence])
    for k, v in d.to_dict()["summary"].items():
        ws.append([STATUS_TEXT[lang][k], v])
    for r in d.incomplete:
        ws.append([T[lang]["inc"], r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
