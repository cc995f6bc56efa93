"""The engine: streams events once through every rule group and builds the Report.

Rule groups are small classes whose methods are named after the event kinds they handle
(`read`, `send`, `permission_request`, ...), like mitmproxy addons; `any` sees every event,
`finish` runs at the end. Adding a rule = adding a method (or a group) here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from ..consent import ACCESSIBILITY, RESETTING_LIFECYCLE, TRANSITIONS, UI_TAP, is_user_answer, transition_word
from ..events import BadLine, Event
from ..i18n import failure, msg
from ..manifest import Manifest
from ..report import Report
from .authority import ConsentAuthority
from .calibration import CalibrationRules
from .coverage import CoverageRules
from .evidence import EvidenceRules
from .inventory import InventoryRules
from .loading import CodeLoadRules
from .network import NetworkRules
from .permissions import PermissionRules
from .reads import ReadRules
from .state import ConsentMoment, RunState, reason_kind
from .suppress import Suppression, apply_suppressions


MAX_KINDS = 256       # distinct event kinds the dispatch table remembers
NOT_KINDS = ("any", "finish", "bad_line")   # group methods an event kind must never reach


@dataclass
class EvalOptions:
    suppressions: list[Suppression] = field(default_factory=list)
    geoip: str | None = None                  # path of a MaxMind .mmdb for SG405
    today: date | None = None                 # for suppression expiry (default: today)
    app: dict = field(default_factory=dict)   # known app facts (version_name, sha256) to put in the report

    def to_record(self) -> dict:
        """What run.json keeps so that `verify` judges the evidence exactly as the run did."""
        return {"today": (self.today or date.today()).isoformat(),
                "suppressions": [s.to_record() for s in self.suppressions],
                "geoip": self.geoip}


class LifecycleState:
    """Keeps consent, clock and feature state current; owns no rule."""

    def consent(self, ev: Event, st: RunState):
        scope, tr = ev.get("scope") or "policy", ev.get("transition")
        if tr not in TRANSITIONS:
            st.incomplete_reason(msg("{source} event seq {seq}: consent event without a valid transition",
                                     source=ev.source, seq=ev.seq), ev, kind="malformed-event")
            return
        if is_user_answer(ev.kind, ev.source, ev.extra):
            st.set_consent(scope, tr, ev.t_ms, "step" if ev.source == "step" else UI_TAP)
            if ev.source == "hook" and ev.get("evidence") == ACCESSIBILITY and not (
                    st.manifest and st.manifest.consent.accept_accessibility):
                services = ", ".join(str(x) for x in (ev.get("services") or [])[:5]) or msg("unknown service")
                st.incomplete_reason(msg("consent {transition} ({scope}) at t={t} ms was clicked by an accessibility "
                                         "service ({services}): the manifest does not say accessibility answers are the "
                                         "user's (consent.accept_accessibility)", transition=transition_word(tr), scope=scope,
                                         t=format(ev.t_ms, ".0f"), services=services), ev, kind="consent-accessibility")
        else:       # a click the input system did not deliver: the app's doing, judged by SG106
            st.moments.append(ConsentMoment(ev.t_ms, scope, tr, "marker"))

    def consent_marker(self, ev: Event, st: RunState):
        """The app's own record of a decision: never moves the state (authority.py checks it)."""
        tr = ev.get("transition")
        if tr in TRANSITIONS:
            st.moments.append(ConsentMoment(ev.t_ms, ev.get("scope") or "policy", tr, "marker"))

    def lifecycle(self, ev: Event, st: RunState):
        what = ev.get("what")
        if what == "clock":
            st.clock_offset_ms += float(ev.get("advance_ms") or 0)
        elif what in RESETTING_LIFECYCLE:
            st.reset_app_data()
        if what in ("launch", "relaunch", "kill", "install", "clear_data"):
            st.features_reset()

    def feature(self, ev: Event, st: RunState):
        if ev.get("feature"):
            st.features_open.add(ev.get("feature"))


def _absent_sources(st: RunState, counts: dict) -> None:
    """Rules whose evidence source is absent from the log were not judged: say so (JUnit marks them
    skipped, SARIF lists them), so "no finding" is never read as "passed"."""
    if counts.get("static") and not counts.get("hook") and not counts.get("step"):
        st.skipped.append(msg("no run-time evidence (static scan only): {rules} not judged",
                              rules="SG101, SG102, SG103, SG104, SG105, SG106, SG302, SG303, SG304"))
    if counts.get("static") and not counts.get("net"):
        st.skipped.append(msg("no network evidence (static scan only): {rules} not judged", rules="SG401, SG402, SG403"))


