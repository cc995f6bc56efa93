"""The agent's socket, crypto and unpinning hooks in a real process (SimRuntime: real Frida, real
libc calls through Interceptor, real libcrypto behind the simulated Java crypto classes)."""
from __future__ import annotations

import hashlib
import json

import pytest

from sdkgate.dynamic.host import AgentOptions
from sdkgate.dynamic.simnet import SimNetwork, nss_wrapper_available
from sdkgate.dynamic.simsend import digest_in_process, encrypt_in_process
from sdkgate.dynamic.simruntime import JavaThrow, SimRuntime
from tests.net.helpers import ANDROID_ID, IMEI, MAC

pytestmark = pytest.mark.skipif(not nss_wrapper_available(), reason="libnss-wrapper not installed")
CANARIES = {"device_id.imei": IMEI, "device_id.android_id": ANDROID_ID, "device_id.mac": MAC}
STACK = ["cn.jpush.android.service.PushService.connect(PushService.java:88)"]


@pytest.fixture
def net():
    n = SimNetwork(["push.jpush.cn"])
    yield n
    n.close()


def _rt(events, net, **opts):
    return SimRuntime(None, CANARIES, events.append, options=AgentOptions(**opts), env=net.env(),
                      app_classes={"okhttp3.CertificatePinner": {"check": [["java.lang.String", "java.util.List"]]}})


def test_connect_and_sendto_become_net_connect_with_the_resolved_name(net):
    evs: list = []
    net.sink("push.jpush.cn", 7000, "tcp")
    with _rt(evs, net) as rt:
        r = rt.net([{"op": "resolve", "host": "push.jpush.cn"}, {"op": "socket", "proto": "tcp"},
                    {"op": "connect", "fd": {"$ref": 1}, "ip": {"$ref": 0}, "port": 7000},
                    {"op": "close", "fd": {"$ref": 1}}], STACK)
        assert [x["errno"] for x in r] == [0, 0, 0, 0]
        rt.net([{"op": "socket", "proto": "udp"},
                {"op": "sendto", "fd": {"$ref": 0}, "hex": "00", "ip": "127.0.0.1", "port": 9},
                {"op": "sendto", "fd": {"$ref": 0}, "hex": "00", "ip": "127.0.0.1", "port": 9}], STACK)
    conns = [e for e in evs if e.kind == "net_connect"]
    tcp = next(e for e in conns if e.get("port") == 7000)
    assert (tcp.get("ip"), tcp.get("protocol"), tcp.get("host"), tcp.get("call"), tcp.actor) == \
        (net.ip("push.jpush.cn"), "tcp", "push.jpush.cn", "connect", "jpush")
    udp = [e for e in conns if e.get("port") == 9]
    assert len(udp) == 1 and udp[0].get("protocol") == "udp"      # one report per destination, not per datagram


def test_quic_refused_unless_allowed(net):
    for allow in (False, True):
        evs: list = []
        with _rt(evs, net, block_quic=not allow) as rt:
            r = rt.net([{"op": "socket", "proto": "udp"},
                        {"op": "sendto", "fd": {"$ref": 0}, "hex": "c0", "ip": "127.0.0.1", "port": 443}], STACK)
        q = [e for e in evs if e.kind == "net_connect" and e.get("port") == 443]
        assert q and (q[0].get("blocked") == "quic") is (not allow)
        assert (r[-1]["errno"] == 97) is (not allow)


def test_derived_events_name_the_chain_and_never_hold_the_plaintext(net):
    evs: list = []
    with _rt(evs, net) as rt:
        d = digest_in_process(rt, "md5", f"salt1{IMEI}{ANDROID_ID}{MAC}".encode(), STACK, "main")
        assert d == hashlib.md5(f"salt1{IMEI}{ANDROID_ID}{MAC}".encode()).digest()
        b64 = encrypt_in_process(rt, "aes-gcm", json.dumps({"did": d.hex()}).encode(), STACK, "main")
        assert len(b64) > 40
        plain = digest_in_process(rt, "sha256", b"nothing planted here", STACK, "main")
        assert len(plain) == 32
    der = [e for e in evs if e.kind == "derived"]
    md5e = next(e for e in der if e.get("transform") == "md5")
    assert md5e.get("chain") == "md5(imei+android_id+mac)"
    assert md5e.get("categories") == ["device_id.android_id", "device_id.imei", "device_id.mac"]
    assert md5e.get("out_prefix") == d.hex() and md5e.get("out_sha256") == hashlib.sha256(d).hexdigest()
    gcm = next(e for e in der if e.get("transform") == "aes-128-gcm")
    assert gcm.get("chain") == "aes-128-gcm(json)" or gcm.get("chain").startswith("aes-128-gcm(md5(")
    b = next(e for e in der if e.get("transform") == "base64")
    assert b.get("chain").startswith("base64(aes-128-gcm(")
    assert not any(e.get("transform") == "sha256" for e in der)     # no planted value, no event
    text = json.dumps([e.to_dict() for e in der])
    assert IMEI not in text and ANDROID_ID not in text and MAC not in text


