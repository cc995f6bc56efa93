"""Console and HTML views of a calibration record (calibration.json). Evidence is hostile text: rich markup is
escaped, the HTML template autoescapes."""
from __future__ import annotations

import io
import shutil
from importlib import resources

from rich.console import Console
from rich.markup import escape
from rich.table import Table

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
    state = "COMPLETE" if s["complete"] else "INCOMPLETE"
    return (f"Calibration {state}: {s['rows_fired']}/{s['rows_applicable']} rows fired, "
            f"{s['checks_passed']}/{s['checks_total']} checks")


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


def render_html(rec: dict) -> str:
    import jinja2  # noqa: PLC0415
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             loader=jinja2.FunctionLoader(
                                 lambda n: resources.files("sdkgate.templates").joinpath(n).read_text("utf-8")))
    return env.get_template("calibration.html.j2").render(rec=rec, headline=headline(rec), device=device_text(rec),
                                                           colours={FIRED: "ok", NOT_FIRED: "bad"})
