"""What the engine knows at the current event: consent per scope, device clock, features opened."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..consent import DECLINED, GRANTED, WITHDRAWN, ConsentState
from ..events import Event
from ..i18n import msg
from ..manifest import Manifest
from ..reasons import classify, loses_events, whole_run
from ..report import Finding
from .findings import FindingSink

INCOMPLETE_EXAMPLES = 5        # reasons of one kind listed verbatim; the rest are counted
MAX_INCOMPLETE_KINDS = 100     # distinct kinds of reason; beyond, they are counted as "other"
MAX_MOMENTS = 2000             # consent moments kept for the cross-check and the report


# Findings that rest on the app's state at the event (consent per scope, features opened): they are
# confirmed only when that state was known then, i.e. no event that could have changed it may be missing.
STATE_RULES = frozenset({"SG101", "SG102", "SG103", "SG105", "SG106", "SG302", "SG303", "SG304", "SG401"})
FEATURE_RULES = frozenset({"SG105", "SG304"})
FEATURE = "*feature*"        # the doubt entry for "a feature may have been opened unseen"


def reason_kind(reason: str) -> str:
    """The stable kind of a reason whose producer named none (sdkgate/reasons.py)."""
    return classify(reason)



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
    reason_kinds: dict[str, str] = field(default_factory=dict)     # reason text -> its kind
    moments_dropped: int = 0
    # what the engine cannot be sure of (issue 20): scopes whose consent answer, and whether a feature was
    # opened, may be missing from the log from the current event on (cleared by the user's next answer)
    # (`doubt`: any event may be missing; `doubt_step`: a scenario step may be missing too -- when the log's
    # consent answers are the scenario's own steps, a loss of the agent's events alone changes nothing)
    doubt: set[str] = field(default_factory=set)
    doubt_step: set[str] = field(default_factory=set)
    doubt_from_t: float = math.inf        # found only at the end: state unknown from this t on
    streaming: bool = True
    _certain_t: dict[int, list] = field(default_factory=dict, repr=False)   # id(finding) -> [first sure t, ditto steps]
    _dependent: dict[int, Finding] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.sink.on_add = self._track
        self.sink.needs_track = self._needs_track
        self.sink.track_rules = STATE_RULES

    def _needs_track(self, rid: str, f: Finding) -> bool:
        """Whether a repeated event may still change this finding's `confirmed` (the sink's fast path asks)."""
        if rid not in STATE_RULES:
            return False
        sure = self._certain_t.get(id(f))
        return sure is None or sure[0] is None or sure[1] is None

    # --- is the state a finding rests on known? ------------------------------------------------------
    def doubt_events(self, which: str = "any") -> None:
        """Events that could change consent or features may be missing from here on (a gap, a drop):
        `which` "hook" (only the agent's events) or "any" (a scenario step too)."""
        scopes = set(self.manifest.consent.scopes) if self.manifest else {"policy"}
        self.doubt |= scopes | {"policy", FEATURE}
        if which != "hook":
            self.doubt_step |= scopes | {"policy", FEATURE}

    def doubt_after(self, t_ms: float) -> None:
        """Found at the end: the state is unknown from t_ms on."""
        self.doubt_from_t = min(self.doubt_from_t, float(t_ms))

    def state_known(self, actor: str | None, rid: str, doubt: set[str] | None = None) -> bool:
        doubt = self.doubt if doubt is None else doubt
        if not doubt:
            return True
        if rid in FEATURE_RULES and FEATURE in doubt:
            return False
        return not ({"policy", self.actor_scope(actor)} & doubt)

    def _track(self, rid: str, f: Finding, ev: Event | None, actor: str | None) -> None:
        if rid not in STATE_RULES:
            return
        key = id(f)
        self._dependent[key] = f
        if ev is None:
            return
        t = ev.t_ms if isinstance(ev.t_ms, (int, float)) else 0.0
        sure = self._certain_t.setdefault(key, [None, None])
        for i, doubt in enumerate((self.doubt, self.doubt_step)):
            if self.state_known(actor, rid, doubt) and (sure[i] is None or t < sure[i]):
                sure[i] = t
        if sure[0] is not None and sure[1] is not None:
            self.sink.settled.add(key)       # the sink's fast path no longer asks about it

    def settle_confirmed(self) -> None:
        """`confirmed` on every finding: SG900 never (it is the gap itself); a state-dependent finding
        when at least one of its events was judged while the state it rests on was known. When the
        scenario's steps gave the consent answers, only losses that could hide a step count."""
        for f in self.sink.findings():
            if f.rule == "SG900":
                f.confirmed = False
        steps_decide = any(m.source == "step" for m in self.moments)
        for key, f in self._dependent.items():
            t = (self._certain_t.get(key) or [None, None])[1 if steps_decide else 0]
            f.confirmed = t is not None and t < self.doubt_from_t
    _scopes: dict = field(default_factory=dict, repr=False)     # actor -> consent scope (the manifest's)
    undeclared: dict = field(default_factory=dict, repr=False)  # (actor, category) -> outside its declared row (SG202)

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
        self.doubt.discard(scope)         # the user's answer for this scope is seen: its state is known again
        self.doubt_step.discard(scope)

    def reset_app_data(self):
        self.consent.reset()
        self.features_open.clear()
        self.doubt.clear()                # fresh app data: nothing earlier can change the state
        self.doubt_step.clear()

    def features_reset(self):
        self.features_open.clear()
        self.doubt.discard(FEATURE)
        self.doubt_step.discard(FEATURE)

    def device_clock(self, ev: Event) -> float:
        return ev.t_ms + self.clock_offset_ms

    def incomplete_reason(self, reason: str | Callable[[], str], ev: Event | None = None, kind: str | None = None,
                          listed_max: int = INCOMPLETE_EXAMPLES, loses: bool | str | None = None):
        """Record why the evidence is incomplete (a message, sdkgate/i18n.py) with its stable kind (reasons.py).
        Bounded under any log: reasons are grouped by kind (one SG900 finding per kind, with the count), the first
        INCOMPLETE_EXAMPLES of a kind are listed verbatim and `summarise` adds one line for the rest.
        `loses` (default: the kind's; True = "any"): app events may be missing from here on (`doubt_events`).
        `reason` may be a function making the message (a hostile log's millionth gap: built only when listed)."""
        if kind is None and callable(reason):
            reason = reason()
        kind = kind or reason_kind(reason)
        mode = loses_events(kind) if loses is None else ("any" if loses is True else (loses or ""))
        if mode == "source":
            mode = "hook" if ev is not None and ev.source == "hook" else "any"
        if mode and self.streaming:
            self.doubt_events(mode)
        if whole_run(kind):
            self.doubt_after(-math.inf)
        n = self.reason_counts.get(kind)
        if n is None and len(self.reason_counts) >= MAX_INCOMPLETE_KINDS:
            kind, n = "other", self.reason_counts.get("other")
        self.reason_counts[kind] = (n or 0) + 1
        listed = self.reason_listed.get(kind, 0)
        if listed < listed_max:
            if callable(reason):
                reason = reason()
            if reason not in self.reason_kinds:
                self.incomplete.append(reason)
                self.reason_kinds[reason] = kind
                self.reason_listed[kind] = listed + 1
        self.sink.add("SG900", ev, actor=None, category=None, key=kind, summary=reason)    # a callable: made if new

    def summarise(self) -> dict:
        """One line per kind of reason with more than were listed; what the report summarised."""
        more = {k: n - self.reason_listed.get(k, 0) for k, n in self.reason_counts.items()
                if n > self.reason_listed.get(k, 0)}
        for kind, n in more.items():
            line = msg("{n} more reason(s) of kind {kind}", n=n, kind=kind)
            self.incomplete.append(line)
            self.reason_kinds[line] = kind
        out: dict = {}
        if more:
            out["incomplete_reasons_not_listed"] = sum(more.values())
        if self.sink.aggregated:
            out["finding_events_aggregated"] = self.sink.aggregated
        if self.moments_dropped:
            out["consent_moments_not_kept"] = self.moments_dropped
            self.skipped.append(msg("more than {n} consent transitions: the step/marker cross-check used the first {n}",
                                    n=MAX_MOMENTS))
        return out

    def is_third_party(self, actor: str | None) -> bool:
        return actor not in (FIRST_PARTY, None)

    def is_sdk(self, actor: str | None) -> bool:
        return actor not in (FIRST_PARTY, UNKNOWN, None)
