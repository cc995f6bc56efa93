"""`scan --db --cluster`: the scans run on a real Dask distributed cluster (LocalCluster, worker processes);
results flow back and only the coordinator writes the database."""
from __future__ import annotations

import os

import pytest

from sdkgate.fleet.db import Database
from sdkgate.fleet.runner import scan_fleet
from tests.fleet.conftest import make_fleet
from tests.fleet.test_fleet_scan import hostile_apks

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1", silence_logs=40) as c:
        with distributed.Client(c) as client:     # both workers registered before any test counts them
            client.wait_for_workers(2, timeout=300)
        yield c


def test_fleet_on_a_local_cluster(cluster, db_url, tmp_path):
    fleet = make_fleet(tmp_path / "apks", 6)
    bad = hostile_apks(tmp_path / "bad")["truncated"]
    s = scan_fleet([*fleet, bad], db_url, cluster=cluster.scheduler_address)
    assert (s.scanned, s.skipped, s.errors) == (7, 0, 1)
    db = Database(db_url)
    try:
        rows = db.query("SELECT worker, verdict FROM apps")
        assert len(rows) == 7
        workers = {r[0] for r in rows}
        assert workers and all(str(os.getpid()) != w.rsplit(":", 1)[1] for w in workers)   # not scanned here
        with distributed.Client(cluster) as client:
            worker_pids = {str(p) for p in client.run(os.getpid).values()}
        assert {w.rsplit(":", 1)[1] for w in workers} <= worker_pids           # scanned on the Dask workers
        assert db.query("SELECT engine, workers, scanned FROM fleet_runs") == [("dask", 2, 7)]
    finally:
        db.close()
    again = scan_fleet([*fleet, bad], db_url, cluster=cluster.scheduler_address)
    assert (again.scanned, again.skipped) == (0, 7)


def test_unreachable_scheduler_is_bad_input(tmp_path):
    from sdkgate.errors import InputError
    from tests.fleet.pgserver import free_port
    apk = make_fleet(tmp_path / "a", 1)
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        scan_fleet(apk, f"sqlite:///{tmp_path / 'f.db'}", cluster=f"tcp://127.0.0.1:{free_port()}")


def test_scan_command_with_cluster(cluster, tmp_path, capsys):
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    fleet = make_fleet(tmp_path / "apks", 3)
    url = f"sqlite:///{tmp_path / 'f.db'}"
    # no manifest: every app not_judged (exit 3), never a pass (issue 20)
    assert run_guarded(cli, ["scan", *map(str, fleet), "--db", url, "--cluster", cluster.scheduler_address]) == 3
    assert "3 scanned, 0 already stored" in capsys.readouterr().err
    assert run_guarded(cli, ["scan", str(fleet[0]), "--cluster", cluster.scheduler_address]) == 2   # needs --db
