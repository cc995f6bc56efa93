"""`sdkgate scan`: static analysis of one or more APKs, judged by the rule engine."""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import InputError
from .common import (EXIT_INCOMPLETE, EXIT_INPUT, format_option, lang_option, load_options, quiet_androguard,
                     suppressions_option)

EXTENSIONS = {"console": "txt", "json": "json", "junit": "xml", "sarif": "sarif"}
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


def build_report(apk: Path, manifest, options=None, eval_options=None):
    """Scan -> events -> engine -> report; scan facts the engine does not keep go to stats['static']."""
    from ..rules import evaluate
    from ..static import ScanOptions, scan_apk

    try:
        result = scan_apk(apk, manifest, options or ScanOptions())
        events = result.events
    except InputError:
        raise
    except Exception as exc:  # a bug or an input the parsers did not foresee: incomplete, not a traceback
        from ..events import Event
        events = [Event(seq=0, t_ms=0.0, source="static", kind="incomplete",
                        extra={"reason": f"{apk}: scan failed: {type(exc).__name__}: {exc}"})]
        result = None
    report = evaluate(events, manifest, eval_options)
    report.app.setdefault("apk", str(apk))
    if result is not None:
        scan = next((e for e in result.events if e.kind == "scan"), None)
        if scan is not None:
            report.app["apk"] = str(apk)
            report.stats["static"] = {k: scan.get(k) for k in (
                "dex_files", "class_count", "first_party_classes", "platform_classes", "unresolved_uri_queries",
                "undeclared_api_permissions", "entry_points", "gated_paths", "visited_methods", "consent_checks",
                "bounds", "paths", "manifest_warnings") if scan.get(k) is not None}
    return report, result


def _scan_one(apk: str, manifest_path: str | None, fmt: str, lang: str, out_file: str | None,
              events_file: str | None, suppressions: str | None = None) -> Outcome:
    """Worker: everything for one APK, so only a small Outcome crosses the process boundary."""
    quiet_androguard()
    from ..formats import render
    from ..manifest import load_manifest

    try:
        manifest = load_manifest(manifest_path) if manifest_path else None
        report, result = build_report(Path(apk), manifest, eval_options=load_options(suppressions, None))
    except InputError as exc:
        return Outcome(apk, EXIT_INPUT, error=exc.render())
    for w in (report.stats.get("static") or {}).get("manifest_warnings") or []:
        click.echo(f"sdkgate: warning: {apk}: {w}", err=True)
    text = render(report, fmt, lang)
    if events_file and result is not None:
        Path(events_file).write_text("".join(e.to_json() + "\n" for e in result.events), encoding="utf-8")
    if out_file:
        Path(out_file).write_text(text, encoding="utf-8")
        text = None
    return Outcome(apk, report.exit_code, report.verdict, text=text)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.apk") if q.is_file())
            if not found:
                raise InputError(str(p), None, "folder holds no .apk files")
            out += found
        elif p.exists():
            out.append(p)
        else:
            raise InputError(str(p), None, "no such file or folder")
    return out


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
              help="The app's declarations (manifests/*.yaml). Without it: inventory and call sites only.")
@format_option(choices=("console", "json", "junit", "sarif"))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Report file (one APK) or folder (several APKs; one report each).")
@lang_option
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Parallel scans (processes) when several APKs are given [default: CPUs].")
@suppressions_option
@click.option("--events", "events_out", type=click.Path(path_type=Path),
              help="Also write the static events as JSON Lines (file; folder for several APKs).")
def command(apks, manifest_path, fmt, output, lang, jobs, suppressions, events_out):
    """Scan APK(s): SDK inventory, sensitive call sites, process-start code, pre-consent paths.

    APKS are .apk files or folders of them. Exit code: the worst of the reports
    (2 unreadable input, 3 incomplete, 1 fail, 0 pass).
    """
    from ..manifest import load_manifest

    files = _expand(apks)
    if manifest_path is not None:
        load_manifest(manifest_path)        # bad manifest: one clear error before any scan
    load_options(suppressions, None)        # likewise a bad suppression file
    single = len(files) == 1 and not any(p.is_dir() for p in apks)
    if single:
        o = _scan_one(str(files[0]), str(manifest_path) if manifest_path else None, fmt, lang,
                      str(output) if output else None, str(events_out) if events_out else None, suppressions)
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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("scan"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=Console(stderr=True), transient=False)
    with progress, ProcessPoolExecutor(max_workers=jobs) as pool:
        task = progress.add_task("", total=len(files))
        futs = {pool.submit(_scan_one, str(f), str(manifest_path) if manifest_path else None, fmt, lang,
                            str(output / names[i]) if output else None,
                            str(events_out / ev_names[i]) if events_out else None, suppressions): f
                for i, f in enumerate(files)}
        for fut in as_completed(futs):
            f = futs[fut]
            try:
                o = fut.result()
            except Exception as exc:  # a worker that died (e.g. out of memory)
                o = Outcome(str(f), EXIT_INCOMPLETE, error=f"{f}: scan worker failed: {type(exc).__name__}: {exc}")
            outcomes[str(f)] = o
            progress.update(task, advance=1, description=f"{f.name}: {o.verdict or 'error'}")
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