def test_unpin_only_when_asked(net):
    req = {"cls": "okhttp3.CertificatePinner", "member": "check", "types": ["java.lang.String", "java.util.List"],
           "self": {"$obj": "okhttp3.CertificatePinner"}, "args": ["api.pinned.example", {"$list": []}], "ret": None,
           "throws": "javax.net.ssl.SSLPeerUnverifiedException", "stack": STACK, "thread": "main"}
    evs: list = []
    with _rt(evs, net) as rt:
        with pytest.raises(JavaThrow):
            rt._invoke(req, True)
    evs2: list = []
    with _rt(evs2, net, unpin=True) as rt:
        rt._invoke(req, True)
    un = [e for e in evs2 if e.kind == "unpinned"]
    assert un and un[0].get("host") == "api.pinned.example" and un[0].get("via") == "okhttp3.CertificatePinner"
    assert not [e for e in evs if e.kind == "unpinned"]


def test_native_crypto_in_the_apps_library_is_followed_once(net):
    evs: list = []
    with _rt(evs, net) as rt:
        data = f"{IMEI}|{ANDROID_ID}".encode()
        out = rt._rpc("sim_native_crypto", {"op": "digest", "alg": "SHA256", "hex": data.hex(), "stack": STACK}, True)
        assert out == hashlib.sha256(data).hexdigest()
        ct = rt._rpc("sim_native_crypto", {"op": "encrypt", "alg": "AES/CBC", "key": "00" * 16, "iv": "11" * 16,
                                           "hex": json.dumps({"imei": IMEI}).encode().hex(), "stack": STACK}, True)
        assert len(ct) == 64
        digest_in_process(rt, "md5", IMEI.encode(), STACK, "main")          # Java MessageDigest over libcrypto
    der = [e for e in evs if e.kind == "derived"]
    nat = [e for e in der if e.get("native")]
    assert {e.get("chain") for e in nat} >= {"sha256(imei+android_id)", "aes-128-cbc(json)"}, [e.extra for e in nat]
    assert all(e.actor == "jpush" for e in nat)
    assert [e.get("chain") for e in der if e.get("transform") == "md5"] == ["md5(imei)"]    # once, from the Java hook
    sha = next(e for e in nat if e.get("transform") == "sha256")
    assert sha.get("out_prefix") == hashlib.sha256(f"{IMEI}|{ANDROID_ID}".encode()).hexdigest()


def test_sendmmsg_batches_are_reported_and_quic_refused(net):
    evs: list = []
    with _rt(evs, net) as rt:
        r = rt.net([{"op": "socket", "proto": "udp"},
                    {"op": "sendmmsg", "fd": {"$ref": 0}, "hex": "c0ff", "to": [{"ip": "127.0.0.1", "port": 443},
                                                                                 {"ip": "127.0.0.2", "port": 443}]}],
                   STACK)
    assert r[-1]["errno"] == 97                       # nothing left: every destination refused
    q = [e for e in evs if e.kind == "net_connect" and e.get("call") == "sendmmsg"]
    assert {e.get("ip") for e in q} == {"127.0.0.1", "127.0.0.2"} and all(e.get("blocked") == "quic" for e in q)


def test_base64_of_the_plaintext_keeps_no_prefix(net):
    evs: list = []
    with _rt(evs, net) as rt:
        rt.java_run([{"cls": "android.util.Base64", "member": "encodeToString", "types": ["[B", "int"],
                      "args": [{"$bytes": json.dumps({"imei": IMEI}).encode().hex()}, 2]}], STACK)
    b = [e for e in evs if e.kind == "derived" and e.get("transform") == "base64"]
    assert b and b[0].get("chain") == "base64(json)" and "out_prefix" not in b[0].extra and b[0].get("out_sha256")
