"""Issue 22 end to end on the simulated device (real agent in real Frida, real proxy, real engine):
every way an app fakes the user's consent tap, an accessibility service's click, a same-text button on
another dialog, taps on an API 26 phone, interface implementations loaded before and after the agent,
and the app model's new send/marker/JNI shapes."""
from __future__ import annotations

import pytest

from sdkgate.events import read_events
from sdkgate.manifest import load_manifest

from .conftest import MANIFEST, SharedProxy, sim_runner

HEAD = """schema: sdkgate.appmodel/1
app:
  package: com.example.recruit
  application: com.example.recruit.App
  main_activity: com.example.recruit.ui.MainActivity
  consent_handler: com.example.recruit.privacy.PrivacyDialog
sdks:
  umeng_common:
    entry: com.umeng.commonsdk.UMConfigure.init
    classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]
  jpush:
    entry: cn.jpush.android.api.JPushInterface.init
    classes: [cn.jiguang.common.app.helper.DeviceHelper]
"""
READ = "{by: umeng_common, read: settings.secure.getString, args: [null, android_id]}"


@pytest.fixture(scope="module")
def shared_proxy(tmp_path_factory):
    p = SharedProxy(tmp_path_factory.mktemp("proxy"), MANIFEST)
    yield p
    p.stop()


@pytest.fixture
def sim_run(shared_proxy, tmp_path):
    run = sim_runner(shared_proxy, tmp_path, HEAD)
    return lambda model, steps, extra="settle: 0\n", head=HEAD: run(model, steps, extra, head)


def taps(evs):
    return [e for e in evs if e.kind == "consent" and e.source == "hook"]


def fired(res):
    return {(f.rule, f.actor) for f in res.report.active_findings()}


def test_every_fake_tap_is_programmatic_and_the_users_later_decline_makes_it_SG106(sim_run):
    res, evs = sim_run(f"""behaviour:
  launch:
    - fake_input: {{control: accept, via: perform_click}}
    - fake_input: {{control: accept, via: posted_touch}}
    - fake_input: {{control: accept, via: sync_touch}}
    - fake_input: {{control: accept, via: key}}
    - fake_input: {{control: accept, via: accessibility}}
    - {{fake_input: {{control: accept, via: injected}}, thread: pool-2-thread-1}}
    - write_marker: true
    - {READ}
""", "  - fresh_install\n  - launch\n  - wait: 300ms\n  - consent: decline\n")
    t = taps(evs)
    assert [e.get("evidence") for e in t[:6]] == ["programmatic"] * 6, [e.extra for e in t]
    assert all(e.get("why") for e in t[:6])
    assert t[-1].get("evidence") == "ui_tap" and t[-1].get("transition") == "declined"    # the user's own decline
    assert res.report.verdict == "fail"
    assert ("SG106", "first_party") in fired(res) and ("SG101", "umeng_common") in fired(res)
    assert any("the user then declined" in f.message for f in res.report.active_findings() if f.rule == "SG106")


def test_an_accessibility_click_is_named_and_incomplete_by_default(sim_run):
    res, evs = sim_run(f"""device: {{accessibility: ["com.google.android.marvin.talkback/.TalkBackService"]}}
behaviour:
  launch:
    - user_input: {{control: accept, via: accessibility}}
    - write_marker: true
    - {READ}
""", "  - fresh_install\n  - launch\n")
    (t,) = taps(evs)
    assert t.get("evidence") == "accessibility"
    assert t.get("services") == ["com.google.android.marvin.talkback/.TalkBackService"]
    assert res.report.verdict == "incomplete"
    assert any("accessibility service (com.google.android.marvin.talkback/.TalkBackService)" in r
               for r in res.report.incomplete)
    assert ("SG101", "umeng_common") not in fired(res)          # judged after the answer, not before it


def test_agree_on_another_dialog_is_not_consent(sim_run):
    res, evs = sim_run(f"""behaviour:
  launch:
    - user_input: {{control: accept, window: other}}     # a "同意" on a notification dialog
    - {READ}
""", "  - fresh_install\n  - launch\n")
    assert taps(evs) == []
    assert ("SG101", "umeng_common") in fired(res) and res.report.verdict == "fail"


def test_the_users_tap_on_an_api26_phone_is_seen(sim_run):
    res, evs = sim_run(f"""device: {{api_level: 26}}
behaviour:
  consent_granted:
    - write_marker: true
    - {READ}
""", "  - fresh_install\n  - launch\n  - consent: accept\n")
    (t,) = taps(evs)
    assert (t.get("evidence"), t.get("input")["kind"]) == ("ui_tap", "touch")
    assert not any("View.performClickInternal" in f for f in t.stack)      # API 24-27 shape
    assert res.report.verdict == "pass", (res.report.incomplete, fired(res))


