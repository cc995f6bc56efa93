#!/usr/bin/env python3
"""Build the demo fixture APKs from smali sources with Debian's Android tools (no Google SDK).

The APKs in tests/fixtures/apks/ are what the static-scanner tests, `make demo` and the benchmarks
read; tests/fixtures/apks/expected.yaml lists the facts each one holds. Sources live in
tests/fixtures/apk-src/ (one folder per code unit, shared between APKs; manifests/<name>/AndroidManifest.xml).

    tools/build_fixtures.py [--out DIR] [NAME ...]

Per APK: `smali assemble --api 21` per dex file, `aapt package` (manifest compiled against
framework-res.apk), `aapt add` for the dex files, zip entries re-stamped with a fixed time,
`zipalign -p 4`, `apksigner sign` with a throwaway keystore made by keytool in a temp dir.
Everything but the signature is deterministic (the same sources give the same dex bytes).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "tests" / "fixtures" / "apk-src"
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "apks"
FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")
TOOLS = ("smali", "aapt", "zipalign", "apksigner", "keytool")
APT_HINT = ("apt-get install -y --no-install-recommends libsmali-java aapt apksigner zipalign "
            "android-framework-res openjdk-17-jre-headless")
API_LEVEL = "21"
ZIP_TIME = (1981, 1, 1, 1, 1, 2)   # fixed entry time, as Android's own build tools use
KEY_PASS = "android"
KEY_ALIAS = "fixtures"

APP_NONCOMPLIANT = ("app-common", "app-noncompliant", "lib-androidx-startup")
SDKS_A = ("sdk-umeng", "sdk-jpush", "sdk-bugly")
SDKS_B = ("sdk-amap", "sdk-cmic")


@dataclass(frozen=True)
class ApkSpec:
    """One fixture APK: its manifest and, per dex file, the source folders assembled into it."""
    name: str
    manifest: str                                   # folder under apk-src/manifests/ holding AndroidManifest.xml
    dex: tuple[tuple[str, ...], ...]
    nested: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (asset path of a jar holding classes.dex, folders)
    # entries stored as they are, whatever their name: (entry path, "dex" | "jar" | "file", folders or file names
    # under apk-src/files/): hidden code, native libraries, blobs (the static scan reads them by magic bytes)
    files: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    subdir: str = ""                                # output folder under tests/fixtures/ ("" = apks/)


SPECS: tuple[ApkSpec, ...] = (
    ApkSpec("recruit-noncompliant", "recruit-noncompliant",
            (APP_NONCOMPLIANT + SDKS_A + SDKS_B + ("sdk-getui",),)),
    ApkSpec("recruit-compliant", "recruit-compliant",
            (("app-common", "app-compliant") + SDKS_A + SDKS_B,)),
    ApkSpec("recruit-multidex", "recruit-noncompliant",
            (APP_NONCOMPLIANT, SDKS_A, SDKS_B + ("sdk-getui",)),
            nested=(("assets/plugin.jar", ("plugin-pangle",)),)),
    ApkSpec("sdk-autoinit", "sdk-autoinit", (("app-autoinit", "sdk-firebase"),)),
)

# Code the static scan cannot see, or sees only by magic bytes / signatures (tests/fixtures/apks-hidden/,
# facts in its expected.yaml; tests/static/test_hidden_code.py)
HIDDEN = "apks-hidden"
ELF = ("fake-elf.so",)
HIDDEN_SPECS: tuple[ApkSpec, ...] = (
    ApkSpec("packed-jiagu", "packed-jiagu", (("packer-jiagu",),),
            files=(("lib/arm64-v8a/libjiagu_a64.so", "file", ELF), ("assets/classes.dex.enc", "file", ("blob.bin",))),
            subdir=HIDDEN),
    ApkSpec("hidden-payload", "hidden-payload", (("app-payload",),),
            files=(("lib/arm64-v8a/libdata.so", "dex", ("hidden-umeng",)),
                   ("res/raw/logo.png", "jar", ("hidden-bugly",))),
            subdir=HIDDEN),
    ApkSpec("hidden-loaders", "hidden-loaders", (("app-loaders",),),
            files=(("assets/payload.bin", "file", ("blob.bin",)), ("assets/app.vdex", "file", ("fake.vdex",)),
                   ("lib/arm64-v8a/libshipped.so", "file", ELF)),
            subdir=HIDDEN),
    ApkSpec("sdk-obfuscated", "sdk-obfuscated", (("app-obfuscated", "sdk-getui-obfuscated"),),
            files=(("lib/arm64-v8a/libgetuiext3.so", "file", ELF), ("lib/arm64-v8a/libweibosdkcore.so", "file", ELF)),
            subdir=HIDDEN),
    ApkSpec("split-base", "split-base", (("app-autoinit",),), subdir=HIDDEN + "/splits"),
    ApkSpec("split_feature_sdk", "split-feature-sdk", (("sdk-getui", "split-getui-receiver"),), subdir=HIDDEN + "/splits"),
    ApkSpec("split_config.arm64_v8a", "split-config-arm64", (),
            files=(("lib/arm64-v8a/libjcore220.so", "file", ELF),), subdir=HIDDEN + "/splits"),
    ApkSpec("sdk-async", "sdk-async", (("app-async", "app-common", "lib-androidx-startup") + SDKS_A + SDKS_B + ("sdk-getui",),), subdir=HIDDEN),
)

# Every entry kind (static/entries.py) and gate shape with ungated and gated twins (tests/static/test_entry_gates.py)
GATES = "apks-gates"
GATE_SPECS: tuple[ApkSpec, ...] = (
    ApkSpec("entry-gates", "entry-gates", (("app-gates", "sdk-probe", "app-common", "lib-androidx-startup"),),
            files=(("META-INF/services/com.example.recruit.gates.Plugin", "file", ("services-plugin",)),
                   ("META-INF/services/com.example.recruit.gates.GatedPlugin", "file", ("services-gated-plugin",))),
            subdir=GATES),
)

# Verdicts a release gate can act on (issue 20; tests/fixtures/apks-gate/, facts in its expected.yaml, judged
# against tests/fixtures/apks-gate/gate.yaml by tests/static/test_gate_fixtures.py)
GATE = "apks-gate"
VERDICT_SPECS: tuple[ApkSpec, ...] = (
    ApkSpec("gate-fail", "gate-fail",
            (("app-gate-fail", "app-common", "lib-androidx-appcompat", "lib-oss", "lib-gms-dynamite", "sdk-umeng"),),
            subdir=GATE),
    ApkSpec("gate-honest", "gate-honest", (("app-gate-honest", "app-common", "lib-oss", "sdk-umeng"),),
            files=(("lib/arm64-v8a/libgatecore.so", "file", ELF),), subdir=GATE),
)
HIDDEN_SPECS = HIDDEN_SPECS + VERDICT_SPECS


class BuildError(Exception):
    pass


def missing_tools() -> list[str]:
    """Names of the Debian tools (or the framework resources) that are not installed."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not FRAMEWORK_RES.is_file():
        missing.append(str(FRAMEWORK_RES))
    return missing


