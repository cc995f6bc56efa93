"""SG900: the evidence itself. Gaps, drops, broken lines, dead processes, disagreeing consent records."""
from __future__ import annotations

from ..consent import transition_word
from ..events import BadLine, Event
from ..i18n import attach, msg
from .state import RunState, reason_kind


BAD_LINES_NAMED = 20      # broken lines named one by one in the report; the rest are counted


def _detail(ev: Event):
    """An event's `detail` (a message when its producer wrote one: `detail_msg`), or "" when it has none."""
    d = ev.get("detail")
    if d is None or d == "":
        return ""
    return attach(d, ev.get("detail_msg")) if isinstance(d, str) else str(d)[:500]


class EvidenceRules:
    def __init__(self):
        self.next_seq: dict = {}                 # source, or (source, pid): each process numbers its own events
        self.agent_loaded = False
        self.steps = 0
        self.consent_steps = 0
        self.consent_step_failures: list[str] = []
        self.bad_lines = 0
        self.not_hooked: set[str] = set()      # table rows the agent could not hook (its `limits`)
        self.impls: dict[tuple, dict] = {}      # (process, api_id) -> the agent's last `impl` state (interface rows)
        self.canary_off: set[str] = set()       # canary modes the device cannot serve (its API level)
        self.static_calls: dict[str, str] = {}  # api_id -> a caller the static scan found
        self.first_consent_step_t: float | None = None

    def bad_line(self, bad: BadLine, st: RunState):
        self.bad_lines += 1
        # a broken line of the traffic log cannot hide a consent answer; one of the app's event logs can
        net_log = str(bad.file).replace("\\", "/").rsplit("/", 1)[-1].startswith("net")
        st.incomplete_reason(msg("{file}:{line}: {problem}", file=str(bad.file), line=bad.line, problem=bad.problem),
                             kind="broken-lines", listed_max=BAD_LINES_NAMED, loses=not net_log)

    def _bad_line_summary(self, st: RunState):
        if self.bad_lines > BAD_LINES_NAMED:
            st.incomplete.append(msg("{n} more broken lines not listed", n=self.bad_lines - BAD_LINES_NAMED))
            st.reason_listed["broken-lines"] = st.reason_counts.get("broken-lines", 0)

    def any(self, ev: Event, st: RunState):
        """Every event: seq numbers per (source, pid) must run without gap or repeat."""
        pid = ev.extra.get("pid")
        key = ev.source if pid is None else (ev.source, pid)    # a stream: its source, and its process if any
        exp = self.next_seq.get(key)
        if exp is not None and ev.seq == exp:           # the common case: in order, nothing to say
            self.next_seq[key] = exp + 1
            return
        def src():
            return ev.source if pid is None else msg("{source} (process {process}, pid {pid})", source=ev.source,
                                                     process=ev.extra.get('process') or '?', pid=pid)
        app_events = ev.source in ("hook", "step")      # those carry consent answers and features
        if exp is None:
            if ev.seq not in (0, 1):
                st.incomplete_reason(lambda: msg("{source} events start at seq {seq}: earlier events are missing",
                                                 source=src(), seq=ev.seq),
                                     ev, kind="seq-gap", loses="source" if app_events else "")
        elif ev.seq != exp:
            st.incomplete_reason(lambda: msg("{source} events: seq {seq} where {expected} was expected ({what})",
                                             source=src(), seq=ev.seq, expected=exp,
                                             what=msg("repeated or out of order") if ev.seq < exp else
                                             msg("{n} missing", n=ev.seq - exp)), ev,
                                 kind="seq-gap", loses="source" if app_events else "")
        self.next_seq[key] = max(ev.seq + 1, exp or 0)

    def incomplete(self, ev: Event, st: RunState):
        """A producer's reason: its message (`reason_msg` next to the English `reason`) when it has one this
        version knows, else its text as recorded (logs written before message ids)."""
        kind = ev.get("reason_kind")
        reason = attach(ev.get("reason"), ev.get("reason_msg")) or msg("incomplete evidence")
        st.incomplete_reason(msg("{source}: {reason}", source=str(ev.source), reason=reason
                                 if isinstance(reason, str) else str(reason)[:500]), ev,
                             kind=kind[:80] if isinstance(kind, str) and kind else reason_kind(str(reason)))

    def agent_status(self, ev: Event, st: RunState):
        status = ev.get("status")
        if status == "loaded":
            self.agent_loaded = True
        dropped = ev.get("dropped") or 0
        if dropped:
            st.incomplete_reason(msg("agent dropped {n} events", n=dropped), ev, kind="agent-dropped")
        if status == "error":
            st.incomplete_reason(msg("agent error: {detail}", detail=_detail(ev) or msg("unknown")), ev,
                                 kind="agent-error")
        for lim in ev.get("limits") or []:
            if isinstance(lim, str) and ": not hooked" in lim:
                self.not_hooked.add(lim.split(":", 1)[0])
            elif isinstance(lim, str) and ": canary not served" in lim and len(self.canary_off) < 20:
                self.canary_off.add(lim)
        if status == "impl" and isinstance(ev.get("api_id"), str) and len(self.impls) < 1000:
            self.impls[(ev.get("process"), ev.get("api_id"))] = {
                "iface": ev.get("iface"), "loaded": ev.get("iface_loaded") is True, "hooked": ev.get("hooked") or [],
                "failed": ev.get("failed") if isinstance(ev.get("failed"), dict) else {}, "ev": ev}

    def call_site(self, ev: Event, st: RunState):
        if ev.get("api_id"):
            self.static_calls.setdefault(ev.get("api_id"), ev.get("caller") or "")

    def lifecycle(self, ev: Event, st: RunState):
        if ev.get("what") == "died" and ev.get("process"):
            detail = _detail(ev) or msg("unexpected")
            if ev.get("pid") is not None:
                st.incomplete_reason(msg("process {process} (pid {pid}) died at t={t} ms ({detail})", process=ev.get("process"),
                                         pid=ev.get("pid"), t=format(ev.t_ms, ".0f"), detail=detail), ev, kind="process-died")
            else:
                st.incomplete_reason(msg("process {process} died at t={t} ms ({detail})", process=ev.get("process"),
                                         t=format(ev.t_ms, ".0f"), detail=detail), ev, kind="process-died")
        elif ev.get("what") == "died":
            st.incomplete_reason(msg("app process died at t={t} ms ({detail})", t=format(ev.t_ms, ".0f"),
                                     detail=_detail(ev) or msg("unexpected")), ev, kind="process-died")

    def step(self, ev: Event, st: RunState):
        self.steps += 1
        if ev.get("action") == "consent":
            self.consent_steps += 1
            if self.first_consent_step_t is None:
                self.first_consent_step_t = ev.t_ms
            if ev.get("status") not in (None, "ok"):
                self.consent_step_failures.append(_detail(ev) or msg("consent control not found"))
        if ev.get("status") == "failed":
            st.incomplete_reason(msg("step {index} ({action}) failed: {detail}", index=ev.get('index'), action=ev.get('action'),
                                     detail=_detail(ev)) if ev.get('detail') else
                                 msg("step {index} ({action}) failed", index=ev.get('index'), action=ev.get('action')), ev,
                                 kind="step-failed")

    def _implementations(self, st: RunState):
        """Interface rows (issue 22 §2): an interface loaded in a process with no implementation hooked hides
        every call through it."""
        for (proc, api_id), s in sorted(self.impls.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
            if not s["loaded"] or s["hooked"]:
                continue
            failed = "; ".join(f"{k}: {v}" for k, v in list(s["failed"].items())[:3])
            why = failed or msg("no loaded class implements it")
            if proc:
                reason = msg("{api}: {iface} implementation not hookable in {process}: {why}", api=api_id,
                             iface=s['iface'], process=proc, why=why)
            else:
                reason = msg("{api}: {iface} implementation not hookable: {why}", api=api_id, iface=s['iface'], why=why)
            st.incomplete_reason(reason, s["ev"], kind="impl-not-hookable")

    def finish(self, st: RunState):
        self._bad_line_summary(st)
        self._implementations(st)
        for lim in sorted(self.canary_off):     # reads are recorded; planted values were not served for these
            st.skipped.append(msg("canary mode off on this device: {limit}", limit=lim))
        if self.not_hooked:
            st.skipped.append(msg("not observable at run time (abstract/interface with no concrete class to hook): {apis}",
                                  apis=", ".join(sorted(self.not_hooked))))
            for api_id in sorted(self.not_hooked & set(self.static_calls)):
                st.incomplete_reason(msg("the app calls {api} (static: {caller}) but no hook can observe it at run time: "
                                         "its reads are unseen", api=api_id, caller=self.static_calls[api_id]),
                                     kind="api-not-hookable")
        if self.steps and not self.agent_loaded and st.counts.get("hook", 0) == 0:
            st.incomplete_reason(msg("a scenario ran but no hook evidence arrived (agent not loaded?)"),
                                 kind="agent-not-loaded")
        step_moments = [m for m in st.moments if m.source == "step"]
        if self.consent_steps and not step_moments:
            st.incomplete_reason(msg("the scenario has a consent step but no consent event was recorded"),
                                 kind="consent-not-recorded")
            st.doubt_after(self.first_consent_step_t or 0.0)
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
                st.incomplete_reason(msg("consent {transition} ({scope}) at t={t} ms has no marker hook within {tolerance} ms: "
                                         "step log and app disagree", transition=transition_word(s.transition), scope=s.scope,
                                         t=format(s.t_ms, ".0f"), tolerance=tol), kind="consent-marker-mismatch")
