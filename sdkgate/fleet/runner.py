"""`scan --db`: a fleet scan. The coordinator (this process) hashes each APK, skips the ones already
stored, hands the rest to a local process pool (`--jobs`) or a Dask distributed cluster (`--cluster`),
and alone writes every result into the database as it arrives (one commit per APK, so a killed run
loses only the scans in flight and the next run continues)."""
from __future__ import annotations

import concurrent.futures as cf
import itertools
import os
from concurrent.futures.process import BrokenProcessPool
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InputError
from .schema import open_db
from .sources import is_url, source_sha256
from .runs import ABORTED, finish_run, mark_dead_runs, start_run
from .store import ScanKey, ScanRecord, find_done, should_skip, store, text_hash
from .worker import die_with_parent, scan_record

# exit code of a stored row, worst first (as `scan`): unreadable input, incomplete/error, fail, pass
_WORST = {2: 4, 3: 3, 1: 2, 0: 1}


@dataclass
class FleetSummary:
    apks: int = 0
    scanned: int = 0
    skipped: int = 0
    duplicates: int = 0
    errors: int = 0
    run_id: int | None = None
    exit_code: int = 0
    db_write_s: float = 0.0
    scan_s: float = 0.0                                    # summed worker time inside the scans
    lines: list[str] = field(default_factory=list)        # one per APK scanned: "path: verdict"
    peak_rss_kb: dict[str, int] = field(default_factory=dict)   # worker -> peak RSS


def _read(path: Path | None) -> tuple[str, bytes] | None:
    return (path.name, path.read_bytes()) if path else None


class _Engine:
    """An executor of scan tasks: a local process pool or a Dask client's concurrent.futures executor."""

    def __init__(self, jobs: int, cluster: str | None):
        self.cluster, self.jobs = cluster, jobs
        self.client = None
        if cluster:
            try:
                from distributed import Client
            except ImportError:  # pragma: no cover - a dependency
                raise InputError(None, "--cluster", "needs dask distributed (pip install 'dask[distributed]')") from None
            _probe(cluster)
            try:
                self.client = Client(cluster, timeout="60s")          # the port answered (_probe): a busy scheduler may be slow
            except (OSError, TimeoutError) as exc:
                raise InputError(None, "--cluster", f"cannot reach the Dask scheduler at {cluster}: {exc}") from None
            self.workers = max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))
            self.pool = self.client.get_executor(pure=False)
            self.name = "dask"
        else:
            self.workers = jobs
            self.pool = self._local_pool()
            self.name = "local"

    def _local_pool(self) -> cf.ProcessPoolExecutor:
        """Workers that die with this process, even when it is killed with SIGKILL (worker.die_with_parent)."""
        return cf.ProcessPoolExecutor(max_workers=self.jobs, initializer=die_with_parent, initargs=(os.getpid(),))

    def renew(self) -> None:
        """A local pool breaks when one worker process dies: start a fresh one for the rest."""
        if self.client is None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._local_pool()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        else:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _probe(address: str) -> None:
    """Fail fast and clearly when nothing listens at the scheduler address (Client would retry for its timeout)."""
    import socket
    from urllib.parse import urlsplit
    u = urlsplit(address if "://" in address else f"tcp://{address}")
    if u.scheme not in ("tcp", "tls") or not u.hostname:
        raise InputError(None, "--cluster", f"{address!r}: expected tcp://SCHEDULER:8786")
    try:
        socket.create_connection((u.hostname, u.port or 8786), timeout=10).close()
    except OSError as exc:
        raise InputError(None, "--cluster", f"cannot reach the Dask scheduler at {address}: {exc}") from None


