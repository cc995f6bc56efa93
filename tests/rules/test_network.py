from sdkgate.rules import evaluate

from .conftest import rule_ids, rules_of


def test_send_before_consent_SG401(log, demo_manifest):
    log.send(10, "umeng_common", "device_id.imei", "alog.umeng.com")
    r = evaluate(log.events, demo_manifest)
    # proxy evidence alone also leaves the run incomplete (issue 22: SG900 capture partial)
    assert rules_of(r) == {("SG401", "umeng_common", "device_id.imei"), ("SG900", None, None)}
    assert next(f for f in r.findings if f.rule == "SG401").detail["encoding"] == "md5-hex-upper"


def test_clipboard_in_traffic_is_SG402_even_after_consent(log, demo_manifest):
    log.consented(0)
    log.send(10, "first_party", "clipboard", "api.recruit.example.com")
    r = evaluate(log.events, demo_manifest)
    assert rule_ids(r) == {"SG402"}


def test_cleartext_SG403(log, demo_manifest):
    log.consented(0)
    log.send(10, "umeng_common", "device_id.android_id", "plbslog.umeng.com", scheme="http")
    assert rule_ids(evaluate(log.events, demo_manifest)) == {"SG403"}


def test_undeclared_domain_and_unknown_party_SG404(log, demo_manifest):
    log.consented(0)
    log.send(10, "jpush", "device_id.imei", "tracker.example.net")     # jpush declares jpush.cn, jiguang.cn
    log.add("net", "flow", 20, actor="unknown", host="cdn.unknown-ads.io", scheme="https", method="GET", path="/")
    r = evaluate(log.events, demo_manifest)
    sev = {(f.actor, f.severity) for f in r.findings if f.rule == "SG404"}
    assert sev == {("jpush", "violation"), ("unknown", "warning")}


def test_undeclared_sdk_in_traffic_SG201(log, demo_manifest):
    log.consented(0)
    log.add("net", "flow", 20, actor="getui", host="sdk.open.igexin.com", scheme="https", method="POST", path="/")
    assert "SG201" in rule_ids(evaluate(log.events, demo_manifest))


def test_pinning_makes_run_incomplete(log, demo_manifest):
    log.consented(0)
    log.add("net", "tls_failed", 20, actor="bugly", host="android.bugly.qq.com", reason="client rejected certificate")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete" and r.exit_code == 3
    assert any("android.bugly.qq.com" in reason for reason in r.incomplete)
    assert any(f.rule == "SG900" for f in r.findings)


def test_one_sg404_per_host_when_it_received_personal_data(log, demo_manifest):
    log.consented(0)
    log.send(10, "unknown", "device_id.imei", "collect.tracker.example")
    log.add("net", "flow", 11, actor="unknown", host="collect.tracker.example", scheme="https", method="POST", path="/")
    r = evaluate(log.events, demo_manifest)
    sg404 = [f for f in r.findings if f.rule == "SG404"]
    assert [(f.actor, f.severity) for f in sg404] == [("unknown", "violation")]
