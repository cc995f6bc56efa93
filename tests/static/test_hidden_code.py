"""Code the static scan cannot see ends `incomplete` with its reason, code it can see under any name is read:
packers, manifest components defined in no DEX, DEX hidden by magic bytes, code-loading call sites, SDKs
known by their signatures (tests/fixtures/apks-hidden/expected.yaml, sources in tests/fixtures/apk-src/)."""
from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from sdkgate.scanning import build_report
from sdkgate.manifest import load_manifest
from sdkgate.static import scan_apk

ROOT = Path(__file__).resolve().parents[2]
APKS = ROOT / "tests" / "fixtures" / "apks-hidden"
EXPECTED = yaml.safe_load((APKS / "expected.yaml").read_text("utf-8"))["apks"]
NAMES = sorted(EXPECTED)
DEMO = ROOT / "manifests" / "demo-recruit.yaml"


@lru_cache(maxsize=None)
def scanned(name: str):
    return scan_apk(APKS / name, load_manifest(DEMO))


@lru_cache(maxsize=None)
def judged(name: str):
    return build_report(APKS / name, load_manifest(DEMO))[0]


def events(name, kind):
    return [e for e in scanned(name).events if e.kind == kind]


def test_every_fixture_has_facts():
    assert sorted(p.name for p in APKS.glob("*.apk")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_packers(name):
    exp = EXPECTED[name]["packers"]
    got = {e.get("packer"): e.get("matched") for e in events(name, "packer")}
    assert set(got) == set(exp)
    for pid, one in exp.items():
        assert one in got[pid]


@pytest.mark.parametrize("name", NAMES)
def test_incomplete_reasons_exactly(name):
    exp = EXPECTED[name]["incomplete"]
    reasons = [e.get("reason") for e in events(name, "incomplete")]
    assert len(reasons) == len(exp), reasons
    for want in exp:
        assert sum(want in r for r in reasons) == 1, (want, reasons)
    report = judged(name)
    if exp:
        # incomplete, unless a violation is proven whatever is unseen (issue 20: then fail, the gaps still listed)
        assert report.verdict == ("fail" if report.confirmed_violations() else "incomplete")
        assert report.exit_code == (1 if report.confirmed_violations() else 3)
        sg900 = [f for f in report.findings if f.rule == "SG900"]
        assert sum(f.evidence_count for f in sg900) >= len(exp) and not any(f.confirmed for f in sg900)
        assert len(report.incomplete) == len(exp) and all(r["kind"] != "other" for r in report.incomplete_reasons)
    else:
        assert report.verdict != "incomplete"


@pytest.mark.parametrize("name", NAMES)
def test_absent_component_classes(name):
    exp = EXPECTED[name]["absent"]
    reasons = [e.get("reason") for e in events(name, "incomplete") if "code not in the APK" in e.get("reason")]
    if not exp:
        assert reasons == []
        return
    assert len(reasons) == 1
    for cls in exp:
        assert cls in reasons[0]


@pytest.mark.parametrize("name", NAMES)
def test_embedded_dex_are_read_with_their_entry_path(name):
    exp = EXPECTED[name]
    scan = events(name, "scan")[0]
    assert [d for d in scan.get("dex_files") if d != "classes.dex"] == exp["embedded_dex"]
    got = {(e.get("api_id"), e.get("caller"), e.get("dex"), e.actor) for e in events(name, "call_site")}
    want = {(c["api_id"], c["caller"], c["dex"], c["actor"]) for c in exp["call_sites"]}
    assert want <= got
    assert {g for g in got if g[2] != "classes.dex"} == {w for w in want if w[2] != "classes.dex"}


@pytest.mark.parametrize("name", NAMES)
def test_code_loading_sites(name):
    exp = EXPECTED[name]["load_sites"]
    got = {(e.get("caller"), e.get("loader"), e.get("payload")) for e in events(name, "code_load_site")}
    assert got == {(s["caller"], s["loader"], s["payload"]) for s in exp}
    for e in events(name, "code_load_site"):
        assert e.get("found") == (e.get("payload") is not None)


@pytest.mark.parametrize("name", NAMES)
def test_sdk_evidence_and_undeclared(name):
    exp = EXPECTED[name]
    present = {e.actor: e for e in events(name, "sdk_present")}
    for sid, kinds in exp["sdks"].items():
        assert sid in present, sid
        for kind, values in kinds.items():
            assert sorted(present[sid].get(kind) or []) == sorted(values), (sid, kind)
    report = judged(name)
    undeclared = sorted({f.actor for f in report.findings if f.rule == "SG201"})
    assert undeclared == sorted(exp["undeclared"])
    entries = {s.id: s for s in report.sdks}
    for sid, kinds in exp["sdks"].items():
        for kind, values in kinds.items():
            assert sorted(getattr(entries[sid], kind)) == sorted(values)
    for cls, sid in exp["attributed"].items():
        assert cls in (present[sid].get("attributed_classes") or [])


def test_declaring_the_packer_does_not_make_a_packed_apk_pass(tmp_path):
    text = DEMO.read_text("utf-8").replace("sdks:\n", "sdks:\n  - id: jiagu_360\n    purpose: app protection\n", 1)
    m = tmp_path / "m.yaml"
    m.write_text(text, "utf-8")
    manifest = load_manifest(m)
    assert "jiagu_360" in manifest.sdks
    report, _ = build_report(APKS / "packed-jiagu.apk", manifest)
    assert report.verdict == "incomplete"
    assert any("packed by 360 Jiagu" in r for r in report.incomplete)


def _rezip(src: Path, dst: Path, extra: dict[str, bytes]):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        for k, v in extra.items():
            zout.writestr(k, v)


def test_dex_under_any_name_and_folder_is_read(tmp_path):
    """The same hidden DEX bytes under names no rule would guess: read each time, with that entry path."""
    with zipfile.ZipFile(APKS / "hidden-payload.apk") as z:
        dex = z.read("lib/arm64-v8a/libdata.so")
    base = ROOT / "tests" / "fixtures" / "apks" / "sdk-autoinit.apk"
    for name in ("res/drawable/icon.webp", "kotlin/x.kotlin_builtins", "okhttp3/internal/publicsuffix/list.gz"):
        out = tmp_path / "x.apk"
        _rezip(base, out, {name: dex})
        r = scan_apk(out)
        assert name in [e for e in r.events if e.kind == "scan"][0].get("dex_files")
        assert any(e.get("dex") == name and e.get("api_id") == "telephony.getDeviceId" for e in r.events if e.kind == "call_site")


def test_unknown_dex_version_and_dex041_container_are_reported(tmp_path):
    from sdkgate.static.payloads import dex_version_problems
    with zipfile.ZipFile(APKS / "hidden-payload.apk") as z:
        dex = bytearray(z.read("lib/arm64-v8a/libdata.so"))
    assert dex_version_problems("a.dex", bytes(dex)) == []
    odd = bytes(dex[:4]) + b"099" + bytes(dex[7:])
    assert "version '099' is unknown" in dex_version_problems("a.dex", odd)[0]
    v41 = bytearray(dex[:4] + b"041" + dex[7:])
    v41[0x24:0x28] = (0x78).to_bytes(4, "little")
    v41[0x70:0x74] = (len(v41) * 2).to_bytes(4, "little")
    assert "DEX 041 container" in dex_version_problems("a.dex", bytes(v41))[0]


def test_nested_archive_two_levels_deep_is_reported(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("classes.dex", b"dex\n035\x00" + b"\x00" * 200)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("inner.jar", inner.getvalue())
    out = tmp_path / "x.apk"
    _rezip(ROOT / "tests" / "fixtures" / "apks" / "sdk-autoinit.apk", out, {"assets/fonts/a.ttf": outer.getvalue()})
    r = scan_apk(out)
    assert any("nested two levels deep" in e.get("reason") for e in r.events if e.kind == "incomplete")


def test_native_library_known_by_its_jni_symbols(tmp_path):
    """A renamed library still exports Java_<package>_<class>_<method> for its Java side."""
    elf = (ROOT / "tests" / "fixtures" / "apk-src" / "files" / "fake-elf.so").read_bytes()
    out = tmp_path / "x.apk"
    _rezip(ROOT / "tests" / "fixtures" / "apks" / "sdk-autoinit.apk", out,
           {"lib/arm64-v8a/libz9.so": elf + b"\x00Java_cn_jiguang_internal_JCoreNative_init\x00"})
    present = {e.actor: e for e in scan_apk(out).events if e.kind == "sdk_present"}
    assert present["jpush"].get("jni") == ["Java_cn_jiguang_internal_JCoreNative_init"]
    assert present["jpush"].get("native_libs") is None


def test_class_loaded_by_name_from_an_embedded_payload_is_on_the_pre_consent_path():
    paths = [e for e in events("hidden-payload.apk", "path") if e.get("path_kind") == "sensitive_api"]
    hit = [p for p in paths if p.get("caller") == "Lcom/umeng/hidden/Collector;->collect(Landroid/content/Context;)V"]
    assert hit and hit[0].get("entry") == "Lcom/example/recruit/App;->onCreate()V" and hit[0].actor == "umeng_common"
    assert hit[0].get("hops")[-1] in ("loaded_code", "reflection")          # loaded from the payload, by name
    assert any(f.rule == "SG205" and f.actor == "umeng_common" for f in judged("hidden-payload.apk").findings)


def test_sg201_names_the_evidence_that_found_an_obfuscated_sdk():
    f = next(f for f in judged("sdk-obfuscated.apk").findings if f.rule == "SG201" and f.actor == "weibo_sdk")
    assert f.evidence[0].detail == "native_libs: lib/arm64-v8a/libweibosdkcore.so"


def test_zip_magic_pass_lists_unknown_high_entropy_blobs_only(tmp_path):
    blob = (ROOT / "tests" / "fixtures" / "apk-src" / "files" / "blob.bin").read_bytes()
    out = tmp_path / "x.apk"
    _rezip(ROOT / "tests" / "fixtures" / "apks" / "sdk-autoinit.apk", out,
           {"assets/a.png": b"\x89PNG\r\n\x1a\n" + blob, "assets/b.dat": blob, "assets/c.txt": b"hello " * 1000,
            "lib/x86/libfoo.so": (ROOT / "tests" / "fixtures" / "apk-src" / "files" / "fake-elf.so").read_bytes(),
            "assets/x.odex": b"dey\n036\x00" + b"\x00" * 64})
    r = scan_apk(out)
    scan = next(e for e in r.events if e.kind == "scan")
    kinds = {p["entry"]: p["kind"] for p in scan.get("payloads")}
    assert kinds.get("assets/b.dat") == "blob" and "assets/a.png" not in kinds and "assets/c.txt" not in kinds
    assert kinds.get("assets/x.odex") == "odex"
    assert any("assets/x.odex: optimised DEX" in e.get("reason") for e in r.events if e.kind == "incomplete")
    assert not any("b.dat" in e.get("reason") for e in r.events if e.kind == "incomplete")   # nothing loads it


def test_code_loaded_from_a_shipped_payload_is_reachable_where_it_is_loaded():
    """loadLogo() loads res/raw/logo.png with DexFile.loadDex and names no class: all of it is reachable there."""
    paths = [e for e in events("hidden-payload.apk", "path") if e.get("path_kind") == "sensitive_api"]
    hit = [p for p in paths if p.get("caller") == "Lcom/tencent/bugly/hidden/Probe;->probe(Landroid/net/wifi/WifiInfo;)V"]
    assert hit and hit[0].get("chain")[-2] == "Lcom/example/recruit/App;->loadLogo()V" and hit[0].actor == "bugly"
    assert hit[0].get("hops")[-1] == "loaded_code" and hit[0].get("entry_kind") == "application"   # entries.py row
