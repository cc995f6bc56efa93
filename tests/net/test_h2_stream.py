"""HTTP/2 uploads streamed without a length (issue 22 §3): the body is searched as it streams, the
offline answer comes only after the body ends, and an answer or a reset that comes first never turns
a body into `bytes: 0` with no send. The regression was intermittent (it depended on whether the
request head reached the loopback sink before the first DATA frame), so the upload is repeated with
and without a pause between head and body."""
from __future__ import annotations

import ssl
import time

import h2.config
import h2.connection
import h2.events
import pytest
from mitmproxy.test import taddons, tflow

from sdkgate.net.addon import SdkgateAddon
from sdkgate.net.proxy import ProxyProcess

from .helpers import CANARIES, IMEI, MANIFEST, connect_tunnel, flow_events, read_events

BODY = b"x" * (70 * 1024) + b"&imei=" + IMEI.encode() + b"&" + b"y" * (150 * 1024)   # the IMEI after 64 KiB


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    p = ProxyProcess(CANARIES, tmp_path_factory.mktemp("h2") / "evidence", offline=True, manifest=MANIFEST)
    p.start()
    yield p
    p.stop()


def upload(proxy, path: str, body: bytes, *, pause: bool, reset_after: int | None = None, keep_open=None):
    """One HTTP/2 POST without content-length, sent as the peer's flow-control window allows; the
    head goes first (and, with `pause`, alone until the proxy has surely passed it on). Returns
    (status, bytes sent); `reset_after`: reset the stream once that many bytes went out, and keep
    the connection (as a pooled HTTP/2 client does) until `keep_open()` returns."""
    host = "api.jpush.cn"
    ctx = ssl.create_default_context(cafile=proxy.ca_path)
    ctx.set_alpn_protocols(["h2"])
    tls = ctx.wrap_socket(connect_tunnel(proxy.port, host), server_hostname=host)
    tls.settimeout(15)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    sid = conn.get_next_available_stream_id()
    conn.send_headers(sid, [(":method", "POST"), (":authority", host), (":scheme", "https"), (":path", path),
                            ("content-type", "application/octet-stream")])
    tls.sendall(conn.data_to_send())
    if pause:
        # wait for the proxy's SETTINGS (it has read our head by then) before any DATA
        while not any(isinstance(e, h2.events.RemoteSettingsChanged) for e in conn.receive_data(tls.recv(65535))):
            pass
        tls.sendall(conn.data_to_send())
    sent, status, ended, closed = 0, 0, False, False
    while not ended:
        while sent < len(body) and (reset_after is None or sent < reset_after):
            n = min(conn.local_flow_control_window(sid), conn.max_outbound_frame_size, len(body) - sent)
            if n <= 0:
                break
            conn.send_data(sid, body[sent:sent + n])
            sent += n
        if reset_after is not None and sent >= reset_after:
            conn.reset_stream(sid)
            tls.sendall(conn.data_to_send())
            if keep_open is not None:
                keep_open()
            break
        if sent >= len(body) and not closed:
            conn.end_stream(sid)
            closed = True
        tls.sendall(conn.data_to_send())
        data = tls.recv(65535)
        if not data:
            break
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived):
                status = int(dict(ev.headers)[b":status"])
            elif isinstance(ev, (h2.events.StreamEnded, h2.events.StreamReset)):
                ended = True
        tls.sendall(conn.data_to_send())
    tls.close()
    return status, sent


@pytest.mark.parametrize("pause", [False, True], ids=["head+data", "head-then-data"])
def test_streamed_h2_upload_is_searched_every_time(proxy, pause):
    for i in range(4):
        path = f"/h2big/{int(pause)}/{i}"
        status, sent = upload(proxy, path, BODY, pause=pause)
        assert (status, sent) == (204, len(BODY))
        flow, sends = flow_events(proxy.out_dir / "net.jsonl", path)
        assert flow["bytes"] == len(BODY) and flow["status"] == 204 and flow["offline"] is True, flow
        assert {(s["category"], s["actor"]) for s in sends} == {("device_id.imei", "jpush")}, flow


def test_a_reset_upload_keeps_what_arrived(proxy):
    got = {}
    status, sent = upload(proxy, "/h2reset", BODY, pause=True, reset_after=80 * 1024,
                          keep_open=lambda: got.update(zip(("flow", "sends"),
                                                           flow_events(proxy.out_dir / "net.jsonl", "/h2reset"))))
    assert status == 0 and sent >= 80 * 1024
    flow, sends = got["flow"], got["sends"]
    assert flow.get("error") and flow["bytes"] >= 70 * 1024
    assert {(s["category"], s["where"]) for s in sends} == {("device_id.imei", "body.partial")}


def test_an_answer_before_the_body_ends_waits_for_the_body(tmp_path):
    """A server may answer while the upload still streams: the flow event is written when the body
    has ended, with what it carried (never bytes 0 and no send)."""
    addon = SdkgateAddon(canaries={k: [v] for k, v in CANARIES.items()}, out_dir=tmp_path, offline=False)
    with taddons.context(addon) as tctx:
        tctx.configure(addon)
        f = tflow.tflow(resp=False)
        f.request.http_version = "HTTP/2.0"
        f.request.method = "POST"
        f.request.host = "api.jpush.cn"
        f.request.headers.pop("content-length", None)
        addon.requestheaders(f)
        assert callable(f.request.stream)
        f.request.stream(BODY[:64 * 1024])
        f.response = tflow.tresp(status_code=200)
        addon.response(f)                                  # the early answer
        assert [e for e in read_events(tmp_path / "net.jsonl") if e["kind"] == "flow"] == []
        f.request.stream(BODY[64 * 1024:])
        f.request.stream(b"")
        f.request.timestamp_end = time.time()
        addon.request(f)
        addon.done()
    evs = read_events(tmp_path / "net.jsonl")
    flows = [e for e in evs if e["kind"] == "flow"]
    assert len(flows) == 1 and flows[0]["bytes"] == len(BODY) and flows[0]["answered_early"] is True
    assert flows[0]["status"] == 200
    assert any(e["kind"] == "send" and e["category"] == "device_id.imei" for e in evs)
