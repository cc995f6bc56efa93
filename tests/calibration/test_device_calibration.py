"""`sdkgate calibrate` on the device backend, with stand-ins at the adb / uiautomator2 / frida boundaries and an
agent stand-in that reports what an agent unable to hook ClipboardManager.getText would see of the probe: the
probe is installed and launched, the ledger (logcat) is kept, the matrix names what did not fire and what the
device does not have, the folder is sealed, exit 3; then `run` finds the calibration in the cache and its report
says so, and categories that did not fire make the verdict incomplete."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkgate.bundle.verify import verify_bundle
from sdkgate.calibration.flow import FEATURES, LEDGER_FILE, ProbeDevice, calibrate, probe_file
from sdkgate.calibration.matrix import FIRED, NOT_APPLICABLE, NOT_FIRED, parse_ledger
from sdkgate.calibration.plan import PACKAGE, PROBE_PROCESS
from sdkgate.calibration.record import RunCalibration, cache_key, load_record
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.device.backend import DeviceOptions, agent_sha256
from sdkgate.events import Event
from sdkgate.manifest import load_manifest
from sdkgate.rules.calibration import NOT_CALIBRATED, NOT_OBSERVABLE, CalibrationRules
from sdkgate.rules.state import RunState
from sdkgate.scenario.model import load_scenario
from sdkgate.scenario.runner import RunOptions, run_scenario
from tests.device.fakes import FakeAdbDevice, FakeFridaDevice, FakeUiDevice

AGREE = ("resourceId", f"{PACKAGE}:id/btn_agree")
SELF_CLICK = ("resourceId", FEATURES["programmatic_consent"]["resource_id"])
UNHOOKED = "clipboard.getText"                        # the hook this agent lacks (textclipboard.getText shares it)
ABSENT = {"xiaomi.IdProvider.getOAID#0": "java.lang.NoClassDefFoundError",       # not a MIUI phone
          "pm.getInstalledPackages#1": "java.lang.NoSuchMethodError"}            # the API-33 overload


class ProbeAgent:
    """Takes the agent host's place: the hook events an agent without UNHOOKED reports of the probe's calls,
    loads, sockets and consent taps (the probe's schedule starts the :probe process)."""

    def __init__(self, frida: FakeFridaDevice, plan: dict):
        self.frida, self.plan, self.ctx, self.pids = frida, plan, None, {}

    def emit(self, kind: str, process: str, **fields):
        self.ctx.emit(Event(seq=0, t_ms=self.ctx.clock.now_ms(), source="hook", kind=kind,
                            extra={"process": process, "pid": self.pids[process], **fields}))

    def __call__(self, session, ctx, package, process=None, pid=None):
        self.ctx, proc = ctx, process or package
        self.pids[proc] = session.pid
        self.emit("agent_status", proc, status="loaded", dropped=0, hooked=120, missing=[UNHOOKED])
        where = "probe" if proc == PROBE_PROCESS else "main"
        for c in self.plan["calls"]:
            if c["process"] != where or c["expect"] == UNHOOKED or c["id"] in ABSENT:
                continue
            kind = "permission_request" if c["row"].startswith("perm.") else "read"
            self.emit(kind, proc, api_id=c["expect"], target=c["target"], thread="main",
                      stack=[f"{c['cls']}.{c['member']}(Native Method)", f"{c['method']}(Unknown Source:4)",
                             "com.sdkgate.probe.rows.Calls.run(Unknown Source:2)"])
        if where == "main":
            for loader, cls in (("dex", "DexClassLoader"), ("inmemory", "InMemoryDexClassLoader")):
                data = probe_file(f"probe-{loader}.dex").read_bytes()
                import hashlib
                sha = hashlib.sha256(data).hexdigest()
                (ctx.out_dir / "loaded").mkdir(exist_ok=True)
                (ctx.out_dir / "loaded" / f"{sha}.dex").write_bytes(data)
                self.emit("code_loaded", proc, loader=f"dalvik.system.{cls}.$init", sha256=sha, size=len(data),
                          file=f"loaded/{sha}.dex", stack=[f"com.sdkgate.probe.Loaders.{loader}(Unknown Source:9)"])
            for kind, proto, port in (("http", "tcp", 18080), ("tcp", "tcp", 18080), ("udp", "udp", 18080),
                                      ("dns", "udp", 53)):
                self.emit("net_connect", proc, ip="127.0.0.1", port=port, protocol=proto, call="connect",
                          stack=[f"com.sdkgate.probe.Sockets.{kind}(Unknown Source:3)"])
            self.frida.announce(PROBE_PROCESS)             # the schedule starts ProbeService in :probe

        class Handle:
            def close(self):
                pass
        return Handle()

    def on_click(self, key):
        """The consent taps: the user's on Agree; "Agree for me" makes the app click Agree itself."""
        evidence = {AGREE: "ui_tap", SELF_CLICK: "programmatic"}.get(key)
        if evidence:
            self.emit("consent", PACKAGE, scope="policy", transition="granted", evidence=evidence, control="id/btn_agree")


class ProbeAdb(FakeAdbDevice):
    """adb of an API-30 emulator whose logcat holds the probe's ledger."""

    def __init__(self, agent: ProbeAgent):
        super().__init__()
        self.props["ro.build.version.sdk"] = "30"
        self.agent = agent

    def shell(self, cmd, timeout=None, **kw):
        if cmd.startswith("logcat -d -v threadtime -s"):
            self.calls.append(cmd)
            lines = ["12-07 21:00:00.000  1111  1111 I sdkgate-probe: telephony.getImei#0 absent x"]  # another run
            for c in self.agent.plan["calls"]:
                proc = PROBE_PROCESS if c["process"] == "probe" else PACKAGE
                pid = self.agent.pids.get(proc, 9999)
                said = f"absent {ABSENT[c['id']]}" if c["id"] in ABSENT else "called"
                lines.append(f"12-07 21:00:01.000  {pid}  {pid} I sdkgate-probe: {c['id']} {said}")
            return "\n".join(lines) + "\n"
        return super().shell(cmd, timeout=timeout, **kw)


def _scenario(tmp: Path) -> Path:
    """The shipped scenario with short waits (the fakes need no time)."""
    text = probe_file("scenario.yaml").read_text("utf-8").replace("wait: 10s", "wait: 10ms").replace("wait: 1s", "wait: 10ms")
    text = text.replace("app-model: probe-model.yaml", f"app-model: {probe_file('probe-model.yaml')}")
    text = text.replace("manifest: manifest.yaml", f"manifest: {probe_file('manifest.yaml')}")
    p = tmp / "scenario.yaml"
    p.write_text(text, "utf-8")
    return p


@pytest.fixture(scope="module")
def device_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("devcal")
    plan = json.loads(probe_file("plan.json").read_text("utf-8"))
    frida = FakeFridaDevice()
    agent = ProbeAgent(frida, plan)
    adb, ui = ProbeAdb(agent), FakeUiDevice(visible={AGREE, SELF_CLICK})
    ui.on_click = agent.on_click
    backend = ProbeDevice(DeviceOptions(apk=probe_file("sdkgate-probe.apk"), package=PACKAGE, features=FEATURES,
                                        ui_timeout_s=0.3, start_check_s=0.05),
                          adb_device=adb, ui_device=ui, frida_device=frida, agent_loader=agent)
    res = calibrate(backend, tmp / "out", simulated=False, cache=tmp / "cache", scenario=_scenario(tmp),
                    options=RunOptions(proxy_factory=False, settle_ms=0))
    return res, adb, tmp


def test_the_probe_is_installed_run_and_its_ledger_kept(device_run):
    res, adb, _ = device_run
    assert any(c.startswith("pm install") for c in adb.calls) and adb.pushes[0][0].endswith("sdkgate-probe.apk")
    assert adb.calls[-1] == f"pm uninstall {PACKAGE}"                  # the phone is left as it was
    assert (res.out_dir / LEDGER_FILE).is_file()
    rec = res.record
    assert rec["ledger"] == "logcat" and rec["backend"] == "device"
    assert rec["device"]["api_level"] == 30 and rec["device"]["model"] == "sdk_gphone64_x86_64"
    assert rec["device"]["abi"] == "x86_64" and rec["agent"]["sha256"] == agent_sha256()
    assert "emulator-5554" not in (res.out_dir / "calibration.json").read_text("utf-8")   # the serial only hashed
    assert PROBE_PROCESS in {p["name"] for p in rec["process_list"] if p.get("instrumented")}
    assert {p["process"] for p in rec["processes"]} == {PACKAGE, PROBE_PROCESS}


def test_the_matrix_names_what_did_not_fire_and_what_the_device_lacks(device_run):
    res, _, _ = device_run
    rows = {r["id"]: r for r in res.record["rows"]}
    assert sorted(k for k, r in rows.items() if r["status"] == NOT_FIRED) == ["clipboard.getText", "textclipboard.getText"]
    assert "agent: hook missing" in rows["clipboard.getText"]["detail"]
    assert rows["xiaomi.IdProvider.getOAID"]["status"] == NOT_APPLICABLE
    assert "NoClassDefFoundError" in rows["xiaomi.IdProvider.getOAID"]["detail"]
    assert rows["pm.getInstalledPackages"]["status"] == FIRED             # its API-33 overload is absent on API 30
    checks = {c["id"]: c["status"] for c in res.record["checks"]}
    assert [k for k, v in checks.items() if v != FIRED] == ["socket.http_proxy"]       # no proxy in this run
    assert res.record["not_observable"] == {"clipboard": ["clipboard.getText", "textclipboard.getText"],
                                            "network sockets": ["socket.http_proxy"]}
    assert res.exit_code == 3


def test_the_calibration_bundle_is_sealed_and_cached(device_run):
    res, _, tmp = device_run
    assert verify_bundle(res.out_dir).exit_code == 0
    meta = json.loads((res.out_dir / "bundle.json").read_text("utf-8"))
    assert {"calibration.json", "calibration.html", LEDGER_FILE} <= set(meta["files"])
    assert res.cache_path == tmp / "cache" / cache_key("emulator-5554", agent_sha256())
    assert load_record(res.cache_path)["summary"] == res.record["summary"]


def test_a_run_on_that_device_finds_its_calibration_and_says_what_it_cannot_see(device_run, tmp_path):
    _, _, tmp = device_run
    from tests.device.fakes import RecordingLoader
    from tests.bundle.evidence_kit import DEMO_MANIFEST
    sc = tmp_path / "sc.yaml"
    sc.write_text(f"name: short\nmanifest: {DEMO_MANIFEST}\nsteps:\n  - launch\n  - wait: 10ms\n", "utf-8")
    be = ProbeDevice(DeviceOptions(package="com.example.recruit", start_check_s=0.05), adb_device=FakeAdbDevice(),
                     ui_device=FakeUiDevice(), frida_device=FakeFridaDevice(), agent_loader=RecordingLoader())
    cal = RunCalibration(None, False, lambda: be.adb.serial, cache=tmp / "cache")
    res = run_scenario(load_scenario(sc), load_manifest(DEMO_MANIFEST), be, tmp_path / "out",
                       RunOptions(proxy_factory=False, settle_ms=0, on_start=cal))
    assert res.run["calibration"]["status"] == "calibrated" and res.run["calibration"]["found"] == "cache"
    n, m = res.run["calibration"]["rows_fired"], res.run["calibration"]["rows_applicable"]
    assert n == m - 2
    assert res.report.stats["calibration"]["note"] == f"agent calibrated on this device: {n}/{m} rows"
    assert any(r.startswith("not observable on this device: clipboard (did not fire in calibration: clipboard.getText")
               for r in res.report.incomplete)
    assert res.report.verdict == "incomplete"
    assert verify_bundle(res.out_dir).exit_code == 0       # `verify` re-derives it from the calibration event
    from sdkgate.formats import get
    assert f"Calibration: agent calibrated on this device: {n}/{m} rows" in get("console").render(res.report, "en", width=200)
    assert "本设备上无法观察：clipboard" in get("console").render(res.report, "zh", width=200)
    html = get("html").render(res.report, "en")
    assert f'<dd id="calibration">agent calibrated on this device: {n}/{m} rows</dd>' in html


def test_calibration_events_note_or_require(device_run):
    _, _, tmp = device_run
    rec = load_record(next((tmp / "cache").glob("*.json")))
    for serial, agent, problem in (("emulator-5554", agent_sha256(), None),
                                   ("other-phone", agent_sha256(), "another device"),
                                   ("emulator-5554", "0" * 64, "another agent build")):
        run: dict = {"agent_sha256": agent}
        got = []
        RunCalibration(str(rec["_path"]), True, lambda s=serial: s)(run, lambda kind, **f: got.append((kind, f)))
        assert got[0][0] == "calibration" and run["calibration"] == got[0][1]
        st = RunState(manifest=None)
        CalibrationRules().calibration(Event(seq=0, t_ms=1.0, source="step", kind="calibration", extra=got[0][1]), st)
        if problem is None:
            assert got[0][1]["status"] == "calibrated" and set(st.reason_counts) == {NOT_OBSERVABLE}
        else:
            assert problem in got[0][1]["problem"] and set(st.reason_counts) == {NOT_CALIBRATED}
    st = RunState(manifest=None)
    rules = CalibrationRules()
    rules.calibration(Event(seq=0, t_ms=1.0, source="step", kind="calibration",
                            extra={"status": "not_calibrated", "required": False}), st)
    assert not st.incomplete and rules.stats()["calibration"]["note"] == "agent not calibrated on this device"


def test_a_bad_calibration_file_is_bad_input_before_anything_runs(tmp_path, capsys):
    bad = tmp_path / "calibration.json"
    bad.write_text('{"schema": "sdkgate.calibration/1", "summary": {"rows_fired": "x"}}', "utf-8")
    code = run_guarded(cli, ["run", "--apk", str(probe_file("sdkgate-probe.apk")), "-m", str(probe_file("manifest.yaml")),
                             "--scenario", str(probe_file("scenario.yaml")), "--calibration", str(bad),
                             "--out", str(tmp_path / "out")])
    assert code == 2
    assert f"{bad}:summary: calibration file without a valid summary" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_ledger_lines_of_other_processes_are_ignored():
    text = ("12-07 21:00:00.000  11  11 I sdkgate-probe: a#0 absent java.lang.NoSuchMethodError\n"
            "12-07 21:00:00.000  22  22 I sdkgate-probe: a#0 called\n"
            "garbage line\n12-07 21:00:00.000  22  23 I sdkgate-probe: b#1 no_receiver com.sdkgate.probe.NoReceiver\n")
    assert parse_ledger(text, {22}) == {"a#0": "called", "b#1": "no_receiver (com.sdkgate.probe.NoReceiver)"}
    assert parse_ledger(text)["a#0"] == "called"
