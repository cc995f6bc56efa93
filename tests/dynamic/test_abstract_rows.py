"""Issue 9.7: the table separates what the app calls from where the agent hooks, and the stand-in
runtime refuses a hook on an abstract/interface method exactly where ART would never run it."""
from __future__ import annotations

import pytest

from sdkgate.apitable import apis, by_id

FRAMEWORK = ("android.", "java.", "javax.")


def test_every_abstract_row_hooks_a_concrete_class_or_says_it_cannot():
    rows = [a for a in apis() if a.abstract]
    assert {"pm.getInstalledPackages", "pm.getInstalledApplications", "pm.queryIntentActivities",
            "pm.getPackagesForUid", "pm.getPackageInfo", "fused.getLastLocation"} <= {a.id for a in rows}
    for a in rows:
        if a.hookable:
            assert a.hook_class and a.hook_class != a.cls, a.id
        else:
            assert a.notes, f"{a.id}: an unhookable row must say why"
        if a.cls.startswith(FRAMEWORK):   # every framework row has a concrete framework class to hook
            assert a.hookable and a.hook_class.startswith(FRAMEWORK), a.id


def test_pm_rows_hook_application_package_manager_with_every_overload_to_api_35():
    for rid in ("pm.getInstalledPackages", "pm.getInstalledApplications", "pm.queryIntentActivities",
                "pm.getPackagesForUid", "pm.getPackageInfo"):
        assert by_id()[rid].hook_cls == "android.app.ApplicationPackageManager"
    flags = {"pm.getInstalledPackages": "PackageInfoFlags", "pm.getInstalledApplications": "ApplicationInfoFlags",
             "pm.queryIntentActivities": "ResolveInfoFlags", "pm.getPackageInfo": "PackageInfoFlags"}
    for rid, flag in flags.items():
        assert any(f"PackageManager${flag};" in d for d in by_id()[rid].descriptors), rid   # API 33+
    assert any("VersionedPackage" in d for d in by_id()["pm.getPackageInfo"].descriptors)  # API 26+


@pytest.fixture(scope="module")
def rt():
    from sdkgate.dynamic.simruntime import SimRuntime
    r = SimRuntime(None, {}, on_event=lambda e: None)
    r.start()
    yield r
    r.stop()


def test_stand_in_refuses_the_abstract_class_and_accepts_the_concrete_one(rt):
    refuses = rt.host.script.exports_sync.sim_refuses
    for a in apis():
        if a.abstract:
            msg = refuses(a.cls, a.member)
            assert msg and "abstract or interface" in msg, a.id
            if a.hookable:
                assert refuses(a.hook_cls, a.member) is None, a.id
    # the real agent, built from the table, hooked the concrete classes: nothing was refused
    hooks = set(rt.hooks())
    assert any(h.startswith("android.app.ApplicationPackageManager|getInstalledPackages|") for h in hooks)
    assert not any(h.startswith("android.content.pm.PackageManager|") for h in hooks)


def test_hooking_the_abstract_method_the_way_the_agent_does_raises_the_error(rt):
    try_hook = rt.host.script.exports_sync.sim_try_hook
    err = try_hook("android.content.pm.PackageManager", "getInstalledPackages", ["int"])
    assert err and "cannot hook an abstract or interface method" in err
    err = try_hook("com.google.android.gms.location.FusedLocationProviderClient", "getLastLocation", [])
    assert err and "abstract or interface" in err
    assert try_hook("android.text.ClipboardManager", "getText", []) is not None
    assert try_hook("android.content.ClipboardManager", "getText", []) is None
    assert try_hook("android.app.ApplicationPackageManager", "getPackagesForUid", ["int"]) is None
