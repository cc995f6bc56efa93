"""What the engine knows at the current event: consent per scope, device clock, features opened."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..consent import DECLINED, GRANTED, WITHDRAWN, ConsentState
from ..events import Event
from ..manifest import Manifest
from .findings import FindingSink



@dataclass
class ConsentMoment:
    t_ms: float
    scope: str
    transition: str
    source: str          # "step" or "ui_tap" (the user's answer) or "marker" (the app's record)


@dataclass
class RunState:
    manifest: Manifest | None
    sink: FindingSink = field(default_factory=FindingSink)
    consent: ConsentState = field(default_factory=ConsentState)
    moments: list[ConsentMoment] = field(default_factory=list)
    clock_offset_ms: float = 0.0          # sum of advance_clock steps: device clock = t_ms + offset
    features_open: set[str] = field(default_factory=set)
    incomplete: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    first_t: float | None = None
    last_t: float | None = None

    # --- consent -------------------------------------------------------------------------
    def scope_state(self, scope: str) -> str:
        return self.consent.get(scope)

    def actor_scope(self, actor: str | None) -> str:
        return self.manifest.scope_for(actor) if self.manifest else "policy"

    def consented(self, actor: str | None) -> bool:
        """Policy consent is needed by everyone; an SDK row may need a further scope."""
        scope = self.actor_scope(actor)
        return self.scope_state("policy") == GRANTED and self.scope_state(scope) == GRANTED

    def refused(self, actor: str | None) -> str | None:
        """'declined'/'withdrawn' when the actor's scope (or policy) was refused, else None."""
        for scope in ("policy", self.actor_scope(actor)):
            st = self.scope_state(scope)
            if st in (DECLINED, WITHDRAWN):
                return st
        return None

    def set_consent(self, scope: str, transition: str, t_ms: float, source: str):
        self.moments.append(ConsentMoment(t_ms, scope, transition, source))
        self.consent.set(scope, transition)

    def reset_app_data(self):
        self.consent.reset()
        self.features_open.clear()

    def device_clock(self, ev: Event) -> float:
        return ev.t_ms + self.clock_offset_ms

    def incomplete_reason(self, reason: str, ev: Event | None = None):
        if reason not in self.incomplete:
            self.incomplete.append(reason)
        self.sink.add("SG900", ev, actor=None, category=None, key=reason, detail_en=reason)

    def is_third_party(self, actor: str | None) -> bool:
        return actor not in (FIRST_PARTY, None)

    def is_sdk(self, actor: str | None) -> bool:
        return actor not in (FIRST_PARTY, UNKNOWN, None)
