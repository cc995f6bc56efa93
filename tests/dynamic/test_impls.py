"""Issue 22 §2 on the real agent in real Frida: interface rows are hooked on their implementations, found
loaded at start, loaded later natively (the agent's rescans find them) or explicitly (ClassLoader.loadClass:
at once); the stand-in dispatches an interface call to the implementation as ART does, so a hook on the
interface never fires and a hook on the implementation does."""
from __future__ import annotations

import time

import pytest

from sdkgate.dynamic.simruntime import SimRuntime, obj

IFACE = "com.bun.miitmdid.interfaces.IdSupplier"
XIAOMI = "com.bun.miitmdid.supplier.xiaomi.XiaomiIdSupplier"
LATER = "com.bun.miitmdid.supplier.vivo.VivoIdSupplier"
STACK = ["com.umeng.commonsdk.statistics.idtracking.OaidTracking.a(SourceFile:41)",
         "com.umeng.commonsdk.UMConfigure.init(SourceFile:120)"]
IFACE_SPEC = {"super": "java.lang.Object", "modifiers": 0x601, "loaded": True, "methods": {"getOAID": [[]]}}


def impl(loaded=True):
    return {"super": "java.lang.Object", "interfaces": [IFACE], "modifiers": 0x1, "loaded": loaded,
            "methods": {"getOAID": [[]]}}


def wait_for(pred, timeout=20.0):
    """Wait on a condition (the agent rescans on its own timer); never a fixed sleep."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def rt():
    events: list = []
    r = SimRuntime(None, {}, on_event=events.append, classes={IFACE: IFACE_SPEC, XIAOMI: impl()})
    r.events = events
    r.start()
    yield r
    r.stop()


def reads(rt):
    rt.flush()
    return [e for e in rt.events if e.kind == "read" and e.get("api_id") == "msa.IdSupplier.getOAID"]


def test_an_implementation_loaded_before_the_agent_is_hooked_and_the_call_dispatches_there(rt):
    assert f"{XIAOMI}|getOAID|" in rt.hooks()
    assert not any(h.startswith(f"{IFACE}|") for h in rt.hooks())           # never on the interface
    rt.call("msa.IdSupplier.getOAID", STACK, this=obj(XIAOMI))
    (ev,) = reads(rt)
    assert ev.get("impl") == XIAOMI and ev.stack[0].startswith(f"{XIAOMI}.getOAID(")
    assert ev.actor == "umeng_common"                    # the implementation's frame is the API's, not the caller
    status = [e for e in rt.events if e.kind == "agent_status" and e.get("status") == "impl"]
    assert status and status[-1].get("hooked") == [XIAOMI] and status[-1].get("iface_loaded") is True


def test_an_implementation_loaded_later_without_loadclass_is_found_by_a_rescan(rt):
    rt.events.clear()
    rt.define_class(LATER, impl(loaded=True))           # ART resolved it natively: no Java call to see
    assert wait_for(lambda: f"{LATER}|getOAID|" in rt.hooks()), "the agent's rescan never hooked it"
    rt.call("msa.IdSupplier.getOAID", STACK, this=obj(LATER))
    assert [e.get("impl") for e in reads(rt)] == [LATER]


def test_the_stand_in_refuses_interface_hooks_and_dispatches_virtually(rt):
    try_hook = rt.host.script.exports_sync.sim_try_hook
    assert "abstract or interface" in try_hook(IFACE, "getOAID", [])
    assert try_hook("com.example.recruit.NotAnImplementation", "getOAID", []) is None
