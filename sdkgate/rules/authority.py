"""SG106: the app recorded a consent the user did not give (issue 9, "the user's answer decides").

Only the user's answer moves the consent state (`consent.is_user_answer`): a scenario step, or a
real tap on the consent control seen by the agent (`evidence: ui_tap`, input the system delivered) or
an accessibility service's click (`accessibility`). A `granted` marker (or a hook `consent` event that
is not the user's, `programmatic`: the app clicked, dispatched or injected it) is held until the user's
accept for its scope arrives: within `consent.tolerance_ms` it is the same decision; later, or never,
or after (or followed by) a decline/withdrawal, it is SG106. Reads and sends in between are judged by
the user's state, so they stay "before consent".

Where the agent says no consent observation applies to the app's UI (Compose, Flutter, React Native,
WebView content: `agent_status` `ui`), a run with no user answer at all is incomplete: it needs consent
steps.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..catalogue import FIRST_PARTY
from ..consent import DECLINED, GRANTED, WITHDRAWN, is_user_answer, transition_word
from ..events import Event
from .state import RunState
from ..i18n import msg


@dataclass
class _Pending:
    ev: Event
    scope: str
    marker: str
    refused: str | None          # the user's standing answer when the app recorded "granted"


class ConsentAuthority:
    def __init__(self):
        self.pending: list[_Pending] = []
        self.user_evidence = False       # steps ran or a real tap was seen: the user's answer is observable
        self.markers = 0
        self.unobserved: list[str] = []  # UI toolkits whose taps the agent cannot see (agent_status ui)

    def agent_status(self, ev: Event, st: RunState):
        """What the agent can observe of the user's answer: `ui` on its `loaded` status (toolkits found in the
        app's class loader) and a `ui` status when the app first shows a WebView page."""
        ui = ev.get("ui") if ev.get("status") == "loaded" else ev.extra if ev.get("status") == "ui" else None
        if ev.source == "hook" and isinstance(ui, dict):
            for u in ui.get("unobserved") or []:
                if isinstance(u, str) and u not in self.unobserved and len(self.unobserved) < 10:
                    self.unobserved.append(u)

    def consent(self, ev: Event, st: RunState):
        if is_user_answer(ev.kind, ev.source, ev.extra):
            self.user_evidence = True
            if ev.get("transition") == GRANTED:
                self._accepted(ev, st)
        else:
            control = ev.get('control') or msg("the consent control")
            what = (msg("programmatic click on {control} ({why})", control=control, why=ev.get("why")) if ev.get("why")
                    else msg("programmatic click on {control}", control=control))
            self._app_recorded(ev, st, what)

    def consent_marker(self, ev: Event, st: RunState):
        self._app_recorded(ev, st, ev.get("marker") or msg("marker"))

    def _app_recorded(self, ev: Event, st: RunState, what: str):
        self.markers += 1
        if ev.get("transition") != GRANTED:
            return           # the app recording a refusal never hides anything
        scope = ev.get("scope") or "policy"
        if st.scope_state(scope) == GRANTED and st.scope_state("policy") == GRANTED:
            return           # the user already accepted: the app records the user's answer
        refused = next((s for s in (st.scope_state("policy"), st.scope_state(scope)) if s in (DECLINED, WITHDRAWN)), None)
        self.pending.append(_Pending(ev, scope, what if isinstance(what, str) else str(what), refused))

    def _accepted(self, ev: Event, st: RunState):
        """The user's accept: markers of that scope within tolerance before it were the same decision."""
        tol = st.manifest.consent.tolerance_ms if st.manifest else 2000
        keep = []
        for p in self.pending:
            if not (st.scope_state(p.scope) == GRANTED and st.scope_state("policy") == GRANTED):
                keep.append(p)      # this accept does not cover the marker's scope yet
                continue
            early = ev.t_ms - p.ev.t_ms
            if early <= tol and p.refused is None:
                continue
            why = (msg("after the user {transition} consent", transition=transition_word(p.refused)) if p.refused
                   else msg("{ms} ms before the user's accept at t={t} ms (tolerance {tolerance} ms)", ms=format(early, ".0f"),
                            t=format(ev.t_ms, ".0f"), tolerance=tol))
            self._report(st, p, why, "early" if not p.refused else p.refused)
        self.pending = keep

    def _report(self, st: RunState, p: _Pending, why: str, key: str):
        st.sink.add("SG106", p.ev, actor=FIRST_PARTY, category=None, key=f"{p.scope}/{key}",
                    summary=lambda: msg("{marker} recorded '{scope}' consent at t={t} ms {why}", marker=p.marker, scope=p.scope,
                                t=format(p.ev.t_ms, ".0f"), why=why), ref=str(p.marker),
                    detail={"scope": p.scope, "marker": p.marker, "t_ms": p.ev.t_ms, "why": key})

    def finish(self, st: RunState):
        if st.counts.get("step"):             # scenario steps ran (the engine counts events per source)
            self.user_evidence = True
        if not self.user_evidence and self.unobserved:
            st.incomplete_reason(msg("consent answer not observable by the agent: {why}: the run needs consent steps in "
                                     "the scenario", why="; ".join(self.unobserved)), kind="consent-unobservable")
        if not self.pending:
            return
        if not self.user_evidence:
            first = self.pending[0]
            st.incomplete_reason(
                msg("no evidence of the user's answer: the app recorded consent ({marker}, t={t} ms) but the log has no "
                    "consent step and no observed tap on the consent control", marker=first.marker, t=format(first.ev.t_ms, ".0f")),
                first.ev, kind="consent-unobserved")
            # the user may have tapped unseen before the app recorded it: "before consent" is unknown from then on
            st.doubt_after(min(p.ev.t_ms for p in self.pending))
            return
        for p in self.pending:
            later = next((x for x in (st.scope_state("policy"), st.scope_state(p.scope)) if x in (DECLINED, WITHDRAWN)),
                         None)
            if p.refused:
                self._report(st, p, msg("after the user {transition} consent", transition=transition_word(p.refused)),
                             p.refused)
            elif later:
                self._report(st, p, msg("and the user then {transition} consent", transition=transition_word(later)),
                             f"then_{later}")
            else:
                self._report(st, p, msg("with no accept from the user at all"), "none")
        self.pending = []
