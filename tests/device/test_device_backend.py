"""The device backend against stand-ins at the adbutils / uiautomator2 / frida boundaries, driven by
the real scenario runner (and, where the runner needs one, the real proxy)."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from sdkgate.device.backend import REMOTE_APK, DeviceBackend, DeviceOptions
from sdkgate.device.checks import device_checks
from sdkgate.manifest import load_manifest
from sdkgate.scenario.backend import BackendUnavailable, ProxyInfo, RunClock, RunContext, StepFailed, TargetDied
from sdkgate.scenario.model import load_scenario
from sdkgate.scenario.runner import RunOptions, run_scenario
from tests.bundle.evidence_kit import DEMO_MANIFEST
from tests.device.fakes import PKG, FakeAdbDevice, FakeFridaDevice, FakeUiDevice, RecordingLoader

AGREE = ("resourceId", "com.example.recruit:id/btn_agree")
PORT = 18765


@pytest.fixture
def manifest():
    return load_manifest(DEMO_MANIFEST)


@pytest.fixture
def apk(tmp_path):
    p = tmp_path / "app.apk"
    p.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return p


def make(apk, *, adb=None, ui=None, frida=None, **opt):
    adb = adb or FakeAdbDevice()
    ui = ui if ui is not None else FakeUiDevice(visible={AGREE})
    frida = frida or FakeFridaDevice()
    loader = RecordingLoader()
    be = DeviceBackend(DeviceOptions(apk=apk, package=PKG, ui_timeout_s=0.3, start_check_s=0.2, **opt),
                       adb_device=adb, ui_device=ui, frida_device=frida, agent_loader=loader)
    return be, adb, ui, frida, loader


def context(tmp_path, manifest, events, proxy=True):
    return RunContext(out_dir=tmp_path, clock=RunClock(), manifest=manifest,
                      canaries={"clipboard": "sdkgate-clip-0123abcd"}, emit=events.append,
                      proxy=ProxyInfo("127.0.0.1", PORT, tmp_path / "ca.pem") if proxy else None)


def scenario_file(tmp_path, steps: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    p = tmp_path / "sc.yaml"
    p.write_text(f"name: device-test\nmanifest: {DEMO_MANIFEST}\nsteps:\n{steps}", "utf-8")
    return p


def assert_torn_down(adb, ui, frida, proxy=True):
    if proxy:
        assert adb.settings.get("global http_proxy") is None      # put :0 then deleted: back to no proxy
        assert "settings put global http_proxy :0" in adb.calls
    assert adb.reverses == set()
    assert f"am force-stop {PKG}" in adb.calls
    assert all(s.detached for s in frida.sessions)
    assert ui.stopped and ui.clipboard_value == ""


def test_exact_commands_of_a_run(tmp_path, manifest, apk):
    be, adb, ui, frida, loader = make(apk)
    events = []
    be.start(context(tmp_path, manifest, events))
    assert adb.calls[:3] == ["ps -A -o PID,NAME", "ls /data/local/tmp", "/data/local/tmp/frida-server --version"]
    assert adb.calls[3:7] == ["settings get secure android_id", "settings get global http_proxy",
                             f"reverse tcp:{PORT} tcp:{PORT}", f"settings put global http_proxy 127.0.0.1:{PORT}"]
    assert ui.clipboard_value == "sdkgate-clip-0123abcd"          # canary planted on the device clipboard
    info = be.info()
    text = json.dumps(info)
    assert "EMULATOR33X1X1" not in text and "a1b2c3d4e5f60718" not in text and "emulator-5554" not in text
    assert info["device"]["model"] == "sdk_gphone64_x86_64" and info["device"]["ids"]["serial"].startswith("sha256:")
    adb.calls.clear()
    assert be.fresh_install().ok
    assert adb.calls == [f"am force-stop {PKG}", f"pm uninstall {PKG}", f"pm install -r -t {REMOTE_APK}",
                         f"rm -f {REMOTE_APK}"]
    assert adb.pushes == [(str(apk), REMOTE_APK)]
    out = be.launch()
    assert frida.calls == [("enable_spawn_gating",), ("spawn", (PKG,)), ("attach", 4242), ("resume", 4242)]
    assert loader.loads == [(4242, PKG)]                         # agent in before resume
    assert loader.processes == [(4242, PKG)]                     # its events are stamped with the process
    assert out.t_ms is not None
    c = be.consent("accept", "policy")
    assert c.ok and ui.clicks == [AGREE] and c.t_ms >= out.t_ms
    assert (tmp_path / c.data["screenshot"]).is_file()           # the consent dialog, as tapped
    adb.calls.clear()
    r = be.permission("deny", "android.permission.READ_PHONE_STATE")   # no dialog showing
    assert adb.calls == [f"pm revoke {PKG} android.permission.READ_PHONE_STATE"]
    assert r.results == {"android.permission.READ_PHONE_STATE": "denied"}
    adb.calls.clear()
    be.clear_data()
    assert adb.calls == [f"am force-stop {PKG}", f"pm clear {PKG}"]
    assert loader.closed == 1 and frida.calls[-1] == ("kill", 4242)
    be.launch()
    adb.calls.clear()
    be.background()
    be.foreground()
    assert adb.calls == ["input keyevent KEYCODE_HOME", f"monkey -p {PKG} -c android.intent.category.LAUNCHER 1"]
    be.stop()
    be.stop()                                                    # idempotent
    assert_torn_down(adb, ui, frida)
    assert adb.calls.count(f"reverse --remove tcp:{PORT}") == 1


def test_permission_dialog_is_tapped(tmp_path, manifest, apk):
    ui = FakeUiDevice(visible={AGREE, ("resourceId", "com.android.permissioncontroller:id/permission_allow_button")})
    be, adb, ui, frida, _ = make(apk, ui=ui)
    be.start(context(tmp_path, manifest, []))
    be.launch()
    r = be.permission("grant", "android.permission.ACCESS_FINE_LOCATION")
    assert ui.clicks[-1] == ("resourceId", "com.android.permissioncontroller:id/permission_allow_button")
    assert r.results == {"android.permission.ACCESS_FINE_LOCATION": "granted"}
    assert not any(c.startswith("pm grant") for c in adb.calls)
    be.stop()


def test_clock_needs_root(tmp_path, manifest, apk):
    be, adb, *_ = make(apk)
    be.start(context(tmp_path, manifest, [], proxy=False))
    t0 = adb.epoch
    assert be.advance_clock(49 * 3600 * 1000).ok
    assert adb.epoch == t0 + 49 * 3600 and "settings put global auto_time 0" in adb.calls
    assert f"date -u @{t0 + 49 * 3600}" in adb.calls
    be.stop()
    assert adb.settings["global auto_time"] == "1"                # restored
    be2, adb2, *_ = make(apk, adb=FakeAdbDevice(root=False))
    be2.start(context(tmp_path / "b", manifest, [], proxy=False))
    with pytest.raises(StepFailed, match="needs root"):
        be2.advance_clock(49 * 3600 * 1000)
    be2.stop()


def test_frida_server_major_mismatch(tmp_path, manifest, apk):
    be, adb, *_ = make(apk, adb=FakeAdbDevice(frida_server="16.5.9"))
    with pytest.raises(BackendUnavailable) as err:
        be.start(context(tmp_path, manifest, []))
    msg = str(err.value)
    assert "frida-server 16.5.9" in msg and "major versions must match" in msg and "install frida-server-17." in msg
    import frida
    assert f"frida-server-{frida.__version__}-android-" in msg     # the exact release file (the fake's ABI)
    checks = {c.name: c for c in device_checks(FakeAdbDevice(frida_server="16.5.9"))}
    assert checks["frida-server"].status == "problem" and "17." in checks["frida-server"].fix
    ok = {c.name: c for c in device_checks(FakeAdbDevice())}
    assert ok["frida-server"].status == "ok" and ok["root"].status == "ok" and ok["free storage"].status == "ok"
    stale = {c.name: c for c in device_checks(FakeAdbDevice(http_proxy="127.0.0.1:8080"))}
    assert stale["proxy route"].status == "warning" and "http_proxy :0" in stale["proxy route"].fix


def test_app_crash_at_start(tmp_path, manifest, apk):
    be, adb, ui, frida, _ = make(apk, frida=FakeFridaDevice(crash_on_resume="process-terminated"))
    be.start(context(tmp_path, manifest, [], proxy=False))
    with pytest.raises(TargetDied, match="died right after launch"):
        be.launch()
    be.stop()


# --- through the real runner -------------------------------------------------------------------

def proxy_factory():
    from sdkgate.net.proxy import ProxyProcess

    def factory(out_dir, canaries_path, t0, mpath):
        return ProxyProcess(canaries=canaries_path, out_dir=out_dir, offline=True, manifest=mpath, t0_ms=t0)
    return factory


def run(tmp_path, be, steps, proxy=False):
    sc = load_scenario(scenario_file(tmp_path, steps))
    factory = proxy_factory() if proxy else (lambda *a: _NoProxy())
    return run_scenario(sc, load_manifest(DEMO_MANIFEST), be, tmp_path / "out", RunOptions(proxy_factory=factory))


class _NoProxy(contextlib.AbstractContextManager):
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def step_events(out: Path) -> list[dict]:
    return [json.loads(ln) for ln in (out / "events.jsonl").read_text("utf-8").splitlines() if '"source":"step"' in ln]


def test_runner_with_real_proxy_and_teardown(tmp_path, apk):
    be, adb, ui, frida, loader = make(apk)
    res = run(tmp_path, be, "  - fresh_install\n  - launch\n  - wait: 100ms\n  - consent: accept\n  - kill\n", proxy=True)
    port = res.run["proxy"]["port"]
    assert f"reverse tcp:{port} tcp:{port}" in adb.calls
    assert f"settings put global http_proxy 127.0.0.1:{port}" in adb.calls
    assert_torn_down(adb, ui, frida)
    consent = [e for e in step_events(res.out_dir) if e["kind"] == "consent"]
    assert consent and consent[0]["transition"] == "granted"
    assert res.run["backend"] == "device" and res.run["backend_info"]["device"]["ids"]["serial"].startswith("sha256:")


def test_consent_control_never_found(tmp_path, apk):
    be, adb, ui, frida, _ = make(apk, ui=FakeUiDevice(visible=set()))
    res = run(tmp_path, be, "  - fresh_install\n  - launch\n  - consent: accept\n")
    failed = [e for e in step_events(res.out_dir) if e["kind"] == "step" and e["status"] == "failed"]
    assert len(failed) == 1 and "never found" in failed[0]["detail"]
    assert "com.example.recruit:id/btn_agree" in failed[0]["detail"] and "'同意'" in failed[0]["detail"]
    shot = failed[0]["screenshot"]
    assert (res.out_dir / shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert res.report.verdict == "incomplete"
    assert_torn_down(adb, ui, frida, proxy=False)


def test_device_disconnects_mid_run(tmp_path, apk):
    be, adb, ui, frida, _ = make(apk)

    def unplug(_key):
        adb.gone = True
        frida.sessions[-1].fire_detached("device-lost")
    ui.on_click = unplug
    res = run(tmp_path, be, "  - fresh_install\n  - launch\n  - consent: accept\n  - wait: 200ms\n  - background\n")
    kinds = [(e["kind"], e.get("what")) for e in step_events(res.out_dir)]
    assert ("lifecycle", "died") in kinds
    died = [e for e in step_events(res.out_dir) if e.get("what") == "died"][0]
    assert "disconnected" in died["detail"]
    assert res.report.verdict == "incomplete"
    assert "ok: detach frida session" in be.teardown_log          # teardown ran on a gone device, did not raise


def test_teardown_on_step_failure_and_ctrl_c(tmp_path, apk):
    be, adb, ui, frida, _ = make(apk)
    original = adb.shell

    def failing(cmd, **kw):
        if cmd.startswith("pm install"):
            return "Failure [INSTALL_FAILED_INSUFFICIENT_STORAGE]"
        return original(cmd, **kw)
    adb.shell = failing
    res = run(tmp_path / "a", be, "  - fresh_install\n  - launch\n")
    assert res.report.verdict == "incomplete"
    assert_torn_down(adb, ui, frida, proxy=False)

    be2, adb2, ui2, frida2, _ = make(apk)

    def ctrl_c(_key):
        raise KeyboardInterrupt
    ui2.on_click = ctrl_c
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path / "b", be2, "  - fresh_install\n  - launch\n  - consent: accept\n  - wait: 5s\n")
    assert_torn_down(adb2, ui2, frida2, proxy=False)
    report = json.loads((tmp_path / "b" / "out" / "report.json").read_text("utf-8"))
    assert report["verdict"] == "incomplete"
