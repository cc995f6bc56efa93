"""Start-up cost (issue 28 §6): the class-loader hooks leave the app's own APK, system partitions and provider
packages (WebView, Chrome, Google Play services and its modules) alone, and read what they keep off the app's
thread through a descriptor opened in the hook (a packer deleting its DEX at once does not hide it); per-event
stacks come from the bridge's native backtrace (Java.backtrace: a stack id, frames formatted once per id) instead
of a Throwable rendered by Log.getStackTraceString; hooks called only from boot-image code are deoptimised."""
from __future__ import annotations

import hashlib
import os

import pytest

from sdkgate.dynamic.simruntime import SimRuntime
from tests.dynamic.test_agent import MANIFEST, UMENG

PKG = MANIFEST.package
DCL = "dalvik.system.DexClassLoader"
PCL = "dalvik.system.PathClassLoader"
PLUGIN = os.path.join(os.path.dirname(__file__), "..", "fixtures", "dex", "adplugin.dex")


@pytest.fixture(scope="module")
def rt():
    evs: list = []
    r = SimRuntime(MANIFEST, None, evs.append, package=PKG)
    r.start()
    r.evs = evs
    yield r
    r.stop()


def _load(rt, path: str, cls: str = PCL):
    types = ["java.lang.String", "java.lang.ClassLoader"] if cls == PCL else \
        ["java.lang.String", "java.lang.String", "java.lang.String", "java.lang.ClassLoader"]
    args = [path, {"$obj": PCL}] if cls == PCL else [path, "/data/user/0/x/app_opt", None, {"$obj": PCL}]
    return rt.host.script.exports_sync.sim_invoke({"cls": cls, "member": "$init", "types": types, "self": {"$obj": cls},
                                                   "args": args, "stack": UMENG})


@pytest.mark.parametrize("path", [
    f"/data/app/~~Qx1A==/{PKG}-9ZbY==/base.apk",                                        # the app itself
    f"/data/app/{PKG}-1/split_config.arm64_v8a.apk",
    "/system/framework/org.apache.http.legacy.jar",
    "/data/app/~~a2==/com.google.android.webview-Zq==/base.apk",                        # WebView provider
    "/data/app/~~b3==/com.google.android.trichromelibrary_606104033-Xk==/base.apk",
    "/data/user_de/0/com.google.android.gms/app_chimera/m/00000278/DynamiteModulesA.apk",   # Play services module
])
def test_the_apps_own_and_the_systems_apks_are_not_copied(rt, path):
    n0 = len(rt.evs)
    assert _load(rt, path)["hooked"]
    rt.flush()
    assert not [e for e in rt.evs[n0:] if e.kind in ("code_loaded", "incomplete", "agent_status")]


def test_a_plugin_deleted_right_after_loading_is_still_kept(rt, tmp_path):
    data = open(PLUGIN, "rb").read()
    path = tmp_path / "p.dex"
    path.write_bytes(data)
    n0 = len(rt.evs)
    assert _load(rt, str(path), DCL)["hooked"]
    path.unlink()                                      # packers delete the decrypted file at once
    rt.flush()
    ev = next(e for e in rt.evs[n0:] if e.kind == "code_loaded")
    assert ev.get("sha256") == hashlib.sha256(data).hexdigest() and ev.get("size") == len(data)
    assert ev.actor == "umeng_common" and ev.stack[1:3] == UMENG[:2]       # the loading thread's stack


def test_event_stacks_come_from_the_bridges_backtrace(rt):
    n0 = len(rt.evs)
    res = rt.host.script.exports_sync.sim_invoke({**rt.request("telephony.getDeviceId", UMENG), "stack": UMENG})
    rt.flush()
    read = next(e for e in rt.evs[n0:] if e.kind == "read")
    assert read.stack[0] == "android.telephony.TelephonyManager.getDeviceId(Native Method)"   # the hooked frame
    assert read.stack[1:] == UMENG and read.actor == "umeng_common"
    assert res["hooked"] and res["cost_us"] < 20               # no Throwable rendered per event


def test_a_permission_result_from_boot_image_code_reaches_the_hook(rt):
    n0 = len(rt.evs)
    rt.permission_result({"android.permission.READ_PHONE_STATE": True}, request_code=7)
    res = [e for e in rt.evs[n0:] if e.kind == "permission_result"]
    assert len(res) == 1 and res[0].get("results") == {"android.permission.READ_PHONE_STATE": "granted"}
    limits = rt.host.install["limits"]
    assert any(x.startswith("perm.activity.dispatchRequestPermissionsResult: called from boot-image code") for x in limits)


def test_on_api_25_the_boot_caller_itself_is_deoptimised():
    from sdkgate.dynamic.simruntime import DeviceModel
    evs: list = []
    with SimRuntime(MANIFEST, None, evs.append, package=PKG, device=DeviceModel(api=25)) as r:
        r.permission_result({"android.permission.CAMERA": False}, request_code=3)
        limits = r.host.install["limits"]
    assert [e.get("results") for e in evs if e.kind == "permission_result"] == [{"android.permission.CAMERA": "denied"}]
    assert any("dispatchRequestPermissionsResult: called from boot-image code" in x and "that caller is deoptimised" in x
               for x in limits)
