#!/usr/bin/env python3
"""Benchmark: a fleet scan into the database, with 1 and 2 local workers and through a Dask LocalCluster.

    .venv/bin/python bench/bench_fleet.py [--apks 200] [--db sqlite|postgresql URL]

Generates a fleet of N real APKs with unique hashes (the fixture APKs, each rewritten with one distinct
asset), then in the same run scans it into a fresh SQLite database: with `--jobs 1` (the baseline), with
`--jobs 2`, and through a `distributed.LocalCluster` of 2 worker processes. Prints each throughput
(APKs/s) and its ratio to the 1-worker baseline, the database write cost per APK (the coordinator's
time inside `store`, per APK), and the peak RSS of every worker for the first half of the fleet and for
the whole fleet (flat when memory does not grow with fleet size). A second pass over the same fleet
shows the cost of a rerun that skips every stored APK.

The fixture APKs are small (a scan takes milliseconds), so the coordinator's share (hashing, one commit
per APK, task hand-off) weighs more than on real market APKs whose scans take seconds: the "scan/APK"
column shows the worker time per APK next to the database write cost, so the two can be compared.
The local pools start their worker processes inside the timed run; the LocalCluster is started (and its
workers' imports warmed) before, as a cluster is long-lived.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_fleet(folder: Path, n: int, source: str | None) -> list[Path]:
    from tests.fleet.conftest import make_fleet
    if source:
        return make_fleet(folder, n, sources=(str(Path(source).resolve()),))
    return make_fleet(folder, n)


def run(files, url, **kw):
    from sdkgate.fleet.runner import scan_fleet
    t0 = time.perf_counter()
    s = scan_fleet(files, url, **kw)
    return time.perf_counter() - t0, s


def peak_mb(summary) -> str:
    vals = sorted(summary.peak_rss_kb.values())
    return ", ".join(f"{v / 1024:.0f}" for v in vals) + " MB" if vals else "n/a"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--apks", type=int, default=200)
    ap.add_argument("--source", default=None, help="build the fleet from this APK instead of the fixtures (e.g. "
                    "bench/out/*.apk of bench_scan.py, for scans that take seconds)")
    ap.add_argument("--db", default=None, help="database URL to use instead of fresh SQLite files (emptied per pass "
                    "by using a new database is up to you)")
    a = ap.parse_args()
    from sdkgate.cli.common import quiet_androguard
    quiet_androguard()
    with tempfile.TemporaryDirectory(prefix="sdkgate-bench-fleet-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        files = build_fleet(tmp / "fleet", a.apks, a.source)
        print(f"fleet: {len(files)} APKs with unique hashes, built in {time.perf_counter() - t0:.1f} s")
        half = files[: len(files) // 2]
        results = {}
        for name, kw in (("local, 1 worker", {"jobs": 1}), ("local, 2 workers", {"jobs": 2})):
            url = a.db or f"sqlite:///{tmp / (name.replace(', ', '-').replace(' ', '') + '.db')}"
            sec_half, s_half = run(half, url, **kw)
            sec, s = run(files, url, rescan=True, **kw)
            results[name] = (sec, s, s_half)
        import distributed
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      host="127.0.0.1", silence_logs=40) as cluster:
            url = a.db or f"sqlite:///{tmp / 'dask.db'}"
            run(files[:4], url, cluster=cluster.scheduler_address)            # warm the workers' imports
            sec_half, s_half = run(half, url, cluster=cluster.scheduler_address, rescan=True)
            sec, s = run(files, url, cluster=cluster.scheduler_address, rescan=True)
            results["dask LocalCluster, 2 workers"] = (sec, s, s_half)
            sec_skip, s_skip = run(files, url, cluster=cluster.scheduler_address)
        base = results["local, 1 worker"][0]
        print(f"{'engine':32} {'APKs/s':>8} {'ratio':>7} {'scan/APK':>9} {'db write/APK':>13}   "
              "peak RSS per worker (half fleet -> whole fleet)")
        for name, (sec, s, s_half) in results.items():
            assert s.scanned == len(files) and s.errors == 0, (name, s.errors, s.lines[:3])
            print(f"{name:32} {len(files) / sec:8.1f} {base / sec:6.2f}x {s.scan_s / s.scanned * 1000:6.1f} ms"
                  f" {s.db_write_s / s.scanned * 1000:10.2f} ms"
                  f"   {peak_mb(s_half)} -> {peak_mb(s)}")
        print(f"rerun, all {len(files)} stored (skipped): {sec_skip:.2f} s ({s_skip.skipped} skipped; "
              f"{sec_skip / len(files) * 1000:.2f} ms per APK, mostly hashing)")
        grow = [max(s.peak_rss_kb.values()) / max(sh.peak_rss_kb.values()) for _, s, sh in results.values()
                if s.peak_rss_kb and sh.peak_rss_kb]
        print(f"worker peak RSS, whole fleet / half fleet: {statistics.mean(grow):.2f} (flat = 1.00)")
        print(f"cores on this machine: {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
