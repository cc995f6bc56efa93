"""The proxy searches what lies outside HTTP requests: DNS query names (offline answers), the TLS SNI,
CONNECT targets; a TLS client closing right after the handshake is a tls_failed; offline WebSocket
upgrades are accepted and their messages searched. Real clients against a real proxy process."""
from __future__ import annotations

import base64
import hashlib
import socket
import ssl
import struct

import pytest
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Request

from sdkgate.dynamic.simnet import dns_query
from sdkgate.net.proxy import ProxyProcess
from tests.net.helpers import ANDROID_ID, CANARIES, IMEI, MANIFEST, wait_events


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    out = tmp_path_factory.mktemp("wire")
    p = ProxyProcess({k: [v] for k, v in CANARIES.items()}, out, offline=True, manifest=MANIFEST,
                     modes=("dns@127.0.0.1:0",)).start()
    yield p
    assert p.stop() == 0


def _net(p):
    return p.out_dir / "net.jsonl"


def _dns(p, name: str) -> bytes:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(60)
    s.sendto(dns_query(name), p.listener("dns"))
    try:
        return s.recv(1500)
    finally:
        s.close()


def test_dns_label_canary_is_a_send_and_gets_an_offline_answer(proxy):
    name = f"{hashlib.md5(IMEI.encode()).hexdigest()}.t.umeng.com"
    answer = _dns(proxy, name)
    assert struct.unpack("!H", answer[6:8])[0] == 1          # one answer record: the app can proceed
    evs = wait_events(_net(proxy), lambda es: any(e.get("where") == "dns:qname" for e in es))
    send = next(e for e in evs if e.get("where") == "dns:qname")
    assert (send["category"], send["encoding"], send["host"], send["actor"]) == \
        ("device_id.imei", "md5-hex", name, "umeng_common")
    assert any(e["kind"] == "flow" and e["scheme"] == "dns" and e["host"] == name for e in evs)


def test_dns_value_split_across_labels_and_base32(proxy):
    sha = hashlib.sha256(ANDROID_ID.encode()).hexdigest()      # 64 chars: does not fit one label
    _dns(proxy, f"{sha[:40]}.{sha[40:]}.x.jpush.cn")
    b32 = base64.b32encode(IMEI.encode()).decode().rstrip("=").lower()
    _dns(proxy, f"{b32}.y.jpush.cn")
    evs = wait_events(_net(proxy), lambda es: sum(e.get("where") == "dns:qname" and "jpush" in e.get("host", "")
                                                  for e in es) >= 2)
    got = {(e["category"], e["encoding"]) for e in evs if e.get("where") == "dns:qname" and "jpush" in e["host"]}
    assert ("device_id.android_id", "sha256-hex") in got and ("device_id.imei", "plain") in got


def _connect(p, host: str, port: int = 443) -> socket.socket:
    s = socket.create_connection((p.listen_host, p.port), timeout=60)
    s.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    assert b" 200 " in buf.split(b"\r\n")[0]
    return s


def test_sni_and_connect_target_are_searched(proxy):
    host = f"{IMEI}.sni.umeng.com"
    s = _connect(proxy, host)
    ctx = ssl.create_default_context(cafile=proxy.ca_path)
    t = ctx.wrap_socket(s, server_hostname=host)
    t.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    t.recv(100)
    t.close()
    evs = wait_events(_net(proxy), lambda es: {"sni", "connect", "host"} <= {e.get("where") for e in es
                                                                          if e.get("host") == host})
    assert {e["category"] for e in evs if e.get("host") == host and e["kind"] == "send"} == {"device_id.imei"}


def test_client_closing_after_the_handshake_is_tls_failed(proxy):
    s = _connect(proxy, "pinned.jpush.cn")
    t = ssl.create_default_context(cafile=proxy.ca_path).wrap_socket(s, server_hostname="pinned.jpush.cn")
    t.close()                 # the pin check failed after the handshake: no request
    evs = wait_events(_net(proxy), lambda es: any(e["kind"] == "tls_failed" for e in es))
    tls = next(e for e in evs if e["kind"] == "tls_failed")
    assert (tls["host"], tls["reason"], tls["actor"]) == ("pinned.jpush.cn", "closed_after_handshake", "jpush")


