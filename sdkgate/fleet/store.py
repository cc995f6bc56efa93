"""Writing scan results into the fleet database: one transaction per APK, keyed so reruns skip work.

An APK's key is (sha256, tool version, manifest hash, options hash): the same bytes judged by the same
sdkgate against the same declarations and suppressions give the same report, so a stored row is reused.
A failed scan is stored too (verdict `error`, with its message): `input` errors (the file is not a
readable APK) are final, `worker` errors (a worker died, a lost connection) are retried by the next run.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from .db import Database
from .reasons import reason_kind
from .schema import now_iso

ERROR_VERDICT = "error"


@dataclass(frozen=True)
class ScanKey:
    sha256: str
    manifest_hash: str
    options_hash: str
    tool_version: str = __version__


@dataclass
class ScanRecord:
    """What comes back from a worker for one APK (small and picklable)."""
    apk: str
    sha256: str
    size: int
    report: dict[str, Any] | None = None
    error: str | None = None
    error_kind: str | None = None        # input | worker
    scan_ms: float | None = None
    peak_rss_kb: int | None = None
    worker: str = ""


@dataclass
class StoreStats:
    written: int = 0
    errors: int = 0
    seconds: float = 0.0
    per_apk_ms: list[float] = field(default_factory=list)


def file_sha256(path: str, chunk: int = 1 << 20) -> tuple[str, int]:
    """sha256 and size, streamed (flat memory for any APK size)."""
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while b := f.read(chunk):
            h.update(b)
            n += len(b)
    return h.hexdigest(), n


def text_hash(*parts: bytes | None) -> str:
    """Hash of the judging inputs (manifest file, suppression file); '' when none is given."""
    if not any(p is not None for p in parts):
        return ""
    h = hashlib.sha256()
    for p in parts:
        h.update(b"\0" if p is None else hashlib.sha256(p).digest())
    return h.hexdigest()


def find_done(db: Database, key: ScanKey) -> tuple[int, str | None] | None:
    """The stored row for this key: (id, error_kind), or None."""
    rows = db.query("SELECT id, error_kind FROM apps WHERE sha256 = ? AND tool_version = ? AND manifest_hash = ? "
                    "AND options_hash = ?", (key.sha256, key.tool_version, key.manifest_hash, key.options_hash))
    return (int(rows[0][0]), rows[0][1]) if rows else None


def should_skip(db: Database, key: ScanKey, rescan: bool) -> bool:
    if rescan:
        return False
    done = find_done(db, key)
    return done is not None and done[1] in (None, "input")      # worker / unreadable errors are retried


def _sdk_evidence(sdk: dict[str, Any]) -> str:
    """How the SDK was found: the report's own evidence kinds when it lists them, else its Java packages."""
    ev = sdk.get("evidence")
    if isinstance(ev, dict):
        kinds = sorted(k for k, v in ev.items() if v)
    elif isinstance(ev, (list, tuple)):
        kinds = sorted({str(e.get("kind")) if isinstance(e, dict) else str(e) for e in ev})
    else:
        kinds = []
    if not kinds:
        kinds = ["packages"] if sdk.get("packages") or sdk.get("class_count") else ["unknown"]
    return ",".join(kinds)


def store(db: Database, rec: ScanRecord, key: ScanKey, run_id: int | None = None) -> int:
    """Replace any row of this key with `rec` (one transaction); returns the new app id."""
    rep = rec.report or {}
    app = rep.get("app") or {}
    verdict = ERROR_VERDICT if rec.error else str(rep.get("verdict") or ERROR_VERDICT)
    exit_code = 2 if rec.error_kind == "input" else (None if rec.error else _exit_code(rep))
    with db.transaction():
        db.execute("DELETE FROM apps WHERE sha256 = ? AND tool_version = ? AND manifest_hash = ? AND options_hash = ?",
                   (key.sha256, key.tool_version, key.manifest_hash, key.options_hash))
        app_id = db.insert_id(
            "INSERT INTO apps (sha256, size, apk_path, package, version_name, app_name, scanned_at, tool_version, "
            "manifest_hash, options_hash, verdict, exit_code, error, error_kind, report_json, run_id, scan_ms, "
            "peak_rss_kb, worker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key.sha256, rec.size, rec.apk, app.get("package"), app.get("version_name"), app.get("name"), now_iso(),
             key.tool_version, key.manifest_hash, key.options_hash, verdict, exit_code, rec.error, rec.error_kind,
             json.dumps(rep, ensure_ascii=False, sort_keys=True) if rec.report else None, run_id, rec.scan_ms,
             rec.peak_rss_kb, rec.worker or None))
        if rec.report:
            db.executemany("INSERT INTO app_sdks (app_id, sdk_id, name, vendor, sdk_kind, declared, class_count, "
                           "evidence_kind, packages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(app_id, s.get("id"), s.get("name"), s.get("vendor"), s.get("purpose") or s.get("kind"),
                             1 if s.get("declared") else 0, s.get("class_count"), _sdk_evidence(s),
                             ",".join(s.get("packages") or [])) for s in rep.get("sdks") or []])
            db.executemany("INSERT INTO call_sites (app_id, actor, category, api, caller) VALUES (?, ?, ?, ?, ?)",
                           [(app_id, c.get("actor"), c.get("category"), c.get("api"), c.get("caller"))
                            for c in rep.get("call_sites") or []])
            db.executemany("INSERT INTO findings (app_id, rule, severity, actor, category, suppressed, evidence_count, "
                           "message, message_zh, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(app_id, f.get("rule"), f.get("severity"), f.get("actor"), f.get("category"),
                             1 if f.get("suppressed") else 0, f.get("evidence_count"), f.get("message"),
                             f.get("message_zh"), json.dumps(f.get("detail") or {}, ensure_ascii=False, sort_keys=True))
                            for f in rep.get("findings") or []])
            kinds = {str(r.get("reason")): str(r.get("kind")) for r in rep.get("incomplete_reasons") or []
                     if isinstance(r, dict) and r.get("kind")}
            db.executemany("INSERT INTO incomplete_reasons (app_id, reason, reason_class) VALUES (?, ?, ?)",
                           [(app_id, str(r), kinds.get(str(r)) or reason_kind(str(r)))
                            for r in rep.get("incomplete") or []])
    return app_id


def _exit_code(rep: dict[str, Any]) -> int | None:
    from ..exitcodes import VERDICT_EXIT
    return VERDICT_EXIT.get(str(rep.get("verdict")), None)
