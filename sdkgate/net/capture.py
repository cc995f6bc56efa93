"""The core of the addon: every request, WebSocket message and TCP/UDP payload the app sends is
searched for planted values; what is found becomes `send` events, and every flow one `flow` event.

Per-flow failures of our own code are contained: the flow becomes an `incomplete` event
(`NetRecorder.failed`) and the proxy goes on.
"""
import time
from urllib.parse import unquote_to_bytes

from mitmproxy import ctx, http

from sdkgate.net.attribution import registrable_domain
from sdkgate.net.decode import DECODE_CAP, Decoded, add_pairs, decode_body
from sdkgate.net.flowscan import FlowState, emit_matches, scan_parts
from sdkgate.net.matcher import Match
from sdkgate.net.names import name_parts
from sdkgate.net.offline import OFFLINE_HEADER, OfflineResponder
from sdkgate.net.recorder import NetRecorder
from sdkgate.net.stream import STREAM_DECODED_CAP, BodyStream

PATH_CAP = 2048


class Capture:
    """HTTP, WebSocket, TCP and UDP capture with canary matching. Reads the matcher and attributor
    from the recorder at every event (they may be replaced, e.g. by `replay`); asks the offline
    responder only whether upstream addresses are real."""

    def __init__(self, recorder: NetRecorder, offline: OfflineResponder, body_cap: int = DECODE_CAP):
        self.rec = recorder
        self.offline = offline
        self.body_cap = body_cap
        self._flows: dict[str, FlowState] = {}

    def configure(self, updated):
        o = ctx.options
        if "stream_large_bodies" in o.keys() and not o.stream_large_bodies:
            o.update(stream_large_bodies=str(self.body_cap))     # stream (and scan) what we would not parse

    def done(self):
        """Flows still open at shutdown: scan what arrived and write their `flow` event."""
        matcher = self.rec.matcher
        for st in list(self._flows.values()):
            if not st.done:
                if st.stream is not None and matcher is not None:
                    st.bytes = st.stream.total
                    self._emit_matches(st, st.stream.matches(), "body.stream", time.time())
                self._emit_flow(st, None, error="still open at proxy shutdown")

    # --- events ---------------------------------------------------------------------------------
    def _emit_matches(self, st: FlowState, matches: list[Match], where: str, ts: float | None):
        emit_matches(self.rec, st, matches, where, ts)

    def _emit_flow(self, st: FlowState, status: int | None, *, ip: str | None = None, error: str | None = None,
                   extra: dict | None = None):
        if st.done:
            return
        st.done = True
        fields = dict(actor=st.actor, host=st.host, domain=st.domain, scheme=st.scheme, method=st.method,
                      path=st.path, status=status, flow_id=st.flow_id, bytes=st.bytes, capped=st.capped)
        if ip:
            fields["ip"] = ip
        if st.dst:
            fields["dst"] = st.dst
        if st.inbound:
            fields["inbound"] = sorted(st.inbound)[:20]
        if error:
            fields["error"] = error
        if st.errors:
            fields["notes"] = st.errors[:10]
        if extra:
            fields.update(extra)
        self.rec.emit("flow", **fields)
        self._flows.pop(st.flow_id, None)
        self.rec.flush()

    # --- HTTP -----------------------------------------------------------------------------------
    def _state(self, flow: http.HTTPFlow) -> FlowState:
        st = self._flows.get(flow.id)
        if st is None:
            req = flow.request
            host = req.pretty_host
            st = FlowState(flow.id, host, req.scheme, req.method, req.path[:PATH_CAP],
                           self.rec.actor(host), registrable_domain(host))
            st.dst = _dst(flow.server_conn.address or (req.host, req.port))
            self._flows[flow.id] = st
        return st

    def requestheaders(self, flow: http.HTTPFlow):
        """Bodies too large to buffer, or of unknown length, are scanned as they stream."""
        try:
            st = self._state(flow)
            req = flow.request
            if self.rec.matcher is None:
                return
            unknown_len = "content-length" not in req.headers and (
                "chunked" in req.headers.get("transfer-encoding", "").lower()
                or (req.http_version.startswith("HTTP/2") and req.method not in ("GET", "HEAD", "OPTIONS", "DELETE")))
            if req.stream is True or unknown_len:
                st.stream = BodyStream(self.rec.matcher, self.body_cap, req.headers.get("content-encoding", ""))
                req.stream = st.stream
        except Exception as exc:
            self.rec.failed("requestheaders", flow, exc)

    def request(self, flow: http.HTTPFlow):
        try:
            self.rec.poll_derived()
            st = self._state(flow)
            st.body_done = True
            req = flow.request
            ts = req.timestamp_end or time.time()
            if st.stream is not None:
                st.bytes = st.stream.total
                if st.stream.over:
                    st.capped = True
                    st.errors.append(f"body of {st.stream.total} bytes above the {self.body_cap}-byte cap: "
                                     "scanned as a stream, not parsed")
                    if st.stream.decode_capped:
                        st.errors.append(f"decoded stream scanned up to {STREAM_DECODED_CAP} bytes")
                    self._scan_head(st, req, ts)
                    self._emit_matches(st, st.stream.matches(), "body.stream", ts)
                    self._answered(st)
                    return
                req.raw_content = bytes(st.stream.buf)
                st.stream.buf = bytearray()
            elif req.raw_content is None:
                st.capped = True
                st.errors.append("body streamed by mitmproxy and not scanned")
            self._scan_head(st, req, ts)
            self._scan_body(st, req, ts)
            self._answered(st)
        except Exception as exc:
            self.rec.failed("request scan", flow, exc)

    def _answered(self, st: FlowState):
        """The body has ended: a response that arrived before (an early answer) is written now, after the
        body was searched, so the flow event carries what was sent."""
        if st.answered is not None:
            status, ip, extra = st.answered
            st.answered = None
            self._emit_flow(st, status, ip=ip, extra={**extra, "answered_early": True})
        else:
            self.rec.flush()

    def _scan_parts(self, st: FlowState, d: Decoded, ts: float):
        scan_parts(self.rec, st, d, ts)

    def _scan_head(self, st: FlowState, req: http.Request, ts: float):
        d = Decoded()
        name_parts(d, "host", req.pretty_host)
        path, _, query = req.path.partition("?")
        d.add("path", path.encode("latin-1", "replace"), unquote_to_bytes(path))
        if query:
            add_pairs(d, "query", query)
        for name, value in req.headers.fields:
            lname = name.decode("latin-1").lower()
            if lname == "cookie":
                add_pairs(d, "cookie", value.decode("latin-1"), sep=";", plus=False)
            elif lname not in ("host", "content-length", "content-type", "content-encoding", "transfer-encoding"):
                d.add(f"header:{lname}", value, unquote_to_bytes(value) if b"%" in value else b"")
        self._scan_parts(st, d, ts)

    def _scan_body(self, st: FlowState, req: http.Request, ts: float):
        raw = req.raw_content or b""
        st.bytes = len(raw)
        if not raw:
            return
        d = decode_body(raw, req.headers.get("content-type", ""), req.headers.get("content-encoding", ""),
                        cap=self.body_cap)
        st.capped |= d.capped
        st.errors += d.errors
        self._scan_parts(st, d, ts)

    def response(self, flow: http.HTTPFlow):
        try:
            st = self._state(flow)
            ip = None
            if not self.offline.enabled and flow.server_conn and flow.server_conn.peername:
                ip = flow.server_conn.peername[0]
            extra = {"http_version": flow.request.http_version}
            if flow.websocket is not None:
                extra["websocket"] = True
            if flow.response is not None and flow.response.headers.get(OFFLINE_HEADER[0]) == OFFLINE_HEADER[1]:
                extra["offline"] = True
            if flow.websocket is not None and flow.response is not None and flow.response.status_code == 101:
                # keep the state for the messages; the flow event is written now
                self._emit_flow_keep(st, flow.response.status_code, ip, extra)
                return
            status = flow.response.status_code if flow.response else None
            if st.stream is not None and not st.body_done:
                st.answered = (status, ip, extra)    # the body still streams: the flow is written when it ends
                return
            self._emit_flow(st, status, ip=ip, extra=extra)
        except Exception as exc:
            self.rec.failed("response", flow, exc)

    def _emit_flow_keep(self, st: FlowState, status, ip, extra):
        self._emit_flow(st, status, ip=ip, extra=extra)
        st.done = True
        self._flows[st.flow_id] = st        # WebSocket messages still come

    def error(self, flow: http.HTTPFlow):
        try:
            st = self._flows.get(flow.id)
            if st is None:
                st = self._state(flow)
            if st.done:
                return
            if st.stream is not None and not st.sent:
                # a body cut short (a reset stream, a truncated chunked upload): what arrived was searched as it came
                st.bytes = st.stream.total
                self._emit_matches(st, st.stream.matches(), "body.partial", time.time())
            err = flow.error.msg if flow.error else "error"
            extra = st.answered[2] if st.answered is not None else None
            self._emit_flow(st, flow.response.status_code if flow.response else None, error=err, extra=extra)
        except Exception as exc:
            self.rec.failed("error", flow, exc)

    # --- WebSocket, TCP, UDP --------------------------------------------------------------------
    def websocket_message(self, flow: http.HTTPFlow):
        try:
            msg = flow.websocket.messages[-1]
            if not msg.from_client or self.rec.matcher is None:
                return
            self.rec.poll_derived()
            st = self._state(flow)
            d = decode_body(msg.content, "", "", cap=self.body_cap)
            for p in d.parts:
                p.where = "ws"
            self._scan_parts(st, d, msg.timestamp)
            self.rec.flush()
        except Exception as exc:
            self.rec.failed("websocket scan", flow, exc)

    def websocket_end(self, flow: http.HTTPFlow):
        self._flows.pop(flow.id, None)

    def _conn_state(self, flow, scheme: str) -> FlowState:
        st = self._flows.get(flow.id)
        if st is None:
            addr = flow.server_conn.address or ("", 0)
            host = flow.client_conn.sni or addr[0] or ""
            meta = getattr(flow, "metadata", None)
            if isinstance(meta, dict):
                # the destination as the client asked for it (offline mode later points the connection
                # at a loopback sink): kept in the flow file so replay and rematch see the same host
                seen = meta.get("sdkgate_dst")
                if isinstance(seen, (list, tuple)) and len(seen) == 3:
                    host, addr = seen[0], (seen[1], seen[2])
                else:
                    meta["sdkgate_dst"] = [host, addr[0], addr[1]]
            st = FlowState(flow.id, host, scheme, "", f":{addr[1]}" if addr[1] else "",
                           self.rec.actor(host), registrable_domain(host))
            st.dst = _dst(addr)
            self._flows[flow.id] = st
        return st

    def tcp_start(self, flow):
        try:
            self._conn_state(flow, "tcp")
        except Exception as exc:
            self.rec.failed("tcp_start", flow, exc)

    def tcp_message(self, flow):
        try:
            msg = flow.messages[-1]
            if self.rec.matcher is None:
                return
            self.rec.poll_derived()
            st = self._conn_state(flow, "tcp")
            if msg.from_client:
                if st.tcp_scan is None:
                    st.tcp_scan = self.rec.matcher.stream()
                scan, where = st.tcp_scan, "tcp"
            else:
                if st.tcp_in is None:
                    st.tcp_in = self.rec.matcher.stream()
                scan, where = st.tcp_in, "tcp:from_server"
            scan.feed(msg.content)
            if msg.from_client:
                st.bytes += len(msg.content)
                self._emit_matches(st, scan.matches(), where, msg.timestamp)
            else:
                self._inbound(st, scan.matches(), where, msg.timestamp)
            self.rec.flush()
        except Exception as exc:
            self.rec.failed("tcp scan", flow, exc)

    def _inbound(self, st: FlowState, matches: list[Match], where: str, ts: float | None):
        """Planted values coming back from the server: noted on the flow. When the client side of the
        connection never showed that value (it sent it in a form we cannot read, e.g. encrypted) the
        server knowing it proves it left the device: a send with where `...:from_server`."""
        st.inbound |= {f"{m.category}/{m.encoding}" for m in matches}
        out_cats = {k[1] for k in st.sent if not k[0].endswith(":from_server")}
        proof = [m for m in matches if m.category not in out_cats]
        if proof:
            self._emit_matches(st, proof, where, ts)

    def tcp_end(self, flow):
        try:
            st = self._conn_state(flow, "tcp")
            ip = flow.server_conn.peername[0] if (not self.offline.enabled and flow.server_conn.peername) else None
            self._emit_flow(st, None, ip=ip, error=flow.error.msg if flow.error else None)
        except Exception as exc:
            self.rec.failed("tcp_end", flow, exc)

    tcp_error = tcp_end

    def udp_message(self, flow):
        try:
            msg = flow.messages[-1]
            if self.rec.matcher is None:
                return
            self.rec.poll_derived()
            st = self._conn_state(flow, "udp")
            if msg.from_client:
                st.bytes += len(msg.content)
                self._emit_matches(st, self.rec.matcher.scan(msg.content), "udp", msg.timestamp)
            else:
                self._inbound(st, self.rec.matcher.scan(msg.content), "udp:from_server", msg.timestamp)
            self.rec.flush()
        except Exception as exc:
            self.rec.failed("udp scan", flow, exc)

    def udp_end(self, flow):
        try:
            st = self._conn_state(flow, "udp")
            self._emit_flow(st, None, error=flow.error.msg if flow.error else None)
        except Exception as exc:
            self.rec.failed("udp_end", flow, exc)

    udp_error = udp_end


def _dst(addr) -> str:
    """"ip:port" (or "host:port") of a connection's destination, "" when unknown."""
    if not addr or not addr[0]:
        return ""
    host, port = str(addr[0]), addr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
