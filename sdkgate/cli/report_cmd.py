"""`sdkgate report`: render an evidence folder's report (HTML, SARIF, JUnit, JSON) or merge many into one table."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import EXIT_TAMPERED, lang_option

HELP = """Render the report of an evidence folder, or one table over many (--merge).

\b
  sdkgate report DIR --html report.html [--lang zh]
  sdkgate report DIR --format sarif|junit|json|console [-o FILE]
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
@click.option("--format", "fmt", type=click.Choice(["console", "json", "junit", "sarif", "html", "csv", "xlsx"]), default=None,
              help="Output format (default: console; html needs -o or --html).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout.")
@click.option("--merge", is_flag=True, help="One table over many bundles: rows bundle/device/scenario, verdict, counts per rule.")
@lang_option
def command(dirs, html, fmt, output, merge, lang):
    if not dirs:
        raise InputError(None, None, "give an evidence folder (or several with --merge)")
    if merge:
        return _merge(dirs, fmt or "console", output, lang, html)
    if len(dirs) > 1:
        raise InputError(None, None, f"{len(dirs)} folders given: use --merge to combine several bundles")
    root = Path(dirs[0])
    if root.is_file() and root.suffix == ".zip":
        from ..bundle.verify import opened_bundle
        with opened_bundle(root) as inner:
            return _single(inner, html, fmt, output, lang)
    if not root.is_dir():
        raise InputError(str(root), None, "evidence folder not found")
    return _single(root, html, fmt, output, lang)


def _sealed_and_intact(root: Path) -> bool:
    """A sealed folder must still match its bundle.json before anything is rendered from it."""
    from ..bundle.verify import BUNDLE_FILE, VerifyResult, check_files, load_bundle_meta
    if not (root / BUNDLE_FILE).is_file():
        click.echo(f"sdkgate: note: {root} is not sealed (no {BUNDLE_FILE}): integrity not checked", err=True)
        return True
    res = VerifyResult(bundle=str(root))
    try:
        check_files(root, load_bundle_meta(root)["files"], res)
    except ValueError as exc:
        res.problems.append(str(exc))
    for line in res.lines() if not res.intact else []:
        click.echo(f"sdkgate: {line}", err=True)
    return res.intact


def _single(root: Path, html, fmt, output, lang) -> int:
    from ..formats import render
    from ..formats.html import render_bundle
    from ..report import Report
    report = Report.load(root / "report.json")
    if not _sealed_and_intact(root):
        click.echo("sdkgate: error: the evidence was altered after it was sealed; no report written "
                   f"(`sdkgate verify {root}` says what changed)", err=True)
        return EXIT_TAMPERED
    if html:
        _write(render_bundle(root, lang, report), html)
        click.echo(f"HTML report: {html}", err=True)
    if fmt or not html:
        fmt = fmt or "console"
        if fmt == "html":
            if not output:
                raise InputError(None, "--format html", "give -o FILE (or use --html FILE)")
            text = render_bundle(root, lang, report)
        else:
            try:
                from .common import console_style
                text = render(report, fmt, lang, **console_style(output))
            except ModuleNotFoundError as exc:
                raise InputError(None, f"--format {fmt}", f"format not available in this build ({exc.name})") from None
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
