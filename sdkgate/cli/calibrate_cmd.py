"""`sdkgate calibrate`: how much of the sensitive-API table the agent really sees on this device.

Exit code: 0 every applicable row and check fired; 3 some did not (listed); 2 bad input or a device that cannot
be used (nothing ran); 130 Ctrl-C.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import click

from .common import EXIT_INPUT, lang_option, settle_option


def default_out_dir(serial: str | None, simulated: bool) -> Path:
    who = "simulated" if simulated else (serial or "device")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", who).strip("-")
    return Path("out") / f"calibration-{safe}-{time.strftime('%Y%m%d-%H%M%S')}"


@click.command("calibrate")
@click.option("--serial", "--device", "serial", default=None, help="adb serial (or HOST:PORT of a remote adb endpoint).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Evidence folder to create; default out/calibration-<device>-<time>/.")
@click.option("--simulated", is_flag=True, default=False,
              help="Calibrate the simulated device instead (a self-test of this agent build: no phone needed).")
@click.option("--format", "fmt", type=click.Choice(["console", "json"]), default="console", show_default=True,
              help="What goes to stdout: the console view, or calibration.json.")
@click.option("--proxy-route", type=click.Choice(["reverse", "settings"]), default="reverse", show_default=True,
              help="As for `run`: reverse (adb reverse + http_proxy=127.0.0.1:P) or settings (http_proxy=HOST:P).")
@click.option("--proxy-host", default=None, help="This machine's address as the device sees it (--proxy-route settings).")
@click.option("--confdir", type=click.Path(file_okay=False), default=None,
              help="mitmproxy CA folder (the CA installed on the device); default ~/.mitmproxy or $SDKGATE_CONFDIR.")
@click.option("--capture", type=click.Choice(["proxy", "wireguard", "transparent"]), default="proxy", show_default=True,
              help="Capture mode, as for `run` (calibrate with the mode your runs use).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
              help="Where `run` finds calibrations (default $SDKGATE_CALIBRATION_CACHE or ~/.cache/sdkgate/calibration).")
@click.option("--sign", "sign_key", type=click.Path(dir_okay=False), default=None,
              help="Ed25519 private key (PEM/OpenSSH): write bundle.sig next to bundle.json.")
@click.option("--zip", "make_zip", is_flag=True, help="Also pack the evidence folder into DIR.zip.")
@settle_option
@lang_option
def command(serial, out_dir, simulated, fmt, proxy_route, proxy_host, confdir, capture, cache_dir, sign_key, make_zip,
            settle_ms, lang):
    """Install the calibration probe (an APK generated from the sensitive-API table), run its scenario through the
    same runner as `run`, and compare what the agent reported with what the probe did: per table row fired / not
    fired / not hookable / not applicable on this API level, plus processes, loaded code, sockets and consent taps.

    Writes calibration.json and calibration.html into a sealed evidence folder and keeps a copy in the cache, where
    `sdkgate run` finds it for the same device and agent build ("agent calibrated on this device: N/M rows").
    """
    from ..bundle import seal
    from ..calibration.flow import FEATURES, ProbeDevice, calibrate, probe_file
    from ..calibration.plan import PACKAGE
    from ..calibration.views import render_console
    from ..errors import InputError
    from ..scenario.backend import BackendUnavailable
    from ..scenario.runner import RunOptions
    from .common import console_style

    if sign_key:
        from ..bundle.sign import load_private_key
        load_private_key(sign_key)
    if proxy_route == "settings" and not proxy_host:
        raise InputError(None, "--proxy-route settings", "give --proxy-host (this machine's address on the device's network)")
    if simulated and serial:
        raise InputError(None, "--simulated", "the simulated device has no serial: leave out --serial")
    out = Path(out_dir) if out_dir else default_out_dir(serial, simulated)
    opts = RunOptions(settle_ms=settle_ms, capture=capture)
    if simulated:
        from ..dynamic.appmodel import load_app_model
        from ..dynamic.simulator import SimulatedDevice
        from ..manifest import load_manifest
        backend = SimulatedDevice(load_app_model(probe_file("probe-model.yaml"), load_manifest(probe_file("manifest.yaml"))))
    else:
        from ..device.backend import DeviceOptions
        from ..device.checks import default_confdir
        from ..net.modes import listener_modes
        backend = ProbeDevice(DeviceOptions(serial=serial, apk=probe_file("sdkgate-probe.apk"), package=PACKAGE,
                                            features=FEATURES, proxy_route=proxy_route, proxy_host=proxy_host))
        backend.capture = capture
        ca_dir = Path(confdir) if confdir else default_confdir()
        listen = "0.0.0.0" if proxy_route == "settings" else "127.0.0.1"   # noqa: S104 - the device must reach it
        modes = listener_modes(capture, simulated=False)

        def proxy_factory(out_dir: Path, canaries_path: Path, t0: int, mpath: Path):
            from ..net.proxy import ProxyProcess
            ca_dir.mkdir(parents=True, exist_ok=True)
            return ProxyProcess(canaries=canaries_path, out_dir=out_dir, offline=True, manifest=mpath,
                                confdir=ca_dir, listen_host=listen, t0_ms=t0, modes=modes)
        opts.proxy_factory = proxy_factory
    try:
        from .. import terminal
        with terminal.reporting("calibrate"):
            res = calibrate(backend, out, simulated=simulated, options=opts,
                            cache=Path(cache_dir) if cache_dir else None, lang=lang)
    except BackendUnavailable as exc:
        click.echo(f"sdkgate: error: device unavailable: {exc}\n  (nothing ran; `sdkgate doctor` lists what is "
                   "missing and how to fix it)", err=True)
        return EXIT_INPUT
    seal(res.out_dir, sign_key=sign_key, make_zip=make_zip)
    if fmt == "json":
        click.echo((res.out_dir / "calibration.json").read_text("utf-8"), nl=False)
    else:
        click.echo(render_console(res.record, str(res.out_dir), color=console_style(None)["color"]), nl=False)
    if res.cache_path is not None:
        click.echo(f"sdkgate: calibration kept for `sdkgate run` on this device: {res.cache_path}", err=True)
    if res.exit_code:
        missing = [r["id"] for r in res.record["rows"] if r["status"] == "not fired"]
        missing += [c["id"] for c in res.record["checks"] if c["status"] == "not fired"]
        click.echo(f"sdkgate: calibration incomplete: did not fire: {', '.join(missing)}", err=True)
    return res.exit_code
