"""`sdkgate report`: render an evidence folder's report (HTML, SARIF, JUnit, JSON) or merge many into one table."""
from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from ..errors import InputError
from .common import EXIT_INCOMPLETE, EXIT_TAMPERED, lang_option, sheet_option

HELP = """Render the report of an evidence folder, or one table over many (--merge).

\b
  sdkgate report DIR --html report.html [--lang zh]
  sdkgate report DIR --pdf report.pdf [--lang zh]
  sdkgate report DIR --format sarif|junit|json|console|csv|xlsx [-o FILE] [--sheet reads]
  sdkgate report --merge DIR... [--format json|console|html] [-o FILE]

A DIR given to --merge may also be a folder of evidence folders (e.g. one per device).
Exit code: the recorded verdict (0 pass, 1 fail, 3 incomplete) once the seal holds and the
verdict re-derived from the raw evidence (as `verify` does) matches report.json; 4 when a file
changed after sealing or report.json disagrees with the evidence (what differs is named).
With --merge the worst of all bundles (1 if any fails, else 3 if any is incomplete or tampered, else 0).
A seal is not a signature: give --key PUB to check who signed the bundle.
"""


def _write(text, output: str | None) -> None:
    if isinstance(text, bytes):
        from .common import write_output
        write_output(text, output, "xlsx")
    elif output:
        from .common import ensure_parent
        p = Path(output)
        ensure_parent(p)
        p.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


@click.command(help=HELP)
@click.argument("dirs", nargs=-1, type=click.Path())
@click.option("--html", "html", type=click.Path(dir_okay=False), default=None, help="Write the HTML report here.")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), default=None,
              help="Write the report as PDF here (the HTML page printed by headless Chromium).")
