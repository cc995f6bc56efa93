"""Code loaded at run time on the simulated device: an SDK hands a real DEX (built from smali,
tests/fixtures/dex-src) to DexClassLoader / InMemoryDexClassLoader; the agent's real loader hooks
read the bytes in the instrumented process, the host keeps them under loaded/, scans them with the
static engine and attributes the plugin's frames to the SDK that loaded it."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest

from sdkgate.bundle import write_bundle
from sdkgate.dynamic.appmodel import load_app_model
from sdkgate.dynamic.simulator import SimulatedDevice
from sdkgate.events import read_events
from sdkgate.manifest import load_manifest
from sdkgate.scenario.model import load_scenario
from sdkgate.scenario.runner import RunOptions, run_scenario

from .conftest import MANIFEST, REPO, SharedProxy

PLUGIN = REPO / "tests" / "fixtures" / "dex" / "adplugin.dex"
HMS_PLUGIN = REPO / "tests" / "fixtures" / "dex" / "hmsplugin.dex"
MODEL = """schema: sdkgate.appmodel/1
app: {package: com.example.recruit}
sdks:
  umeng_common:
    entry: com.umeng.commonsdk.UMConfigure.init
    classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]
behaviour:
  launch:
    - {by: umeng_common, load_code: {file: %PLUGIN%, loader: %LOADER%}}
    - {by: umeng_common, read: telephony.getDeviceId, frames_from_loaded: true, thread: plugin-worker}
  consent_granted:
    - write_marker: true
    - {by: umeng_common, read: settings.secure.getString, args: [null, android_id], frames_from_loaded: true,
       thread: plugin-worker}
"""
SCENARIO = f"""name: plugin
manifest: {MANIFEST}
steps:
  - fresh_install
  - launch
  - consent: accept
