"""Java arrays are read in bulk (issue 28 §1). The stand-in charges what the real frida-java-bridge costs on a
phone: each `arr[i]` is a JNI Get<Type>ArrayElements copy of the whole array (hooks/sim-bridge/arrays.js), so an
agent reading a 1 MB MessageDigest input or a 3 MB in-memory DEX element by element is refused there (the app
would freeze: ANR), and the bulk read (one GetByteArrayRegion / GetDirectBufferAddress) costs about a
millisecond of device time."""
from __future__ import annotations

import hashlib

import pytest

from sdkgate.dynamic.simruntime import SimRuntime

IMEI = "865166024312348"
STACK = ["com.umeng.commonsdk.statistics.idtracking.ImeiTracker.f(ImeiTracker.java:40)",
         "com.example.recruit.App.onCreate(App.java:20)"]
MD = "java.security.MessageDigest"


def _payload(n: int) -> bytes:
    head = b"x" * 100 + f'{{"imei":"{IMEI}"}}'.encode()
    return head + bytes((i * 7) & 0xff for i in range(n - len(head)))


@pytest.fixture(scope="module")
def rt():
    evs: list = []
    r = SimRuntime(None, {"device_id.imei": IMEI}, evs.append)
    r.start()
    r.evs = evs
    yield r
    r.stop()


def _errors(evs):
    return [e for e in evs if e.kind == "agent_status" and e.get("status") == "error"]


def test_a_1mb_digest_input_is_read_in_one_copy(rt):
    data = _payload(1 << 20)
    n0 = len(rt.evs)
    out = rt.java_run([
        {"cls": MD, "member": "getInstance", "types": ["java.lang.String"], "args": ["MD5"]},
        {"cls": MD, "member": "update", "types": ["[B"], "self": {"$ref": 0}, "args": [{"$bytes": data.hex()}]},
        {"cls": MD, "member": "digest", "types": [], "self": {"$ref": 0}, "args": []},
    ], STACK)
    evs = rt.evs[n0:]
    assert not _errors(evs), [e.get("detail") for e in _errors(evs)]
    assert bytes(b & 0xff for b in out[2]) == hashlib.md5(data).digest()
    der = [e for e in evs if e.kind == "derived"]
    assert [e.get("chain") for e in der] == ["md5(imei)"] and der[0].get("categories") == ["device_id.imei"]
    # what the hook cost the app's thread, in modelled device time: one region copy, not 2^20 array copies
    res = rt.host.script.exports_sync.sim_invoke({
        "cls": MD, "member": "update", "types": ["[B"], "stack": STACK,
        "self": {"$obj": MD, "fields": {"algorithm": "MD5"}}, "args": [{"$array": "byte", "hex": data.hex()}]})
    assert res["hooked"] and res["cost_us"] < 5_000, res


@pytest.mark.parametrize("shape", [{}, {"direct": True}, {"readonly": True}])
def test_a_3mb_in_memory_dex_is_sent_whole_whatever_the_buffer(rt, shape):
    data = _payload(3 << 20)
    n0 = len(rt.evs)
    res = rt.host.script.exports_sync.sim_invoke({
        "cls": "dalvik.system.InMemoryDexClassLoader", "member": "$init", "types": ["java.nio.ByteBuffer", "java.lang.ClassLoader"],
        "self": {"$obj": "dalvik.system.InMemoryDexClassLoader"}, "stack": STACK,
        "args": [{"$bytebuffer": data.hex(), **shape}, {"$obj": "dalvik.system.PathClassLoader"}]})
    rt.flush()
    assert res["hooked"] and res["cost_us"] < 20_000, res
    ev = next(e for e in rt.evs[n0:] if e.kind == "code_loaded")
    assert ev.get("in_memory") and ev.get("size") == len(data) and ev.get("sha256") == hashlib.sha256(data).hexdigest()
    assert not _errors(rt.evs[n0:])
