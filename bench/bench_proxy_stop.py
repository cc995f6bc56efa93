"""Benchmark: how long stopping the proxy takes after N flows (default 5,000), against bare mitmproxy.

Both proxies are `mitmdump` children on loopback answering locally (the baseline: a two-line addon that
only answers; sdkgate: the real addon, offline). After N HTTPS flows through each, `stop()` is timed:
SIGINT until the process has exited and its files are flushed. sdkgate writes flows.har from flows.mitm in
a child of its own once the proxy has exited (ProxyProcess.wait_har), so stopping does not wait for it;
that time is printed too. Target: stop <= 1 s.

    .venv/bin/python bench/bench_proxy_stop.py [--n 5000]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bench.bench_proxy import Baseline, typical_body  # noqa: E402
from sdkgate.canaries import generate  # noqa: E402
from sdkgate.net.proxy import ProxyProcess  # noqa: E402


def drive(p, n: int, body: bytes) -> float:
    t = time.perf_counter()
    with httpx.Client(proxy=p.proxy_url, verify=p.ca_path, trust_env=False, timeout=30) as c:
        for i in range(n):
            r = c.post(f"https://alog.umeng.com/app_logs?seq={i}", content=body,
                       headers={"content-type": "application/json"})
            assert r.status_code in (200, 204), r.status_code
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000, help="flows through each proxy before it is stopped")
    args = ap.parse_args()
    canaries = generate()
    body = typical_body(canaries)
    with tempfile.TemporaryDirectory() as tmp:
        out = {}
        for name, make in (("mitmproxy", lambda d: Baseline(canaries, d)),
                           ("sdkgate", lambda d: ProxyProcess(canaries, d, offline=True))):
            p = make(Path(tmp) / name)
            p.start()
            try:
                sent = drive(p, args.n, body)
            finally:
                t = time.perf_counter()
                p.stop()
                stop_s = time.perf_counter() - t
            t = time.perf_counter()
            p.wait_har()                   # the baseline's HAR child too: done before the next proxy runs
            har_s = time.perf_counter() - t
            out[name] = {"send_s": sent, "stop_s": stop_s, "har_s": har_s}
        har = json.loads((Path(tmp) / "sdkgate" / "flows.har").read_text("utf-8"))
        assert len(har["log"]["entries"]) == args.n, len(har["log"]["entries"])
    base, sg = out["mitmproxy"], out["sdkgate"]
    print(f"{args.n} HTTPS flows through each proxy")
    print(f"bare mitmproxy : stop {base['stop_s']:.2f} s")
    print(f"sdkgate proxy  : stop {sg['stop_s']:.2f} s  (target <= 1 s: {'ok' if sg['stop_s'] <= 1 else 'OVER'}); "
          f"flows.har ({args.n} entries) written by a child after the proxy exited, "
          f"{sg['har_s']:.2f} s more (ProxyProcess.wait_har)")
    print(f"ratio stop sdkgate/mitmproxy: {sg['stop_s'] / max(base['stop_s'], 1e-3):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
