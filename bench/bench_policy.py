"""Benchmark: `sdkgate manifest from-policy` on a long policy and on the hostile shapes its budgets stop.

Cases (each in its own child process: wall time, peak RSS, exit code, the message):
  long       a ~2 MB Markdown policy (the test policies repeated, each SDK list under its own heading)
  bomb       a 1 MiB PDF whose content stream inflates to 1 GiB      -> exit 2, inflated-size budget
  operators  a ~200 KB PDF whose stream holds 12 million tokens      -> exit 2, operator budget
  parens     one 100 KB line of "(" (was quadratic in a regex)
  tables     30,000 nested HTML tables (depth bound: the deep part is text)
  huge       a 200 MB text file (sparse)                             -> exit 2 before reading
  zero       /dev/zero                                               -> exit 2, not a regular file
  fifo       a FIFO                                                  -> exit 2, never opened
  stray      UTF-8 with one stray byte                               -> exit 2 naming the offset
Baseline: from-policy on one small clean policy (tests/policy/texts/sdk_table_zh.html) in the same kind of
child; each case prints its time as a ratio to it. Peak RSS must stay within a small multiple of the baseline.
Usage: python bench/bench_policy.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "policy"))

CHILD = """
import contextlib, io, json, resource, sys, time
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
t = time.perf_counter()
buf = io.StringIO()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(buf):
    code = run_guarded(cli, ["manifest", "from-policy", sys.argv[1], "--package", "com.example.app"])
print(json.dumps({"s": time.perf_counter() - t, "code": code,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "err": buf.getvalue()[-300:]}))
"""


def child(target) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(target)], capture_output=True, text=True, cwd=ROOT,
                         timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])


def long_policy(path: Path) -> None:
    texts = sorted((ROOT / "tests" / "policy" / "texts").glob("*.md")) + \
        sorted((ROOT / "tests" / "policy" / "texts").glob("*.txt"))
    parts = ["# 长隐私政策（基准测试）", ""]
    n = 0
    while sum(len(p) for p in parts) < 2_000_000:
        for t in texts:
            n += 1
            body = t.read_text("utf-8").replace("\n# ", "\n### ").replace("\n## ", "\n### ")
            parts += [f"## {n}. 第三方SDK清单（{t.stem}）", "", body, ""]
    path.write_text("\n".join(parts), "utf-8")


def main() -> None:
    from pdfmaker import make_pdf
    with tempfile.TemporaryDirectory(prefix="bench-policy-") as tmp:
        t = Path(tmp)
        cases: list[tuple[str, Path]] = []
        long_policy(t / "long.md")
        cases.append(("long", t / "long.md"))
        c = zlib.compressobj(9)
        chunk = b" " * (1 << 20)
        bomb = b"".join([c.compress(chunk) for _ in range(1024)] + [c.flush()])
        (t / "bomb.pdf").write_bytes(make_pdf([], raw_streams=[bomb]))
        cases.append(("bomb", t / "bomb.pdf"))
        ops = zlib.compress(b"1 0 0 1 0 0 cm\n" * 2_000_000, 9)
        (t / "ops.pdf").write_bytes(make_pdf([], raw_streams=[ops]))
        cases.append(("operators", t / "ops.pdf"))
        (t / "parens.md").write_text("第三方SDK列表\n\n" + "(" * 100_000 + "\n\n- 友盟统计：统计分析\n", "utf-8")
        cases.append(("parens", t / "parens.md"))
        (t / "tables.html").write_text("<h2>第三方SDK列表</h2>" + "<table><tr><td>" * 30_000 + "友盟统计：统计分析"
                                       + "</td></tr></table>" * 30_000, "utf-8")
        cases.append(("tables", t / "tables.html"))
        with open(t / "huge.txt", "wb") as fh:
            fh.truncate(200 * 1024 * 1024)
        cases.append(("huge", t / "huge.txt"))
        cases.append(("zero", Path("/dev/zero")))
        os.mkfifo(t / "fifo.txt")
        cases.append(("fifo", t / "fifo.txt"))
        data = "第三方SDK列表\n\n- 友盟统计：统计分析\n".encode("utf-8")
        (t / "stray.txt").write_bytes(data[:20] + b"\xff" + data[20:])
        cases.append(("stray", t / "stray.txt"))
        base = child(ROOT / "tests" / "policy" / "texts" / "sdk_table_zh.html")
        print(f"{'baseline':10}: exit {base['code']} in {base['s']:.2f}s, peak RSS {base['rss_kb'] / 1024:.0f} MiB "
              "(a small clean policy)")
        for name, path in cases:
            r = child(path)
            size = path.stat().st_size if path.is_file() else 0
            print(f"{name:10}: exit {r['code']} in {r['s']:.2f}s (ratio {r['s'] / max(base['s'], 1e-6):.1f}x), "
                  f"peak RSS {r['rss_kb'] / 1024:.0f} MiB ({r['rss_kb'] / max(base['rss_kb'], 1):.1f}x), "
                  f"{size / 1024:.0f} KiB on disk")
            print("            " + r["err"].strip().splitlines()[-1][:160] if r["err"].strip() else "")


if __name__ == "__main__":
    main()
