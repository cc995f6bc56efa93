"""`sdkgate calibrate`: install the probe, play its shipped scenario through the same runner as `run` (spawn
gating, capture mode, settle), compare the agent's reports with what the probe did (matrix.py), write
calibration.json and calibration.html into the evidence folder, seal it again (bundle.json covers them), and
keep a copy in the cache for `run`. Exit 0 when every applicable row and check fired, 3 otherwise.

On a device the probe's ledger (logcat tag sdkgate-probe) is read before the backend tears down and kept as
probe-ledger.txt in the folder; it tells an API the device does not have from a hook that did not fire.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..apitable import apis
from ..device.backend import DeviceBackend
from ..fileio import read_json_object, sha256_file
from .matrix import NOT_FIRED, build_matrix, parse_ledger, summarise
from .plan import PACKAGE
from .record import SCHEMA, device_record, store_in_cache, write_record

LEDGER_FILE = "probe-ledger.txt"
FEATURES = {"programmatic_consent": {"resource_id": f"{PACKAGE}:id/btn_self_click"}}
EXIT_COMPLETE, EXIT_INCOMPLETE = 0, 3


def probe_dir() -> Path:
    return Path(str(resources.files("sdkgate.data").joinpath("probe")))


def probe_file(name: str) -> Path:
    return probe_dir() / name


class ProbeDevice(DeviceBackend):
    """The device backend plus the probe's ledger: read from logcat before teardown, kept in the evidence."""

    def stop(self) -> None:
        if not self._stopped and self.adb is not None and self.ctx is not None:
            try:
                from ..device.adb import shell  # noqa: PLC0415
                text = shell(self.adb, ["logcat", "-d", "-v", "threadtime", "-s", "sdkgate-probe:I"])
                (self.ctx.out_dir / LEDGER_FILE).write_text(text, "utf-8")
            except Exception as exc:  # noqa: BLE001 - no ledger: unfired rows stay "not fired" (fail closed)
                self.teardown_log.append(f"failed: read the probe's ledger (logcat): {exc}")
            self._undo.insert(0, ("uninstall the probe", lambda: self._sh(["pm", "uninstall", PACKAGE], check=False)))
        super().stop()


@dataclass
class CalibrationResult:
    out_dir: Path
    record: dict
    report: Any
    cache_path: Path | None

    @property
    def exit_code(self) -> int:
        return EXIT_COMPLETE if self.record["summary"]["complete"] else EXIT_INCOMPLETE


def _jsonl(path: Path) -> list[dict]:
    from ..events import read_events  # noqa: PLC0415 - the bounded reader (bad lines are skipped here)
    if not path.is_file():
        return []
    out = []
    for ev in read_events(path):
        to = getattr(ev, "to_dict", None)
        if to is not None:
            out.append(to())
    return out


def _stale_rows(plan: dict) -> list[dict]:
    """Table rows the shipped probe predates (the probe was not rebuilt after they were added): not fired."""
    known = {r["id"] for r in plan["rows"]}
    return [{"id": a.id, "kind": a.kind, "category": a.category, "match": a.match, "status": NOT_FIRED,
             "detail": "the probe predates this row: rebuild it (python tools/build_probe.py)"}
            for a in apis() if a.id not in known and a.kind != "native"]


def calibrate(backend, out_dir: Path, *, simulated: bool, options=None, cache: Path | None | bool = None,
              scenario: Path | None = None, lang: str = "en") -> CalibrationResult:
    """Run the probe on `backend` into `out_dir` and judge the agent. `options`: RunOptions (proxy, settle,
    capture); `cache`: where to keep a copy (None: the default cache, False: none); `scenario`: another
    scenario for the probe (default: the shipped one); `lang`: the page's language."""
    from ..bundle import write_bundle  # noqa: PLC0415
    from ..manifest import load_manifest  # noqa: PLC0415
    from ..scenario.model import load_scenario  # noqa: PLC0415
    from ..scenario.runner import RunOptions, run_scenario  # noqa: PLC0415
    plan = read_json_object(probe_file("plan.json"))
    sc = load_scenario(scenario or probe_file("scenario-simulated.yaml" if simulated else "scenario.yaml"))
    manifest = load_manifest(probe_file("manifest.yaml"))
    opts = options or RunOptions()
    if simulated:
        opts.app_model = probe_file("probe-model.yaml")
    result = run_scenario(sc, manifest, backend, Path(out_dir), opts)
    out = result.out_dir
    events = _jsonl(out / "events.jsonl")
    flows = _jsonl(out / "net.jsonl")
    ledger = None
    if (out / LEDGER_FILE).is_file():
        pids = {int(e["pid"]) for e in events if isinstance(e.get("pid"), int)
                and str(e.get("process") or "").startswith(PACKAGE)}
        ledger = parse_ledger((out / LEDGER_FILE).read_text("utf-8", errors="replace"), pids or None)
    payload_sha = {k: sha256_file(probe_file(f"probe-{k}.dex")) for k in ("dex", "inmemory")}
    matrix = build_matrix(plan, events, flows, out, ledger, payload_sha)
    stale = _stale_rows(plan)
    if stale:
        matrix["rows"] += stale
        matrix["summary"] = summarise(matrix["rows"], matrix["checks"])
        for r in stale:
            matrix["not_observable"].setdefault(r["category"] or "side channels", []).append(r["id"])
    run = result.run
    info = backend.info() or {}
    record = {
        "schema": SCHEMA, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tool": __version__, "backend": run.get("backend"), **device_record(info, run),
        "probe": {"package": PACKAGE, "apk_sha256": None if simulated else sha256_file(probe_file("sdkgate-probe.apk")),
                  "plan_table_sha256": plan["table_sha256"], "model": "probe-model.yaml" if simulated else None},
        "scenario": sc.name,
        "ledger": ("logcat" if ledger is not None else "none: the simulated device plays every call" if simulated
                   else "unavailable: rows that did not fire cannot be told from APIs this device lacks"),
        "run_verdict": result.report.verdict,
        **matrix,
        # every process of the package the backend saw, instrumented or not (spawn gating, dynamic/processes.py)
        "process_list": [p for p in (info.get("process_list") or info.get("processes") or [])
                         if isinstance(p, dict) and p.get("name")],
    }
    path = write_record(out, record)
    from .views import render_html  # noqa: PLC0415
    (out / "calibration.html").write_text(render_html(record, lang), "utf-8")
    write_bundle(out, extra_meta={"calibration": {"file": path.name, "sha256": sha256_file(path),
                                                  "summary": record["summary"]}})
    cached = None
    if cache is not False and not simulated:
        serial = getattr(getattr(backend, "adb", None), "serial", None)
        cached = store_in_cache(path, serial, record["agent"]["sha256"], cache if isinstance(cache, Path) else None)
    return CalibrationResult(out, record, result.report, cached)
