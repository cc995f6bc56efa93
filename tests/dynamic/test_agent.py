"""The real agent (agent-sim.js) in real Frida, driven through the simulated Android runtime."""
from __future__ import annotations

import re
import threading
import time
import uuid
from pathlib import Path

import pytest

from sdkgate.apitable import apis, by_id
from sdkgate.canaries import generate, luhn_digit
from sdkgate.dynamic.simruntime import JavaThrow, SimObject, SimRuntime, uri
from sdkgate.events import Event
from sdkgate.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = load_manifest(ROOT / "manifests" / "demo-recruit.yaml")

UMENG = ["com.umeng.commonsdk.statistics.idtracking.ImeiTracker.f(ImeiTracker.java:40)",
         "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:120)",
         "com.example.recruit.App.onCreate(App.java:20)",
         "android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)",
         "android.app.ActivityThread.handleBindApplication(ActivityThread.java:6759)",
         "android.os.Looper.loop(Looper.java:288)",
         "android.app.ActivityThread.main(ActivityThread.java:7872)"]
APP = ["com.example.recruit.ui.PasteHelper.paste(PasteHelper.java:9)",
       "com.example.recruit.ui.SearchActivity.onResume(SearchActivity.java:31)",
       "android.app.Activity.performResume(Activity.java:8422)"]


class Sink:
    """Collects hook events as the host delivers them (thread-safe)."""

    def __init__(self):
        self.events: list[Event] = []
        self._lock = threading.Lock()

    def __call__(self, ev: Event) -> None:
        with self._lock:
            self.events.append(ev)

    def mark(self) -> int:
        return len(self.events)

    def since(self, n: int, kind: str | None = None) -> list[Event]:
        return [e for e in self.events[n:] if kind is None or e.kind == kind]

    def kinds(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]


@pytest.fixture(scope="module")
def canaries():
    return generate()


@pytest.fixture(scope="module")
def canary_rt(canaries):
    sink = Sink()
    rt = SimRuntime(MANIFEST, canaries, sink)
    rt.start()
    rt.sink = sink
    yield rt
    rt.stop()


@pytest.fixture(scope="module")
def plain_rt():
    sink = Sink()
    rt = SimRuntime(MANIFEST, None, sink)
    rt.start()
    rt.sink = sink
    yield rt
    rt.stop()


def read_entries():
    """Method rows whose calls count without a target match (matched calls: test_side_channel.py)."""
    return [a for a in apis() if a.kind == "method" and a.hookable and a.match is None]


# ---------------------------------------------------------------- loading
def test_agent_loads_and_hooks_every_table_entry(canary_rt):
    loaded = canary_rt.sink.kinds("agent_status")[0]
    assert loaded.get("status") == "loaded" and loaded.get("missing") == []
    hooks = set(canary_rt.hooks())
    for a in apis():
        if a.kind in ("field", "native") or a.is_target:
            continue
        if not a.hookable:      # no concrete class to name: said in the limits, hooked on implementations (impls.ts)
            assert any(x.startswith(f"{a.id}: ") and "hooked on the implementations loaded at run time" in x
                       for x in loaded.get("limits")), a.id
            assert not any(h.startswith(f"{a.cls}|{a.member}|") for h in hooks), a.id
            continue
        for d in a.descriptors:
            params = re.findall(r"\[*(?:L[^;]+;|[ZBCSIJFDV])", d[1:d.index(")")])
            conv = [p.replace("/", ".") if p.startswith("[") else p[1:-1].replace("/", ".") if p.startswith("L")
                    else {"Z": "boolean", "B": "byte", "C": "char", "S": "short", "I": "int", "J": "long",
                          "F": "float", "D": "double"}[p] for p in params]
            member = "$init" if a.member == "<init>" else a.member
            assert f"{a.hook_cls}|{member}|{','.join(conv)}" in hooks, a.id
    assert any("build.SERIAL" in x for x in loaded.get("limits"))


