"""Stack attribution (sdkgate.dynamic.attribution): layers skipped, longest prefix, SDK -> SDK."""
from __future__ import annotations

from pathlib import Path

import pytest

from sdkgate.catalogue import Catalogue, Sdk
from sdkgate.dynamic.attribution import Attributor, frame_class, is_layer_class
from sdkgate.manifest import load_manifest

APP = ("com.example.recruit",)


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue({
        "umeng": Sdk("umeng", "Umeng", "Umeng", "analytics", ("com.umeng",)),
        "umeng_crash": Sdk("umeng_crash", "Umeng crash", "Umeng", "crash", ("com.umeng.umcrash",)),
        "msa": Sdk("msa", "MSA OAID", "CAICT", "oaid", ("com.bun.miitmdid",)),
        "jpush": Sdk("jpush", "JPush", "Jiguang", "push", ("cn.jpush", "cn.jiguang")),
    })


@pytest.fixture(scope="module")
def att(cat) -> Attributor:
    return Attributor(cat, APP)


def test_frame_parsing():
    assert frame_class("com.a.B$C.run(B.java:12)") == ("com.a.B$C", "run")
    assert frame_class("android.os.Handler.dispatchMessage(Handler.java:106)") == ("android.os.Handler", "dispatchMessage")
    assert frame_class("$Proxy12.getOAID(Unknown Source)") == ("$Proxy12", "getOAID")
    assert is_layer_class("kotlinx.coroutines.DispatchedTask")
    assert is_layer_class("jdk.proxy1.$Proxy3") and is_layer_class("$Proxy7")
    assert not is_layer_class("com.androidx.fake.Thing")        # segment match, not string prefix
    assert not is_layer_class("com.umeng.Foo")


def test_framework_frames_are_skipped_and_api_frame_too(att):
    stack = ["android.telephony.TelephonyManager.getDeviceId(Native Method)",
             "android.telephony.TelephonyManager.getDeviceId(TelephonyManager.java:2100)",
             "com.umeng.commonsdk.statistics.idtracking.ImeiTracker.f(ImeiTracker.java:40)",
             "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:120)",
             "com.example.recruit.App.onCreate(App.java:20)",
             "android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)"]
    a = att.attribute(stack, "android.telephony.TelephonyManager")
    assert a.actor == "umeng"
    assert a.caller == stack[2]
    assert a.via == ("umeng",)


def test_longest_prefix_wins(att):
    a = att.attribute(["com.umeng.umcrash.UMCrash.init(UMCrash.java:3)", "com.example.recruit.App.onCreate(App.java:2)"])
    assert a.actor == "umeng_crash"


def test_first_party_caller(att):
    stack = ["android.content.ClipboardManager.getPrimaryClip(Native Method)",
             "com.example.recruit.ui.PasteHelper.paste(PasteHelper.java:9)",
             "com.umeng.analytics.MobclickAgent.onEvent(MobclickAgent.java:5)"]   # older frames do not matter
    a = att.attribute(stack, "android.content.ClipboardManager")
    assert a.actor == "first_party" and a.caller == stack[1]


def test_reflection_and_proxy_layers(att):
    stack = ["com.bun.miitmdid.interfaces.IdSupplier.getOAID(Native Method)",
             "$Proxy12.getOAID(Unknown Source)",
             "java.lang.reflect.Method.invoke(Native Method)",
             "com.bun.miitmdid.core.MdidSdkHelper.InitSdk(MdidSdkHelper.java:30)",
             "java.lang.reflect.Method.invoke(Native Method)",
             "com.example.recruit.App.onCreate(App.java:20)"]
    a = att.attribute(stack, "com.bun.miitmdid.interfaces.IdSupplier")
    assert a.actor == "msa" and a.caller == stack[3]


def test_kotlin_coroutine_frames(att):
    stack = ["android.provider.Settings$Secure.getString(Native Method)",
             "kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)",
             "kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)",
             "cn.jiguang.core.DeviceInfo$collect$1.invokeSuspend(DeviceInfo.kt:51)",
             "kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)",
             "kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.run(CoroutineScheduler.kt:750)"]
    a = att.attribute(stack, "android.provider.Settings$Secure")
    assert a.actor == "jpush" and a.caller == stack[3]


def test_sdk_calling_sdk_is_attributed_to_the_outer_caller(att):
    # App -> Umeng -> MSA OAID SDK -> getOAID: Umeng made it happen (the top of the SDK part of the stack)
    stack = ["com.bun.miitmdid.interfaces.IdSupplier.getOAID(Native Method)",
             "com.bun.miitmdid.core.MdidSdkHelper.InitSdk(MdidSdkHelper.java:30)",
             "java.lang.reflect.Method.invoke(Native Method)",
             "com.umeng.commonsdk.utils.OaidHelper.get(OaidHelper.java:12)",
             "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:120)",
             "com.example.recruit.App.onCreate(App.java:20)",
             "cn.jpush.android.api.JPushInterface.init(JPushInterface.java:1)"]   # below first-party: ignored
    a = att.attribute(stack, "com.bun.miitmdid.interfaces.IdSupplier")
    assert a.actor == "umeng"
    assert a.via == ("msa", "umeng")
    assert a.caller == stack[1]


