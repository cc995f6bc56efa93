"""The SDK catalogue: bundled data, attribution rules, and the `sdkgate catalogue` command (Exodus import)."""
from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
import yaml

from sdkgate.catalogue import (FIRST_PARTY, KINDS, UNKNOWN, Catalogue, Sdk, default_catalogue, parse_rows,
                               user_catalogue_path)
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.errors import InputError
from sdkgate.exodus import code_signature_to_prefixes, kind_for, network_signature_to_domains

ROOT = Path(__file__).resolve().parents[1]
SDKGATE_BIN = ROOT / ".venv" / "bin" / "sdkgate"



@pytest.fixture
def isolated_user_catalogue(tmp_path, monkeypatch):
    """A fresh, empty user catalogue for a test that imports rows."""
    extra = tmp_path / "user" / "catalogue-extra.yaml"
    monkeypatch.setenv("SDKGATE_CATALOGUE_EXTRA", str(extra))
    default_catalogue.cache_clear()
    yield extra
    default_catalogue.cache_clear()


def bundled_rows() -> list[dict]:
    return yaml.safe_load(resources.files("sdkgate.data").joinpath("sdks.yaml").read_text("utf-8"))


# ------------------------------------------------------------------ bundled data
def test_catalogue_loads_with_enough_rows_and_valid_kinds():
    cat = default_catalogue()
    assert len(cat.sdks) >= 150
    assert {s.kind for s in cat.sdks.values()} == {"sdk", "platform", "library"}
    assert {s.purpose for s in cat.sdks.values() if s.kind == "sdk"} <= set(KINDS)
    assert all(s.source == "sdkgate" for s in cat.sdks.values())