def scan_fleet(files: list[Path | str], db_url: str, *, manifest: Path | None = None, suppressions: Path | None = None,
               jobs: int | None = None, cluster: str | None = None, rescan: bool = False,
               on_result: Callable[[ScanRecord, str], None] | None = None,
               allow_package_mismatch: bool = False) -> FleetSummary:
    """Scan `files` into the database at `db_url`; see the module docstring."""
    db = open_db(db_url)
    summary = FleetSummary(apks=len(files))
    man, sup = _read(manifest), _read(suppressions)
    mhash, ohash = text_hash(man[1] if man else None), text_hash(sup[1] if sup else None)
    if allow_package_mismatch:      # it changes the verdict: another key
        ohash = text_hash(sup[1] if sup else None, b"--allow-package-mismatch")
    keys: list[ScanKey] = []
    engine = None
    try:
        for dead in mark_dead_runs(db):
            summary.lines.append(f"note: fleet run {dead} was killed before it finished: marked aborted")
        summary.run_id = start_run(db, "dask" if cluster else "local", 0, len(files))
        # keys are computed as the scans are handed out: the first scan starts at once, memory stays flat
        items = _keyed(files, db, mhash, ohash, rescan, summary, keys)
        first = next(items, None)
        if first is not None:
            engine = _Engine(jobs or max(1, min(len(files), os.cpu_count() or 1)), cluster)
            try:
                _dispatch(engine, itertools.chain([first], items), man, sup, db, summary, on_result,
                          allow_package_mismatch)
            finally:
                engine.close()
        finish_run(db, summary.run_id, summary.scanned, summary.skipped, summary.errors,
                   engine.workers if engine else 0)
        summary.exit_code = _worst_stored(db, keys)
    except BaseException:           # Ctrl-C, a lost database, an internal error: the run says it stopped early
        if summary.run_id is not None:
            try:
                finish_run(db, summary.run_id, summary.scanned, summary.skipped, summary.errors,
                           engine.workers if engine else 0, status=ABORTED)
            except Exception:  # noqa: BLE001 - the database itself may be what failed
                pass
        raise
    finally:
        db.close()
    return summary


def _keyed(files, db, mhash: str, ohash: str, rescan: bool, summary: FleetSummary, keys: list[ScanKey]):
    """(path, key, size) of each APK to scan; duplicates and stored keys are counted and left out."""
    seen: set[str] = set()
    for f in files:
        path = str(f) if is_url(str(f)) else str(Path(f).resolve())
        try:
            sha, size = source_sha256(path)
        except OSError as exc:
            sha = "unread:" + text_hash(path.encode())
            key = ScanKey(sha, mhash, ohash)
            keys.append(key)
            summary.errors += 1
            rec = ScanRecord(apk=path, sha256=sha, size=0, error=f"{f}: cannot read: {exc.strerror or exc}",
                             error_kind="unreadable")
            store(db, rec, key, summary.run_id)
            summary.lines.append(f"{f}: error ({rec.error})")
            continue
        key = ScanKey(sha, mhash, ohash)
        keys.append(key)
        if sha in seen:
            summary.duplicates += 1
            continue
        seen.add(sha)
        if should_skip(db, key, rescan):
            summary.skipped += 1
            continue
        yield path, key, size


def _dispatch(engine: _Engine, todo, man, sup, db, summary: FleetSummary, on_result,
              allow_package_mismatch: bool = False) -> None:
    pending = iter(todo)
    inflight: dict[cf.Future, tuple[str, ScanKey, int]] = {}
    limit = max(2, 2 * engine.workers)

    def fill():
        while len(inflight) < limit:
            item = next(pending, None)
            if item is None:
                return
            path, key, size = item
            inflight[engine.pool.submit(scan_record, path, key.sha256, size, man, sup,
                                        allow_package_mismatch)] = item

    fill()
    while inflight:
        done, _ = cf.wait(list(inflight), return_when=cf.FIRST_COMPLETED)
        broken = False
        for fut in done:
            path, key, size = inflight.pop(fut)
            try:
                rec = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died, a lost connection: retried next run
                broken = broken or isinstance(exc, BrokenProcessPool)
                rec = ScanRecord(apk=path, sha256=key.sha256, size=size, error_kind="worker",
                                 error=f"{path}: scan worker failed: {type(exc).__name__}: {exc}")
            t0 = time.perf_counter()
            store(db, rec, key, summary.run_id)
            summary.db_write_s += time.perf_counter() - t0
            summary.scanned += 1
            if rec.error:
                summary.errors += 1
            summary.scan_s += (rec.scan_ms or 0.0) / 1000
            if rec.peak_rss_kb:
                summary.peak_rss_kb[rec.worker] = max(summary.peak_rss_kb.get(rec.worker, 0), rec.peak_rss_kb)
            verdict = "error" if rec.error else str((rec.report or {}).get("verdict"))
            summary.lines.append(f"{path}: {verdict}" + (f" ({rec.error})" if rec.error else ""))
            if on_result:
                on_result(rec, verdict)
        if broken:
            engine.renew()
        fill()


def _worst_stored(db, keys: list[ScanKey]) -> int:
    codes = []
    for key in {k for k in keys}:
        rows = db.query("SELECT exit_code, error_kind FROM apps WHERE sha256 = ? AND tool_version = ? AND "
                        "manifest_hash = ? AND options_hash = ?",
                        (key.sha256, key.tool_version, key.manifest_hash, key.options_hash))
        for code, kind in rows:
            codes.append(3 if code is None else int(code))
    return max(codes, key=lambda c: _WORST.get(c, 5)) if codes else 0


__all__ = ["FleetSummary", "scan_fleet", "find_done"]
