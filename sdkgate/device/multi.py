"""`run --devices`: one scenario on several devices at once (one worker per device), each device its own
sealed evidence folder under --out, then one merged table (the same as `report --merge`).

Locally the workers are threads of this process (each run drives its own device, proxy and agent host;
one shared adb server). With `--cluster tcp://SCHEDULER:8786` each device run is a Dask task that asks for
the worker resource `device=1` and is pinned to the worker whose host has that phone attached; the worker
sends the sealed folder back as a zip and the coordinator unpacks it under --out (docs/fleet.md).
"""
from __future__ import annotations

import concurrent.futures as cf
import io
import re
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError


@dataclass
class DeviceJob:
    """Everything one device run needs; plain data, so it can travel to a Dask worker."""
    serial: str
    apk: str
    manifest: str
    scenario: str
    out_dir: str
    ui_routes: dict[str, Any] = field(default_factory=dict)
    proxy_route: str = "reverse"
    proxy_host: str | None = None
    offline: bool = False
    confdir: str | None = None
    suppressions: str | None = None
    geoip: str | None = None
    sign_key: str | None = None
    make_zip: bool = False


@dataclass
class DeviceOutcome:
    serial: str
    out_dir: str
    verdict: str | None = None
    exit_code: int = 3
    error: str | None = None
    worker: str = ""


# (job) -> a Backend; default: the real DeviceBackend on job.serial. Tests inject stand-ins here.
BackendFactory = Callable[[DeviceJob], Any]


def safe_name(serial: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", serial).strip("-") or "device"


def connected_serials(adb_server=None) -> list[str]:
    """Serials adb sees in state 'device' (ready), on this host."""
    from .adb import AdbServer
    server = adb_server or AdbServer()
    try:
        return sorted(d.serial for d in server.client.device_list() if _state(d) == "device")
    finally:
        if adb_server is None:
            server.close()


def _state(d) -> str:
    try:
        return d.get_state()
    except Exception:  # noqa: BLE001 - offline / unauthorized devices are simply not ready
        return "offline"


def resolve_serials(spec: str, available: list[str]) -> list[str]:
    """`all` -> every ready device; `A,B` -> those (remote adb endpoints HOST:PORT need not be listed yet)."""
    spec = (spec or "").strip()
    if spec == "all":
        if not available:
            raise InputError(None, "--devices all", "no device connected and ready (`adb devices`; `sdkgate doctor`)")
        return list(available)
    wanted = list(dict.fromkeys(s.strip() for s in spec.split(",") if s.strip()))
    if not wanted:
        raise InputError(None, "--devices", "give all or a comma-separated list of adb serials")
    missing = [s for s in wanted if s not in available and ":" not in s]
    if missing:
        raise InputError(None, "--devices", f"not connected: {', '.join(missing)} (connected: "
                         f"{', '.join(available) or 'none'})")
    return wanted


def run_one(job: DeviceJob, backend_factory: BackendFactory | None = None, proxy_factory=None,
            adb_server=None) -> DeviceOutcome:
    """Play the scenario on one device into job.out_dir and seal it (the same steps as a single `run`)."""
    from ..bundle import seal
    from ..cli.common import load_options
    from ..manifest import load_manifest
    from ..scenario.backend import BackendUnavailable
    from ..scenario.model import load_scenario
    from ..scenario.runner import RunOptions, run_scenario
    from .backend import DeviceBackend, DeviceOptions
    out = Path(job.out_dir)
    sc = load_scenario(job.scenario)
    manifest = load_manifest(job.manifest)
    if backend_factory is not None:
        backend = backend_factory(job)
    else:
        backend = DeviceBackend(DeviceOptions(serial=job.serial, apk=Path(job.apk), features=job.ui_routes,
                                              proxy_route=job.proxy_route, proxy_host=job.proxy_host),
                                adb_server=adb_server)
    factory = proxy_factory or _proxy_factory(job)
    try:
        result = run_scenario(sc, manifest, backend, out, RunOptions(proxy_factory=factory,
                                                                      eval=load_options(job.suppressions, job.geoip)))
    except BackendUnavailable as exc:
        return DeviceOutcome(job.serial, str(out), error=f"device {job.serial} unavailable: {exc}", exit_code=2)
    seal(out, apk=job.apk, sign_key=job.sign_key, make_zip=job.make_zip)
    return DeviceOutcome(job.serial, str(out), verdict=result.report.verdict, exit_code=result.report.exit_code)


def _proxy_factory(job: DeviceJob):
    def factory(out_dir: Path, canaries_path: Path, t0: int, mpath: Path):
        from ..device.checks import default_confdir
        from ..net.proxy import ProxyProcess
        ca_dir = Path(job.confdir) if job.confdir else default_confdir()
        ca_dir.mkdir(parents=True, exist_ok=True)
        listen = "0.0.0.0" if job.proxy_route == "settings" else "127.0.0.1"   # noqa: S104 - the device must reach it
        return ProxyProcess(canaries=canaries_path, out_dir=out_dir, offline=job.offline, manifest=mpath,
                            confdir=ca_dir, listen_host=listen, t0_ms=t0)
    return factory


def run_local(jobs: list[DeviceJob], backend_factory: BackendFactory | None = None,
              proxy_factory=None) -> list[DeviceOutcome]:
    """One thread per device; one adb server shared by all (stopped at the end if started here)."""
    from .adb import AdbServer
    server = AdbServer() if backend_factory is None else None
    try:
        with cf.ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="device") as pool:
            futs = {pool.submit(run_one, j, backend_factory, proxy_factory, server): j for j in jobs}
            return [_outcome(fut, futs[fut]) for fut in futs]
    finally:
        if server is not None:
            server.close()


