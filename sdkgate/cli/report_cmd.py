"""`sdkgate report`: render an evidence folder's report (HTML, SARIF, JUnit, JSON) or merge many into one table."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import EXIT_TAMPERED, lang_option, sheet_option

HELP = """Render the report of an evidence folder, or one table over many (--merge).

\b
  sdkgate report DIR --html report.html [--lang zh]
  sdkgate report DIR --pdf report.pdf [--lang zh]
  sdkgate report DIR --format sarif|junit|json|console|csv|xlsx [-o FILE] [--sheet reads]
  sdkgate report --merge DIR... [--format json|console|html] [-o FILE]

A DIR given to --merge may also be a folder of evidence folders (e.g. one per device).
Exit code: the recorded verdict (0 pass, 1 fail, 3 incomplete); with --merge the worst
of all bundles (1 if any fails, else 3 if any is incomplete or tampered, else 0).
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
@lang_option
@sheet_option
def command(dirs, html, fmt, output, merge, lang, pdf=None, sheet=None):
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
            return _single(src, html, fmt, output, lang, pdf, sheet)
        except EntryProblem as exc:      # a file that turned out corrupt while it was read
            click.echo(f"sdkgate: TAMPERED {exc}", err=True)
            click.echo("sdkgate: error: the evidence cannot be read as it was written; no report written", err=True)
            return EXIT_TAMPERED


def _intact(src) -> bool:
    """Nothing is parsed before this: symlinks are reported (never followed), a sealed bundle must
    still match its bundle.json, and every path bundle.json names must be a sealed file inside it."""
    from ..bundle.verify import BUNDLE_FILE, VerifyResult, check_files, check_paths, load_bundle_meta
    res = VerifyResult(bundle=src.label)
    res.problems.extend(src.bad_names)
    if BUNDLE_FILE not in src.entries():
        click.echo(f"sdkgate: note: {src.label} is not sealed (no {BUNDLE_FILE}): integrity not checked", err=True)
        res.problems.extend(f"{rel}: a {kind}, not a plain file; not followed"
                            for rel, kind in sorted(src.entries().items()) if kind != "file")
    else:
        try:
            meta = load_bundle_meta(src)
            check_files(src, meta["files"], res)
            check_paths(src, meta, res)
        except ValueError as exc:
            res.problems.append(str(exc))
    for line in res.lines() if not res.intact else []:
        click.echo(f"sdkgate: {src.scrub(line) if hasattr(src, 'scrub') else line}", err=True)
    return res.intact


def _single(src, html, fmt, output, lang, pdf=None, sheet=None) -> int:
    from ..fileio import loads_bounded
    from ..formats import render
    from ..formats.html import render_bundle
    from ..report import Report
    if not _intact(src):
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
    if html:
        _write(render_bundle(src, lang, report), html)
        click.echo(f"HTML report: {html}", err=True)
    if pdf:
        from ..formats.pdf import html_to_pdf
        from .common import write_output
        write_output(html_to_pdf(render_bundle(src, lang, report, printing=True)), pdf, "pdf")
        click.echo(f"PDF report: {pdf}", err=True)
    if fmt or not (html or pdf):
        fmt = fmt or "console"
        if fmt in ("html", "pdf"):
            if not output:
                raise InputError(None, f"--format {fmt}", f"give -o FILE (or use --{fmt} FILE)")
            text = render_bundle(src, lang, report, printing=fmt == "pdf")
            if fmt == "pdf":
                from ..formats.pdf import html_to_pdf
                text = html_to_pdf(text)
        else:
            from ..formats.reads import reads_from_source
            from .common import console_style
            extra = {"reads": reads_from_source(src), "sheet": sheet} if fmt in ("csv", "xlsx") else {}
            text = render(report, fmt, lang, **console_style(output), **extra)
        _write(text, output)
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
