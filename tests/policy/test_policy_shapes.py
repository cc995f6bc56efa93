"""The shapes real policies come in (issue #23 §1, §2): no row invented from headings, code, key：value metadata,
data-field lists, alias substrings, the app itself or a negation; no row dropped from name-first bullets,
header-less tables, numbered blocks or nested lists; no rows merged; clean names; every entry under an SDK-list
heading a row or a `# check: not parsed` line; categories at the precision the text says them."""
from __future__ import annotations

import re
from pathlib import Path

from sdkgate.policy import draft_from_policy

TEXTS = Path(__file__).parent / "texts"


def draft(name: str, **kw):
    d = draft_from_policy(TEXTS / name, **kw)
    return d, {s.id: s for s in d.sdks}, {p.permission: p for p in d.permissions}


def not_parsed(d) -> list[tuple[str, str]]:
    """(text, why) of every `# check: not parsed` line of the rendered draft."""
    out = []
    for m in re.finditer(r'^# check: not parsed: "(.*)"   \(line \d+: (.*)\)$', d.to_yaml(), re.M):
        out.append((m.group(1), m.group(2)))
    return out


def cats(rows, sid) -> set[str]:
    return set(rows[sid].categories)


def test_headings_code_metadata_data_tables_and_the_app_itself_make_no_rows():
    d, rows, _ = draft("headings_code_fields_zh.md")
    # the section heading "（8.2）我们接入的第三方 SDK 服务商", "2\\." and the code block are no rows; the
    # key：value table's version and MD5 are metadata; the push vendor's data-field table is its data
    assert list(rows) == ["umeng_common", "getui", "hms_push", "jpush", "bugly", "aliyun_push"]
    assert [r.name for r in d.sdks] == ["友盟+统计SDK", "个推推送SDK", "华为推送", "极光推送", "腾讯Bugly", "阿里云推送"]
    assert cats(rows, "getui") == {"device_id.oaid"}            # 系统语言/时区/RAM/屏幕分辨率 are no category
    assert cats(rows, "hms_push") == {"device_id.oaid"}         # "- OAID" is data, not the MSA SDK
    assert "msa_oaid" not in rows and "tencent_beacon" not in rows   # "OAID", "Web Beacon"
    assert cats(rows, "jpush") == {"device_id.imei", "device_id.oaid", "device_id.mac"}
    assert cats(rows, "umeng_common") == {"device_id", "network.ip"}   # 设备标识信息: generic, not expanded
    assert cats(rows, "bugly") == {"device_id.android_id"}
    assert rows["aliyun_push"].categories == []                  # 无
    # the app states its name and package; its own row in the table is not an SDK, and is accounted for
    assert (d.package, d.app_name) == ("com.xingcheng.reader", "星橙阅读")
    assert not_parsed(d) == [("星橙阅读 | 杭州星橙科技有限公司 | 阅读服务 | 阅读记录", "the app itself, not a third-party SDK")]
    assert "1 SDK-list entries not parsed" in d.summary()
    assert '  package: "com.xingcheng.reader"   # check: read from the policy (line 5)' in d.to_yaml()
    other = draft_from_policy(TEXTS / "headings_code_fields_zh.md", package="com.other.app")
    assert other.package == "com.other.app"
    assert "# check: the policy states the package com.xingcheng.reader (line 5), not this one" in other.to_yaml()


