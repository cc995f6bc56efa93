"""One connection's scanning state and how a decoded request is searched: shared by the HTTP/TCP/UDP
capture (capture.py), the DNS/SNI/CONNECT names (wire.py) and the re-match of recorded traffic (rematch.py).

`scan_parts` searches every part of a Decoded (wire form first, then the decoded views, which add only
values the wire form hid) and writes one `send` per (part, category, value, encoding) and flow.
"""
from dataclasses import dataclass, field

from sdkgate.net.decode import Decoded
from sdkgate.net.matcher import Match, StreamScan
from sdkgate.net.stream import BodyStream


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
    tcp_scan: StreamScan | None = None
    tcp_in: StreamScan | None = None      # server -> client payloads are searched too
    dst: str = ""                         # where the connection went (ip or host : port)
    inbound: set = field(default_factory=set)   # planted values seen server -> client ("category/encoding")
    bytes: int = 0
    capped: bool = False
    errors: list[str] = field(default_factory=list)
    sent: set = field(default_factory=set)
    done: bool = False
    answered: tuple | None = None         # a response that came while the request body still streamed
    body_done: bool = False               # the `request` hook ran: the body (if any) has ended


def emit_matches(rec, st: FlowState, matches: list[Match], where: str, ts: float | None) -> None:
    """A `send` through the recorder for each match not yet written for this flow and part."""
    for m in matches:
        key = (where, m.category, m.value, m.encoding)
        if key in st.sent:
            continue
        st.sent.add(key)
        rec.emit("send", ts, category=m.category, actor=st.actor, host=st.host, domain=st.domain,
                 scheme=st.scheme, method=st.method, path=st.path, encoding=m.encoding, where=where,
                 flow_id=st.flow_id)


def scan_parts(rec, st: FlowState, d: Decoded, ts: float | None) -> None:
    m = rec.matcher
    for part in d.parts:
        found: list[Match] = []
        seen_values: set[tuple[str, str]] = set()
        for i, rep in enumerate(part.reps):
            for match in m.scan(rep):
                if i and (match.category, match.value) in seen_values:
                    continue                      # a decoded view adds only values the wire form hid
                found.append(match)
            seen_values |= {(x.category, x.value) for x in found}
        emit_matches(rec, st, found, part.where, ts)
