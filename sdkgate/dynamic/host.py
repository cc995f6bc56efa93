"""Host side of the Frida agent: load it into a session, configure it, turn its batches into Events.

Use (device or simulator alike): `AgentHost(session, load_bundle("device"), manifest=m, canaries=c, on_event=cb,
clock=clk)`; `load()` (process still suspended), `configure()` (every hook before resume, clocks synced), resume,
`flush()` (queued events have reached on_event), `close()` (stats).

Guarantees:
- every hook event comes out as `Event(source="hook", ...)` through `on_event`, with this host's own
  contiguous `seq` (the host owns the `hook` source's numbering: write these with EventWriter.write),
  `t_ms` on the run clock, `actor`/`caller`/`via` from attribution.py and the full stack;
- a gap in the agent's seq numbers, events the agent dropped, a script error, an error inside a hook,
  a missing Java runtime or a detached session (process died) each yield an `agent_status` event and
  an `incomplete` event with a reason; what was delivered before stays delivered;
- `on_event` is called with `self.lock` held (frida delivers messages on its own thread): writers that
  also write other events to the same file should hold `host.lock` too.
Clock: the agent stamps CLOCK_MONOTONIC ms since it started. configure() measures the offset to the
run clock (RPC midpoint); note_clock() records a new offset when the run clock jumped relative to
real time (a simulator advancing virtual time), so event times follow the run clock.
"""
from __future__ import annotations

import bisect
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from ..apitable import by_id
from ..errors import InputError
from ..events import Event
from .attribution import Attributor
from ..i18n import msg


class AgentLoadError(InputError):
    """The agent could not be loaded or configured in the target: exit 2 with the reason."""

    def __init__(self, problem: str):
        super().__init__("agent", None, problem)


@dataclass
class AgentOptions:
    batch_max: int = 200        # flush when this many events are queued
    flush_ms: int = 50          # ... or this long after the first queued event
    queue_max: int = 100_000    # events beyond this (between flushes) are dropped and counted
    stack_limit: int = 64       # frames kept per stack (nothing skipped before the cap)
    block_quic: bool = True     # the agent refuses UDP/443 (apps fall back to TCP); `run --allow-quic` turns it off
    unpin: bool = False         # `run --unpin`: the agent disables certificate pinning (device runs)
    stack_mode: str = "backtrace"   # per-event Java stacks: the bridge's stack walk; "throwable" (bench baseline)
    unwind_mode: str = "caller"     # native caller per connect: return address first; "accurate" (bench baseline)

    def to_config(self) -> dict:
        return {"batch_max": self.batch_max, "flush_ms": self.flush_ms, "queue_max": self.queue_max,
                "stack_limit": self.stack_limit, "block_quic": self.block_quic, "unpin": self.unpin,
                "stack_mode": self.stack_mode, "unwind_mode": self.unwind_mode}


@dataclass
class HostStats:
    events: int = 0             # hook events delivered (read, permission, marker)
    batches: int = 0
    dropped: int = 0            # events the agent reported dropped
    gaps: int = 0               # unexplained seq gaps
    errors: int = 0             # script errors + hook errors
    incomplete: list[str] = field(default_factory=list)   # reasons
    detached: str | None = None

    def as_dict(self) -> dict:
        return {"events": self.events, "batches": self.batches, "dropped": self.dropped, "gaps": self.gaps,
                "errors": self.errors, "incomplete": list(self.incomplete), "detached": self.detached}


def agent_config(manifest, canaries: dict | None, options: AgentOptions, package: str | None = None) -> dict:
    """The config the agent receives before resume: package, canaries (category -> one value), markers."""
    cfg = options.to_config()
    if package or manifest is not None:
        cfg["package"] = package or manifest.package
    if manifest is not None:
        cfg["markers"] = [{"scope": m.scope, "method": m.method, "prefs_file": m.prefs_file,
                           "prefs_key": m.prefs_key, "value": m.value} for m in manifest.consent.markers]
        cfg["consent_controls"] = consent_controls(manifest)
        if manifest.consent.dialog:
            cfg["consent_dialog"] = list(manifest.consent.dialog)
    if canaries:
        cfg["canaries"] = {k: (v[0] if isinstance(v, (list, tuple)) else v) for k, v in canaries.items()}
    return cfg


