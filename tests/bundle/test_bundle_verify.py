"""Seal an evidence folder, tamper with it in each way an auditor must catch, and run `sdkgate verify`."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.bundle.evidence_kit import DEMO_MANIFEST, write_evidence
from sdkgate.bundle import pack_zip, salted_hash, write_bundle
from sdkgate.bundle.sign import sign_bundle
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded


def verify(capsys, *args) -> tuple[int, str]:
    code = run_guarded(cli, ["verify", *map(str, args)])
    cap = capsys.readouterr()
    return code, cap.out + cap.err


@pytest.fixture
def bundle(tmp_path) -> Path:
    d = write_evidence(tmp_path / "run1")
    write_bundle(d)
    return d


def test_untouched_bundle_is_reproduced(bundle, capsys):
    code, out = verify(capsys, bundle)
    assert code == 0, out
    assert "integrity: all files match" in out
    assert "verdict reproduced: fail" in out       # the recorded verdict is fail, and the evidence still says so


def test_edit_one_byte(bundle, capsys):
    p = bundle / "events.jsonl"
    data = bytearray(p.read_bytes())
    i = data.index(b"umeng_common")
    data[i] = ord("U")
    p.write_bytes(bytes(data))
    code, out = verify(capsys, bundle)
    assert code == 4
    assert "altered: events.jsonl" in out
    assert "verdict not re-derived" in out


def test_drop_a_file(bundle, capsys):
    (bundle / "screenshots" / "step-2.png").unlink()
    code, out = verify(capsys, bundle)
    assert code == 4
    assert "removed: screenshots/step-2.png" in out


def test_add_a_file(bundle, capsys):
    (bundle / "screenshots" / "extra.png").write_bytes(b"x")
    code, out = verify(capsys, bundle)
    assert code == 4
    assert "added: screenshots/extra.png" in out


def test_swap_the_manifest(bundle, capsys, tmp_path):
    text = DEMO_MANIFEST.read_text("utf-8").replace("device_id.imei, device_id.android_id, device_id.oaid",
                                                    "device_id.android_id, device_id.oaid")
    (bundle / "manifest.yaml").write_text(text, "utf-8")
    code, out = verify(capsys, bundle)
    assert code == 4
    assert "altered: manifest.yaml" in out


def test_truncated_events_file(bundle, capsys):
    p = bundle / "events.jsonl"
    p.write_bytes(p.read_bytes()[:-37])
    code, out = verify(capsys, bundle)
    assert code == 4
    assert "altered: events.jsonl" in out


def test_missing_bundle_json(bundle, capsys):
    (bundle / "bundle.json").unlink()
    code, out = verify(capsys, bundle)
    assert code == 4
    assert "bundle.json missing" in out


def test_newer_schema_is_a_clear_input_error(bundle, capsys):
    meta = json.loads((bundle / "bundle.json").read_text("utf-8"))
    meta["schema"] = "sdkgate.bundle/9"
    (bundle / "bundle.json").write_text(json.dumps(meta), "utf-8")
    code, out = verify(capsys, bundle)
    assert code == 2
    assert "sdkgate.bundle/9 is newer" in out and "bundle.json" in out
    assert "Traceback" not in out


def test_not_a_bundle(tmp_path, capsys):
    code, out = verify(capsys, tmp_path / "nope")
    assert code == 2 and "bundle not found" in out
    (tmp_path / "junk.bin").write_bytes(b"not a zip")
    code, out = verify(capsys, tmp_path / "junk.bin")
    assert code == 2 and "not a bundle" in out


def _keys(tmp_path: Path, name: str) -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    priv = tmp_path / f"{name}.pem"
    pub = tmp_path / f"{name}.pub"
    priv.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    return priv, pub


def test_signature_good_wrong_and_missing(bundle, capsys, tmp_path):
    priv, pub = _keys(tmp_path, "auditor")
    _, other_pub = _keys(tmp_path, "other")
    sign_bundle(bundle, priv)
    assert len((bundle / "bundle.sig").read_bytes()) == 64
    code, out = verify(capsys, bundle, "--key", pub)
    assert code == 0 and "signature: valid" in out
    code, out = verify(capsys, bundle)
    assert code == 0 and "not checked" in out
    code, out = verify(capsys, bundle, "--key", other_pub)
    assert code == 4 and "signature: INVALID" in out
    # re-sealing after an edit without the key leaves the old signature: caught
    (bundle / "notes.txt").write_text("edited later", "utf-8")
    write_bundle(bundle)
    code, out = verify(capsys, bundle, "--key", pub)
    assert code == 4 and "does not match" in out
    (bundle / "bundle.sig").unlink()
    code, out = verify(capsys, bundle, "--key", pub)
    assert code == 4 and "not signed" in out


def test_bad_key_file(bundle, capsys, tmp_path):
    (tmp_path / "k.pub").write_text("hello", "utf-8")
    code, out = verify(capsys, bundle, "--key", tmp_path / "k.pub")
    assert code == 2 and "k.pub" in out and "Ed25519" in out


def test_sealed_but_forged_report_is_not_reproduced(tmp_path, capsys):
    """A report.json edited *before* sealing (or written by another engine) does not match the evidence."""
    d = write_evidence(tmp_path / "run")
    rep = json.loads((d / "report.json").read_text("utf-8"))
    rep["verdict"] = "pass"
    rep["findings"] = [f for f in rep["findings"] if f["rule"] != "SG101"]
    (d / "report.json").write_text(json.dumps(rep), "utf-8")
    write_bundle(d)
    code, out = verify(capsys, d)
    assert code == 1                              # the re-derived verdict's code
    assert "verdict NOT reproduced: recorded pass, re-derived fail" in out
    assert "only in re-derived report: SG101 actor=umeng_common category=device_id.imei" in out


def test_new_manifest_judges_old_evidence(tmp_path, capsys):
    d = write_evidence(tmp_path / "ok", compliant=True)
    write_bundle(d)
    code, out = verify(capsys, d)
    assert code == 0 and "verdict reproduced: pass" in out
    newer = tmp_path / "new.yaml"
    newer.write_text(DEMO_MANIFEST.read_text("utf-8").replace(
        "categories: [device_id.imei, device_id.android_id, device_id.mac, device_id.oaid]",
        "categories: [device_id.imei, device_id.mac, device_id.oaid]"), "utf-8")
    code, out = verify(capsys, d, "--manifest", newer)
    assert code == 1, out
    assert "re-derived with" in out and "verdict fail" in out
    code, out = verify(capsys, d, "--manifest", newer, "--format", "json")
    assert code == 1
    assert '"SG202"' in out


def test_zip_round_trip_and_hostile_zip(bundle, capsys, tmp_path):
    z = pack_zip(bundle, tmp_path / "b.zip")
    code, out = verify(capsys, z)
    assert code == 0, out
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as zf:
        zf.writestr("../escape.txt", "x")
        zf.writestr("bundle.json", "{}")
    code, out = verify(capsys, tmp_path / "evil.zip")
    assert code == 2 and "escapes" in out
    assert not (tmp_path / "escape.txt").exists()


def test_device_identifiers_are_only_hashed(tmp_path):
    d = write_evidence(tmp_path / "dev")
    write_bundle(d, device={"kind": "android", "model": "Pixel 7", "android_release": "14", "serial": "R5CT123XYZ"},
                 device_ids={"imei": "356938035643809"})
    text = (d / "bundle.json").read_text("utf-8")
    assert "R5CT123XYZ" not in text and "356938035643809" not in text
    meta = json.loads(text)
    assert meta["device"]["model"] == "Pixel 7"
    assert meta["device"]["ids"]["serial"] == salted_hash(meta["salt"], "R5CT123XYZ")
    assert meta["device"]["ids"]["imei"] == salted_hash(meta["salt"], "356938035643809")
    d2 = write_evidence(tmp_path / "dev2")
    write_bundle(d2, device={"serial": "R5CT123XYZ"})
    meta2 = json.loads((d2 / "bundle.json").read_text("utf-8"))
    assert meta2["device"]["ids"]["serial"] != meta["device"]["ids"]["serial"]    # per-bundle salt


def test_bundle_records_apk_hash(tmp_path):
    import hashlib
    d = write_evidence(tmp_path / "apk")
    apk = tmp_path / "app.apk"
    apk.write_bytes(b"PK\x05\x06" + b"\0" * 18)      # an empty zip: hashed, metadata unreadable
    write_bundle(d, apk=apk)
    meta = json.loads((d / "bundle.json").read_text("utf-8"))
    assert meta["apk"]["sha256"] == hashlib.sha256(apk.read_bytes()).hexdigest()
    assert meta["apk"]["file"] == "app.apk"


def test_report_refuses_a_tampered_bundle(bundle, capsys, tmp_path):
    html = tmp_path / "r.html"
    assert run_guarded(cli, ["report", str(bundle), "--html", str(html)]) == 1     # intact: exit = verdict
    assert html.is_file()
    capsys.readouterr()
    (bundle / "net.jsonl").write_text((bundle / "net.jsonl").read_text() + "\n")
    html2 = tmp_path / "r2.html"
    code = run_guarded(cli, ["report", str(bundle), "--html", str(html2)])
    err = capsys.readouterr().err
    assert code == 4 and "altered: net.jsonl" in err and not html2.exists()


def test_folder_without_evidence_is_not_a_bundle(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "app.apk").write_bytes(b"PK")
    code, out = verify(capsys, tmp_path / "x")
    assert code == 2 and "not an evidence bundle" in out
