#!/usr/bin/env python3
"""Generate the calibration probe from sdkgate/data/sensitive_apis.yaml and build its APK (Debian's smali/aapt/
zipalign/apksigner, as tools/build_fixtures.py does for the fixtures).

    tools/build_probe.py            regenerate probe/generated/ + sdkgate/data/probe/{plan.json,probe-model.yaml},
                                    then build sdkgate/data/probe/sdkgate-probe.apk and the two payload DEX files
    tools/build_probe.py --check    exit 1 when the checked-in generated files differ from a fresh generation
    tools/build_probe.py --out DIR  build into DIR instead (the tests' rebuild check)

Sources: probe/src/ (the hand-written app shell), probe/res/, probe/generated/ (written here). Everything but the
signature is deterministic: the same table gives the same dex bytes.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import build_fixtures as bf  # noqa: E402

from sdkgate.calibration.generate import DATA_DIR, GENERATED_DIR, generated_files  # noqa: E402

PROBE = ROOT / "probe"
APK_NAME = "sdkgate-probe.apk"
PAYLOADS = {"dex": "probe-dex.dex", "inmemory": "probe-inmemory.dex"}


def write_generated(root: Path = ROOT) -> list[str]:
    """Write every generated file (probe/generated/ is replaced whole); returns the paths written."""
    files = generated_files()
    gen = root / GENERATED_DIR
    if gen.exists():
        shutil.rmtree(gen)
    for rel, text in sorted(files.items()):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    return sorted(files)


def stale(root: Path = ROOT) -> list[str]:
    """Generated files that differ from what is checked in (or are missing, or should not be there)."""
    files = generated_files()
    bad = [rel for rel, text in files.items()
           if not (root / rel).is_file() or (root / rel).read_text("utf-8") != text]
    gen = root / GENERATED_DIR
    if gen.is_dir():
        bad += sorted(p.relative_to(root).as_posix() for p in gen.rglob("*")
                      if p.is_file() and p.relative_to(root).as_posix() not in files)
    return sorted(bad)


def build(out_dir: Path, src_root: Path = ROOT, sign: bool = True) -> Path:
    """Assemble (and sign) the probe from the sources under src_root; writes the APK and the payloads to out_dir.
    sign=False: an unsigned APK (the rebuild check compares everything but the signature)."""
    missing = bf.missing_tools()
    if missing:
        raise bf.BuildError(f"missing Debian Android tools: {', '.join(missing)}\ninstall them with: {bf.APT_HINT}")
    out_dir.mkdir(parents=True, exist_ok=True)
    gen, probe = src_root / GENERATED_DIR, src_root / "probe"
    with tempfile.TemporaryDirectory(prefix="sdkgate-probe-") as t:
        work = Path(t)
        jobs = [([str(gen / f"payload-{loader}")], work / name, f"probe payload {loader}")
                for loader, name in PAYLOADS.items()]
        jobs.append(([str(probe / "src"), str(gen / "smali")], work / "classes.dex", "probe"))
        with ThreadPoolExecutor(max_workers=3) as pool:       # one JVM each: in parallel
            list(pool.map(lambda j: bf.run(["smali", "assemble", "-j", "1", "--api", "24", "-o", str(j[1]), *j[0]],
                                           f"{j[2]}: smali"), jobs))
        assets = {f"assets/{name}": (work / name).read_bytes() for name in PAYLOADS.values()}
        for name in PAYLOADS.values():
            shutil.copyfile(work / name, out_dir / name)
        raw = work / "raw.apk"
        bf.run(["aapt", "package", "-f", "-M", str(gen / "AndroidManifest.xml"), "-S", str(probe / "res"),
                "-I", str(bf.FRAMEWORK_RES), "-F", str(raw)], "probe: aapt package")
        bf.run(["aapt", "add", raw.name, "classes.dex"], "probe: aapt add", cwd=work)
        unsigned = work / "unsigned.apk"
        bf.restamp(raw, unsigned, assets)
        out = out_dir / APK_NAME
        if not sign:
            shutil.copyfile(unsigned, out)
            return out
        aligned = work / "aligned.apk"
        bf.run(["zipalign", "-f", "-p", "4", str(unsigned), str(aligned)], "probe: zipalign")
        ks = bf.make_keystore(work)
        bf.run(["apksigner", "sign", "--v4-signing-enabled", "false", "--ks", str(ks), "--ks-pass",
                f"pass:{bf.KEY_PASS}", "--ks-key-alias", bf.KEY_ALIAS, "--out", str(out), str(aligned)],
               "probe: apksigner")
        idsig = out.with_name(out.name + ".idsig")
        if idsig.exists():
            idsig.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check that the generated files are up to date")
    ap.add_argument("--out", type=Path, default=None, help=f"build into this folder (default {DATA_DIR}/)")
    args = ap.parse_args(argv)
    if args.check:
        bad = stale()
        for rel in bad:
            print(f"build_probe: out of date: {rel}", file=sys.stderr)
        if bad:
            print("build_probe: run `python tools/build_probe.py` and commit the result", file=sys.stderr)
        return 1 if bad else 0
    t0 = time.monotonic()
    try:
        if args.out is None:
            written = write_generated()
            print(f"generated {len(written)} files from sdkgate/data/sensitive_apis.yaml")
        apk = build(args.out or ROOT / DATA_DIR)
    except (bf.BuildError, ValueError) as e:
        print(f"build_probe: {e}", file=sys.stderr)
        return 2
    print(f"{apk}  {apk.stat().st_size} bytes ({time.monotonic() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