def run(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()
        raise BuildError(f"{what}: `{' '.join(cmd)}` failed (exit {proc.returncode})\n{detail}")


def dex_name(index: int) -> str:
    return "classes.dex" if index == 0 else f"classes{index + 1}.dex"


def assemble(folders: tuple[str, ...], out: Path, what: str) -> None:
    dirs = []
    for f in folders:
        d = SRC / f
        if not d.is_dir():
            raise BuildError(f"{what}: source folder {d} does not exist")
        dirs.append(str(d))
    run(["smali", "assemble", "-j", "1", "--api", API_LEVEL, "-o", str(out), *dirs], f"{what}: smali")


def restamp(src: Path, dst: Path, extra: dict[str, bytes] | None = None) -> None:
    """Copy a zip with every entry at a fixed time and fixed attributes (and optional stored extras)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(_entry(info.filename, info.compress_type), zin.read(info.filename))
        for name, data in (extra or {}).items():
            zout.writestr(_entry(name, zipfile.ZIP_STORED), data)


def _entry(name: str, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compress_type
    info.create_system = 0
    info.external_attr = 0
    return info


def write_jar(dex: Path, jar: Path) -> None:
    with zipfile.ZipFile(jar, "w") as z:
        z.writestr(_entry("classes.dex", zipfile.ZIP_DEFLATED), dex.read_bytes())


def make_keystore(tmp: Path) -> Path:
    ks = tmp / "fixtures.jks"
    run(["keytool", "-genkeypair", "-keystore", str(ks), "-storepass", KEY_PASS, "-keypass", KEY_PASS,
         "-alias", KEY_ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "10000",
         "-dname", "CN=sdkgate fixtures"], "keytool")
    return ks


def build_one(spec: ApkSpec, out_dir: Path, keystore: Path, tmp: Path) -> Path:
    work = tmp / spec.name
    work.mkdir()
    manifest = SRC / "manifests" / spec.manifest / "AndroidManifest.xml"
    if not manifest.is_file():
        raise BuildError(f"{spec.name}: manifest {manifest} does not exist")
    dex_files = []
    for i, folders in enumerate(spec.dex):
        name = dex_name(i)
        assemble(folders, work / name, f"{spec.name} {name}")
        dex_files.append(name)
    nested: dict[str, bytes] = {}
    for j, (asset, folders) in enumerate(spec.nested):
        dex = work / f"nested{j}.dex"
        assemble(folders, dex, f"{spec.name} {asset}")
        jar = work / f"nested{j}.jar"
        write_jar(dex, jar)
        nested[asset] = jar.read_bytes()
    for j, (entry, kind, args) in enumerate(spec.files):
        if kind == "file":
            nested[entry] = (SRC / "files" / args[0]).read_bytes()
            continue
        dex = work / f"file{j}.dex"
        assemble(args, dex, f"{spec.name} {entry}")
        if kind == "jar":
            jar = work / f"file{j}.jar"
            write_jar(dex, jar)
            nested[entry] = jar.read_bytes()
        else:
            nested[entry] = dex.read_bytes()
    raw = work / "raw.apk"
    run(["aapt", "package", "-f", "-M", str(manifest), "-I", str(FRAMEWORK_RES), "-F", str(raw)],
        f"{spec.name}: aapt package")
    if dex_files:
        run(["aapt", "add", raw.name, *dex_files], f"{spec.name}: aapt add", cwd=work)
    unsigned = work / "unsigned.apk"
    restamp(raw, unsigned, nested)
    aligned = work / "aligned.apk"
    run(["zipalign", "-f", "-p", "4", str(unsigned), str(aligned)], f"{spec.name}: zipalign")
    if spec.subdir:
        out_dir = out_dir.parent / spec.subdir
        out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{spec.name}.apk"
    run(["apksigner", "sign", "--v4-signing-enabled", "false", "--ks", str(keystore),
         "--ks-pass", f"pass:{KEY_PASS}", "--ks-key-alias", KEY_ALIAS, "--out", str(out), str(aligned)],
        f"{spec.name}: apksigner")
    idsig = out.with_name(out.name + ".idsig")
    if idsig.exists():
        idsig.unlink()
    return out


def build(names: list[str] | None, out_dir: Path, jobs: int = 0) -> list[Path]:
    specs = [s for s in SPECS + HIDDEN_SPECS + GATE_SPECS if not names or s.name in names]
    unknown = sorted(set(names or ()) - {s.name for s in SPECS + HIDDEN_SPECS + GATE_SPECS})
    if unknown:
        raise BuildError(f"unknown fixture(s) {', '.join(unknown)}; known: {', '.join(s.name for s in SPECS)}")
    missing = missing_tools()
    if missing:
        raise BuildError(f"missing Debian Android tools: {', '.join(missing)}\ninstall them with: {APT_HINT}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sdkgate-fixtures-") as t:
        tmp = Path(t)
        keystore = make_keystore(tmp)
        workers = jobs or min(len(specs), 4)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda s: build_one(s, out_dir, keystore, tmp), specs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    ap.add_argument("-j", "--jobs", type=int, default=0, help="parallel builds (default: one per APK, max 4)")
    ap.add_argument("names", nargs="*", help=f"fixtures to build (default all: {', '.join(s.name for s in SPECS)})")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    try:
        outs = build(args.names, args.out, args.jobs)
    except BuildError as e:
        print(f"build_fixtures: {e}", file=sys.stderr)
        return 2
    for p in outs:
        print(f"{p}  {p.stat().st_size} bytes")
    print(f"built {len(outs)} APK(s) in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
