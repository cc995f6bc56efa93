"""Issue 9.6: an unexpected internal error exits 70 with one line and a crash log, never 0, 1 or 3;
-o/--out into a folder that does not exist creates it in every command."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import EXIT_INTERNAL, run_guarded

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "manifests" / "demo-recruit.yaml"


def _events(tmp_path: Path) -> Path:
    p = tmp_path / "events.jsonl"
    p.write_text('{"v":1,"seq":0,"t_ms":0,"source":"hook","kind":"agent_status","status":"loaded"}\n')
    return p


@pytest.fixture
def boom(monkeypatch):
    import sdkgate.cli.evaluate_cmd as evaluate_cmd

    def explode(*a, **k):
        raise RuntimeError("kaboom in the engine")
    monkeypatch.setattr(evaluate_cmd, "evaluate", explode)


def test_internal_error_exits_70_with_one_line_and_a_crash_log_in_the_output_folder(boom, tmp_path, capsys):
    out = tmp_path / "new" / "folder" / "r.json"
    code = run_guarded(cli, ["evaluate", "-m", str(MANIFEST), str(_events(tmp_path)), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == EXIT_INTERNAL == 70
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("sdkgate: internal error: RuntimeError: kaboom in the engine; details in ")
    log = Path(lines[0].rsplit("details in ", 1)[1])
    assert log.parent == out.parent and log.is_file()
    text = log.read_text()
    assert "Traceback" in text and "kaboom in the engine" in text and "explode" in text


def test_internal_error_without_output_folder_logs_to_a_temp_file(boom, tmp_path, capsys):
    code = run_guarded(cli, ["evaluate", "-m", str(MANIFEST), str(_events(tmp_path))])
    err = capsys.readouterr().err
    assert code == 70
    log = Path(err.strip().rsplit("details in ", 1)[1])
    try:
        assert log.is_file() and "Traceback" in log.read_text() and log.name.startswith("sdkgate-crash-")
    finally:
        log.unlink()


def test_dash_o_into_a_missing_folder_creates_it(tmp_path, capsys):
    out = tmp_path / "a" / "b" / "report.json"
    code = run_guarded(cli, ["evaluate", "-m", str(MANIFEST), str(_events(tmp_path)), "--format", "json", "-o", str(out)])
    assert code in (0, 1, 3) and json.loads(out.read_text())["verdict"]
    apk = ROOT / "tests" / "fixtures" / "apks" / "recruit-compliant.apk"
    out2 = tmp_path / "c" / "d" / "scan.json"
    ev = tmp_path / "e" / "events.jsonl"
    code = run_guarded(cli, ["scan", str(apk), "-m", str(MANIFEST), "--format", "json", "-o", str(out2), "--events", str(ev)])
    assert code in (0, 1, 3) and out2.is_file() and ev.is_file()


def test_output_under_a_file_is_bad_input_not_a_crash(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = run_guarded(cli, ["evaluate", "-m", str(MANIFEST), str(_events(tmp_path)), "-o", str(blocker / "r.json")])
    assert code == 2 and "cannot create the output folder" in capsys.readouterr().err
