"""Instructions that work as written: -o into a folder that does not exist (every command), `--quiet` after the
subcommand, a missing adb or extra is exit 2 with what to install, `doctor --require-device` for CI, Ctrl-C on a
folder scan stops the scan at once, and the inventory shows each SDK's category and website and which permissions
are dangerous."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

from ..bundle.evidence_kit import write_evidence

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"
POLICY = REPO / "tests" / "policy" / "texts" / "sdk_list_zh.md"


def test_output_into_a_missing_folder_in_every_command(tmp_path, capsys):
    ev = write_evidence(tmp_path / "ev")
    runs = {
        "from-policy.yaml": ["manifest", "from-policy", str(POLICY)],
        "draft.yaml": ["manifest", "draft", "--from-scan", str(APK)],
        "diff.json": ["manifest", "diff", str(MANIFEST), str(APK), "--format", "json"],
        "diff.xlsx": ["manifest", "diff", str(MANIFEST), str(APK), "--format", "xlsx"],
        "diff.html": ["manifest", "diff", str(MANIFEST), str(APK), "--format", "html"],
        "scan.sarif": ["scan", str(APK), "-m", str(MANIFEST), "--format", "sarif"],
        "eval.csv": ["evaluate", "-m", str(ev / "manifest.yaml"), str(ev / "events.jsonl"), "--format", "csv"],
        "report.xlsx": ["report", str(ev), "--format", "xlsx"],
    }
    for name, args in runs.items():
        out = tmp_path / "missing" / name.split(".")[0] / name
        code = run_guarded(cli, [*args, "-o", str(out)])
        err = capsys.readouterr().err
        assert code in (0, 1, 3) and out.is_file() and out.stat().st_size > 0, (name, code, err[-500:])
        assert "internal error" not in err


def test_quiet_after_the_subcommand(capsys):
    code = run_guarded(cli, ["scan", "--quiet", str(APK), "-m", str(MANIFEST)])
    out = capsys.readouterr().out
    assert code == 1 and out.strip().splitlines() == ["Verdict: FAIL  Demo Recruit (演示招聘)"]
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST)])              # and it does not stick
    assert code == 1 and len(capsys.readouterr().out.splitlines()) > 5
    assert run_guarded(cli, ["manifest", "validate", "-q", str(MANIFEST)]) == 0   # subcommands of groups too
    capsys.readouterr()


def test_a_missing_adb_is_bad_setup_with_the_install_hint(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ADBUTILS_ADB_PATH", str(tmp_path / "no-adb"))
    code = run_guarded(cli, ["run", "--apk", str(APK), "-m", str(MANIFEST), "--scenario",
                             str(REPO / "scenarios" / "cold-start-accept.yaml"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "apt-get install adb" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
    code = run_guarded(cli, ["doctor", "--require-device"])                       # CI: no device ready -> 2
    out = capsys.readouterr()
    assert code == 2 and "--require-device" in out.err
    assert run_guarded(cli, ["doctor"]) == 1                                       # without it: a host problem
    capsys.readouterr()


def test_a_missing_extra_prints_the_pip_line(tmp_path, monkeypatch, capsys):
    import sdkgate.extras as extras
    real = extras.installed
    monkeypatch.setattr(extras, "installed", lambda m: False if m == "frida" else real(m))
    code = run_guarded(cli, ["run", "--apk", str(APK), "-m", str(MANIFEST)])
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'sdkgate[device]'" in err and "Traceback" not in err
    monkeypatch.setattr(extras, "installed", lambda m: False if m in ("dask", "mitmproxy") else real(m))
    assert run_guarded(cli, ["fleet", "query", "--db", "sqlite:///x.db", "SELECT 1"]) == 2
    assert "pip install 'sdkgate[fleet]'" in capsys.readouterr().err
    (tmp_path / "c.json").write_text('{"device_id.imei": "861234567890128"}', "utf-8")
    assert run_guarded(cli, ["proxy", "--port", "0", "--canaries", str(tmp_path / "c.json"), "--out", str(tmp_path / "p")]) == 2
    assert "pip install 'sdkgate[proxy]'" in capsys.readouterr().err


def test_an_optional_module_missing_deep_inside_is_exit_2(tmp_path, monkeypatch, capsys):
    """An optional module missing where a command reaches for it (here: re-reading flows.mitm for derived values
    without mitmproxy): the pip line, never a crash log and never a silent pass without the re-match."""
    import sdkgate.net.rematch as rematch

    def no_mitmproxy(files, manifest):
        raise ModuleNotFoundError("No module named 'mitmproxy'", name="mitmproxy")
    monkeypatch.setattr(rematch, "rematch_events", no_mitmproxy)
    ev = write_evidence(tmp_path / "ev")
    code = run_guarded(cli, ["evaluate", "-m", str(MANIFEST), str(ev / "events.jsonl"), str(ev / "net.jsonl")])
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'sdkgate[proxy]'" in err and "internal error" not in err, err

    def a_bug(files, manifest):
        raise ModuleNotFoundError("No module named 'sdkgate.nothere'", name="sdkgate.nothere")
    monkeypatch.setattr(rematch, "rematch_events", a_bug)
    code = run_guarded(cli, ["evaluate", "-m", str(MANIFEST), str(ev / "events.jsonl"), str(ev / "net.jsonl")])
    assert code == 70 and "internal error" in capsys.readouterr().err        # our own missing module is a bug


def test_ctrl_c_on_a_folder_scan_stops_it(tmp_path):
    folder = tmp_path / "apks"
    folder.mkdir()
    for i in range(40):
        os.link(APK, folder / f"app{i}.apk")
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("sdkgate")
    proc = subprocess.Popen([str(exe), "scan", str(folder), "-o", str(out), "-j", "2", "--format", "json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (out.is_dir() and any(out.iterdir())) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)                      # what a terminal sends on Ctrl-C: the whole group
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, err[-1000:]
    assert "interrupted" in err and "Traceback" not in err
    assert len(list(out.iterdir())) < 40                    # it stopped; it did not finish the folder first
    with pytest.raises(ProcessLookupError):                 # no scan worker left behind
        os.killpg(proc.pid, 0)


def test_inventory_shows_category_website_and_dangerous_permissions(capsys):
    code = run_guarded(cli, ["scan", str(APK), "--inventory"])
    out = capsys.readouterr().out
    assert code == 0
    getui = next(ln for ln in out.splitlines() if "getui" in ln and "│" in ln)
    assert "push" in getui and "https://www.getui.com" in out
    contacts = next(ln for ln in out.splitlines() if "READ_CONTACTS" in ln)
    assert "dangerous" in contacts
    internet = next(ln for ln in out.splitlines() if "android.permission.INTERNET" in ln)
    assert "dangerous" not in internet.split("INTERNET", 1)[1].replace("not dangerous", "")
