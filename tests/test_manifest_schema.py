"""The manifest's JSON Schema (printed, shipped, used by validate with file and line), clauses per app in
reports, and the scan warning for consent hooks the APK does not have."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.errors import InputError
from sdkgate.manifest import load_manifest
from sdkgate.manifest_schema import SCHEMA, schema_path, schema_text
from sdkgate.rules.catalog import RULES

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "manifests" / "demo-recruit.yaml"
APKS = REPO / "tests" / "fixtures" / "apks"


def test_schema_printed_equals_shipped_file_and_accepts_bundled_manifests(capsys):
    assert run_guarded(cli, ["manifest", "schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == SCHEMA == json.loads(schema_path().read_text("utf-8"))
    assert schema_path().read_text("utf-8") == schema_text()
    from jsonschema import Draft202012Validator
    import yaml
    for m in (REPO / "manifests").glob("*.yaml"):
        assert not list(Draft202012Validator(SCHEMA).iter_errors(yaml.safe_load(m.read_text("utf-8")))), m
        assert m.read_text("utf-8").startswith("# yaml-language-server: $schema=../sdkgate/data/manifest.schema.json")


@pytest.mark.parametrize("old,new,fragment", [
    ("when: at_start, scope: policy}", "when: sometimes, scope: policy}", "must be one of on_feature, at_start"),
    ("  browse_mode: true\n", "  browse_mode: maybe\n", "'browse_mode' has the wrong type"),
    ("  tolerance_ms: 2000\n", "  tolerance_ms: -5\n", "tolerance_ms"),
    ("  max_immutable_reads: 3\n", "  max_immutable_reads: 3\n  max_reads: 2\n", "unknown field 'max_reads'"),
    ('  SG402: "policy 1.2.1.11"\n', '  SG402: "policy 1.2.1.11"\n  SG999: "nothing"\n', "unknown rule id 'SG999'"),
    ('  SG402: "policy 1.2.1.11"\n', '  SG402: "policy 1.2.1.11"\n  sg402: "x"\n', "sg402"),
])
def test_schema_errors_name_file_and_line(tmp_path, old, new, fragment):
    text = DEMO.read_text("utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    p = tmp_path / "m.yaml"
    p.write_text(bad, "utf-8")
    with pytest.raises(InputError) as info:
        load_manifest(p)
    msg = str(info.value)
    assert str(p) in msg and fragment in msg, msg
    n = int(re.search(r"line (\d+)", msg).group(1))
    changed = next(i for i, (a, b) in enumerate(zip(text.splitlines(), bad.splitlines()), 1) if a != b)
    assert n == changed, (msg, bad.splitlines()[n - 1])


def _findings(report):
    return {f.rule: f for f in report.findings}


def test_clauses_come_from_the_manifest_else_the_law(tmp_path):
    from sdkgate.cli.scan_cmd import build_report
    from sdkgate.formats import render
    m = load_manifest(DEMO)
    rep, _ = build_report(APKS / "recruit-noncompliant.apk", m)
    f = _findings(rep)
    assert f["SG201"].clause == "policy 3.2, 附件1; PIPL Art. 23" == m.clauses["SG201"]
    assert f["SG204"].clause == RULES["SG204"].clause          # not in the demo's clauses: the default
    sarif = json.loads(render(rep, "sarif", "en"))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SG201"]["properties"]["clause"] == "policy 3.2, 附件1; PIPL Art. 23"
    assert "policy 3.2, 附件1" in render(rep, "console", "en")
    # no clauses: the neutral default, never another app's policy numbers
    plain = tmp_path / "plain.yaml"
    text = DEMO.read_text("utf-8")
    plain.write_text(text[:text.index("\n# The demo app's policy is the seed policy")] + "\n", "utf-8")
    rep2, _ = build_report(APKS / "recruit-noncompliant.apk", load_manifest(plain))
    for fnd in rep2.findings:
        assert fnd.clause == RULES[fnd.rule].clause
    assert not any("policy" in r.clause or "附件" in r.clause for r in RULES.values())
    sarif2 = json.loads(render(rep2, "sarif", "en"))
    assert all("附件" not in r["properties"]["clause"] for r in sarif2["runs"][0]["tool"]["driver"]["rules"])


def test_zhaopin_clauses_render_policy_and_law():
    m = load_manifest(REPO / "manifests" / "zhaopin-jobseeker.yaml")
    assert m.clauses["SG402"] == "policy 1.2.1.11; PIPL Art. 6-7"
    assert m.clauses["SG203"] == "policy 附件 1.1"


def test_scan_warns_when_consent_hooks_are_missing(tmp_path, capsys):
    text = DEMO.read_text("utf-8")
    bad = text.replace("hasAgreed(Landroid/content/Context;)Z", "hasAgred(Landroid/content/Context;)Z") \
              .replace("ConsentStore.setAgreed", "ConsentStore.setAgred")
    p = tmp_path / "typo.yaml"
    p.write_text(bad, "utf-8")
    run_guarded(cli, ["scan", str(APKS / "recruit-compliant.apk"), "--manifest", str(p)])
    cap = capsys.readouterr()
    # said once: at the top of the console report (stdout), or on stderr when the report is another format
    head = cap.out.splitlines()[1:3]
    assert any("consent.check Lcom/example/recruit/privacy/ConsentStore;->hasAgred" in ln for ln in head), cap.out
    assert any("consent marker method com.example.recruit.privacy.ConsentStore.setAgred" in ln for ln in head)
    assert "hasAgred" not in cap.err
    run_guarded(cli, ["scan", str(APKS / "recruit-compliant.apk"), "--manifest", str(p), "--format", "json"])
    assert "consent.check Lcom/example/recruit/privacy/ConsentStore;->hasAgred" in capsys.readouterr().err
    run_guarded(cli, ["scan", str(APKS / "recruit-compliant.apk"), "--manifest", str(DEMO)])
    cap = capsys.readouterr()
    assert "warning" not in cap.err and "consent.check" not in cap.out
