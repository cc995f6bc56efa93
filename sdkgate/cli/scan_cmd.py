"""`sdkgate scan`: static analysis of one or more APKs, judged by the rule engine."""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import InputError
from ..scanning import NO_MANIFEST, build_report, expand_inputs, load_options, not_judged, quiet_androguard  # noqa: F401
from .common import EXIT_INCOMPLETE, EXIT_INPUT, format_option, lang_option, sheet_option, suppressions_option

EXTENSIONS = {"console": "txt", "json": "json", "junit": "xml", "sarif": "sarif", "html": "html", "csv": "csv",
              "xlsx": "xlsx", "pdf": "pdf"}
# worst first: an unreadable input, then missing evidence, then a violation
_WORST = {2: 4, 3: 3, 1: 2, 0: 1}


@dataclass
class Outcome:
    apk: str
    exit_code: int
    verdict: str | None = None
    error: str | None = None
    text: str | None = None          # the rendered report when it goes to stdout


def worst(codes) -> int:
    codes = list(codes)
    return max(codes, key=lambda c: _WORST.get(c, 5)) if codes else 0


def _scan_one(apk: str, manifest_path: str | None, fmt: str, lang: str, out_file: str | None,
              events_file: str | None, suppressions: str | None = None, inventory: bool = False,
              style: dict | None = None, splits: tuple[str, ...] = (), sheet: str | None = None,
              baseline: str | None = None, fail_on_new: bool = False, allow_mismatch: bool = False) -> Outcome:
    """Worker: everything for one APK, so only a small Outcome crosses the process boundary."""
    quiet_androguard()
    from ..formats import get, render
    from ..manifest import load_manifest

    if get(fmt).binary and not out_file:
        return Outcome(apk, EXIT_INPUT, error=f"--format {fmt}: a binary format: give -o FILE")
    try:
        manifest = load_manifest(manifest_path) if manifest_path else None
        report, result = build_report(Path(apk), manifest, eval_options=load_options(suppressions, None), splits=splits,
                                      allow_package_mismatch=allow_mismatch)
    except InputError as exc:
        return Outcome(apk, EXIT_INPUT, error=exc.render())
    if manifest is None or inventory:
        not_judged(report, inventory)
    if baseline:
        try:
            _compare_with_baseline(report, Path(baseline), manifest, suppressions, inventory)
        except InputError as exc:
            return Outcome(apk, EXIT_INPUT, error=exc.render())
    try:
        text = render(report, fmt, lang, **(style or {}), sheet=sheet)
    except InputError as exc:
        return Outcome(apk, EXIT_INPUT, error=exc.render())
    from .common import ensure_parent
    try:
        for f in (events_file, out_file):
            if f:
                ensure_parent(f)
    except InputError as exc:
        return Outcome(apk, EXIT_INPUT, error=exc.render())
    if fmt != "console" or out_file:       # the console report says them itself, at the top
        for w in (report.stats.get("static") or {}).get("manifest_warnings") or []:
            click.echo(f"sdkgate: warning: {apk}: {w}", err=True)
    if events_file and result is not None:
        Path(events_file).write_text("".join(e.to_json() + "\n" for e in result.events), encoding="utf-8")
    if out_file:
        from .common import write_output
        write_output(text, out_file, fmt)
        text = None
    if fail_on_new:
        from ..baseline import fail_on_new_exit, new_violations
        old = len(report.active_findings("violation")) - len(new_violations(report))
        if old:
            click.echo(f"sdkgate: {apk}: {old} violation(s) already in the baseline do not fail the build "
                       "(--fail-on-new)", err=True)
        return Outcome(apk, fail_on_new_exit(report), report.verdict, text=text)
    return Outcome(apk, 0 if inventory else report.exit_code, report.verdict, text=text)


