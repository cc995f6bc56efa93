"""`sdkgate scan` on the fixture APKs, checked against tests/fixtures/apks/expected.yaml (facts written
from the smali sources): every call site, caller, actor, the inventory, process-start code, the
pre-consent paths, and SG201-SG205 / SG301 as judged by the rule engine."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.scanning import build_report
from sdkgate.manifest import load_manifest
from sdkgate.static import scan_apk

ROOT = Path(__file__).resolve().parents[2]
APKS = ROOT / "tests" / "fixtures" / "apks"
EXPECTED = yaml.safe_load((APKS / "expected.yaml").read_text("utf-8"))
DEMO = ROOT / EXPECTED["demo_manifest"]
NAMES = sorted(EXPECTED["apks"])
THIRD = ("first_party", "unknown")


@lru_cache(maxsize=None)
def manifest():
    return load_manifest(DEMO)


@lru_cache(maxsize=None)
def scanned(name: str):
    return scan_apk(APKS / name, manifest())


@lru_cache(maxsize=None)
def judged(name: str):
    report, _ = build_report(APKS / name, manifest())
    return report


def events(name: str, kind: str):
    return [e for e in scanned(name).events if e.kind == kind]


@pytest.mark.parametrize("name", NAMES)
def test_every_call_site_caller_and_actor(name):
    exp = EXPECTED["apks"][name]
    want = {(c["api_id"], c["api"], c["caller"], c["actor"], c.get("invoked_as"))
            for c in exp["call_sites"] + exp.get("nested_call_sites", []) + exp["permission_requests"]}
    got = {(e.get("api_id"), e.api, e.get("caller"), e.actor, e.get("invoked_as")) for e in events(name, "call_site")}
    assert got == want
    for c in exp.get("nested_call_sites", []):
        ev = next(e for e in events(name, "call_site") if e.get("caller") == c["caller"] and e.get("api_id") == c["api_id"])
        assert ev.get("dex") == c["dex"]
    for c in exp["call_sites"] + exp.get("nested_call_sites", []):
        ev = next(e for e in events(name, "call_site") if e.get("caller") == c["caller"] and e.get("api_id") == c["api_id"])
        assert ev.category == c["category"]


@pytest.mark.parametrize("name", NAMES)
def test_filtered_arguments_are_not_call_sites(name):
    got = {(e.api, e.get("caller")) for e in events(name, "call_site")}
    for c in EXPECTED["apks"][name]["not_call_sites"]:
        assert (c["api"], c["caller"]) not in got, c["why"]


@pytest.mark.parametrize("name", NAMES)
def test_permission_request_arguments(name):
    for c in EXPECTED["apks"][name]["permission_requests"]:
        ev = next(e for e in events(name, "call_site") if e.get("caller") == c["caller"] and e.get("api_id") == c["api_id"])
        assert ev.get("permissions") == c["permissions"]
        assert ev.get("request_code") == c["request_code"]


@pytest.mark.parametrize("name", NAMES)
def test_inventory(name):
    exp = EXPECTED["apks"][name]
    got = {e.actor: e for e in events(name, "sdk_present") if e.actor != "unknown"}
    assert set(got) == set(exp["sdks_present"])
    for sid, row in exp["sdks_present"].items():
        assert sorted(got[sid].get("packages")) == sorted(row["prefixes"]), sid
        assert got[sid].get("class_count") == len(row["classes"]), sid
    scan = events(name, "scan")[0]
    assert scan.get("package") == exp["package"]
    assert scan.get("version_name") == exp["version_name"]
    assert scan.get("dex_files") == exp["dex"] + exp["nested_dex"]
    assert scan.get("class_count") == sum(len(v) for v in exp["classes"].values())


@pytest.mark.parametrize("name", NAMES)
def test_permissions_declared_with_protection_level(name):
    exp = EXPECTED["apks"][name]
    got = {e.get("permission"): e for e in events(name, "permission_declared")}
    assert set(got) == set(exp["uses_permissions"]) | set(exp["uses_permissions_sdk23"])
    for p in exp["uses_permissions_sdk23"]:
        assert got[p].get("tag") == "uses-permission-sdk-23"
    if "android.permission.READ_PHONE_STATE" in got:
        assert got["android.permission.READ_PHONE_STATE"].get("protection_level") == "dangerous"
    if "android.permission.INTERNET" in got:
        assert got["android.permission.INTERNET"].get("protection_level").startswith("normal")


@pytest.mark.parametrize("name", NAMES)
def test_process_start_components(name):
    exp = EXPECTED["apks"][name]
    want = {(p["type"], p["name"], p["actor"]) for p in exp["process_start"] if p["actor"] not in THIRD}
    got = {(e.get("component_type"), e.get("name"), e.actor) for e in events(name, "component")}
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_entry_points(name):
    exp = EXPECTED["apks"][name]
    want = {m for p in exp["process_start"] for m in p["entry"]}
    got = set(events(name, "scan")[0].get("entry_points"))
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_pre_consent_paths(name):
    exp = EXPECTED["apks"][name]
    want_api = {(tuple(p["chain"]), p["target"]) for p in exp["call_paths"] if not p["consent_gated"]}
    want_init = {(tuple(p["chain"]), p["target"], p["sdk"]) for p in exp["init_paths"] if not p["consent_gated"]}
    for r in exp["permission_requests"]:
        if r["at_start"]:
            entry = next(m for p in exp["process_start"] for m in p["entry"] if m == r["caller"])
            want_api.add(((entry,), r["api"]))
    paths = events(name, "path")
    got_api = {(tuple(e.get("chain")), e.get("target")) for e in paths if e.get("path_kind") == "sensitive_api"}
    got_init = {(tuple(e.get("chain")), e.get("target"), e.actor) for e in paths if e.get("path_kind") == "sdk_init"}
    assert got_api == want_api
    assert got_init == want_init
    gated = [p for p in exp["call_paths"] + exp["init_paths"] if p["consent_gated"]]
    scan = events(name, "scan")[0]
    assert scan.get("gated_paths") == len({(p["chain"][0], p["chain"][-1], p["target"]) for p in gated})
    assert scan.get("bounds") == []


@pytest.mark.parametrize("name", NAMES)
def test_rules_sg201_to_sg205_and_sg301(name):
    exp = EXPECTED["apks"][name]
    vs = exp["vs_demo_manifest"]
    report = judged(name)
    by_rule: dict[str, list] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert {f.actor for f in by_rule.get("SG201", [])} == set(vs["undeclared_sdks"])
    assert {f.actor for f in by_rule.get("SG203", [])} == set(vs["declared_sdks_absent"])
    assert {f.detail["permission"] for f in by_rule.get("SG301", [])} == set(vs["permissions_not_in_table"])
    # SG202 (warning): an SDK's code reaches a category its declared row does not list
    m = manifest()
    want202 = {(c["actor"], c["category"]) for c in exp["call_sites"] + exp.get("nested_call_sites", [])
               if c["actor"] in m.sdks and c["category"] not in m.sdks[c["actor"]].categories}
    assert {(f.actor, f.category) for f in by_rule.get("SG202", [])} == want202
    assert all(f.severity == "warning" for f in by_rule.get("SG202", []))
    want204 = {(p["actor"], p["name"]) for p in exp["process_start"] if p["actor"] not in THIRD}
    assert {(f.actor, f.detail["component"]) for f in by_rule.get("SG204", [])} == want204
    ungated = [p for p in exp["call_paths"] + exp["init_paths"] if not p["consent_gated"]]
    want205 = {p["target"] for p in ungated} | {r["api"] for r in exp["permission_requests"] if r["at_start"]}
    assert {f.detail["target"] for f in by_rule.get("SG205", [])} == want205
    assert report.verdict == ("fail" if by_rule.get("SG201") or want205 or vs["permissions_not_in_table"] else "pass")


def test_compliant_build_has_no_pre_consent_path():
    report = judged("recruit-compliant.apk")
    assert not [f for f in report.findings if f.rule == "SG205"]
    assert events("recruit-compliant.apk", "scan")[0].get("gated_paths") > 0


def test_without_manifest_inventory_and_call_sites_only(capsys):
    apk = APKS / "recruit-noncompliant.apk"
    code = run_guarded(cli, ["scan", str(apk), "--format", "json"])
    rep = json.loads(capsys.readouterr().out)
    assert not [f for f in rep["findings"] if f["rule"] in ("SG201", "SG202", "SG203", "SG205", "SG301")]
    assert rep["call_sites"] and rep["sdks"]
    # issue 9: a CI gate that forgets -m must not pass
    assert rep["verdict"] == "not_judged" and code == 3
    assert rep["stats"]["not_judged"] == "no manifest (declarations) given"


def test_scan_without_manifest_says_not_judged_and_junit_sarif_list_the_rules(capsys):
    apk = APKS / "recruit-compliant.apk"
    assert run_guarded(cli, ["scan", str(apk)]) == 3
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("NOT JUDGED: no manifest (declarations) given")
    assert run_guarded(cli, ["scan", str(apk), "--format", "junit"]) == 3
    xml = capsys.readouterr().out
    assert '<skipped message="no manifest: declaration rules' in xml and 'name="SG201 ' in xml
    import xml.etree.ElementTree as ET
    suite = ET.fromstring(xml)
    skipped = {tc.get("classname") for tc in suite.iter("testcase") if tc.find("skipped") is not None}
    assert {"sdkgate.SG201", "sdkgate.SG301", "sdkgate.SG404"} <= skipped and int(suite.get("skipped")) == len(skipped)
    assert run_guarded(cli, ["scan", str(apk), "--format", "sarif"]) == 3
    sarif = json.loads(capsys.readouterr().out)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "SG201" and "not judged" in n["message"]["text"] for n in notes)


def test_scan_inventory_is_exit_0_without_a_verdict_line(capsys):
    apk = APKS / "recruit-noncompliant.apk"
    assert run_guarded(cli, ["scan", str(apk), "--inventory"]) == 0
    out = capsys.readouterr().out
    assert "NOT JUDGED" not in out and "Verdict" not in out and "umeng" in out.lower()


def test_json_report_contract(capsys, tmp_path):
    out = tmp_path / "r.json"
    code = run_guarded(cli, ["scan", str(APKS / "recruit-noncompliant.apk"), "--manifest", str(DEMO),
                             "--format", "json", "-o", str(out)])
    assert code == 1
    rep = json.loads(out.read_text("utf-8"))
    for key in ("schema", "verdict", "app", "sdks", "call_sites", "findings", "incomplete"):
        assert key in rep
    assert rep["schema"] == "sdkgate.report/1" and rep["verdict"] == "fail"
    assert rep["app"]["package"] == "com.example.recruit" and len(rep["app"]["sha256"]) == 64
    for s in rep["sdks"]:
        assert {"id", "name", "declared", "packages"} <= set(s)
    for c in rep["call_sites"]:
        assert set(c) >= {"category", "api", "caller", "actor"}
        assert c["api"].startswith("L") and "->" in c["api"] and c["caller"].startswith("L")
    for f in rep["findings"]:
        assert {"rule", "severity", "actor", "category", "message", "evidence"} <= set(f)
    exp = EXPECTED["apks"]["recruit-noncompliant.apk"]
    assert {(c["api"], c["caller"], c["actor"]) for c in rep["call_sites"]} == \
        {(c["api"], c["caller"], c["actor"]) for c in exp["call_sites"] + exp["permission_requests"]}


def test_sarif_structure(capsys):
    code = run_guarded(cli, ["scan", str(APKS / "recruit-noncompliant.apk"), "--manifest", str(DEMO),
                             "--format", "sarif", "--lang", "zh"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "sdkgate"
    ids = [r["id"] for r in driver["rules"]]
    assert {"SG201", "SG202", "SG203", "SG204", "SG205", "SG301"} <= set(ids)
    levels = set()
    for res in run["results"]:
        assert res["ruleId"] in ids and ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note", "none")
        levels.add(res["level"])
        assert res["message"]["text"]
        for loc in res.get("locations", []):
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]   # relative: a smali path or the manifest
            assert not uri.startswith("/") and (uri.endswith((".smali", "demo-recruit.yaml", "recruit-noncompliant.apk")))
            for ll in loc.get("logicalLocations", []):
                assert ll["fullyQualifiedName"] and ll["kind"] in ("function", "member", "type", "resource")
    assert levels == {"error", "warning", "note"}
    sg205 = [r for r in run["results"] if r["ruleId"] == "SG205"]
    assert sg205 and all(r["locations"][0]["logicalLocations"][0]["kind"] == "function" for r in sg205)
    assert any(r.get("relatedLocations") for r in sg205)
    sg204 = next(r for r in run["results"] if r["ruleId"] == "SG204")
    assert sg204["locations"][0]["logicalLocations"][0]["kind"] == "type"
    assert run["artifacts"][0]["hashes"]["sha-256"]


def test_folder_scan_in_parallel(tmp_path, capsys):
    out = tmp_path / "reports"
    code = run_guarded(cli, ["scan", str(APKS), "--manifest", str(DEMO), "--format", "json", "-o", str(out),
                             "--jobs", "2"])
    capsys.readouterr()
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(n.replace(".apk", ".json") for n in NAMES)
    verdicts = {p.stem: json.loads(p.read_text())["verdict"] for p in out.iterdir()}
    assert verdicts["recruit-noncompliant"] == "fail"
    assert code == max((({"pass": 0, "fail": 1, "incomplete": 3}[v]) for v in verdicts.values()),
                       key=lambda c: {0: 0, 1: 1, 3: 2}[c])


def test_scan_takes_suppressions_and_does_not_mention_network_rules(tmp_path):
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded

    sup = tmp_path / "sup.yaml"
    sup.write_text("- {rule: SG201, actor: getui, reason: 'removed in 2.0', expires: 2999-01-01}\n")
    out = tmp_path / "r.json"
    code = run_guarded(cli, ["scan", str(APKS / "recruit-noncompliant.apk"), "-m", str(ROOT / "manifests/demo-recruit.yaml"),
                             "--suppressions", str(sup), "--format", "json", "-o", str(out)])
    d = json.loads(out.read_text())
    assert code == 1
    assert [f["suppressed"] for f in d["findings"] if f["rule"] == "SG201" and f["actor"] == "getui"] == [True]
    assert not any("SG405" in s for s in d["skipped"])
