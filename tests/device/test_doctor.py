"""`sdkgate doctor` on this machine, which has no device: it explains every missing piece, exits 1,
and stops the adb server it started. Each test has an adb server port of its own (conftest.py), so an
adb server that happens to run on this machine changes nothing here."""
from __future__ import annotations

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.device.adb import server_running
from sdkgate.device.checks import subject_hash_old


def test_doctor_without_a_device(tmp_path, monkeypatch, capsys):
    assert not server_running()                           # this test's own port: nothing runs there yet
    monkeypatch.setenv("HOME", str(tmp_path))            # adb writes ~/.android/adbkey
    monkeypatch.delenv("SDKGATE_CONFDIR", raising=False)
    code = run_guarded(cli, ["doctor"])
    out = capsys.readouterr().out
    assert code == 0                                      # "needs a device" is not a problem of this machine
    assert "[ok  ] adb" in out
    assert "[warn] device" in out and "no device connected" in out and "adb connect HOST:PORT" in out
    for name in ("root or frida-server", "proxy route", "CA on the device", "free storage"):
        line = next(ln for ln in out.splitlines() if name in ln)
        assert "needs a device" in line
    assert out.count("fix:") >= 5
    assert "node.js" in out and "not needed" in out
    assert "host ready; no device connected" in out
    import frida
    assert f"frida-server-{frida.__version__}-android-" in out and "releases/tag/" in out   # the exact file to fetch
    assert not server_running()                           # the adb server doctor started is gone


def test_doctor_json_and_a_missing_named_device(tmp_path, monkeypatch, capsys):
    assert not server_running()
    import json
    monkeypatch.setenv("HOME", str(tmp_path))
    code = run_guarded(cli, ["doctor", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["ready"] is True and doc["device_connected"] is False
    assert {c["name"] for c in doc["checks"]} >= {"adb", "device", "free storage"}
    assert next(c for c in doc["checks"] if c["name"] == "device")["status"] == "warning"
    code = run_guarded(cli, ["doctor", "--json", "--device", "emulator-5554"])   # asked for, not there: a problem
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["ready"] is False
    assert next(c for c in doc["checks"] if c["name"] == "device")["status"] == "problem"
    assert not server_running()


def test_ca_subject_hash_matches_openssl(tmp_path):
    import shutil
    import subprocess
    from mitmproxy.certs import CertStore
    CertStore.from_store(tmp_path, "mitmproxy", 2048)
    pem = tmp_path / "mitmproxy-ca-cert.pem"
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    want = subprocess.run(["openssl", "x509", "-inform", "PEM", "-subject_hash_old", "-noout", "-in", str(pem)],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert subject_hash_old(pem) == want


def test_run_without_a_device_is_a_clear_error(tmp_path, monkeypatch, capsys):
    assert not server_running()
    from pathlib import Path
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SDKGATE_CONFDIR", str(tmp_path / "ca"))
    repo = Path(__file__).resolve().parents[2]
    code = run_guarded(cli, ["run", "--apk", str(repo / "tests/fixtures/apks/recruit-noncompliant.apk"),
                             "-m", str(repo / "manifests/demo-recruit.yaml"),
                             "--scenario", str(repo / "scenarios/cold-start-accept.yaml"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "device unavailable: no device connected" in err and "sdkgate doctor" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()                  # nothing ran: no evidence folder left behind
    assert not server_running()