def _compare_with_baseline(report, baseline: Path, manifest, suppressions, inventory) -> None:
    """`--baseline`: the last release's report.json, or its APK scanned the same way; the comparison goes in
    report.stats["baseline"] (every format shows it; SARIF sets baselineState)."""
    from ..baseline import compare, load_baseline

    def scan_old(path: Path):
        old, _ = build_report(path, manifest, eval_options=load_options(suppressions, None))
        return not_judged(old, inventory) if manifest is None or inventory else old

    old = load_baseline(baseline, scan_old)
    new_pkg, old_pkg = report.app.get("package"), old.app.get("package")
    if new_pkg and old_pkg and new_pkg != old_pkg:
        raise InputError(str(baseline), None, f"the baseline is of package {old_pkg}, the scan of {new_pkg}: "
                                              "compare releases of one app")
    report.stats["baseline"] = compare(report, old, str(baseline)).to_dict()


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    return expand_inputs(paths, lambda q, why: click.echo(f"sdkgate: skipped {q}: {why}", err=True))


def _ignore_sigint() -> None:
    """Scan workers leave Ctrl-C to the parent, which stops them at once (a terminal sends SIGINT to all)."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C: nothing more starts, running scans are terminated now rather than waited for."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):   # CPython's executor keeps its workers here
        try:
            proc.terminate()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def _names(apks: list[Path], ext: str) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for a in apks:
        n = seen.get(a.stem, 0)
        seen[a.stem] = n + 1
        names.append(f"{a.stem}{'-' + str(n + 1) if n else ''}.{ext}")
    return names


@click.command("scan")
@click.argument("apks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--manifest", "-m", "manifest_path", type=click.Path(path_type=Path),
              help="The app's declarations (manifests/*.yaml). Without it the verdict is not_judged (exit 3).")
@click.option("--inventory", is_flag=True,
              help="Inventory only (SDKs, call sites, start-up code): no verdict, exit 0 unless the input is bad.")
@format_option(choices=tuple(EXTENSIONS))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Report file (one APK) or folder (several APKs; one report each).")
@lang_option
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Parallel scans (processes) when several APKs are given [default: CPUs].")
@suppressions_option
@click.option("--events", "events_out", type=click.Path(path_type=Path),
              help="Also write the static events as JSON Lines (file; folder for several APKs).")
@click.option("--db", "db_url", default=None, help="Store every report in a fleet database: sqlite:///PATH.db or "
              "postgresql://USER@HOST:PORT/DB (docs/fleet.md). APKs already stored are skipped.")
@click.option("--rescan", is_flag=True, help="With --db: scan again APKs already stored.")
@sheet_option
@click.option("--baseline", "baseline", type=click.Path(path_type=Path), default=None,
              help="The last release's report.json (or its APK): report what is new or removed since then "
                   "(SDKs, permissions, call sites, findings); SARIF sets baselineState.")
@click.option("--fail-on-new", is_flag=True,
              help="With --baseline: exit 1 only for violations the baseline did not have (incomplete evidence stays 3).")
@click.option("--cluster", default=None, help="With --db: run the scans on a Dask cluster (tcp://SCHEDULER:8786).")
@click.option("--allow-package-mismatch", "allow_mismatch", is_flag=True,
              help="Judge an APK whose package differs from the manifest's app.package (a renamed build); "
                   "without it that is bad input (exit 2).")
def command(apks, manifest_path, inventory, fmt, output, lang, jobs, suppressions, events_out, db_url=None,
            rescan=False, cluster=None, sheet=None, baseline=None, fail_on_new=False, allow_mismatch=False):
    """Scan APK(s): SDK inventory, sensitive call sites, process-start code, pre-consent paths.

    APKS are .apk / .apks / .xapk / .aab files or folders of them; a base APK given with its split APKs
    is scanned as one app. Exit code: the worst of the reports
    (2 unreadable input, 3 incomplete, 1 fail, 0 pass).
    """
    from ..manifest import load_manifest

    if (db_url or rescan or cluster) and (baseline or fail_on_new):
        raise InputError(None, "--baseline", "not with --db (a fleet database keeps every version: fleet query)")
    if db_url or rescan or cluster:         # a fleet scan into a database (sdkgate/fleet, docs/fleet.md)
        from ..fleet.cli import scan_to_db
        return scan_to_db(apks, db_url, manifest_path, suppressions, jobs, cluster, rescan, output, events_out,
                          allow_mismatch)
    from ..static.bundles import group_splits

    groups = group_splits(_expand(apks))        # a base APK and its split APKs are one app
    files = [g[0] for g in groups]
    splits_of = {str(g[0]): tuple(str(x) for x in g[1:]) for g in groups}
    if manifest_path is not None:
        load_manifest(manifest_path)        # bad manifest: one clear error before any scan
    load_options(suppressions, None)        # likewise a bad suppression file
    if sheet and fmt != "csv":
        raise InputError(None, "--sheet", "applies to --format csv (an xlsx workbook holds every sheet)")
    if fail_on_new and not baseline:
        raise InputError(None, "--fail-on-new", "needs --baseline OLD_REPORT.json (or OLD.apk)")
    if baseline is not None and (len(files) > 1 or any(p.is_dir() for p in apks)):
        raise InputError(None, "--baseline", "compares one app with its last release: give one APK")
    single = len(files) == 1 and not any(p.is_dir() for p in apks)
    if single:
        from .. import terminal
        from .common import console_style
        with terminal.reporting(f"scan {files[0].name}"):
            o = _scan_one(str(files[0]), str(manifest_path) if manifest_path else None, fmt, lang,
                          str(output) if output else None, str(events_out) if events_out else None, suppressions,
                          inventory, console_style(output), splits_of[str(files[0])], sheet,
                          str(baseline) if baseline else None, fail_on_new, allow_mismatch)
        if o.error:
            raise InputError(None, None, o.error)
        if o.text is not None:
            click.echo(o.text, nl=False)
        return o.exit_code

    if output is not None:
        if output.exists() and not output.is_dir():
            raise InputError(str(output), None, "with several APKs, -o must be a folder")
        output.mkdir(parents=True, exist_ok=True)
    if events_out is not None:
        events_out.mkdir(parents=True, exist_ok=True)
    names = _names(files, EXTENSIONS[fmt])
    ev_names = _names(files, "events.jsonl")
    jobs = jobs or max(1, min(len(files), os.cpu_count() or 1))
    outcomes: dict[str, Outcome] = {}
    from rich.console import Console
    from .. import terminal
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("scan"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=Console(stderr=True), transient=False,
                        disable=not terminal.enabled())
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
    try:
        with progress:
            task = progress.add_task("", total=len(files))
            futs = {pool.submit(_scan_one, str(f), str(manifest_path) if manifest_path else None, fmt, lang,
                                str(output / names[i]) if output else None,
                                str(events_out / ev_names[i]) if events_out else None, suppressions, inventory,
                                None, splits_of[str(f)], sheet, None, False, allow_mismatch): f
                    for i, f in enumerate(files)}
            for fut in as_completed(futs):
                f = futs[fut]
                try:
                    o = fut.result()
                except Exception as exc:  # a worker that died (e.g. out of memory)
                    o = Outcome(str(f), EXIT_INCOMPLETE, error=f"{f}: scan worker failed: {type(exc).__name__}: {exc}")
                outcomes[str(f)] = o
                progress.update(task, advance=1, description=f"{f.name}: {o.verdict or 'error'}")
    except KeyboardInterrupt:
        _stop(pool)
        click.echo(f"sdkgate: interrupted: {len(outcomes)} of {len(files)} APKs scanned (their reports are kept)", err=True)
        raise
    pool.shutdown()
    for f in files:
        o = outcomes[str(f)]
        if o.error:
            click.echo(f"sdkgate: error: {o.error}", err=True)
        if o.text is not None:
            click.echo(f"== {f}", err=True)
            click.echo(o.text, nl=False)
        else:
            click.echo(f"{f}: {o.verdict or 'error'} (exit {o.exit_code})", err=True)
    return worst(o.exit_code for o in outcomes.values())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(command())
