"""SG900 "traffic not observed": every destination the app reached (hook `net_connect`) must show up
in the proxy's evidence (net `flow`/`tls_failed`, matched by ip or host name and time), or be the
proxy itself (a `capture` step event lists its listeners). Anything else went around the proxy: a
push socket, a NO_PROXY client, QUIC when allowed. What the proxy did not see cannot be judged, so
the run is incomplete and the reason names the destination and the actor.

Proxy evidence alone (no agent socket coverage: no `net_connect`, no agent with its socket hooks) is
never a pass: what the proxy cannot see is named per capture mode (issue 22).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ..events import Event
from ..i18n import N_, Msg, msg
from .state import RunState

SLACK_MS = 5000          # clocks of agent and proxy agree within this (flows end after they start)
ANY_HOSTS = ("0.0.0.0", "::", "")
# what a capture mode cannot see without the agent's socket hooks (and its derived-value tracking)
UNSEEN_WITHOUT_AGENT = {
    "proxy": N_("traffic that bypasses the proxy, QUIC and values transformed before sending"),
    "wireguard": N_("QUIC and values transformed before sending"),
    "transparent": N_("QUIC and values transformed before sending"),
}


@dataclass
class _Reach:
    t_ms: float
    ip: str
    port: int
    protocol: str
    host: str
    actor: str
    ev: Event


@dataclass
class _Seen:
    t_ms: float
    ips: set = field(default_factory=set)
    hosts: set = field(default_factory=set)
    ports: set = field(default_factory=set)


def _split(dst: str) -> tuple[str, int | None]:
    host, _, port = (dst or "").rpartition(":")
    host = host.strip("[]")
    try:
        return host, int(port)
    except ValueError:
        return dst, None


def _is_loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


class CoverageRules:
    def __init__(self):
        self.reached: list[_Reach] = []
        self.seen: list[_Seen] = []
        self.listeners: list[tuple[str, int]] = []
        self.mode: str | None = None        # capture mode of the run (a `capture` step event)
        self.net_evidence = False           # the proxy recorded something
        self.agent_sockets = False          # the agent's socket hooks were in place (or reported a connect)

    def capture(self, ev: Event, st: RunState):
        """How the run captured traffic: the proxy's own addresses are not bypasses; the report says
        when the capture was partial (system proxy only) and when unpinning was on."""
        from ..net.modes import PARTIAL_NOTE
        if isinstance(ev.get("mode"), str):
            self.mode = ev.get("mode")
        if ev.get("partial") and PARTIAL_NOTE not in st.skipped:
            st.skipped.append(Msg(PARTIAL_NOTE))
        if ev.get("unpin"):
            note = msg("certificate unpinning was on (--unpin: {hooks})", hooks="OkHttp3 CertificatePinner, "
                       "Conscrypt TrustManagerImpl, network security config, WebViewClient.onReceivedSslError")
            if note not in st.skipped:
                st.skipped.append(note)
        for x in ev.get("listeners") or []:
            try:
                self.listeners.append((str(x.get("host") or ""), int(x.get("port"))))
            except (TypeError, ValueError, AttributeError):
                continue
        for addr in ev.get("device_addresses") or []:     # how the device reaches the proxy (adb reverse, 10.0.2.2)
            h, p = _split(str(addr))
            if p is not None:
                self.listeners.append((h, p))

    def agent_status(self, ev: Event, st: RunState):
        # `net`: the socket hooks the agent installed (absent in logs of agents that predate it)
        if ev.source == "hook" and ev.get("status") == "loaded" and (ev.get("net") is None or ev.get("net")):
            self.agent_sockets = True

    def send(self, ev: Event, st: RunState):
        if ev.source == "net":
            self.net_evidence = True

    def net_connect(self, ev: Event, st: RunState):
        self.agent_sockets = True
        if ev.get("blocked"):
            return                   # refused by the agent (QUIC): nothing left the device
        try:
            port = int(ev.get("port"))
        except (TypeError, ValueError):
            return
        self.reached.append(_Reach(ev.t_ms, str(ev.get("ip") or ""), port, str(ev.get("protocol") or "tcp"),
                                   str(ev.get("host") or ""), ev.actor or "unknown", ev))

    def _observed(self, ev: Event):
        s = _Seen(ev.t_ms)
        for key in ("ip",):
            if ev.get(key):
                s.ips.add(str(ev.get(key)))
        h, p = _split(str(ev.get("dst") or ""))
        if h:
            s.ips.add(h)
            s.hosts.add(h.lower())
        if p is not None:
            s.ports.add(p)
        if ev.get("port"):
            try:
                s.ports.add(int(ev.get("port")))
            except (TypeError, ValueError):
                pass
        if ev.get("host"):
            s.hosts.add(str(ev.get("host")).lower().rstrip("."))
        self.seen.append(s)

    def flow(self, ev: Event, st: RunState):
        if ev.source == "net":
            self.net_evidence = True
            self._observed(ev)

    def tls_failed(self, ev: Event, st: RunState):
        if ev.source == "net":
            self.net_evidence = True
            self._observed(ev)

    def _is_proxy(self, r: _Reach) -> bool:
        for host, port in self.listeners:
            if port != r.port:
                continue
            if host == r.ip or host in ANY_HOSTS or (_is_loopback(host) and _is_loopback(r.ip)):
                return True
        return False

    def _matches(self, r: _Reach) -> bool:
        if r.protocol == "udp" and r.port == 443:
            return False             # QUIC (allowed with --allow-quic): mitmproxy's capture of it is not searched
        host = r.host.lower().rstrip(".")
        for s in self.seen:
            if s.t_ms < r.t_ms - SLACK_MS:
                continue
            if s.ports and r.port not in s.ports and not (host and host in s.hosts):
                continue
            if r.ip in s.ips or (host and host in s.hosts):
                return True
        return False

    def finish(self, st: RunState):
        if self.net_evidence and not self.agent_sockets:
            unseen = UNSEEN_WITHOUT_AGENT.get(self.mode or "proxy", UNSEEN_WITHOUT_AGENT["proxy"])
            st.incomplete_reason(msg("capture partial: no agent evidence; {unseen} cannot be excluded", unseen=Msg(unseen)),
                                 kind="capture-partial")
        named: set[tuple] = set()
        for r in self.reached:
            if self._is_proxy(r) or self._matches(r):
                continue
            key = (r.ip, r.port, r.protocol, r.actor)
            if key in named:
                continue
            named.add(key)
            host = f" ({r.host})" if r.host and r.host != r.ip else ""
            lib = r.ev.get("native_module")
            native = f" [native: {lib}]" if lib else ""
            p = {"destination": f"{r.ip}:{r.port}/{r.protocol}", "actor": f"{r.actor}{host}{native}"}
            st.incomplete_reason(msg("traffic not observed: {destination} by {actor} (QUIC allowed: not searched)", **p)
                                 if r.protocol == "udp" and r.port == 443 else
                                 msg("traffic not observed: {destination} by {actor}", **p), r.ev, kind="traffic-not-observed")
