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
from .common import EXIT_INPUT, geoip_option, lang_option, load_options, settle_option, suppressions_option

from .common import REPORT_FORMATS as FORMATS


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
@click.option("--apk", default=None, type=click.Path(dir_okay=False),
              help="The APK to install and run (scenario runs); without --scenario it may be left out if --package is given.")
@click.option("--manifest", "-m", "manifest_path", required=True, type=click.Path(dir_okay=False),
              help="Declared manifest of the app.")
@click.option("--scenario", "scenario_path", default=None, type=click.Path(dir_okay=False),
              help="Scenario file. Without it: explore mode (drive the app by hand; reads and sends are printed "
                   "live; Ctrl-C judges and seals).")
@click.option("--package", "package", default=None,
              help="Explore mode: the installed app's package (default: the APK's, else the manifest's).")
@click.option("--attach", is_flag=True,
              help="Explore mode: attach to the already running app instead of spawning it (what ran before is not "
                   "seen: the report is incomplete and says so).")
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
@click.option("--devices", default=None, help="all or SERIAL,SERIAL...: the scenario on several devices in parallel, "
              "one evidence folder each under --out, then the merged table (docs/fleet.md).")
@click.option("--cluster", default=None, help="With --devices: run on Dask workers that have the phones "
              "(tcp://SCHEDULER:8786; workers started with --resources device=N).")
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
@click.option("--calibration", "calibration", type=click.Path(), default=None,
              help="calibration.json of `sdkgate calibrate` on this device (default: the one cached for this device "
                   "and agent build, if any); recorded in run.json, rows that did not fire make their categories incomplete.")
@click.option("--require-calibration", is_flag=True, default=False,
              help="A run whose agent is not calibrated on this device is incomplete (default: a note in the report).")
@click.option("--allow-package-mismatch", "allow_mismatch", is_flag=True,
              help="Run an APK whose package differs from the manifest's app.package (a renamed build); "
                   "without it that is bad input (exit 2).")