def test_interface_implementations_loaded_before_and_after_the_agent_are_hooked(sim_run):
    res, evs = sim_run("""classes:
  com.bun.miitmdid.supplier.xiaomi.XiaomiIdSupplier: {implements: [com.bun.miitmdid.interfaces.IdSupplier]}
  com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier:
    implements: [com.bun.miitmdid.interfaces.IdSupplier]
    loaded: later
  com.google.android.gms.location.FusedLocationProviderClient: {interface: true}
behaviour:
  consent_granted:
    - write_marker: true
    - {by: umeng_common, read: msa.IdSupplier.getOAID}
    - {by: umeng_common, load_class: com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier}
    - {by: umeng_common, read: msa.IdSupplier.getOAID, impl: com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier}
""", "  - fresh_install\n  - launch\n  - consent: accept\n")
    reads = [e for e in evs if e.kind == "read" and e.get("api_id") == "msa.IdSupplier.getOAID"]
    assert [e.get("impl") for e in reads] == ["com.bun.miitmdid.supplier.xiaomi.XiaomiIdSupplier",
                                              "com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier"]
    assert all(e.actor == "umeng_common" and e.category == "device_id.oaid" for e in reads)
    # the interface with no implementation anywhere hides every call through it
    assert any(r.startswith("fused.getLastLocation: com.google.android.gms.location.FusedLocationProviderClient "
                            "implementation not hookable") for r in res.report.incomplete), res.report.incomplete


def test_headers_multipart_xor_marker_store_and_jni_reads(sim_run, shared_proxy):
    res, evs = sim_run("""behaviour:
  consent_granted:
    - write_marker: true
    - {by: jpush, read: settings.secure.getString, args: [null, android_id], jni: {lib: libjcore.so, thread: native}}
    - by: jpush
      send: {host: tsis.jpush.cn, path: /h, data: [device_id.android_id], headers: {X-Did: device_id.android_id}}
    - by: jpush
      send: {host: tsis.jpush.cn, path: /mp, data: [device_id.android_id], encoding: multipart}
    - by: jpush
      send: {host: tsis.jpush.cn, path: /x, data: [device_id.android_id], transform: [{xor: k3y}, base64]}
  consent_withdrawn:
    - {write_marker: false, store: mmkv}
""", "  - fresh_install\n  - launch\n  - consent: accept\n  - consent: withdraw\n")
    read = next(e for e in evs if e.kind == "read" and e.get("api_id") == "settings.secure.getString")
    assert read.get("thread") == "Thread-7" and "libjcore.so" in read.get("native_stack")
    assert read.actor == "jpush" and read.get("native_actor") == "jpush"      # no Java frame names it
    sends = [e for e in read_events(res.out_dir / "net.jsonl") if e.kind == "send"]
    where = {(e.get("path"), e.get("where")) for e in sends if e.category == "device_id.android_id"}
    assert ("/h", "header:x-did") in where and ("/mp", "multipart:android_id") in where
    assert not any(p == "/x" for p, _ in where)        # scrambled by the app: the proxy cannot see it
    # the grant went to SharedPreferences (and the method marker), the withdrawal's key-value record to MMKV,
    # where the manifest's prefs marker does not look: only the method marker reports it
    marks = [(e.get("transition"), e.get("marker").split(":")[0]) for e in evs if e.kind == "consent_marker"]
    assert ("granted", "prefs") in marks and ("granted", "method") in marks
    assert ("withdrawn", "method") in marks and ("withdrawn", "prefs") not in marks


def test_a_compose_or_webview_app_says_so_and_without_steps_is_incomplete(sim_run):
    """Issue 28 §2: taps in Compose or a WebView page never reach View.performClick; the run says which
    observation applies. A scenario is the user's answer (here: none, so the read is before consent); the
    agent's evidence alone (a manual run, no steps) cannot judge 'before consent' and is incomplete."""
    res, evs = sim_run(f"""behaviour:
  launch:
    - {READ}
""", "  - fresh_install\n  - launch\n", head=HEAD.replace("  package: com.example.recruit\n",
                                                        "  package: com.example.recruit\n  ui: [compose, webview]\n"))
    loaded = next(e for e in evs if e.kind == "agent_status" and e.get("status") == "loaded" and e.get("ui"))
    assert loaded.get("ui")["toolkits"] == ["views", "compose"]
    webview = [e for e in evs if e.kind == "agent_status" and e.get("status") == "ui"]
    assert webview and any("WebView" in u for u in webview[0].get("unobserved"))
    assert ("SG101", "umeng_common") in fired(res) and not any("not observable" in r for r in res.report.incomplete)
    from sdkgate.rules import evaluate
    manual = evaluate([e for e in evs if e.source != "step"], load_manifest(MANIFEST))
    assert any(r.startswith("consent answer not observable by the agent: Jetpack Compose") and "WebView" in r
               for r in manual.incomplete), manual.incomplete