def test_agent_reads_nothing_by_itself():
    sink = Sink()
    with SimRuntime(MANIFEST, generate(), sink) as rt:
        time.sleep(0.2)                      # an idle app: the agent must not poll anything
        rt.flush()
    assert [e.kind for e in sink.events] == ["agent_status"]


# ---------------------------------------------------------------- reads
@pytest.mark.parametrize("api", read_entries(), ids=lambda a: a.id)
def test_each_read_yields_one_attributed_event(plain_rt, api):
    n = plain_rt.sink.mark()
    plain_rt.call(api.id, UMENG, thread="umeng-worker")
    reads = plain_rt.sink.since(n, "read")
    assert len(reads) == 1, [e.to_dict() for e in reads]
    ev = reads[0]
    # two rows that reach the same concrete method (android.text.ClipboardManager.getText dispatches to
    # android.content.ClipboardManager.getText) are one hook: the first row of the table names it
    first = api if api.arg_filter else next(
        b for b in read_entries() if (b.hook_cls, b.member, b.descriptors[0]) == (api.hook_cls, api.member, api.descriptors[0]))
    assert ev.get("api_id") == first.id
    assert ev.api == first.smali(first.descriptors[0])
    assert ev.category == api.category
    assert ev.actor == "umeng_common"
    assert ev.get("caller") == UMENG[0]
    assert ev.get("thread") == "umeng-worker"
    assert ev.stack[0].startswith(f"{api.hook_cls}.{api.member}(")   # the hooked frame, then every caller frame
    assert ev.stack[1:] == UMENG
    assert ev.get("canary") is False
    assert ev.source == "hook"


def test_every_overload_is_hooked(plain_rt):
    api = by_id()["location.requestLocationUpdates"]
    for d in api.descriptors:
        n = plain_rt.sink.mark()
        plain_rt.call(api.id, APP, overload=d)
        ev = plain_rt.sink.since(n, "read")
        assert [e.api for e in ev] == [api.smali(d)]


def test_real_values_are_returned_and_redacted(plain_rt):
    n = plain_rt.sink.mark()
    imei = plain_rt.call("telephony.getDeviceId", UMENG)
    assert imei == plain_rt.device.values["device_id.imei"]
    ev = plain_rt.sink.since(n, "read")[0]
    assert ev.get("ret") == {"t": "String", "len": len(imei), "mask": "*" * (len(imei) - 2) + imei[-2:]}
    assert imei not in ev.to_json()


def test_settings_other_keys_return_real_value_and_no_read(plain_rt):
    n = plain_rt.sink.mark()
    got = plain_rt.call("settings.secure.getString", UMENG, args=[None, "bluetooth_name"], ret="Pixel 7")
    assert got == "Pixel 7"
    got = plain_rt.call("settings.system.getString", UMENG, args=[None, "screen_brightness"], ret="102")
    assert got == "102"
    assert plain_rt.sink.since(n, "read") == []
    aid = plain_rt.call("settings.secure.getString", UMENG, args=[None, "android_id"])
    assert aid == plain_rt.device.values["device_id.android_id"]
    ev = plain_rt.sink.since(n, "read")
    assert len(ev) == 1 and ev[0].category == "device_id.android_id"
    assert ev[0].get("args")[1] == "android_id"      # the filtered key is shown, the resolver only as a type


def test_content_resolver_category_by_uri(plain_rt):
    cases = [("content://com.android.contacts/data/phones", "contacts", "resolver.query.contacts"),
             ("content://sms/inbox", "sms", "resolver.query.sms"),
             ("content://call_log/calls", "call_log", "resolver.query.call_log"),
             ("content://com.vivo.vms.IdProvider/IdentifierId/OAID", "device_id.oaid", "resolver.query.oaid_provider")]
    for text, cat, api_id in cases:
        n = plain_rt.sink.mark()
        plain_rt.call("resolver.query.contacts", UMENG, args=[uri(text)])   # any entry: one shared hook
        ev = plain_rt.sink.since(n, "read")
        assert [(e.category, e.get("api_id")) for e in ev] == [(cat, api_id)], text
    n = plain_rt.sink.mark()
    plain_rt.call("resolver.query.sms", UMENG, args=["content://media/external/images"])
    assert plain_rt.sink.since(n, "read") == []


