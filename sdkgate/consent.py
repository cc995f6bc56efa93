"""Consent state per scope: one definition for the engine and for annotating recorded events.

States: `not_asked` (initial), `granted`, `declined`, `withdrawn`. Refusing the `policy` scope
refuses every narrower scope; clearing app data (install, clear_data) forgets every decision.

Authority: only the user's answer moves the state (issue 9): a `consent` step of the scenario, or
the agent's observation of a real tap on the manifest's consent control (`consent` event from the
hook with `evidence: ui_tap`: input the system delivered, issue 22), or a click by an accessibility
service (`evidence: accessibility`; the run is incomplete unless the manifest accepts those,
`consent.accept_accessibility`). The app's own clicks (`programmatic`) and `consent_marker` never grant
consent: they are checked against the user's answer (SG106).
"""
from __future__ import annotations

from .i18n import N_, Msg

NOT_ASKED, GRANTED, DECLINED, WITHDRAWN = "not_asked", "granted", "declined", "withdrawn"
# how a sentence names a transition ("consent {transition} ..."), in the report's language
TRANSITION_WORDS = {GRANTED: N_("granted"), DECLINED: N_("declined"), WITHDRAWN: N_("withdrawn")}


def transition_word(transition) -> str:
    """A transition as a message (a word the catalogue translates); anything else stays as recorded."""
    word = TRANSITION_WORDS.get(transition) if isinstance(transition, str) else None
    return Msg(word) if word else str(transition)
TRANSITIONS = (GRANTED, DECLINED, WITHDRAWN)
RESETTING_LIFECYCLE = ("install", "clear_data")
UI_TAP = "ui_tap"            # `evidence` of a hook `consent` event: the input system delivered a real tap
ACCESSIBILITY = "accessibility"   # ... an accessibility service clicked the control (services named)
USER_EVIDENCE = (UI_TAP, ACCESSIBILITY)


def is_user_answer(kind: str, source: str | None, fields: dict) -> bool:
    """True for an event that carries the user's own consent answer (the only thing that moves state)."""
    if kind != "consent":
        return False
    return source == "step" or (source == "hook" and fields.get("evidence") in USER_EVIDENCE)


class ConsentState:
    def __init__(self):
        self.scopes: dict[str, str] = {}

    def get(self, scope: str) -> str:
        return self.scopes.get(scope, NOT_ASKED)

    def set(self, scope: str, transition: str) -> None:
        self.scopes[scope] = transition
        if scope == "policy" and transition in (DECLINED, WITHDRAWN):
            for other in list(self.scopes):
                self.scopes[other] = transition

    def reset(self) -> None:
        self.scopes.clear()

    def snapshot(self) -> dict[str, str]:
        return dict(self.scopes) if self.scopes else {"policy": NOT_ASKED}

    def observe(self, kind: str, fields: dict, source: str | None = None) -> bool:
        """Update from one event's kind and fields (a dict or Event.extra); True if it changed state.
        Only the user's answer counts (`source` defaults to the dict's own `source`)."""
        if is_user_answer(kind, source or fields.get("source"), fields):
            tr = fields.get("transition")
            if tr in TRANSITIONS:
                self.set(fields.get("scope") or "policy", tr)
                return True
        elif kind == "lifecycle" and fields.get("what") in RESETTING_LIFECYCLE:
            self.reset()
            return True
        return False
