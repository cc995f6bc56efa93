"""The calibration probe: generated from the sensitive-API table (one source of truth), checked in with its
sources, rebuilt to the same dex bytes, and a self-check of table, probe and static scanner: the scanner finds
the call site of every row the probe calls."""
from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest
from loguru import logger

from sdkgate.apitable import apis
from sdkgate.calibration import plan as plan_mod
from sdkgate.calibration.flow import probe_file
from sdkgate.calibration.plan import PlanError, build_plan

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("sdkgate_tools_build_probe", ROOT / "tools" / "build_probe.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_regenerating_from_the_table_gives_the_checked_in_sources():
    stale = _tool().stale()
    assert not stale, f"generated probe files out of date: {stale[:5]} (run `python tools/build_probe.py`)"


def test_every_java_row_and_reachable_target_is_called():
    plan = build_plan()
    called = {c.row for c in plan.calls} | {c.target for c in plan.calls if c.target}
    for a in apis():
        if a.kind in ("method", "field", "permission_request"):
            assert a.id in called, a.id
            overloads = {c.overload for c in plan.calls if c.row == a.id and c.process == "main" and "@" not in c.id}
            assert overloads == set(range(len(a.descriptors))), a.id       # every overload, from its own method
        elif a.kind in ("path", "property", "command", "provider", "service", "setting"):
            assert a.id in called, a.id
    assert {c.process for c in plan.calls} == {"main", "probe"}
    assert {c.route for c in plan.calls} >= {"direct", "reflection", "loaded:dex", "loaded:inmemory"}
    not_probed = {r["id"] for r in plan.rows if not r["probed"]}
    assert not_probed == {a.id for a in apis() if a.kind in ("native", "ioctl")}


def test_the_scanner_finds_every_probed_row_in_the_apk():
    logger.remove()
    from sdkgate.static.scanner import scan_apk
    events = scan_apk(probe_file("sdkgate-probe.apk")).events
    sites = [e for e in events if e.kind == "call_site"]
    found = {e.get("api_id") for e in sites} | {e.get("target") for e in sites if e.get("target")}
    probed = {r["id"] for r in build_plan().rows if r["probed"]}
    assert probed - found == set()
    assert not [e for e in events if e.kind == "incomplete"]
    bind = [e for e in sites if e.get("api_id") == "context.bindService.oaid"]   # new Intent(action) is followed
    assert {e.get("target") for e in bind} >= {"service.oaid.huawei", "service.gaid.google"}


def test_the_apk_holds_the_probe_process_payloads_and_consent_controls():
    logger.remove()
    from androguard.core.apk import APK
    apk = APK(str(probe_file("sdkgate-probe.apk")))
    assert apk.get_package() == plan_mod.PACKAGE
    assert apk.get_attribute_value("service", "process") == ":probe"
    with zipfile.ZipFile(probe_file("sdkgate-probe.apk")) as z:
        for name in ("probe-dex.dex", "probe-inmemory.dex"):
            assert z.read(f"assets/{name}") == probe_file(name).read_bytes()
        assert b"btn_self_click" in z.read("resources.arsc") and b"btn_agree" in z.read("resources.arsc")


def test_a_row_the_probe_cannot_call_is_named(monkeypatch):
    from sdkgate.apitable import SensitiveApi
    odd = SensitiveApi(id="odd.read", cls="android.os.Vibrator", member="getId", kind="method",
                       descriptors=("()I",), category="sensors")
    monkeypatch.setattr(plan_mod, "apis", lambda: apis() + (odd,))
    with pytest.raises(PlanError, match=r"odd\.read: the probe does not know how to get an instance of android\.os\.Vibrator"):
        build_plan()


def test_the_probe_rebuilds_to_the_same_bytes(tmp_path):
    tool = _tool()
    missing = tool.bf.missing_tools()
    if missing:
        pytest.skip(f"Debian Android tools not installed: {', '.join(missing)}")
    apk = tool.build(tmp_path, sign=False)     # everything but the signature is compared
    with zipfile.ZipFile(apk) as new, zipfile.ZipFile(probe_file("sdkgate-probe.apk")) as old:
        a = {n: new.read(n) for n in new.namelist() if not n.startswith("META-INF/")}
        b = {n: old.read(n) for n in old.namelist() if not n.startswith("META-INF/")}
    assert sorted(a) == sorted(b)
    assert [n for n in a if a[n] != b[n]] == [], "rebuilt probe differs (run `python tools/build_probe.py`)"


def test_an_app_model_call_names_a_real_overload(tmp_path):
    from sdkgate.dynamic.appmodel import load_app_model
    from sdkgate.errors import InputError
    m = tmp_path / "m.yaml"
    m.write_text("app: {package: com.sdkgate.probe}\nbehaviour:\n  launch:\n"
                 "    - {read: telephony.getDeviceId, overload: 2}\n", "utf-8")
    with pytest.raises(InputError, match=r"line 4: overload is an index of telephony.getDeviceId's descriptors \(0..1\)"):
        load_app_model(m)
    m.write_text("app: {package: com.sdkgate.probe}\nbehaviour:\n  launch:\n"
                 "    - {request_permission: [CAMERA], api: telephony.getImei}\n", "utf-8")
    with pytest.raises(InputError, match="is not a permission_request row"):
        load_app_model(m)


def test_rows_newer_than_the_shipped_probe_are_not_fired():
    import json
    from sdkgate.calibration.flow import _stale_rows
    plan = json.loads(probe_file("plan.json").read_text("utf-8"))
    plan["rows"] = [r for r in plan["rows"] if r["id"] != "telephony.getImei"]
    stale = _stale_rows(plan)
    assert [(r["id"], r["status"]) for r in stale] == [("telephony.getImei", "not fired")]
    assert "rebuild it" in stale[0]["detail"]
