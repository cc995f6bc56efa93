"""Say it once, early and right (issue 20.5): a manifest of another app is bad input naming both packages
(unless the build was renamed), a manifest without a consent check is said once, names a person mistyped get
a "did you mean", and `manifest draft --from-scan` proposes the consent check."""
from __future__ import annotations

import json
from pathlib import Path

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

REPO = Path(__file__).resolve().parents[2]
GATE = REPO / "tests" / "fixtures" / "apks-gate"
HONEST = GATE / "gate-honest.apk"


def sg(capsys, *args):
    code = run_guarded(cli, [str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def _manifest(tmp_path, text: str, name="m.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, "utf-8")
    return p


def _gate(tmp_path, old: str, new: str) -> Path:
    return _manifest(tmp_path, (GATE / "gate.yaml").read_text("utf-8").replace(old, new, 1))


def test_package_mismatch_is_bad_input_naming_both(capsys, tmp_path):
    other = _gate(tmp_path, "package: com.example.recruit", "package: com.example.other")
    code, out, err = sg(capsys, "scan", HONEST, "-m", other, "--format", "json")
    assert code == 2 and out == ""
    assert "com.example.recruit" in err and "com.example.other" in err and "--allow-package-mismatch" in err
    code, out, _ = sg(capsys, "scan", HONEST, "-m", other, "--format", "json", "--allow-package-mismatch")
    rep = json.loads(out)
    assert code == 0 and rep["verdict"] == "pass"
    assert any("package mismatch allowed" in s for s in rep["skipped"])
    # several APKs and the fleet database: the same rule, each APK its own error
    code, _, err = sg(capsys, "scan", HONEST, GATE / "gate-fail.apk", "-m", other, "-o", tmp_path / "out")
    assert code == 2 and err.count("--allow-package-mismatch") == 2
    db = f"sqlite:///{tmp_path / 'f.db'}"
    code, _, _ = sg(capsys, "scan", HONEST, "-m", other, "--db", db)
    assert code == 2
    code, out, _ = sg(capsys, "fleet", "query", "--db", db, "SELECT verdict, error_kind FROM apps", "--format", "json")
    assert json.loads(out) == [{"verdict": "error", "error_kind": "input"}]


def test_run_refuses_another_apps_apk_before_any_device(capsys, tmp_path):
    other = _gate(tmp_path, "package: com.example.recruit", "package: com.example.other")
    scen = tmp_path / "s.yaml"
    scen.write_text("name: s\nsteps:\n  - launch\n", "utf-8")
    code, _, err = sg(capsys, "run", "--apk", HONEST, "-m", other, "--scenario", scen, "--out", tmp_path / "o")
    assert code == 2 and "com.example.other" in err and not (tmp_path / "o").exists()


def test_no_consent_check_is_said_once(capsys, tmp_path):
    m = _gate(tmp_path, 'consent:\n  check:\n    - "Lcom/example/recruit/privacy/ConsentStore;->hasAgreed(Landroid/'
                        'content/Context;)Z"', "consent: {scopes: [policy]}")
    code, out, err = sg(capsys, "manifest", "validate", m)
    assert code == 0 and err.count("no consent check declared") == 1
    code, out, err = sg(capsys, "scan", HONEST, "-m", m)
    lines = out.splitlines()
    assert code == 1 and lines[1] == "no consent check declared: every start path to an SDK counts as before consent"
    assert out.count("no consent check declared") == 1 and "no consent check" not in err
    code, out, err = sg(capsys, "scan", HONEST, "-m", m, "--format", "json")
    assert err.count("no consent check declared") == 1
    code, _, err = sg(capsys, "manifest", "validate", GATE / "gate.yaml")
    assert code == 0 and "warning" not in err


def test_did_you_mean(capsys, tmp_path):
    base = "schema: sdkgate.manifest/1\napp: {package: com.example.recruit}\nconsent: {check: [\"La;->b()Z\"]}\n"
    cases = [
        ("sdks:\n  - {id: umeng_comon, categories: []}\n", "line 5", "did you mean umeng_common?"),
        ("sdks:\n  - {id: umeng_common, categories: [device_id.imie]}\n", "line 5", "did you mean device_id.imei?"),
        ("permissions:\n  - {permission: android.permission.CAMRA}\n", "line 5",
         "did you mean android.permission.CAMERA?"),
        ("sdks:\n  - {id: jpush, categories: [], permissions: [android.permission.READ_PHONE_STAT]}\n", "line 5",
         "did you mean android.permission.READ_PHONE_STATE?"),
    ]
    for i, (body, where, hint) in enumerate(cases):
        code, _, err = sg(capsys, "manifest", "validate", _manifest(tmp_path, base + body, f"m{i}.yaml"))
        assert code == 2 and where in err and hint in err and "Traceback" not in err, err
    # newer than the table, or a vendor's: a warning, never a wrong suggestion
    ok = base + ("permissions:\n  - {permission: android.permission.POST_NOTIFICATIONS}\n"
                 "  - {permission: android.permission.SOMETHING_FROM_API_40}\n"
                 "  - {permission: com.example.recruit.permission.C2D}\n")
    code, _, err = sg(capsys, "manifest", "validate", _manifest(tmp_path, ok, "ok.yaml"))
    assert code == 0 and "SOMETHING_FROM_API_40 is not an Android platform permission" in err
    assert "POST_NOTIFICATIONS" not in err and "C2D" not in err


def test_draft_from_scan_proposes_the_consent_check(capsys, tmp_path):
    code, out, _ = sg(capsys, "manifest", "draft", "--from-scan", HONEST)
    assert code == 0
    cand = [ln for ln in out.splitlines() if ln.startswith("  # check: [")]
    assert len(cand) == 1
    assert '"Lcom/example/recruit/privacy/ConsentStore;->hasAgreed(Landroid/content/Context;)Z"' in cand[0]
    assert "reads preference 'privacy_agreed' and returns it" in cand[0]
    assert "called from Lcom/example/recruit/App;->onCreate()V" in cand[0]
    dialog = [ln for ln in out.splitlines() if ln.startswith("  # consent dialog? ")]
    assert len(dialog) == 1 and "PrivacyDialog;->show" in dialog[0] and "'同意并继续'" in dialog[0]
    assert "called from Lcom/example/recruit/MainActivity;->onCreate(Landroid/os/Bundle;)V" in dialog[0]
    import yaml
    assert yaml.safe_load(out)["app"]["package"] == "com.example.recruit"          # still a valid draft
