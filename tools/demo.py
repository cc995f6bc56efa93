"""`make demo`: the main job on the embedded default — the bundled demo APK and the simulated device.

1. static scan of the bundled non-compliant demo APK against its manifest (expect: fail);
2. the non-compliant app model on the simulated device, real Frida agent, real proxy (expect: fail,
   SG101 against each SDK that reads before consent, the clipboard read, a hashed identifier and a
   clipboard upload found on the wire);
3. the compliant app model (expect: pass);
4. `verify` of the non-compliant evidence bundle, then its HTML report and its spreadsheet (reads sheet).
Exits 0 when every step ends as expected.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "demo"
SDKGATE = [str(Path(sys.executable).with_name("sdkgate"))]
MANIFEST = "manifests/demo-recruit.yaml"

STEPS = [
    ("Static scan of the non-compliant demo APK", 1,
     ["scan", "tests/fixtures/apks/recruit-noncompliant.apk", "--manifest", MANIFEST]),
    ("Simulated device: non-compliant app, cold start then accept", 1,
     ["simulate", "scenarios/demo-noncompliant.yaml", "--out", str(OUT / "noncompliant")]),
    ("Simulated device: compliant app, cold start then accept", 0,
     ["simulate", "scenarios/demo-compliant.yaml", "--out", str(OUT / "compliant")]),
    ("Auditor: verify the non-compliant evidence bundle (intact, verdict fail reproduced)", 0,
     ["verify", str(OUT / "noncompliant")]),
    ("HTML report of the non-compliant run (exit code = its verdict: fail)", 1,
     ["report", str(OUT / "noncompliant"), "--html", str(OUT / "noncompliant-report.html")]),
    ("Spreadsheet of the non-compliant run: summary, findings, one row per read with its caller frame", 1,
     ["report", str(OUT / "noncompliant"), "--format", "xlsx", "-o", str(OUT / "noncompliant-report.xlsx")]),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for d in ("noncompliant", "compliant"):
        p = OUT / d
        if p.exists():
            import shutil
            shutil.rmtree(p)
    ok = True
    env = dict(os.environ, COLUMNS=os.environ.get("COLUMNS", "110"))
    for title, expected, args in STEPS:
        print(f"\n=== {title}\n$ sdkgate {' '.join(args)}", flush=True)
        rc = subprocess.run(SDKGATE + args, cwd=ROOT, env=env).returncode
        mark = "as expected" if rc == expected else f"UNEXPECTED (wanted {expected})"
        print(f"--- exit code {rc}: {mark}", flush=True)
        ok &= rc == expected
    html = OUT / "noncompliant-report.html"
    print(f"\nHTML report: {html}  (open it in a browser)")
    print(f"Spreadsheet (reads sheet): {OUT / 'noncompliant-report.xlsx'}")
    print("Evidence folders:", OUT / "noncompliant", OUT / "compliant")
    print("demo:", "OK" if ok else "some steps did not end as expected")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
