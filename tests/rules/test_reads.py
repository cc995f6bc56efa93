from sdkgate.rules import evaluate

from .conftest import rule_ids, rules_of


def test_sdk_read_before_consent_is_SG101(log, demo_manifest):
    log.agent()
    log.read(10, "umeng_common", "device_id.imei")
    log.consent(500, "granted")
    log.marker(505, "granted")
    log.read(600, "jpush", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert ("SG101", "umeng_common", "device_id.imei") in rules_of(r)
    assert not any(f.rule == "SG101" and f.actor == "jpush" for f in r.findings)
    assert r.verdict == "fail" and r.exit_code == 1
    f = next(f for f in r.findings if f.rule == "SG101")
    assert f.evidence[0].source == "hook" and f.evidence[0].seq == 1
    assert f.message_zh and f.clause


def test_first_party_read_before_consent_is_SG102(log, demo_manifest):
    log.agent()
    log.read(5, "first_party", "clipboard", api_id="clipboard.getPrimaryClip")
    r = evaluate(log.events, demo_manifest)
    assert rules_of(r) >= {("SG102", "first_party", "clipboard")}
    assert "SG101" not in rule_ids(r)


def test_ungated_category_is_not_a_pre_consent_read(log, demo_manifest):
    log.agent()
    log.read(5, "first_party", "sensors", api_id="sensors.getSensorList")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "pass", r.findings


def test_sdk_needing_sensitive_scope_is_SG101_with_policy_only(log, demo_manifest):
    log.agent()
    log.consent(100, "granted")
    log.marker(100, "granted")
    log.read(200, "tencent_faceid", "camera", api_id="camera.open")
    r = evaluate(log.events, demo_manifest)
    assert ("SG101", "tencent_faceid", "camera") in rules_of(r)
    log2_events = list(log.events[:-1])
    from sdkgate.events import Event
    log2_events.append(Event(seq=len([e for e in log2_events if e.source == "step"]), t_ms=150, source="step",
                             kind="consent", extra={"scope": "sensitive", "transition": "granted"}))
    log2_events.append(Event(seq=log.events[-1].seq, t_ms=200, source="hook", kind="read", actor="tencent_faceid",
                             category="camera", extra={"api_id": "camera.open"}))
    r2 = evaluate(log2_events, demo_manifest)
    assert "SG101" not in rule_ids(r2)


def test_read_after_decline_in_browse_mode_is_SG103_for_first_party_too(log, demo_manifest):
    log.agent()
    log.consent(100, "declined")
    log.read(200, "first_party", "location", api_id="location.getLastKnownLocation")
    log.read(300, "bugly", "device_id.android_id", api_id="settings.secure.getString")
    r = evaluate(log.events, demo_manifest)
    assert ("SG103", "first_party", "location") in rules_of(r)
    assert ("SG103", "bugly", "device_id.android_id") in rules_of(r)
    assert not {"SG101", "SG102"} & rule_ids(r)


def test_read_after_withdrawal_is_SG103(log, demo_manifest):
    log.agent()
    log.consent(100, "granted")
    log.marker(110, "granted")
    log.read(200, "umeng_common", "device_id.android_id", api_id="settings.secure.getString")
    log.consent(300, "withdrawn")
    log.marker(305, "withdrawn")
    log.read(400, "umeng_common", "device_id.android_id", api_id="settings.secure.getString")
    r = evaluate(log.events, demo_manifest)
    sg103 = [f for f in r.findings if f.rule == "SG103"]
    assert len(sg103) == 1 and sg103[0].evidence[0].t_ms == 400


def test_over_frequent_reads_SG104(log, demo_manifest):
    log.agent()
    log.consent(0, "granted")
    log.marker(0, "granted")
    for t in (100, 150):   # twice within a second
        log.read(t, "umeng_common", "network.wifi", api_id="wifimanager.getScanResults")
    r = evaluate(log.events, demo_manifest)
    assert ("SG104", "umeng_common", "network.wifi") in rules_of(r)


def test_immutable_identifier_more_than_three_times_SG104(log, demo_manifest):
    log.agent()
    log.consent(0, "granted")
    log.marker(0, "granted")
    for i in range(3):
        log.read(1000 + i * 5000, "jpush", "device_id.imei")
    assert "SG104" not in rule_ids(evaluate(log.events, demo_manifest))
    log.read(30000, "jpush", "device_id.imei")
    assert ("SG104", "jpush", "device_id.imei") in rules_of(evaluate(log.events, demo_manifest))


def test_declared_sdk_reading_undeclared_category_is_SG202(log, demo_manifest):
    log.agent()
    log.consent(0, "granted")
    log.marker(0, "granted")
    log.read(100, "bugly", "location", api_id="location.getLastKnownLocation")   # bugly declares android_id only
    r = evaluate(log.events, demo_manifest)
    f = [f for f in r.findings if f.rule == "SG202"]
    assert f and f[0].actor == "bugly" and f[0].category == "location" and f[0].severity == "violation"


def test_compliant_log_passes(log, demo_manifest):
    log.agent()
    log.consent(100, "granted")
    log.marker(120, "granted")
    log.read(200, "umeng_common", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "pass" and r.exit_code == 0, [f.message for f in r.findings]


def test_feature_bound_sdk_reading_before_its_feature_is_SG105(log, demo_manifest):
    log.consented(0)
    log.add("step", "lifecycle", 5, what="launch")
    log.read(100, "amap_location", "location", api_id="location.getLastKnownLocation")   # row: feature location_job_search
    log.add("step", "feature", 200, feature="location_job_search")
    log.read(300, "amap_location", "location", api_id="location.getLastKnownLocation")
    log.add("step", "lifecycle", 400, what="relaunch")
    log.read(5000, "amap_location", "location", api_id="location.getLastKnownLocation")
    r = evaluate(log.events, demo_manifest)
    sg105 = [f for f in r.findings if f.rule == "SG105"]
    assert len(sg105) == 1 and sg105[0].actor == "amap_location"
    assert [e.t_ms for e in sg105[0].evidence] == [100, 5000]
    assert not any(f.rule == "SG101" for f in r.findings)
