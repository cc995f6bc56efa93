"""`sdkgate simulate` end to end: real agent, real Frida, a real proxy per run, exit codes, messages."""
from __future__ import annotations

import json

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

from .conftest import MANIFEST, MODELS, SCENARIOS


def sdkgate(*args) -> int:
    return run_guarded(cli, [str(a) for a in args])


def test_simulate_demo_compliant_writes_the_evidence_folder(tmp_path, capsys):
    out = tmp_path / "ev"
    code = sdkgate("simulate", SCENARIOS / "demo-compliant.yaml", "--out", out, "--format", "json")
    cap = capsys.readouterr()
    report = json.loads(cap.out)
    assert code == 0 and report["verdict"] == "pass", (report["findings"], report["incomplete"])
    assert "expectation met" in cap.err and str(out) in cap.err
    for name in ("events.jsonl", "net.jsonl", "flows.mitm", "flows.har", "run.json", "report.json",
                 "manifest.yaml", "scenario.yaml"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    run = json.loads((out / "run.json").read_text())
    for key in ("scenario", "app_model", "manifest", "versions", "agent_sha256", "canaries", "started",
                "t0_epoch_ms", "backend"):
        assert run[key], key
    assert run["backend"] == "simulated" and run["proxy"]["mode"] == "offline"
    assert set(run["versions"]) >= {"tool", "frida", "mitmproxy"}
    # the compliant app's SDKs talk after consent: the proxy saw it, with the run's canaries
    net = [json.loads(x) for x in (out / "net.jsonl").read_text().splitlines()]
    consent_t = next(json.loads(x)["t_ms"] for x in (out / "events.jsonl").read_text().splitlines()
                     if json.loads(x)["kind"] == "consent")
    sends = [n for n in net if n["kind"] == "send"]
    assert sends and all(n["t_ms"] > consent_t for n in sends)
    har = json.loads((out / "flows.har").read_text())
    assert har["log"]["entries"]
    # `sdkgate evaluate` reproduces the findings
    code2 = sdkgate("evaluate", "-m", out / "manifest.yaml", out / "events.jsonl", out / "net.jsonl", "--format", "json")
    again = json.loads(capsys.readouterr().out)
    assert code2 == code and again["findings"] == report["findings"] and again["verdict"] == report["verdict"]


def test_expectation_mismatch_never_exits_zero(tmp_path, capsys):
    sc = tmp_path / "wrong.yaml"
    sc.write_text(f"name: wrong\nmanifest: {MANIFEST}\napp-model: {MODELS / 'recruit-compliant.yaml'}\n"
                  "steps:\n  - fresh_install\n  - launch\n  - consent: decline\n"
                  "expect: {verdict: fail, rules: [SG101]}\n")
    code = sdkgate("simulate", sc, "--out", tmp_path / "ev")
    err = capsys.readouterr().err
    assert code == 1
    assert "expectation not met" in err and "verdict 'pass', expected 'fail'" in err and "SG101 did not fire" in err


def test_default_out_dir(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sc = tmp_path / "tiny.yaml"
    sc.write_text(f"name: tiny run\nmanifest: {MANIFEST}\napp-model: {MODELS / 'recruit-compliant.yaml'}\n"
                  "steps:\n  - fresh_install\n  - launch\n")
    code = sdkgate("simulate", sc, "--no-proxy", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    # without the proxy the wire was not watched: never `pass`
    assert code == 3 and report["verdict"] == "incomplete"
    assert any("network not observed" in r for r in report["incomplete"])
    made = list((tmp_path / "out").iterdir())
    assert len(made) == 1 and made[0].name.startswith("tiny-run-") and (made[0] / "report.json").exists()


@pytest.mark.parametrize("text,needle", [
    ("steps:\n  - launch\n  - fly\n", ":line 6: unknown step 'fly'"),
    ("steps:\n  - launch\n  - {consent: accept, scope: ads}\n", ":line 6: consent scope 'ads' is not declared"),
])
def test_bad_scenario_exits_2_with_file_and_line(tmp_path, capsys, text, needle):
    sc = tmp_path / "bad.yaml"
    sc.write_text(f"manifest: {MANIFEST}\napp-model: {MODELS / 'recruit-compliant.yaml'}\nname: bad\n" + text)
    code = sdkgate("simulate", sc, "--out", tmp_path / "ev")
    err = capsys.readouterr().err
    assert code == 2 and f"{sc}{needle}" in err and "Traceback" not in err
    assert not (tmp_path / "ev").exists()


def test_bad_app_model_exits_2(tmp_path, capsys):
    model = tmp_path / "m.yaml"
    model.write_text((MODELS / "recruit-compliant.yaml").read_text("utf-8").replace(
        "read: msa.IdSupplier.getOAID", "read: msa.IdSupplier.getOAIDX"))
    code = sdkgate("simulate", SCENARIOS / "demo-compliant.yaml", "--app-model", model, "--out", tmp_path / "ev")
    err = capsys.readouterr().err
    assert code == 2 and f"{model}:line" in err and "unknown API 'msa.IdSupplier.getOAIDX'" in err


def test_missing_agent_bundle_exits_2_before_anything_runs(tmp_path, capsys, monkeypatch):
    from sdkgate.dynamic import build
    monkeypatch.setattr(build, "shipped_bundle_path", lambda target: tmp_path / "nowhere" / "agent-sim.js")
    code = sdkgate("simulate", SCENARIOS / "demo-compliant.yaml", "--out", tmp_path / "ev", "--no-proxy")
    err = capsys.readouterr().err
    assert code == 2 and "agent bundle" in err and "missing" in err
    run = json.loads((tmp_path / "ev" / "run.json").read_text())
    assert run["status"] == "error" and not (tmp_path / "ev" / "report.json").exists()


def test_agent_that_fails_to_load_makes_the_run_incomplete(tmp_path, capsys, monkeypatch):
    """The bundle is there but real Frida refuses it: the launch step fails, the run says why (exit 3)."""
    from sdkgate.dynamic import simruntime
    monkeypatch.setattr(simruntime, "load_bundle", lambda target: "this is ( not javascript")
    code = sdkgate("simulate", SCENARIOS / "demo-compliant.yaml", "--out", tmp_path / "ev", "--no-proxy",
                   "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert code == 3 and report["verdict"] == "incomplete"
    assert any("launch" in r and "agent failed to load" in r for r in report["incomplete"])
    steps = [json.loads(x) for x in (tmp_path / "ev" / "events.jsonl").read_text().splitlines()
             if json.loads(x)["kind"] == "step"]
    assert [s["action"] for s in steps] == ["fresh_install", "launch"]       # nothing ran after it


def test_help():
    assert sdkgate("simulate", "--help") == 0


def test_suppressions_are_applied_recorded_and_reproduced_by_verify(tmp_path, capsys):
    sup = tmp_path / "sup.yaml"
    sup.write_text("- {rule: SG101, actor: bugly, reason: 'vendor fix due', expires: 2999-01-01}\n")
    out = tmp_path / "ev"
    code = sdkgate("simulate", SCENARIOS / "demo-noncompliant.yaml", "--out", out, "--format", "json",
                   "--suppressions", sup)
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    by = {(f["rule"], f["actor"]): f for f in report["findings"]}
    assert by[("SG101", "bugly")]["suppressed"] and not by[("SG101", "jpush")]["suppressed"]
    rec = json.loads((out / "run.json").read_text())["eval_options"]
    assert rec["suppressions"][0]["actor"] == "bugly" and rec["today"]
    assert sdkgate("verify", out) == 0
    assert "verdict reproduced: fail" in capsys.readouterr().out


def test_missing_geoip_database_is_bad_input(tmp_path, capsys):
    code = sdkgate("simulate", SCENARIOS / "demo-compliant.yaml", "--out", tmp_path / "ev",
                   "--geoip", tmp_path / "nope.mmdb")
    err = capsys.readouterr().err
    assert code == 2 and "nope.mmdb" in err and "not found" in err


def test_simulate_signs_and_zips_and_verify_checks_the_key(tmp_path, capsys):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    priv, pub = tmp_path / "k.pem", tmp_path / "k.pub"
    priv.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    out = tmp_path / "ev"
    assert sdkgate("simulate", SCENARIOS / "demo-compliant.yaml", "--out", out, "--sign", priv, "--zip") == 0
    assert (out / "bundle.sig").is_file() and (tmp_path / "ev.zip").is_file()
    capsys.readouterr()
    assert sdkgate("verify", tmp_path / "ev.zip", "--key", pub) == 0
    assert "signature: valid" in capsys.readouterr().out
    other = tmp_path / "other.pub"
    other.write_bytes(Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    assert sdkgate("verify", out, "--key", other) == 4
