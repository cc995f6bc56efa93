"""flows.har, written by a child process after the proxy has exited, so stopping the proxy takes as long as
stopping bare mitmproxy: `start` (ProxyProcess.stop calls it), `wait` (its caller, or anyone about to
read or seal the folder: write_bundle waits for every job of the folder it seals). No mitmproxy import here."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

_JOBS: dict[Path, subprocess.Popen] = {}
_LOCK = threading.Lock()


def start(out_dir: str | Path) -> subprocess.Popen | None:
    """Write out_dir/flows.har from out_dir/flows.mitm in a child (none when there is no flow file)."""
    out = Path(out_dir).resolve()
    if not (out / "flows.mitm").is_file():
        return None
    wait(out)                       # one writer per folder
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    log = (out / "proxy.log").open("ab")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "sdkgate.net.har", str(out)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=log, env=env,
                                start_new_session=True)     # Ctrl-C in the terminal does not cut it short
    finally:
        log.close()
    with _LOCK:
        _JOBS[out] = proc
    return proc


def wait(out_dir: str | Path, timeout: float | None = None) -> int | None:
    """Wait for the HAR writer of out_dir, if one runs; its exit code (None when there was none)."""
    out = Path(out_dir).resolve()
    with _LOCK:
        proc = _JOBS.get(out)
    if proc is None:
        return None
    try:
        code = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
        Path(str(out / "flows.har") + ".tmp").unlink(missing_ok=True)
    with _LOCK:
        if _JOBS.get(out) is proc:
            del _JOBS[out]
    return code
