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
"""
# no `from __future__ import annotations`: `mitmdump -s` runs this file outside sys.modules, where
# dataclasses cannot resolve string annotations

import asyncio
import logging
import os
import time
import traceback
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes

from mitmproxy import ctx, exceptions, http

from sdkgate.canaries import load_canary_file
from sdkgate.errors import InputError
from sdkgate.events import EventWriter
from sdkgate.net.attribution import Attributor, registrable_domain
from sdkgate.net.decode import DECODE_CAP, Decoded, add_pairs, decode_body
from sdkgate.net.matcher import Match, Matcher, StreamScan

log = logging.getLogger("sdkgate.net")

T0_ENV = "SDKGATE_T0_MS"
PATH_CAP = 2048
STREAM_DECODED_CAP = 256 * 1024 * 1024     # decoded bytes scanned of one streamed, compressed upload
OFFLINE_HEADER = ("x-sdkgate", "offline")


@dataclass
class BodyStream:
    """mitmproxy `request.stream` callable: forwards chunks unchanged, keeps up to `cap` bytes for a
    full structured scan, and past the cap scans the raw (and gzip/deflate-decoded) stream with
    bounded memory."""
    matcher: Matcher
    cap: int
    content_encoding: str = ""
    buf: bytearray = field(default_factory=bytearray)
    total: int = 0
    over: bool = False
    raw_scan: StreamScan | None = None
    dec_scan: StreamScan | None = None
    _dec: object | None = None
    decoded: int = 0
    decode_capped: bool = False
    finished: bool = False          # mitmproxy streamed the body (and called us with b"" at its end)

    def __call__(self, chunk: bytes) -> bytes:
        if not chunk:
            self.finished = True
        if chunk:
            self.total += len(chunk)
            if not self.over:
                self.buf += chunk
                if len(self.buf) > self.cap:
                    self.over = True
                    self.raw_scan = self.matcher.stream()
                    enc = self.content_encoding.strip().lower()
                    if enc in ("gzip", "x-gzip", "deflate"):
                        self._dec = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in enc else zlib.MAX_WBITS)
                        self.dec_scan = self.matcher.stream()
                    data, self.buf = bytes(self.buf), bytearray()
                    self._feed(data)
            else:
                self._feed(chunk)
        return chunk

    def _feed(self, data: bytes) -> None:
        assert self.raw_scan is not None
        self.raw_scan.feed(data)
        if self._dec is None or self.dec_scan is None or self.decode_capped:
            return
        try:
            while data:
                out = self._dec.decompress(data, 1 << 20)
                self.decoded += len(out)
                self.dec_scan.feed(out)
                if self.decoded > STREAM_DECODED_CAP:
                    self.decode_capped = True
                    return
                data = self._dec.unconsumed_tail
                if not out:
                    break
        except zlib.error:
            self._dec = None

    def matches(self) -> list[Match]:
        out: list[Match] = []
        for s in (self.raw_scan, self.dec_scan):
            if s:
                out += [m for m in s.matches() if m not in out]
        return out


@dataclass
class FlowState:
    flow_id: str
    host: str
    scheme: str
    method: str
    path: str
    actor: str
    domain: str
    stream: BodyStream | None = None
    redirected: tuple | None = None          # original (scheme, host, port) of an offline-sunk stream
    tcp_scan: StreamScan | None = None
    bytes: int = 0
    capped: bool = False
    errors: list[str] = field(default_factory=list)
    sent: set = field(default_factory=set)
    done: bool = False


class SdkgateAddon:
    """See the module docstring. Constructor arguments win over the `sdkgate_*` options."""

    def __init__(self, canaries: dict[str, list[str]] | str | Path | None = None, out_dir: str | Path | None = None,
                 offline: bool | None = None, manifest=None, t0_ms: float | None = None,
                 body_cap: int = DECODE_CAP):
        self._canaries_arg = canaries
        self._out_arg = out_dir
        self._offline_arg = offline
        self._manifest_arg = manifest
        self._t0_arg = t0_ms
        self.body_cap = body_cap
        self.matcher: Matcher | None = None
        self.attributor: Attributor | None = None
        self.writer: EventWriter | None = None
        self.out_dir: Path | None = None
        self.offline = False
        self.t0_ms: float | None = None
        self._last_t = 0.0
        self._flows: dict[str, FlowState] = {}
        self._http_sink: tuple[str, int] | None = None
        self._tcp_sink: tuple[str, int] | None = None
        self._servers: list[asyncio.AbstractServer] = []
        self.counts = {"send": 0, "flow": 0, "tls_failed": 0, "incomplete": 0}

    # --- options and lifecycle ------------------------------------------------------------------
    def load(self, loader):
        loader.add_option("sdkgate_canaries", str, "", "sdkgate: canary file (JSON: category id -> value(s)).")
        loader.add_option("sdkgate_out", str, "", "sdkgate: folder receiving net.jsonl (and flows.har).")
        loader.add_option("sdkgate_offline", bool, False, "sdkgate: answer every request locally with 204.")
        loader.add_option("sdkgate_manifest", str, "", "sdkgate: app manifest (first-party domains, extra SDK rows).")
        loader.add_option("sdkgate_t0", int, 0, "sdkgate: run start, epoch ms (t_ms is relative to it).")

    def configure(self, updated):
        o = ctx.options
        try:
            if self.matcher is None and (self._canaries_arg is not None or o.sdkgate_canaries):
                src = self._canaries_arg if self._canaries_arg is not None else o.sdkgate_canaries
                canaries = src if isinstance(src, dict) else load_canary_file(src)
                self.matcher = Matcher(canaries)
            if self.attributor is None or "sdkgate_manifest" in updated:
                man = self._manifest_arg
                if man is None and o.sdkgate_manifest:
                    from sdkgate.manifest import load_manifest
                    man = load_manifest(o.sdkgate_manifest)
                self.attributor = Attributor.for_manifest(man)
        except InputError as exc:
            raise exceptions.OptionsError(exc.render()) from None
        if self.writer is None and (self._out_arg is not None or o.sdkgate_out):
            self.out_dir = Path(self._out_arg if self._out_arg is not None else o.sdkgate_out)
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.writer = EventWriter(self.out_dir / "net.jsonl")
        offline = self._offline_arg if self._offline_arg is not None else o.sdkgate_offline
        if offline and not self.offline:
            self.offline = True
            # no upstream connection before a request needs one, no upstream cert sniffing
            o.update_known(connection_strategy="lazy", upstream_cert=False)
        if "stream_large_bodies" in o.keys() and not o.stream_large_bodies:
            o.update(stream_large_bodies=str(self.body_cap))
        if self.t0_ms is None:
            t0 = self._t0_arg if self._t0_arg is not None else (o.sdkgate_t0 or os.environ.get(T0_ENV))
            self.t0_ms = float(t0) if t0 else time.time() * 1000

    async def running(self):
        if self.t0_ms is None:          # added in-process without an options change: configure now
            self.configure(set(ctx.options.keys()))
        if self.offline and self._http_sink is None:
            s1 = await asyncio.start_server(_sink_http, "127.0.0.1", 0)
            s2 = await asyncio.start_server(_sink_tcp, "127.0.0.1", 0)
            self._servers = [s1, s2]
            self._http_sink = s1.sockets[0].getsockname()[:2]
            self._tcp_sink = s2.sockets[0].getsockname()[:2]
        if self.out_dir is not None:
            from sdkgate.net.proxy import listen_addr, write_ready
            addr = listen_addr(ctx.master)
            if addr:          # the proxy server is listening by now: tell whoever waits (ProxyProcess)
                write_ready(self.out_dir, addr[0], addr[1], ctx.options.confdir)

    def done(self):
        for st in list(self._flows.values()):
            if not st.done:
                if st.stream is not None:
                    self._emit_matches(st, st.stream.matches() if st.stream.over else
                                       self.matcher.scan(bytes(st.stream.buf)) if self.matcher else [], "body.stream", time.time())
                self._emit_flow(st, None, error="still open at proxy shutdown")
        for s in self._servers:
            s.close()
        if self.writer:
            self.writer.flush()
            self.writer.close()
            self.writer = None
        try:
            stream_file = ctx.options.save_stream_file
        except (AttributeError, KeyError):
            stream_file = ""
        if stream_file and self.out_dir and Path(stream_file).exists():
            from sdkgate.net.har import write_har
            try:
                write_har(stream_file, self.out_dir / "flows.har")
            except Exception as exc:       # never lose net.jsonl over a HAR problem
                log.error("sdkgate: HAR export failed: %r", exc)

    # --- events ---------------------------------------------------------------------------------
    def _t(self, ts: float | None = None) -> float:
        t = round((ts if ts is not None else time.time()) * 1000 - (self.t0_ms or 0), 3)
        if t < self._last_t:
            t = self._last_t                # one source's clock never runs backwards
        self._last_t = t
        return t

    def _emit(self, kind: str, ts: float | None = None, **fields):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.writer is None:
            return None
        ev = self.writer.emit("net", kind, self._t(ts), **fields)
        return ev

    def _flush(self):
        if self.writer:
            self.writer.flush()

    def _emit_matches(self, st: FlowState, matches: list[Match], where: str, ts: float | None):
        for m in matches:
            key = (where, m.category, m.value, m.encoding)
            if key in st.sent:
                continue
            st.sent.add(key)
            self._emit("send", ts, category=m.category, actor=st.actor, host=st.host, domain=st.domain,
                       scheme=st.scheme, method=st.method, path=st.path, encoding=m.encoding, where=where,
                       flow_id=st.flow_id)

    def _emit_flow(self, st: FlowState, status: int | None, *, ip: str | None = None, error: str | None = None,
                   extra: dict | None = None):
        if st.done:
            return
        st.done = True
        fields = dict(actor=st.actor, host=st.host, domain=st.domain, scheme=st.scheme, method=st.method,
                      path=st.path, status=status, flow_id=st.flow_id, bytes=st.bytes, capped=st.capped)
        if ip:
            fields["ip"] = ip
        if error:
            fields["error"] = error
        if st.errors:
            fields["notes"] = st.errors[:10]
        if extra:
            fields.update(extra)
        self._emit("flow", **fields)
        self._flows.pop(st.flow_id, None)
        self._flush()

    def _failed(self, what: str, flow, exc: BaseException):
        host = ""
        try:
            host = flow.request.pretty_host if hasattr(flow, "request") else \
                (flow.server_conn.address or ("",))[0]
        except Exception:
            pass
        log.error("sdkgate: %s failed on flow %s (%s): %s", what, getattr(flow, "id", "?"), host,
                  traceback.format_exc())
        self._emit("incomplete", reason=f"net: {what} failed on flow {getattr(flow, 'id', '?')} ({host}): {exc!r}",
                   flow_id=getattr(flow, "id", None), host=host)
        self._flush()

    # --- HTTP -----------------------------------------------------------------------------------
    def _state(self, flow: http.HTTPFlow) -> FlowState:
        st = self._flows.get(flow.id)
        if st is None:
            req = flow.request
            host = req.pretty_host
            st = FlowState(flow.id, host, req.scheme, req.method, req.path[:PATH_CAP],
                           self.attributor.actor(host) if self.attributor else "unknown",
                           registrable_domain(host))
            self._flows[flow.id] = st
        return st

    def requestheaders(self, flow: http.HTTPFlow):
        try:
            st = self._state(flow)
            req = flow.request
            if self.matcher is None:
                return
            unknown_len = "content-length" not in req.headers and (
                "chunked" in req.headers.get("transfer-encoding", "").lower()
                or (req.http_version.startswith("HTTP/2") and req.method not in ("GET", "HEAD", "OPTIONS", "DELETE")))
            if req.stream is True or unknown_len:
                st.stream = BodyStream(self.matcher, self.body_cap, req.headers.get("content-encoding", ""))
                req.stream = st.stream
                if self.offline and self._http_sink:
                    st.redirected = (req.scheme, req.data.host, req.data.port)
                    req.scheme = "http"
                    req.data.host, req.data.port = self._http_sink
        except Exception as exc:
            self._failed("requestheaders", flow, exc)

    def request(self, flow: http.HTTPFlow):
        try:
            st = self._state(flow)
            req = flow.request
            if st.redirected:                      # record the real destination, not the sink
                req.scheme, req.data.host, req.data.port = st.redirected
                if not (st.stream and st.stream.finished):
                    st.redirected = None           # not streamed after all (no body): answer locally below
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
                    self._flush()
                    return
                req.raw_content = bytes(st.stream.buf)
                st.stream.buf = bytearray()
            elif req.raw_content is None:
                st.capped = True
                st.errors.append("body streamed by mitmproxy and not scanned")
            self._scan_head(st, req, ts)
            self._scan_body(st, req, ts)
            self._flush()
        except Exception as exc:
            self._failed("request scan", flow, exc)
        finally:
            if self.offline and flow.response is None and not (self._flows.get(flow.id) and self._flows[flow.id].redirected):
                flow.response = http.Response.make(204, b"", {OFFLINE_HEADER[0]: OFFLINE_HEADER[1]})

    def _scan_parts(self, st: FlowState, d: Decoded, ts: float):
        m = self.matcher
        for part in d.parts:
            found: list[Match] = []
            seen_values: set[tuple[str, str]] = set()
            for i, rep in enumerate(part.reps):
                for match in m.scan(rep):
                    if i and (match.category, match.value) in seen_values:
                        continue                      # a decoded view adds only values the wire form hid
                    found.append(match)
                seen_values |= {(x.category, x.value) for x in found}
            self._emit_matches(st, found, part.where, ts)

    def _scan_head(self, st: FlowState, req: http.Request, ts: float):
        d = Decoded()
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
            if not self.offline and flow.server_conn and flow.server_conn.peername:
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
            self._emit_flow(st, flow.response.status_code if flow.response else None, ip=ip, extra=extra)
        except Exception as exc:
            self._failed("response", flow, exc)

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
                # a body cut short (e.g. truncated chunked upload): scan what did arrive
                partial = st.stream.matches() if st.stream.over else self.matcher.scan(bytes(st.stream.buf))
                st.bytes = st.stream.total
                self._emit_matches(st, partial, "body.partial", time.time())
            err = flow.error.msg if flow.error else "error"
            self._emit_flow(st, flow.response.status_code if flow.response else None, error=err)
        except Exception as exc:
            self._failed("error", flow, exc)

    # --- WebSocket, TCP, UDP --------------------------------------------------------------------
    def websocket_message(self, flow: http.HTTPFlow):
        try:
            msg = flow.websocket.messages[-1]
            if not msg.from_client or self.matcher is None:
                return
            st = self._state(flow)
            d = decode_body(msg.content, "", "", cap=self.body_cap)
            for p in d.parts:
                p.where = "ws"
            self._scan_parts(st, d, msg.timestamp)
            self._flush()
        except Exception as exc:
            self._failed("websocket scan", flow, exc)

    def websocket_end(self, flow: http.HTTPFlow):
        self._flows.pop(flow.id, None)

    def _conn_state(self, flow, scheme: str) -> FlowState:
        st = self._flows.get(flow.id)
        if st is None:
            addr = flow.server_conn.address or ("", 0)
            host = flow.client_conn.sni or addr[0] or ""
            st = FlowState(flow.id, host, scheme, "", f":{addr[1]}" if addr[1] else "",
                           self.attributor.actor(host) if self.attributor else "unknown", registrable_domain(host))
            self._flows[flow.id] = st
        return st

    def tcp_start(self, flow):
        try:
            self._conn_state(flow, "tcp")
        except Exception as exc:
            self._failed("tcp_start", flow, exc)

    def tcp_message(self, flow):
        try:
            msg = flow.messages[-1]
            if not msg.from_client or self.matcher is None:
                return
            st = self._conn_state(flow, "tcp")
            if st.tcp_scan is None:
                st.tcp_scan = self.matcher.stream()
            st.tcp_scan.feed(msg.content)
            st.bytes += len(msg.content)
            self._emit_matches(st, st.tcp_scan.matches(), "tcp", msg.timestamp)
            self._flush()
        except Exception as exc:
            self._failed("tcp scan", flow, exc)

    def tcp_end(self, flow):
        try:
            st = self._conn_state(flow, "tcp")
            ip = flow.server_conn.peername[0] if (not self.offline and flow.server_conn.peername) else None
            self._emit_flow(st, None, ip=ip, error=flow.error.msg if flow.error else None)
        except Exception as exc:
            self._failed("tcp_end", flow, exc)

    tcp_error = tcp_end

    def udp_message(self, flow):
        try:
            msg = flow.messages[-1]
            if not msg.from_client or self.matcher is None:
                return
            st = self._conn_state(flow, "udp")
            st.bytes += len(msg.content)
            self._emit_matches(st, self.matcher.scan(msg.content), "udp", msg.timestamp)
            self._flush()
        except Exception as exc:
            self._failed("udp scan", flow, exc)

    def udp_end(self, flow):
        try:
            st = self._conn_state(flow, "udp")
            self._emit_flow(st, None, error=flow.error.msg if flow.error else None)
        except Exception as exc:
            self._failed("udp_end", flow, exc)

    udp_error = udp_end

    # --- TLS and the offline guard --------------------------------------------------------------
    def tls_failed_client(self, data):
        try:
            client = data.context.client
            addr = data.context.server.address or ("", 0)
            host = client.sni or addr[0] or ""
            reason = str(data.conn.error or "TLS handshake with the client failed")
            self._emit("tls_failed", actor=self.attributor.actor(host) if self.attributor else "unknown",
                       host=host, domain=registrable_domain(host), port=addr[1], reason=reason)
            self._flush()
        except Exception as exc:
            log.error("sdkgate: tls_failed_client: %r", exc)

    def server_connect(self, data):
        """Offline: the only connections allowed are to our own loopback sinks."""
        if not self.offline:
            return
        addr = data.server.address
        if addr in (self._http_sink, self._tcp_sink):
            return
        if data.server.tls or self._tcp_sink is None:
            data.server.error = "sdkgate offline mode: no upstream connections"
            return
        data.server.address = self._tcp_sink


async def _sink_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    """Loopback HTTP/1.1 server standing in for upstream in offline mode: reads and drops bodies, answers 204."""
    import h11
    conn = h11.Connection(h11.SERVER)
    try:
        while True:
            ev = conn.next_event()
            if ev is h11.NEED_DATA:
                data = await reader.read(1 << 16)
                conn.receive_data(data)
                if not data:
                    break
                continue
            if isinstance(ev, h11.EndOfMessage):
                writer.write(conn.send(h11.Response(status_code=204, headers=[OFFLINE_HEADER])))
                writer.write(conn.send(h11.EndOfMessage()))
                await writer.drain()
                if conn.our_state is h11.MUST_CLOSE:
                    break
                conn.start_next_cycle()
            elif isinstance(ev, h11.ConnectionClosed):
                break
    except Exception:
        pass
    finally:
        writer.close()


async def _sink_tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    try:
        while await reader.read(1 << 16):
            pass
    except Exception:
        pass
    finally:
        writer.close()


addons = [SdkgateAddon()]