def test_own_package_lookup_is_not_a_read(plain_rt):
    n = plain_rt.sink.mark()
    plain_rt.call("pm.getPackageInfo", APP, args=["com.example.recruit", 0])
    assert plain_rt.sink.since(n, "read") == []
    plain_rt.call("pm.getPackageInfo", APP, args=["com.tencent.mm", 0])
    assert len(plain_rt.sink.since(n, "read")) == 1


def test_first_party_read(plain_rt):
    n = plain_rt.sink.mark()
    plain_rt.call("clipboard.getPrimaryClip", APP)
    ev = plain_rt.sink.since(n, "read")[0]
    assert ev.actor == "first_party" and ev.category == "clipboard"


def test_security_exception_is_rethrown_and_recorded(plain_rt):
    n = plain_rt.sink.mark()
    with pytest.raises(JavaThrow) as ei:
        plain_rt.call("telephony.getImei", UMENG, throws="java.lang.SecurityException")
    assert ei.value.java_class == "java.lang.SecurityException"
    ev = plain_rt.sink.since(n, "read")[0]
    assert "SecurityException" in ev.get("threw") and "ret" not in ev.extra


def test_static_field_read_is_not_observable(plain_rt):
    n = plain_rt.sink.mark()
    assert plain_rt.call("build.SERIAL", UMENG) == plain_rt.device.values["device_id.serial"]
    assert plain_rt.sink.since(n) == []


# ---------------------------------------------------------------- canary mode
def test_canary_values_have_valid_formats(canary_rt, canaries):
    c = canary_rt.call
    imei = c("telephony.getDeviceId", UMENG)
    assert imei == canaries["device_id.imei"] and len(imei) == 15 and luhn_digit(imei[:-1]) == imei[-1]
    assert c("telephony.getImei", UMENG, overload=1) == imei
    aid = c("settings.secure.getString", UMENG)
    assert re.fullmatch(r"[0-9a-f]{16}", aid) and aid == canaries["device_id.android_id"]
    mac = c("networkinterface.getHardwareAddress", UMENG)
    assert isinstance(mac, bytes) and len(mac) == 6 and mac[0] & 0x02 and not mac[0] & 0x01
    assert ":".join(f"{b:02x}" for b in mac) == canaries["device_id.mac"]
    assert c("wifiinfo.getMacAddress", UMENG) == canaries["device_id.mac"]
    oaid = c("xiaomi.IdProvider.getOAID", UMENG)
    assert str(uuid.UUID(oaid)) == oaid == canaries["device_id.oaid"]
    assert c("telephony.getSubscriberId", UMENG) == canaries["device_id.imsi"]
    assert c("build.getSerial", UMENG) == canaries["device_id.serial"]
    assert c("build.SERIAL", UMENG) == canaries["device_id.serial"]   # planted in the field at load


def test_canary_shapes(canary_rt, canaries):
    clip = canary_rt.call("clipboard.getPrimaryClip", APP)
    assert isinstance(clip, SimObject) and clip.cls == "android.content.ClipData"
    assert clip.fields["items"][0].fields["text"] == canaries["clipboard"]
    assert canary_rt.call("clipboard.getText", APP) == canaries["clipboard"]
    loc = canary_rt.call("location.getLastKnownLocation", UMENG)
    lat, lon = (float(x) for x in canaries["location"].split(","))
    assert loc.cls == "android.location.Location"
    assert (loc.fields["latitude"], loc.fields["longitude"]) == (lat, lon)
    pkgs = canary_rt.call("pm.getInstalledPackages", UMENG)
    names = [p.fields["packageName"] for p in pkgs]
    assert names[:-1] == list(canary_rt.device.installed) and names[-1] == canaries["installed_apps"]
    assert pkgs[-1].cls == "android.content.pm.PackageInfo"
    apps = canary_rt.call("pm.getInstalledApplications", UMENG)
    assert apps[-1].cls == "android.content.pm.ApplicationInfo"
    # no canary for this API: the real value comes back
    assert canary_rt.call("telephony.getSimOperator", UMENG) == "46000"


