"""calibration.json (schema sdkgate.calibration/1), the calibration cache, and what `sdkgate run` records.

calibration.json: device (model, Android release, API level, ABI; identifiers salted-hashed with `id_salt`),
Frida client/server versions, the agent bundle's sha256, the probe (APK and plan hashes), the matrix (rows,
checks, summary, not_observable) and what was seen. `sdkgate calibrate` writes it into its sealed evidence
folder and copies it to the cache (one file per device serial + agent hash), where `sdkgate run` finds it.

`run --calibration FILE` (or the cache) -> a `calibration` step event: status calibrated | not_calibrated,
rows fired/applicable, the categories not observable; a calibration of another device or agent build does not
apply (not calibrated, with the reason). The rule group rules/calibration.py turns it into the report's note
and, for categories that did not fire, `incomplete` reasons.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..bundle.bundle import salted_hash
from ..errors import InputError
from ..fileio import read_json_document, sha256_file

SCHEMA = "sdkgate.calibration/1"
FILE = "calibration.json"
CACHE_ENV = "SDKGATE_CALIBRATION_CACHE"
MAX_CATEGORIES, MAX_IDS = 100, 50        # what a run's event carries of a calibration's gaps (an event line is bounded)


def cache_dir() -> Path:
    """$SDKGATE_CALIBRATION_CACHE, else $XDG_CACHE_HOME/sdkgate/calibration, else ~/.cache/sdkgate/calibration."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sdkgate" / "calibration"


def cache_key(serial: str, agent_sha256: str) -> str:
    """File name of a device's calibration for one agent build (the serial only hashed, even locally)."""
    dev = hashlib.sha256(f"sdkgate-calibration:{serial}".encode()).hexdigest()[:20]
    return f"{dev}-{agent_sha256[:16]}.json"


def write_record(out_dir: Path, record: dict) -> Path:
    path = Path(out_dir) / FILE
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def store_in_cache(record_path: Path, serial: str | None, agent_sha: str | None, where: Path | None = None) -> Path | None:
    if not serial or not agent_sha:
        return None
    d = where or cache_dir()
    d.mkdir(parents=True, exist_ok=True)
    dest = d / cache_key(serial, agent_sha)
    tmp = dest.with_suffix(".tmp")
    tmp.write_bytes(record_path.read_bytes())
    os.replace(tmp, dest)
    return dest


def load_record(path: str | Path) -> dict:
    """A calibration.json (or an evidence folder holding one); bad input names the file and the problem."""
    p = Path(path)
    if p.is_dir():
        p = p / FILE
    if not p.is_file():
        raise InputError(str(p), None, "calibration file not found (give the calibration.json `sdkgate calibrate` wrote)")
    try:
        data = read_json_document(p)
    except (OSError, ValueError) as exc:
        raise InputError(str(p), None, f"not a calibration file: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(str(p), "schema", f"not a calibration file (schema {str(data.get('schema') if isinstance(data, dict) else None)[:60]!r}, "
                                           f"expected {SCHEMA})")
    summary, gaps = data.get("summary"), data.get("not_observable")
    if not isinstance(summary, dict) or not isinstance(gaps, dict) or not all(
            isinstance(summary.get(k), int) for k in ("rows_fired", "rows_applicable")):
        raise InputError(str(p), "summary", "calibration file without a valid summary / not_observable")
    if not all(isinstance(k, str) and isinstance(v, list) and all(isinstance(i, str) for i in v) for k, v in gaps.items()):
        raise InputError(str(p), "not_observable", "expected {category: [row ids]}")
    data["_path"], data["_sha256"] = str(p), sha256_file(p)
    return data


def applies(record: dict, serial: str | None, agent_sha: str | None) -> str | None:
    """Why a calibration does not apply to this device and agent build (None: it does)."""
    want = (record.get("agent") or {}).get("sha256")
    if not agent_sha or want != agent_sha:
        return "the calibration was made with another agent build"
    ids = (record.get("device") or {}).get("ids") or {}
    salt = record.get("id_salt")
    if not serial or not salt or ids.get("adb_serial") != salted_hash(str(salt), serial):
        return "the calibration was made on another device"
    return None


def run_event(record: dict | None, *, found: str, required: bool, problem: str | None = None) -> dict:
    """The fields of the `calibration` step event (and of run.json's `calibration`)."""
    if record is None or problem:
        return {"status": "not_calibrated", "found": found, "required": required,
                **({"problem": problem} if problem else {}), **_ref(record)}
    s = record["summary"]
    gaps = {k: v[:MAX_IDS] for k, v in list(record["not_observable"].items())[:MAX_CATEGORIES]}
    return {"status": "calibrated", "found": found, "required": required, "rows_fired": s["rows_fired"],
            "rows_applicable": s["rows_applicable"], "complete": bool(s.get("complete")),
            "not_observable": gaps, "created": str(record.get("created") or "")[:40], **_ref(record)}


def _ref(record: dict | None) -> dict:
    return {"file": record.get("_path"), "sha256": record.get("_sha256")} if record else {}


class RunCalibration:
    """`sdkgate run`'s calibration: called by the runner once the device and the agent are known
    (RunOptions.on_start) to record it in run.json and the event log."""

    def __init__(self, path: str | None, required: bool, serial_of, cache: Path | None = None):
        self.record = load_record(path) if path else None     # a bad file is bad input before anything runs
        self.required, self.serial_of, self.cache = required, serial_of, cache

    def __call__(self, run: dict, emit) -> None:
        serial, agent = self.serial_of(), run.get("agent_sha256")
        record, found, problem = self.record, "file" if self.record else "none", None
        if record is None and serial and agent:
            cached = (self.cache or cache_dir()) / cache_key(serial, agent)
            if cached.is_file():
                try:
                    record, found = load_record(cached), "cache"
                except InputError as exc:
                    problem = f"cached calibration unusable: {exc.problem}"
        if record is not None:
            problem = applies(record, serial, agent)
        fields = run_event(record, found=found, required=self.required, problem=problem)
        run["calibration"] = fields
        emit("calibration", **fields)


def device_record(info: dict, run: dict) -> dict[str, Any]:
    """Device, Frida and agent facts of a calibration run (from the backend's info and run.json)."""
    binfo = run.get("backend_info") or {}
    dev = dict(binfo.get("device") or {"kind": run.get("backend") or "simulated"})
    if dev.get("sdk") is not None:
        try:
            dev["api_level"] = int(dev["sdk"])
        except (TypeError, ValueError):
            dev["api_level"] = None
    return {"device": dev, "id_salt": binfo.get("id_salt"),
            "frida": {"client": (run.get("versions") or {}).get("frida"), "server": binfo.get("frida_server")},
            "agent": {"sha256": run.get("agent_sha256"), "bundle": binfo.get("agent_bundle") or "agent.js"}}