def test_ids_unique_and_no_prefix_claimed_twice():
    rows = bundled_rows()
    ids = Counter(r["id"] for r in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    owners = Counter(p for r in rows for p in set(r["packages"]))
    assert [p for p, n in owners.items() if n > 1] == []
    parse_rows(rows, "sdks.yaml")          # the loader's own checks pass too


def test_rows_are_well_formed():
    java = re.compile(r"[A-Za-z_$][\w$]*(\.[\w$]+)*")   # dex allows segments like 3sl
    host = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")
    for r in bundled_rows():
        assert set(r) <= {"id", "name", "vendor", "kind", "purpose", "packages", "domains", "source", "components", "meta_data",
                          "permissions", "native_libs", "jni", "assets", "evidence"}, r["id"]
        if set(r) & {"components", "meta_data", "permissions", "native_libs", "jni", "assets"}:
            assert r.get("evidence"), f"{r['id']}: signature kinds need their evidence"
        for lib in r.get("native_libs") or ():
            assert re.fullmatch(r"lib[\w.+*-]+\.so", lib), (r["id"], lib)       # a file name, `*` as the one wildcard
        assert re.fullmatch(r"[a-z0-9_]+", r["id"]), r["id"]
        for p in r["packages"]:
            assert java.fullmatch(p), (r["id"], p)
        for d in r.get("domains") or ():
            assert host.fullmatch(d), (r["id"], d)


def test_existing_ids_are_kept():
    ids = set(default_catalogue().sdks)
    assert {"umeng_common", "jpush", "bugly", "amap_location", "cmic_login", "getui", "tencent_faceid"} <= ids


def test_duplicate_prefix_is_rejected():
    a = Sdk("a", "A", "V", "analytics", ("com.same",))
    b = Sdk("b", "B", "V", "ads", ("com.other", "com.same"))
    with pytest.raises(ValueError, match="com.same"):
        Catalogue({"a": a, "b": b})


def test_bad_row_names_file_and_entry():
    with pytest.raises(InputError, match=r"x\.yaml:entry 2 \(b\): unknown kind 'spyware'"):
        parse_rows([{"id": "a", "name": "A", "vendor": "V", "kind": "ads", "packages": ["a.b"]},
                    {"id": "b", "name": "B", "vendor": "V", "kind": "spyware", "packages": ["c.d"]}], "x.yaml")


# ------------------------------------------------------------------ code attribution
# Real entry-point classes of the SDKs (as they appear in apps), in the three spellings code uses.
REAL_CLASSES = [
    ("Lcom/umeng/commonsdk/UMConfigure;", "umeng_common"),
    ("com.umeng.analytics.MobclickAgent", "umeng_common"),
    ("com.umeng.umzid.ZIDManager", "umeng_common"),
    ("com.umeng.message.PushAgent", "umeng_push"),
    ("com.umeng.socialize.UMShareAPI", "umeng_share"),
    ("com.umeng.umverify.UMVerifyHelper", "umeng_verify"),
    ("com.umeng.umcrash.UMCrash", "umeng_apm"),
    ("cn.jpush.android.api.JPushInterface", "jpush"),
    ("cn.jiguang.api.JCoreInterface", "jpush"),
    ("cn.jiguang.verifysdk.api.JVerificationInterface", "jverification"),
    ("cn.jiguang.analytics.android.api.JAnalyticsInterface", "janalytics"),
    ("cn.jiguang.share.android.api.JShareInterface", "jshare"),
    ("com.igexin.sdk.PushManager", "getui"),
    ("com.getui.gtc.GtcProvider", "getui"),
    ("com.tencent.bugly.crashreport.CrashReport", "bugly"),
    ("com.qq.e.comm.managers.GDTAdSdk", "tencent_gdt"),
    ("com.tencent.smtt.sdk.QbSdk", "tencent_x5"),
    ("com.tencent.tauth.Tencent", "qq_connect"),
    ("com.tencent.connect.common.Constants", "qq_connect"),
    ("com.tencent.mm.opensdk.openapi.WXAPIFactory", "wechat_opensdk"),
    ("com/tencent/mm/sdk/openapi/WXAPIFactory", "wechat_opensdk"),
    ("com.tencent.mm.opensdk.modelpay.PayReq", "wechat_pay"),
    ("com.tencent.android.tpush.XGPushManager", "tencent_tpns"),
    ("com.tencent.stat.StatService", "tencent_mta"),
    ("com.tencent.wxop.stat.StatService", "tencent_mta"),
    ("com.tencent.cloud.huiyansdkface.facelight.api.WbCloudFaceVerifySdk", "tencent_faceid"),
    ("com.tencent.map.geolocation.TencentLocationManager", "tencent_location"),
    ("com.tencent.tencentmap.mapsdk.maps.MapView", "tencent_map"),
    ("com.tencent.beacon.event.open.BeaconReport", "tencent_beacon"),
    ("com.baidu.location.LocationClient", "baidu_location"),
    ("com.baidu.mapapi.SDKInitializer", "baidu_map"),
    ("com.baidu.android.pushservice.PushManager", "baidu_push"),
    ("com.baidu.mobads.sdk.api.BDAdConfig", "baidu_mobads"),
    ("com.baidu.mobstat.StatService", "baidu_mobstat"),
    ("com.amap.api.location.AMapLocationClient", "amap_location"),
    ("com.loc.ab", "amap_location"),
    ("com.amap.api.maps.MapView", "amap_map"),
    ("com.autonavi.amap.mapcore.DPoint", "amap_map"),
    ("com.amap.api.services.poisearch.PoiSearch", "amap_search"),
    ("com.amap.api.navi.AMapNavi", "amap_navi"),
    ("com.amap.api.col.3sl.hd", "amap_search"),
    ("com.alipay.sdk.app.PayTask", "alipay"),
    ("com.alipay.apmobilesecuritysdk.face.APSecuritySdk", "alipay_apsecurity"),
    ("com.ut.device.UTDevice", "ut_utdid"),
    ("com.ta.utdid2.device.UTDevice", "ut_utdid"),
    ("com.alibaba.sdk.android.push.noonesdk.PushServiceFactory", "aliyun_push"),
    ("com.alibaba.sdk.android.oss.OSSClient", "aliyun_oss"),
    ("com.sina.weibo.sdk.WbSdk", "weibo_sdk"),
    ("com.mob.MobSDK", "mob_common"),
    ("cn.sharesdk.framework.ShareSDK", "mob_sharesdk"),
    ("com.mob.pushsdk.MobPush", "mob_push"),
    ("com.mob.secverify.SecVerify", "mob_secverify"),
    ("com.xiaomi.mipush.sdk.MiPushClient", "xiaomi_push"),
    ("com.huawei.hms.push.HmsMessaging", "hms_push"),
    ("com.huawei.hms.aaid.HmsInstanceId", "hms_push"),
    ("com.huawei.hms.ads.identifier.AdvertisingIdClient", "hms_ads"),
    ("com.huawei.hms.analytics.HiAnalytics", "hms_analytics"),
    ("com.huawei.hms.location.FusedLocationProviderClient", "hms_location"),
    ("com.huawei.hms.api.HuaweiApiClient", "hms_core"),
    ("com.huawei.agconnect.AGConnectInstance", "huawei_agconnect"),
    ("com.heytap.msp.push.HeytapPushManager", "oppo_push"),
    ("com.coloros.mcssdk.PushManager", "oppo_push"),
    ("com.vivo.push.PushClient", "vivo_push"),
    ("com.meizu.cloud.pushsdk.PushManager", "meizu_push"),
    ("com.hihonor.push.sdk.HonorPushClient", "honor_push"),
    ("com.bun.miitmdid.core.MdidSdkHelper", "msa_oaid"),
    ("com.bun.supplier.IIdentifierListener", "msa_oaid"),
    ("com.heytap.openid.IOpenID", "vendor_oaid_providers"),
    ("com.kwad.sdk.api.KsAdSDK", "kuaishou_ads"),
    ("com.g.gysdk.GYManager", "getui_gy"),
    ("com.heytap.msp.mobad.api.MobAdManager", "oppo_ads"),
    ("com.bytedance.sdk.openadsdk.TTAdSdk", "pangle"),
    ("com.bytedance.applog.AppLog", "bytedance_applog"),
    ("com.growingio.android.sdk.collection.GrowingIO", "growingio"),
    ("com.sensorsdata.analytics.android.sdk.SensorsDataAPI", "sensorsdata"),
    ("com.tendcloud.tenddata.TCAgent", "talkingdata"),
    ("com.chuanglan.shanyan_sdk.OneKeyLoginManager", "shanyan"),
    ("com.cmic.sso.sdk.auth.AuthnHelper", "cmic_login"),
    ("com.sdk.mobile.manager.login.cucc.UiOauthManager", "cucc_login"),
    ("com.sdk.base.module.manager.SDKManager", "cucc_login"),
    ("com.unicom.online.account.shield.UniAccountHelper", "cucc_login"),
    ("com.unicom.xiaowo.account.shield.UniAccountHelper", "cucc_login"),
    ("cn.com.chinatelecom.account.api.CtAuth", "ctcc_login"),
    ("com.iflytek.cloud.SpeechUtility", "iflytek"),
    ("com.megvii.meglive_sdk.manager.MegLiveManager", "megvii_faceid"),
    ("com.sensetime.senseid.sdk.liveness.interactive.InteractiveLivenessApi", "sensetime"),
    ("com.netease.nis.captcha.Captcha", "netease_yidun"),
    ("com.ishumei.smantifraud.SmAntiFraud", "shumei"),
    ("cn.tongdun.android.shell.FMAgent", "tongdun"),
    ("com.geetest.sdk.GT3GeetestUtils", "geetest"),
    ("com.qiniu.android.storage.UploadManager", "qiniu"),
    ("com.youzan.androidsdk.YouzanSDK", "youzan"),
    ("com.sobot.chat.SobotApi", "sobot"),
    ("com.hyphenate.chat.EMClient", "easemob"),
    ("io.rong.imlib.RongIMClient", "rongcloud"),
    ("com.netease.nimlib.sdk.NIMClient", "netease_nim"),
    ("io.agora.rtc.RtcEngine", "agora"),
    ("com.tencent.imsdk.v2.V2TIMManager", "tencent_im"),
    ("com.taobao.weex.WXSDKEngine", "alibaba_weex"),
    ("com.uc.webview.export.WebView", "uc_webview"),
    ("com.google.firebase.analytics.FirebaseAnalytics", "firebase_analytics"),
    ("com.google.android.gms.measurement.AppMeasurement", "firebase_analytics"),
    ("com.google.firebase.messaging.FirebaseMessaging", "firebase_messaging"),
    ("com.google.firebase.crashlytics.FirebaseCrashlytics", "firebase_crashlytics"),
    ("com.crashlytics.android.Crashlytics", "fabric_crashlytics"),
    ("com.google.firebase.FirebaseApp", "firebase_core"),
    ("com.google.android.gms.ads.MobileAds", "google_mobile_ads"),
    ("com.google.android.gms.ads.identifier.AdvertisingIdClient", "google_ads_identifier"),
    ("com.google.android.gms.location.FusedLocationProviderClient", "google_location"),
    ("com.google.android.gms.auth.api.signin.GoogleSignIn", "google_signin"),
    ("com.google.android.gms.common.GoogleApiAvailability", "google_play_services"),
    ("com.facebook.FacebookSdk", "facebook_core"),
    ("com.facebook.appevents.AppEventsLogger", "facebook_core"),
    ("com.facebook.login.LoginManager", "facebook_login"),
    ("com.facebook.share.widget.ShareDialog", "facebook_share"),
    ("com.facebook.ads.AudienceNetworkAds", "facebook_audience_network"),
    ("com.appsflyer.AppsFlyerLib", "appsflyer"),
    ("com.adjust.sdk.Adjust", "adjust"),
    ("com.flurry.android.FlurryAgent", "flurry"),
    ("io.branch.referral.Branch", "branch"),
    ("io.sentry.Sentry", "sentry"),
    ("com.bugsnag.android.Bugsnag", "bugsnag"),
    ("com.onesignal.OneSignal", "onesignal"),
    ("com.mixpanel.android.mpmetrics.MixpanelAPI", "mixpanel"),
    ("com.amplitude.api.Amplitude", "amplitude"),
    ("com.segment.analytics.Analytics", "segment"),
    ("com.applovin.sdk.AppLovinSdk", "applovin"),
    ("com.unity3d.ads.UnityAds", "unity_ads"),
    ("com.ironsource.mediationsdk.IronSource", "ironsource"),
    ("com.vungle.warren.Vungle", "vungle"),
    ("com.chartboost.sdk.Chartboost", "chartboost"),
    ("com.inmobi.sdk.InMobiSdk", "inmobi"),
    ("com.mbridge.msdk.MBridgeSDK", "mintegral"),
    ("com.braze.Braze", "braze"),
    ("com.leanplum.Leanplum", "leanplum"),
    ("com.newrelic.agent.android.NewRelic", "newrelic"),
    ("com.datadog.android.Datadog", "datadog"),
    ("com.instabug.library.Instabug", "instabug"),
    ("com.twitter.sdk.android.core.Twitter", "twitter_kit"),
    ("com.linecorp.linesdk.auth.LineLoginApi", "line_sdk"),
    ("com.kakao.sdk.common.KakaoSdk", "kakao_sdk"),
    ("com.paypal.android.sdk.payments.PayPalService", "paypal"),
    ("com.stripe.android.PaymentConfiguration", "stripe"),
    ("com.braintreepayments.api.BraintreeClient", "braintree"),
    ("com.yandex.metrica.YandexMetrica", "yandex_metrica"),
    ("com.my.target.ads.MyTargetView", "mytarget"),
]


@pytest.mark.parametrize("class_name,sdk_id", REAL_CLASSES)
def test_real_class_names_are_attributed(class_name, sdk_id):
    assert default_catalogue().attribute_class(class_name) == sdk_id


def test_longest_prefix_wins():
    cat = default_catalogue()
    assert cat.match_prefix("com.amap.api.location.AMapLocationClient") == ("amap_location", "com.amap.api.location")
    assert cat.match_prefix("com.amap.api.trace.LBSTraceClient") == ("amap_map", "com.amap.api")
    assert cat.match_prefix("com.umeng.message.PushAgent") == ("umeng_push", "com.umeng.message")
    assert cat.match_prefix("com.umeng.something.New") == ("umeng_common", "com.umeng")
    assert cat.match_prefix("com.tencent.mm.opensdk.modelpay.PayReq")[0] == "wechat_pay"
    assert cat.match_prefix("com.tencent.mm.opensdk.modelmsg.SendAuth$Req")[0] == "wechat_opensdk"
    assert cat.match_prefix("com.google.android.gms.ads.identifier.AdvertisingIdClient$Info")[0] == "google_ads_identifier"
    assert cat.match_prefix("com.google.android.gms.ads.AdView")[0] == "google_mobile_ads"
    assert cat.match_prefix("com.heytap.msp.mobad.api.MobAdManager")[0] == "oppo_ads"
    assert cat.match_prefix("com.heytap.msp.push.HeytapPushManager")[0] == "oppo_push"


def test_prefix_matches_whole_segments_only():
    cat = default_catalogue()
    assert cat.attribute_class("com.loc.x") == "amap_location"
    assert cat.attribute_class("com.locker.LockScreen") == UNKNOWN
    assert cat.attribute_class("com.umengx.Foo") == UNKNOWN
    assert cat.attribute_class("com.kwadmin.Panel") == UNKNOWN
    # React Native is not the FB SDK: open-source code acting for the app (issue 20)
    assert cat.attribute_class("com.facebook.react.ReactActivity") == "first_party"
    assert cat.library_of("com.facebook.react.ReactActivity") == "facebook_oss"
    assert cat.attribute_class("com.facebook.FacebookSdkX") == UNKNOWN


def test_first_party_and_unknown():
    cat = default_catalogue()
    app = ("com.zhaopin.social",)
    assert cat.attribute_class("Lcom/zhaopin/social/MainActivity;", app) == FIRST_PARTY
    assert cat.attribute_class("com.zhaopin.social", app) == FIRST_PARTY
    assert cat.attribute_class("com.zhaopin.socialx.Other", app) == UNKNOWN
    assert cat.attribute_class("org.example.Thing", app) == UNKNOWN
    # an SDK bundled under the app's own namespace is still the SDK
    assert cat.attribute_class("com.igexin.sdk.PushService", ("com.igexin",)) == "getui"


@pytest.mark.parametrize("host,sdk_id", [
    ("umeng.com", "umeng_common"),
    ("ulogs.umeng.com", "umeng_common"),
    ("log.umsns.com", "umeng_share"),
    ("android.bugly.qq.com", "bugly"),
    ("mi.gdt.qq.com", "tencent_gdt"),
    ("open.weixin.qq.com", "wechat_opensdk"),
    ("api.mch.weixin.qq.com", "wechat_pay"),          # the more specific host wins over its parent
    ("loc.map.baidu.com", "baidu_location"),
    ("api.map.baidu.com", "baidu_map"),
    ("APP-MEASUREMENT.COM.", "firebase_analytics"),   # case and trailing dot do not matter
    ("t.appsflyer.com", "appsflyer"),
    ("verify.cmpassport.com", "cmic_login"),
    ("fp-it.fengkongcloud.com", "shumei"),
    ("api.megvii.com", "megvii_faceid"),
])
def test_hosts_are_attributed_with_subdomains(host, sdk_id):
    assert default_catalogue().attribute_host(host) == sdk_id


def test_hosts_not_owned():
    cat = default_catalogue()
    assert cat.attribute_host("qq.com") is None                # only listed subdomains of qq.com are SDKs
    assert cat.attribute_host("notumeng.com") is None          # suffix without a dot boundary
    assert cat.attribute_host("www.zhaopin.com") is None


# ------------------------------------------------------------------ Exodus conversion
def test_code_signature_conversion():
    assert code_signature_to_prefixes(r"com\.umeng\.|com.tencent.bugly.") == (["com.umeng", "com.tencent.bugly"], 0)
    prefixes, skipped = code_signature_to_prefixes(r"com.a.b.|.*tracker.*|\.onlydot\.|com.c.(d|e)")
    assert prefixes == ["com.a.b"] and skipped == 4
    assert code_signature_to_prefixes("") == ([], 0)


def test_network_signature_conversion():
    assert network_signature_to_domains(r"umeng\.com|bugly\.qq\.com") == (["umeng.com", "bugly.qq.com"], 0)
    domains, skipped = network_signature_to_domains(r"^api\.x\.io$|.*\.cdn\.(net|com)|\.y\.org")
    assert domains == ["api.x.io", "y.org"] and skipped == 2


def test_exodus_category_mapping():
    assert kind_for(("Analytics",)) == "analytics"
    assert kind_for(("Advertisement", "Profiling")) == "ads"
    assert kind_for(("Crash reporting", "Analytics")) == "crash"
    assert kind_for(("Identification",)) == "login"
    assert kind_for(("Location",)) == "map_location"
    assert kind_for(("Profiling",)) == "analytics"
    assert kind_for(()) == "utility"


EXPORT = {"trackers": {
    "12": {"name": "Umeng Analytics", "code_signature": "com.umeng.analytics.|com.umeng.", "network_signature": r"umeng\.com",
           "website": "https://www.umeng.com/", "categories": ["Analytics"]},
    "901": {"name": "Acme Tracker", "code_signature": r"com\.acme\.track\.|com.acme.beacon.|.*acme.*",
            "network_signature": r"track\.acme\.io|.*\.acme-cdn\.(net|com)", "website": "https://www.acme.io/",
            "categories": ["Advertisement", "Profiling"]},
    "902": {"name": "Half Known", "code_signature": "com.halfknown.sdk.|com.igexin.extra.", "network_signature": "",
            "website": "", "categories": ["Crash reporting"]},
    "903": {"name": "Regex Only", "code_signature": r"\.regexonly\.", "network_signature": r"regexonly\.org",
            "website": "", "categories": []},
}}


def run_cli(capsys, *args) -> tuple[int, str, str]:
    rc = run_guarded(cli, list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_import_exodus_adds_skips_and_attributes(tmp_path, capsys, isolated_user_catalogue):
    export = tmp_path / "trackers.json"
    export.write_text(json.dumps(EXPORT), encoding="utf-8")
    rc, out, _ = run_cli(capsys, "catalogue", "import-exodus", str(export))
    assert rc == 0
    assert "added: 2 (3 package prefixes)" in out
    assert "skipped, already in the catalogue: 1" in out
    assert "skipped, no plain package prefix in the code signature: 1" in out
    assert "com.igexin.extra (Half Known) is owned by getui" in out
    assert user_catalogue_path() == isolated_user_catalogue
    rows = yaml.safe_load(isolated_user_catalogue.read_text("utf-8"))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {"exodus_acme_tracker", "exodus_half_known"}
    assert by_id["exodus_acme_tracker"]["packages"] == ["com.acme.track", "com.acme.beacon"]
    assert by_id["exodus_acme_tracker"]["domains"] == ["track.acme.io"]
    assert by_id["exodus_acme_tracker"]["kind"] == "sdk" and by_id["exodus_acme_tracker"]["purpose"] == "ads"
    assert by_id["exodus_half_known"]["packages"] == ["com.halfknown.sdk"]
    assert by_id["exodus_half_known"]["kind"] == "sdk" and by_id["exodus_half_known"]["purpose"] == "crash"
    assert {r["source"] for r in rows} == {"exodus"}

    cat = default_catalogue()
    assert cat.attribute_class("Lcom/acme/track/Collector;") == "exodus_acme_tracker"
    assert cat.attribute_host("eu.track.acme.io") == "exodus_acme_tracker"
    assert cat.attribute_class("com.igexin.extra.Thing") == "getui"       # bundled owner kept
    assert cat.sdks["exodus_acme_tracker"].source == "exodus"

    rc, out, _ = run_cli(capsys, "catalogue", "lookup", "com.acme.beacon.Ping")
    assert rc == 0 and "exodus_acme_tracker" in out

    # importing the same export again adds nothing and leaves the file as it was
    before = isolated_user_catalogue.read_text("utf-8")
    rc, out, _ = run_cli(capsys, "catalogue", "import-exodus", str(export))
    assert rc == 0 and "added: 0" in out and "skipped, already in the catalogue: 3" in out
    assert isolated_user_catalogue.read_text("utf-8") == before


def test_import_exodus_accepts_a_plain_list(tmp_path, capsys, isolated_user_catalogue):
    export = tmp_path / "list.json"
    export.write_text(json.dumps([EXPORT["trackers"]["901"]]), encoding="utf-8")
    rc, out, _ = run_cli(capsys, "catalogue", "import-exodus", "--dry-run", str(export))
    assert rc == 0 and "added: 1" in out and "dry run" in out
    assert not isolated_user_catalogue.exists()


@pytest.mark.parametrize("content,where", [
    ('{"trackers": {"1": {"name": "A",', "line 1"),
    ('{"something": []}', "trackers"),
    ('{"trackers": {"7": {"name": "A", "code_signature": ["com.a."]}}}', "tracker 7 (A)"),
    ('{"trackers": [{"code_signature": "com.a."}]}', "tracker #1"),
])
def test_bad_export_is_an_input_error(tmp_path, capsys, isolated_user_catalogue, content, where):
    bad = tmp_path / "bad-export.json"
    bad.write_text(content, encoding="utf-8")
    rc, out, err = run_cli(capsys, "catalogue", "import-exodus", str(bad))
    assert rc == 2
    assert str(bad) in err and where in err
    assert "Traceback" not in err
    assert not isolated_user_catalogue.exists()


def test_bad_export_through_the_installed_command(tmp_path):
    if not SDKGATE_BIN.exists():
        pytest.skip("no .venv/bin/sdkgate")
    bad = tmp_path / "broken.json"
    bad.write_text("{\n  \"trackers\": {\n    oops\n}", encoding="utf-8")
    env = {"SDKGATE_CATALOGUE_EXTRA": str(tmp_path / "extra.yaml"), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([str(SDKGATE_BIN), "catalogue", "import-exodus", str(bad)], capture_output=True,
                       text=True, env=env, timeout=60)
    assert p.returncode == 2
    assert f"{bad}:line 3" in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "extra.yaml").exists()


def test_list_filters_by_kind_and_prints_json(capsys):
    rc, out, _ = run_cli(capsys, "catalogue", "list", "--kind", "oaid", "--json")
    assert rc == 0
    rows = json.loads(out)
    ids = {r["id"] for r in rows}
    assert {"msa_oaid", "vendor_oaid_providers", "google_ads_identifier"} <= ids
    assert {r["kind"] for r in rows} == {"sdk"} and {r["purpose"] for r in rows} == {"oaid"}
    rc, out, _ = run_cli(capsys, "catalogue", "list")
    assert rc == 0 and f"{len(default_catalogue().sdks)} SDKs" in out


def test_lookup_class_host_and_url(capsys):
    rc, out, _ = run_cli(capsys, "catalogue", "lookup", "Lcom/igexin/sdk/PushManager;")
    assert rc == 0 and "-> getui" in out and "prefix com.igexin" in out
    for pasted in ("Lcom/igexin/sdk/PushManager", "Lcom/igexin/sdk/PushManager;->initialize(Landroid/content/Context;)V"):
        rc, out, _ = run_cli(capsys, "catalogue", "lookup", pasted)          # without `;`, or with a member
        assert rc == 0 and "class com.igexin.sdk.PushManager -> getui" in out, out
    rc, out, _ = run_cli(capsys, "catalogue", "lookup", "https://sdk.e.kuaishou.com/rest/x?y=1")
    assert "host sdk.e.kuaishou.com -> kuaishou_ads" in out
    rc, out, _ = run_cli(capsys, "catalogue", "lookup", "--json", "org.example.Nothing")
    assert json.loads(out) == [{"as": "class or host", "query": "org.example.Nothing", "sdk": "unknown", "prefix": None}]
    rc, out, _ = run_cli(capsys, "catalogue", "lookup", "--app-package", "com.zhaopin.social",
                         "com.zhaopin.social.ui.Main")
    assert "-> first_party" in out


def test_bad_kind_is_a_usage_error(capsys):
    rc, _, err = run_cli(capsys, "catalogue", "list", "--kind", "spyware")
    assert rc == 2 and "spyware" in err


def test_signature_kinds_are_parsed_and_checked():
    from sdkgate.catalogue import SIGNATURE_KINDS
    cat = default_catalogue()
    jp = cat.sdks["jpush"]
    assert "JPUSH_APPKEY" in jp.meta_data and "libjcore*.so" in jp.native_libs and jp.evidence
    assert all(getattr(cat.sdks["umeng_common"], k) is not None for k in SIGNATURE_KINDS)
    with pytest.raises(InputError, match="'native_libs' must be a list of strings"):
        parse_rows([{"id": "x", "name": "X", "vendor": "V", "kind": "push", "packages": ["com.x"],
                     "native_libs": "libx.so"}], "rows.yaml")
    merged = cat.merged([Sdk("extra_x", "X", "V", "push", ("com.extrax",), native_libs=("libextrax.so",))])
    assert merged.sdks["extra_x"].native_libs == ("libextrax.so",)
