"""Every bundled scenario on the simulated device: the real agent in real Frida (SimRuntime), the
real proxy (one per module), the real rule engine. Each scenario's expectations must hold, and
`sdkgate evaluate` on the evidence folder must reproduce the report."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.dynamic.appmodel import load_app_model
from sdkgate.dynamic.simulator import SimulatedDevice
from sdkgate.events import read_events
from sdkgate.manifest import load_manifest
from sdkgate.scenario.model import load_scenario
from sdkgate.scenario.runner import RunOptions, run_scenario

from .conftest import MANIFEST, MODELS, SCENARIOS, SharedProxy


def _pairs():
    out = []
    for f in sorted(SCENARIOS.glob("*.yaml")):
        sc = load_scenario(f)
        for e in sc.expectations:
            model = e.app_model or sc.app_model
            out.append(pytest.param(f.name, model.name, id=f"{f.stem}@{model.stem}"))
    return out


PAIRS = _pairs()


@pytest.fixture(scope="module")
def shared_proxy(tmp_path_factory):
    p = SharedProxy(tmp_path_factory.mktemp("proxy"), MANIFEST)
    yield p
    p.stop()


@pytest.fixture(scope="module")
def runs(shared_proxy, tmp_path_factory):
    """Run (scenario, model) once per module, on demand; results are cached for later tests."""
    base = tmp_path_factory.mktemp("runs")
    cache: dict = {}

    def get(scenario_name: str, model_name: str, scenario_path: Path | None = None, manifest_path: Path | None = None):
        key = (scenario_name, model_name, str(scenario_path), str(manifest_path))
        if key not in cache:
            sc = load_scenario(scenario_path or SCENARIOS / scenario_name)
            manifest = load_manifest(manifest_path or sc.manifest)
            model_path = (MODELS / model_name) if (MODELS / model_name).exists() else Path(model_name)
            backend = SimulatedDevice(load_app_model(model_path, manifest))
            out = base / f"{Path(scenario_name).stem}--{Path(model_name).stem}-{len(cache)}"
            cache[key] = run_scenario(sc, manifest, backend, out, RunOptions(
                app_model=model_path, canaries=shared_proxy.canaries, proxy_factory=shared_proxy.factory))
        return cache[key]

    return get


def _events(out: Path):
    return list(read_events(out / "events.jsonl"))


def _net(out: Path):
    return list(read_events(out / "net.jsonl"))


@pytest.mark.parametrize("scenario,model", PAIRS)
def test_bundled_scenario_meets_its_expectation(runs, scenario, model, capsys):
    res = runs(scenario, model)
    exp = res.expectation
    assert exp is not None
    assert exp.met, f"{exp.mismatches}; incomplete: {res.report.incomplete}; " \
                    f"fired: {sorted({(f.rule, f.actor) for f in res.report.active_findings()})}"
    out = res.out_dir
    # the evidence folder
    for name in ("events.jsonl", "net.jsonl", "run.json", "report.json", "manifest.yaml", "scenario.yaml",
                 "app-model.yaml", "canaries.json"):
        assert (out / name).is_file(), name
    run = json.loads((out / "run.json").read_text())
    assert run["backend"] == "simulated" and run["status"] == "done" and run["verdict"] == res.report.verdict
    assert run["app_model"]["sha256"] == hashlib.sha256((MODELS / model).read_bytes()).hexdigest()
    assert run["scenario"]["sha256"] == hashlib.sha256((SCENARIOS / scenario).read_bytes()).hexdigest()
    assert len(run["agent_sha256"]) == 64 and run["versions"]["frida"].startswith("17.")
    evs = _events(out)
    assert [e.t_ms for e in evs] == sorted(e.t_ms for e in evs)
    for src in ("hook", "step"):       # gap-free per (source, pid): each app process numbers its own
        for pid in {e.get("pid") for e in evs if e.source == src}:
            seqs = [e.seq for e in evs if e.source == src and e.get("pid") == pid]
            assert seqs == list(range(len(seqs)))
    assert all(e.get("process") == "com.example.recruit" and e.get("pid") for e in evs if e.source == "hook")
    sc = load_scenario(SCENARIOS / scenario)
    assert [e.get("action") for e in evs if e.kind == "step"] == [s.action for s in sc.steps]
    launches = sum(s.action in ("launch", "relaunch") for s in sc.steps)
    assert sum(e.kind == "agent_status" and e.get("status") == "loaded" for e in evs) == launches
    for e in evs:
        if e.kind == "read":
            # a native read on a native thread has no Java stack: its native backtrace attributes it
            assert e.actor and (e.stack or e.get("native_stack")) and e.get("api_id"), e
    # `sdkgate evaluate` on the folder gives the same report
    capsys.readouterr()
    code = run_guarded(cli, ["evaluate", "-m", str(out / "manifest.yaml"), str(out / "events.jsonl"),
                             str(out / "net.jsonl"), "--format", "json"])
    again = json.loads(capsys.readouterr().out)
    saved = json.loads((out / "report.json").read_text())
    assert code == res.report.exit_code
    assert again["verdict"] == saved["verdict"]
    assert again["findings"] == saved["findings"]
    assert again["incomplete"] == saved["incomplete"]


def test_demo_shows_a_hashed_identifier_sent_before_consent_and_the_clipboard_on_the_wire(runs):
    res = runs("demo-noncompliant.yaml", "recruit-noncompliant.yaml")
    consent_t = next(e.t_ms for e in _events(res.out_dir) if e.kind == "consent")
    net = [e for e in _net(res.out_dir) if e.kind == "send"]
    imei = [e for e in net if e.category == "device_id.imei" and e.actor == "umeng_common"]
    assert imei and imei[0].get("encoding") == "md5-hex-upper" and imei[0].t_ms < consent_t
    assert imei[0].get("host").endswith("umeng.com") and imei[0].get("scheme") == "https"
    clip = [e for e in net if e.category == "clipboard"]
    assert clip and all(e.actor == "first_party" for e in clip)
    assert {e.get("host") for e in clip} == {"api.recruit.example.com"}
    rules = {(f.rule, f.actor) for f in res.report.active_findings()}
    for sdk in ("umeng_common", "jpush", "bugly", "amap_location", "cmic_login"):
        assert ("SG101", sdk) in rules
    assert ("SG102", "first_party") in rules and ("SG402", "first_party") in rules


def test_hook_stacks_name_the_sdk_and_the_app_entry(runs):
    res = runs("demo-noncompliant.yaml", "recruit-noncompliant.yaml")
    reads = [e for e in _events(res.out_dir) if e.kind == "read" and e.actor == "umeng_common"]
    imei = next(e for e in reads if e.get("api_id") == "telephony.getDeviceId")
    assert imei.stack[0].startswith("android.telephony.TelephonyManager.getDeviceId(")
    assert any(f.startswith("com.umeng.commonsdk.UMConfigure.init(") for f in imei.stack)
    assert any(f.startswith("com.example.recruit.App.onCreate(") for f in imei.stack)
    assert imei.get("canary") is True
    bugly = next(e for e in _events(res.out_dir) if e.actor == "bugly")
    assert bugly.get("thread") == "Bugly-ThreadMonitor"


def test_recorded_reads_carry_the_consent_state_of_their_moment(runs):
    res = runs("demo-noncompliant.yaml", "recruit-noncompliant.yaml")
    evs = _events(res.out_dir)
    granted_at = next(e.t_ms for e in evs if e.kind == "consent" and e.get("transition") == "granted")
    reads = [e for e in evs if e.kind == "read"]
    assert reads and all(e.consent is not None for e in reads)
    before = [e for e in reads if e.t_ms < granted_at]
    after = [e for e in reads if e.t_ms > granted_at + 50]
    assert before and all(e.consent == {"policy": "not_asked"} for e in before)
    assert after and all(e.consent.get("policy") == "granted" for e in after)


def test_browse_mode_of_the_compliant_app_collects_nothing(runs):
    res = runs("cold-start-decline-browse.yaml", "recruit-compliant.yaml")
    evs = _events(res.out_dir)
    assert not [e for e in evs if e.kind in ("read", "permission_request")]
    assert not [e for e in _net(res.out_dir) if e.kind in ("send", "flow")]
    assert res.report.verdict == "pass"


def test_48_hour_rule(runs):
    comp = runs("deny-permission-48h.yaml", "recruit-compliant.yaml")
    reqs = [e for e in _events(comp.out_dir) if e.kind == "permission_request"]
    # asked at the first visit and again after 49 h, not one hour after the denial
    assert len(reqs) == 2
    clock = next(e for e in _events(comp.out_dir) if e.get("what") == "clock" and e.get("advance_ms") == 48 * 3600_000)
    assert reqs[0].t_ms < clock.t_ms < reqs[1].t_ms
    non = runs("deny-permission-48h.yaml", "recruit-noncompliant.yaml")
    sg303 = [f for f in non.report.active_findings() if f.rule == "SG303"]
    assert sg303 and "android.permission.ACCESS_FINE_LOCATION" in " ".join(f.message for f in sg303)


def test_withdrawal_is_recorded_by_the_marker_and_stops_the_compliant_app(runs):
    res = runs("accept-then-withdraw.yaml", "recruit-compliant.yaml")
    evs = _events(res.out_dir)
    withdrawn = next(e.t_ms for e in evs if e.kind == "consent" and e.get("transition") == "withdrawn")
    markers = [e for e in evs if e.kind == "consent_marker" and e.get("transition") == "withdrawn"]
    assert markers and all(abs(m.t_ms - withdrawn) < 2000 for m in markers)
    assert not [e for e in evs if e.kind == "read" and e.t_ms > withdrawn]
    assert not [e for e in _net(res.out_dir) if e.kind == "send" and e.t_ms > withdrawn]


# ---- fail closed -------------------------------------------------------------------------

CRASH_MODEL = (MODELS / "recruit-noncompliant.yaml").read_text("utf-8").replace(
    """    clipboard_paste:
      - read: clipboard.getPrimaryClip""", """    clipboard_paste:
      - crash: "NullPointerException in SearchActivity.onClick"
      - read: clipboard.getPrimaryClip""")

FAIL_SCENARIO = f"""name: crash-mid-run
manifest: {MANIFEST}
steps:
  - fresh_install
  - launch
  - consent: accept
  - open_feature: clipboard_paste
  - background
  - foreground
