"""Client connections that never became a flow, and idle connections.

A client that connects to the proxy port and sends something that is neither HTTP, TLS nor a tunnel
request (or nothing at all until it is timed out) leaves no flow in mitmproxy; it is recorded as a
`flow` event with `error` (no host, `flow_id` `conn-<id>`), so the evidence says a connection was made
and what became of it. Idle client connections are closed after `sdkgate_idle_timeout` seconds
(mitmproxy's own inactivity watchdog, whose 10-minute default is otherwise fixed).
"""
import logging
import time

from sdkgate.net.recorder import NetRecorder

log = logging.getLogger("sdkgate.net")

IDLE_TIMEOUT_S = 120


class Connections:
    """Tracks which client connections produced a flow (bounded by the connections open at once)."""

    def __init__(self, recorder: NetRecorder):
        self.rec = recorder
        self._opened: dict[str, float] = {}     # client id -> connect time, while open
        self._with_flow: set[str] = set()       # open client ids that produced a flow / TLS event
        self.idle_timeout = IDLE_TIMEOUT_S

    def load(self, loader):
        loader.add_option("sdkgate_idle_timeout", int, IDLE_TIMEOUT_S,
                          "sdkgate: close client connections idle for this many seconds.")

    def configure(self, updated):
        from mitmproxy import ctx
        if "sdkgate_idle_timeout" in updated:
            self.set_idle_timeout(ctx.options.sdkgate_idle_timeout)

    def set_idle_timeout(self, seconds: int) -> None:
        from mitmproxy.proxy import server
        self.idle_timeout = max(1, int(seconds))
        server.TCP_TIMEOUT = self.idle_timeout  # read by every new connection's inactivity watchdog

    # --- mitmproxy events ---------------------------------------------------------------------
    def client_connected(self, client):
        self._opened[client.id] = time.time()

    def saw(self, client) -> None:
        """A flow or TLS event came from this client connection."""
        if client is not None:
            self._with_flow.add(client.id)

    def client_disconnected(self, client):
        started = self._opened.pop(client.id, None)
        if client.id in self._with_flow:
            self._with_flow.discard(client.id)
            return
        if started is None:
            return
        try:
            now = time.time()
            idle = now - started >= self.idle_timeout - 0.5
            reason = str(client.error or "") or (
                f"idle for {self.idle_timeout} s without a request: closed by the proxy" if idle else
                "closed without a request the proxy could read (not HTTP, TLS or a tunnel request)")
            peer = client.peername[0] if client.peername else ""
            self.rec.emit("flow", actor="unknown", host="", domain="", scheme="", method="", path="",
                          status=None, flow_id=f"conn-{client.id}", bytes=0, capped=False, error=reason,
                          client=str(peer))
            self.rec.flush()
        except Exception as exc:        # never take the proxy down over a bookkeeping event
            log.error("sdkgate: client_disconnected: %r", exc)