"""


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    p = SharedProxy(tmp_path_factory.mktemp("proxy"), MANIFEST)
    yield p
    p.stop()


def _run(tmp_path, proxy, loader="dex"):
    model = tmp_path / "model.yaml"
    model.write_text(MODEL.replace("%PLUGIN%", str(PLUGIN)).replace("%LOADER%", loader), "utf-8")
    sc_path = tmp_path / "sc.yaml"
    sc_path.write_text(SCENARIO, "utf-8")
    m = load_manifest(MANIFEST)
    res = run_scenario(load_scenario(sc_path), m, SimulatedDevice(load_app_model(model, m)), tmp_path / "out",
                       RunOptions(app_model=model, canaries=proxy.canaries, proxy_factory=proxy.factory))
    return res, list(read_events(res.out_dir / "events.jsonl"))


@pytest.mark.parametrize("loader", ["dex", "inmemory"])
def test_plugin_dex_is_recorded_kept_scanned_and_attributed(tmp_path, proxy, loader):
    res, evs = _run(tmp_path, proxy, loader)
    sha = hashlib.sha256(PLUGIN.read_bytes()).hexdigest()
    loads = [e for e in evs if e.kind == "code_loaded"]
    assert len(loads) == 1
    ld = loads[0]
    assert ld.actor == "umeng_common" and ld.get("sha256") == sha and ld.get("size") == PLUGIN.stat().st_size
    assert ld.get("process") == "com.example.recruit" and isinstance(ld.get("pid"), int)
    assert ld.get("in_memory") is (loader == "inmemory")
    assert ld.get("path") == (str(PLUGIN) if loader == "dex" else None)
    assert ld.get("consent") == {"policy": "none"} or "granted" not in json.dumps(ld.get("consent"))
    assert any("umeng" in f for f in ld.stack)                     # the loader's stack
    # the bytes are in the evidence folder and in bundle.json
    kept = res.out_dir / f"loaded/{sha}.dex"
    assert kept.read_bytes() == PLUGIN.read_bytes() and ld.get("file") == f"loaded/{sha}.dex"
    write_bundle(res.out_dir)
    assert f"loaded/{sha}.dex" in json.loads((res.out_dir / "bundle.json").read_text())["files"]
    # its static call sites join the report, as the loader's
    loaded_sites = [c for c in res.report.call_sites if c.origin == "runtime_loaded"]
    assert {(c.caller.split("->")[0], c.actor) for c in loaded_sites} == {
        ("Lcom/adplugin/core/a;", "umeng_common"), ("Lcom/adplugin/core/b;", "umeng_common")}
    static = [e for e in evs if e.source == "static" and e.get("origin") == "runtime_loaded"]
    assert {e.kind for e in static} >= {"call_site", "sdk_present"} and all(e.get("loaded_by") == "umeng_common" for e in static)
    # the plugin's reads (frames only of plugin classes) are the loader's: before consent SG101
    reads = [e for e in evs if e.kind == "read"]
    assert all(e.actor == "umeng_common" for e in reads) and len(reads) == 2
    assert reads[0].stack[1].startswith("com.adplugin.core.")
    sg101 = [f for f in res.report.findings if f.rule == "SG101"]
    assert [(f.actor, f.category) for f in sg101] == [("umeng_common", "device_id.imei")]
    # the load is on the HTML timeline, before consent, in the loader's lane
    from sdkgate.formats.html import render_bundle
    html = render_bundle(res.out_dir)
    assert 'class="mark code_loaded pre" data-actor="umeng_common"' in html


def test_an_unreadable_load_makes_the_run_incomplete(tmp_path, proxy):
    """A loader pointing at bytes the agent cannot read: evidence is missing, the run cannot pass."""
    from sdkgate.dynamic.host import AgentHost
    from sdkgate.dynamic.loaded import finish_code_loaded
    from sdkgate.events import Event
    from sdkgate.dynamic.loaded import LoadedStore

    host = AgentHost.__new__(AgentHost)
    host.loaded_blobs, host.loaded_store, host.manifest = {}, LoadedStore(tmp_path, max_file=100, max_run=150), None
    ev = Event(seq=0, t_ms=5.0, source="hook", kind="code_loaded", actor="umeng_common",
               extra={"path": "/data/x.dex", "read_error": "permission denied", "blob": 1})
    out = finish_code_loaded(host, ev)
    assert [e.kind for e in out] == ["incomplete"] and "/data/x.dex" in out[0].get("reason")
    # over the per-run bound: not kept, the file is named
    from sdkgate.dynamic.attribution import Attributor
    from sdkgate.catalogue import default_catalogue
    host.attributor = Attributor(default_catalogue())
    data = PLUGIN.read_bytes()
    host.loaded_store.max_file = host.loaded_store.max_run = 10 ** 6
    host.loaded_store.used = 10 ** 6 - 10
    host.loaded_blobs[2] = {"data": data, "path": "/sdcard/p.dex", "size": len(data)}
    ev2 = Event(seq=1, t_ms=6.0, source="hook", kind="code_loaded", actor="umeng_common",
                extra={"path": "/sdcard/p.dex", "blob": 2})
    out2 = finish_code_loaded(host, ev2)
    assert [e.kind for e in out2] == ["incomplete"] and "/sdcard/p.dex" in out2[0].get("reason")
    assert "per-run bound" in out2[0].get("reason") and not (tmp_path / "loaded").exists()


@pytest.mark.skipif(shutil.which("smali") is None, reason="smali not installed")
def test_committed_plugin_dex_is_built_from_its_smali(tmp_path):
    out = tmp_path / "p.dex"
    subprocess.run(["smali", "assemble", "--api", "21", "-o", str(out),
                    str(REPO / "tests/fixtures/dex-src/adplugin")], check=True, capture_output=True)
    assert out.read_bytes() == PLUGIN.read_bytes()
    out2 = tmp_path / "h.dex"
    subprocess.run(["smali", "assemble", "--api", "21", "-o", str(out2),
                    str(REPO / "tests/fixtures/dex-src/hmsplugin")], check=True, capture_output=True)
    assert out2.read_bytes() == HMS_PLUGIN.read_bytes()


def test_a_loaded_jar_is_kept_as_jar_and_scanned(tmp_path):
    """Plugins often come as a JAR/APK with classes.dex inside: kept with its kind, its DEX scanned."""
    import io
    import zipfile

    from sdkgate.dynamic.loaded import LoadedStore, kind_of, scan_loaded
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("classes.dex", PLUGIN.read_bytes())
    data = buf.getvalue()
    assert kind_of(data) == "jar"
    sha, rel, problem = LoadedStore(tmp_path).keep(data, "/sdcard/plugin.jar")
    assert problem is None and rel == f"loaded/{sha}.jar" and (tmp_path / rel).read_bytes() == data
    scan = scan_loaded(data, "/sdcard/plugin.jar", load_manifest(MANIFEST), "jpush", sha)
    assert sorted(scan.classes) == ["com.adplugin.core.a", "com.adplugin.core.b"] and not scan.problems
    sites = [e for e in scan.events if e.kind == "call_site"]
    assert {e.get("api_id") for e in sites} == {"telephony.getDeviceId", "settings.secure.getString"}
    assert all(e.actor == "jpush" and e.get("origin") == "runtime_loaded" for e in sites)
    bad = scan_loaded(b"not code", "/sdcard/x.bin", None, "jpush", "00")
    assert bad.problems and "/sdcard/x.bin" in bad.problems[0]


def test_load_code_bad_input_names_file_and_line(tmp_path):
    from sdkgate.errors import InputError
    m = load_manifest(MANIFEST)
    model = tmp_path / "model.yaml"
    for text, problem in (
            (MODEL.replace("%PLUGIN%", "missing.dex").replace("%LOADER%", "dex"), "missing.dex not found"),
            (MODEL.replace("%PLUGIN%", str(PLUGIN)).replace("%LOADER%", "magic"), "loader must be one of"),
            (MODEL.replace("%PLUGIN%", str(MANIFEST)).replace("%LOADER%", "dex"), "not a DEX/JAR/APK")):
        model.write_text(text, "utf-8")
        with pytest.raises(InputError) as ei:
            load_app_model(model, m)
        msg = ei.value.render()
        assert problem in msg and ("line 9" in msg or str(MANIFEST) in msg)


HMS_MODEL = """schema: sdkgate.appmodel/1
app: {package: com.example.recruit}
sdks:
  umeng_common:
    entry: com.umeng.commonsdk.UMConfigure.init
    classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]
