"""What the proxy sees outside HTTP requests: DNS queries (offline: answered here), the TLS SNI, the
CONNECT target, and TLS sessions a client closes right after the handshake without a request
(certificate pinning checked after the handshake, OkHttp style): that is a `tls_failed` with reason
`closed_after_handshake`, so the engine reports the host incomplete like a rejected handshake.

Names are searched label-wise (`names.name_parts`) through the capture's matcher and send events.
"""
import ipaddress
import time

from mitmproxy import dns

from sdkgate.net.attribution import registrable_domain
from sdkgate.net.capture import Capture
from sdkgate.net.decode import Decoded
from sdkgate.net.flowscan import FlowState, scan_parts
from sdkgate.net.names import name_parts
from sdkgate.net.offline import OfflineResponder
from sdkgate.net.recorder import NetRecorder

OFFLINE_A = "198.18.0.1"          # RFC 2544 benchmarking range: never a real server
OFFLINE_TTL = 60


class WireNames:
    """DNS, SNI, CONNECT and closed-after-handshake, through the shared recorder and capture."""

    def __init__(self, recorder: NetRecorder, capture: Capture, offline: OfflineResponder):
        self.rec = recorder
        self.capture = capture
        self.offline = offline
        self._tls: dict[str, tuple[str, tuple, float]] = {}    # client id -> (sni, server address, t)
        self._used: set[str] = set()                          # client ids that carried a request

    def _scan_name(self, st: FlowState, where: str, name: str, ts: float) -> None:
        if self.rec.matcher is None or not name:
            return
        self.rec.poll_derived()
        d = Decoded()
        name_parts(d, where, name)
        scan_parts(self.rec, st, d, ts)

    # --- DNS ------------------------------------------------------------------------------------
    def dns_request(self, flow: dns.DNSFlow):
        try:
            ts = flow.request.timestamp or time.time()
            addr = flow.server_conn.address or flow.client_conn.sockname or ("", 0)
            for i, q in enumerate(flow.request.questions[:16]):
                name = q.name.rstrip(".")
                st = FlowState(f"{flow.id}:{i}" if i else flow.id, name, "dns", dns.types.to_str(q.type), "",
                               self.rec.actor(name), registrable_domain(name))
                self._scan_name(st, "dns:qname", name, ts)
                st.done = True
                self.rec.emit("flow", actor=st.actor, host=name, domain=st.domain, scheme="dns", method=st.method,
                              path="", status=None, flow_id=st.flow_id, bytes=len(flow.request.packed),
                              capped=False, dst=_addr(addr), protocol="udp",
                              **({"offline": True} if self.offline.enabled else {}))
            if self.offline.enabled and flow.response is None:
                flow.response = _offline_answer(flow.request)
            self.rec.flush()
        except Exception as exc:
            self.rec.failed("dns scan", flow, exc)

    # --- TLS SNI, CONNECT -----------------------------------------------------------------------
    def tls_clienthello(self, data):
        try:
            sni = data.client_hello.sni or ""
            client = data.context.client
            if not sni:
                return
            st = FlowState(f"tls:{client.id}", sni, "tls", "", "", self.rec.actor(sni), registrable_domain(sni))
            self._scan_name(st, "sni", sni, time.time())
            self.rec.flush()
        except Exception as exc:
            self.rec.failed("sni scan", data.context.client, exc)

    def http_connect(self, flow):
        try:
            host = flow.request.host
            st = FlowState(f"connect:{flow.id}", host, "connect", "CONNECT", f":{flow.request.port}",
                           self.rec.actor(host), registrable_domain(host))
            self._scan_name(st, "connect", host, flow.request.timestamp_start or time.time())
            self.rec.flush()
        except Exception as exc:
            self.rec.failed("connect scan", flow, exc)

    # --- closed right after the handshake ---------------------------------------------------------
    def tls_established_client(self, data):
        client = data.context.client
        self._tls[client.id] = (client.sni or "", data.context.server.address or ("", 0), time.time())

    def used(self, client_id: str) -> None:
        """A request (or TCP/WebSocket payload) went over this client connection."""
        self._used.add(client_id)

    def client_disconnected(self, client):
        try:
            hs = self._tls.pop(client.id, None)
            if hs is None or client.id in self._used:
                self._used.discard(client.id)
                return
            sni, addr, _ = hs
            host = sni or (addr[0] if addr else "") or ""
            self.rec.emit("tls_failed", actor=self.rec.actor(host), host=host, domain=registrable_domain(host),
                          port=addr[1] if addr else None, reason="closed_after_handshake")
            self.rec.flush()
        except Exception as exc:
            self.rec.failed("client_disconnected", client, exc)


def _addr(addr) -> str:
    if not addr or not addr[0]:
        return ""
    host, port = addr[0], addr[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


def _offline_answer(req: dns.Message) -> dns.Message:
    """A plausible answer so the app proceeds (and its next queries are recorded); nothing real."""
    q = req.question
    if q is not None and q.type == dns.types.A:
        return req.succeed([dns.ResourceRecord.A(q.name, ipaddress.IPv4Address(OFFLINE_A), ttl=OFFLINE_TTL)])
    return req.succeed([])