@click.option("--format", "fmt", type=click.Choice(["console", "json", "junit", "sarif", "html", "csv", "xlsx", "pdf"]), default=None,
              help="Output format (default: console; html needs -o or --html).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
@click.option("--merge", is_flag=True, help="One table over many bundles: rows bundle/device/scenario, verdict, counts per rule.")
@click.option("--key", "key", type=click.Path(), default=None,
              help="Ed25519 public key (PEM or OpenSSH) the bundle must be signed with.")
@lang_option
@sheet_option
def command(dirs, html, fmt, output, merge, lang, key, pdf=None, sheet=None):
    if not dirs:
        raise InputError(None, None, "give an evidence folder (or several with --merge)")
    if merge:
        if pdf or sheet:
            raise InputError(None, "--pdf" if pdf else "--sheet", "not with --merge (it writes json, console or html)")
        return _merge(dirs, fmt or "console", output, lang, html)
    if len(dirs) > 1:
        raise InputError(None, None, f"{len(dirs)} folders given: use --merge to combine several bundles")
    from ..bundle.verify import opened_bundle
    if not Path(dirs[0]).exists():
        raise InputError(dirs[0], None, "evidence folder not found")
    from ..bundle.source import EntryProblem
    with opened_bundle(dirs[0]) as src:
        try:
            return _single(src, html, fmt, output, lang, key, pdf, sheet)
        except EntryProblem as exc:      # a file that turned out corrupt while it was read
            click.echo(f"sdkgate: TAMPERED {exc}", err=True)
            click.echo("sdkgate: error: the evidence cannot be read as it was written; no report written", err=True)
            return EXIT_TAMPERED


def _say(src, line: str) -> None:
    click.echo(f"sdkgate: {src.scrub(line) if hasattr(src, 'scrub') else line}", err=True)


def _single(src, html, fmt, output, lang, key, pdf=None, sheet=None) -> int:
    """Nothing is parsed before the seal is checked (symlinks reported, never followed; every path
    bundle.json names must be a sealed file inside it); then report.json must be what the raw evidence
    gives, re-derived as `verify` does. Either failing is exit 4 with what differs, and no report."""
    from ..bundle.sign import load_public_key
    from ..bundle.trust import check_reproduced, check_seal, integrity_notes, integrity_summary
    from ..fileio import loads_bounded
    from ..formats import render
    from ..formats.html import render_bundle
    from ..report import Report
    pub = load_public_key(key) if key else None
    res, meta = check_seal(src, pub)
    sealed = meta is not None
    if not sealed:
        click.echo(f"sdkgate: note: {src.label} is not sealed (no bundle.json): integrity not checked", err=True)
    if not res.intact:
        for line in res.lines():
            if line.startswith("TAMPERED"):
                _say(src, line)
        click.echo("sdkgate: error: the evidence was altered after it was sealed, or points outside it; no report "
                   f"written (`sdkgate verify {src.label}` says what changed)", err=True)
        return EXIT_TAMPERED
    if not src.is_file("report.json"):
        raise InputError(src.where("report.json"), None, "report.json not found: not an evidence folder")
    try:
        report = Report.from_report_dict(loads_bounded(src.read_bytes("report.json")), src.where("report.json"))
    except ValueError as exc:
        raise InputError(src.where("report.json"), None, f"not a valid report: {exc}") from None
    if sheet and fmt != "csv":
        raise InputError(None, "--sheet", "applies to --format csv (an xlsx workbook holds every sheet)")
    check_reproduced(src, res, meta)
    if res.differences:
        _say(src, f"TAMPERED report.json does not match the evidence {'sealed with it' if sealed else 'beside it'} "
                  f"(re-derived as `sdkgate verify` does):")
        for d in res.differences[:50]:
            _say(src, f"  {d}")
        made_by = ((meta or {}).get("tools") or {}).get("sdkgate") if isinstance((meta or {}).get("tools"), dict) else None
        if isinstance(made_by, str) and made_by != __version__:
            _say(src, f"note: sealed by sdkgate {made_by[:40]}, re-derived by sdkgate {__version__}: "
                      "`sdkgate verify` with the sealing version tells a changed rule from an edited report")
        click.echo("sdkgate: error: report.json was not written from this evidence; no report written", err=True)
        return EXIT_TAMPERED
    summary = integrity_summary(res, sealed)
    for line in integrity_notes(summary) + [f"note: {n}" for n in res.notes]:
        _say(src, line if line.startswith("note: ") else f"note: {line}")
    for line in res.unverified:
        _say(src, f"incomplete: {line}")
    if html:
        _write(render_bundle(src, lang, report, integrity=summary), html)
        click.echo(f"HTML report: {html}", err=True)
    if pdf:
        from ..formats.pdf import html_to_pdf
        from .common import write_output
        write_output(html_to_pdf(render_bundle(src, lang, report, printing=True, integrity=summary)), pdf, "pdf")
        click.echo(f"PDF report: {pdf}", err=True)
    if fmt or not (html or pdf):
        fmt = fmt or "console"
        if fmt in ("html", "pdf"):
            if not output:
                raise InputError(None, f"--format {fmt}", f"give -o FILE (or use --{fmt} FILE)")
            text = render_bundle(src, lang, report, printing=fmt == "pdf", integrity=summary)
            if fmt == "pdf":
                from ..formats.pdf import html_to_pdf
                text = html_to_pdf(text)
        else:
            from ..formats.reads import reads_from_source
            from .common import console_style
            extra = {"reads": reads_from_source(src), "sheet": sheet} if fmt in ("csv", "xlsx") else {}
            text = render(report, fmt, lang, **console_style(output), **extra)
        _write(text, output)
    if res.unverified:
        return EXIT_INCOMPLETE      # part of the evidence could not be re-derived: incomplete, never pass or fail
    return report.exit_code


def _merge(dirs, fmt, output, lang, html) -> int:
    import json

    from ..bundle.merge import merge, render_console, render_html
    if fmt in ("junit", "sarif", "csv", "xlsx"):
        raise InputError(None, "--format", "--merge writes json, console or html")
    table = merge(list(dirs))
    if html:
        _write(render_html(table, lang), html)
    if fmt == "json":
        _write(json.dumps(table.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "html":
        if not output and not html:
            raise InputError(None, "--format html", "give -o FILE")
        if output:
            _write(render_html(table, lang), output)
    else:
        _write(render_console(table, lang), output)
    return table.exit_code
