"""`.apks`, `.xapk`, `.aab` and a base APK with its splits are read as one app; the report names every
file; a base APK that requires splits, or a split alone, is incomplete; a folder scan names what it skips
(fixtures: tests/fixtures/apks-hidden/splits/, built by tools/build_fixtures.py)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.scanning import build_report
from sdkgate.manifest import load_manifest
from sdkgate.net.protobuf import field
from sdkgate.static.manifest_xml import parse_manifest_xml

ROOT = Path(__file__).resolve().parents[2]
SPLITS = ROOT / "tests" / "fixtures" / "apks-hidden" / "splits"
BASE, FEATURE, CONFIG = (SPLITS / n for n in ("split-base.apk", "split_feature_sdk.apk", "split_config.arm64_v8a.apk"))
DEMO = ROOT / "manifests" / "demo-recruit.yaml"


def judge(path: Path, splits=()):
    return build_report(path, load_manifest(DEMO), splits=tuple(str(s) for s in splits))


def assert_one_app(report, result, n_files):
    assert report.verdict == "fail", report.incomplete
    assert report.incomplete == []
    assert len(report.stats["static"]["files"]) == n_files
    sdks = {s.id: s for s in report.sdks}
    assert "getui" in sdks and sdks["getui"].packages == ["com.igexin"]                 # code of the feature split
    assert any(lib.endswith("lib/arm64-v8a/libjcore220.so") for lib in sdks["jpush"].native_libs)  # config split
    assert any(f.rule == "SG205" and f.actor == "getui" for f in report.findings)     # its receiver (split manifest)
    assert any(f.rule == "SG201" and f.actor == "getui" for f in report.findings)


def test_base_alone_is_incomplete_required_splits_missing():
    report, _ = judge(BASE)
    assert report.verdict == "incomplete"
    assert any("required splits missing" in r for r in report.incomplete)


def test_a_split_alone_is_incomplete():
    report, _ = judge(FEATURE)
    # the undeclared Getui in the split is proven whatever else is missing (issue 20): fail, with the gap listed
    assert report.verdict == "fail" and any(f.rule == "SG201" and f.confirmed for f in report.findings)
    assert any("this is split APK 'feature_sdk'" in r for r in report.incomplete)
    assert report.incomplete_kinds.get("split-missing") == 1


def test_base_with_splits_is_one_app():
    report, result = judge(BASE, (FEATURE, CONFIG))
    assert_one_app(report, result, 3)
    dex = [e.get("dex") for e in result.events if e.kind == "call_site" and e.actor == "getui"]
    assert dex and all(d == "split_feature_sdk.apk!classes.dex" for d in dex)


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for k, v in entries.items():
            z.writestr(k, v)
    return path


def test_bundletool_apks(tmp_path):
    apks = _zip(tmp_path / "app.apks", {"toc.pb": b"", "splits/base-master.apk": BASE.read_bytes(),
                                         "splits/feature_sdk-master.apk": FEATURE.read_bytes(),
                                         "splits/base-arm64_v8a.apk": CONFIG.read_bytes(),
                                         "standalones/standalone-arm64_v8a.apk": BASE.read_bytes()})
    report, result = judge(apks)
    assert_one_app(report, result, 3)
    assert next(e for e in result.events if e.kind == "scan").get("input_kind") == "apks"


def test_xapk(tmp_path):
    xapk = _zip(tmp_path / "app.xapk", {"manifest.json": json.dumps({"package_name": "com.example.recruit"}).encode(),
                                         "com.example.recruit.apk": BASE.read_bytes(),
                                         "config.arm64_v8a.apk": CONFIG.read_bytes(),
                                         "feature_sdk.apk": FEATURE.read_bytes(), "icon.png": b"\x89PNG"})
    report, result = judge(xapk)
    assert_one_app(report, result, 3)


def _proto_xml(el) -> bytes:
    """aapt2's protobuf XmlNode of an element tree (the .aab manifest format)."""
    body = field(3, el.tag)
    for k, v in el.attrib.items():
        ns, name = (k[1:].split("}", 1) if k.startswith("{") else ("", k))
        body += field(4, (field(1, ns) if ns else b"") + field(2, name) + field(3, v))
    for child in el:
        body += field(5, _proto_xml(child))
    return field(1, body)


def _aab_manifest(apk: Path) -> bytes:
    from androguard.core.axml import AXMLPrinter
    with zipfile.ZipFile(apk) as z:
        return _proto_xml(AXMLPrinter(z.read("AndroidManifest.xml")).get_xml_obj())


def test_aab(tmp_path):
    with zipfile.ZipFile(BASE) as b, zipfile.ZipFile(FEATURE) as f, zipfile.ZipFile(CONFIG) as c:
        aab = _zip(tmp_path / "app.aab", {
            "BundleConfig.pb": b"", "base/manifest/AndroidManifest.xml": _aab_manifest(BASE),
            "base/dex/classes.dex": b.read("classes.dex"), "base/lib/arm64-v8a/libjcore220.so": c.read("lib/arm64-v8a/libjcore220.so"),
            "feature_sdk/manifest/AndroidManifest.xml": _aab_manifest(FEATURE),
            "feature_sdk/dex/classes.dex": f.read("classes.dex")})
    report, result = judge(aab)
    assert report.verdict == "fail", report.incomplete
    sdks = {s.id: s for s in report.sdks}
    assert sdks["getui"].packages == ["com.igexin"]
    assert sdks["jpush"].native_libs == ["base/lib/arm64-v8a/libjcore220.so"]
    assert any(f.rule == "SG205" and f.actor == "getui" for f in report.findings)
    scan = next(e for e in result.events if e.kind == "scan")
    assert scan.get("input_kind") == "aab" and "feature_sdk/dex/classes.dex" in scan.get("dex_files")


def test_proto_manifest_reads_like_binary_xml():
    from sdkgate.static.manifest_xml import manifest_from_root
    from sdkgate.static.proto_xml import parse_proto_xml
    with zipfile.ZipFile(BASE) as z:
        want = parse_manifest_xml(z.read("AndroidManifest.xml"))
    got = manifest_from_root(parse_proto_xml(_aab_manifest(BASE)))
    assert got == want and got.split_required


def test_cli_groups_base_and_splits_and_folder_names_skipped(tmp_path, capsys):
    app = tmp_path / "app"
    app.mkdir()
    for p in (BASE, FEATURE, CONFIG):
        (app / p.name).write_bytes(p.read_bytes())
    (app / "notes.txt").write_text("not an app")
    out = tmp_path / "out"
    code = run_guarded(cli, ["scan", "-m", str(DEMO), "--format", "json", "-o", str(out), "-j", "1", str(app)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "skipped" in err and "notes.txt: not an app file" in err
    reports = sorted(out.glob("*.json"))
    assert [p.name for p in reports] == ["split-base.json"]
    rep = json.loads(reports[0].read_text())
    assert len(rep["stats"]["static"]["files"]) == 3


@pytest.mark.parametrize("name", ["app.apks", "app.xapk"])
def test_bundle_without_apks_is_bad_input(tmp_path, name, capsys):
    p = _zip(tmp_path / name, {"splits/base-master.apk": b"not a zip"})
    code = run_guarded(cli, ["scan", str(p)])
    err = capsys.readouterr().err
    assert code == 2
    assert "base-master.apk" in err and "not a zip" in err and "Traceback" not in err
