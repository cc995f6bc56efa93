"""Offline mode (`sdkgate_offline`): nothing the app sends ever leaves the host.

Every request is answered here with 204. A body that is streamed (see `stream.BodyStream`) has to
go somewhere while it is scanned, so its request is pointed at a loopback HTTP sink in this process,
which answers only once the body has ended (a body without a length, e.g. an HTTP/2 upload, reaches
the sink chunk-framed); TCP goes to a loopback sink too, and any other upstream connection is refused.
"""
import asyncio

from mitmproxy import ctx, http

from sdkgate.net.stream import BodyStream

OFFLINE_HEADER = ("x-sdkgate", "offline")


class OfflineResponder:
    """Answers locally, sinks streamed bodies and TCP on loopback, and blocks `server_connect`.
    Must see `requestheaders` after the capture (which decides what is streamed)."""

    def __init__(self, offline: bool | None = None):
        self._offline_arg = offline
        self.enabled = False
        self.http_sink: tuple[str, int] | None = None
        self.framed_sink: tuple[str, int] | None = None  # bodies without a length, chunk-framed by BodyStream
        self.tcp_sink: tuple[str, int] | None = None
        self.ws_sink: tuple[str, int] | None = None     # accepts WebSocket upgrades, reads and drops messages
        self._ws: set[str] = set()                      # flow ids of WebSocket upgrades sent to ws_sink
        self._servers: list[asyncio.AbstractServer] = []
        self._redirected: dict[str, tuple[tuple, BodyStream]] = {}    # flow id -> real destination, stream

    def load(self, loader):
        loader.add_option("sdkgate_offline", bool, False, "sdkgate: answer every request locally with 204.")

    def configure(self, updated):
        o = ctx.options
        offline = self._offline_arg if self._offline_arg is not None else o.sdkgate_offline
        if offline and not self.enabled:
            self.enabled = True
            # no upstream connection before a request needs one, no upstream cert sniffing
            o.update_known(connection_strategy="lazy", upstream_cert=False)

    async def running(self):
        if self.enabled:
            # mitmproxy's own resolver would answer DNS queries with real lookups: offline, nothing
            # leaves the host, the queries are answered by wire.WireNames (before any client connects)
            resolver = ctx.master.addons.get("dnsresolver")
            if resolver is not None:
                ctx.master.addons.remove(resolver)
        if self.enabled and self.http_sink is None:
            s1 = await asyncio.start_server(_sink_http, "127.0.0.1", 0)
            s2 = await asyncio.start_server(_sink_tcp, "127.0.0.1", 0)
            s3 = await asyncio.start_server(_sink_ws, "127.0.0.1", 0)
            s4 = await asyncio.start_server(_sink_framed, "127.0.0.1", 0)
            self._servers = [s1, s2, s3, s4]
            self.http_sink = s1.sockets[0].getsockname()[:2]
            self.tcp_sink = s2.sockets[0].getsockname()[:2]
            self.ws_sink = s3.sockets[0].getsockname()[:2]
            self.framed_sink = s4.sockets[0].getsockname()[:2]

    def done(self):
        for s in self._servers:
            s.close()

    # --- HTTP -----------------------------------------------------------------------------------
    def requestheaders(self, flow: http.HTTPFlow):
        """A body the capture streams is sent to the loopback sink instead of the real server."""
        req = flow.request
        if self.enabled and self.ws_sink and _is_ws_upgrade(req):
            # offline WebSocket: the upgrade goes to a loopback sink that accepts it, so the app sends
            # its messages and the capture records them (the Host header keeps the real name)
            self._ws.add(flow.id)
            req.scheme = "http"
            req.data.host, req.data.port = self.ws_sink
            return
        if self.enabled and self.http_sink and isinstance(req.stream, BodyStream):
            self._redirected[flow.id] = ((req.scheme, req.data.host, req.data.port), req.stream)
            # a body without a length (HTTP/2 DATA frames) would reach an HTTP/1 sink unframed: the sink
            # would take it for a body-less request and answer before the body ends
            unframed = "content-length" not in req.headers and \
                "chunked" not in req.headers.get("transfer-encoding", "").lower()
            req.stream.frame = unframed
            req.scheme = "http"
            req.data.host, req.data.port = self.framed_sink if unframed else self.http_sink

    def request(self, flow: http.HTTPFlow):
        """Put back the real destination (the flow file records it, not the sink); answer every
        request the sink does not answer with 204."""
        if flow.id in self._ws:
            self._ws.discard(flow.id)
            return                             # the WebSocket sink answers 101
        redirected = self._redirected.pop(flow.id, None)
        if redirected:
            (flow.request.scheme, flow.request.data.host, flow.request.data.port), stream = redirected
            if stream.finished:
                return                         # streamed to the sink, which answers
            # not streamed after all (no body): answer locally below
        if self.enabled and flow.response is None:
            flow.response = http.Response.make(204, b"", {OFFLINE_HEADER[0]: OFFLINE_HEADER[1]})

    def error(self, flow: http.HTTPFlow):
        self._redirected.pop(flow.id, None)

    # --- connections ----------------------------------------------------------------------------
    def server_connect(self, data):
        """Offline: the only connections allowed are to our own loopback sinks."""
        if not self.enabled:
            return
        addr = data.server.address
        if addr in (self.http_sink, self.framed_sink, self.tcp_sink, self.ws_sink):
            return
        if data.server.tls or self.tcp_sink is None:
            data.server.error = "sdkgate offline mode: no upstream connections"
            return
        data.server.address = self.tcp_sink


async def _sink_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes = b""):
    """Loopback HTTP/1.1 server standing in for upstream in offline mode: reads and drops bodies, answers
    204 once a body has ended."""
    import h11
    conn = h11.Connection(h11.SERVER)
    if head:
        conn.receive_data(head)
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


async def _sink_framed(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    """The sink for streamed bodies without a length: BodyStream chunk-frames them, the request head
    says so here (one request per connection: the head is the first one)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        writer.close()
        return
    await _sink_http(reader, writer, head[:-2] + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")


async def _sink_tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    """Loopback TCP sink in offline mode: reads and drops everything."""
    try:
        while await reader.read(1 << 16):
            pass
    except Exception:
        pass
    finally:
        writer.close()


def _is_ws_upgrade(req: http.Request) -> bool:
    return "websocket" in req.headers.get("upgrade", "").lower() and "upgrade" in req.headers.get("connection", "").lower()


async def _sink_ws(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    """Loopback WebSocket server standing in for upstream in offline mode: accepts the upgrade,
    reads and drops every message, answers pings and closes (wsproto does the protocol)."""
    from wsproto import ConnectionType, WSConnection
    from wsproto.events import CloseConnection, Ping, Request
    from wsproto.events import AcceptConnection
    ws = WSConnection(ConnectionType.SERVER)
    try:
        while True:
            data = await reader.read(1 << 16)
            ws.receive_data(data or None)
            for ev in ws.events():
                if isinstance(ev, Request):
                    writer.write(ws.send(AcceptConnection()))
                elif isinstance(ev, Ping):
                    writer.write(ws.send(ev.response()))
                elif isinstance(ev, CloseConnection):
                    writer.write(ws.send(ev.response()))
                    await writer.drain()
                    return
            await writer.drain()
            if not data:
                return
    except Exception:
        pass
    finally:
        writer.close()
