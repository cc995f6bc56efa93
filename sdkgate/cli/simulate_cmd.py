"""`sdkgate simulate`: run a scenario on the simulated device and leave an evidence folder.

Exit code = the verdict (0 pass, 1 fail, 3 incomplete; 2 bad input or an agent that does not
build or load: nothing ran). When the scenario carries expectations for the app model run and
they are not met, stderr says which ("expectation not met: ...") and a pass becomes exit 1, so
a mismatch never exits 0; a met expectation is reported on stderr too.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import click

from ..errors import InputError
from .common import (EXIT_FAIL, EXIT_INPUT, format_option, geoip_option, lang_option, load_options,
                     settle_option, suppressions_option)


def default_out_dir(scenario_name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", scenario_name).strip("-") or "scenario"
    return Path("out") / f"{safe}-{time.strftime('%Y%m%d-%H%M%S')}"


@click.command("simulate")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--app-model", "app_model", type=click.Path(dir_okay=False), default=None,
              help="App model (YAML) to play; default: the scenario's app-model.")
@click.option("--manifest", "-m", "manifest_path", type=click.Path(dir_okay=False), default=None,
              help="Declared manifest; default: the scenario's manifest.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Evidence folder to create (must not exist or be empty); default out/<scenario>-<time>/.")
@click.option("--no-proxy", is_flag=True, default=False,
              help="Do not run the proxy (no network evidence: the model's sends are skipped and the verdict is at best incomplete).")
@format_option()
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the report here instead of stdout (its folder is created).")
@lang_option
@suppressions_option
@geoip_option
@click.option("--sign", "sign_key", type=click.Path(dir_okay=False), default=None,
              help="Ed25519 private key (PEM/OpenSSH): write bundle.sig next to bundle.json.")
@click.option("--zip", "make_zip", is_flag=True, help="Also pack the evidence folder into DIR.zip.")
@settle_option
@click.option("--allow-quic", is_flag=True, default=False,
              help="Do not refuse UDP/443 in the app: QUIC destinations then count as not observed.")
def command(scenario, app_model, manifest_path, out_dir, no_proxy, fmt, output, lang, suppressions, geoip, sign_key,
            make_zip, settle_ms, allow_quic):
    """Run SCENARIO on the simulated device (real agent in real Frida, real proxy) and judge it.

    Writes events.jsonl, net.jsonl, flows.mitm, flows.har, run.json and report.json to the
    evidence folder, prints the report, exits with the verdict (0 pass, 1 fail, 3 incomplete,
    2 bad input). `sdkgate evaluate -m manifest.yaml events.jsonl net.jsonl` on the folder gives
    the same findings.
    """
    from ..extras import require
    require("device", "proxy", what="sdkgate simulate")
    from ..dynamic.appmodel import load_app_model
    from ..dynamic.simulator import SimulatedDevice
    from ..manifest import load_manifest
    from ..scenario.backend import BackendUnavailable
    from ..scenario.model import load_scenario
    from ..scenario.runner import RunOptions, run_scenario

    sc = load_scenario(scenario)
    mpath = Path(manifest_path) if manifest_path else sc.manifest
    if mpath is None:
        raise InputError(scenario, None, "no manifest: give --manifest or 'manifest:' in the scenario")
    manifest = load_manifest(mpath)
    model_path = Path(app_model) if app_model else sc.app_model
    if model_path is None:
        raise InputError(scenario, None, "no app model: give --app-model or 'app-model:' in the scenario")
    model = load_app_model(model_path, manifest)
    sc.check_manifest(manifest)
    out = Path(out_dir) if out_dir else default_out_dir(sc.name)
    if sign_key:
        from ..bundle.sign import load_private_key
        load_private_key(sign_key)                  # a bad key is bad input before anything runs
    options = RunOptions(app_model=model_path, proxy_factory=(lambda *a: _NoProxy()) if no_proxy else None,
                         allow_quic=allow_quic,
                         eval=load_options(suppressions, geoip), settle_ms=settle_ms)
    try:
        from .. import terminal
        with terminal.reporting(f"simulate {sc.name}"):
            result = run_scenario(sc, manifest, SimulatedDevice(model), out, options)
    except BackendUnavailable as exc:
        click.echo(f"sdkgate: error: cannot run the scenario: {exc} (nothing ran; see {out}/run.json)", err=True)
        return EXIT_INPUT
    from ..bundle import seal
    seal(result.out_dir, sign_key=sign_key, make_zip=make_zip)
    from ..formats.reads import reads_from_folder
    from .common import emit_report
    emit_report(result.report, fmt, lang, output, reads=lambda: reads_from_folder(result.out_dir, manifest))
    click.echo(f"sdkgate: evidence in {result.out_dir}" + (f" (and {result.out_dir}.zip)" if make_zip else ""), err=True)
    code = result.exit_code
    exp = result.expectation
    if exp is not None:
        if exp.met:
            click.echo(f"sdkgate: expectation met ({_describe(exp.expectation)})", err=True)
        else:
            click.echo("sdkgate: expectation not met: " + "; ".join(exp.mismatches), err=True)
            if code == 0:
                code = EXIT_FAIL
    return code


def _describe(e) -> str:
    parts = [f"verdict {e.verdict}"] if e.verdict else []
    if e.rules:
        parts.append("rules " + ", ".join(e.rules))
    if e.absent_rules:
        parts.append("absent " + ", ".join(e.absent_rules))
    return "; ".join(parts) or "no conditions"


class _NoProxy:
    """--no-proxy: the runner's proxy slot left empty."""

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