def test_unknown_code(att):
    a = att.attribute(["android.os.Build.getSerial(Native Method)", "o.a.b(Unknown Source:4)", "android.os.Looper.loop(Looper.java:1)"],
                      "android.os.Build")
    assert a.actor == "unknown" and a.caller == "o.a.b(Unknown Source:4)"
    # obfuscated helper called by an SDK: the SDK is the caller at the top of the SDK part
    a = att.attribute(["o.a.b(Unknown Source:4)", "cn.jpush.android.service.PushService.onCreate(PushService.java:3)"])
    assert a.actor == "jpush"
    assert att.attribute(["android.os.Looper.loop(Looper.java:1)"]).actor == "unknown"
    assert att.attribute([]).actor == "unknown"


def test_manifest_catalogue_is_used():
    m = load_manifest(Path(__file__).resolve().parents[2] / "manifests" / "demo-recruit.yaml")
    a = Attributor.for_manifest(m).attribute(
        ["com.amap.api.location.AMapLocationClient.startLocation(AMapLocationClient.java:1)",
         "com.example.recruit.ui.NearbyJobsActivity.onResume(NearbyJobsActivity.java:2)"])
    assert a.actor == "amap_location"


# --- platform and library code acts for the app (issue 20) -----------------------------------------------
@pytest.fixture(scope="module")
def bundled() -> Attributor:
    from sdkgate.catalogue import default_catalogue
    return Attributor(default_catalogue(), APP)


def test_androidx_reading_for_the_app_is_first_party_via_it(bundled):
    # AppCompat's night mode: no app frame at all on the stack (the activity does not override onStart)
    stack = ["android.location.LocationManager.getLastKnownLocation(LocationManager.java:1)",
             "androidx.appcompat.app.TwilightManager.getLastKnownLocation(TwilightManager.java:120)",
             "androidx.appcompat.app.TwilightManager.isNight(TwilightManager.java:80)",
             "androidx.appcompat.app.AppCompatDelegateImpl.applyDayNight(AppCompatDelegateImpl.java:2500)",
             "androidx.appcompat.app.AppCompatActivity.onStart(AppCompatActivity.java:200)",
             "android.app.Instrumentation.callActivityOnStart(Instrumentation.java:1435)",
             "android.os.Looper.loop(Looper.java:288)"]
    a = bundled.attribute(stack, "android.location.LocationManager")
    assert (a.actor, a.library, a.via) == ("first_party", "androidx.appcompat", ())
    assert a.caller == stack[1]


def test_library_called_by_an_sdk_is_the_sdks_and_by_the_app_the_apps(bundled):
    inner = ["java.net.Inet4Address.getHostAddress(Inet4Address.java:1)",
             "okhttp3.internal.connection.RealConnection.connect(RealConnection.kt:1)",
             "kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)"]
    a = bundled.attribute(inner + ["cn.jpush.android.service.PushService.onCreate(PushService.java:3)"])
    assert a.actor == "jpush" and a.library is None and a.caller == inner[1]
    a = bundled.attribute(inner + ["com.example.recruit.net.Api.call(Api.java:3)"])
    assert (a.actor, a.library) == ("first_party", "okhttp3")
    a = bundled.attribute(inner + ["java.lang.Thread.run(Thread.java:920)"])   # a pool thread: only the library
    assert (a.actor, a.library) == ("first_party", "okhttp3")
    a = bundled.attribute(inner + ["o.a.b(Unknown Source:4)"])                 # unnamed code called it: unknown
    assert a.actor == "unknown"


def test_library_rows_never_take_a_host_or_an_sdk_row():
    from sdkgate.catalogue import default_catalogue
    cat = default_catalogue()
    assert cat.attribute_class("okhttp3.OkHttpClient") == "first_party" and cat.library_of("okhttp3.Call") == "okhttp"
    assert cat.attribute_class("com.umeng.commonsdk.UMConfigure") == "umeng_common"
    for sid, row in cat.sdks.items():
        if row.acts_for_app:
            assert not row.domains and not row.components and not row.meta_data, sid


def test_host_of_a_library_row_is_the_apps():
    from sdkgate.catalogue import Catalogue, Sdk
    from sdkgate.net.attribution import Attributor as HostAttributor
    cat = Catalogue({"lib": Sdk("lib", "Lib", "OSS", "library", ("org.lib",), ("cdn.lib.example",)),
                     "ads": Sdk("ads", "Ads", "Ads Co", "sdk", ("com.ads",), ("ads.example",), purpose="ads")})
    h = HostAttributor(cat)
    assert h.actor("x.cdn.lib.example") == "first_party" and h.actor("t.ads.example") == "ads"
