"""`run --devices`: one scenario on several (stand-in) devices in parallel, one evidence folder each, then
the merged table; the Dask path pins each run to the worker that has the phone (resources device=1)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sdkgate.bundle.merge import merge
from sdkgate.device.multi import DeviceJob, exit_code, resolve_serials, run_cluster, run_local
from sdkgate.errors import InputError
from tests.bundle.evidence_kit import DEMO_MANIFEST
from tests.device.multi_fakes import BROKEN, fake_backend, survey_by_worker_name
from tests.device.test_device_backend import _NoProxy, scenario_file

STEPS = "  - fresh_install\n  - launch\n  - wait: 50ms\n  - consent: accept\n  - kill\n"


def no_proxy(*a):
    return _NoProxy()


@pytest.fixture
def base(tmp_path):
    apk = tmp_path / "app.apk"
    apk.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    sc = scenario_file(tmp_path / "sc", STEPS)
    return DeviceJob(serial="", apk=str(apk), manifest=str(DEMO_MANIFEST), scenario=str(sc), out_dir=str(tmp_path / "out"))


def test_resolve_serials():
    assert resolve_serials("all", ["a", "b"]) == ["a", "b"]
    assert resolve_serials(" b, a ,b", ["a", "b"]) == ["b", "a"]
    assert resolve_serials("10.0.0.5:5555", []) == ["10.0.0.5:5555"]        # remote endpoint, connected on use
    with pytest.raises(InputError, match="no device connected"):
        resolve_serials("all", [])
    with pytest.raises(InputError, match="not connected: c .connected: a, b"):
        resolve_serials("a,c", ["a", "b"])


def _jobs(base, serials):
    from dataclasses import asdict
    return [DeviceJob(**{**asdict(base), "serial": s, "out_dir": str(Path(base.out_dir) / s)}) for s in serials]


def test_parallel_runs_one_bundle_each_then_merged(base):
    outcomes = run_local(_jobs(base, ["emulator-5554", "emulator-5556", BROKEN]), fake_backend, no_proxy)
    by = {o.serial: o for o in outcomes}
    assert by[BROKEN].error and "frida-server 16.5.9" in by[BROKEN].error and by[BROKEN].exit_code == 2
    for s in ("emulator-5554", "emulator-5556"):
        out = Path(by[s].out_dir)
        assert by[s].error is None and by[s].verdict in ("pass", "fail", "incomplete")
        assert (out / "report.json").is_file() and (out / "bundle.json").is_file()
        run = json.loads((out / "run.json").read_text("utf-8"))
        assert run["backend_info"]["device"]["ids"]["serial"].startswith("sha256:")
        assert f"SER-{s}" not in (out / "run.json").read_text("utf-8")        # ids stay hashed per device
    # two different devices: their hashed serials differ, their folders are separate bundles
    ids = {json.loads((Path(by[s].out_dir) / "run.json").read_text())["backend_info"]["device"]["ids"]["serial"]
           for s in ("emulator-5554", "emulator-5556")}
    assert len(ids) == 2
    table = merge([by[s].out_dir for s in ("emulator-5554", "emulator-5556")])
    assert len(table.rows) == 2 and {r.seal for r in table.rows} == {"sealed"}
    assert exit_code(outcomes, table) in (1, 3)          # one device could not run: never a pass


def test_device_runs_on_a_dask_cluster(base):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1", resources={"device": 1}, silence_logs=40) as cluster:
        with distributed.Client(cluster) as client:
            client.wait_for_workers(2, timeout=300)     # a busy machine registers the workers late: wait for them
            pid_of = dict(client.run(lambda dask_worker: (dask_worker.name, os.getpid())).values())
        outcomes = run_cluster({"*": base}, cluster.scheduler_address, "all", fake_backend, survey=survey_by_worker_name)
        with pytest.raises(InputError, match="not connected: emulator-9999"):
            run_cluster({"*": base}, cluster.scheduler_address, "emulator-9999", fake_backend, survey=survey_by_worker_name)
    by = {o.serial: o for o in outcomes}
    assert set(by) == {"emulator-5554", "emulator-5556"}
    assert by["emulator-5554"].worker.endswith(f":{pid_of[0]}") and by["emulator-5556"].worker.endswith(f":{pid_of[1]}")
    for o in outcomes:
        out = Path(o.out_dir)
        assert o.error is None and out.parent == Path(base.out_dir)
        assert (out / "report.json").is_file() and (out / "bundle.json").is_file()
    table = merge([o.out_dir for o in outcomes])
    assert {r.seal for r in table.rows} == {"sealed"}                          # the zip round trip kept every byte


def test_run_devices_cli_refuses_mixed_options(tmp_path, capsys):
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    root = Path(__file__).resolve().parents[2]
    args = ["run", "--apk", str(root / "tests/fixtures/apks/recruit-noncompliant.apk"), "--manifest", str(DEMO_MANIFEST),
            "--scenario", str(root / "scenarios/cold-start-accept.yaml")]
    assert run_guarded(cli, [*args, "--devices", "all", "--device", "emulator-5554"]) == 2
    assert "not --device" in capsys.readouterr().err
    assert run_guarded(cli, [*args, "--cluster", "tcp://127.0.0.1:1"]) == 2
    assert "--cluster needs --devices" in capsys.readouterr().err
    assert run_guarded(cli, [*args, "--devices", "all", "--format", "sarif"]) == 2
    assert "merged table: console or json" in capsys.readouterr().err
