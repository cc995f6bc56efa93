"""Scanning one app into a judged report, and the inputs a scan takes: the service below both the `scan`
command and the fleet (neither imports the other for it)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from .errors import InputError
from .i18n import N_, Msg, failure, msg


def quiet_androguard():
    """androguard logs through loguru at import time; silence it before anything else."""
    try:
        from loguru import logger
        logger.remove()
    except ImportError:  # pragma: no cover
        pass


def load_options(suppressions: str | None, geoip: str | None):
    from .rules import EvalOptions
    from .rules.suppress import load_suppressions
    if geoip and not Path(geoip).is_file():
        raise InputError(geoip, None, "GeoIP database not found")
    return EvalOptions(suppressions=load_suppressions(suppressions) if suppressions else [],
                       geoip=str(Path(geoip).resolve()) if geoip else None)


NO_MANIFEST = N_("no manifest (declarations) given")


def not_judged(report, inventory: bool = False):
    """Without declarations there is nothing to judge against: `not_judged` (exit 3), never a pass;
    `--inventory` asks for the inventory alone (exit 0, no verdict line)."""
    if report.verdict != "incomplete" or inventory:
        report.verdict = "not_judged"
    report.stats["not_judged"] = Msg(NO_MANIFEST)
    if inventory:
        report.stats["inventory_only"] = True
    return report


def build_report(apk: Path, manifest, options=None, eval_options=None, splits: tuple[str, ...] = (),
                 allow_package_mismatch: bool = False):
    """Scan -> events -> engine -> report; scan facts the engine does not keep go to stats['static'].
    A manifest of another app is bad input (InputError) unless `allow_package_mismatch` (issue 20)."""
    from .packagecheck import check_package
    from .rules import evaluate
    from .static import ScanOptions, scan_apk

    try:
        result = scan_apk(apk, manifest, options or ScanOptions(), splits=splits)
        events = result.events
        scan_ev = next((e for e in events if e.kind == "scan"), None)
        if scan_ev is not None and result.apk_manifest is not None:
            note = check_package(str(apk), result.apk_manifest.package, manifest, allow_package_mismatch)
            if note:
                scan_ev.extra["package_mismatch_allowed"] = note
    except InputError:
        raise
    except Exception as exc:  # a bug or an input the parsers did not foresee: incomplete, not a traceback
        from .events import Event
        events = [Event(seq=0, t_ms=0.0, source="static", kind="incomplete",
                        extra={"reason": msg("{where}: scan failed: {error}", where=str(apk), error=failure(exc))})]
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
                "bounds", "paths", "input_kind", "files", "payloads", "ignored_consent_checks",
                "manifest_warnings", "libraries", "notes") if scan.get(k) is not None}
    return report, result


def _say_skipped(path: Path, why: str) -> None:
    print(f"sdkgate: skipped {path}: {why}", file=sys.stderr)


def expand_inputs(paths, on_skip: Callable[[Path, str], None] | None = None) -> list[Path]:
    """Folders become the app files in them (the rest is skipped, each named through `on_skip`); a missing
    path is bad input."""
    from .static.bundles import APP_SUFFIXES

    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found, skipped = [], []
            for q in sorted(p.rglob("*")):
                if q.is_dir():
                    continue
                if not q.is_file():
                    skipped.append((q, "not a regular file"))
                elif q.suffix.lower() in APP_SUFFIXES:
                    found.append(q)
                else:
                    skipped.append((q, f"not an app file (by its extension; scanned: {', '.join(APP_SUFFIXES)})"))
            for q, why in skipped:
                (on_skip or _say_skipped)(q, why)
            if not found:
                raise InputError(str(p), None, "folder holds no .apk / .apks / .xapk / .aab files")
            out += found
        elif p.exists():
            out.append(p)
        else:
            raise InputError(str(p), None, "no such file or folder")
    return out
