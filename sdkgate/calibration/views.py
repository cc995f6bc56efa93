"""Console and HTML views of a calibration record (calibration.json). Evidence is hostile text: rich markup is
escaped, the HTML template autoescapes."""
from __future__ import annotations

import io
import shutil

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..i18n import N_, msg, tr
from .matrix import FIRED, NOT_APPLICABLE, NOT_FIRED, NOT_HOOKABLE

COLOURS = {FIRED: "green", NOT_FIRED: "red", NOT_HOOKABLE: "yellow", NOT_APPLICABLE: "cyan"}


def device_text(rec: dict) -> str:
    d = rec.get("device") or {}
    parts = [str(d[k]) for k in ("manufacturer", "model") if d.get(k)]
    if d.get("android_release"):
        parts.append(f"Android {d['android_release']}")
    if d.get("api_level") is not None:
        parts.append(f"API {d['api_level']}")
    if d.get("abi"):
        parts.append(str(d["abi"]))
    return " ".join(parts) or str(d.get("kind") or "device")


def headline(rec: dict) -> str:
    s = rec["summary"]
    n = {"fired": s["rows_fired"], "rows": s["rows_applicable"], "passed": s["checks_passed"], "checks": s["checks_total"]}
    if s["complete"]:
        return msg("Calibration COMPLETE: {fired}/{rows} rows fired, {passed}/{checks} checks", **n)
    return msg("Calibration INCOMPLETE: {fired}/{rows} rows fired, {passed}/{checks} checks", **n)


def render_console(rec: dict, out_dir: str = "", width: int | None = None, color: bool = False) -> str:
    buf = io.StringIO()
    con = Console(file=buf, width=width or max(60, shutil.get_terminal_size((100, 24)).columns),
                  force_terminal=color, color_system="standard" if color else None, highlight=False, soft_wrap=False)
    s = rec["summary"]
    colour = "green" if s["complete"] else "yellow"
    con.print(f"[bold {colour}]{escape(headline(rec))}[/bold {colour}]")
    agent = (rec.get("agent") or {}).get("sha256") or "?"
    frida = rec.get("frida") or {}
    con.print(escape(f"device: {device_text(rec)}; agent {agent[:16]}; frida {frida.get('client') or '?'}"
                     f" (server {frida.get('server') or '-'}); ledger: {rec.get('ledger')}"))
    con.print(escape(f"rows: {s['rows_fired']} fired, {s['rows_not_fired']} not fired, {s['rows_not_hookable']} not "
                     f"hookable, {s['rows_not_applicable']} not applicable on this API level, "
                     f"{s['rows_not_probed']} not probed (native)"))
    tb = Table(title="Checks", expand=False)
    for col in ("check", "status", "detail"):
        tb.add_column(col, overflow="fold")
    for c in rec["checks"]:
        tb.add_row(escape(c["id"]), f"[{COLOURS.get(c['status'], 'white')}]{escape(c['status'])}[/]", escape(c["detail"]))
    con.print(tb)
    bad = [r for r in rec["rows"] if r["status"] == NOT_FIRED]
    if bad:
        tb = Table(title="Rows that did not fire", expand=False)
        for col in ("row", "category", "why"):
            tb.add_column(col, overflow="fold")
        for r in bad:
            tb.add_row(escape(r["id"]), escape(str(r.get("category") or r.get("match") or "-")), escape(r.get("detail") or ""))
        con.print(tb)
    for cat, ids in (rec.get("not_observable") or {}).items():
        con.print(f"[yellow]not observable on this device:[/yellow] {escape(cat)}: {escape(', '.join(ids))}")
    if out_dir:
        con.print(escape(f"calibration.json and calibration.html in {out_dir}"))
    return buf.getvalue()


def render_html(rec: dict, lang: str = "en") -> str:
    """The calibration page on the one base every page extends (formats/htmlbase.py): header, styles, print boxes."""
    from ..formats.htmlbase import page_head, render_page  # noqa: PLC0415
    device = device_text(rec)
    head = page_head(lang, kind=tr(N_("calibration"), lang), app=device)
    return render_page("calibration.html.j2", head, lang, rec=rec, headline=tr(headline(rec), lang), device=device,
                       colours={FIRED: "ok", NOT_FIRED: "bad"})
