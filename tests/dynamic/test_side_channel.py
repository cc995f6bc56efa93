"""Side-channel reads (issue 11): the table's new kinds, the matched Java calls and the native hooks,
on the simulated device (real agent, real Frida, real libc calls from an SDK library in the process)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sdkgate.apitable import TARGET_KINDS, _parse, apis, by_id, glob_regex, match_target, targets
from sdkgate.canaries import generate
from sdkgate.dynamic.simruntime import SimRuntime, obj
from sdkgate.events import Event
from sdkgate.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = load_manifest(ROOT / "manifests" / "demo-recruit.yaml")
UMENG = ["com.umeng.commonsdk.statistics.idtracking.ImeiTracker.f(ImeiTracker.java:40)",
         "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:120)",
         "com.example.recruit.App.onCreate(App.java:22)"]


class Sink:
    def __init__(self):
        self.events: list[Event] = []

    def __call__(self, ev: Event):
        self.events.append(ev)

    def reads(self, since: int = 0) -> list[Event]:
        return [e for e in self.events[since:] if e.kind == "read"]


# ---------------------------------------------------------------- the table
def test_every_target_kind_has_rows_with_patterns_and_a_category():
    t = targets()
    assert set(t) == set(TARGET_KINDS)
    for kind, rows in t.items():
        assert rows, kind
        for r in rows:
            assert r.patterns and r.category, r.id


def test_matched_calls_name_a_target_kind_and_take_its_category():
    matched = [a for a in apis() if a.match]
    assert {a.match for a in matched} >= {"path", "property", "command", "provider", "service", "setting", "ioctl"}
    for a in matched:
        assert a.category is None, a.id


@pytest.mark.parametrize("kind,text,target", [
    ("path", "/sys/class/net/wlan0/address", "path.net_mac"),
    ("path", "/sys/class/net/eth0/address", "path.net_mac"),
    ("path", "/sys/class/net/wlan0/mtu", None),
    ("path", "/storage/emulated/0/.UTSystemConfig/Global/Alvin2.xml", "path.utdid_cache"),
    ("property", "ro.serialno", "prop.serialno"),
    ("property", "persist.radio.imei1", "prop.imei"),
    ("property", "ro.product.model", None),
    ("command", "sh -c pm list packages -3", "cmd.pm_list_packages"),
    ("command", "settings get secure android_id", "cmd.settings_android_id"),
    ("command", "ls /data", None),
    ("provider", "content://com.vivo.vms.IdProvider/IdentifierId/OAID", "provider.oaid.vivo"),
    ("service", "com.samsung.android.deviceidservice", "service.oaid.samsung"),
    ("setting", "system/mqBRboGZkQPcAkyk", "setting.utdid"),
    ("setting", "system/screen_brightness", None),
    ("ioctl", "0x8927", "ioctl.siocgifhwaddr"),
    ("ioctl", str(0x8927), "ioctl.siocgifhwaddr"),
    ("ioctl", "0x5401", None),
])
def test_target_patterns(kind, text, target):
    got = match_target(kind, text)
    assert (got.id if got else None) == target


def test_glob_star_is_the_only_wildcard():
    assert glob_regex("a.b?[c]").match("a.b?[c]") and not glob_regex("a.b?[c]").match("aXb?[c]")


@pytest.mark.parametrize("row,problem", [
    ({"id": "x", "kind": "path", "category": "device_id.mac"}, "needs 'patterns'"),
    ({"id": "x", "kind": "native", "class": "libc.so", "member": "open", "arg_filter": {"index": 0, "match": "file"}},
     "not a target kind"),
    ({"id": "x", "kind": "method", "class": "a.B", "member": "m", "descriptors": ["()V"], "category": "device_id.mac",
      "arg_filter": {"index": 0, "match": "path"}}, "category from the target"),
    ({"id": "x", "kind": "ioctl", "patterns": ["SIOC"], "category": "device_id.mac"}, "request numbers"),
    ({"id": "x", "kind": "native", "class": "libc.so", "member": "getifaddrs"}, "unknown category"),
])
def test_bad_rows_are_refused(row, problem):
    with pytest.raises(ValueError, match=problem):
        _parse([row])


# ---------------------------------------------------------------- matched Java calls
def _example(pattern: str) -> str:
    return pattern.replace("*", "x")


def _matched_cases():
    out = []
    for a in apis():
        if a.kind != "method" or not a.match or a.arg_filter.get("index", 0) < 0:
            continue
        t = targets()[a.match][0]
        if a.match == "provider":      # vivo/Meizu/OPPO authorities: the older resolver.query.oaid_provider row
            t = by_id()["provider.oaid.nubia"]
        text = _example(t.patterns[0])
        if a.match == "setting":
            ns = a.arg_filter["namespace"]
            t = next(r for r in targets()["setting"] if r.patterns[0].startswith(ns + "/"))
            text = _example(t.patterns[0]).split("/", 1)[1]
        out.append(pytest.param(a.id, text, t.id, id=a.id))
    return out


@pytest.fixture(scope="module")
def rt():
    sink = Sink()
    with SimRuntime(MANIFEST, generate(), sink, native_libs=("libjcore.so",)) as r:
        r.sink = sink
        yield r


@pytest.mark.parametrize("api_id,text,target", _matched_cases())
def test_matched_call_yields_a_read_of_the_targets_category(rt, api_id, text, target):
    api = by_id()[api_id]
    n = len(rt.sink.events)
    idx = api.arg_filter["index"]
    args = [None] * (idx + 1)
    if api.match == "service":
        args[idx] = obj("android.content.Intent", returns={"getAction": text, "getPackage": None})
    elif api.descriptors[0].startswith("(Ljava/nio/file/Path;"):
        args[idx] = obj("java.nio.file.Path", returns={"toString": text})
    else:
        args[idx] = text
    rt.call(api_id, UMENG, args=args)
    reads = rt.sink.reads(n)
    assert len(reads) == 1, [e.to_dict() for e in rt.sink.events[n:]]
    ev = reads[0]
    assert ev.get("api_id") == api_id and ev.get("target") == target
    assert ev.category == by_id()[target].category
    assert ev.actor == "umeng_common"


def test_a_non_matching_argument_is_not_a_read(rt):
    n = len(rt.sink.events)
    rt.call("file.FileInputStream.init", UMENG, args=["/data/user/0/com.example.recruit/files/cache.db"])
    rt.call("exec.Runtime.exec", UMENG, args=["ls /data/local/tmp"])
    rt.call("sysprop.get", UMENG, args=["ro.product.model"])
    assert rt.sink.reads(n) == []


def test_probing_other_packages_counts_the_app_itself_does_not(rt):
    n = len(rt.sink.events)
    rt.call("pm.probe.getApplicationInfo", UMENG, args=["com.tencent.mm", 0])
    rt.call("pm.probe.getApplicationInfo", UMENG, args=[MANIFEST.package, 0])
    assert [e.get("api_id") for e in rt.sink.reads(n)] == ["pm.probe.getApplicationInfo"]


# ---------------------------------------------------------------- native hooks (real libc calls)
def test_native_reads_are_real_calls_seen_by_the_hooks(rt):
    n = len(rt.sink.events)
    jni = ["cn.jiguang.common.app.helper.DeviceHelper.getMac(DeviceHelper.java:7)"] + UMENG[-1:]
    got = rt.native("file", lib="libjcore.so", call="open", arg="/sys/class/net/wlan0/address", stack=jni)
    rt.native("file", lib="libjcore.so", call="fopen", arg="/proc/cpuinfo")
    rt.native("property", lib="libjcore.so", call="__system_property_get", arg="ro.serialno")
    rt.native("property", lib="libjcore.so", call="__system_property_read_callback", arg="ro.boot.serialno")
    rt.native("ioctl", lib="libjcore.so", arg="wlan0")
    rt.native("getifaddrs", lib="libjcore.so")
    rt.native("netlink", lib="libjcore.so")
    reads = rt.sink.reads(n)
    assert [(e.get("api_id"), e.get("target")) for e in reads] == [
        ("native.open", "path.net_mac"), ("native.fopen", "path.cpuinfo"),
        ("native.system_property_get", "prop.serialno"),
        # find() then read_callback(): the name read back from bionic's prop_info layout
        ("native.system_property_find", "prop.serialno"), ("native.system_property_read_callback", "prop.serialno"),
        ("native.ioctl", "ioctl.siocgifhwaddr"), ("native.getifaddrs", None), ("native.netlink_getlink", None)]
    for e in reads:
        assert e.get("native_caller") == "libjcore.so" and e.actor == "jpush", e.to_dict()
        assert e.api.startswith("libc.so!")
    assert reads[0].stack[0].startswith("cn.jiguang") and reads[0].get("thread") == "main"   # JNI: Java stack kept
    assert reads[1].stack == [] and reads[1].get("thread").startswith("native:")            # native thread
    assert reads[0].category == "device_id.mac" and reads[2].category == "device_id.serial"
    # canary mode: the planted values are what the native reads return, never the device's (or host's)
    assert got["out"].strip() == rt.canaries["device_id.mac"]
    assert reads[0].get("canary") is True


def test_ordinary_native_calls_stay_silent(rt):
    n = len(rt.sink.events)
    rt.native("file", lib="libjcore.so", call="open", arg="/etc/hostname")
    rt.native("file", lib="libjcore.so", call="stat", arg="/sys/class/net/wlan0/mtu")
    rt.native("property", lib="libjcore.so", call="__system_property_get", arg="ro.product.model")
    assert rt.sink.reads(n) == []


def test_the_hosts_own_identifiers_never_reach_the_app():
    sink = Sink()
    with SimRuntime(MANIFEST, None, sink, native_libs=("libjcore.so",)) as r:
        mac = r.native("ioctl", lib="libjcore.so", arg="eth0")["out"]
        sysfs = r.native("file", lib="libjcore.so", call="open", arg="/sys/class/net/wlan0/address")["out"].strip()
        serial = r.native("property", lib="libjcore.so", call="__system_property_get", arg="ro.serialno")["out"]
        assert mac == sysfs == r.device.values["device_id.mac"]
        assert serial == r.device.values["device_id.serial"]
    host_macs = set()
    for p in Path("/sys/class/net").glob("*/address"):
        host_macs.add(p.read_text().strip())
    assert not host_macs & {mac}
    try:
        host_serial = subprocess.run(["cat", "/sys/devices/virtual/dmi/id/product_serial"], capture_output=True,
                                     text=True, timeout=5).stdout.strip()
    except Exception:  # noqa: BLE001
        host_serial = ""
    assert not host_serial or host_serial != serial
