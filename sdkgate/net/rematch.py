"""Re-match recorded traffic (flows.mitm) with the derived values of a run's hook events, at
evaluation (`evaluate`, `verify`, the runner's own judgement), so a send of an AES envelope or a
combined hash is found whether or not the live proxy had the value in time, and months later.

The sends found are events of source `rematch` (their own seq), `encoding: derived:<chain>`, with
the time of the proxy's `flow` event for that flow; sends the live proxy already recorded in
net.jsonl (same flow, part, category, encoding) are not repeated.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterable

from ..events import Event, EventWriter, read_events
from ..fileio import read_json_document
from .derived import DerivedMatcher, values_in_file


def _key(ev) -> tuple:
    return (ev.get("flow_id"), ev.get("where"), ev.category, ev.get("encoding"))


def rematch_events(files: Iterable[str | Path], manifest) -> list[Event]:
    """Derived-value sends in the flows.mitm next to each net.jsonl of `files`."""
    files = [Path(f) for f in files]
    nets = [f for f in files if f.name == "net.jsonl" and f.with_name("flows.mitm").is_file()]
    if not nets:                 # nothing to re-match: the hook logs are not read a second time
        return []
    values = []
    for f in files:
        if f.name != "net.jsonl":
            values += values_in_file(f)
    if not values:
        return []
    out: list[Event] = []
    for net in nets:
        out += _rematch_folder(net, net.with_name("flows.mitm"), values, manifest)
    out.sort(key=lambda e: e.t_ms)
    for i, e in enumerate(out):
        e.seq = i
    return out


def _t0(folder: Path) -> float:
    try:
        return float(read_json_document(folder / "run.json")["t0_epoch_ms"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def _rematch_folder(net: Path, flow_file: Path, values, manifest) -> list[Event]:
    from .addon import SdkgateAddon
    from .attribution import Attributor
    from .har import iter_flows
    from .matcher import Matcher

    recorded = [e for e in read_events(net) if isinstance(e, Event)]
    flow_t = {e.get("flow_id"): e.t_ms for e in recorded if e.kind == "flow"}
    already = {_key(e) for e in recorded if e.kind == "send"}
    t0 = _t0(net.parent)
    addon = SdkgateAddon(canaries={}, offline=False, manifest=manifest, t0_ms=t0)
    m = Matcher({})
    m.derived = DerivedMatcher()
    for dv in values:
        m.derived.add(dv)
    addon.matcher = m
    addon.attributor = Attributor.for_manifest(manifest)
    addon.t0_ms = t0
    with tempfile.TemporaryDirectory(prefix="sdkgate-rematch-") as tmp:
        addon.writer = EventWriter(Path(tmp) / "net.jsonl")
        for f in iter_flows(flow_file):
            feed_flow(addon, f)
        addon.writer.close()
        found = [e for e in read_events(Path(tmp) / "net.jsonl") if isinstance(e, Event) and e.kind == "send"]
    out = []
    for e in found:
        if _key(e) in already:
            continue
        already.add(_key(e))
        t = flow_t.get(e.get("flow_id"), e.t_ms)
        out.append(Event(seq=0, t_ms=t, source="rematch", kind="send", category=e.category, actor=e.actor,
                         extra={**e.extra, "rematch": "derived values from events.jsonl over flows.mitm"}))
    return out


def feed_flow(addon, f) -> None:
    """One recorded flow through the addon's scanning, as live (HTTP request, WebSocket and raw
    TCP/UDP client messages, DNS questions). A flow that cannot be re-read adds nothing."""
    from mitmproxy import dns, http, tcp, udp
    cap = addon.capture
    try:
        if isinstance(f, http.HTTPFlow):
            cap.request(f)
            if f.websocket is not None:
                _ws(cap, f)
        elif isinstance(f, (tcp.TCPFlow, udp.UDPFlow)):
            _raw(cap, f)
        elif isinstance(f, dns.DNSFlow):
            addon.wire.dns_request(f)
    except Exception:  # noqa: BLE001 - the live scan stands; verify names what it could not re-check
        pass


def _ws(cap, f) -> None:
    from .decode import decode_body
    from .flowscan import scan_parts
    st = cap._state(f)
    for msg in f.websocket.messages:
        if not msg.from_client:
            continue
        d = decode_body(msg.content, "", "", cap=cap.body_cap)
        for p in d.parts:
            p.where = "ws"
        scan_parts(cap.rec, st, d, msg.timestamp)


def _raw(cap, f) -> None:
    from .flowscan import emit_matches
    from .matcher import StreamScan
    scheme = "tcp" if f.type == "tcp" else "udp"
    st = cap._conn_state(f, scheme)
    scan = StreamScan(cap.rec.matcher)
    for msg in f.messages:
        if not msg.from_client:
            continue
        if scheme == "tcp":
            scan.feed(msg.content)
        else:
            emit_matches(cap.rec, st, cap.rec.matcher.scan(msg.content), "udp", msg.timestamp)
    if scheme == "tcp":
        emit_matches(cap.rec, st, scan.matches(), "tcp", None)


def streams_with_rematch(files: Iterable[str | Path], manifest) -> list:
    """The event streams of `files` plus the re-matched derived sends (what every judge reads)."""
    files = [Path(f) for f in files]
    streams: list = [read_events(f) for f in files]
    try:
        extra = rematch_events(files, manifest)
    except ImportError as exc:   # recorded traffic to re-read but no mitmproxy: never judge without it
        from ..extras import for_import_error
        missing = for_import_error(exc, "re-reading flows.mitm (derived values)")
        if missing is None:
            raise
        raise missing from None
    if extra:
        streams.append(iter(extra))
    return streams