def test_canary_event_records_planted_value(canary_rt, canaries):
    n = canary_rt.sink.mark()
    canary_rt.call("telephony.getLine1Number", UMENG)
    ev = canary_rt.sink.since(n, "read")[0]
    assert ev.get("canary") is True and ev.get("ret") == {"t": "canary", "value": canaries["device_id.phone_number"]}
    assert canary_rt.device.values["device_id.phone_number"] not in ev.to_json()


# ---------------------------------------------------------------- permissions and markers
@pytest.mark.parametrize("api_id", ["perm.activity.requestPermissions", "perm.activitycompat.requestPermissions",
                                    "perm.supportcompat.requestPermissions", "perm.fragment.requestPermissions",
                                    "perm.resultlauncher.launch"])
def test_permission_requests(plain_rt, api_id):
    n = plain_rt.sink.mark()
    perms = ["android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"]
    plain_rt.request_permissions(perms, APP, api_id=api_id, request_code=7)
    ev = plain_rt.sink.since(n, "permission_request")
    assert len(ev) == 1
    assert ev[0].get("permissions") == perms and ev[0].get("api_id") == api_id
    assert ev[0].actor == "first_party"
    if api_id != "perm.resultlauncher.launch":
        assert ev[0].get("request_code") == 7


def test_result_launcher_ignores_non_permission_input(plain_rt):
    n = plain_rt.sink.mark()
    plain_rt._invoke({"cls": "androidx.activity.result.ActivityResultLauncher", "member": "launch",
                      "types": ["java.lang.Object"], "self": {"$obj": "androidx.activity.result.ActivityResultLauncher"},
                      "args": [{"$obj": "android.content.Intent"}], "ret": None, "stack": APP, "thread": "main"}, True)
    assert plain_rt.sink.since(n) == []


def test_permission_results(plain_rt):
    n = plain_rt.sink.mark()
    plain_rt.permission_result({"android.permission.CAMERA": "granted", "android.permission.READ_PHONE_STATE": False},
                               request_code=3)
    ev = plain_rt.sink.since(n, "permission_result")
    assert len(ev) == 1
    assert ev[0].get("results") == {"android.permission.CAMERA": "granted",
                                    "android.permission.READ_PHONE_STATE": "denied"}
    assert ev[0].get("request_code") == 3


def test_consent_markers():
    sink = Sink()
    method_marker, prefs_marker = MANIFEST.consent.markers
    with SimRuntime(MANIFEST, None, sink) as rt:
        dialog = ["com.example.recruit.privacy.PrivacyDialog.onAgree(PrivacyDialog.java:40)"]
        rt.marker(prefs_marker, False, dialog)          # a decline written before any grant
        rt.marker(method_marker, True, dialog)
        rt.marker(prefs_marker, True, dialog)
        rt.marker(method_marker, False, dialog)
        rt.marker(prefs_marker, None, dialog)           # key removed
        rt.marker_prefs("privacy", "unrelated_key", True)
        rt.marker_prefs("other_file", "privacy_agreed", True)
    ev = sink.kinds("consent_marker")
    got = [(e.get("marker"), e.get("transition"), e.get("value")) for e in ev]
    assert got == [
        ("prefs:privacy/privacy_agreed", "declined", False),
        ("method:com.example.recruit.privacy.ConsentStore.setAgreed", "granted", True),
        ("prefs:privacy/privacy_agreed", "granted", True),
        ("method:com.example.recruit.privacy.ConsentStore.setAgreed", "withdrawn", False),
        ("prefs:privacy/privacy_agreed", "withdrawn", None),
    ]
    assert all(e.get("scope") == "policy" for e in ev)
    assert ev[1].actor == "first_party" and ev[1].get("caller") == dialog[0]


# ---------------------------------------------------------------- batching, seq, drops, death
def _hook_seqs_contiguous(events):
    assert [e.seq for e in events] == list(range(len(events)))


