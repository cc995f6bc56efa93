"""`tls_failed` events: a client rejected our certificate (pinning), so nothing can be said about
what it sent to that host and the engine must report the run as incomplete."""
import logging

from sdkgate.net.attribution import registrable_domain
from sdkgate.net.recorder import NetRecorder

log = logging.getLogger("sdkgate.net")


class TlsFailures:
    """Records every failed client TLS handshake through the shared recorder."""

    def __init__(self, recorder: NetRecorder):
        self.rec = recorder

    def tls_failed_client(self, data):
        try:
            client = data.context.client
            addr = data.context.server.address or ("", 0)
            host = client.sni or addr[0] or ""
            reason = str(data.conn.error or "TLS handshake with the client failed")
            self.rec.emit("tls_failed", actor=self.rec.actor(host),
                          host=host, domain=registrable_domain(host), port=addr[1], reason=reason)
            self.rec.flush()
        except Exception as exc:
            log.error("sdkgate: tls_failed_client: %r", exc)