behaviour:
  launch:
    - {by: umeng_common, load_code: {file: %PLUGIN%, loader: dex}}
    - {by: umeng_common, read: hms.adid.getAdvertisingIdInfo, frames_from_loaded: true}
"""


def test_a_row_whose_class_is_only_in_a_later_loader_is_hooked_there(tmp_path, proxy):
    """The HMS identifier client ships in a plugin: the app's class loader never has it (the stand-in shows it only
    through the plugin loader's ClassFactory); the agent retries its rows on every new class loader and says where
    it hooked them."""
    model = tmp_path / "model.yaml"
    model.write_text(HMS_MODEL.replace("%PLUGIN%", str(HMS_PLUGIN)), "utf-8")
    sc_path = tmp_path / "sc.yaml"
    sc_path.write_text(SCENARIO.replace("  - consent: accept\n", ""), "utf-8")
    m = load_manifest(MANIFEST)
    res = run_scenario(load_scenario(sc_path), m, SimulatedDevice(load_app_model(model, m)), tmp_path / "out",
                       RunOptions(app_model=model, canaries=proxy.canaries, proxy_factory=proxy.factory))
    evs = list(read_events(res.out_dir / "events.jsonl"))
    loaded = [e for e in evs if e.kind == "agent_status" and e.get("status") == "loaded"]
    start = next(e for e in loaded if e.get("app_hooks"))                       # the configure report
    assert "hms.adid.getAdvertisingIdInfo" in start.get("pending")              # not in the app's loader at start
    assert start.get("hooked_in")["telephony.getDeviceId"] == "boot"
    late = [e for e in loaded if "hms.adid.getAdvertisingIdInfo" in (e.get("hooked_in") or {})]
    assert late and late[0].get("hooked_in")["hms.adid.getAdvertisingIdInfo"] == \
        f"dalvik.system.DexClassLoader {HMS_PLUGIN}"
    reads = [e for e in evs if e.kind == "read" and e.get("api_id") == "hms.adid.getAdvertisingIdInfo"]
    assert len(reads) == 1 and reads[0].category == "device_id.oaid"
