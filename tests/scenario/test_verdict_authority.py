"""Issue 9 end to end on the simulated device (real agent in real Frida, real proxy, real engine):
an app that records consent itself (at start, after a decline, with no answer at all) and SDK code
that no catalogue prefix names must never pass."""
from __future__ import annotations

import pytest

from .conftest import MANIFEST, SharedProxy, sim_runner

HEAD = """schema: sdkgate.appmodel/1
app:
  package: com.example.recruit
  application: com.example.recruit.App
  main_activity: com.example.recruit.ui.MainActivity
  consent_handler: com.example.recruit.privacy.PrivacyDialog
sdks:
  umeng_common:
    entry: com.umeng.commonsdk.UMConfigure.init
    classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]
"""


@pytest.fixture(scope="module")
def shared_proxy(tmp_path_factory):
    p = SharedProxy(tmp_path_factory.mktemp("proxy"), MANIFEST)
    yield p
    p.stop()


@pytest.fixture
def sim_run(shared_proxy, tmp_path):
    return sim_runner(shared_proxy, tmp_path, HEAD)


def fired(res):
    return {(f.rule, f.actor) for f in res.report.active_findings()}


def test_app_recording_consent_at_start_fails_with_SG106_and_pre_consent_reads(sim_run):
    res, evs = sim_run("""behaviour:
  launch:
    - write_marker: true
    - {by: umeng_common, read: settings.secure.getString, args: [null, android_id]}
  consent_granted:
    - write_marker: true
""", "  - fresh_install\n  - launch\n  - wait: 2200ms\n  - consent: accept\n  - wait: 100ms\n", "settle: 0\n")
    assert res.report.verdict == "fail", res.report.incomplete
    assert ("SG106", "first_party") in fired(res)
    assert ("SG101", "umeng_common") in fired(res)
    # the marker hook fired in the real agent and moved nothing: the read carries the user's state
    read = next(e for e in evs if e.kind == "read")
    assert read.consent == {"policy": "not_asked"}


def test_app_recording_consent_after_a_decline_fails(sim_run):
    res, _ = sim_run("""behaviour:
  consent_declined:
    - write_marker: true
    - {by: umeng_common, read: settings.secure.getString, args: [null, android_id]}
""", "  - fresh_install\n  - launch\n  - consent: decline\n  - wait: 100ms\n", "settle: 0\n")
    assert res.report.verdict == "fail"
    assert ("SG106", "first_party") in fired(res) and ("SG103", "umeng_common") in fired(res)


def test_app_recording_consent_without_any_answer_fails(sim_run):
    res, _ = sim_run("""behaviour:
  launch:
    - write_marker: true
    - {by: umeng_common, read: settings.secure.getString, args: [null, android_id], when: consented}
    - {by: umeng_common, read: settings.secure.getString, args: [null, android_id]}
""", "  - fresh_install\n  - launch\n  - wait: 100ms\n", "settle: 0\n")
    assert res.report.verdict == "fail"
    f = next(f for f in res.report.active_findings() if f.rule == "SG106")
    assert "no accept" in f.message


def test_runtime_loaded_code_no_catalogue_names_is_judged_as_a_third_party(sim_run):
    res, evs = sim_run("""behaviour:
  launch:
    - read: settings.secure.getString
      args: [null, android_id]
      frames: ["xq.plug.a.b.run(Unknown Source:12)", "java.lang.reflect.Method.invoke(Native Method)",
               "xq.plug.a.c.d(Unknown Source:3)"]
""", "  - fresh_install\n  - launch\n  - wait: 100ms\n", "settle: 0\n")
    read = next(e for e in evs if e.kind == "read")
    assert read.actor == "unknown"
    assert res.report.verdict == "fail"
    f = next(f for f in res.report.active_findings() if f.rule == "SG101" and f.actor == "unknown")
    assert any("xq.plug.a.b.run" in fr for fr in f.detail["stack"])
    assert "no frame matched" in f.detail["unknown_why"]


def test_timers_play_during_the_settle_period_and_are_judged(sim_run):
    res, evs = sim_run("""timers:
  - after: 200ms
    every: 300ms
    actions:
      - {by: umeng_common, read: settings.secure.getString, args: [null, android_id]}
""", "  - fresh_install\n  - launch\n", "settle: 1s\n")
    assert res.run["settle_ms"] == 1000
    reads = [e for e in evs if e.kind == "read"]
    assert len(reads) >= 3, [e.t_ms for e in reads]   # 200, 500, 800 ms after the process started
    last_step = max(e.t_ms for e in evs if e.kind == "step")
    assert all(e.t_ms > last_step for e in reads)     # after the last step: only the settle period saw them
    assert any("Handler.handleCallback" in f for f in reads[0].stack)
    assert ("SG101", "umeng_common") in fired(res)


def test_without_settle_the_timer_is_not_seen(sim_run):
    res, evs = sim_run("""timers:
  - after: 300ms
    actions:
      - {by: umeng_common, read: settings.secure.getString, args: [null, android_id]}
""", "  - fresh_install\n  - launch\n", "settle: 0\n")
    assert res.run["settle_ms"] == 0 and not [e for e in evs if e.kind == "read"]


def test_the_agent_sees_the_users_tap_and_not_the_apps_own_click(sim_run):
    res, evs = sim_run("""behaviour:
  launch:
    - click_consent: accept            # the app "taps" its own agree button in onCreate
    - write_marker: true
    - {by: umeng_common, read: settings.secure.getString, args: [null, android_id]}
  consent_granted:
    - write_marker: true
""", "  - fresh_install\n  - launch\n  - wait: 2200ms\n  - consent: accept\n", "settle: 0\n")
    taps = [e for e in evs if e.kind == "consent" and e.source == "hook"]
    assert [t.get("evidence") for t in taps] == ["programmatic", "ui_tap"]
    assert all(t.get("transition") == "granted" and t.get("control") for t in taps)
    assert taps[1].t_ms >= next(e.t_ms for e in evs if e.kind == "consent" and e.source == "step") - 50
    assert res.report.verdict == "fail"
    assert ("SG106", "first_party") in fired(res) and ("SG101", "umeng_common") in fired(res)
