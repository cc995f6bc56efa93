"""Added cost of the agent's native open() hook (issue 11), on the simulated device's real process.

One run, one process with the agent's hooks installed (no sandbox redirection): an SDK library opens
  - a path that matches no table pattern (/etc/hostname): filtered in C, never reaches JS;
  - a path the table matches (/sys/class/net/lo/address): one JS callback and one `read` event per call;
  - the same files through the raw openat syscall: the unhooked baseline (no libc entry point to intercept).
Prints ns per open()+close() and the ratio against the unhooked call of the same run.
Usage: python bench/bench_native_open.py [N]
"""
from __future__ import annotations

import sys

from sdkgate.dynamic.simruntime import SimRuntime


def main(n: int = 20000) -> None:
    count = [0]
    with SimRuntime(None, None, lambda ev: count.__setitem__(0, count[0] + 1), native_libs=("libbench.so",),
                    device_layer=False) as rt:
        def ns(op: str, path: str, k: int) -> float:
            return float(rt.native(op, lib="libbench.so", arg=path, count=k, sync=False)["ret"])
        ns("bench_open", "/etc/hostname", 200)                   # warm up
        base = ns("bench_open_raw", "/etc/hostname", n)
        miss = ns("bench_open", "/etc/hostname", n)
        base_hit = ns("bench_open_raw", "/sys/class/net/lo/address", max(1, n // 10))
        hit = ns("bench_open", "/sys/class/net/lo/address", max(1, n // 10))
        rt.flush()
    print(f"unhooked open (raw syscall):      {base:9.0f} ns")
    print(f"hooked open, non-matching path:   {miss:9.0f} ns   ratio {miss / base:6.2f}x  (+{miss - base:.0f} ns)")
    print(f"unhooked open of the sysfs file:  {base_hit:9.0f} ns")
    print(f"hooked open, matching path:       {hit:9.0f} ns   ratio {hit / base_hit:6.2f}x  (+{hit - base_hit:.0f} ns, "
          f"one event each; {count[0]} events)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
