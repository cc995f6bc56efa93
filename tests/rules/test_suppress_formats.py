import json
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from sdkgate import formats
from sdkgate.errors import InputError
from sdkgate.rules import EvalOptions, evaluate
from sdkgate.rules.suppress import load_suppressions


def _violating(log):
    log.agent()
    log.read(10, "umeng_common", "device_id.imei")
    log.read(20, "jpush", "device_id.android_id", api_id="settings.secure.getString")
    return log.events


def test_suppression_by_rule_and_actor_with_expiry(tmp_path, log, demo_manifest):
    f = tmp_path / "sup.yaml"
    f.write_text("suppressions:\n"
                 "  - {rule: SG101, actor: umeng_common, reason: 'ticket 12', expires: 2999-01-01}\n"
                 "  - {rule: SG101, actor: jpush, reason: 'old', expires: 2000-01-01}\n")
    sups = load_suppressions(f)
    r = evaluate(_violating(log), demo_manifest, EvalOptions(suppressions=sups, today=date(2026, 11, 28)))
    by_actor = {x.actor: x for x in r.findings if x.rule == "SG101"}
    assert by_actor["umeng_common"].suppressed and by_actor["umeng_common"].suppression_reason == "ticket 12"
    assert not by_actor["jpush"].suppressed        # expired
    assert r.verdict == "fail"


def test_all_suppressed_passes(tmp_path, log, demo_manifest):
    f = tmp_path / "sup.yaml"
    f.write_text("- {rule: SG101, reason: accepted risk}\n")
    r = evaluate(_violating(log), demo_manifest, EvalOptions(suppressions=load_suppressions(f)))
    assert r.verdict == "pass"


def test_bad_suppression_file_names_line(tmp_path):
    f = tmp_path / "sup.yaml"
    f.write_text("suppressions:\n  - {rule: SG999, reason: x}\n")
    with pytest.raises(InputError) as e:
        load_suppressions(f)
    assert "sup.yaml" in str(e.value) and "line 2" in str(e.value) and "SG999" in str(e.value)


def test_json_contract_keys(log, demo_manifest):
    d = json.loads(formats.render(evaluate(_violating(log), demo_manifest), "json"))
    assert d["schema"] == "sdkgate.report/1"
    for k in ("verdict", "app", "sdks", "call_sites", "findings", "incomplete"):
        assert k in d
    f = d["findings"][0]
    for k in ("rule", "severity", "actor", "category", "message", "evidence"):
        assert k in f
    assert {"package", "version_name", "sha256"} <= set(d["app"])


def test_junit_one_case_per_rule_and_actor(log, demo_manifest):
    xml = formats.render(evaluate(_violating(log), demo_manifest), "junit")
    root = ET.fromstring(xml)
    names = [tc.get("name") for tc in root.iter("testcase")]
    assert "SG101 umeng_common" in names and "SG101 jpush" in names
    failed = {tc.get("name") for tc in root.iter("testcase") if tc.find("failure") is not None}
    assert failed == {"SG101 umeng_common", "SG101 jpush"}
    assert root.get("failures") == "2"


def test_console_narrow_and_chinese(log, demo_manifest):
    r = evaluate(_violating(log), demo_manifest)
    text = formats.get("console").render(r, "zh", width=60)
    assert "不通过" in text and "SG101" in text and "IMEI" in text
    assert max(len(x) for x in text.splitlines()) <= 60


def test_expired_suppression_is_said_in_the_report(tmp_path, log, demo_manifest):
    f = tmp_path / "sup.yaml"
    f.write_text("- {rule: SG101, actor: jpush, reason: old, expires: 2000-01-01}\n")
    r = evaluate(_violating(log), demo_manifest, EvalOptions(suppressions=load_suppressions(f), today=date(2026, 1, 1)))
    assert any("SG101" in s and "jpush" in s and "expired on 2000-01-01" in s for s in r.skipped)


def test_console_marks_undeclared_sdks(log, demo_manifest):
    log.add("static", "scan", 0, package="com.example.recruit")
    log.add("static", "sdk_present", 0, actor="getui", packages=["com.igexin"])
    log.add("static", "sdk_present", 0, actor="jpush", packages=["cn.jpush"])
    text = formats.get("console").render(evaluate(log.events, demo_manifest), "en", width=120)
    rows = {line.split("│")[1].strip(): line for line in text.splitlines() if line.startswith("│ getui") or line.startswith("│ jpush")}
    assert "NOT declared" in rows["getui"] and "NOT declared" not in rows["jpush"]


# ---------------------------------------------------------------- issue 9.5: exact suppressions
def _sup(tmp_path, text):
    f = tmp_path / "sup.yaml"
    f.write_text(text)
    return load_suppressions(f)


