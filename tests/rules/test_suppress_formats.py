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
