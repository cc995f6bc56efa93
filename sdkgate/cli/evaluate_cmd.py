"""`sdkgate evaluate`: judge recorded events (hook, step, net, static) against a manifest."""
from __future__ import annotations

import click

from ..events import check_event_log, merge_streams
from ..manifest import load_manifest
from ..rules import evaluate
from .common import (emit_report, format_option, geoip_option, lang_option, load_options, sheet_option,
                     suppressions_option)


@click.command("evaluate")
@click.option("--manifest", "-m", "manifest_path", type=click.Path(dir_okay=False), default=None,
              help="Declared manifest (YAML). Without it nothing is judged: not_judged (exit 3), never a pass.")
@click.argument("event_files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@format_option()
@lang_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the report here.")
@suppressions_option
@geoip_option
@sheet_option
def command(manifest_path, event_files, fmt, lang, output, suppressions, geoip, sheet):
    """Evaluate EVENT_FILES (events.jsonl, net.jsonl, ...: merged on one clock) and print a report.

    Exit code: 0 pass, 1 fail, 2 bad input, 3 incomplete evidence.
    """
    manifest = load_manifest(manifest_path) if manifest_path else None
    options = load_options(suppressions, geoip)
    for f in event_files:
        check_event_log(f)
    from ..net.rematch import streams_with_rematch  # derived values re-matched over flows.mitm next to net.jsonl
    report = evaluate(merge_streams(streams_with_rematch(event_files, manifest)), manifest, options)
    from ..formats.reads import reads_from_files
    emit_report(report, fmt, lang, output, reads=lambda: reads_from_files(event_files, manifest), sheet=sheet)
    return report.exit_code