def test_name_first_bullets_nested_data_and_headerless_tables_en():
    d, rows, perms = draft("list_shapes_en.md")
    assert list(rows) == ["google_mobile_ads", "firebase_remote_config", "firebase_crashlytics", "sentry", "mixpanel",
                          "unlisted_acme_receipts", "google_signin", "okhttp", "lottie", "unlisted_foo_widgets"]
    # clean names: the purpose after " - " / " – " / " — " / ":" is the purpose, not part of the name
    assert {s: rows[s].name for s in ("google_mobile_ads", "firebase_remote_config", "firebase_crashlytics", "mixpanel")} \
        == {"google_mobile_ads": "Google AdMob", "firebase_remote_config": "Google Firebase Remote Config",
            "firebase_crashlytics": "Firebase Crashlytics", "mixpanel": "Mixpanel"}
    assert rows["firebase_remote_config"].purpose == "for A/B testing"
    assert cats(rows, "google_mobile_ads") == {"device_id.gaid", "location"}
    assert cats(rows, "sentry") == {"network.ip"}                # the nested "Data collected" list
    assert rows["mixpanel"].categories == []                     # "Data: none"
    assert cats(rows, "unlisted_acme_receipts") == {"camera"} and rows["unlisted_acme_receipts"].vendor == "Acme Labs Inc."
    # "Google | play-services-auth": a Maven artifact names the SDK, the other cell its vendor
    assert (rows["google_signin"].name, rows["google_signin"].vendor) == ("play-services-auth", "Google")
    assert rows["okhttp"].name == "com.squareup.okhttp3:okhttp" and rows["okhttp"].vendor == "Square"
    assert sorted(not_parsed(d)) == [("- Other tools we may add later", "no SDK name recognised"),
                                     ("- Pocket Budget - the app itself, listed here for completeness",
                                      "the app itself, not a third-party SDK")]
    assert d.package == "com.pocketbudget.android" and d.app_name == "Pocket Budget"
    # permission phrasings; an iOS-only permission gives no Android one
    assert set(perms) == {"android.permission.CAMERA", "android.permission.READ_PHONE_STATE",
                          "android.permission.POST_NOTIFICATIONS"}
    assert perms["android.permission.POST_NOTIFICATIONS"].when == "at_start"
    assert "iOS-only, no Android declaration: Local network access" in d.to_yaml()


def test_negations_give_no_rows_en():
    d, rows, _ = draft("negation_en.txt")
    # "We do NOT use Firebase or AdMob", "do not integrate any … such as AppLovin, Unity Ads or Pangle",
    # "does not contain the Facebook SDK"; Bugsnag is named once outside the negation
    assert set(rows) == {"appsflyer", "bugsnag"}
    assert cats(rows, "appsflyer") == {"device_id.gaid"}         # "…; it receives the advertising ID"
    assert rows["appsflyer"].purpose == "measure installs"
    text = d.to_yaml()
    for name in ("Firebase", "AdMob", "AppLovin", "Unity Ads", "Pangle", "Facebook SDK"):
        assert f"named in a negation, no row: {name} (" in text


def test_negations_give_no_rows_zh():
    d, rows, _ = draft("negation_zh.txt")
    # "未接入任何第三方广告SDK（如穿山甲、优量汇），也不会使用友盟统计"; "不会向腾讯Bugly提供位置" still uses Bugly
    assert set(rows) == {"jpush", "bugly"}
    assert cats(rows, "jpush") == {"device_id.oaid"}
    assert cats(rows, "bugly") == {"device_id.android_id"}        # location negated, Android ID after "仅收集"
    for name in ("穿山甲", "优量汇", "友盟统计"):
        assert f"named in a negation, no row: {name} (" in d.to_yaml()


def test_numbered_blocks_with_data_on_the_next_lines_zh():
    d, rows, _ = draft("numbered_blocks_zh.txt")
    assert list(rows) == ["jpush", "umeng_common", "amap_location", "wechat_opensdk", "xiaomi_push"]
    # no clause number, quote or purpose left in a name
    assert [r.name for r in d.sdks] == ["极光推送", "友盟+", "高德定位", "微信开放平台", "小米推送"]
    # "android版本：设备信息（IMEI、Android ID、OAID）、网络信息（IP地址）"; "iOS版本：IDFA" is not Android's
    assert cats(rows, "jpush") == {"device_id.imei", "device_id.android_id", "device_id.oaid", "network.ip"}
    assert rows["jpush"].vendor == "深圳市和讯华谷信息技术有限公司" and rows["jpush"].purpose == "向您推送消息"
    assert cats(rows, "umeng_common") == {"device_id"}
    assert rows["amap_location"].vendor == "高德软件有限公司"
    assert cats(rows, "amap_location") == {"location", "network.wifi"}
    assert rows["wechat_opensdk"].categories == [] and rows["wechat_opensdk"].purpose == "微信登录、分享"
    assert rows["xiaomi_push"].categories == []                  # 收集信息：无
    assert not_parsed(d) == [] and d.policy_version == ""


