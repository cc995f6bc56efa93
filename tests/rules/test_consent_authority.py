"""Issue 9.1: the user's answer decides consent; a marker the user did not cause is SG106."""
from sdkgate.rules import evaluate

from .conftest import rule_ids, rules_of


def sg106(r):
    return [f for f in r.findings if f.rule == "SG106"]


def test_marker_at_app_start_is_SG106_and_reads_until_the_real_accept_are_pre_consent(log, demo_manifest):
    log.agent()
    log.add("step", "step", 0, index=0, action="launch", status="ok")
    log.marker(20, "granted")                       # Application.onCreate writes agreed=true
    log.read(100, "umeng_common", "device_id.imei")
    log.send(150, "umeng_common", "device_id.imei", "ulogs.umeng.com")
    log.consent(5000, "granted")
    log.marker(5005, "granted")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "fail"
    (f,) = sg106(r)
    assert f.actor == "first_party" and f.severity == "violation"
    assert "before the user's accept" in f.message and f.evidence[0].t_ms == 20
    assert ("SG101", "umeng_common", "device_id.imei") in rules_of(r)
    assert "SG401" in rule_ids(r)


def test_marker_after_decline_is_SG106_and_reads_after_it_are_SG103(log, demo_manifest):
    log.agent()
    log.consent(100, "declined")
    log.marker(110, "granted")                      # the app records "agreed" although the user declined
    log.read(200, "umeng_common", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    (f,) = sg106(r)
    assert "declined" in f.message and f.detail["why"] == "declined"
    assert ("SG103", "umeng_common", "device_id.imei") in rules_of(r)
    assert r.verdict == "fail"


def test_marker_after_withdrawal_is_SG106(log, demo_manifest):
    log.consented(0)
    log.consent(1000, "withdrawn")
    log.marker(1001, "withdrawn")
    log.marker(1500, "granted")
    r = evaluate(log.events, demo_manifest)
    assert [f.detail["why"] for f in sg106(r)] == ["withdrawn"]


def test_marker_with_no_accept_at_all_in_a_scenario_run_is_SG106(log, demo_manifest):
    log.agent()
    log.add("step", "step", 0, index=0, action="launch", status="ok")
    log.marker(20, "granted")
    log.read(100, "jpush", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    (f,) = sg106(r)
    assert "no accept" in f.message
    assert ("SG101", "jpush", "device_id.imei") in rules_of(r)
    assert r.verdict == "fail"


def test_markers_without_any_user_answer_evidence_are_incomplete(log, demo_manifest):
    log.agent()
    log.marker(20, "granted")
    log.read(100, "jpush", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete"
    assert any("no evidence of the user's answer" in x for x in r.incomplete)


def test_marker_within_tolerance_before_the_accept_is_the_same_decision(log, demo_manifest):
    log.agent()
    log.marker(100, "granted")
    log.consent(400, "granted")                     # tolerance_ms 2000 in the demo manifest
    r = evaluate(log.events, demo_manifest)
    assert not sg106(r) and r.verdict == "pass", (r.findings, r.incomplete)


def test_observed_tap_on_the_consent_control_is_the_users_answer(log, demo_manifest):
    log.agent()
    log.add("hook", "consent", 100, scope="policy", transition="granted", evidence="ui_tap",
            control="id/btn_agree")
    log.marker(105, "granted")
    log.read(200, "umeng_common", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "pass", (r.findings, r.incomplete)
    assert [m["source"] for m in r.stats["consent"]] == ["ui_tap", "marker"]


def test_a_click_the_app_made_itself_is_not_an_answer(log, demo_manifest):
    log.agent()
    log.add("hook", "consent", 100, scope="policy", transition="granted", evidence="programmatic",
            control="id/btn_agree")
    log.marker(105, "granted")
    log.read(200, "umeng_common", "device_id.imei")
    log.add("step", "step", 300, index=0, action="wait", status="ok")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "fail"
    assert ("SG101", "umeng_common", "device_id.imei") in rules_of(r)
    assert len(sg106(r)) == 1


def test_accept_without_marker_stays_incomplete(log, demo_manifest):
    log.agent()
    log.consent(100, "granted")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete" and any("no marker hook" in x for x in r.incomplete)
