"""Events per second through the real agent, its batching and the host intake, on the simulated device.

Same run, same agent bundle, same simulated calls (one realistic 12-frame SDK stack), two configs:
  batched:   the shipped defaults (flush at 200 events or 50 ms)
  unbatched: batch_max=1, flush_ms=0 (the baseline: one send() per event)
Intake includes seq checks, attribution, Event construction and JSON serialisation of every event.
Target: >= 20,000 events/s batched, with no drop.   Usage: python bench/bench_agent.py [N]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from sdkgate.dynamic.host import AgentOptions
from sdkgate.dynamic.simruntime import SimRuntime
from sdkgate.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[1]
STACK = ["com.umeng.commonsdk.statistics.idtracking.ImeiTracker.f(ImeiTracker.java:40)",
         "com.umeng.commonsdk.statistics.idtracking.e.c(e.java:88)",
         "java.lang.reflect.Method.invoke(Native Method)",
         "com.umeng.commonsdk.internal.b.a(b.java:130)",
         "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:120)",
         "com.example.recruit.App.onCreate(App.java:20)",
         "android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)",
         "android.app.ActivityThread.handleBindApplication(ActivityThread.java:6759)",
         "android.app.ActivityThread$H.handleMessage(ActivityThread.java:2133)",
         "android.os.Handler.dispatchMessage(Handler.java:106)",
         "android.os.Looper.loop(Looper.java:288)",
         "android.app.ActivityThread.main(ActivityThread.java:7872)"]


def run(manifest, options: AgentOptions, n: int) -> tuple[float, dict]:
    sink_bytes = [0]

    def sink(ev):
        sink_bytes[0] += len(ev.to_json())

    rt = SimRuntime(manifest, None, sink, options=options)
    rt.start()
    try:
        rt.call_many("telephony.getDeviceId", STACK, 200)     # warm-up (JIT-free QJS, caches)
        rt.flush()
        base = rt.host.stats.events
        t0 = time.perf_counter()
        chunk = 5000
        for i in range(0, n, chunk):
            rt.call_many("telephony.getDeviceId", STACK, min(chunk, n - i))
        rt.flush()                                           # every event has gone through the host
        dt = time.perf_counter() - t0
        got = rt.host.stats.events - base
    finally:
        stats = rt.stop()
    stats["delivered"] = got
    return got / dt, stats


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    manifest = load_manifest(ROOT / "manifests" / "demo-recruit.yaml")
    batched, bs = run(manifest, AgentOptions(), n)
    unbatched, us = run(manifest, AgentOptions(batch_max=1, flush_ms=0), n)
    print(f"events: {n} per config, stack depth {len(STACK) + 1}")
    print(f"batched   (200 / 50 ms): {batched:10,.0f} events/s  batches={bs['batches']} dropped={bs['dropped']} "
          f"gaps={bs['gaps']} delivered={bs['delivered']}")
    print(f"unbatched (1 per send):  {unbatched:10,.0f} events/s  batches={us['batches']} dropped={us['dropped']} "
          f"gaps={us['gaps']} delivered={us['delivered']}")
    print(f"ratio batched/unbatched: {batched / unbatched:.2f}x")
    ok = batched >= 20_000 and bs["dropped"] == 0 and bs["gaps"] == 0 and bs["delivered"] == n
    print("target >= 20,000 events/s with no drop:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
