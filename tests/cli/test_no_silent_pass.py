"""No silent pass anywhere (issue 20.2): every command that produces a verdict, run without a manifest,
either refuses (exit 2) or says `not_judged` (exit 3) -- never pass, never exit 0."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "sdk-autoinit.apk"          # a small app, readable end to end
APK2 = REPO / "tests" / "fixtures" / "apks" / "recruit-compliant.apk"


def sg(capsys, *args) -> tuple[int, str, str]:
    code = run_guarded(cli, [str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_scan_one_apk(capsys):
    code, out, _ = sg(capsys, "scan", APK, "--format", "json")
    assert code == 3 and json.loads(out)["verdict"] == "not_judged"


def test_scan_several_apks_in_parallel(capsys, tmp_path):
    code, _, err = sg(capsys, "scan", APK, APK2, "--jobs", "2", "--format", "json", "-o", tmp_path / "out")
    assert code == 3
    verdicts = {json.loads(p.read_text("utf-8"))["verdict"] for p in (tmp_path / "out").glob("*.json")}
    assert verdicts == {"not_judged"} and "pass" not in err


def test_scan_a_folder_into_a_fleet_database_and_its_report(capsys, tmp_path):
    folder = tmp_path / "apks"
    folder.mkdir()
    shutil.copy(APK, folder / "a.apk")
    db = f"sqlite:///{tmp_path / 'fleet.db'}"
    code, _, err = sg(capsys, "scan", folder, "--db", db)
    assert code == 3, err
    code, out, _ = sg(capsys, "fleet", "report", "--db", db, "--format", "json")
    rep = json.loads(out)
    assert code == 0 and rep["verdicts"] == {"not_judged": 1}        # counted apart from pass
    code, out, _ = sg(capsys, "fleet", "query", "--db", db, "SELECT verdict, exit_code FROM apps", "--format", "json")
    assert json.loads(out) == [{"verdict": "not_judged", "exit_code": 3}]


def test_the_cluster_worker_judges_as_the_local_one():
    """`scan --cluster` runs the same worker function on Dask workers (tests/fleet/test_fleet_cluster.py runs a
    real cluster); without a manifest it stores not_judged."""
    from sdkgate.fleet.store import file_sha256
    from sdkgate.fleet.worker import scan_record
    sha, size = file_sha256(str(APK))
    rec = scan_record(str(APK), sha, size, None, None)
    assert rec.error is None and rec.report["verdict"] == "not_judged"


def test_evaluate_events_without_a_manifest(capsys, tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_text(json.dumps({"v": 1, "seq": 0, "t_ms": 0, "source": "hook", "kind": "agent_status",
                               "status": "loaded"}) + "\n", "utf-8")
    code, out, _ = sg(capsys, "evaluate", log, "--format", "json")
    assert code == 3 and json.loads(out)["verdict"] == "not_judged"


def test_runs_refuse_to_start_without_declarations(capsys, tmp_path):
    scen = REPO / "scenarios" / "cold-start-accept.yaml"
    for args in (["run", "--apk", APK, "--scenario", scen, "--out", tmp_path / "r1"],
                 ["run", "--apk", APK, "--scenario", scen, "--devices", "emulator-5554", "--out", tmp_path / "r2"]):
        code, _, err = sg(capsys, *args)
        assert code == 2 and "manifest" in err.lower(), (args, err)
    bare = tmp_path / "bare.yaml"         # a scenario naming no manifest
    bare.write_text("name: bare\nsteps:\n  - launch\n", "utf-8")
    code, _, err = sg(capsys, "simulate", bare, "--out", tmp_path / "s1")
    assert code == 2 and "manifest" in err.lower()


def test_merging_a_not_judged_bundle_is_not_a_pass(capsys, tmp_path):
    from sdkgate.bundle.merge import MergeRow, MergeTable
    assert MergeTable([MergeRow("a", "", "", "pass", "sealed"), MergeRow("b", "", "", "not_judged", "sealed")]).exit_code == 3
    assert MergeTable([MergeRow("a", "", "", "pass", "sealed")]).exit_code == 0
