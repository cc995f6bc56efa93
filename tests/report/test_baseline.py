"""`scan NEW.apk --baseline OLD_REPORT.json|OLD.apk`: what changed since the last release, `--fail-on-new` failing only
on violations the baseline did not have, SARIF `baselineState` set per result."""
from __future__ import annotations

import json
from pathlib import Path

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

REPO = Path(__file__).resolve().parents[2]
APKS = REPO / "tests" / "fixtures" / "apks"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"


def _scan(capsys, apk: str, *args: str) -> tuple[int, str, str]:
    code = run_guarded(cli, ["scan", str(APKS / apk), "-m", str(MANIFEST), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_new_release_against_the_last_report(tmp_path, capsys):
    old = tmp_path / "old.json"
    assert _scan(capsys, "recruit-compliant.apk", "--format", "json", "-o", str(old))[0] == 0
    code, out, _ = _scan(capsys, "recruit-noncompliant.apk", "--baseline", str(old), "--format", "json")
    base = json.loads(out)["stats"]["baseline"]
    assert code == 1 and base["source"] == str(old)
    assert "getui" in base["new"]["sdks"] and base["counts"]["findings"]["new"] > 0
    assert "android.permission.READ_CONTACTS" in base["new"]["permissions"]
    assert any(f["rule"] == "SG201" and f["actor"] == "getui" for f in base["new"]["findings"])
    code, out, _ = _scan(capsys, "recruit-noncompliant.apk", "--baseline", str(old), "--fail-on-new")
    assert code == 1 and "Since the baseline" in out and "+ getui" in out


def test_an_unchanged_release_does_not_fail_on_new(tmp_path, capsys):
    """Baseline = the same app (its APK scanned again): every violation is known, so --fail-on-new passes the build
    while the report still says FAIL; SARIF marks every result unchanged."""
    apk = str(APKS / "recruit-noncompliant.apk")
    code, out, err = _scan(capsys, "recruit-noncompliant.apk", "--baseline", apk, "--fail-on-new", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert code == 0 and results and {r["baselineState"] for r in results} == {"unchanged"}
    assert "already in the baseline do not fail the build" in err
    assert json.loads(out)["runs"][0]["properties"]["verdict"] == "fail"
    assert _scan(capsys, "recruit-noncompliant.apk", "--baseline", apk)[0] == 1       # without the flag: the verdict


def test_one_new_violation_is_new(tmp_path, capsys):
    old = tmp_path / "old.json"
    _scan(capsys, "recruit-noncompliant.apk", "--format", "json", "-o", str(old))
    data = json.loads(old.read_text("utf-8"))
    dropped = next(f for f in data["findings"] if f["rule"] == "SG201")
    data["findings"].remove(dropped)                         # the last release did not have the undeclared getui
    old.write_text(json.dumps(data), "utf-8")
    code, out, _ = _scan(capsys, "recruit-noncompliant.apk", "--baseline", str(old), "--fail-on-new", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    new = [r for r in results if r["baselineState"] == "new"]
    assert code == 1 and [(r["ruleId"], r["properties"]["actor"]) for r in new] == [("SG201", "getui")]
    code, out, _ = _scan(capsys, "recruit-noncompliant.apk", "--baseline", str(old), "--format", "html",
                         "-o", str(tmp_path / "b.html"))
    html = (tmp_path / "b.html").read_text("utf-8")
    assert 'id="baseline"' in html and html.index('id="baseline"') < html.index('id="findings"')


def test_baseline_errors(tmp_path, capsys):
    code, _, err = _scan(capsys, "recruit-noncompliant.apk", "--fail-on-new")
    assert code == 2 and "needs --baseline" in err
    code, _, err = _scan(capsys, "recruit-noncompliant.apk", "--baseline", str(tmp_path / "missing.json"))
    assert code == 2 and "baseline not found" in err
    other = tmp_path / "other.json"
    _scan(capsys, "recruit-compliant.apk", "--format", "json", "-o", str(other))
    data = json.loads(other.read_text("utf-8"))
    data["app"]["package"] = "com.other.app"
    other.write_text(json.dumps(data), "utf-8")
    code, _, err = _scan(capsys, "recruit-noncompliant.apk", "--baseline", str(other))
    assert code == 2 and "com.other.app" in err and "Traceback" not in err
    (tmp_path / "bad.json").write_text("{not json", "utf-8")
    code, _, err = _scan(capsys, "recruit-noncompliant.apk", "--baseline", str(tmp_path / "bad.json"))
    assert code == 2 and "bad.json" in err and "Traceback" not in err