def consent_controls(manifest) -> list[dict]:
    """The manifest's consent dialog controls, for the agent's tap hook (hooks/src/ui.ts)."""
    c = manifest.consent
    return [{"scope": "policy", "transition": tr, "id": rid, "text": list(texts)}
            for tr, rid, texts in (("granted", c.accept_id, c.accept_text), ("declined", c.decline_id, c.decline_text),
                                   ("withdrawn", None, c.withdraw_text)) if rid or texts]


def _default_clock() -> Callable[[], float]:
    t0 = time.monotonic()
    return lambda: (time.monotonic() - t0) * 1000.0


class AgentHost:
    def __init__(self, session, bundle: str, *, manifest=None, canaries: dict | None = None,
                 on_event: Callable[[Event], None], clock: Callable[[], float] | None = None,
                 options: AgentOptions | None = None, runtime: str | None = None, package: str | None = None,
                 process: str | None = None, pid: int | None = None, death_event: bool = False,
                 loaded_store=None):
        from .loaded import LoadedStore  # noqa: PLC0415
        self.loaded_store = loaded_store or LoadedStore(None)   # code loaded at run time (loaded.py)
        self.loaded_blobs: dict[int, dict] = {}
        self.session = session
        self.death_event = death_event  # a secondary process: its death is logged here (lifecycle died)
        self.process = process          # stamped on every event of this process (with pid)
        self.pid = pid
        self.bundle = bundle
        self.manifest = manifest
        self.canaries = canaries
        self.on_event = on_event
        self.clock = clock or _default_clock()
        self.options = options or AgentOptions()
        self.runtime = runtime
        self.package = package
        self.attributor = Attributor.for_manifest(manifest)
        self.lock = threading.RLock()
        self.stats = HostStats()
        self.script = None
        self.install: dict = {}
        self.detached = threading.Event()
        self._seq = 0
        self._expect = 0
        self._sync_agent: list[float] = []     # agent ms at each sync point
        self._sync_offset: list[float] = []    # run ms - agent ms from that point on
        self.sync_error_ms: list[float] = []   # how far each offset can be off: half its RPC's round trip
        self._mono_offset = 0.0                # host monotonic ms - agent ms
        self._callback_error: BaseException | None = None
        self._closed = False
        self._apis = by_id()

    # ------------------------------------------------------------------ lifecycle
    def load(self) -> None:
        """Create and load the script (the target is still suspended)."""
        self.session.on("detached", self._on_detached)
        try:
            kw = {"runtime": self.runtime} if self.runtime else {}
            self.script = self.session.create_script(self.bundle, name="sdkgate-agent", **kw)
            self.script.on("message", self._on_message)
            self.script.load()
        except Exception as exc:  # frida raises its own error types for syntax/load failures
            raise AgentLoadError(f"agent failed to load: {exc}") from None

    def configure(self) -> dict:
        """Send the config (hooks are installed now, before the target resumes) and sync clocks."""
        cfg = agent_config(self.manifest, self.canaries, self.options, self.package)
        m0, h0 = time.monotonic() * 1000.0, self.clock()
        try:
            rep = self.script.exports_sync.configure(cfg)
        except Exception as exc:
            raise AgentLoadError(f"agent configure failed: {exc}") from None
        m1, h1 = time.monotonic() * 1000.0, self.clock()
        t_agent = float(rep.get("t", 0.0))
        self._mono_offset = (m0 + m1) / 2 - t_agent
        self._sync_agent = [float("-inf")]
        self._sync_offset = [(h0 + h1) / 2 - t_agent]
        self.sync_error_ms = [(h1 - h0) / 2]
        self.install = rep
        self.agent_t0 = rep.get("t0")          # raw CLOCK_MONOTONIC ms at agent start (align_to)
        with self.lock:
            if not rep.get("java", False):
                self._status("error", h1, detail=msg("no Java runtime in the target process"))
                self._incomplete(h1, msg("the agent found no Java runtime in the target: no hooks installed"))
            else:
                self._status("loaded", h1, hooked=len(rep.get("hooked", [])),
                             missing=[m["id"] for m in rep.get("missing", [])], limits=rep.get("limits", []),
                             app_hooks=rep.get("app_hooks"), net=rep.get("net", []), unpin=rep.get("unpin", []),
                             **_where_fields(rep),
                             detail=f"{len(rep.get('hooked', []))} hooks installed, {len(rep.get('missing', []))} missing",
                             **({"ui": rep["ui"]} if isinstance(rep.get("ui"), dict) else {}))
        return rep

    def flush(self) -> dict:
        """Ask the agent to send what it queued; when this returns those events went through on_event."""
        if self.detached.is_set() or self.script is None:
            self._raise_callback_error()
            return {}
        try:
            st = self.script.exports_sync.flush()
        except Exception:
            # the process died under us: the detached handler reports it
            self.detached.wait(2.0)
            st = {}
        self._raise_callback_error()
        return st

    def close(self) -> HostStats:
        """Final flush and unload; returns the intake statistics."""
        if not self.detached.is_set() and self.script is not None:
            self.flush()
            self._closed = True
            try:
                self.script.unload()
            except Exception:
                pass
        self._closed = True
        return self.stats

    def wait_detached(self, timeout: float = 5.0) -> bool:
        return self.detached.wait(timeout)

    # ------------------------------------------------------------------ clock
    def now_run_ms(self) -> float:
        return self.clock()

    def note_clock(self) -> None:
        """Record a new agent->run offset if the run clock moved differently from real time.

        Detecting the jump is free (host monotonic clock vs run clock); only then one RPC asks the
        agent for its exact time, so events before and after the jump map to the right side."""
        if not self._sync_offset:
            return
        agent_est = time.monotonic() * 1000.0 - self._mono_offset
        if abs(self.clock() - agent_est - self._sync_offset[-1]) <= 0.5:
            return
        try:
            run0 = self.clock()
            agent_now = float(self.script.exports_sync.now())
            run1 = self.clock()
            run_now, error = (run0 + run1) / 2, (run1 - run0) / 2
        except Exception:
            agent_now, run_now, error = agent_est, self.clock(), self.sync_error_ms[0]
        with self.lock:
            self._sync_agent.append(agent_now)
            self._sync_offset.append(run_now - agent_now)
            self.sync_error_ms.append(error)

    def align_to(self, other: "AgentHost") -> None:
        """Map this process's agent clock through another process's sync on the same device: both
        agents stamp CLOCK_MONOTONIC from their own start, so the offset between them is exact and
        events of two processes order exactly (steps are stamped on the main process's clock)."""
        t0, o0 = getattr(self, "agent_t0", None), getattr(other, "agent_t0", None)
        if t0 is None or o0 is None or not other._sync_offset:
            return
        agent_now = time.monotonic() * 1000.0 - self._mono_offset
        with self.lock:
            self._sync_agent.append(agent_now)
            self._sync_offset.append(other._sync_offset[-1] + float(t0) - float(o0))
            self.sync_error_ms.append(other.sync_error_ms[-1] if other.sync_error_ms else 0.0)

    def to_run_ms(self, t_agent: float) -> float:
        if not self._sync_offset:
            return t_agent
        i = bisect.bisect_right(self._sync_agent, t_agent) - 1
        return round(t_agent + self._sync_offset[max(i, 0)], 3)

    # ------------------------------------------------------------------ intake
    def _next_seq(self) -> int:
        n = self._seq
        self._seq += 1
        return n

    def _deliver(self, ev: Event) -> None:
        if self.process is not None:
            ev.extra.setdefault("process", self.process)
            ev.extra.setdefault("pid", self.pid)
        try:
            self.on_event(ev)
        except BaseException as exc:  # never let a writer error vanish in frida's thread
            if self._callback_error is None:
                self._callback_error = exc

    def _raise_callback_error(self):
        if self._callback_error is not None:
            exc, self._callback_error = self._callback_error, None
            raise exc

    def _status(self, status: str, t_ms: float, **fields) -> None:
        fields.setdefault("dropped", self.stats.dropped)
        self._deliver(Event(seq=self._next_seq(), t_ms=round(t_ms, 3), source="hook", kind="agent_status",
                            extra={"status": status, **fields}))

    def _incomplete(self, t_ms: float, reason: str) -> None:
        self.stats.incomplete.append(reason)
        self._deliver(Event(seq=self._next_seq(), t_ms=round(t_ms, 3), source="hook", kind="incomplete",
                            extra={"reason": reason}))

    def _on_message(self, message: dict, data) -> None:
        with self.lock:
            if message.get("type") == "error":
                self.stats.errors += 1
                detail = msg("script error: {error} at {file}:{line}", error=str(message.get('description', message)),
                             file=str(message.get('fileName', '?')), line=str(message.get('lineNumber', '?')))
                now = self.clock()
                self._status("error", now, detail=detail)
                self._incomplete(now, msg("agent {detail}", detail=detail))
                return
            payload = message.get("payload") or {}
            kind = payload.get("type")
            if kind == "batch":
                self._intake(payload)
            elif kind == "code":
                from .loaded import on_code_message  # noqa: PLC0415
                on_code_message(self, payload, data)
            elif kind == "status":
                t = self.to_run_ms(float(payload.get("t", 0.0)))
                if payload.get("status") == "error":
                    self.stats.errors += 1
                    self._status("error", t, detail=payload.get("detail"))
                    self._incomplete(t, msg("error inside an agent hook: {detail}", detail=str(payload.get('detail'))))
                elif payload.get("status") == "hooked":
                    self._status("loaded", t, hooked=len(payload.get("hooked", [])),
                                 missing=[m["id"] for m in payload.get("missing", [])], **_where_fields(payload),
                                 detail="hooks installed: " + ", ".join(sorted(set((payload.get("where") or {}).values())))
                                 if payload.get("where") else "app-class hooks installed",
                                 **({"ui": payload["ui"]} if isinstance(payload.get("ui"), dict) else {}))

    def _intake(self, p: dict) -> None:
        first, nxt = int(p["first_seq"]), int(p["next_seq"])
        events, stacks, dropped = p.get("events") or [], p.get("stacks") or [], int(p.get("dropped", 0))
        self.stats.batches += 1
        if first != self._expect:
            self.stats.gaps += 1
            t = self.to_run_ms(float(events[0]["t"])) if events else self.clock()
            self._incomplete(t, msg("agent event seq gap: expected {expected}, batch starts at {first}",
                                    expected=self._expect, first=first))
        if nxt != first + len(events) + dropped:
            self.stats.gaps += 1
            self._incomplete(self.clock(), msg("agent batch {first}..{next} holds {n} events and {dropped} drops: seq "
                                               "numbers do not add up", first=first, next=nxt, n=len(events),
                                               dropped=dropped))
        last_t = None
        per_stack: dict = {}          # (stack index, api class) -> attribution, once per batch
        for i, raw in enumerate(events):
            if raw.get("seq", first + i) != first + i:
                self.stats.gaps += 1
                self._incomplete(self.clock(), msg("agent event seq {seq} out of order (expected {expected})",
                                                   seq=str(raw.get('seq')), expected=first + i))
            last_t = raw.get("t")
            ev = self._convert(raw, stacks, per_stack)
            extras = ()
            if ev.kind == "code_loaded":
                from .loaded import finish_code_loaded  # noqa: PLC0415
                extras = finish_code_loaded(self, ev)
            self._deliver(ev)
            for x in extras:         # the loaded file's static scan, or why it could not be kept
                if x.source == "hook":
                    x.seq = self._next_seq()
                if x.kind == "incomplete":
                    self.stats.incomplete.append(x.extra["reason"])
                self._deliver(x)
        self.stats.events += len(events)
        if dropped:
            self.stats.dropped += dropped
            t = self.to_run_ms(float(last_t)) if last_t is not None else self.clock()
            self._status("dropped", t, detail=f"agent queue full: {dropped} events dropped")
            self._incomplete(t, msg("the agent dropped {n} events (queue full): evidence is missing", n=dropped))
        self._expect = max(self._expect, nxt)

    def _convert(self, raw: dict, stacks: list, per_stack: dict) -> Event:
        ev = raw                       # each message is parsed fresh: safe to consume in place
        kind = ev.pop("kind")
        t = self.to_run_ms(float(ev.pop("t")))
        ev.pop("seq", None)
        st = ev.pop("st", None)
        api = ev.pop("api", None)
        category = ev.pop("category", None)
        ov = ev.pop("ov", 0)
        entry = self._apis.get(ev.get("api_id", ""))
        api_class = entry.hook_cls if entry is not None else None    # frame 0 is the hooked (concrete) method
        if isinstance(ev.get("impl"), str):
            api_class = ev["impl"]            # an interface row's implementation, hooked at run time
        if entry is not None and kind in ("read", "self_read"):
            # read events travel compact: api and category come from the same table the agent was built from
            api = api or (entry.smali() if entry.kind == "native" else
                          entry.smali(entry.descriptors[ov if 0 <= ov < len(entry.descriptors) else 0]))
            category = category or entry.category
            target = self._apis.get(ev.get("target") or "")
            if category is None and target is not None:
                category = target.category      # a matched call (path, property, command ...): the target's
        marker = ev.get("marker")
        if api_class is None and isinstance(marker, str) and marker.startswith("method:"):
            api_class = marker[len("method:"):].rpartition(".")[0]   # skip the marker method's own frame
        key = (st, api_class)
        hit = per_stack.get(key)
        if hit is None:
            stack = stacks[st] if st is not None and st < len(stacks) else []
            hit = per_stack[key] = (stack, self.attributor.attribute(stack, api_class))
        stack, att = hit
        ev["caller"] = att.caller
        if len(att.via) > 1 and "via" not in ev:      # an event's own `via` (unpinned: the pin check) stays
            ev["via"] = list(att.via)
        if att.library and "library" not in ev:       # platform / library code acting for the app (issue 20)
            ev["library"] = att.library
        actor = att.actor
        if "native_stack" in ev:
            actor = native_actor(self.attributor.catalogue, ev, actor)
        return Event(seq=self._next_seq(), t_ms=t, source="hook", kind=kind, category=category, api=api,
                     actor=actor, stack=stack, extra=ev)

    def _on_detached(self, reason, crash=None) -> None:
        with self.lock:
            if not self._closed and reason != "application-requested":
                detail = msg("session detached: {reason}", reason=str(reason)) if crash is None else \
                    msg("session detached: {reason} (crash: {crash})", reason=str(reason),
                        crash=str(getattr(crash, 'summary', crash)))
                self.stats.detached = str(reason)
                now = self.clock()
                self._status("error", now, detail=detail)
                self._incomplete(now, msg("target process died mid-run ({detail}); events not yet flushed by the agent "
                                          "are lost, what was collected is kept", detail=detail))
                if self.death_event:
                    self._deliver(Event(seq=self._next_seq(), t_ms=round(now, 3), source="hook", kind="lifecycle",
                                        extra={"what": "died", "detail": detail}))
            self.detached.set()


