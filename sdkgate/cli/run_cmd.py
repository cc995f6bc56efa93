"""`sdkgate run`: a scenario on a real phone or emulator, through the same runner as `simulate`.

Exit code = the verdict (0 pass, 1 fail, 3 incomplete); 2 bad input or a device that cannot be
used at all (nothing ran: the message says why, `sdkgate doctor` explains the fix); 130 Ctrl-C
(the evidence collected so far is still judged, sealed and kept).
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import click

from ..errors import InputError
from .common import EXIT_INPUT, geoip_option, lang_option, load_options, suppressions_option

FORMATS = ("console", "json", "junit", "sarif")


def default_out_dir(scenario_name: str, serial: str | None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{scenario_name}-{serial or 'device'}").strip("-")
    return Path("out") / f"{safe}-{time.strftime('%Y%m%d-%H%M%S')}"


def load_ui_routes(path: str | None) -> dict:
    """--ui FILE: how to reach each manifest feature on the device (device detail stays out of scenarios).

        features:
          location_job_search: {text: ["附近职位", "Nearby jobs"]}
          face_verification: {resource_id: "com.example.recruit:id/btn_face"}
          clipboard_paste: {activity: "com.example.recruit/.PasteActivity"}
    """
    if not path:
        return {}
    from ..yamlio import line, load_yaml
    data = load_yaml(path)
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, dict):
        raise InputError(path, None, "expected a mapping 'features: {name: {text|resource_id|activity|uri: ...}}'")
    for name, route in feats.items():
        if not isinstance(route, dict) or not set(route) & {"text", "resource_id", "activity", "uri"}:
            raise InputError(path, line(feats, name), f"feature {name!r}: give one of text, resource_id, activity, uri")
    return {k: dict(v) for k, v in feats.items()}


@click.command("run")
@click.option("--apk", required=True, type=click.Path(dir_okay=False), help="The APK to install and run.")
@click.option("--manifest", "-m", "manifest_path", required=True, type=click.Path(dir_okay=False),
              help="Declared manifest of the app.")
@click.option("--scenario", "scenario_path", required=True, type=click.Path(dir_okay=False), help="Scenario file.")
@click.option("--device", "serial", default=None, help="adb serial (or HOST:PORT of a remote adb endpoint).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Evidence folder to create; default out/<scenario>-<device>-<time>/.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="console", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the report here.")
@click.option("--sign", "sign_key", type=click.Path(dir_okay=False), default=None,
              help="Ed25519 private key (PEM/OpenSSH): write bundle.sig next to bundle.json.")
@click.option("--zip", "make_zip", is_flag=True, help="Also pack the evidence folder into DIR.zip.")
@click.option("--ui", "ui_file", type=click.Path(dir_okay=False), default=None,
              help="YAML: how to open each manifest feature on the device.")
@click.option("--proxy-route", type=click.Choice(["reverse", "settings"]), default="reverse", show_default=True,
              help="reverse: adb reverse + http_proxy=127.0.0.1:P (USB, emulators, farms); settings: http_proxy=HOST:P.")
@click.option("--proxy-host", default=None, help="This machine's address as the device sees it (--proxy-route settings).")
@click.option("--offline", is_flag=True, help="Answer every request locally (HTTP 204); nothing reaches the SDKs' servers.")
@click.option("--confdir", type=click.Path(file_okay=False), default=None,
              help="mitmproxy CA folder (the CA installed on the device); default ~/.mitmproxy or $SDKGATE_CONFDIR.")
@click.option("--capture", type=click.Choice(["proxy", "wireguard", "transparent"]), default="proxy", show_default=True,
              help="proxy: system HTTP proxy (partial); wireguard: all TCP/UDP/DNS through mitmproxy's WireGuard "
                   "mode (WireGuard app on the device); transparent: rooted emulator, uid routed (docs/ci.md).")
@click.option("--allow-quic", is_flag=True, default=False,
              help="Do not refuse UDP/443 in the app: QUIC destinations then count as not observed.")
@click.option("--unpin", is_flag=True, default=False,
              help="Disable certificate pinning in the app (OkHttp3 CertificatePinner, Conscrypt TrustManagerImpl, "
                   "network security config, WebViewClient.onReceivedSslError); recorded in run.json and the report.")
@click.option("--wireguard-port", type=click.IntRange(1, 65535), default=51820, show_default=True,
              help="UDP port of mitmproxy's WireGuard server (--capture wireguard).")
@lang_option
@suppressions_option
@geoip_option
def command(apk, manifest_path, scenario_path, serial, out_dir, fmt, output, sign_key, make_zip, ui_file,
            proxy_route, proxy_host, offline, confdir, capture, allow_quic, unpin, wireguard_port, lang, suppressions,
            geoip):
    """Run a scenario on a real device or emulator and judge it (same evidence folder as `simulate`)."""
    from ..bundle import seal
    from ..device.backend import DeviceBackend, DeviceOptions
    from ..device.checks import default_confdir
    from ..manifest import load_manifest
    from ..scenario.backend import BackendUnavailable
    from ..scenario.model import load_scenario
    from ..scenario.runner import RunOptions, run_scenario

    if not Path(apk).is_file():
        raise InputError(apk, None, "APK not found")
    _check_apk(apk)
    eval_opts = load_options(suppressions, geoip)   # bad suppression / GeoIP files are bad input up front
    if sign_key:
        from ..bundle.sign import load_private_key
        load_private_key(sign_key)                  # a bad key is bad input before anything runs
    if proxy_route == "settings" and not proxy_host:
        raise InputError(None, "--proxy-route settings", "give --proxy-host (this machine's address on the device's network)")
    sc = load_scenario(scenario_path)
    manifest = load_manifest(manifest_path)
    sc.check_manifest(manifest)
    out = Path(out_dir) if out_dir else default_out_dir(sc.name, serial)
    backend = DeviceBackend(DeviceOptions(serial=serial, apk=Path(apk), features=load_ui_routes(ui_file),
                                          proxy_route=proxy_route, proxy_host=proxy_host))
    backend.capture = capture       # device/capture.py sets the tunnel or routes up (and undoes them)
    ca_dir = Path(confdir) if confdir else default_confdir()
    listen = "0.0.0.0" if proxy_route == "settings" else "127.0.0.1"   # noqa: S104 - the device must reach it

    from ..net.modes import listener_modes
    modes = listener_modes(capture, simulated=False, wireguard_port=wireguard_port)

    def proxy_factory(out_dir: Path, canaries_path: Path, t0: int, mpath: Path):
        from ..net.proxy import ProxyProcess
        ca_dir.mkdir(parents=True, exist_ok=True)
        return ProxyProcess(canaries=canaries_path, out_dir=out_dir, offline=offline, manifest=mpath,
                            confdir=ca_dir, listen_host=listen, t0_ms=t0, modes=modes)

    interrupted = False
    try:
        result = run_scenario(sc, manifest, backend, out, RunOptions(proxy_factory=proxy_factory,
                                                                               eval=eval_opts, capture=capture,
                                                                               allow_quic=allow_quic, unpin=unpin))
        report = result.report
    except BackendUnavailable as exc:
        click.echo(f"sdkgate: error: device unavailable: {exc}\n  (nothing ran; `sdkgate doctor` lists what is "
                   f"missing and how to fix it)", err=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        interrupted = True
        report = None
    for line in backend.teardown_log:
        if line.startswith("failed"):
            click.echo(f"sdkgate: teardown {line}", err=True)
    seal(out, apk=apk, sign_key=sign_key, make_zip=make_zip)
    if interrupted:
        click.echo(f"sdkgate: interrupted; evidence so far judged and sealed in {out}", err=True)
        return 130
    from .. import formats
    text = formats.render(report, fmt, lang)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(f"sdkgate: evidence in {out}" + (f" (and {out}.zip)" if make_zip else ""), err=True)
    return report.exit_code


def _check_apk(apk: str) -> None:
    """A file that is not an APK is bad input before any device is touched (the scanner's bounded reader)."""
    from ..static.container import Archive, Budget, Limits
    arc = Archive.open(apk, apk, Budget(Limits()))
    try:
        if "AndroidManifest.xml" not in arc.names:
            raise InputError(apk, None, "no AndroidManifest.xml: not an APK")
    finally:
        arc.zf.close()


