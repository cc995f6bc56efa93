"""`kill -9` of a fleet scan's coordinator (not its process group): its pool workers exit with it, and the
run is marked aborted by the next command that opens the database."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from tests.fleet.conftest import make_fleet

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 120          # bounds for conditions on a loaded machine, never a tolerance a pass depends on


def _rows(db: Path) -> int:
    try:
        with sqlite3.connect(db) as c:
            return c.execute("SELECT COUNT(*) FROM apps").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_takes_the_pool_workers_and_the_run_is_marked_aborted(tmp_path, capsys):
    fleet = make_fleet(tmp_path / "fleet", 40)
    db = tmp_path / "fleet.db"
    url = f"sqlite:///{db}"
    proc = subprocess.Popen([sys.executable, "-m", "sdkgate", "scan", str(tmp_path / "fleet"), "--db", url, "-j", "2"],
                            env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        workers: list[psutil.Process] = []
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline and proc.poll() is None:
            workers = psutil.Process(proc.pid).children(recursive=True)
            if len(workers) >= 2 and _rows(db) >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None and len(workers) >= 2, "the scan ended before it could be killed mid-way"
        os.kill(proc.pid, signal.SIGKILL)              # the coordinator alone, as `kill -9 PID` does
        proc.wait(WAIT_S)
        gone, alive = psutil.wait_procs(workers, timeout=WAIT_S)
        assert alive == [], f"pool workers outlived their coordinator: {[p.pid for p in alive]}"
        assert _rows(db) < len(fleet)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT status FROM fleet_runs").fetchall() == [("running",)]
    c.close()
    capsys.readouterr()
    assert run_guarded(cli, ["fleet", "report", "--db", url, "--format", "json"]) == 0
    assert "fleet run 1 was killed before it finished: marked aborted" in capsys.readouterr().err
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT status, finished_at FROM fleet_runs").fetchall() == [("aborted", None)]
    c.close()


def test_a_finished_run_is_done_and_a_live_one_is_not_marked(tmp_path, capsys):
    from sdkgate.fleet.runs import mark_dead_runs, start_run
    from sdkgate.fleet.schema import open_db
    url = f"sqlite:///{tmp_path / 'f.db'}"
    # no manifest: stored as not_judged, exit 3 (issue 20); the run itself finished
    assert run_guarded(cli, ["scan", str(make_fleet(tmp_path / "a", 1)[0]), "--db", url]) == 3
    db = open_db(url)
    try:
        live = start_run(db, "local", 1, 1)                     # this process: alive
        assert mark_dead_runs(db) == []
        assert db.query("SELECT id, status FROM fleet_runs ORDER BY id") == [(1, "done"), (live, "running")]
    finally:
        db.close()


def test_a_run_stopped_by_ctrl_c_says_aborted(tmp_path, monkeypatch):
    import pytest

    from sdkgate.fleet import runner
    from sdkgate.fleet.db import Database

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(runner, "_dispatch", interrupted)
    url = f"sqlite:///{tmp_path / 'f.db'}"
    with pytest.raises(KeyboardInterrupt):
        runner.scan_fleet(make_fleet(tmp_path / "a", 1), url)
    db = Database(url)
    try:
        rows = db.query("SELECT status, finished_at IS NOT NULL FROM fleet_runs")
    finally:
        db.close()
    assert rows == [("aborted", 1)]
