"""The agent's per-event costs on the simulated device, each against a baseline run in this same script.

1. Events per second through the real agent, its batching and the host intake (one realistic 12-frame SDK stack):
   batched (shipped defaults: flush at 200 events or 50 ms) against unbatched (batch_max=1, flush_ms=0).
   Target: >= 20,000 events/s batched, with no drop.
2. Per-event Java stack: the bridge's stack walk (Java.backtrace: an id per walk, frames formatted once per id;
   the default) against a Throwable rendered by Log.getStackTraceString every event (stack_mode="throwable").
   Printed: events/s through the agent here, and the device time per event the stand-in charges for the stack
   work (hooks/sim-bridge/stacks.js: its per-frame model of ART's costs, not a phone measurement).
3. Native caller per connect: the caller's return address first (the default) against an ACCURATE (DWARF) native
   backtrace for every connect (unwind_mode="accurate"); ns per socket+connect+close measured in native code, with
   Frida's real Interceptor and unwinder in this process.
Usage: python bench/bench_agent.py [N]
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
    cost = 0.0
    try:
        rt.call_many("telephony.getDeviceId", STACK, 200)     # warm-up (JIT-free QJS, caches)
        rt.flush()
        base = rt.host.stats.events
        t0 = time.perf_counter()
        chunk = 5000
        for i in range(0, n, chunk):
            cost += rt.call_many("telephony.getDeviceId", STACK, min(chunk, n - i)).get("cost_us", 0.0)
        rt.flush()                                           # every event has gone through the host
        dt = time.perf_counter() - t0
        got = rt.host.stats.events - base
    finally:
        stats = rt.stop()
    stats["delivered"] = got
    stats["device_us_per_event"] = cost / max(1, n)
    return got / dt, stats


def connect_ns(manifest, options: AgentOptions, n: int) -> float:
    rt = SimRuntime(manifest, None, lambda ev: None, options=options, native_libs=("libjcore.so",))
    rt.start()
    try:
        rt.native("bench_connect", lib="libjcore.so", arg="9", count=100)          # warm up
        return float(rt.native("bench_connect", lib="libjcore.so", arg="9", count=n)["ret"])
    finally:
        rt.stop()


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

    thrown, ts = run(manifest, AgentOptions(stack_mode="throwable"), n)
    print(f"stack per event, Java.backtrace (default): {batched:10,.0f} events/s, "
          f"{bs['device_us_per_event']:.1f} us modelled device time per event")
    print(f"stack per event, Log.getStackTraceString:  {thrown:10,.0f} events/s, "
          f"{ts['device_us_per_event']:.1f} us modelled device time per event")
    print(f"ratio backtrace/throwable: {batched / thrown:.2f}x events/s, "
          f"{ts['device_us_per_event'] / max(1e-9, bs['device_us_per_event']):.1f}x less device time")

    m = max(1000, n // 10)
    caller = connect_ns(manifest, AgentOptions(), m)
    accurate = connect_ns(manifest, AgentOptions(unwind_mode="accurate"), m)
    print(f"connect, caller's return address first (default): {caller / 1000:8.1f} us per connect ({m} connects)")
    print(f"connect, ACCURATE native backtrace every time:    {accurate / 1000:8.1f} us per connect")
    print(f"ratio accurate/caller-first: {accurate / caller:.2f}x")
    print("target >= 20,000 events/s with no drop:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
