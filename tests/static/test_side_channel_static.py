"""Static detection of side-channel reads (issue 11) on a smali fixture: constant paths, commands,
properties, settings keys and provider URIs reaching the table's calls; native methods and the
libraries in lib/<abi>/ listed per SDK."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from sdkgate.static.scanner import scan_apk

SRC = Path(__file__).resolve().parents[1] / "fixtures" / "side-channel-smali"


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    if shutil.which("smali") is None:
        pytest.skip("smali is not installed (tools/system-deps.sh)")
    d = tmp_path_factory.mktemp("side")
    subprocess.run(["smali", "assemble", "--api", "21", "-o", str(d / "classes.dex"), str(SRC)], check=True,
                   capture_output=True, timeout=120)
    apk = d / "side.apk"
    with zipfile.ZipFile(apk, "w") as z:
        z.write(d / "classes.dex", "classes.dex")
        z.writestr("lib/arm64-v8a/libjcore.so", b"\x7fELF")
        z.writestr("lib/arm64-v8a/libunknownthing.so", b"\x7fELF")
    return scan_apk(apk).events


def test_constant_arguments_naming_targets_are_call_sites(events):
    got = {(e.get("api_id"), e.get("target"), e.category, e.actor) for e in events
           if e.kind == "call_site" and e.get("via") != "reflection" and not e.get("unresolved_uri")}
    assert got == {
        ("file.FileInputStream.init", "path.net_mac", "device_id.mac", "jpush"),
        ("exec.Runtime.exec", "cmd.pm_list_packages", "installed_apps", "jpush"),
        ("sysprop.get", "prop.serialno", "device_id.serial", "jpush"),
        ("settings.system.getString.cached", "setting.utdid", "device_id.sdk_cache", "jpush"),
        ("resolver.call.provider", "provider.oaid.nubia", "device_id.oaid", "jpush"),
        ("file.RandomAccessFile.init", "path.net_mac", "device_id.mac", "jpush"),
    }
    concat = next(e for e in events if e.get("api_id") == "file.RandomAccessFile.init")
    assert concat.get("target_value") == "/sys/class/net/\u2026/address"
    assert "not constant" in concat.get("note")
    site = next(e for e in events if e.get("api_id") == "file.FileInputStream.init")
    assert site.get("target_value") == "/sys/class/net/wlan0/address"
    assert site.get("caller").startswith("Lcn/jiguang/common/app/helper/DeviceHelper;->readMac")


def test_native_methods_and_libraries_are_listed_per_sdk(events):
    jp = next(e for e in events if e.kind == "sdk_present" and e.actor == "jpush")
    assert jp.get("native_methods") == ["Lcn/jiguang/common/app/helper/DeviceHelper;->nativeMac()Ljava/lang/String;"]
    assert jp.get("native_method_count") == 1
    libs = jp.get("native_libs")          # entry paths when the catalogue signature matched them, else file names
    assert [str(x).rsplit("/", 1)[-1] for x in libs] == ["libjcore.so"] and jp.get("native_abis") == ["arm64-v8a"]
    scan = next(e for e in events if e.kind == "scan")
    assert scan.get("native_code")["unattributed"]["native_libs"] == ["libunknownthing.so"]


def test_reflection_with_constant_names_is_a_call_site_via_reflection(events):
    got = {(e.get("api_id"), e.get("via"), e.actor, e.get("caller").split("(")[0]) for e in events
           if e.kind == "call_site" and e.get("via") == "reflection"}
    assert got == {
        ("telephony.getDeviceId", "reflection", "umeng_common", "Lcom/umeng/commonsdk/statistics/common/ReflectIds;->imei"),
        ("build.SERIAL", "reflection", "umeng_common", "Lcom/umeng/commonsdk/statistics/common/ReflectIds;->serial"),
    }


def test_unresolved_content_uri_query_is_a_finding_with_its_caller(events):
    from sdkgate.rules import evaluate
    un = [e for e in events if e.kind == "call_site" and e.get("unresolved_uri")]
    assert [e.get("caller").split("(")[0] for e in un] == ["Lcn/jiguang/common/app/helper/DeviceHelper;->queryAnything"]
    scan = next(e for e in events if e.kind == "scan")
    assert scan.get("unresolved_uri_queries") == 1
    r = evaluate(events, None)
    f = [f for f in r.findings if f.rule == "SG206"]
    assert len(f) == 1 and f[0].actor == "jpush" and "queryAnything" in f[0].detail["caller"]