def native_actor(catalogue, ev: dict, java_actor: str) -> str:
    """Who made a native call: the first library of the native backtrace (the caller first) that the
    catalogue's `native_libs` names; otherwise the Java stack's actor (JNI on a Java thread); the event
    keeps both (`native_stack`, `native_actor`, and the Java `stack`)."""
    libs = [ev.get("native_caller")] + list(ev.get("native_stack") or [])
    for lib in libs:
        if isinstance(lib, str):
            sid = catalogue.attribute_native_lib(lib)
            if sid is not None:
                ev["native_actor"] = sid
                return sid
    return java_actor


def load_agent(session, ctx, package: str, *, options: AgentOptions | None = None, bundle: str | None = None,
               process: str | None = None, pid: int | None = None) -> AgentHost:
    """For the device backend: load + configure the shipped device agent in a spawned, still suspended
    app (the caller resumes it). ctx is a scenario RunContext (manifest, canaries, emit, clock)."""
    from .build import load_bundle
    opts = options
    if opts is None:
        raw = (getattr(ctx, "options", None) or {}).get("agent") or {}
        opts = AgentOptions(**raw) if isinstance(raw, dict) else raw
    host = AgentHost(session, bundle or load_bundle("device"), manifest=ctx.manifest, canaries=ctx.canaries or None,
                     on_event=ctx.emit, clock=ctx.clock.now_ms, options=opts, package=package,
                     process=process, pid=pid)
    host.load()
    host.configure()
    return host


def _where_fields(rep: dict) -> dict:
    """Where each table row was hooked (boot, app, a later class loader) and the rows no loader had yet."""
    out: dict = {}
    where = rep.get("where")
    if isinstance(where, dict) and where:
        out["hooked_in"] = {str(k): str(v) for k, v in where.items()}
    if rep.get("pending"):
        out["pending"] = [str(x) for x in rep.get("pending")]
    return out
