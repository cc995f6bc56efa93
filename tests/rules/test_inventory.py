from sdkgate.rules import evaluate

from .conftest import rule_ids, rules_of


def test_static_inventory_rules(log, demo_manifest):
    log.add("static", "scan", 0, package="com.example.recruit", version_name="1.0", sha256="ab" * 32)
    log.add("static", "sdk_present", 0, actor="umeng_common", packages=["com.umeng.commonsdk"], class_count=3)
    log.add("static", "sdk_present", 0, actor="getui", packages=["com.igexin"], class_count=2)
    log.add("static", "call_site", 0, actor="bugly", category="location", api_id="location.getLastKnownLocation",
            api="Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;",
            caller="Lcom/tencent/bugly/a;->b()V")
    log.add("static", "component", 0, actor="jpush", component_type="provider", name="cn.jpush.android.service.DataProvider")
    log.add("static", "path", 0, actor="umeng_common", chain=["Lcom/example/recruit/App;->onCreate()V",
            "Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;)V"],
            target="Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;)V")
    r = evaluate(log.events, demo_manifest)
    got = rules_of(r)
    assert ("SG201", "getui", None) in got
    assert ("SG202", "bugly", "location") in got
    assert next(f for f in r.findings if f.rule == "SG202").severity == "warning"
    assert ("SG204", "jpush", None) in got and ("SG205", "umeng_common", None) in got
    absent = {f.actor for f in r.findings if f.rule == "SG203"}
    assert absent == {"jpush", "amap_location", "cmic_login", "tencent_faceid"}
    assert all(f.severity == "info" for f in r.findings if f.rule == "SG203")
    assert r.app["sha256"] == "ab" * 32 and r.app["version_name"] == "1.0"
    assert r.call_sites[0].caller == "Lcom/tencent/bugly/a;->b()V"
    assert {s.id: s.declared for s in r.sdks}["getui"] is False


def test_without_manifest_only_inventory_is_reported(log):
    log.add("static", "scan", 0, package="x")
    log.add("static", "sdk_present", 0, actor="getui", packages=["com.igexin"])
    r = evaluate(log.events, None)
    assert r.verdict == "not_judged" and not rule_ids(r)      # no silent pass without declarations
    assert [s.id for s in r.sdks] == ["getui"]
    assert any("no manifest" in s for s in r.skipped)


def test_run_time_reads_give_the_sdk_its_matched_packages(log, demo_manifest):
    log.agent()
    log.add("hook", "read", 10, actor="amap_location", category="location", api_id="location.getLastKnownLocation",
            stack=["android.location.LocationManager.getLastKnownLocation(Native Method)",
                   "com.loc.ff.a(SourceFile:12)", "com.amap.api.location.AMapLocationClient.startLocation(SourceFile:40)",
                   "com.example.recruit.App.onCreate(App.java:22)"])
    r = evaluate(log.events, demo_manifest)
    entry = next(s for s in r.sdks if s.id == "amap_location")
    assert set(entry.packages) == {"com.loc", "com.amap.api.location"}


def test_apk_of_another_app_is_incomplete(log, demo_manifest):
    log.add("static", "scan", 0, package="com.zhaopin.social")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete"
    assert any("com.zhaopin.social" in x and "com.example.recruit" in x for x in r.incomplete)


def test_declared_permissions_are_listed_with_protection_level(log, demo_manifest):
    log.add("static", "permission_declared", 0, permission="android.permission.CAMERA", protection_level="dangerous")
    log.add("static", "permission_declared", 0, permission="android.permission.READ_CONTACTS", protection_level="dangerous")
    r = evaluate(log.events, demo_manifest)
    declared = {p["permissions"][0]: p for p in r.permissions if p["kind"] == "declared"}
    assert declared["android.permission.CAMERA"]["in_table"] is True
    assert declared["android.permission.READ_CONTACTS"]["in_table"] is False
    assert declared["android.permission.CAMERA"]["protection_level"] == "dangerous"
