"""The `fleet_runs` rows: one per `scan --db`, `running` while its coordinator lives, then `done`, or
`aborted` when it stopped early (an error, Ctrl-C) or was killed (found by the next run or report on the
same host: its coordinator process is gone)."""
from __future__ import annotations

import os
import socket

from .. import __version__
from .db import Database
from .schema import now_iso

RUNNING, DONE, ABORTED = "running", "done", "aborted"


def _started(pid: int) -> int | None:
    """When process `pid` started (seconds since the epoch), so a reused pid is not taken for it."""
    try:
        import psutil
        return int(psutil.Process(pid).create_time())
    except ImportError:  # pragma: no cover - psutil comes with dask distributed
        return 0
    except Exception:  # noqa: BLE001 - no such process, or not ours to look at
        return None


def coordinator_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_started(os.getpid()) or 0}"


def _alive(coordinator: str) -> bool:
    """Whether the coordinator named `host:pid:start` still runs; True when it cannot be told (another host)."""
    host, _, rest = str(coordinator or "").partition(":")
    pid_s, _, start_s = rest.partition(":")
    if host != socket.gethostname() or not pid_s.isdigit():
        return True
    started = _started(int(pid_s))
    if started is None:
        return False
    return not (start_s.isdigit() and int(start_s) and started and abs(started - int(start_s)) > 1)


def mark_dead_runs(db: Database) -> list[int]:
    """Runs still `running` whose coordinator on this host is gone (killed): marked `aborted`."""
    rows = db.query("SELECT id, coordinator FROM fleet_runs WHERE status = ?", (RUNNING,))
    dead = [int(r[0]) for r in rows if not _alive(r[1])]
    if dead:
        with db.transaction():
            db.executemany("UPDATE fleet_runs SET status = ? WHERE id = ? AND status = ?",
                           [(ABORTED, i, RUNNING) for i in dead])
    return dead


def start_run(db: Database, engine: str, workers: int, apks: int) -> int:
    """A fleet_runs row at the start, `running` (a killed run keeps it, with no finished_at)."""
    with db.transaction():
        return db.insert_id("INSERT INTO fleet_runs (started_at, tool_version, engine, workers, apks, status, coordinator) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (now_iso(), __version__, engine, workers, apks, RUNNING, coordinator_id()))


def finish_run(db: Database, run_id: int, scanned: int, skipped: int, errors: int, workers: int,
               status: str = DONE) -> None:
    with db.transaction():
        db.execute("UPDATE fleet_runs SET finished_at = ?, scanned = ?, skipped = ?, errors = ?, workers = ?, status = ? "
                   "WHERE id = ?", (now_iso(), scanned, skipped, errors, workers, status, run_id))
