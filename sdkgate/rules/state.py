"""What the engine knows at the current event: consent per scope, device clock, features opened."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..consent import DECLINED, GRANTED, WITHDRAWN, ConsentState
from ..events import Event
from ..manifest import Manifest
from .findings import FindingSink

INCOMPLETE_EXAMPLES = 5        # reasons of one kind listed verbatim; the rest are counted
MAX_INCOMPLETE_KINDS = 100     # distinct kinds of reason; beyond, they are counted as "other"
MAX_MOMENTS = 2000             # consent moments kept for the cross-check and the report
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def reason_kind(reason: str) -> str:
    """What kind of reason this is: numbers and quoted values blanked (seq gaps, bad lines, categories)."""
    return _QUOTED.sub("'…'", _NUMBER.sub("#", reason))[:200]



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
    reason_counts: dict[str, int] = field(default_factory=dict)    # kind -> reasons of that kind
    reason_listed: dict[str, int] = field(default_factory=dict)    # kind -> reasons listed verbatim
    moments_dropped: int = 0
    _scopes: dict = field(default_factory=dict, repr=False)     # actor -> consent scope (the manifest's)

    # --- consent -------------------------------------------------------------------------
    def scope_state(self, scope: str) -> str:
        return self.consent.get(scope)

    def actor_scope(self, actor: str | None) -> str:
        scope = self._scopes.get(actor)
        if scope is None:
            scope = self.manifest.scope_for(actor) if self.manifest else "policy"
            if len(self._scopes) < 10_000:      # endless actors in a hostile log: stay flat
                self._scopes[actor] = scope
        return scope

    def consented(self, actor: str | None) -> bool:
        """Policy consent is needed by everyone; an SDK row may need a further scope."""
        scopes = self.consent.scopes
        return scopes.get("policy") == GRANTED and scopes.get(self.actor_scope(actor)) == GRANTED

    def refused(self, actor: str | None) -> str | None:
        """'declined'/'withdrawn' when the actor's scope (or policy) was refused, else None."""
        scopes = self.consent.scopes
        if not scopes:
            return None
        for scope in ("policy", self.actor_scope(actor)):
            st = scopes.get(scope)
            if st in (DECLINED, WITHDRAWN):
                return st
        return None

    def set_consent(self, scope: str, transition: str, t_ms: float, source: str):
        if not isinstance(scope, str):
            raise TypeError("consent scope must be a string")
        if len(self.moments) < MAX_MOMENTS:
            self.moments.append(ConsentMoment(t_ms, scope, transition, source))
        else:
            self.moments_dropped += 1
        self.consent.set(scope, transition)

    def reset_app_data(self):
        self.consent.reset()
        self.features_open.clear()

    def device_clock(self, ev: Event) -> float:
        return ev.t_ms + self.clock_offset_ms

    def incomplete_reason(self, reason: str | Callable[[], str], ev: Event | None = None, kind: str | None = None,
                          listed_max: int = INCOMPLETE_EXAMPLES):
        """Record why the evidence is incomplete. Bounded under any log: reasons are grouped by kind
        (one SG900 finding per kind, with the count), the first INCOMPLETE_EXAMPLES of a kind are
        listed verbatim and `summarise` adds one line for the rest. `reason` may be a function, called
        only when the text is needed (a log with a million gaps of one kind formats five)."""
        if kind is None:
            if callable(reason):
                reason = reason()
            kind = reason_kind(reason)
        n = self.reason_counts.get(kind)
        if n is None and len(self.reason_counts) >= MAX_INCOMPLETE_KINDS:
            kind, n = "other reasons", self.reason_counts.get("other reasons")
        self.reason_counts[kind] = (n or 0) + 1
        listed = self.reason_listed.get(kind, 0)
        if listed < listed_max:
            if callable(reason):
                reason = reason()
            if reason not in self.incomplete:
                self.incomplete.append(reason)
                self.reason_listed[kind] = listed + 1
        if callable(reason) and not self.sink.exists("SG900", ev, None, None, kind):
            reason = reason()
        self.sink.add("SG900", ev, actor=None, category=None, key=kind, detail_en="" if callable(reason) else reason)

    def summarise(self) -> dict:
        """One line per kind of reason with more than were listed; what the report summarised."""
        more = {k: n - self.reason_listed.get(k, 0) for k, n in self.reason_counts.items()
                if n > self.reason_listed.get(k, 0)}
        for kind, n in more.items():
            self.incomplete.append(f"{n} more reason(s) like: {kind}")
        out: dict = {}
        if more:
            out["incomplete_reasons_not_listed"] = sum(more.values())
        if self.sink.aggregated:
            out["finding_events_aggregated"] = self.sink.aggregated
        if self.moments_dropped:
            out["consent_moments_not_kept"] = self.moments_dropped
            self.skipped.append(f"more than {MAX_MOMENTS} consent transitions: the step/marker cross-check "
                                f"used the first {MAX_MOMENTS}")
        return out

    def is_third_party(self, actor: str | None) -> bool:
        return actor not in (FIRST_PARTY, None)

    def is_sdk(self, actor: str | None) -> bool:
        return actor not in (FIRST_PARTY, UNKNOWN, None)
