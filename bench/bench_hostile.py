"""Benchmark: `sdkgate verify` on hostile bundles too large for the test suite.

Cases (each measured in its own child process: wall time and peak RSS):
  sparse   a sealed bundle whose events.jsonl ends in one 2 GB line of NULs (sparse on disk)
  zipmany  a zip bundle with 9,999 entries (just under the entry limit)
Baseline: hashing the same bytes with hashlib (what any integrity check must do at least), and the
ratio of verify's time to it. Peak RSS must stay flat (tens of MiB), whatever the size.
Usage: python bench/bench_hostile.py [SIZE_GB]
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD_VERIFY = """
import json, resource, sys, time, io, contextlib
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
t = time.perf_counter()
buf = io.StringIO()
with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
    code = run_guarded(cli, ["verify", sys.argv[1]])
print(json.dumps({"s": time.perf_counter() - t, "code": code, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "out": buf.getvalue()[-400:]}))
"""
CHILD_HASH = """
import hashlib, json, resource, sys, time, zipfile
t = time.perf_counter()
p = sys.argv[1]
if p.endswith(".zip"):
    with zipfile.ZipFile(p) as zf:
        for i in zf.infolist():
            hashlib.sha256(zf.read(i)).hexdigest()
else:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
print(json.dumps({"s": time.perf_counter() - t, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def child(code: str, *args) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, target: Path, hashed: Path) -> None:
    base, ver = child(CHILD_HASH, hashed), child(CHILD_VERIFY, target)
    print(f"{name:8}: verify exit {ver['code']} in {ver['s']:.1f}s, peak RSS {ver['rss_kb'] / 1024:.0f} MiB; "
          f"hash baseline {base['s']:.1f}s, peak RSS {base['rss_kb'] / 1024:.0f} MiB; "
          f"ratio {ver['s'] / max(base['s'], 1e-6):.2f}x")
    print("          " + ver["out"].strip().replace("\n", "\n          "))


def main() -> None:
    size = int(float(sys.argv[1]) * (1 << 30)) if len(sys.argv) > 1 else 2 << 30
    from sdkgate.bundle import pack_zip, write_bundle
    from tests.bundle.evidence_kit import write_evidence
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        d = write_evidence(Path(tmp) / "sparse")
        with (d / "events.jsonl").open("r+b") as fh:
            fh.truncate((d / "events.jsonl").stat().st_size + size)
        write_bundle(d)
        report("sparse", d, d / "events.jsonl")
        m = write_evidence(Path(tmp) / "many")
        write_bundle(m)
        z = pack_zip(m, Path(tmp) / "many.zip")
        with zipfile.ZipFile(z, "a") as zf:
            for i in range(9_999 - len(zf.infolist())):
                zf.writestr(f"many/x/{i}", b"")
        report("zipmany", z, z)


if __name__ == "__main__":
    main()
