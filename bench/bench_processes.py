"""Agent start latency per extra process, against the main process's start, on the simulated device.

Main: spawn the simulated main process suspended, attach, load + configure the agent, resume (what a
launch costs). Extra: the main process forks/execs one `package:pushN` process, child gating holds
it, the ProcessGate attaches, loads + configures the agent and resumes it (what each secondary
process costs, measured from the request to start it until its agent is configured and running).
Prints the mean of each and the ratio extra/main. Usage: python bench/bench_processes.py [N]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from types import SimpleNamespace

from sdkgate.dynamic.appmodel import AppModel, ProcessModel
from sdkgate.dynamic.simprocesses import SimProcesses, launcher
from sdkgate.dynamic.simruntime import SimRuntime
from sdkgate.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[1]
PKG = "com.example.recruit"


def main(n: int = 5) -> None:
    manifest = load_manifest(ROOT / "manifests" / "demo-recruit.yaml")
    names = [f"{PKG}:push{i}" for i in range(n)]
    model = AppModel(Path("bench"), "", PKG, "", "", "", False, {}, {}, {}, {},
                     {nm: ProcessModel(nm) for nm in names})
    clock0 = time.monotonic()
    ctx = SimpleNamespace(emit=lambda ev: None, clock=SimpleNamespace(now_ms=lambda: (time.monotonic() - clock0) * 1e3),
                          manifest=manifest, canaries=None, out_dir=None)

    mains, extras = [], []
    for _ in range(n):
        program, argv = launcher(PKG)
        rt = SimRuntime(manifest, None, lambda ev: None, program=(program,), argv=argv, stdio="pipe",
                        child_gating=True, process=PKG)
        t = time.perf_counter()
        rt.start()
        mains.append(time.perf_counter() - t)
        sim = SimpleNamespace(model=model, ctx=ctx,
                              _new_runtime=lambda process, death_event=False: SimRuntime(
                                  manifest, None, lambda ev: None, process=process, death_event=death_event))
        procs = SimProcesses(sim, rt)
        for nm in names[:3]:
            t = time.perf_counter()
            procs.ensure(nm)
            extras.append(time.perf_counter() - t)
        procs.close()
        rt.stop()
    m, e = sum(mains) / len(mains), sum(extras) / len(extras)
    print(f"main process start (spawn + agent + resume): {m * 1000:.1f} ms (mean of {len(mains)})")
    print(f"extra process start (fork/exec + child gating + agent + resume): {e * 1000:.1f} ms (mean of {len(extras)})")
    print(f"ratio extra/main: {e / m:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
