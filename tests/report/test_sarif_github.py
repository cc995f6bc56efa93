"""Every SARIF sdkgate writes validates against the SARIF 2.1.0 schema and meets GitHub code scanning's
documented upload rules: a physical location with a relative URI on every result, known rule ids,
partialFingerprints, one automationDetails.id per kind of run, size limits, no absolute local paths.

The schema (tests/data/sarif-2.1.0-rtm.5.json) is OASIS SARIF 2.1.0's final JSON schema, as shipped in the
npm package @microsoft/jest-sarif (MIT)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import jsonschema

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.formats import render
from sdkgate.report import Report

from ..bundle.evidence_kit import write_evidence

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))
APKS = REPO / "tests" / "fixtures" / "apks"
# https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
LIMITS = {"runs": 20, "results": 25_000, "rules": 25_000, "locations": 1_000, "tags": 20, "gzip_bytes": 10 * 2**20}


def github_problems(doc: dict, text: str) -> list[str]:
    """GitHub's ingestion rules, each one a string when broken."""
    out = []
    if len(gzip.compress(text.encode())) > LIMITS["gzip_bytes"]:
        out.append("file over 10 MB gzipped")
    if len(doc["runs"]) > LIMITS["runs"]:
        out.append("too many runs")
    ids = set()
    for run in doc["runs"]:
        rules = run["tool"]["driver"].get("rules", [])
        if len(rules) > LIMITS["rules"] or len(run.get("results", [])) > LIMITS["results"]:
            out.append("too many rules or results")
        rule_ids = {r["id"] for r in rules}
        for r in rules:
            if len(r.get("properties", {}).get("tags", [])) > LIMITS["tags"]:
                out.append(f"rule {r['id']}: too many tags")
        aid = (run.get("automationDetails") or {}).get("id")
        if not aid:
            out.append("run without automationDetails.id")
        ids.add(aid)
        for i, res in enumerate(run.get("results", [])):
            where = f"result {i} ({res.get('ruleId')})"
            if res.get("ruleId") not in rule_ids:
                out.append(f"{where}: ruleId not among the driver's rules")
            if not res.get("message", {}).get("text"):
                out.append(f"{where}: no message text")
            if not res.get("partialFingerprints"):
                out.append(f"{where}: no partialFingerprints")
            locs = res.get("locations") or []
            if not locs or len(locs) > LIMITS["locations"]:
                out.append(f"{where}: needs 1..1000 locations")
            for loc in locs:
                uri = (loc.get("physicalLocation") or {}).get("artifactLocation", {}).get("uri")
                if not uri:
                    out.append(f"{where}: location without physicalLocation.artifactLocation.uri")
                elif uri.startswith("/") or ":" in uri.split("/", 1)[0]:
                    out.append(f"{where}: URI {uri!r} is not relative to the repository")
                region = (loc.get("physicalLocation") or {}).get("region")
                if region is not None and region.get("startLine", 1) < 1:
                    out.append(f"{where}: startLine below 1")
    if len(ids) != len(doc["runs"]):
        out.append("runs share an automationDetails.id")
    return out


def check(text: str) -> dict:
    doc = json.loads(text)
    jsonschema.validate(doc, SCHEMA)
    assert github_problems(doc, text) == []
    assert str(REPO) not in text and str(Path.home()) + "/" not in text and "/tmp/" not in text
    return doc


def _sarif_of(args: list[str], out: Path, capsys) -> dict:
    code = run_guarded(cli, args + ["--format", "sarif", "-o", str(out)])
    assert code in (0, 1, 3), capsys.readouterr()
    return check(out.read_text("utf-8"))


def test_static_scan_sarif_points_at_smali_paths(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    doc = _sarif_of(["scan", str(APKS / "recruit-noncompliant.apk"), "-m", "manifests/demo-recruit.yaml"],
                    tmp_path / "scan.sarif", capsys)
    run = doc["runs"][0]
    assert run["automationDetails"]["id"] == "sdkgate/scan/com.example.recruit/"
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert run["results"] and any(u.startswith("smali/") and u.endswith(".smali") for u in uris)
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert run["properties"]["app"]["apk"] == "recruit-noncompliant.apk"     # the file name, not the local path


def test_scan_without_manifest_still_valid(tmp_path, capsys):
    code = run_guarded(cli, ["scan", str(APKS / "recruit-noncompliant.apk"), "--format", "sarif",
                             "-o", str(tmp_path / "x.sarif")])
    assert code in (0, 1, 3)
    check((tmp_path / "x.sarif").read_text("utf-8"))


def test_device_findings_point_at_the_manifest_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ev = write_evidence(tmp_path / "ev")
    report = Report.load(ev / "report.json")
    doc = check(render(report, "sarif"))
    results = doc["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    imei = next(r for r in results if r["ruleId"] == "SG101" and r["properties"]["actor"] == "umeng_common")
    loc = imei["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "ev/manifest.yaml"
    lines = (ev / "manifest.yaml").read_text("utf-8").splitlines()
    assert lines[loc["region"]["startLine"] - 1].strip() == "- id: umeng_common"
    assert by_rule                                              # every result checked by check() above


def test_run_automation_id_names_the_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ev = write_evidence(tmp_path / "ev", scenario_name="cold-start-accept")
    report = Report.load(ev / "report.json")
    report.app["scenario"] = "cold-start-accept"
    assert json.loads(render(report, "sarif"))["runs"][0]["automationDetails"]["id"] == "sdkgate/run/cold-start-accept/"


def test_github_rules_catch_a_bad_document():
    """The checker can fail: a result without a physical location and an absolute URI are both reported."""
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "SG101"}]}},
           "results": [{"ruleId": "SG101", "message": {"text": "m"}, "partialFingerprints": {"a": "b"},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "/abs/app.apk"}}}]},
                       {"ruleId": "SG999", "message": {"text": "m"}}]}]}
    problems = github_problems(doc, json.dumps(doc))
    assert any("not relative" in p for p in problems)
    assert any("SG999" in p and "ruleId" in p for p in problems)
    assert any("automationDetails" in p for p in problems)