def test_a_tls_session_with_a_request_is_not_tls_failed(proxy):
    s = _connect(proxy, "ok.umeng.com")
    t = ssl.create_default_context(cafile=proxy.ca_path).wrap_socket(s, server_hostname="ok.umeng.com")
    t.sendall(b"GET /fine HTTP/1.1\r\nHost: ok.umeng.com\r\n\r\n")
    t.recv(100)
    t.close()
    evs = wait_events(_net(proxy), lambda es: any(e.get("path") == "/fine" and e["kind"] == "flow" for e in es))
    import time
    time.sleep(0.3)
    from tests.net.helpers import read_events
    assert not [e for e in read_events(_net(proxy)) if e["kind"] == "tls_failed" and e["host"] == "ok.umeng.com"]
    assert evs


def test_offline_websocket_upgrade_is_accepted_and_messages_searched(proxy):
    s = _connect(proxy, "ws.umeng.com", 80)
    ws = WSConnection(ConnectionType.CLIENT)
    s.sendall(ws.send(Request(host="ws.umeng.com", target="/push")))
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    ws.receive_data(buf)
    assert any(isinstance(e, AcceptConnection) for e in ws.events())
    s.sendall(ws.send(Message(data='{"imei": "%s"}' % IMEI)) + ws.send(CloseConnection(code=1000)))
    s.recv(64)
    s.close()
    evs = wait_events(_net(proxy), lambda es: any(e.get("where") == "ws" for e in es))
    send = next(e for e in evs if e.get("where") == "ws")
    assert (send["category"], send["host"], send["actor"]) == ("device_id.imei", "ws.umeng.com", "umeng_common")


def test_server_echo_of_an_unreadable_upload_proves_it_left(tmp_path):
    """Raw TCP searched both ways: the client's bytes are opaque (encrypted), the server answers with
    the IMEI in clear: the server has it, so it left the device (a send `tcp:from_server`). A value
    the client already showed is only noted on the flow."""
    import threading
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve():
        c, _ = srv.accept()
        c.recv(100)
        c.sendall(b'{"ok":1,"device":"' + IMEI.encode() + b'","aid":"' + ANDROID_ID.encode() + b'"}')
        c.recv(100)
        c.close()
    threading.Thread(target=serve, daemon=True).start()
    p = ProxyProcess({k: [v] for k, v in CANARIES.items()}, tmp_path, offline=False, manifest=MANIFEST).start()
    try:
        s = _connect(p, "127.0.0.1", srv.getsockname()[1])
        s.sendall(b"\x17\x03\x03" + bytes(range(40)) + ANDROID_ID.encode())
        s.recv(200)
        s.close()
        evs = wait_events(_net(p), lambda es: any(e["kind"] == "flow" and e["scheme"] == "tcp" for e in es))
    finally:
        p.stop()
    sends = {(e["category"], e["where"]) for e in evs if e["kind"] == "send"}
    assert sends == {("device_id.android_id", "tcp"), ("device_id.imei", "tcp:from_server")}
    flow = next(e for e in evs if e["kind"] == "flow")
    assert "device_id.android_id/plain" in flow["inbound"]


def test_offline_secure_websocket_is_accepted_too(proxy):
    s = _connect(proxy, "wss.jpush.cn", 443)
    t = ssl.create_default_context(cafile=proxy.ca_path).wrap_socket(s, server_hostname="wss.jpush.cn")
    ws = WSConnection(ConnectionType.CLIENT)
    t.sendall(ws.send(Request(host="wss.jpush.cn", target="/push")))
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += t.recv(4096)
    ws.receive_data(buf)
    assert any(isinstance(e, AcceptConnection) for e in ws.events())
    t.sendall(ws.send(Message(data="aid=" + ANDROID_ID)) + ws.send(CloseConnection(code=1000)))
    t.recv(64)
    t.close()
    evs = wait_events(_net(proxy), lambda es: any(e.get("where") == "ws" and e.get("host") == "wss.jpush.cn" for e in es))
    send = next(e for e in evs if e.get("where") == "ws" and e.get("host") == "wss.jpush.cn")
    assert (send["category"], send["scheme"], send["actor"]) == ("device_id.android_id", "https", "jpush")
