"""The evaluate and manifest commands as a user runs them: real process, exit codes, messages."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SDKGATE = [sys.executable, "-m", "sdkgate"]


def run(*args, cwd=ROOT):
    return subprocess.run([*SDKGATE, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120)


def _log(path: Path, lines: list[str]):
    path.write_text("".join(line + "\n" for line in lines))
    return path


GOOD = ['{"seq":0,"t_ms":0,"source":"hook","kind":"agent_status","status":"loaded"}',
        '{"seq":1,"t_ms":10,"source":"hook","kind":"read","actor":"umeng_common","category":"device_id.imei","api_id":"telephony.getDeviceId"}']


def test_evaluate_fail_json(tmp_path):
    p = _log(tmp_path / "events.jsonl", GOOD)
    r = run("evaluate", "--manifest", ROOT / "manifests/demo-recruit.yaml", p, "--format", "json")
    assert r.returncode == 1, r.stderr
    d = json.loads(r.stdout)
    assert d["verdict"] == "fail" and d["findings"][0]["rule"] == "SG101"


def test_evaluate_broken_line_incomplete_names_line(tmp_path):
    p = _log(tmp_path / "events.jsonl", [GOOD[0], "{not json", GOOD[1].replace('"seq":1', '"seq":2')])
    r = run("evaluate", "--manifest", ROOT / "manifests/demo-recruit.yaml", p)
    assert r.returncode == 3
    assert "events.jsonl:2" in r.stdout
    assert "Traceback" not in r.stderr


def test_evaluate_missing_file_exit_2(tmp_path):
    r = run("evaluate", tmp_path / "nope.jsonl")
    assert r.returncode == 2 and "nope.jsonl" in r.stderr and "Traceback" not in r.stderr


def test_manifest_validate_ok_and_broken(tmp_path):
    ok = run("manifest", "validate", *sorted((ROOT / "manifests").glob("*.yaml")))
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "manifests/demo-recruit.yaml").read_text().replace(
        "categories: [device_id.android_id]", "categories: [device_id.imeii]"))
    r = run("manifest", "validate", bad)
    assert r.returncode == 2
    assert "bad.yaml:line" in r.stderr and "device_id.imeii" in r.stderr and "Traceback" not in r.stderr


def test_help_on_every_command():
    r = run("--help")
    assert r.returncode == 0
    cmds = [line.split()[0] for line in r.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert "evaluate" in cmds and "manifest" in cmds
    for c in cmds:
        h = run(c, "--help")
        assert h.returncode == 0 and "Usage" in h.stdout, (c, h.stderr)


def test_run_rejects_a_file_that_is_not_an_apk_before_touching_a_device(tmp_path):
    bad = tmp_path / "app.apk"
    bad.write_bytes(b"garbage, not a zip")
    r = run("run", "--apk", bad, "--manifest", ROOT / "manifests/demo-recruit.yaml",
            "--scenario", ROOT / "scenarios/demo-noncompliant.yaml", "--out", tmp_path / "out")
    assert r.returncode == 2 and "app.apk" in r.stderr and "not a zip" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()


def test_evaluate_a_file_that_is_no_event_log_is_bad_input(tmp_path):
    flows = tmp_path / "flows.mitm"
    flows.write_bytes(b"2001:9:websocket;0:~8:response;244:6:reason;10:No Content")   # tnetstring, no newline
    r = run("evaluate", flows)
    assert r.returncode == 2 and "flows.mitm:line 1" in r.stderr and "flow file" in r.stderr
    rep = tmp_path / "report.json"
    rep.write_text('{"schema": "sdkgate.report/1", "verdict": "pass"}\n')
    r = run("evaluate", rep)
    assert r.returncode == 2 and "not an sdkgate event" in r.stderr and "Traceback" not in r.stderr


def test_many_broken_lines_are_counted_not_all_listed(tmp_path):
    lines = [GOOD[0]] + ["{broken" for _ in range(100)]
    p = _log(tmp_path / "events.jsonl", lines)
    r = run("evaluate", p, "--format", "json")
    d = json.loads(r.stdout)
    assert r.returncode == 3
    assert len(d["incomplete"]) == 21 and "80 more broken lines" in d["incomplete"][-1]
