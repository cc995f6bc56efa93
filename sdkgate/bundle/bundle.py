"""Write `bundle.json`: the list of every evidence file with its SHA-256, plus what the run was made of.

An auditor re-checks a bundle months later without trusting whoever ran it: each file's hash, the APK,
device, tool versions, agent bundle hash, the manifest and scenario as run and the canaries are all
recorded here. Real device identifiers never appear in clear: they are hashed with a per-bundle salt
(whoever holds the device can re-derive the hash; two bundles of the same device cannot be linked).
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import secrets
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from ..fileio import read_json_object, sha256_file  # noqa: F401 - sha256_file re-exported

SCHEMA = "sdkgate.bundle/1"
SCHEMA_PREFIX = "sdkgate.bundle/"
SCHEMA_VERSION = 1
BUNDLE_FILE = "bundle.json"
SIG_FILE = "bundle.sig"
# files that are about the bundle, not evidence: never listed in `files`
SELF_FILES = (BUNDLE_FILE, SIG_FILE)
# raw evidence the verdict is re-derived from (those present are recorded in `evidence`)
EVIDENCE_FILES = ("events.jsonl", "net.jsonl")
# device properties that identify a person's phone: hashed, never stored in clear
IDENTIFYING_KEYS = ("serial", "imei", "meid", "imsi", "iccid", "android_id", "mac", "phone_number",
                    "oaid", "gaid", "adb_serial", "ro.serialno", "bt_mac", "wifi_mac")




def salted_hash(salt: str, value: str) -> str:
    """`sha256:` + hex of SHA-256(salt || value): recomputable by the device's owner, unlinkable across bundles."""
    return "sha256:" + hashlib.sha256((salt + str(value)).encode("utf-8")).hexdigest()


def list_files(root: Path) -> list[str]:
    """Every regular file or symlink under root (posix relative paths, sorted), except bundle.json/.sig."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for d in list(dirnames):            # symlinked folders are entries too (verify flags them)
            if os.path.islink(os.path.join(dirpath, d)):
                filenames.append(d)
                dirnames.remove(d)
        for name in filenames:
            rel = Path(dirpath, name).relative_to(root).as_posix()
            if rel not in SELF_FILES:
                out.append(rel)
    return sorted(out)


def hash_files(root: Path) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for rel in list_files(root):
        p = root / rel
        if p.is_symlink() or not p.is_file():
            raise InputError(str(p), None, "evidence folders hold plain files only (symlink or special file found)")
        files[rel] = {"sha256": sha256_file(p), "bytes": p.stat().st_size}
    return files


def tool_versions() -> dict[str, str]:
    out = {"sdkgate": __version__, "python": platform.python_version()}
    for dist in ("frida", "mitmproxy", "androguard", "adbutils", "uiautomator2"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def apk_info(apk: str | Path) -> dict[str, Any]:
    """Hash and identity of the APK that was run (package/version read with androguard when it can)."""
    apk = Path(apk)
    if not apk.is_file():
        raise InputError(str(apk), None, "APK not found")
    info: dict[str, Any] = {"file": apk.name, "sha256": sha256_file(apk), "bytes": apk.stat().st_size}
    try:
        from ..cli.common import quiet_androguard
        quiet_androguard()
        from androguard.core.apk import APK
        a = APK(str(apk))
        info.update(package=a.get_package(), version_name=a.get_androidversion_name(),
                    version_code=a.get_androidversion_code())
    except Exception as exc:  # noqa: BLE001 - metadata is a nicety; the hash is what counts
        info["metadata_error"] = f"{type(exc).__name__}: {exc}"[:200]
    return info


def scrub_device(device: dict[str, Any] | None, salt: str, ids: dict[str, str] | None = None) -> dict[str, Any]:
    """Device description with every identifying value replaced by its salted hash."""
    out: dict[str, Any] = {}
    hashed: dict[str, str] = {}
    for k, v in (device or {}).items():
        if k.lower() in IDENTIFYING_KEYS and v not in (None, ""):
            hashed[k] = salted_hash(salt, str(v))
        elif k != "ids":
            out[k] = v
    for k, v in {**((device or {}).get("ids") or {}), **(ids or {})}.items():
        if isinstance(v, str) and v.startswith("sha256:") and len(v) == 71:
            hashed[k] = v                       # hashed already (by the backend, with this salt)
        elif v not in (None, ""):
            hashed[k] = salted_hash(salt, str(v))
    if hashed:
        out["ids"] = dict(sorted(hashed.items()))
    return out


def _file_ref(root: Path, name: str) -> dict[str, Any] | None:
    p = root / name
    if not p.is_file():
        return None
    return {"file": name, "sha256": sha256_file(p)}



def write_bundle(out_dir: str | Path, extra_meta: dict[str, Any] | None = None, *,
                 apk: str | Path | None = None, device: dict[str, Any] | None = None,
                 device_ids: dict[str, str] | None = None) -> Path:
    """Seal an evidence folder: write `bundle.json` and return its path.

    Called by the runner at the end of `simulate` and `run`, after every other file is final.
    Most facts come from `run.json` (canaries, agent hash, versions, scenario name);
    `extra_meta` adds or overrides top-level keys (e.g. `eval_options`, `device`);
    `device` is the device description and `device_ids` real identifiers: both are salted-hashed.
    """
    root = Path(out_dir)
    if not root.is_dir():
        raise InputError(str(root), None, "evidence folder not found")
    from ..net import harjob
    harjob.wait(root)               # flows.har is still being written after the proxy stopped: seal it whole
    extra = dict(extra_meta or {})
    run = read_json_object(root / "run.json")
    report = read_json_object(root / "report.json")
    binfo = run.get("backend_info") if isinstance(run.get("backend_info"), dict) else {}
    # a backend that hashed identifiers itself (run.json is sealed too) hands over its salt
    salt = str(binfo.get("id_salt") or secrets.token_hex(16))
    dev = device if device is not None else extra.pop("device", None) or binfo.get("device") or run.get("device") \
        or {"kind": run.get("backend") or "simulated"}
    if isinstance(dev, str):
        dev = {"kind": dev}
    tools = tool_versions()
    for k, v in (run.get("versions") or run.get("tools") or {}).items():
        tools.setdefault(k, v)
    agent = run.get("agent")
    agent_sha = run.get("agent_sha256") or (agent.get("sha256") if isinstance(agent, dict) else None)
    manifest_ref = _file_ref(root, "manifest.yaml")
    scenario_ref = _file_ref(root, "scenario.yaml")
    if scenario_ref is not None:
        name = run.get("scenario")
        scenario_ref["name"] = name.get("name") if isinstance(name, dict) else name
    meta: dict[str, Any] = {
        "schema": SCHEMA,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "salt": salt,
        "tools": tools,
        "device": scrub_device(dev, salt, device_ids),
        "apk": apk_info(apk) if apk else binfo.get("apk") or run.get("apk_info") or None,
        "agent": {"sha256": agent_sha} if agent_sha else None,
        "manifest": manifest_ref,
        "scenario": scenario_ref,
        "canaries": run.get("canaries") or {},
        "evidence": [n for n in EVIDENCE_FILES if (root / n).is_file()],
        "verdict": report.get("verdict"),
        "eval_options": run.get("eval_options") or {},
    }
    meta.update(extra)
    meta["files"] = hash_files(root)
    path = root / BUNDLE_FILE
    tmp = root / (BUNDLE_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=False) + "\n", "utf-8")
    os.replace(tmp, path)
    return path
