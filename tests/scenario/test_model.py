"""Scenario files: parsing, validation against the manifest, expectations."""
from __future__ import annotations


import pytest

from sdkgate.errors import InputError
from sdkgate.report import Finding, Report
from sdkgate.scenario.model import (Expectation, check_expectation, load_scenario, parse_duration)

from .conftest import MANIFEST, MODELS, SCENARIOS

HEAD = f"manifest: {MANIFEST}\napp-model: {MODELS / 'recruit-compliant.yaml'}\n"


@pytest.mark.parametrize("text,ms", [(500, 500), ("500ms", 500), ("3s", 3000), ("2m", 120_000), ("49h", 176_400_000),
                                     ("1d", 86_400_000), ("1h30m", 5_400_000), ("1.5s", 1500), (" 250 ", 250)])
def test_durations(text, ms):
    assert parse_duration(text) == ms


@pytest.mark.parametrize("bad", ["", "fast", "3x", "h", "-5s", -1, True, "3s junk", None])
def test_bad_durations(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_every_bundled_scenario_parses_and_fits_the_manifest(manifest):
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert len(files) >= 9
    for f in files:
        sc = load_scenario(f)
        sc.check_manifest(manifest)
        assert sc.manifest and sc.manifest.resolve() == MANIFEST.resolve(), f
        assert sc.app_model and sc.app_model.exists(), f
        assert sc.expectations, f"{f.name} has no expectations"
        assert len(sc.sha256) == 64


def test_step_forms(write):
    p = write("s.yaml", HEAD + """steps:
  - fresh_install
  - launch
  - wait: 500ms
  - {consent: accept, scope: personalization}
  - consent: decline
  - permission: {deny: ACCESS_FINE_LOCATION}
  - permission: {grant: android.permission.CAMERA}
  - open_feature: clipboard_paste
  - advance_clock: 49h
  - {kill: null, note: "swipe away"}
  - relaunch
""")
    sc = load_scenario(p)
    acts = [s.action for s in sc.steps]
    assert acts == ["fresh_install", "launch", "wait", "consent", "consent", "permission", "permission",
                    "open_feature", "advance_clock", "kill", "relaunch"]
    assert sc.steps[2].ms == 500 and sc.steps[8].ms == 49 * 3600 * 1000
    assert (sc.steps[3].consent, sc.steps[3].scope) == ("accept", "personalization")
    assert sc.steps[4].scope == "policy"
    assert (sc.steps[5].decision, sc.steps[5].permission) == ("deny", "android.permission.ACCESS_FINE_LOCATION")
    assert sc.steps[9].note == "swipe away"
    assert [s.line for s in sc.steps][:3] == [4, 5, 6]
    assert sc.name == "s"


@pytest.mark.parametrize("steps,line,needle", [
    ("  - launch\n  - dance\n", 5, "unknown step 'dance'"),
    ("  - launch\n  - {tap: ok}\n", 5, "unknown step 'tap'"),
    ("  - wait\n", 4, "needs a value"),
    ("  - wait: soon\n", 4, "bad duration"),
    ("  - consent: maybe\n", 4, "consent must be one of"),
    ("  - permission: {allow: CAMERA}\n", 4, "grant: PERMISSION"),
    ("  - permission: CAMERA\n", 4, "grant: PERMISSION"),
    ("  - open_feature: ''\n", 4, "needs a feature name"),
    ("  - {launch: null, wait: 3s}\n", 4, "exactly one action"),
    ("  - {launch: null, scope: policy}\n", 4, "only applies to a consent step"),
    ("  - launch: now\n", 4, "takes no value"),
    ("  - 42\n", 4, "a step is an action name or a mapping"),
])
def test_bad_steps_name_file_and_line(write, steps, line, needle):
    p = write("bad.yaml", HEAD + "steps:\n" + steps)
    with pytest.raises(InputError) as ei:
        load_scenario(p)
    assert ei.value.file == str(p)
    assert ei.value.place == f"line {line}"
    assert needle in ei.value.problem


@pytest.mark.parametrize("text,needle", [
    ("steps: []\n", "non-empty list"),
    ("steps:\n  - launch\ncolour: red\n", "unknown field 'colour'"),
    ("manifest: nowhere.yaml\nsteps:\n  - launch\n", "not found"),
    ("- launch\n", "a scenario is a YAML mapping"),
    ("steps:\n  - launch\nexpect: {verdict: maybe}\n", "verdict must be one of"),
    ("steps:\n  - launch\nexpect: {rules: [SG999]}\n", "unknown rule id 'SG999'"),
    ("steps:\n  - launch\nexpect: {rulez: [SG101]}\n", "unknown expectation field"),
    ("steps:\n  - launch\nexpect: [{app-model: nope.yaml, verdict: pass}]\n", "not found"),
    ("steps:\n  - launch\n   bad: [\n", "invalid YAML"),
])
def test_bad_scenarios(write, text, needle):
    p = write("bad.yaml", text)
    with pytest.raises(InputError) as ei:
        load_scenario(p)
    assert needle in ei.value.problem
    assert ei.value.file == str(p)


def test_missing_file():
    with pytest.raises(InputError, match="file not found"):
        load_scenario("/nonexistent/scenario.yaml")


def test_consent_scope_and_feature_checked_against_manifest(write, manifest):
    p = write("s.yaml", HEAD + "steps:\n  - launch\n  - {consent: accept, scope: marketing}\n")
    sc = load_scenario(p)
    with pytest.raises(InputError) as ei:
        sc.check_manifest(manifest)
    assert ei.value.place == "line 5" and "marketing" in ei.value.problem and "scopes" in ei.value.problem
    p = write("f.yaml", HEAD + "steps:\n  - launch\n  - open_feature: teleport\n")
    with pytest.raises(InputError, match="teleport"):
        load_scenario(p).check_manifest(manifest)


def test_paths_resolve_from_repo_root():
    sc = load_scenario(SCENARIOS / "demo-compliant.yaml")
    # `manifest: manifests/demo-recruit.yaml` is not beside the scenario: found from the folder above
    assert sc.manifest.resolve() == MANIFEST.resolve()
    assert sc.app_model.resolve() == (MODELS / "recruit-compliant.yaml").resolve()


def test_expectation_selection():
    sc = load_scenario(SCENARIOS / "cold-start-accept.yaml")
    comp, non = MODELS / "recruit-compliant.yaml", MODELS / "recruit-noncompliant.yaml"
    assert sc.expectation_for(comp).verdict == "pass"
    assert sc.expectation_for(non).verdict == "fail"
    demo = load_scenario(SCENARIOS / "demo-noncompliant.yaml")
    assert demo.expectation_for(non).verdict == "fail"        # its own model
    assert demo.expectation_for(comp) is None                   # written for another model
    face = load_scenario(SCENARIOS / "feature-face-verification.yaml")
    assert face.expectation_for(non) is None


def _finding(rule, actor):
    return Finding(rule=rule, severity="violation", actor=actor, category=None, message="", message_zh="", clause="")


def test_check_expectation_lists_every_mismatch():
    report = Report(verdict="fail", findings=[_finding("SG101", "umeng_common"), _finding("SG402", "first_party")])
    ok = check_expectation(Expectation("fail", ("SG101", "SG101:umeng_common"), ("SG103",)), report)
    assert ok.met and ok.mismatches == []
    bad = check_expectation(Expectation("pass", ("SG101:jpush", "SG401"), ("SG402", "SG101:umeng_common")), report)
    assert not bad.met
    text = " | ".join(bad.mismatches)
    for needle in ("verdict 'fail', expected 'pass'", "SG101:jpush did not fire", "SG401 did not fire",
                   "SG402 fired (first_party)", "SG101:umeng_common fired"):
        assert needle in text
    # suppressed findings do not count as fired
    report.findings[0].suppressed = True
    assert not check_expectation(Expectation(None, ("SG101",), ()), report).met