def test_adjacent_lines_stay_separate_rows():
    d, rows, _ = draft("adjacent_en.txt")
    assert list(rows) == ["okhttp", "glide", "sentry", "lottie", "retrofit", "fresco", "zxing"]
    # each line's data stays on its row: only Sentry's line names data
    assert {s: r.categories for s, r in rows.items() if r.categories} == {"sentry": ["network.ip"]}
    assert [rows[s].purpose for s in ("okhttp", "glide", "sentry", "lottie")] == \
        ["network requests", "image loading", "crash reports", "animations"]


def test_nested_html_lists_groups_and_accounting():
    d, rows, _ = draft("nested_lists_zh.html")
    assert list(rows) == ["xiaomi_push", "hms_push", "oppo_push", "vivo_push", "sensorsdata", "growingio", "shumei",
                          "unlisted_xing_yun_fan_zuo_bi_zu_jian"]
    assert cats(rows, "xiaomi_push") == {"device_id.oaid"}
    assert rows["hms_push"].purpose == "华为手机推送" and rows["hms_push"].categories == []
    assert rows["oppo_push"].vendor == "广东欢太科技有限公司"
    assert cats(rows, "oppo_push") == {"device_id.imei", "device_id.android_id"}
    assert rows["vivo_push"].vendor == "维沃移动通信有限公司"
    assert cats(rows, "sensorsdata") == {"device_id.android_id", "network.ip"}   # 不收集 IMEI
    assert rows["growingio"].categories == []                                     # 无
    assert cats(rows, "shumei") == {"device_id.android_id", "device_id.oaid", "installed_apps", "sensors"}
    # the group labels (推送类, 统计类, 安全风控类) are no rows; what is no row is said
    assert not_parsed(d) == [("IDFA采集组件（仅iOS）", "iOS only"), ("系统语言", "a data field, not an SDK")]
    assert "2 SDK-list entries not parsed" in d.summary()


def test_permission_phrasings_ios_only_and_push_prose_zh():
    d, rows, perms = draft("permission_phrases_zh.txt")
    # 读取设备通话状态和识别码 / 查看电话信息 -> READ_PHONE_STATE; 本地网络 is iOS's; push prose is no
    # POST_NOTIFICATIONS, "通知权限" is
    assert set(perms) == {"android.permission.READ_PHONE_STATE", "android.permission.POST_NOTIFICATIONS",
                          "android.permission.CAMERA"}
    assert "android.permission.INTERNET" not in perms
    rps = perms["android.permission.READ_PHONE_STATE"]
    assert rps.when == "at_start" and rps.line == 3
    assert rps.purpose == "用于识别设备，保障账号安全，首次启动时申请。；用于来电时暂停音频播放。"
    assert perms["android.permission.CAMERA"].when == "on_feature"
    assert perms["android.permission.POST_NOTIFICATIONS"].line == 6
    assert "iOS-only, no Android declaration: 本地网络访问权限" in d.to_yaml()
    assert list(rows) == ["getui"]


def test_company_first_table_with_paragraph_cells_and_a_spanning_note():
    d, rows, _ = draft("sdk_table_company_first_zh.html")
    assert list(rows) == ["baidu_location", "wechat_opensdk", "wechat_pay", "getui"]
    assert rows["baidu_location"].vendor == "北京百度网讯科技有限公司"        # "第三方名称" is the company column
    assert cats(rows, "baidu_location") == {"location", "network.wifi"}
    assert rows["wechat_pay"].vendor == "深圳市腾讯计算机系统有限公司" and rows["wechat_pay"].categories == []
    assert rows["getui"].name == "个推" and cats(rows, "getui") == {"device_id", "network"}
    assert not_parsed(d) == [("iOS端：Apple推送服务（APNs），不涉及Android。", "a note spanning the table, no SDK row")]


