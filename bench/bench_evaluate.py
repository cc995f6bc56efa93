"""Benchmark: evaluate a generated log of 1,000,000 events against the seed manifest.

Prints events/s and peak memory of `sdkgate evaluate` (streaming) and of a plain `json.loads` pass
over the same file (the baseline), each measured in its own child process, and their ratio: the time
evaluate takes over the time json.loads takes (targets: <= 2x on ordinary logs, <= 3x on the adversarial
ones, memory flat). Times are CPU seconds of each child, the best of ROUNDS alternating runs, so other
work on a busy machine does not pass for sdkgate's cost.
Usage: python bench/bench_evaluate.py [N_EVENTS] [MODE|all] [ROUNDS]

MODE (default `ordinary`) chooses an adversarial log, still valid JSON Lines, that an app under test
could shape; memory must stay flat and time linear in every mode:
  ordinary    reads, sends and permission requests of a handful of SDKs
  hosts       every send goes to a distinct host (issue #17: 200k hosts used 2.7 GB)
  gaps        every hook event skips a sequence number
  categories  every read names a category nobody knows
  actors      every read is attributed to a different SDK id
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
MANIFEST = ROOT / "manifests" / "zhaopin-jobseeker.yaml"
if not MANIFEST.exists():
    MANIFEST = ROOT / "manifests" / "demo-recruit.yaml"

ACTORS = ["umeng_common", "jpush", "bugly", "amap_location", "first_party", "getui", "unknown"]
READS = [("telephony.getDeviceId", "device_id.imei"), ("settings.secure.getString", "device_id.android_id"),
         ("wifiinfo.getMacAddress", "device_id.mac"), ("location.getLastKnownLocation", "location"),
         ("clipboard.getPrimaryClip", "clipboard"), ("pm.getInstalledPackages", "installed_apps")]


MODES = ("ordinary", "hosts", "gaps", "categories", "actors")


def generate_adversarial(path: Path, n: int, mode: str) -> None:
    with path.open("w") as fh:
        fh.write(json.dumps({"v": 1, "seq": 0, "t_ms": 0, "source": "step", "kind": "lifecycle", "what": "launch"}) + "\n")
        for i in range(n - 1):
            if mode == "hosts":
                d = {"v": 1, "seq": i, "t_ms": i + 1, "source": "net", "kind": "send", "category": "device_id.imei",
                     "actor": ACTORS[i % len(ACTORS)], "host": f"h{i}.d{i % 5000}.example{i % 7}.com",
                     "scheme": "https", "path": "/c", "encoding": "plain", "flow_id": str(i)}
            elif mode == "gaps":
                d = {"v": 1, "seq": 2 * i, "t_ms": i + 1, "source": "hook", "kind": "read",
                     "category": "clipboard", "actor": "first_party", "api_id": "clipboard.getPrimaryClip"}
            elif mode == "actors":
                d = {"v": 1, "seq": i, "t_ms": i + 1, "source": "hook", "kind": "read", "category": "device_id.imei",
                     "actor": f"sdk{i}", "api_id": "telephony.getImei", "stack": [f"com.sdk{i}.A.b(A.java:1)"]}
            else:
                d = {"v": 1, "seq": i, "t_ms": i + 1, "source": "hook", "kind": "read", "category": f"made.up.{i}",
                     "actor": "jpush", "api_id": "x"}
            fh.write(json.dumps(d, separators=(",", ":")) + "\n")


def generate(path: Path, n: int) -> None:
    rnd = random.Random(7)
    seq = {"hook": 0, "step": 0, "net": 0}

    def line(source, kind, t, **kw):
        d = {"v": 1, "seq": seq[source], "t_ms": t, "source": source, "kind": kind, **kw}
        seq[source] += 1
        return json.dumps(d, separators=(",", ":")) + "\n"

    with path.open("w") as fh:
        fh.write(line("hook", "agent_status", 0, status="loaded"))
        fh.write(line("step", "lifecycle", 0, what="launch"))
        t = 1.0
        for i in range(n - 2):
            t += rnd.random() * 3
            if i == n // 2:
                fh.write(line("step", "consent", t, scope="policy", transition="granted"))
                continue
            r = rnd.random()
            actor = rnd.choice(ACTORS)
            if r < 0.8:
                api, cat = rnd.choice(READS)
                fh.write(line("hook", "read", round(t, 3), category=cat, api_id=api, actor=actor, thread="main",
                              api=f"Lx;->{api}()V", stack=[f"com.{actor}.a.b(SourceFile:{i % 50})",
                                                          "com.example.recruit.App.onCreate(App.java:20)"]))
            elif r < 0.97:
                fh.write(line("net", "send", round(t, 3), category=rnd.choice(READS)[1], actor=actor,
                              host=f"h{i % 97}.umeng.com", scheme="https", method="POST", path="/c",
                              encoding="md5-hex-upper", flow_id=str(i)))
            else:
                fh.write(line("hook", "permission_request", round(t, 3), actor=actor,
                              permissions=["android.permission.ACCESS_FINE_LOCATION"]))


CHILD_BASELINE = """
import json, sys, time, resource
t = time.process_time(); n = 0
with open(sys.argv[1], 'rb') as fh:
    for raw in fh:
        json.loads(raw); n += 1