def test_batching_keeps_seq_continuity():
    from sdkgate.dynamic.host import AgentOptions
    sink = Sink()
    rt = SimRuntime(MANIFEST, None, sink, options=AgentOptions(batch_max=64, flush_ms=50))
    with rt:
        res = rt.call_many("telephony.getDeviceId", UMENG, 1000)
        assert (res["calls"], res["hooked"]) == (1000, 1000)
        rt.flush()
    stats = rt.stop()
    reads = sink.kinds("read")
    assert len(reads) == 1000 and stats["events"] == 1000
    assert stats["batches"] < 100 and stats["gaps"] == 0 and stats["dropped"] == 0
    assert stats["incomplete"] == [] and sink.kinds("incomplete") == []
    _hook_seqs_contiguous(sink.events)
    assert all(a.t_ms <= b.t_ms for a, b in zip(reads, reads[1:]))


def test_forced_drop_makes_run_incomplete():
    from sdkgate.dynamic.host import AgentOptions
    sink = Sink()
    rt = SimRuntime(MANIFEST, None, sink, options=AgentOptions(batch_max=200, flush_ms=30, queue_max=5))
    with rt:
        rt.call_many("telephony.getDeviceId", UMENG, 50)
        rt.flush()
    stats = rt.stop()
    assert stats["dropped"] == 45 and stats["events"] == 5
    inc = sink.kinds("incomplete")
    assert len(inc) == 1 and "dropped 45" in inc[0].get("reason")
    st = [e for e in sink.kinds("agent_status") if e.get("status") == "dropped"]
    assert st and st[0].get("dropped") == 45
    _hook_seqs_contiguous(sink.events)


def test_expected_kill_flushes_and_is_not_incomplete():
    sink = Sink()
    rt = SimRuntime(MANIFEST, None, sink)
    rt.start()
    rt.call("telephony.getDeviceId", UMENG, sync=False)      # queued in the agent
    rt.kill()                                                # a scenario step: flush, then end the process
    assert not rt.alive()
    assert [e.get("api_id") for e in sink.kinds("read")] == ["telephony.getDeviceId"]
    assert sink.kinds("incomplete") == []
    assert rt.stop()["incomplete"] == []


@pytest.mark.parametrize("how", ["kill", "crash"])
def test_process_death_mid_run_is_incomplete_and_keeps_events(how):
    sink = Sink()
    rt = SimRuntime(MANIFEST, None, sink)
    rt.start()
    try:
        rt.call("telephony.getDeviceId", UMENG)
        rt.call("wifiinfo.getSSID", UMENG)
        rt.call("clipboard.getPrimaryClip", APP, sync=False)   # still queued in the agent when it dies
        rt.kill(expected=False) if how == "kill" else rt.crash("test")
        assert not rt.alive()
        inc = sink.kinds("incomplete")
        assert len(inc) == 1 and "died" in inc[0].get("reason")
        assert [e.get("api_id") for e in sink.kinds("read")][:2] == ["telephony.getDeviceId", "wifiinfo.getSSID"]
        with pytest.raises(Exception):
            rt.call("telephony.getDeviceId", UMENG)
    finally:
        stats = rt.stop()
    assert stats["detached"] and stats["incomplete"]
    _hook_seqs_contiguous(sink.events)


def test_clock_maps_to_run_clock_including_virtual_jumps():
    sink = Sink()
    now = {"skew": 0.0}
    t0 = time.monotonic()
    clock = lambda: (time.monotonic() - t0) * 1000.0 + now["skew"]   # noqa: E731
    with SimRuntime(MANIFEST, None, sink, clock=clock) as rt:
        a0 = clock()
        rt.call("telephony.getDeviceId", UMENG)
        a1 = clock()
        now["skew"] = 3_600_000.0                        # the run clock jumps one hour (virtual time)
        b0 = clock()
        rt.call("telephony.getDeviceId", UMENG)
        b1 = clock()
        # how far the clock syncs can be off: half their measured RPC round trips (no fixed tolerance, so a
        # loaded machine widens the bound exactly as much as it blurs the sync); at least 2 syncs: the jump
        err = max(rt.host.sync_error_ms)
        assert len(rt.host.sync_error_ms) >= 2
    r1, r2 = sink.kinds("read")
    assert a0 - err - 0.001 <= r1.t_ms <= a1 + err + 0.001        # 0.001: t_ms is rounded to the microsecond
    assert b0 - err - 0.001 <= r2.t_ms <= b1 + err + 0.001
    assert r2.t_ms - r1.t_ms >= 3_600_000 - 2 * err - 0.002      # the jump is in the events' times


