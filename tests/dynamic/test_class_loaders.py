"""Classes that are not in the app's first class loader (issue 28 §4). The stand-in finds a class where ART under
frida-java-bridge does (hooks/sim-bridge/classloaders.js): the boot class path before the app's loader exists,
the app's loader after `Java.perform`, and the classes of code loaded at run time only through that loader's
`Java.ClassFactory.get(loader)`. The agent hooks the support library through the app's loader, retries missing
rows on every new class loader, and records where each row was hooked."""
from __future__ import annotations

import pytest

from sdkgate.dynamic.simruntime import SimRuntime

HMS = "com.huawei.hms.ads.identifier.AdvertisingIdClient"
STACK = ["com.example.plugin.Loader.load(Loader.java:12)", "com.example.recruit.App.onCreate(App.java:20)"]


@pytest.fixture(scope="module")
def rt():
    evs: list = []
    r = SimRuntime(None, None, evs.append, loaded_classes=(HMS, HMS + "$Info"))
    r.start()
    r.evs = evs
    yield r
    r.stop()


def _hms_call(rt):
    return rt.host.script.exports_sync.sim_invoke({
        "cls": HMS, "member": "getAdvertisingIdInfo", "types": ["android.content.Context"], "stack": STACK,
        "args": [{"$obj": "android.app.Application"}], "ret": {"$obj": HMS + "$Info"}})


def test_each_row_says_which_loader_hooked_it(rt):
    where = rt.host.install["where"]
    assert where["telephony.getDeviceId"] == "boot"
    assert where["perm.supportcompat.requestPermissions"] == "app"       # android.support.* ships in the APK
    assert where["perm.activitycompat.requestPermissions"] == "app"
    assert "hms.adid.getId" not in where
    assert {"hms.adid.getAdvertisingIdInfo", "hms.adid.getId"} <= set(rt.host.install["pending"])


def test_a_row_in_a_plugin_loader_is_hooked_when_that_loader_is_created(rt):
    assert not _hms_call(rt)["hooked"]                 # the app's loader does not have the class
    n0 = len(rt.evs)
    path = "/data/user/0/com.example.recruit/app_plugin/hms.dex"
    rt.host.script.exports_sync.sim_invoke({
        "cls": "dalvik.system.DexClassLoader", "member": "$init",
        "types": ["java.lang.String", "java.lang.String", "java.lang.String", "java.lang.ClassLoader"],
        "self": {"$obj": "dalvik.system.DexClassLoader", "loads": [HMS, HMS + "$Info"]}, "stack": STACK,
        "args": [path, "/data/user/0/com.example.recruit/app_opt", None, {"$obj": "dalvik.system.PathClassLoader"}]})
    rt.flush()
    status = [e for e in rt.evs[n0:] if e.kind == "agent_status" and e.get("hooked_in")]
    assert status and status[0].get("hooked_in") == {"hms.adid.getAdvertisingIdInfo": f"dalvik.system.DexClassLoader {path}",
                                                     "hms.adid.getId": f"dalvik.system.DexClassLoader {path}"}
    assert not status[0].get("pending")
    assert _hms_call(rt)["hooked"]
    rt.flush()
    assert [e.get("api_id") for e in rt.evs if e.kind == "read"] == ["hms.adid.getAdvertisingIdInfo"]


def test_rows_hooked_through_the_apps_loader_or_a_later_one_plant_canaries():
    from sdkgate.canaries import generate
    canaries = generate()
    evs: list = []
    with SimRuntime(None, canaries, evs.append, loaded_classes=(HMS, HMS + "$Info")) as r:
        assert r.host.install["where"]["gms.adid.getId"] == "app"
        assert r.call("gms.adid.getId", STACK) == canaries["device_id.gaid"]
        r.host.script.exports_sync.sim_invoke({
            "cls": "dalvik.system.DexClassLoader", "member": "$init",
            "types": ["java.lang.String", "java.lang.String", "java.lang.String", "java.lang.ClassLoader"],
            "self": {"$obj": "dalvik.system.DexClassLoader", "loads": [HMS, HMS + "$Info"]}, "stack": STACK,
            "args": ["/data/local/tmp/hms.dex", "/data/local/tmp/opt", None, {"$obj": "dalvik.system.PathClassLoader"}]})
        assert r.call("hms.adid.getId", STACK) == canaries["device_id.oaid"]
    assert [e.get("canary") for e in evs if e.kind == "read"] == [True, True]


def test_a_framework_guess_the_boot_class_path_lacks_is_hooked_in_the_apps_loader_once(rt):
    # com.android.id.impl.IdProviderImpl: MIUI's framework class; the stand-in's boot class path is AOSP's, where
    # the agent's framework guess fails: the app's loader has it (later loaders then leave it alone: see the exact
    # hooked_in of the plugin loader above)
    assert rt.host.install["where"]["xiaomi.IdProvider.getOAID"] == "app"
    assert "xiaomi.IdProvider.getOAID" not in rt.host.install["pending"]
