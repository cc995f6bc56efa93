"""The same addon under `mitmdump -s sdkgate/net/addon.py`, not offline, with real upstream servers
on loopback: WebSocket messages and raw TCP payloads are scanned; flows record the server address."""
from __future__ import annotations

import base64
import hashlib
import socket
import threading

import pytest
from websockets.sync.client import connect as ws_connect
from websockets.sync.server import serve as ws_serve

from sdkgate.net.proxy import ProxyProcess

from .helpers import ANDROID_ID, CANARIES, IMEI, MAC, MANIFEST, connect_tunnel, read_events, triples, wait_events


@pytest.fixture(scope="module")
def upstreams():
    def echo(ws):
        for msg in ws:
            ws.send(msg)

    wss = ws_serve(echo, "127.0.0.1", 0)
    threading.Thread(target=wss.serve_forever, daemon=True).start()

    tcp = socket.create_server(("127.0.0.1", 0))

    def tcp_loop():
        while True:
            try:
                conn, _ = tcp.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(65536):
                    conn.sendall(data)

    threading.Thread(target=tcp_loop, daemon=True).start()
    yield {"ws": wss.socket.getsockname()[1], "tcp": tcp.getsockname()[1]}
    wss.shutdown()
    tcp.close()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, upstreams):
    p = ProxyProcess(CANARIES, tmp_path_factory.mktemp("pass"), offline=False, manifest=MANIFEST, mitmdump=True)
    p.start()
    yield p
    p.stop()


def test_websocket_messages_from_the_client_are_scanned(proxy, upstreams):
    sock = connect_tunnel(proxy.port, "127.0.0.1", upstreams["ws"])
    with ws_connect("ws://ws.umeng.com/socket", sock=sock) as ws:
        ws.send('{"did":"%s"}' % hashlib.sha256(IMEI.encode()).hexdigest())
        assert ws.recv(timeout=60).startswith('{"did"')
        ws.send(base64.b64encode(MAC.encode()))                    # a binary frame
        assert ws.recv(timeout=60)
    evs = wait_events(proxy.out_dir / "net.jsonl", lambda es: len([e for e in es if e.get("where") == "ws"]) >= 2)
    sends = [e for e in evs if e["kind"] == "send" and e["where"] == "ws"]
    # the echoed (server -> client) copies are not sends
    assert triples(sends) == {("device_id.imei", "sha256-hex", "ws"), ("device_id.mac", "base64", "ws")}
    assert {(e["host"], e["actor"], e["scheme"]) for e in sends} == {("ws.umeng.com", "umeng_common", "http")}
    flow = next(e for e in evs if e["kind"] == "flow" and e["flow_id"] == sends[0]["flow_id"])
    assert flow["status"] == 101 and flow["websocket"] is True and flow["ip"] == "127.0.0.1"


def test_raw_tcp_payload_is_scanned(proxy, upstreams):
    s = connect_tunnel(proxy.port, "127.0.0.1", upstreams["tcp"])
    s.sendall(b"\x01\x02" + ANDROID_ID.upper().encode() + b"\x00")
    assert s.recv(100)
    s.close()
    evs = wait_events(proxy.out_dir / "net.jsonl",
                      lambda es: any(e["kind"] == "flow" and e["scheme"] == "tcp" for e in es))
    flow = next(e for e in evs if e["kind"] == "flow" and e["scheme"] == "tcp")
    sends = [e for e in evs if e["kind"] == "send" and e["flow_id"] == flow["flow_id"]]
    assert triples(sends) == {("device_id.android_id", "upper", "tcp")}
    assert flow["ip"] == "127.0.0.1" and flow["actor"] == "unknown" and flow["bytes"] == len(ANDROID_ID) + 3


def test_mitmdump_writes_flow_file_and_har_on_sigint(proxy):
    assert proxy.stop() == 0
    assert proxy.wait_har() == 0
    assert (proxy.out_dir / "flows.mitm").stat().st_size > 0
    assert (proxy.out_dir / "flows.har").exists()
    evs = read_events(proxy.out_dir / "net.jsonl")
    assert [e["seq"] for e in evs] == list(range(len(evs)))