def judge(findings, incomplete: list[str], judged: bool) -> str:
    """The verdict order (issue 20): a confirmed, unsuppressed violation is `fail` whatever else is missing
    (the incomplete reasons are still listed); else any incomplete reason (or a violation that rests on
    what is missing) is `incomplete`; `pass` only when everything was seen and nothing is wrong. Without
    a manifest nothing is judged: `not_judged` (or `incomplete` when the evidence itself has gaps)."""
    if not judged:
        return "incomplete" if incomplete else "not_judged"
    active = [f for f in findings if f.severity == "violation" and not f.suppressed and f.rule != "SG900"]
    if any(f.confirmed for f in active):
        return "fail"
    if incomplete or active:
        return "incomplete"
    return "pass"


def evaluate(events: Iterable[Event | BadLine], manifest: Manifest | None,
             options: EvalOptions | None = None) -> Report:
    options = options or EvalOptions()
    st = RunState(manifest=manifest)
    inventory, perms, evidence, calibration = InventoryRules(), PermissionRules(), EvidenceRules(), CalibrationRules()
    groups = [LifecycleState(), ConsentAuthority(), evidence, ReadRules(), inventory, perms, NetworkRules(),
              CodeLoadRules(), CoverageRules(), calibration]
    geo = None
    if options.geoip:
        from .geo import GeoRules  # noqa: PLC0415 - optional dependency on a user database
        geo = GeoRules(options.geoip)
        groups.append(geo)
    # dispatch table: kind -> bound handlers, built once (the hot path is one dict lookup per event)
    dispatch: dict[str, list] = {}
    anys = [g.any for g in groups if hasattr(g, "any")]
    counts = st.counts
    get_handlers = dispatch.get
    first = last = None
    for ev in events:
        if ev.__class__ is BadLine:
            evidence.bad_line(ev, st)
            continue
        source = ev.source
        counts[source] = counts.get(source, 0) + 1
        if first is None:
            first = ev
        last = ev
        try:
            handlers = get_handlers(ev.kind)
            if handlers is None:            # every group's `any` first, then those named after the kind
                handlers = dispatch[ev.kind] = anys + [getattr(g, ev.kind) for g in groups if hasattr(g, ev.kind)
                                                       and not ev.kind.startswith("_") and ev.kind not in NOT_KINDS]
                if len(dispatch) > MAX_KINDS:      # hostile logs with endless kinds: keep the table flat
                    dispatch.clear()
            for h in handlers:
                h(ev, st)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            st.incomplete_reason(lambda ev=ev, exc=exc: msg(
                "{source} event seq {seq} ({kind}): a field has the wrong shape ({error}); not judged",
                source=ev.source, seq=ev.seq, kind=str(ev.kind)[:40], error=failure(exc, 120)), ev, kind="malformed-event")
    if first is not None:
        st.first_t, st.last_t = first.t_ms, last.t_ms
    for g in groups:
        if hasattr(g, "finish"):
            g.finish(st)
    _absent_sources(st, counts)
    if geo is None and manifest is not None and manifest.allowed_regions and counts.get("net"):
        st.skipped.append(msg("SG405 skipped: no GeoIP database given (--geoip FILE.mmdb)"))
    st.streaming = False
    summarised = st.summarise()
    if not any(counts.values()) and not st.incomplete:
        st.incomplete_reason(msg("no evidence: the event log is empty"), kind="no-evidence")
    st.settle_confirmed()
    findings = st.sink.findings()
    st.skipped.extend(apply_suppressions(findings, options.suppressions, options.today or date.today()))
    verdict = judge(findings, st.incomplete, manifest is not None)
    app = {"package": manifest.package if manifest else None, "name": manifest.name if manifest else None,
           "version_name": None, "sha256": None}
    app.update({k: v for k, v in options.app.items() if v})
    app.update({k: v for k, v in inventory.app.items() if v})
    if manifest is not None:
        app["manifest"] = manifest.source_ref()
    if manifest is not None and manifest.clauses:
        # the app's own policy clauses (manifest `clauses:`) replace the neutral defaults in every format
        app["clauses"] = dict(manifest.clauses)
        for f in findings:
            f.clause = manifest.clauses.get(f.rule) or f.clause
    return Report(
        verdict=verdict, app=app, sdks=sorted(inventory.sdks.values(), key=lambda s: s.id),
        call_sites=inventory.call_sites, findings=findings, incomplete=st.incomplete, skipped=st.skipped,
        permissions=perms.log,
        incomplete_reasons=[{"kind": st.reason_kinds.get(r) or reason_kind(r), "reason": r} for r in st.incomplete],
        incomplete_kinds=dict(st.reason_counts),
        stats={"events": dict(counts), "first_t_ms": st.first_t, "last_t_ms": st.last_t,
               **({"summarised": summarised} if summarised else {}), **calibration.stats(),
               **({"not_judged": msg("no manifest (declarations) given")} if manifest is None else {}),
               "consent": [{"t_ms": m.t_ms, "scope": m.scope, "transition": m.transition, "source": m.source}
                           for m in st.moments]},
    )
