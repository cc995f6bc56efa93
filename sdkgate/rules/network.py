"""SG401-SG404: what left the device, to whom, when and how (SG405 lives in geo.py)."""
from __future__ import annotations

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..events import Event
from .reads import declared_category
from .state import RunState
from ..consent import transition_word
from ..i18n import msg


def host_in(host: str, domains) -> bool:
    host = (host or "").lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower().lstrip(".")) for d in domains)


class NetworkRules:
    def __init__(self):
        self.pinned_hosts: set[str] = set()     # bounded: see tls_failed

    def send(self, ev: Event, st: RunState):
        actor = ev.actor or UNKNOWN
        host = ev.get("host") or ""
        cat = ev.category
        ref = f"{ev.get('scheme', '')}://{host}{ev.get('path', '')} [{ev.get('encoding', '')}]"
        detail = {"host": host, "path": ev.get("path"), "encoding": ev.get("encoding"), "where": ev.get("where"),
                  "flow_id": ev.get("flow_id"), "scheme": ev.get("scheme")}
        if actor == UNKNOWN:
            detail["unknown_why"] = msg("host {host} matches no catalogued SDK domain, no declared SDK domain and not "
                                        "the app's own domains", host=host)
        enc = ev.get('encoding') or "plain"
        if not st.consented(actor):
            refused = st.refused(actor)
            st.sink.add("SG401", ev, actor=actor, category=cat, key=host,
                        summary=lambda: msg("to {host} as {encoding} after consent was {transition}", host=host, encoding=enc,
                                    transition=transition_word(refused)) if refused else
                        msg("to {host} as {encoding}", host=host, encoding=enc), ref=ref, detail=detail)
        m = st.manifest
        if m and cat in m.never_transmit:
            st.sink.add("SG402", ev, actor=actor, category=cat, key=host,
                        summary=lambda: msg("to {host} as {encoding}", host=host, encoding=enc), ref=ref, detail=detail)
        if (ev.get("scheme") or "").lower() in ("http", "ws"):
            st.sink.add("SG403", ev, actor=actor, category=cat, key=host, summary=f"http://{host}", ref=ref, detail=detail)
        if cat:
            declared_category(ev, st, actor, cat, severity="violation", ref=ref)
        self._destination(ev, st, actor, host, personal=True, ref=ref)

    def flow(self, ev: Event, st: RunState):
        self._destination(ev, st, ev.actor or UNKNOWN, ev.get("host") or "", personal=False,
                          ref=f"{ev.get('scheme', '')}://{ev.get('host', '')}{ev.get('path', '')}")

    def tls_failed(self, ev: Event, st: RunState):
        host = str(ev.get("host") or "?")[:255]
        if host not in self.pinned_hosts:
            if len(self.pinned_hosts) < 10_000:
                self.pinned_hosts.add(host)
            st.incomplete_reason(msg("TLS interception failed for {host} ({reason}): nothing can be said of what was sent "
                                     "there", host=host, reason=ev.get('reason') or msg("certificate pinning?")), ev,
                                 kind="tls-intercept-failed")

    def _destination(self, ev: Event, st: RunState, actor: str, host: str, personal: bool, ref: str):
        m = st.manifest
        if m is None or not host:
            return
        if actor == FIRST_PARTY or host_in(host, m.app_domains):
            return
        severity = "violation" if personal else "warning"
        # a host that received personal data has its SG404 violation, not also a no-data warning
        if personal:
            st.sink.discard("SG404", actor, None, f"{host}/warning")
        elif st.sink.has("SG404", actor, None, f"{host}/violation"):
            return
        if actor == UNKNOWN:
            st.sink.add("SG404", ev, actor=UNKNOWN, category=None, key=f"{host}/{severity}", severity=severity,
                        summary=lambda: msg("unknown third party {host}", host=host), ref=ref,
                        detail={"host": host})
            return
        row = m.sdks.get(actor)
        if row is not None and not host_in(host, row.domains):
            st.sink.add("SG404", ev, actor=actor, category=None, key=f"{host}/{severity}", severity=severity,
                        summary=lambda: msg("{host} not declared for {sdk}", host=host, sdk=actor), ref=ref,
                        detail={"host": host})
