import io

from sdkgate.events import parse_lines
from sdkgate.rules import evaluate


def test_seq_gap_is_incomplete(log, demo_manifest):
    log.agent()
    log.read(10, "umeng_common", "device_id.imei")
    log.events[-1].seq = 5
    r = evaluate(log.events, demo_manifest)
    # the missing events could hold the user's accept: the read "before consent" is not confirmed
    assert r.verdict == "incomplete" and any("seq 5" in x for x in r.incomplete)
    sg101 = next(f for f in r.findings if f.rule == "SG101")
    assert sg101.confirmed is False and r.incomplete_kinds == {"seq-gap": 1}
    assert r.to_dict()["incomplete_reasons"][0]["kind"] == "seq-gap"


def test_violation_not_depending_on_the_gap_is_fail(log, demo_manifest):
    log.agent()
    log.read(10, "umeng_common", "sensors", api_id="sensors.getSensorList")   # not among umeng's declared data
    log.events[-1].seq = 5
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "fail" and any("seq 5" in x for x in r.incomplete)
    assert {(f.rule, f.confirmed) for f in r.findings if f.rule in ("SG101", "SG202")} == {("SG202", True)}


def test_agent_drop_after_a_proven_read_is_fail_with_the_gap_listed(log, demo_manifest):
    log.agent()
    log.read(10, "umeng_common", "device_id.imei")
    log.add("hook", "agent_status", 20, status="dropped", dropped=7)
    log.read(30, "jpush", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "fail" and any("dropped 7" in x for x in r.incomplete)
    confirmed = {f.actor: f.confirmed for f in r.findings if f.rule == "SG101"}
    assert confirmed == {"umeng_common": True, "jpush": False}    # after the drop an accept may be lost


def test_user_answer_after_a_gap_makes_the_state_known_again(log, demo_manifest):
    log.agent()
    log.add("hook", "agent_status", 5, status="dropped", dropped=2)
    log.consent(10, "declined")
    log.read(30, "jpush", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "fail"
    assert [f.confirmed for f in r.findings if f.rule == "SG103"] == [True]


def test_marker_with_no_observed_answer_unconfirms_later_reads(log, demo_manifest):
    log.agent()
    log.read(5, "umeng_common", "device_id.imei")
    log.marker(10, "granted")                 # the app says "agreed"; no step, no observed tap
    log.read(20, "jpush", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    confirmed = {f.actor: f.confirmed for f in r.findings if f.rule == "SG101"}
    assert confirmed == {"umeng_common": True, "jpush": False}
    assert r.verdict == "fail" and r.incomplete_kinds.get("consent-unobserved") == 1
    log2 = type(log)()
    log2.agent()
    log2.marker(10, "granted")
    log2.read(20, "jpush", "device_id.imei")
    r2 = evaluate(log2.events, demo_manifest)
    assert r2.verdict == "incomplete" and [f.confirmed for f in r2.findings if f.rule == "SG101"] == [False]


def test_broken_line_named_and_incomplete(demo_manifest):
    raw = (b'{"seq":0,"t_ms":0,"source":"hook","kind":"agent_status","status":"loaded"}\n'
           b'{"seq":1,"t_ms":5,"source":"hook","kind":"re\n'
           b'{"seq":2,"t_ms":9,"source":"hook","kind":"agent_status","status":"loaded"}\n')
    r = evaluate(parse_lines(io.BytesIO(raw), "events.jsonl"), demo_manifest)
    assert r.verdict == "incomplete"
    assert any(x.startswith("events.jsonl:2:") for x in r.incomplete)


def test_empty_log_is_incomplete(demo_manifest):
    r = evaluate([], demo_manifest)
    assert r.verdict == "incomplete"


def test_consent_step_without_marker_is_incomplete(log, demo_manifest):
    log.agent()
    log.consent(100, "granted")
    log.marker(5000, "granted")     # the app recorded consent 4.9 s later than the tap: disagreement
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete" and any("disagree" in x for x in r.incomplete)


def test_process_death_is_incomplete(log, demo_manifest):
    log.agent()
    log.add("step", "lifecycle", 100, what="died", detail="SIGKILL")
    assert evaluate(log.events, demo_manifest).verdict == "incomplete"


def test_newer_schema_line_is_rejected():
    raw = b'{"v":99,"seq":0,"t_ms":0,"source":"hook","kind":"read"}\n'
    out = list(parse_lines(io.BytesIO(raw), "e.jsonl"))
    assert "newer" in out[0].problem


def test_memory_does_not_grow_with_log_length(demo_manifest):
    """Streaming: a 4x longer log must not need (anywhere near) 4x the memory."""
    import tracemalloc

    from sdkgate.events import Event

    def gen(n):
        yield Event(seq=0, t_ms=0, source="hook", kind="agent_status", extra={"status": "loaded"})
        for i in range(1, n):
            yield Event(seq=i, t_ms=float(i), source="hook", kind="read", actor=("umeng_common", "jpush")[i % 2],
                        category="device_id.imei", extra={"api_id": "telephony.getDeviceId"})

    peaks = []
    for n in (20_000, 80_000):
        tracemalloc.start()
        r = evaluate(gen(n), demo_manifest)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert r.findings[0].evidence_count > 0
    assert peaks[1] < peaks[0] * 1.5, peaks


def test_unhookable_api_called_by_the_app_is_incomplete(log, demo_manifest):
    log.add("hook", "agent_status", 0, status="loaded",
            limits=["fused.getLastLocation: not hooked: com.google.android.gms.location.FusedLocationProviderClient is abstract"])
    log.consent(10, "granted")
    log.marker(10, "granted")
    from sdkgate.rules import evaluate
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "pass" and any("fused.getLastLocation" in x for x in r.skipped)
    log.add("static", "call_site", 20, api_id="fused.getLastLocation", caller="Lcom/x/Loc;->a()V", actor="unknown",
            category="location")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete" and any("no hook can observe it" in x for x in r.incomplete)


def test_unconfirmed_findings_are_marked_in_every_format(log, demo_manifest):
    import json

    from sdkgate.formats import render
    log.agent()
    log.read(10, "umeng_common", "device_id.imei")
    log.events[-1].seq = 5                                   # a gap before it: the accept may be lost
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete"
    doc = json.loads(render(r, "json"))
    assert [f["confirmed"] for f in doc["findings"] if f["rule"] == "SG101"] == [False]
    sarif = json.loads(render(r, "sarif"))
    res = [x for x in sarif["runs"][0]["results"] if x["ruleId"] == "SG101"]
    assert res[0]["properties"]["confirmed"] is False and res[0]["level"] == "warning"
    assert sarif["runs"][0]["properties"]["incomplete_kinds"] == {"seq-gap": 1}
    junit = render(r, "junit")
    assert 'message="not confirmed: ' in junit and 'name="confirmed_violations" value="0"' in junit
    html = render(r, "html")
    assert 'data-rule="SG101" data-actor="umeng_common" data-confirmed="false"' in html and "not confirmed" in html
    assert "(not confirmed)" in render(r, "console")


def test_a_lost_agent_event_cannot_hide_the_scenarios_own_consent_step(log, demo_manifest):
    """When the scenario's steps give the user's answer, losing agent events (a drop, a hook error) cannot
    hide it: reads before the consent step stay proven. A gap in the step log itself can."""
    log.agent()
    log.add("step", "lifecycle", 1, what="launch")
    log.add("hook", "agent_status", 20, status="error", detail="hook clipboard failed")
    log.read(30, "jpush", "device_id.imei")
    log.consent(100, "granted")
    log.marker(100, "granted")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "fail" and [f.confirmed for f in r.findings if f.rule == "SG101"] == [True]
    assert r.incomplete_kinds == {"agent-error": 1}
    log2 = type(log)()
    log2.agent()
    log2.add("step", "lifecycle", 1, what="launch")
    log2.read(30, "jpush", "device_id.imei")
    log2.consent(100, "granted")
    log2.events[-2].seq += 3                              # step events missing before the consent step
    r2 = evaluate(log2.events, demo_manifest)
    assert [f.confirmed for f in r2.findings if f.rule == "SG101"] == [True]      # judged before the gap
    log3 = type(log)()
    log3.agent()
    log3.add("step", "lifecycle", 1, what="launch")
    log3.add("step", "lifecycle", 5, what="clock", advance_ms=0)
    log3.events[-1].seq += 3                              # a step gap, then the read: an accept may be lost
    log3.read(30, "jpush", "device_id.imei")
    log3.consent(100, "granted")
    r3 = evaluate(log3.events, demo_manifest)
    assert r3.verdict == "incomplete" and [f.confirmed for f in r3.findings if f.rule == "SG101"] == [False]
