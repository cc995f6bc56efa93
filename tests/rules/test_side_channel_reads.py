"""Side-channel reads (issue 11) in the rule engine: native and matched reads are reads; package
probing findings count the probed packages."""
from sdkgate.rules import evaluate

from .conftest import rules_of


def test_native_read_before_consent_is_SG101_with_its_target_category(log, demo_manifest):
    log.agent()
    log.add("hook", "read", 10, actor="jpush", category="device_id.mac", api_id="native.open",
            api="libc.so!open", stack=[], target="path.net_mac", target_value="/sys/class/net/wlan0/address",
            native_caller="libjcore.so", native_stack=["libjcore.so"], native_actor="jpush")
    r = evaluate(log.events, demo_manifest)
    assert ("SG101", "jpush", "device_id.mac") in rules_of(r)


def test_probing_finding_counts_distinct_packages(log, demo_manifest):
    log.agent()
    for i, pkg in enumerate(["com.tencent.mm", "com.taobao.taobao", "com.tencent.mm", "com.sina.weibo"]):
        log.add("hook", "read", 10 + i * 2000, actor="umeng_common", category="installed_apps",
                api_id="pm.probe.getApplicationInfo", args=[pkg, "0"],
                api="Landroid/content/pm/PackageManager;->getApplicationInfo(Ljava/lang/String;I)Landroid/content/pm/ApplicationInfo;",
                stack=["android.app.ApplicationPackageManager.getApplicationInfo(ApplicationPackageManager.java:1)"])
    r = evaluate(log.events, demo_manifest)
    f = next(f for f in r.findings if f.rule == "SG101" and f.category == "installed_apps")
    assert f.detail["probes"] == 3
    assert f.detail["probed"] == ["com.sina.weibo", "com.taobao.taobao", "com.tencent.mm"]
