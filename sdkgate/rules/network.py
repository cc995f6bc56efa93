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


class _SendTexts:
    """A send finding's texts, each built only when the sink uses it (a new finding, or evidence with room)."""
    __slots__ = ("x", "host", "actor", "refused")

    def __init__(self, x: dict, host: str, actor: str, refused: str | None = None):
        self.x, self.host, self.actor, self.refused = x, host, actor, refused

    def ref(self) -> str:
        x = self.x
        return f"{x.get('scheme', '')}://{self.host}{x.get('path', '')} [{x.get('encoding', '')}]"

    def summary(self):
        enc = self.x.get("encoding") or "plain"
        if self.refused:
            return msg("to {host} as {encoding} after consent was {transition}", host=self.host, encoding=enc,
                       transition=transition_word(self.refused))
        return msg("to {host} as {encoding}", host=self.host, encoding=enc)

    def http(self) -> str:
        return f"http://{self.host}"

    def detail(self) -> dict:
        x, host = self.x, self.host
        d = {"host": host, "path": x.get("path"), "encoding": x.get("encoding"), "where": x.get("where"),
             "flow_id": x.get("flow_id"), "scheme": x.get("scheme")}
        if self.actor == UNKNOWN:
            d["unknown_why"] = msg("host {host} matches no catalogued SDK domain, no declared SDK domain and not "
                                   "the app's own domains", host=host)
        return d


class NetworkRules:
    def __init__(self):
        self.pinned_hosts: set[str] = set()     # bounded: see tls_failed
        self._domains: dict[str | None, tuple] = {}   # whose (None: the app, else a declared SDK) -> domains

    def _in(self, whose: str | None, host: str, domains) -> bool:
        """host_in, with the declared domains normalised once per run (per app / declared SDK row)."""
        norm = self._domains.get(whose)
        if norm is None:
            norm = self._domains[whose] = tuple((d.lower(), "." + d.lower().lstrip(".")) for d in domains)
        host = (host or "").lower().rstrip(".")
        for d, dotted in norm:
            if host == d or host.endswith(dotted):
                return True
        return False

    def send(self, ev: Event, st: RunState):
        actor = ev.actor or UNKNOWN
        x = ev.extra
        host = x.get("host") or ""
        cat = ev.category
        proc = x.get("process")
        sink = st.sink
        t = _SendTexts(x, host, actor)          # texts are built only when a finding is made or keeps evidence
        ref = t.ref
        if not st.consented(actor) and not sink.hit(("SG401", actor, cat, host, proc)):
            t1 = _SendTexts(x, host, actor, st.refused(actor))
            sink.add("SG401", ev, actor=actor, category=cat, key=host, summary=t1.summary, ref=ref, detail=t.detail)
        m = st.manifest
        if m and cat in m.never_transmit and not sink.hit(("SG402", actor, cat, host, proc)):
            sink.add("SG402", ev, actor=actor, category=cat, key=host, summary=t.summary, ref=ref, detail=t.detail)
        scheme = x.get("scheme")
        if scheme and scheme.lower() in ("http", "ws") and not sink.hit(("SG403", actor, cat, host, proc)):
            sink.add("SG403", ev, actor=actor, category=cat, key=host, summary=t.http, ref=ref, detail=t.detail)
        if cat:
            declared_category(ev, st, actor, cat, severity="violation", ref=ref)
        self._destination(ev, st, actor, host, personal=True, ref=ref)

    def flow(self, ev: Event, st: RunState):
        x = ev.extra
        self._destination(ev, st, ev.actor or UNKNOWN, x.get("host") or "", personal=False,
                          ref=lambda: f"{x.get('scheme', '')}://{x.get('host', '')}{x.get('path', '')}")

    def tls_failed(self, ev: Event, st: RunState):
        host = str(ev.get("host") or "?")[:255]
        if host not in self.pinned_hosts:
            if len(self.pinned_hosts) < 10_000:
                self.pinned_hosts.add(host)
            st.incomplete_reason(msg("TLS interception failed for {host} ({reason}): nothing can be said of what was sent "
                                     "there", host=host, reason=ev.get('reason') or msg("certificate pinning?")), ev,
                                 kind="tls-intercept-failed")

    def _destination(self, ev: Event, st: RunState, actor: str, host: str, personal: bool, ref):
        m = st.manifest
        if m is None or not host:
            return
        if actor == FIRST_PARTY or self._in(None, host, m.app_domains):
            return
        severity = "violation" if personal else "warning"
        sink = st.sink
        # a host that received personal data has its SG404 violation, not also a no-data warning
        if personal:
            sink.discard("SG404", actor, None, f"{host}/warning")
        elif sink.has("SG404", actor, None, f"{host}/violation"):
            return
        key = f"{host}/{severity}"
        if actor == UNKNOWN:
            if not sink.hit(("SG404", UNKNOWN, None, key, ev.extra.get("process"))):
                sink.add("SG404", ev, actor=UNKNOWN, category=None, key=key, severity=severity,
                         summary=lambda: msg("unknown third party {host}", host=host), ref=ref, detail={"host": host})
            return
        row = m.sdks.get(actor)
        if row is not None and not self._in(actor, host, row.domains) \
                and not sink.hit(("SG404", actor, None, key, ev.extra.get("process"))):
            sink.add("SG404", ev, actor=actor, category=None, key=key, severity=severity,
                     summary=lambda: msg("{host} not declared for {sdk}", host=host, sdk=actor), ref=ref,
                     detail={"host": host})
