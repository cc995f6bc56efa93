"""What runs on a scan worker (a local process or a Dask worker): one APK in, one ScanRecord out.

The manifest and suppressions travel as bytes with the task, so workers only need to reach the APKs.
"""
from __future__ import annotations

import hashlib
import os
import socket
import tempfile
import time
from pathlib import Path

from .sources import is_url, local_copy
from .store import ScanRecord

_CACHE: dict[str, str] = {}     # content hash -> temp file path, once per worker process


def _materialise(name: str | None, data: bytes | None) -> str | None:
    if data is None:
        return None
    key = hashlib.sha256(data).hexdigest()
    path = _CACHE.get(key)
    if path is None or not Path(path).is_file():
        d = Path(tempfile.mkdtemp(prefix="sdkgate-fleet-"))
        path = str(d / Path(name or "input.yaml").name)
        Path(path).write_bytes(data)
        _CACHE[key] = path
    return path


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer: this worker ends when the coordinator does, even when it is killed with SIGKILL
    (no orphan scans on after `kill -9`). Linux: the kernel's parent-death signal; elsewhere a watcher
    thread that notices the parent is gone."""
    import signal
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) != 0:        # PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        import threading

        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(1.0)
            os._exit(1)
        threading.Thread(target=watch, name="sdkgate-parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:          # the parent died before the signal was armed
        os._exit(1)


def peak_rss_kb() -> int | None:
    try:
        import resource
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)   # KiB on Linux
    except (ImportError, OSError):  # pragma: no cover - non-POSIX
        return None


def scan_record(apk: str, sha256: str, size: int, manifest: tuple[str, bytes] | None,
                suppressions: tuple[str, bytes] | None, allow_package_mismatch: bool = False) -> ScanRecord:
    """Scan one APK into a report dict; a bad APK becomes an `input` error record, never an exception."""
    from ..scanning import build_report, load_options, quiet_androguard
    from ..errors import InputError
    quiet_androguard()
    from ..manifest import load_manifest

    t0 = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    rec = ScanRecord(apk=apk, sha256=sha256, size=size, worker=worker)
    try:
        mpath = _materialise(*manifest) if manifest else None
        spath = _materialise(*suppressions) if suppressions else None
        if not is_url(apk) and not Path(apk).is_file():   # a deployment problem, not the APK's: retried next run
            rec.error, rec.error_kind = f"{apk}: not found on worker {worker} (workers must reach the same path)", "worker"
            return rec
        try:
            with local_copy(apk, sha256) as local:
                report, _ = build_report(local, load_manifest(mpath) if mpath else None,
                                         eval_options=load_options(spath, None),
                                         allow_package_mismatch=allow_package_mismatch)
        except OSError as exc:                             # download failed: retried by the next run
            rec.error, rec.error_kind = f"{apk}: cannot fetch on worker {worker}: {exc}", "worker"
            return rec
        rec.report = report.to_dict()
        rec.report.setdefault("app", {})["apk"] = apk
    except InputError as exc:
        rec.error, rec.error_kind = exc.render(), "input"
    except MemoryError:
        rec.error, rec.error_kind = f"{apk}: out of memory on worker {worker}", "worker"
    rec.scan_ms = round((time.perf_counter() - t0) * 1000, 2)
    rec.peak_rss_kb = peak_rss_kb()
    return rec
