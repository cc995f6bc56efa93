"""Consent state per scope: one definition for the engine and for annotating recorded events.

States: `not_asked` (initial), `granted`, `declined`, `withdrawn`. Refusing the `policy` scope
refuses every narrower scope; clearing app data (install, clear_data) forgets every decision.
"""
from __future__ import annotations

NOT_ASKED, GRANTED, DECLINED, WITHDRAWN = "not_asked", "granted", "declined", "withdrawn"
TRANSITIONS = (GRANTED, DECLINED, WITHDRAWN)
RESETTING_LIFECYCLE = ("install", "clear_data")


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

    def observe(self, kind: str, fields: dict) -> bool:
        """Update from one event's kind and fields (a dict or Event.extra); True if it changed state."""
        if kind in ("consent", "consent_marker"):
            tr = fields.get("transition")
            if tr in TRANSITIONS:
                self.set(fields.get("scope") or "policy", tr)
                return True
        elif kind == "lifecycle" and fields.get("what") in RESETTING_LIFECYCLE:
            self.reset()
            return True
        return False