def _outcome(fut, job: DeviceJob) -> DeviceOutcome:
    try:
        return fut.result()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - one device's failure does not stop the others
        return DeviceOutcome(job.serial, job.out_dir, error=f"device {job.serial}: {type(exc).__name__}: {exc}")


# --- on a Dask cluster ------------------------------------------------------------------------

def survey_worker(dask_worker=None) -> list[str]:
    """Runs on each Dask worker (client.run passes the worker): the phones attached to its host."""
    return connected_serials()


def run_on_worker(job: DeviceJob, backend_factory: BackendFactory | None = None) -> tuple[DeviceOutcome, bytes]:
    """Runs on the Dask worker that has the phone: the run into a temp folder, sent back as a zip."""
    import os
    import socket
    with tempfile.TemporaryDirectory(prefix="sdkgate-device-") as tmp:
        local = DeviceJob(**{**asdict(job), "out_dir": str(Path(tmp) / safe_name(job.serial))})
        outcome = run_one(local, backend_factory)
        buf = io.BytesIO()
        root = Path(local.out_dir)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(root.rglob("*")) if root.is_dir() else []:
                if p.is_file():
                    z.write(p, p.relative_to(root).as_posix())
        outcome.out_dir, outcome.worker = job.out_dir, f"{socket.gethostname()}:{os.getpid()}"
        return outcome, buf.getvalue()


def run_cluster(jobs_by_serial: dict[str, DeviceJob], address: str, spec: str,
                backend_factory: BackendFactory | None = None,
                survey: Callable[..., list[str]] = survey_worker) -> list[DeviceOutcome]:
    """Each device run is a task with resources={'device': 1}, pinned to the worker whose host has the phone."""
    from distributed import Client

    from ..fleet.runner import _probe
    _probe(address)
    with Client(address, timeout="60s") as client:          # the port answered (_probe): a busy scheduler may be slow
        where = client.run(survey)                                  # worker address -> serials on its host
        owner: dict[str, str] = {}
        for addr, serials in sorted(where.items()):
            for s in serials:
                owner.setdefault(s, addr)
        serials = resolve_serials(spec, sorted(owner))
        missing = [s for s in serials if s not in owner]
        if missing:
            raise InputError(None, "--devices", f"no Dask worker has {', '.join(missing)} attached")
        futs = {}
        for s in serials:
            job = jobs_by_serial.get(s) or jobs_by_serial["*"]
            job = DeviceJob(**{**asdict(job), "serial": s, "out_dir": str(Path(job.out_dir) / safe_name(s))})
            futs[client.submit(run_on_worker, job, backend_factory, resources={"device": 1}, workers=[owner[s]],
                               allow_other_workers=False, pure=False)] = job
        outcomes = []
        for fut, job in futs.items():
            try:
                outcome, data = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker: that device's run is missing
                outcomes.append(DeviceOutcome(job.serial, job.out_dir, error=f"device {job.serial}: {type(exc).__name__}: {exc}"))
                continue
            dest = Path(job.out_dir)
            dest.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    target = (dest / name).resolve()
                    if dest.resolve() not in target.parents:
                        raise InputError(name, None, "unsafe path in a worker's evidence zip")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(z.read(name))
            outcomes.append(outcome)
        return outcomes


def exit_code(outcomes: list[DeviceOutcome], table) -> int:
    """The merged table's code; a device that could not run makes the whole run at least incomplete."""
    if outcomes and all(o.error for o in outcomes):
        return 2
    code = table.exit_code if table is not None else 3
    if any(o.error for o in outcomes) and code == 0:
        return 3
    return code


def cli_run_devices(spec: str, cluster: str | None, base: DeviceJob, scenario_name: str, fmt: str,
                    output: str | None, lang: str) -> int:
    """`run --devices`: the runs, then the merged table on stdout (or -o) and the exit code."""
    import time

    import click
    if fmt not in ("console", "json"):
        raise InputError(None, "--format", "with --devices the result is the merged table: console or json")
    root = Path(base.out_dir) if base.out_dir else \
        Path("out") / f"{safe_name(scenario_name)}-devices-{time.strftime('%Y%m%d-%H%M%S')}"
    base = DeviceJob(**{**asdict(base), "out_dir": str(root)})
    if cluster:
        outcomes = run_cluster({"*": base}, cluster, spec)
    else:
        serials = resolve_serials(spec, connected_serials())
        outcomes = run_local([DeviceJob(**{**asdict(base), "serial": s, "out_dir": str(root / safe_name(s))})
                              for s in serials])
    return report_outcomes(outcomes, fmt, output, lang, echo=click.echo)


def report_outcomes(outcomes: list[DeviceOutcome], fmt: str, output: str | None, lang: str, echo) -> int:
    import json

    from ..bundle.merge import merge, render_console
    ran = [o.out_dir for o in outcomes if (Path(o.out_dir) / "report.json").is_file()]
    table = merge(ran) if ran else None
    for o in outcomes:
        echo(f"sdkgate: {o.serial}: " + (f"error: {o.error}" if o.error else f"{o.verdict} -> {o.out_dir}"), err=True)
    if table is not None:
        if fmt == "json":
            d = table.to_dict()
            d["devices"] = [asdict(o) for o in outcomes]
            text = json.dumps(d, ensure_ascii=False, indent=2) + "\n"
        else:
            text = render_console(table, lang)
        if output:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(text, encoding="utf-8")
        else:
            echo(text, nl=False)
    return exit_code(outcomes, table)
