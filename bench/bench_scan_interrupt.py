"""How fast Ctrl-C stops a folder scan (issue 24: "within a second"), against the time of one whole `sdkgate scan`
of the same APK (the baseline, measured in this script). The folder holds N copies of the demo APK; SIGINT goes to
the whole process group, as a terminal sends it, once the first report is written.

Usage: python bench/bench_scan_interrupt.py [N] [JOBS]      Target: stop < 1 s (ratio printed)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APK = ROOT / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
SDKGATE = str(Path(sys.executable).with_name("sdkgate"))


def one_scan() -> float:
    t0 = time.monotonic()
    subprocess.run([SDKGATE, "scan", str(APK), "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


def stop_time(n: int, jobs: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "apks", Path(tmp) / "out"
        folder.mkdir()
        for i in range(n):
            os.link(APK, folder / f"app{i}.apk")
        proc = subprocess.Popen([SDKGATE, "scan", str(folder), "-o", str(out), "-j", str(jobs), "--format", "json"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        while not (out.is_dir() and any(out.iterdir())) and proc.poll() is None:
            time.sleep(0.01)
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait()
        return time.monotonic() - t0, len(list(out.iterdir()))


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    base = min(one_scan() for _ in range(3))
    stops = [stop_time(n, jobs) for _ in range(3)]
    worst = max(s for s, _ in stops)
    print(f"one scan (process start to exit): {base:.2f} s")
    print(f"Ctrl-C to exit of a {n}-APK folder scan (-j {jobs}): worst {worst:.2f} s "
          f"(reports written before it stopped: {', '.join(str(k) for _, k in stops)} of {n})")
    print(f"ratio stop / one scan: {worst / base:.2f}  (target: stop < 1 s: {'met' if worst < 1 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