LONG = [("友盟+", "umeng_common", "IMEI"), ("极光推送", "jpush", "OAID"), ("个推", "getui", "MAC地址"),
        ("小米推送", "xiaomi_push", "Android ID"), ("华为推送", "hms_push", "IP地址"), ("OPPO推送", "oppo_push", "IMSI"),
        ("vivo推送", "vivo_push", "ICCID"), ("魅族推送", "meizu_push", "硬件序列号"), ("荣耀推送", "honor_push", "OAID"),
        ("腾讯Bugly", "bugly", "Android ID"), ("高德定位", "amap_location", "位置信息"), ("百度地图", "baidu_map", "位置信息"),
        ("穿山甲", "pangle", "已安装应用列表"), ("优量汇", "tencent_gdt", "IMEI"), ("神策分析", "sensorsdata", "IP地址"),
        ("GrowingIO", "growingio", "Android ID"), ("数美", "shumei", "传感器信息"), ("同盾", "tongdun", "剪切板"),
        ("网易易盾", "netease_yidun", "MAC地址"), ("阿里云号码认证", "aliyun_numberauth", "手机号码"),
        ("支付宝", "alipay", "IMSI"), ("微博", "weibo_sdk", "无"), ("QQ互联", "qq_connect", "无"),
        ("七牛云", "qiniu", "无"), ("环信", "easemob", "通讯录"), ("声网Agora", "agora", "麦克风")]


def test_a_long_nested_list_drops_nothing_and_merges_nothing(tmp_path):
    """Every entry of a long nested list is a row with its own data, whatever marker each level uses."""
    lines = ["# 第三方SDK目录", ""]
    for k, (name, _sid, data) in enumerate(LONG):
        marker = ("{n}.", "（{n}）", "-", "{c}")[k % 4].format(n=k % 9 + 1, c="①②③④⑤⑥⑦⑧⑨"[k % 9])
        lines += [f"{marker} {name}SDK", f"    - 使用目的：功能{k}", "    - 收集信息：", f"        - {data}", ""]
    p = tmp_path / "long.md"
    p.write_text("\n".join(lines), "utf-8")
    d = draft_from_policy(p)
    rows = {s.id: s for s in d.sdks}
    assert list(rows) == [sid for _n, sid, _d in LONG]
    from sdkgate.policy.datatext import categories_in
    for k, (_name, sid, data) in enumerate(LONG):
        assert rows[sid].categories == categories_in(data)[0], sid
        assert rows[sid].purpose == f"功能{k}", sid
    assert not_parsed(d) == []


def test_the_common_play_store_template_en():
    """"Link to the privacy policy of third-party service providers used by the app" right above a list of
    links opens an SDK list; "Service Providers" reasons ("To facilitate our Service;") are no rows."""
    d, rows, _ = draft("play_template_en.md")
    assert list(rows) == ["google_play_services", "google_mobile_ads", "firebase_analytics", "firebase_crashlytics",
                          "facebook_core", "unity_ads", "applovin"]
    assert d.app_name == "Foo Bar" and not_parsed(d) == []


def test_html_source_line_breaks_are_spaces(tmp_path):
    """A newline in the HTML source is a space: a wrapped <p> or <td> is one entry, never several."""
    p = tmp_path / "wrapped.html"
    p.write_text("<html><body><h2>第三方SDK列表</h2>\n<p>友盟统计SDK：用于统计分析，\n收集设备信息（IMEI、\nAndroid ID）</p>\n"
                 "<table><tr><th>SDK名称</th><th>收集信息</th></tr>\n<tr><td>极光推送\nSDK</td><td>OAID、\nIP地址</td></tr>"
                 "</table></body></html>", "utf-8")
    d, rows, _ = draft(str(p))
    assert list(rows) == ["umeng_common", "jpush"]
    assert cats(rows, "umeng_common") == {"device_id.imei", "device_id.android_id"}
    assert cats(rows, "jpush") == {"device_id.oaid", "network.ip"}


def test_a_paragraph_right_after_a_list_is_not_the_last_entrys_data(tmp_path):
    p = tmp_path / "nogap.txt"
    p.write_text("第三方SDK列表\n- 友盟SDK：统计分析\n- 极光SDK：消息推送\n我们会收集您的位置信息用于推荐职位。\n", "utf-8")
    d, rows, _ = draft(str(p))
    assert {s: r.categories for s, r in rows.items()} == {"umeng_common": [], "jpush": []}