dt = time.process_time() - t
print(json.dumps({'n': n, 's': dt, 'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
CHILD_EVALUATE = """
import json, sys, time, resource
from sdkgate.events import read_events
from sdkgate.manifest import load_manifest
from sdkgate.rules import evaluate
m = load_manifest(sys.argv[2])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.process_time()
r = evaluate(read_events(sys.argv[1]), m)
dt = time.process_time() - t
n = sum(r.stats['events'].values())
print(json.dumps({'n': n, 's': dt, 'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  'rss_before_kb': base, 'verdict': r.verdict, 'findings': len(r.findings),
                  'incomplete': len(r.incomplete), 'report_bytes': len(json.dumps(r.to_dict()))}))
"""


def child(code: str, *args) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


TARGET = {"ordinary": 2.0}          # evaluate time / json.loads time; every adversarial mode: 3.0


def bench_mode(n: int, mode: str, rounds: int) -> float:
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / (f"events-{n}.jsonl" if mode == "ordinary" else f"events-{mode}-{n}.jsonl")
    if not log.exists():
        t = time.perf_counter()
        generate(log, n) if mode == "ordinary" else generate_adversarial(log, n, mode)
        print(f"generated {log} ({log.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f}s")
    bases, evs = [], []
    for _ in range(rounds):            # alternating, best of each: load on the machine hits both alike
        bases.append(child(CHILD_BASELINE, log))
        evs.append(child(CHILD_EVALUATE, log, MANIFEST))
    base = min(bases, key=lambda r: r["s"])
    ev = min(evs, key=lambda r: r["s"])
    base_rate, ev_rate = base["n"] / base["s"], ev["n"] / ev["s"]
    ratio = ev["s"] / base["s"]
    target = TARGET.get(mode, 3.0)
    print(f"mode: {mode}; manifest: {MANIFEST.name}; events: {ev['n']:,}; verdict {ev['verdict']}, "
          f"{ev['findings']} findings, {ev['incomplete']} incomplete reasons, report {ev['report_bytes'] / 1e6:.1f} MB")
    print(f"baseline json.loads : {base_rate:12,.0f} events/s  peak RSS {base['rss_kb'] / 1024:7.1f} MiB")
    print(f"sdkgate evaluate    : {ev_rate:12,.0f} events/s  peak RSS {ev['rss_kb'] / 1024:7.1f} MiB "
          f"(RSS before the run {ev['rss_before_kb'] / 1024:.1f} MiB)")
    print(f"ratio evaluate/baseline: time {ratio:.2f}x (target <= {target:g}x: {'ok' if ratio <= target else 'OVER'}), "
          f"memory growth during the run {(ev['rss_kb'] - ev['rss_before_kb']) / 1024:.1f} MiB "
          f"(best of {rounds} CPU-time runs each)")
    return ratio


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    mode = sys.argv[2] if len(sys.argv) > 2 else "ordinary"
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    if mode != "all" and mode not in MODES:
        sys.exit(f"mode must be all or one of {', '.join(MODES)}")
    for m in (MODES if mode == "all" else (mode,)):
        bench_mode(n, m, rounds)


if __name__ == "__main__":
    main()
