"""One row per read, the table auditors open in a spreadsheet (camille's per-call list, with the verdict's facts):
when it happened against the user's answer, in which process, which SDK, what data and API, the caller (the first
frame in the app's or an SDK's code, not the hooked framework method), the consent state then, and the send that
carried the value out, if one did.

Built in one streaming pass over the evidence (the merged, time-ordered event streams), with the rule engine's
own consent bookkeeping (rules.engine.LifecycleState), bounded: beyond MAX_ROWS reads are counted, not listed."""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..catalogue import UNKNOWN
from ..events import BadLine, Event
from .where import caller_frame
from ..i18n import C_, N_

MAX_ROWS = 100_000             # reads listed (an xlsx sheet holds 1,048,576 rows; a person filters far fewer)
MAX_PENDING = 1_000            # reads per (category, actor) still waiting for the send that carries them
STACK_FRAMES = 24
CONSENT_STATE = {"granted": C_("state", "granted"), "declined": C_("state", "declined"),
                 "withdrawn": C_("state", "withdrawn"), "none": N_("not answered")}


@dataclass
class ReadRow:
    seq: int
    t_ms: float
    process: str
    actor: str
    category: str
    api_id: str
    api: str
    caller: str
    stack: list[str]
    consent: str                 # granted | declined | withdrawn | none (the state of the actor's scope then)
    before_consent: bool
    thread: str = ""
    send: dict[str, Any] | None = None


@dataclass
class ReadsTable:
    rows: list[ReadRow] = field(default_factory=list)
    omitted: int = 0                                   # reads beyond MAX_ROWS (counted)
    moments: list[dict[str, Any]] = field(default_factory=list)   # the user's answers, for "relative to consent"


def _consent_state(state, actor: str) -> tuple[str, bool]:
    refused = state.refused(actor)
    if refused:
        return refused, True
    if state.consented(actor):
        return "granted", False
    return "none", True


def collect_reads(events: Iterable[Event | BadLine], manifest=None) -> ReadsTable:
    """Every hook `read` of the evidence as a row; each net/rematch `send` fills the reads of its category (same SDK
    first, else any) made before it and not yet carried by an earlier send."""
    from ..rules.engine import LifecycleState
    from ..rules.state import RunState
    state, life = RunState(manifest=manifest), LifecycleState()
    table = ReadsTable()
    pending: dict[tuple[str, str], deque[ReadRow]] = defaultdict(lambda: deque(maxlen=MAX_PENDING))
    for ev in events:
        if isinstance(ev, BadLine):
            continue
        try:
            _feed(ev, state, life, table, pending)
        except (TypeError, ValueError, AttributeError, KeyError):
            continue             # a wrong-shaped event: the engine reports it; the sheet skips it
    table.moments = [{"t_ms": m.t_ms, "scope": m.scope, "transition": m.transition}
                     for m in state.moments if m.source != "marker"]
    return table


def _feed(ev: Event, state, life, table: ReadsTable, pending) -> None:
    if ev.kind in ("consent", "consent_marker", "lifecycle", "feature") and ev.source in ("step", "hook"):
        getattr(life, ev.kind)(ev, state)
        return
    if ev.source == "hook" and ev.kind == "read":
        if len(table.rows) >= MAX_ROWS:
            table.omitted += 1
            return
        actor = str(ev.actor or UNKNOWN)
        consent, before = _consent_state(state, actor)
        stack = [str(f) for f in (ev.stack or [])[:STACK_FRAMES]]
        row = ReadRow(seq=ev.seq, t_ms=float(ev.t_ms), process=str(ev.get("process") or ""), actor=actor,
                      category=str(ev.category or ""), api_id=str(ev.get("api_id") or ""), api=str(ev.api or ""),
                      caller=str(ev.get("caller") or "") or caller_frame(stack, ev.api), stack=stack,
                      consent=consent, before_consent=before, thread=str(ev.get("thread") or ""))
        table.rows.append(row)
        pending[(row.category, actor)].append(row)
    elif ev.source in ("net", "rematch") and ev.kind == "send":
        category, actor = str(ev.category or ""), str(ev.actor or UNKNOWN)
        queue = pending.get((category, actor))
        if not queue:           # the value read by one SDK, sent by another (or by unattributed code)
            queue = next((q for (c, _a), q in pending.items() if c == category and q), None)
        if not queue:
            return
        send = {"t_ms": float(ev.t_ms), "actor": actor, "method": str(ev.get("method") or ""),
                "url": f"{ev.get('scheme') or 'https'}://{ev.get('host') or ''}{ev.get('path') or ''}",
                "encoding": str(ev.get("encoding") or ""), "flow_id": str(ev.get("flow_id") or "")}
        while queue:
            queue.popleft().send = send


def manifest_of(src):
    """The manifest an evidence folder (a BundleSource) was judged against, or None (bounded YAML reader)."""
    if not src.is_file("manifest.yaml"):
        return None
    from ..manifest import parse_manifest
    from ..yamlio import MAX_YAML_BYTES, loads_yaml
    name = src.where("manifest.yaml")
    return parse_manifest(loads_yaml(src.read_bytes("manifest.yaml", MAX_YAML_BYTES).decode("utf-8", "replace"), name), name)


def reads_from_source(src, manifest=None) -> ReadsTable:
    """The reads of an evidence folder or bundle (events.jsonl + net.jsonl, each file read once, bounded)."""
    from ..events import merge_streams, parse_lines
    names = [n for n in ("events.jsonl", "net.jsonl") if src.is_file(n)]
    handles = [src.open(n) for n in names]
    try:
        return collect_reads(merge_streams([parse_lines(fh, src.where(n)) for n, fh in zip(names, handles)]),
                             manifest if manifest is not None else manifest_of(src))
    finally:
        for fh in handles:
            fh.close()


def reads_from_folder(folder, manifest=None) -> ReadsTable:
    from ..bundle.source import FolderSource
    return reads_from_source(FolderSource(folder), manifest)


def reads_from_files(files, manifest=None) -> ReadsTable:
    """The reads of event logs given on the command line (`evaluate`), with the derived sends re-matched."""
    from ..events import merge_streams
    from ..net.rematch import streams_with_rematch
    return collect_reads(merge_streams(streams_with_rematch(files, manifest)), manifest)
