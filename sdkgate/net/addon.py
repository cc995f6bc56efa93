"""The sdkgate mitmproxy addon: every request, WebSocket message and TCP/UDP payload the app sends is
searched for planted values; what is found becomes `send` events in net.jsonl.

Works both ways:
  * `mitmdump -s sdkgate/net/addon.py --set sdkgate_canaries=F --set sdkgate_out=D -w D/flows.mitm`
  * in-process: `master.addons.add(SdkgateAddon(canaries=..., out_dir=..., offline=True))`
    (this is what `sdkgate proxy` does).

Events (source "net"): `send` per match, `flow` once per flow, `tls_failed` when a client rejects
our certificate (pinning: nothing can be said about that host -> the engine reports incomplete),
`incomplete` when the addon itself failed on a flow (the flow is named; the proxy keeps running).

Offline mode answers every request locally with 204. Bodies too large to buffer (above the body
cap, or of unknown length) are streamed and scanned chunk by chunk; offline, the stream is sent to
a loopback sink inside this process instead of the real server, so nothing ever leaves the host.

One part per concern, each with methods named after the mitmproxy events it handles:
  recorder.NetRecorder       options, matcher/attributor, net.jsonl and its clock, flows.har
  capture.Capture            HTTP/WebSocket/TCP/UDP capture and canary matching
  offline.OfflineResponder   204 answers, loopback sinks, `server_connect` blocking
  tls.TlsFailures            `tls_failed` events
  connections.Connections    connections that never became a flow (garbage, idle): `flow` with `error`
  wire.WireNames             host names on the wire (DNS, SNI, CONNECT) and closed-after-handshake clients
`SdkgateAddon` hands each event to its parts itself (not via mitmproxy's nested `addons`, which
would also call the facade's own methods): the order matters, and callers such as `replay` call
the events directly.
"""
# no `from __future__ import annotations`: `mitmdump -s` runs this file outside sys.modules, where
# dataclasses cannot resolve string annotations

from pathlib import Path

from mitmproxy import ctx, http

from sdkgate.net.capture import Capture
from sdkgate.net.connections import Connections
from sdkgate.net.decode import DECODE_CAP
from sdkgate.net.offline import OfflineResponder
from sdkgate.net.recorder import NetRecorder
from sdkgate.net.tls import TlsFailures
from sdkgate.net.wire import WireNames


def _to(part: str, event: str):
    """An event only one part handles: the facade attribute is that part's bound method."""
    return property(lambda self: getattr(getattr(self, part), event))


def _shared(name: str, doc: str):
    """State kept by the recorder, readable and replaceable here (replay and tests set it)."""
    return property(lambda self: getattr(self.recorder, name),
                    lambda self, value: setattr(self.recorder, name, value), doc=doc)


class SdkgateAddon:
    """See the module docstring. Constructor arguments win over the `sdkgate_*` options."""

    def __init__(self, canaries: dict[str, list[str]] | str | Path | None = None, out_dir: str | Path | None = None,
                 offline: bool | None = None, manifest=None, t0_ms: float | None = None,
                 body_cap: int = DECODE_CAP):
        self.recorder = NetRecorder(canaries, out_dir, manifest, t0_ms)
        self.responder = OfflineResponder(offline)
        self.capture = Capture(self.recorder, self.responder, body_cap)
        self.tls = TlsFailures(self.recorder)
        self.connections = Connections(self.recorder)
        self.wire = WireNames(self.recorder, self.capture, self.responder)

    matcher = _shared("matcher", "canary matcher (None until configured)")
    attributor = _shared("attributor", "host -> actor")
    writer = _shared("writer", "net.jsonl writer (None without an output folder)")
    t0_ms = _shared("t0_ms", "run start, epoch ms")
    out_dir = property(lambda self: self.recorder.out_dir)
    counts = property(lambda self: self.recorder.counts)
    offline = property(lambda self: self.responder.enabled)
    body_cap = property(lambda self: self.capture.body_cap)

    # --- lifecycle ------------------------------------------------------------------------------
    def load(self, loader):
        self.recorder.load(loader)
        self.responder.load(loader)
        self.connections.load(loader)

    def configure(self, updated):
        self.recorder.configure(updated)        # first: a bad canary file or manifest stops here
        self.responder.configure(updated)
        self.capture.configure(updated)
        self.connections.configure(updated)

    async def running(self):
        if self.recorder.t0_ms is None:         # added in-process without an options change: configure now
            self.configure(set(ctx.options.keys()))
        await self.responder.running()
        self.recorder.running()                 # last: the ready file says streamed bodies have a sink

    def done(self):
        self.capture.done()                     # still-open flows, while net.jsonl is open
        self.responder.done()
        self.recorder.done()

    # --- HTTP: capture first (it decides what is streamed), then the offline responder ----------
    def requestheaders(self, flow: http.HTTPFlow):
        self.connections.saw(flow.client_conn)
        if flow.request.method != "CONNECT":
            self.wire.used(flow.client_conn.id)
        self.capture.requestheaders(flow)
        self.responder.requestheaders(flow)

    def request(self, flow: http.HTTPFlow):
        self.capture.request(flow)
        self.responder.request(flow)            # answers even when the scan failed

    def error(self, flow: http.HTTPFlow):
        self.capture.error(flow)
        self.responder.error(flow)

    response = _to("capture", "response")
    websocket_message = _to("capture", "websocket_message")
    websocket_end = _to("capture", "websocket_end")

    # --- TCP, UDP, TLS, connections -------------------------------------------------------------
    def tcp_start(self, flow):
        self.connections.saw(flow.client_conn)
        self.wire.used(flow.client_conn.id)
        self.capture.tcp_start(flow)

    def http_connect(self, flow: http.HTTPFlow):
        self.connections.saw(flow.client_conn)
        self.wire.http_connect(flow)

    def tls_failed_client(self, data):
        self.connections.saw(data.context.client)
        self.tls.tls_failed_client(data)

    def udp_start(self, flow):
        self.connections.saw(flow.client_conn)

    client_connected = _to("connections", "client_connected")

    def client_disconnected(self, client):
        self.connections.client_disconnected(client)
        self.wire.client_disconnected(client)

    dns_request = _to("wire", "dns_request")
    tls_clienthello = _to("wire", "tls_clienthello")
    tls_established_client = _to("wire", "tls_established_client")
    tcp_message = _to("capture", "tcp_message")
    tcp_end = _to("capture", "tcp_end")
    tcp_error = _to("capture", "tcp_error")
    udp_message = _to("capture", "udp_message")
    udp_end = _to("capture", "udp_end")
    udp_error = _to("capture", "udp_error")
    server_connect = _to("responder", "server_connect")


addons = [SdkgateAddon()]