@pytest.mark.parametrize("body,needle,line_no", [
    ("- {rule: SG101, reason: x, actr: jpush}\n", "unknown field 'actr'", 1),
    ("- rule: SG101\n  reason: x\n  category: device_id.imeii\n", "unknown category 'device_id.imeii'", 3),
    ("- rule: SG301\n  reason: x\n  permission: android.permission.READ_PHONE_STAT\n", "unknown permission", 3),
    ("- rule: SG101\n  reason: x\n  host: [a, b]\n", "field 'host' must be a non-empty string", 3),
    ("- {rule: SG101, reason: 12}\n", "needs a 'reason'", 1),
    ("suppressions: []\nextra: 1\n", "unknown field 'extra'", 2),
])
def test_suppression_file_is_validated(tmp_path, body, needle, line_no):
    with pytest.raises(InputError) as e:
        _sup(tmp_path, body)
    text = e.value.render()
    assert "sup.yaml" in text and needle in text and f"line {line_no}" in text, text


def test_suppression_matches_every_field_it_gives(tmp_path, log, demo_manifest):
    log.agent()
    log.read(10, "umeng_common", "device_id.imei")
    log.send(20, "umeng_common", "device_id.imei", "ulogs.umeng.com")
    log.send(30, "umeng_common", "device_id.imei", "collect.tracker.example")
    sups = _sup(tmp_path, "- {rule: SG101, actor: umeng_common, api: telephony.getDeviceId, reason: a}\n"
                          "- {rule: SG101, actor: umeng_common, api: telephony.getImei, reason: b}\n"
                          "- {rule: SG401, host: umeng.com, reason: c}\n"
                          "- {rule: SG101, category: location, reason: d}\n"
                          "- {rule: SG900, reason: e}\n")
    r = evaluate(log.events, demo_manifest, EvalOptions(suppressions=sups, today=date(2026, 1, 1)))
    sg101 = next(f for f in r.findings if f.rule == "SG101")
    assert sg101.suppressed and sg101.suppression_reason == "a"
    by_host = {f.detail["host"]: f.suppressed for f in r.findings if f.rule == "SG401"}
    assert by_host == {"ulogs.umeng.com": True, "collect.tracker.example": False}
    unused = [s for s in r.skipped if s.startswith("unused suppression")]
    assert len(unused) == 2 and any("line 2" in s and "telephony.getImei" in s for s in unused)
    assert any("line 4" in s and "category=location" in s for s in unused)
    assert any("SG900 ignored" in s and "line 5" in s for s in r.skipped)
    assert r.verdict == "fail"


def test_a_finding_with_two_apis_is_not_hidden_by_a_suppression_of_one(tmp_path, log, demo_manifest):
    log.agent()
    log.read(10, "umeng_common", "device_id.imei")
    log.read(2000, "umeng_common", "device_id.imei", api_id="telephony.getImei")
    log.events[-1].api = "Landroid/telephony/TelephonyManager;->getImei()Ljava/lang/String;"
    sups = _sup(tmp_path, "- {rule: SG101, api: telephony.getDeviceId, reason: a}\n")
    r = evaluate(log.events, demo_manifest, EvalOptions(suppressions=sups))
    assert not next(f for f in r.findings if f.rule == "SG101").suppressed


def test_caller_prefix_matches_static_findings(tmp_path, log, demo_manifest):
    log.add("static", "scan", 0, package="com.example.recruit")
    for sdk, caller in (("getui", "Lcom/igexin/push/a;->b()V"), ("jpush", "Lcn/jpush/android/a;->c()V")):
        target = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"
        log.add("static", "path", 0, actor=sdk, category="device_id.imei", path_kind="sensitive_api",
                chain=["Lcom/example/recruit/App;->onCreate()V", caller, target], target=target,
                entry="Lcom/example/recruit/App;->onCreate()V", caller=caller)
    sups = _sup(tmp_path, "- {rule: SG205, caller: com.igexin, reason: a}\n- {rule: SG205, caller: Lcom/other/, reason: b}\n")
    r = evaluate(log.events, demo_manifest, EvalOptions(suppressions=sups))
    hidden = {f.actor: f.suppressed for f in r.findings if f.rule == "SG205"}
    assert hidden == {"getui": True, "jpush": False}, hidden
    assert any(x.startswith("unused suppression") and "Lcom/other/" in x for x in r.skipped)


def test_not_judged_rules_are_junit_skipped_and_sarif_notifications(log, demo_manifest):
    assert demo_manifest.allowed_regions
    log.agent()
    log.consented(0)
    log.send(10, "umeng_common", "device_id.imei", "ulogs.umeng.com")
    r = evaluate(log.events, demo_manifest)          # no --geoip: SG405 not judged
    assert "SG405" in r.not_judged_rules()
    root = ET.fromstring(formats.render(r, "junit"))
    tc = next(tc for tc in root.iter("testcase") if tc.get("classname") == "sdkgate.SG405")
    assert tc.find("skipped") is not None and "GeoIP" in tc.find("skipped").get("message")
    assert set(r.not_judged_rules()) == {"SG203", "SG405"}    # SG203 needs a static scan
    assert root.get("skipped") == "2"
    sarif = json.loads(formats.render(r, "sarif"))
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert sorted(n["descriptor"]["id"] for n in notes) == ["SG203", "SG405"]
