"""Overloads and native entry points with their API levels (issue 28 §5). The table names the overloads apps call
on API 24-35 (LocationRequest/Executor location updates, the Executor openCamera, the 6-argument and Bundle
queries on ContentResolver and ContentProviderClient, the API 33 *Flags PackageManager lookups, the API 34
BindServiceFlags bindService, FORTIFY/at/stat-family file calls) with the level each exists from; the simulated
phone has a level too: it refuses overloads and bionic functions it does not have, as a real one would, and a
canary mode that cannot work there is said in the run."""
from __future__ import annotations

import re

import pytest

from sdkgate.apitable import by_id
from sdkgate.canaries import generate
from sdkgate.dynamic.simruntime import DeviceModel, SimRuntime, obj
from sdkgate.rules import evaluate
from sdkgate.manifest import load_manifest
from tests.dynamic.test_agent import MANIFEST, ROOT, UMENG
from tests.dynamic.test_side_channel import Sink

LOC_31 = "(Ljava/lang/String;Landroid/location/LocationRequest;Ljava/util/concurrent/Executor;Landroid/location/LocationListener;)V"
CAM_28 = "(Ljava/lang/String;Ljava/util/concurrent/Executor;Landroid/hardware/camera2/CameraDevice$StateCallback;)V"
Q6 = "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
QB = "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
AI_33 = "(Ljava/lang/String;Landroid/content/pm/PackageManager$ApplicationInfoFlags;)Landroid/content/pm/ApplicationInfo;"
RA_33 = "(Landroid/content/Intent;Landroid/content/pm/PackageManager$ResolveInfoFlags;)Landroid/content/pm/ResolveInfo;"
BIND_34 = "(Landroid/content/Intent;Landroid/content/ServiceConnection;Landroid/content/Context$BindServiceFlags;)Z"
JNI = ["cn.jiguang.common.app.helper.DeviceHelper.getMac(DeviceHelper.java:7)"] + UMENG[-1:]


def test_the_table_has_each_overload_with_its_level_and_reference():
    t = by_id()
    expect = {("location.requestLocationUpdates", LOC_31): 31, ("camera2.openCamera", CAM_28): 28,
              ("pm.probe.getApplicationInfo", AI_33): 33, ("pm.probe.resolveActivity", RA_33): 33,
              ("context.bindService.oaid", BIND_34): 34}
    for cat in ("contacts", "sms", "call_log", "calendar"):
        for row in (f"resolver.query.{cat}", f"providerclient.query.{cat}"):
            expect[(row, Q6)] = 1
            expect[(row, QB)] = 26
    for (row, desc), level in expect.items():
        a = t[row]
        assert desc in a.descriptors and a.api_level(desc) == level, (row, desc)
        if level > 1:
            assert "developer.android.com/reference/" in a.notes or row.startswith("resolver.query."), row
    assert t["providerclient.query.sms"].hook_cls == "android.content.ContentProviderClient"
    assert {t[n].member for n in ("native.open_2", "native.openat_2", "native.faccessat", "native.fstatat", "native.lstat")} \
        == {"__open_2", "__openat_2", "faccessat", "fstatat", "lstat"}
    assert (t["native.system_property_read_callback"].api_level(), t["native.posix_spawn"].api_level()) == (26, 28)
    # every cited reference names the overload's parameters (the reference page's anchor)
    for a in t.values():
        for ref in re.findall(r"developer\.android\.com/reference/\S+", a.notes):
            assert "#" in ref and "(" in ref, (a.id, ref)


@pytest.fixture(scope="module")
def rt35():
    sink = Sink()
    with SimRuntime(MANIFEST, generate(), sink, native_libs=("libjcore.so",)) as r:
        r.sink = sink
        yield r


@pytest.mark.parametrize("api_id,overload,args,cat", [
    ("location.requestLocationUpdates", LOC_31, ["gps"], "location"),
    ("camera2.openCamera", CAM_28, ["0"], "camera"),
    ("resolver.query.contacts", QB, ["content://com.android.contacts/data"], "contacts"),
    ("providerclient.query.sms", Q6, ["content://sms/inbox"], "sms"),
    ("providerclient.query.call_log", QB, ["content://call_log/calls"], "call_log"),
    ("pm.probe.getApplicationInfo", AI_33, ["com.tencent.mm"], "installed_apps"),
])
def test_the_new_overloads_are_observed(rt35, api_id, overload, args, cat):
    n = len(rt35.sink.events)
    rt35.call(api_id, UMENG, args=args, overload=overload)
    reads = rt35.sink.reads(n)
    assert [(e.get("api_id"), e.category) for e in reads] == [(api_id, cat)]


def test_bind_service_with_flags_is_matched_against_the_oaid_services(rt35):
    n = len(rt35.sink.events)
    intent = obj("android.content.Intent", returns={"getAction": "com.uodis.opendevice.OPENIDS_SERVICE", "getPackage": None})
    rt35.call("context.bindService.oaid", UMENG, args=[intent], overload=BIND_34)
    assert [(e.get("api_id"), e.get("target")) for e in rt35.sink.reads(n)] == [("context.bindService.oaid", "service.oaid.huawei")]


@pytest.mark.parametrize("call", ["__open_2", "__openat_2", "faccessat", "lstat", "fstatat"])
def test_fortify_at_and_stat_family_reads_are_seen(rt35, call):
    n = len(rt35.sink.events)
    rt35.native("file", lib="libjcore.so", call=call, arg="/sys/class/net/wlan0/address", stack=JNI)
    reads = rt35.sink.reads(n)
    row = {"__open_2": "native.open_2", "__openat_2": "native.openat_2"}.get(call, f"native.{call}")
    assert [(e.get("api_id"), e.get("target"), e.get("native_caller")) for e in reads] == [(row, "path.net_mac", "libjcore.so")]


def test_an_api_26_phone_lacks_newer_overloads_and_says_its_canary_files_are_off(tmp_path):
    sink = Sink()
    canaries = generate()
    with SimRuntime(MANIFEST, canaries, sink, native_libs=("libjcore.so",), device=DeviceModel(api=26)) as rt:
        loaded = next(e for e in sink.events if e.kind == "agent_status")
        limits = loaded.get("limits")
        # not on this level: said once per row, never a missing hook
        assert any(x.startswith("location.requestLocationUpdates:") and "from API 31" in x and "API 26" in x for x in limits)
        assert any(x.startswith("native.posix_spawn:") and "not on this API level" in x for x in limits)
        assert not any(x.startswith("native.system_property_read_callback:") for x in limits)   # API 26 has it
        assert loaded.get("missing") == []
        n = len(sink.events)
        out = rt.native("file", lib="libjcore.so", call="open", arg="/sys/class/net/wlan0/address", stack=JNI)
        read = sink.reads(n)[0]
        assert read.get("target") == "path.net_mac" and read.get("canary") is False
        assert out["out"].strip() != canaries["device_id.mac"]              # the real (device) file: no memfd here
        assert any("canary not served" in x and "path.net_mac" in x and "API 30" in x for x in limits)
        rt.call("location.requestLocationUpdates", UMENG, args=["gps"])      # the overloads API 26 has still count
        assert [e.get("api_id") for e in sink.reads(n + 1)] == ["location.requestLocationUpdates"]
    rep = evaluate(sorted(sink.events, key=lambda e: e.t_ms), load_manifest(ROOT / "manifests" / "demo-recruit.yaml"))
    assert any("canary not served" in s and "path.net_mac" in s for s in rep.skipped)