"""


def test_target_that_dies_mid_run_is_incomplete_with_evidence_kept(runs, write):
    assert "crash:" in CRASH_MODEL
    model = write("crash-model.yaml", CRASH_MODEL)
    sc = write("crash.yaml", FAIL_SCENARIO)
    res = runs("crash.yaml", str(model), scenario_path=sc)
    assert res.report.verdict == "fail" and res.exit_code == 1  # proven reads: fail, the gap still listed (issue 20)
    evs = _events(res.out_dir)
    died = [e for e in evs if e.get("what") == "died"]
    assert len(died) == 1 and "NullPointerException" in died[0].get("detail")
    assert died[0].get("process") == "com.example.recruit"
    assert res.steps_done == 4 and not any(e.get("action") == "background" for e in evs)
    assert any("died" in r for r in res.report.incomplete)
    # what was collected before the crash is kept and still judged
    assert {f.actor for f in res.report.findings if f.rule == "SG101"} >= {"umeng_common", "jpush"}


def _late_marker_manifest(write, tol: int):
    return write("m-late.yaml", MANIFEST.read_text("utf-8").replace("tolerance_ms: 2000", f"tolerance_ms: {tol}"))


def test_consent_step_and_marker_disagreeing_beyond_tolerance_is_incomplete(runs, write):
    model = write("late-marker.yaml", (MODELS / "recruit-compliant.yaml").read_text("utf-8").replace(
        "  consent_granted:\n    - write_marker: true\n",
        "  consent_granted:\n    - sleep: 400ms\n    - write_marker: true\n"))
    man = _late_marker_manifest(write, 150)
    sc = write("late.yaml", f"name: late\nmanifest: {man}\nsteps:\n  - fresh_install\n  - launch\n"
                            "  - consent: accept\n  - wait: 50ms\n")
    res = runs("late.yaml", str(model), scenario_path=sc, manifest_path=man)
    assert res.report.verdict == "incomplete", res.report.findings
    assert any("disagree" in r for r in res.report.incomplete)
    # within the tolerance the same app is fine
    man2 = write("m-ok.yaml", MANIFEST.read_text("utf-8"))
    sc2 = write("late2.yaml", f"name: late2\nmanifest: {man2}\nsteps:\n  - fresh_install\n  - launch\n"
                              "  - consent: accept\n  - wait: 50ms\n")
    ok = runs("late2.yaml", str(model), scenario_path=sc2, manifest_path=man2)
    assert ok.report.verdict == "pass", (ok.report.incomplete, ok.report.findings)


def test_app_that_never_records_consent_is_incomplete(runs, write):
    model = write("no-marker.yaml", (MODELS / "recruit-compliant.yaml").read_text("utf-8").replace(
        "  consent_granted:\n    - write_marker: true\n", "  consent_granted:\n"))
    sc = write("nomark.yaml", f"name: nomark\nmanifest: {MANIFEST}\nsteps:\n  - fresh_install\n  - launch\n"
                              "  - consent: accept\n")
    res = runs("nomark.yaml", str(model), scenario_path=sc)
    assert res.report.verdict == "incomplete"
    assert any("no marker hook" in r for r in res.report.incomplete)


def test_answer_given_before_the_dialog_is_delivered_at_the_request(runs, write):
    sc = write("pre.yaml", f"name: pre\nmanifest: {MANIFEST}\nsteps:\n  - fresh_install\n  - launch\n"
                           "  - consent: accept\n  - permission: {grant: ACCESS_FINE_LOCATION}\n"
                           "  - open_feature: location_job_search\n")
    res = runs("pre.yaml", "recruit-compliant.yaml", scenario_path=sc)
    evs = _events(res.out_dir)
    assert not [e for e in evs if e.source == "step" and e.kind == "permission_result"]
    req = next(e for e in evs if e.kind == "permission_request")
    result = next(e for e in evs if e.kind == "permission_result")
    assert result.source == "hook" and result.get("results") == {"android.permission.ACCESS_FINE_LOCATION": "granted"}
    loc = next(e for e in evs if e.kind == "read" and e.actor == "amap_location")
    assert req.t_ms < result.t_ms < loc.t_ms
    assert res.report.verdict == "pass", (res.report.incomplete, [(f.rule, f.actor) for f in res.report.findings])
