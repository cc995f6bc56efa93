"""Re-derive the network matches of a run from its recorded traffic (flows.mitm).

An auditor should not have to trust net.jsonl: `sdkgate verify` feeds every recorded HTTP request,
WebSocket message, raw TCP/UDP client message and DNS question through the same addon code path
(decoders, canary matcher, attribution) with the run's canaries and compares the sends it finds with
the ones recorded. Bodies that were streamed past the cap are not in the flow file, SNI/CONNECT
targets and server answers are not replayed, and derived-value sends are re-matched by rematch.py:
those sends are listed as not re-checkable rather than silently trusted.
"""
from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mitmproxy import http

from ..events import EventWriter, read_events
from .addon import SdkgateAddon
from .attribution import Attributor
from .har import iter_flows
from .matcher import Matcher

REPLAYED_WHERE_EXCLUDED = ("body.stream", "sni", "connect", "tcp:from_server", "udp:from_server")


@dataclass
class ReplayResult:
    replayed_flows: int = 0
    not_replayed: list[str] = field(default_factory=list)      # why some recorded sends cannot be re-checked
    differences: list[str] = field(default_factory=list)


def _key(ev) -> tuple:
    return (ev.get("flow_id"), ev.get("where"), ev.category, ev.get("encoding"), ev.get("host"))


def _checkable(ev) -> bool:
    if str(ev.get("encoding") or "").startswith("derived:"):
        return False             # re-derived from events.jsonl + flows.mitm by rematch.py at evaluation
    where = ev.get("where") or ""
    return not any(where == w or where.startswith(w + ":") or where.startswith(w + ".") for w in REPLAYED_WHERE_EXCLUDED)


def replay_sends(flow_file: Path, canaries: dict[str, list[str]], manifest, t0_ms: float) -> tuple[list, int]:
    """The `send` events the addon finds in the recorded HTTP requests."""
    addon = SdkgateAddon(canaries=canaries, offline=False, manifest=manifest, t0_ms=t0_ms)
    addon.matcher = Matcher(canaries)
    addon.attributor = Attributor.for_manifest(manifest)
    addon.t0_ms = float(t0_ms)
    with tempfile.TemporaryDirectory(prefix="sdkgate-replay-") as tmp:
        out = Path(tmp) / "net.jsonl"
        addon.writer = EventWriter(out)
        n = 0
        from .rematch import feed_flow
        for f in iter_flows(flow_file):
            feed_flow(addon, f)                  # HTTP, WebSocket, TCP/UDP, DNS: as the live addon scanned them
            if isinstance(f, http.HTTPFlow):
                n += 1
        addon.writer.close()
        sends = [e for e in read_events(out) if getattr(e, "kind", None) == "send"]
    return sends, n


def compare(recorded_net: Path, flow_file: Path, canaries: dict[str, list[str]], manifest, t0_ms: float) -> ReplayResult:
    res = ReplayResult()
    recorded = [e for e in read_events(recorded_net) if getattr(e, "kind", None) == "send"]
    skipped = [e for e in recorded if not _checkable(e)]
    if skipped:
        res.not_replayed.append(f"{len(skipped)} send(s) in streamed bodies, SNI or CONNECT targets, server "
                                "answers, or of derived values (re-matched separately), are not in replayable form")
    derived, res.replayed_flows = replay_sends(flow_file, canaries, manifest, t0_ms)
    want = Counter(_key(e) for e in recorded if _checkable(e))
    got = Counter(_key(e) for e in derived if _checkable(e))
    for k in sorted((want - got).elements(), key=str):
        res.differences.append(f"net.jsonl has a send the recorded traffic does not show: {k[2]} as {k[3]} "
                               f"to {k[4]} ({k[1]}, flow {k[0]})")
    for k in sorted((got - want).elements(), key=str):
        res.differences.append(f"the recorded traffic shows a send net.jsonl lacks: {k[2]} as {k[3]} "
                               f"to {k[4]} ({k[1]}, flow {k[0]})")
    return res
