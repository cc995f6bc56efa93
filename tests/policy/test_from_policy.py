"""`manifest from-policy` on policy texts in every form (HTML/Markdown tables, numbered and bold blocks,
key：value lines, one-line records, prose; zh and en; a PDF), judged on SDK rows, categories, permissions."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.errors import InputError
from sdkgate.manifest import load_manifest
from sdkgate.policy import draft_from_policy

TEXTS = Path(__file__).parent / "texts"
sys.path.insert(0, str(Path(__file__).parent))
from pdfmaker import line_ops, make_pdf  # noqa: E402


def draft(name: str, **kw):
    d = draft_from_policy(TEXTS / name, package=kw.pop("package", "com.example.app"), **kw)
    return d, {s.id: s for s in d.sdks}, {p.permission: p for p in d.permissions}


def lines(name: str) -> list[str]:
    return (TEXTS / name).read_text("utf-8").splitlines()


def test_html_table_any_column_order_merged_cells_and_br_values():
    d, rows, perms = draft("sdk_table_zh.html")
    assert set(rows) == {"umeng_common", "jpush", "jverification", "xiaomi_push", "hms_push", "oppo_push", "vivo_push",
                         "amap_location", "bugly", "unlisted_kuai_chuan_wen_jian"}
    # one cell with four names separated by <br>: four rows sharing purpose and data
    assert {rows[s].purpose for s in ("xiaomi_push", "hms_push", "oppo_push", "vivo_push")} == {"厂商通道消息推送"}
    # the rowspan vendor cell belongs to both Jiguang rows; 极光认证 maps by its own name, not the package above
    assert rows["jverification"].vendor == "深圳市和讯华谷信息技术有限公司"
    assert set(rows["jverification"].categories) == {"device_id.phone_number", "network.carrier"}
    assert set(rows["jpush"].categories) == {"device_id.imei", "device_id.android_id", "device_id.oaid",
                                            "device_id.mac", "installed_apps"}
    assert {"device_id.imei", "device_id.imsi", "device_id.iccid", "device_id.android_id", "location"} <= \
        set(rows["umeng_common"].categories)
    # negation inside a cell: "不会收集您的通讯录和短信"
    assert set(rows["amap_location"].categories) == {"location", "network.wifi"}
    # "崩溃问题定位" is a purpose, not location data
    assert rows["bugly"].categories == ["device_id.android_id"]
    # unlisted SDK: slug id, TODO, the packages the policy gives, a low confidence
    un = rows["unlisted_kuai_chuan_wen_jian"]
    assert un.todo and un.confidence == "low" and un.packages == ["com.kuaichuan.sdk"]
    # source lines point at the row
    for r in d.sdks:
        assert r.name.split("<")[0][:2] in lines("sdk_table_zh.html")[r.line - 1], r
    # not an SDK / iOS only: comments, no rows
    text = d.to_yaml()
    assert "not an SDK, no row: 广告合作方" in text and "IDFA" not in " ".join(rows)
    assert re.search(r"#   line 16: iOS-only", text)
    # permission table: explicit name, typo normalised and flagged, Chinese group name, HarmonyOS/iOS dropped
    assert set(perms) == {"android.permission.READ_PHONE_STATE", "android.permission.ACCESS_FINE_LOCATION",
                          "android.permission.CAMERA"}
    assert perms["android.permission.READ_PHONE_STATE"].when == "at_start"
    assert perms["android.permission.READ_PHONE_STATE"].confidence == "high"
    typo = perms["android.permission.ACCESS_FINE_LOCATION"]
    assert typo.confidence == "low" and "ACCESS_FINE_LOCATON" in typo.notes[0] and typo.when == "on_feature"
    assert perms["android.permission.CAMERA"].purpose == "拍摄头像、扫码"
    assert "HarmonyOS-only" in text and "ohos.permission" not in "".join(perms)


def test_markdown_tables_zh():
    d, rows, perms = draft("sdk_list_zh.md")
    assert set(rows) == {"getui", "pangle", "sensorsdata", "tencent_tpns"}
    assert rows["getui"].vendor == "每日互动股份有限公司" and rows["getui"].line == 7
    assert set(rows["sensorsdata"].categories) == {"device_id.android_id", "network.ip"}   # 不会收集IMEI
    # "设备标识符" without which: a marked guess
    assert any("设备标识符" in n for n in rows["pangle"].notes)
    assert {"location", "installed_apps"} <= set(rows["pangle"].categories)
    assert set(perms) == {"android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE",
                          "android.permission.RECORD_AUDIO", "android.permission.READ_CONTACTS"}
    assert perms["android.permission.READ_CONTACTS"].when == "on_feature"
    assert all(p.confidence == "low" for p in perms.values())      # group names are guesses


def test_numbered_bold_keyvalue_oneline_and_prose_zh():
    d, rows, perms = draft("sdk_blocks_zh.txt")
    assert {"wechat_opensdk", "alipay", "aliyun_numberauth", "shumei", "tongdun", "honor_push", "netease_yidun",
            "firebase_messaging"} <= set(rows)
    unl = [s for s in rows if s.startswith("unlisted_")]
    assert unl == ["unlisted_ji_su_ke_fu"]
    assert rows["wechat_opensdk"].categories == []                       # 不收集您的位置信息
    assert rows["wechat_opensdk"].packages == ["com.tencent.mm.opensdk"]
    assert set(rows["alipay"].categories) == {"device_id.imei", "device_id.imsi", "network.wifi"}
    assert set(rows["aliyun_numberauth"].categories) == {"device_id.phone_number", "network.carrier", "network.ip"}
    assert rows["shumei"].vendor == "北京数美时代科技有限公司"
    assert set(rows["shumei"].categories) == {"device_id.android_id", "device_id.oaid", "device_id.mac",
                                             "installed_apps", "sensors"}
    assert set(rows["tongdun"].categories) == {"device_id.imei", "clipboard"}
    assert rows["netease_yidun"].categories == ["device_id.android_id"]
    src = lines("sdk_blocks_zh.txt")
    assert "微信开放平台" in src[rows["wechat_opensdk"].line - 1]
    assert "①" in src[rows["aliyun_numberauth"].line - 1]
    assert "数美" in src[rows["shumei"].line - 1]
    assert perms["android.permission.ACCESS_FINE_LOCATION"].when == "on_feature"
    assert perms["android.permission.READ_PHONE_STATE"].when == "at_start"
    cam = perms["android.permission.CAMERA"]
    assert cam.confidence == "low" and "android.permision.CAMERA" in cam.notes[0]


def test_english_list_negation_ios_and_prose_permissions():
    d, rows, perms = draft("sdk_list_en.txt", lang="en")
    assert set(rows) == {"firebase_crashlytics", "appsflyer", "unlisted_acme_chat", "facebook_audience_network"}
    assert rows["firebase_crashlytics"].categories == []            # does NOT collect location or contacts
    assert set(rows["appsflyer"].categories) == {"device_id.gaid", "device_id.android_id", "network.ip"}
    assert set(rows["unlisted_acme_chat"].categories) == {"device_id.phone_number", "microphone"}
    assert rows["unlisted_acme_chat"].packages == ["com.acme.chat"]
    assert set(perms) == {"android.permission.ACCESS_COARSE_LOCATION", "android.permission.CAMERA",
                          "android.permission.POST_NOTIFICATIONS"}       # not contacts: "does not request"
    assert perms["android.permission.POST_NOTIFICATIONS"].when == "at_start"
    assert perms["android.permission.CAMERA"].when == "on_feature"
    assert "iOS-only" in d.to_yaml()


def test_pdf_policy(tmp_path):
    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(make_pdf([line_ops(["Third-party SDK list", "",
                          "SDK name: Sentry; Purpose: crash reports; Data collected: IP address, Android ID",
                          "SDK name: OneSignal; Purpose: push notifications; Data collected: advertising ID",
                          "", "We request android.permission.CAMERA when you scan a receipt."])]))
    d = draft_from_policy(pdf, package="com.example.app")
    rows = {s.id: s for s in d.sdks}
    assert d.fmt == "pdf"
    assert set(rows) == {"sentry", "onesignal"}
    assert set(rows["sentry"].categories) == {"network.ip", "device_id.android_id"}
    assert rows["onesignal"].categories == ["device_id.gaid"]
    assert [p.permission for p in d.permissions] == ["android.permission.CAMERA"]


@pytest.mark.parametrize("name", sorted(p.name for p in TEXTS.iterdir()))
def test_draft_validates_once_package_known_and_says_what_is_missing(tmp_path, name):
    d = draft_from_policy(TEXTS / name, package="com.example.app")
    out = tmp_path / "m.yaml"
    out.write_text(d.to_yaml(), "utf-8")
    assert out.read_text("utf-8").startswith("# yaml-language-server: $schema=")
    m = load_manifest(out)
    assert set(m.sdks) == {s.id for s in d.sdks}
    assert set(m.permissions) == {p.permission for p in d.permissions}
    raw = yaml.safe_load(out.read_text("utf-8"))
    for row in raw["sdks"]:
        assert row["source"]["line"] >= 1
    nopkg = draft_from_policy(TEXTS / name)
    out.write_text(nopkg.to_yaml(), "utf-8")
    if "package" in nopkg.stated:
        # the policy states its package: the draft takes it and says where from
        assert f"# check: read from the policy (line {nopkg.stated['package']})" in out.read_text("utf-8")
        assert load_manifest(out).package == nopkg.package
        return
    assert "# MISSING: app.package" in out.read_text("utf-8")
    with pytest.raises(InputError, match="package"):
        load_manifest(out)


def test_cli_writes_draft_and_summary_on_stderr(tmp_path, capsys):
    out = tmp_path / "draft.yaml"
    rc = run_guarded(cli, ["manifest", "from-policy", str(TEXTS / "sdk_table_zh.html"), "--package", "com.x",
                           "--app-name", "X", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 0
    assert re.search(r"10 SDK rows found, 9 mapped to catalogue ids, 1 unmapped, 3 permissions", err), err
    assert load_manifest(out).name == "X"
    assert run_guarded(cli, ["manifest", "from-policy", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err


def test_aliases_belong_to_one_catalogue_sdk_each():
    from sdkgate.catalogue import bundled_catalogue
    from sdkgate.policy.sdkmatch import aliases_raw, norm
    cat = bundled_catalogue()
    owner: dict[str, str] = {}
    for sid, row in aliases_raw().items():
        assert sid in cat.sdks, sid
        for n in row.get("names") or []:
            k = norm(str(n))
            assert owner.setdefault(k, sid) == sid, f"{n!r} names both {owner[k]} and {sid}"


@pytest.mark.parametrize("written,sid", [
    ("友盟+", "umeng_common"), ("友盟统计", "umeng_common"), ("极光Push SDK", "jpush"), ("小米PUSH", "xiaomi_push"),
    ("华为推送", "hms_push"), ("HMS Push", "hms_push"), ("荣耀推送", "honor_push"), ("个推", "getui"),
    ("腾讯移动推送", "tencent_tpns"), ("TPNS", "tencent_tpns"), ("穿山甲", "pangle"), ("优量汇", "tencent_gdt"),
    ("支付宝SDK", "alipay"), ("微信开放平台", "wechat_opensdk"), ("微信支付", "wechat_pay"), ("新浪微博", "weibo_sdk"),
    ("QQ互联", "qq_connect"), ("QQ分享", "qq_connect"), ("高德定位", "amap_location"), ("百度定位", "baidu_location"),
    ("中国移动认证", "cmic_login"), ("中国联通认证", "cucc_login"), ("中国电信认证", "ctcc_login"),
    ("阿里云号码认证", "aliyun_numberauth"), ("阿里UTDID", "ut_utdid"), ("数美", "shumei"), ("同盾", "tongdun"),
    ("网易易盾", "netease_yidun"), ("神策", "sensorsdata"), ("GrowingIO", "growingio"), ("Bugly", "bugly"),
    ("Firebase", "firebase_core"), ("FCM", "firebase_messaging"), ("OPPO游戏联运", "oppo_game"),
    ("vivo联运SDK", "vivo_union"), ("华为游戏服务", "huawei_game"), ("应用宝YSDK", "tencent_ysdk"),
])
def test_alias_maps(written, sid):
    from sdkgate.policy.sdkmatch import alias_index
    m = alias_index().by_name(written)
    assert m is not None and m.sdk_id == sid


def test_vendor_legal_name_with_purpose_picks_the_vendors_sdk():
    from sdkgate.policy.sdkmatch import alias_index
    idx = alias_index()
    assert idx.by_vendor("深圳市和讯华谷信息技术有限公司", "一键登录").sdk_id == "jverification"
    assert idx.by_vendor("深圳市和讯华谷信息技术有限公司", "消息推送").sdk_id == "jpush"
    m = idx.by_vendor("北京小米移动软件有限公司", "消息推送")
    assert m.sdk_id == "xiaomi_push"
    assert idx.by_vendor("Acme Messaging Inc.") is None
    assert idx.by_package("com.igexin.sdk").sdk_id == "getui"


def test_html_inline_labels_vertical_tables_and_name_colon_items():
    d, rows, perms = draft("sdk_inline_zh.html")
    assert set(rows) == {"jpush", "tencent_map", "umeng_common", "bugly", "baidu_location", "qiniu"}
    assert rows["jpush"].vendor == "深圳市和讯华谷信息技术有限公司" and rows["jpush"].purpose == "消息推送"
    assert set(rows["jpush"].categories) == {"device_id.imei", "device_id.oaid", "network"}   # 网络信息: generic
    # a record spread over several <p> with bold labels
    assert rows["tencent_map"].purpose == "展示附近职位"
    assert set(rows["tencent_map"].categories) == {"location", "network.wifi"}
    # "<b>Bugly</b>：用于…，不收集位置信息，会收集…Android ID": negation scoped to its clause
    assert rows["bugly"].categories == ["device_id.android_id"] and rows["bugly"].purpose == "用于崩溃日志上报"
    # label | value tables, one per SDK
    assert rows["baidu_location"].vendor == "北京百度网讯科技有限公司"
    assert set(rows["baidu_location"].categories) == {"location", "network.carrier", "network.wifi"}
    assert rows["qiniu"].categories == []
    # a carrier named as a data recipient in prose is not an SDK; a WeChat official account is not the SDK
    text = d.to_yaml()
    assert "cmic_login" not in rows and "a company named in prose, not an SDK: 中国移动通信集团有限公司" in text
    assert "wechat_opensdk" not in rows


def test_english_html_tables():
    d, rows, perms = draft("sdk_table_en.html", lang="en")
    assert set(rows) == {"firebase_analytics", "adjust", "stripe", "mapbox"}
    assert set(rows["firebase_analytics"].categories) == {"device_id.gaid", "location"}
    assert set(rows["adjust"].categories) == {"device_id.gaid", "network.ip"}      # "we do not share ... location"
    assert rows["mapbox"].categories == ["location"]
    assert {p: (v.when, v.purpose) for p, v in perms.items()} == {
        "android.permission.CAMERA": ("on_feature", "Scan QR codes"),
        "android.permission.ACCESS_FINE_LOCATION": ("on_feature", "Nearby stores"),
        "android.permission.POST_NOTIFICATIONS": ("at_start", "Order updates")}


def test_permission_list_of_android_labels_under_a_permission_heading():
    d, rows, perms = draft("permissions_zh.txt")
    assert rows == {}
    assert set(perms) == {"android.permission.ACCESS_WIFI_STATE", "android.permission.READ_PHONE_STATE",
                          "android.permission.CAMERA", "android.permission.SYSTEM_ALERT_WINDOW"}
    assert "android.permission.READ_CONTACTS" not in perms and "android.permission.READ_SMS" not in perms
    wifi = perms["android.permission.ACCESS_WIFI_STATE"]
    assert (wifi.purpose, wifi.when) == ("用于判断网络环境，App启动时申请。", "at_start")
    assert perms["android.permission.CAMERA"].when == "on_feature"
    assert "HarmonyOS-only" in d.to_yaml()


def test_bulleted_list_of_service_names_en():
    d, rows, perms = draft("services_en.md", lang="en")
    # most of the list maps to catalogue ids: it is an SDK list, so the unknown name is an unlisted row
    assert list(rows) == ["google_play_services", "google_mobile_ads", "firebase_analytics", "firebase_crashlytics",
                          "onesignal", "unlisted_expo"]
    assert rows["onesignal"].name == "One Signal" and rows["unlisted_expo"].todo
    assert set(perms) == {"android.permission.CAMERA", "android.permission.ACCESS_FINE_LOCATION",
                          "android.permission.ACCESS_COARSE_LOCATION"}
    assert perms["android.permission.CAMERA"].when == "on_feature"


def test_caption_row_merged_cells_and_markdown_br():
    d, rows, _ = draft("sdk_caption.html")
    assert list(rows) == ["xiaomi_push", "meizu_push", "shumei"]
    assert rows["meizu_push"].purpose == "消息推送"                 # rowspan purpose
    assert rows["shumei"].vendor != "珠海市魅族科技有限公司"          # an empty cell of another group is not inherited
    assert set(rows["shumei"].categories) == {"installed_apps", "sensors", "device_id.android_id"}  # merged name cell
    d, rows, _ = draft("sdk_br.md")
    assert list(rows) == ["hms_push", "honor_push", "geetest"]
    assert rows["hms_push"].categories == rows["honor_push"].categories == ["device_id.oaid"]
    assert any("设备标识符" in n for n in rows["geetest"].notes)


def test_a_policy_without_an_sdk_list_gives_no_rows_and_no_permissions():
    d, rows, perms = draft("no_sdk_zh.md")
    assert rows == {} and perms == {}


def test_english_partner_prose_under_a_plain_text_heading():
    d, rows, perms = draft("partners_en.txt", lang="en")
    # the heading line (alone between blank lines) gives the context; "Intercom" is a common word: rows only
    assert set(rows) == {"firebase_analytics", "google_mobile_ads", "facebook_core"}
    assert set(rows["firebase_analytics"].categories) == {"device_id.gaid", "device_id.android_id"}
    assert rows["facebook_core"].categories == ["device_id.gaid"]
    assert all(r.confidence == "high" for r in rows.values())