@lang_option
@suppressions_option
@geoip_option
@settle_option
def command(apk, manifest_path, scenario_path, package, attach, serial, out_dir, fmt, output, sign_key, make_zip,
            ui_file, proxy_route, proxy_host, offline, confdir, lang, suppressions, geoip, settle_ms, devices=None,
            cluster=None, capture="proxy", allow_quic=False, unpin=False, wireguard_port=51820, calibration=None,
            require_calibration=False, allow_mismatch=False):
    """Run a scenario on a real device or emulator and judge it (same evidence folder as `simulate`).

    Without --scenario, explore mode: `sdkgate run --package PKG -m M.yaml` spawns the installed app with the
    agent and the proxy, prints every read and send as it happens (actor, data, before/after consent; the
    consent moment is the tap on the manifest's consent control), and judges and seals the evidence when
    you press Ctrl-C. --attach attaches to the running app instead (and says what it could not see).
    """
    from ..extras import require
    require("device", "proxy", *(("fleet",) if (devices or cluster) else ()), what="sdkgate run")
    if not cluster:
        _require_adb()
    from ..bundle import seal
    from ..device.backend import DeviceBackend, DeviceOptions
    from ..device.checks import default_confdir
    from ..manifest import load_manifest
    from ..scenario.backend import BackendUnavailable
    from ..scenario.model import load_scenario
    from ..scenario.runner import RunOptions, run_scenario

    explore = scenario_path is None
    if attach and not explore:
        raise InputError(None, "--attach", "only in explore mode (without --scenario)")
    if apk is None and not (explore and package):
        raise InputError(None, "--apk", "give the APK (or, in explore mode without --scenario, --package PKG)")
    if apk is not None:
        if not Path(apk).is_file():
            raise InputError(apk, None, "APK not found")
        _check_apk(apk)
    eval_opts = load_options(suppressions, geoip)   # bad suppression / GeoIP files are bad input up front
    if sign_key:
        from ..bundle.sign import load_private_key
        load_private_key(sign_key)                  # a bad key is bad input before anything runs
    if proxy_route == "settings" and not proxy_host:
        raise InputError(None, "--proxy-route settings", "give --proxy-host (this machine's address on the device's network)")
    import tempfile
    tmp = tempfile.TemporaryDirectory(prefix="sdkgate-explore-")
    if explore:
        from ..device.explore import write_scenario
        scenario_path = str(write_scenario(Path(tmp.name)))
    sc = load_scenario(scenario_path)
    manifest = load_manifest(manifest_path)
    sc.check_manifest(manifest)
    if apk is not None:             # the manifest must describe this app (issue 20): said before any device is touched
        from ..packagecheck import apk_package, check_package
        note = check_package(apk, apk_package(apk), manifest, allow_mismatch)
        if note:
            click.echo(f"sdkgate: warning: {note}", err=True)
    if devices or cluster:
        from ..device.multi import DeviceJob, cli_run_devices
        if serial or not devices:
            raise InputError(None, "--devices", "use --devices all|SERIAL,... (not --device) for several devices; "
                             "--cluster needs --devices")
        if explore or apk is None:
            raise InputError(None, "--devices", "several devices play a scenario: give --scenario and --apk")
        if calibration or require_calibration:
            raise InputError(None, "--calibration", "a calibration is one device's: use it with --device, not --devices")
        return cli_run_devices(devices, cluster, DeviceJob(
            serial="", apk=str(Path(apk).resolve()), manifest=str(Path(manifest_path).resolve()),
            scenario=str(Path(scenario_path).resolve()), out_dir=str(Path(out_dir).resolve()) if out_dir else "",
            ui_routes=load_ui_routes(ui_file), proxy_route=proxy_route, proxy_host=proxy_host, offline=offline,
            confdir=confdir, suppressions=str(Path(suppressions).resolve()) if suppressions else None,
            geoip=str(Path(geoip).resolve()) if geoip else None, sign_key=sign_key, make_zip=make_zip),
            sc.name, fmt, output, lang)
    out = Path(out_dir) if out_dir else default_out_dir(sc.name, serial)
    backend = DeviceBackend(DeviceOptions(serial=serial, apk=Path(apk) if apk else None, package=package,
                                          features=load_ui_routes(ui_file),
                                          proxy_route=proxy_route, proxy_host=proxy_host))
    backend.capture = capture       # device/capture.py sets the tunnel or routes up (and undoes them)
    from ..calibration.record import RunCalibration
    device = backend
    on_start = RunCalibration(calibration, require_calibration, lambda: getattr(device.adb, "serial", None))
    if explore:
        from ..device.explore import ExploreBackend, LivePrinter
        backend = ExploreBackend(backend, LivePrinter(click.get_text_stream("stderr"), lang), attach=attach)
        click.echo(f"sdkgate: explore mode: use the app on the device; reads and sends appear below. "
                   f"Press Ctrl-C to judge and seal ({out}).", err=True)
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
    out_was_there = out.exists()
    try:
        from .. import terminal
        with terminal.reporting(f"run {sc.name}"):
            result = run_scenario(sc, manifest, backend, out, RunOptions(proxy_factory=proxy_factory,
                                                                         eval=eval_opts, settle_ms=settle_ms,
                                                                         capture=capture, allow_quic=allow_quic,
                                                                         unpin=unpin, on_start=on_start))
        report = result.report
    except BackendUnavailable as exc:
        _discard(out, out_was_there)           # nothing ran: no evidence folder that looks like a run
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
    tmp.cleanup()
    if interrupted:
        click.echo(f"sdkgate: interrupted; evidence so far judged and sealed in {out}", err=True)
        return 130
    from ..formats.reads import reads_from_folder
    from .common import emit_report
    emit_report(report, fmt, lang, output, reads=lambda: reads_from_folder(out))
    click.echo(f"sdkgate: evidence in {out}" + (f" (and {out}.zip)" if make_zip else ""), err=True)
    return report.exit_code


ADB_HINT = ("install adb (Debian/Ubuntu: apt-get install adb; macOS: brew install android-platform-tools; or the Android "
            "SDK's platform-tools) or point ADBUTILS_ADB_PATH at it")


def _require_adb() -> None:
    """A run needs a working adb before anything starts: missing, it is bad set-up (exit 2), with how to install it."""
    from ..device.checks import adb_binary_check
    check = adb_binary_check()
    if check.status != "ok":
        raise InputError(None, "adb", f"{check.detail}; {ADB_HINT}")


def _discard(out: Path, was_there: bool) -> None:
    """Remove what a run that never started wrote (the folder itself too when the run created it; the runner
    refuses non-empty folders, so an existing one was empty)."""
    import shutil
    if not out.is_dir():
        return
    if not was_there:
        shutil.rmtree(out, ignore_errors=True)
        return
    for child in out.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _check_apk(apk: str) -> None:
    """A file that is not an APK is bad input before any device is touched (the scanner's bounded reader)."""
    from ..static.container import Archive, Budget, Limits
    arc = Archive.open(apk, apk, Budget(Limits()))
    try:
        if "AndroidManifest.xml" not in arc.names:
            raise InputError(apk, None, "no AndroidManifest.xml: not an APK")
    finally:
        arc.zf.close()


