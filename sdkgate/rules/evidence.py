"""SG900: the evidence itself. Gaps, drops, broken lines, dead processes, disagreeing consent records."""
from __future__ import annotations

from ..events import BadLine, Event
from .state import RunState, reason_kind


BAD_LINES_NAMED = 20      # broken lines named one by one in the report; the rest are counted


class EvidenceRules:
    def __init__(self):
        self.next_seq: dict = {}                 # source, or (source, pid): each process numbers its own events
        self.agent_loaded = False
        self.steps = 0
        self.consent_steps = 0
        self.consent_step_failures: list[str] = []
        self.bad_lines = 0
        self.not_hooked: set[str] = set()      # table rows the agent could not hook (its `limits`)
        self.static_calls: dict[str, str] = {}  # api_id -> a caller the static scan found
        self._gap_kinds: dict[tuple, str] = {}   # (stream as named, backwards) -> reason kind of its seq gaps

    def bad_line(self, bad: BadLine, st: RunState):
        self.bad_lines += 1
        st.incomplete_reason(f"{bad.file}:{bad.line}: {bad.problem}", kind="broken lines", listed_max=BAD_LINES_NAMED)

    def _bad_line_summary(self, st: RunState):
        if self.bad_lines > BAD_LINES_NAMED:
            st.incomplete.append(f"{self.bad_lines - BAD_LINES_NAMED} more broken lines not listed")
            st.reason_listed["broken lines"] = st.reason_counts.get("broken lines", 0)

    def any(self, ev: Event, st: RunState):
        """Every event: seq numbers per (source, pid) must run without gap or repeat."""
        pid = ev.extra.get("pid")
        key = ev.source if pid is None else (ev.source, pid)    # a stream: its source, and its process if any
        seq = ev.seq
        exp = self.next_seq.get(key)
        if seq == exp:                      # the common case: the next number
            self.next_seq[key] = seq + 1
            return
        src = ev.source if pid is None else f"{ev.source} (process {ev.extra.get('process') or '?'}, pid {pid})"
        if exp is None:
            if seq not in (0, 1):
                st.incomplete_reason(f"{src} events start at seq {seq}: earlier events are missing", ev)
        else:
            def reason() -> str:
                what = "repeated or out of order" if seq < exp else f"{seq - exp} missing"
                return f"{src} events: seq {seq} where {exp} was expected ({what})"
            ck = (src, seq < exp)           # one kind of reason per stream (as named) and direction: computed once
            kind = self._gap_kinds.get(ck)
            if kind is None:
                kind = reason_kind(reason())
                if len(self._gap_kinds) < 10_000:
                    self._gap_kinds[ck] = kind
            st.incomplete_reason(reason, ev, kind=kind)
        self.next_seq[key] = max(seq + 1, exp or 0)

    def incomplete(self, ev: Event, st: RunState):
        kind = ev.get("reason_kind")
        st.incomplete_reason(f"{ev.source}: {ev.get('reason') or 'incomplete evidence'}", ev,
                             kind=kind if isinstance(kind, str) and kind else None)

    def agent_status(self, ev: Event, st: RunState):
        status = ev.get("status")
        if status == "loaded":
            self.agent_loaded = True
        dropped = ev.get("dropped") or 0
        if dropped:
            st.incomplete_reason(f"agent dropped {dropped} events", ev)
        if status == "error":
            st.incomplete_reason(f"agent error: {ev.get('detail') or 'unknown'}", ev)
        for lim in ev.get("limits") or []:
            if isinstance(lim, str) and ": not hooked" in lim:
                self.not_hooked.add(lim.split(":", 1)[0])

    def call_site(self, ev: Event, st: RunState):
        if ev.get("api_id"):
            self.static_calls.setdefault(ev.get("api_id"), ev.get("caller") or "")

    def lifecycle(self, ev: Event, st: RunState):
        if ev.get("what") == "died" and ev.get("process"):
            pid = f" (pid {ev.get('pid')})" if ev.get("pid") is not None else ""
            st.incomplete_reason(f"process {ev.get('process')}{pid} died at t={ev.t_ms:.0f} ms "
                                 f"({ev.get('detail') or 'unexpected'})", ev)
        elif ev.get("what") == "died":
            st.incomplete_reason(f"app process died at t={ev.t_ms:.0f} ms ({ev.get('detail') or 'unexpected'})", ev)

    def step(self, ev: Event, st: RunState):
        self.steps += 1
        if ev.get("action") == "consent":
            self.consent_steps += 1
            if ev.get("status") not in (None, "ok"):
                self.consent_step_failures.append(str(ev.get("detail") or "consent control not found"))
        if ev.get("status") == "failed":
            st.incomplete_reason(f"step {ev.get('index')} ({ev.get('action')}) failed: {ev.get('detail') or ''}".strip(), ev)

    def finish(self, st: RunState):
        self._bad_line_summary(st)
        if self.not_hooked:
            st.skipped.append("not observable at run time (abstract/interface with no concrete class to hook): "
                              + ", ".join(sorted(self.not_hooked)))
            for api_id in sorted(self.not_hooked & set(self.static_calls)):
                st.incomplete_reason(f"the app calls {api_id} (static: {self.static_calls[api_id]}) but no hook can "
                                     "observe it at run time: its reads are unseen")
        if self.steps and not self.agent_loaded and st.counts.get("hook", 0) == 0:
            st.incomplete_reason("a scenario ran but no hook evidence arrived (agent not loaded?)")
        step_moments = [m for m in st.moments if m.source == "step"]
        if self.consent_steps and not step_moments:
            st.incomplete_reason("the scenario has a consent step but no consent event was recorded")
        self._cross_check(st)

    @staticmethod
    def _cross_check(st: RunState):
        """Every accept/withdrawal of the user must reach the app's marker within the manifest's tolerance
        (a marker the user did not cause is SG106, authority.py)."""
        m = st.manifest
        if m is None or not m.consent.markers:
            return
        marked = {mk.scope for mk in m.consent.markers}   # scopes the app records in a marker
        steps = [x for x in st.moments if x.source in ("step", "ui_tap") and x.transition in ("granted", "withdrawn")
                 and x.scope in marked]
        markers = [x for x in st.moments if x.source == "marker" and x.transition in ("granted", "withdrawn")]
        if not steps or (not markers and st.counts.get("hook", 0) == 0):
            return
        tol = m.consent.tolerance_ms
        for s in steps:
            if not any(x.scope == s.scope and x.transition == s.transition and abs(x.t_ms - s.t_ms) <= tol for x in markers):
                st.incomplete_reason(f"consent {s.transition} ({s.scope}) at t={s.t_ms:.0f} ms has no marker hook "
                                     f"within {tol} ms: step log and app disagree")
