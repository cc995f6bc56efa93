"""The command-line side of the fleet: `scan --db` (called from cli/scan_cmd.py), `fleet report`, `fleet query`."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError


def scan_to_db(apks, db_url: str | None, manifest_path: Path | None, suppressions: str | None,
               jobs: int | None, cluster: str | None, rescan: bool, output, events_out,
               allow_package_mismatch: bool = False) -> int:
    """APKS are files, folders of .apk files, or http(s) URLs (docs/fleet.md)."""
    from ..extras import require
    require("fleet", what="sdkgate scan --db")
    from ..scanning import load_options
    from ..manifest import load_manifest
    from .sources import expand
    if not db_url:
        raise InputError(None, "--db", "--cluster and --rescan store into a fleet database: give --db URL")
    if output is not None or events_out is not None:
        raise InputError(None, "--db", "with --db the reports go into the database: drop -o/--events and use "
                         "`sdkgate fleet report` or `sdkgate fleet query`")
    files = expand(apks)
    if manifest_path is not None:
        load_manifest(manifest_path)        # bad manifest / suppressions: one clear error before any scan
    load_options(suppressions, None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .runner import scan_fleet
    progress = Progress(TextColumn("fleet"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
    with progress:
        task = progress.add_task("", total=None)

        def on_result(rec, verdict):
            progress.update(task, advance=1, description=f"{Path(rec.apk).name}: {verdict}")
        summary = scan_fleet(files, db_url, manifest=Path(manifest_path) if manifest_path else None,
                             suppressions=Path(suppressions) if suppressions else None, jobs=jobs, cluster=cluster,
                             rescan=rescan, on_result=on_result, allow_package_mismatch=allow_package_mismatch)
    for line in summary.lines:
        click.echo(line, err=True)
    from .db import DbUrl
    click.echo(f"sdkgate: fleet: {summary.apks} APK(s): {summary.scanned} scanned, {summary.skipped} already stored "
               f"(skipped), {summary.duplicates} duplicate(s), {summary.errors} error(s) -> "
               f"{DbUrl.parse(db_url).redacted()} (run {summary.run_id})", err=True)
    return summary.exit_code


HELP = """Questions over a fleet database filled by `sdkgate scan APKS... --db URL`.

\b
  sdkgate fleet report --db sqlite:///fleet.db --html fleet.html [--lang zh]
  sdkgate fleet report --db URL --format json|csv|xlsx [-o FILE]
  sdkgate fleet query --db URL "SELECT * FROM fleet_sdk_prevalence ORDER BY apps DESC"

Tables and views: docs/fleet.md.
"""

db_option = click.option("--db", "db_url", required=True, help="sqlite:///PATH.db or postgresql://USER@HOST:PORT/DB")


@click.group("fleet", help=HELP)
def group():
    from ..extras import require
    require("fleet", what="sdkgate fleet")


@group.command("report")
@db_option
@click.option("--html", type=click.Path(dir_okay=False), default=None, help="Write the HTML report (SVG charts) here.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default=None,
              help="Machine-readable output (default json; xlsx needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--top", type=click.IntRange(1, 1000), default=20, show_default=True, help="How many undeclared SDKs to list.")
def report_cmd(db_url, html, fmt, output, lang, top):
    """SDK prevalence, apps per SDK, rules per SDK, verdicts, incomplete reasons, top undeclared SDKs."""
    from . import report as fr
    from .runs import mark_dead_runs
    from .schema import open_db
    db = open_db(db_url, create=False)
    try:
        for dead in mark_dead_runs(db):
            click.echo(f"sdkgate: note: fleet run {dead} was killed before it finished: marked aborted", err=True)
        rep = fr.build(db, top=top)
    finally:
        db.close()
    if html:
        _write(html, fr.render_html(rep, lang))
        click.echo(f"sdkgate: fleet report in {html}", err=True)
        if not fmt and not output:
            return 0
    fmt = fmt or "json"
    if fmt == "xlsx":
        if not output:
            raise InputError(None, "--format xlsx", "a workbook is binary: give -o FILE.xlsx")
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        fr.render_xlsx(rep, output)
        return 0
    text = fr.render_json(rep) if fmt == "json" else fr.render_csv(rep)
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)
    return 0


@group.command("query")
@db_option
@click.argument("sql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.001, 86400), default=60.0, show_default=True,
              help="Stop the statement after this many seconds.")
def query_cmd(db_url, sql, fmt, timeout_s):
    """Run one read-only SQL statement over the tables and the documented views (docs/fleet.md).
    Nothing it says can change the database; an older schema is named (`scan --db` migrates it)."""
    from .query import run_query
    notes: list[str] = []
    cols, rows = run_query(db_url, sql, timeout_s=timeout_s, notes=notes)
    for n in notes:
        click.echo(f"sdkgate: note: {n}", err=True)
    click.echo(_format_rows(cols, rows, fmt), nl=False)
    return 0


def _format_rows(cols, rows, fmt: str) -> str:
    import io
    import json
    if fmt == "json":
        return json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=2, default=str) + "\n"
    buf = io.StringIO()
    if fmt == "csv":                # the one cell writer: a value from the database is never a formula
        from ..formats.cells import csv_text
        return csv_text(cols, rows, bom=False, lineterminator="\n")
    from rich.console import Console
    from rich.table import Table
    con = Console(file=buf, width=200, force_terminal=False, color_system=None)
    tb = Table(show_lines=False)
    for c in cols:
        tb.add_column(str(c), overflow="fold")
    for r in rows:
        tb.add_row(*["" if v is None else str(v) for v in r])
    con.print(tb)
    con.print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return buf.getvalue()


def _write(path: str, text: str) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