# ---------------------------------------------------------------- build and load failures
def test_broken_agent_fails_to_compile_with_a_clear_error(tmp_path):
    from sdkgate.dynamic.build import HOOKS, AgentBuildError, compile_agent
    from sdkgate.errors import InputError
    if not (HOOKS / "node_modules" / "frida-java-bridge").is_dir():
        pytest.skip("hooks/node_modules missing (npm ci --prefix hooks)")
    src = tmp_path / "src"
    src.mkdir()
    for f in (HOOKS / "src").glob("*.ts"):
        (src / f.name).write_text(f.read_text())
    (src / "queue.ts").write_text((src / "queue.ts").read_text().replace("this.batches++;", "this.batches += 'x';"))
    with pytest.raises(AgentBuildError) as ei:
        compile_agent("sim", src_dir=src)
    assert isinstance(ei.value, InputError)
    msg = ei.value.render()
    assert "hooks/src/queue.ts" in msg and "compilation failed" in msg


def test_agent_that_fails_to_load_is_a_clear_error():
    import frida

    from sdkgate.dynamic.host import AgentHost, AgentLoadError
    dev = frida.get_local_device()
    pid = dev.spawn(["/bin/sleep", "30"])
    try:
        session = dev.attach(pid)
        host = AgentHost(session, "this is not javascript (", manifest=MANIFEST, on_event=lambda e: None)
        with pytest.raises(AgentLoadError) as ei:
            host.load()
        assert "agent failed to load" in ei.value.render()
    finally:
        dev.kill(pid)


def test_unhookable_rows_are_never_seen(plain_rt):
    """`hook_class: null` rows (an interface whose implementation has no stable name): no event, as on ART."""
    unhookable = [a for a in apis() if a.kind == "method" and not a.hookable]
    assert {a.id for a in unhookable} >= {"fused.getLastLocation", "msa.IdSupplier.getOAID"}
    for a in unhookable:
        n = plain_rt.sink.mark()
        plain_rt.call(a.id, UMENG)
        assert plain_rt.sink.since(n, "read") == [], a.id


def test_own_process_lookup_is_not_an_installed_app_read(plain_rt):
    """getRunningAppProcesses returning only the app's own processes (what Android 5.1+ gives an ordinary app)
    is the app finding its own process: no read (issue 20). Another app's process in the result is a read."""
    from sdkgate.dynamic.simruntime import obj
    info = "android.app.ActivityManager$RunningAppProcessInfo"
    pkg = MANIFEST.package
    n = plain_rt.sink.mark()
    own = {"$list": [obj(info, {"processName": pkg, "pid": 4242}), obj(info, {"processName": f"{pkg}:push"})]}
    plain_rt.call("am.getRunningAppProcesses", UMENG, ret=own)
    assert plain_rt.sink.since(n, "read") == []
    # still observed (calibration counts the hook as fired), as a kind no rule judges
    assert [e.get("api_id") for e in plain_rt.sink.since(n, "self_read")] == ["am.getRunningAppProcesses"]
    mixed = {"$list": [obj(info, {"processName": pkg}), obj(info, {"processName": "com.tencent.mm"})]}
    plain_rt.call("am.getRunningAppProcesses", UMENG, ret=mixed)
    ev = plain_rt.sink.since(n, "read")
    assert [e.get("api_id") for e in ev] == ["am.getRunningAppProcesses"] and ev[0].category == "installed_apps"
