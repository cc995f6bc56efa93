"""Kinds of `incomplete` reasons: a stable slug per kind of blind spot and what it could hide.

Every reason the engine records carries one of these slugs (report JSON `incomplete_reasons[].kind`,
counted in `incomplete_kinds`; docs/ci.md lists them). Producers name the kind themselves
(`RunState.incomplete_reason(..., kind=)`, or `reason_kind` on an `incomplete` event); a reason that
names none (older logs, producers that only write text) is classified here by its wording, and what
matches nothing is `other`. `loses_events`: app events (a consent answer, a feature opened) may be
missing from that point on, so a judgement of "before consent" after it is not confirmed -- "hook" when
only the agent's events can be missing (a scenario's own consent steps still decide), "any" when a step may
be missing too; `whole_run`: they may be missing from the start (the agent attached to an app already running).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .i18n import N_, tr


@dataclass(frozen=True)
class ReasonKind:
    slug: str
    unseen: str                       # what could be unseen (one sentence, English)
    patterns: tuple[str, ...] = ()    # regexes over the text of reasons whose producer named no kind
    loses_events: str = ""            # "" | "hook": the agent's events may be lost | "any": any event | "source": the
                                      # reason's own event source ("hook" or any)
    whole_run: bool = False           # ... and may already have been missing before the first event


KINDS: tuple[ReasonKind, ...] = (
    # --- the evidence stream itself
    ReasonKind("no-evidence", N_("nothing was recorded: every read is unseen"), (r"^no evidence: the event log is empty",)),
    ReasonKind("broken-lines", N_("lines of an evidence log could not be read: any event in them is unseen"),
               (r"^\S+:\d+: ", r"more broken lines not listed"), loses_events="any"),
    ReasonKind("seq-gap", N_("events are missing from a process's sequence: reads or consent answers in the gap are unseen"),
               (r"events start at seq", r"events: seq \d+ where", r"agent event seq gap", r"seq numbers do not add up",
                r"agent event seq \S+ out of order"), loses_events="source"),
    ReasonKind("malformed-event", N_("an event whose fields have the wrong shape was not judged"),
               (r"a field has the wrong shape", r"consent event without a valid transition",
                r"permission_result without a results mapping"), loses_events="source"),
    ReasonKind("unknown-category", N_("a read of a data category this sdkgate does not know was not judged"),
               (r"has unknown category",)),
    # --- the agent and the processes it watches
    ReasonKind("agent-dropped", N_("the agent's queue overflowed: the dropped events are unseen"),
               (r"dropped \d+ events",), loses_events="hook"),
    ReasonKind("agent-error", N_("an agent hook failed: what it observes may be unseen"),
               (r"^agent error", r"error inside an agent hook", r"^agent (?!dropped)"), loses_events="hook"),
    ReasonKind("agent-not-loaded", N_("no hook evidence arrived: run-time reads are unseen"),
               (r"no hook evidence arrived", r"found no Java runtime")),
    ReasonKind("process-died", N_("a process died: events it had not sent, and what it would have done, are unseen"),
               (r"died at t=", r"died mid-run"), loses_events="hook"),
    ReasonKind("process-not-instrumented", N_("an app process ran without the agent: its reads are unseen"),
               (r"not instrumented", r"uninstrumented", r"ran without the agent")),
    ReasonKind("spawn-gating-disabled", N_("Frida turned spawn gating off and resumed the held processes: what they did "
               "before their agent was ready, and processes started while gating was off, are unseen"),
               (r"turned spawn gating off",), loses_events="hook"),
    ReasonKind("attached-late", N_("the agent attached to a running app: what it did before is unseen"),
               (r"attached to an already running app",), loses_events="hook", whole_run=True),
    ReasonKind("api-not-hookable", N_("the app calls an API no hook can observe: its reads at run time are unseen"),
               (r"no hook can observe it",)),
    ReasonKind("not-observable-on-device", N_("hooks of a data category did not fire when the agent was calibrated on "
               "this device: its reads are unseen"), (r"not observable on this device",)),
    ReasonKind("agent-not-calibrated", N_("the agent was not calibrated on this device (--require-calibration): whether "
               "its hooks fire there is unknown"), (r"agent not calibrated on this device",)),
    ReasonKind("impl-not-hookable", N_("an interface row's interface is loaded but no implementation could be hooked: "
               "its reads are unseen"), (r"implementation not hookable",)),
    ReasonKind("loaded-code-not-kept", N_("code the app loaded at run time was not kept or not scanned"),
               (r"^code loaded at run time",)),
    # --- the scenario and the consent record
    ReasonKind("run-interrupted", N_("the run was stopped early: what the app would have done next is unseen"),
               (r"run interrupted",)),
    ReasonKind("step-failed", N_("a scenario step failed: the behaviour it should have triggered is unseen"),
               (r"^step \S+ \(.*\) failed", r"settle period failed")),
    ReasonKind("consent-not-recorded", N_("a consent step left no consent event: the user's answer is unknown"),
               (r"consent step but no consent event",), loses_events="any"),
    ReasonKind("consent-unobserved", N_("the app recorded consent but the user's answer was not observed"),
               (r"no evidence of the user's answer",)),
    ReasonKind("consent-accessibility", N_("an accessibility service clicked the consent control and the manifest does not "
               "accept such answers as the user's: the user's own answer is unknown"),
               (r"was clicked by an accessibility service",)),
    ReasonKind("consent-unobservable", N_("the app's UI toolkit gives the agent no view click to observe and the scenario "
               "has no consent steps: the user's answer is unknown"), (r"consent answer not observable by the agent",)),
    ReasonKind("consent-marker-mismatch", N_("the user's answer and the app's own consent record disagree"),
               (r"step log and app disagree",)),
    # --- network
    ReasonKind("network-not-observed", N_("traffic was not recorded: what was sent is unseen"),
               (r"network not observed", r"network evidence missing")),
    ReasonKind("capture-partial", N_("only the proxy saw the traffic (no agent socket evidence): bypassing traffic, QUIC "
               "and values transformed before sending cannot be excluded"), (r"^capture partial",)),
    ReasonKind("tls-intercept-failed", N_("TLS to a host could not be opened: what was sent there is unseen"),
               (r"TLS interception failed",)),
    ReasonKind("traffic-not-observed", N_("a socket's traffic did not pass the proxy: what it carried is unseen"),
               (r"traffic not observed",)),
    ReasonKind("proxy-error", N_("the proxy failed on a flow: what it carried is unseen"), (r"^net: .* failed on flow",)),
    # --- the static scan
    ReasonKind("package-mismatch", N_("the manifest declares another app: its declarations cannot judge this one"),
               (r"but the manifest declares",)),
    ReasonKind("apk-manifest-unreadable", N_("the APK's AndroidManifest.xml was not read: entry points are unknown"),
               (r"permissions, components and entry points unknown",)),
    ReasonKind("split-missing", N_("split APKs the app needs were not given: the code in them is unseen"),
               (r"required splits missing", r"this is split APK")),
    ReasonKind("no-code", N_("the APK holds no DEX: there was no code to scan"), (r"no classes\.dex",)),
    ReasonKind("archive-unreadable", N_("an archive entry could not be read: code in it may be unseen"),
               (r"climbs out of the archive", r"appears twice", r"entry not readable", r"nested archive",
                r"whether this archive holds code is unknown")),
    ReasonKind("dex-unreadable", N_("DEX code could not be decoded: the code in it is unseen"),
               (r"not a readable DEX", r"class_def skipped", r"call-site scan stopped", r"invoke search stopped",
                r"DEX version", r"dex version", r"\.dex: ")),
    ReasonKind("precompiled-code", N_("precompiled or foreign code this reader does not decode"),
               (r"precompiled OAT code", r"code this reader does not decode")),
    ReasonKind("packer", N_("the APK is packed: the code that runs is not in its DEX"), (r"packed by ",)),
    ReasonKind("component-class-missing", N_("a component that runs without the user has its class in no DEX"),
               (r"code not in the APK: the class of",)),
    ReasonKind("code-loading", N_("code loaded at run time from a source the scan cannot read"),
               (r"loads (native )?code with", r"reflective code loading")),
    ReasonKind("other-package-code", N_("code of another installed package runs in the app (createPackageContext, "
               "dynamite modules)"), (r"code from another installed package",)),
    ReasonKind("path-search-bound", N_("the pre-consent path search stopped at a bound: paths beyond it are unseen"),
               (r"pre-consent path search stopped",)),
    ReasonKind("reflection-unresolved", N_("reflection on a path before consent names a class or member the bytecode does "
               "not show: what it calls is unseen"), (r"reflection not resolved statically",)),
    ReasonKind("scan-failed", N_("the static scan failed: the app's code is unseen"), (r"scan failed:",)),
    ReasonKind("other", N_("a reason of a kind this version does not name")),
)

BY_SLUG = {k.slug: k for k in KINDS}


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(p), k.slug) for k in KINDS for p in k.patterns]


def classify(reason: str) -> str:
    """The kind of a reason whose producer named none: by its wording, else `other`."""
    text = str(reason)[:1000]
    for rx, slug in _compiled():
        if rx.search(text):
            return slug
    return "other"


def known(slug: str) -> bool:
    return slug in BY_SLUG


def loses_events(slug: str) -> str:
    """Which events may be missing after a reason of this kind: "", "hook", "any" or "source"."""
    k = BY_SLUG.get(slug)
    return k.loses_events if k else ""


def whole_run(slug: str) -> bool:
    k = BY_SLUG.get(slug)
    return bool(k and k.whole_run)


def unseen(slug: str, lang: str = "en") -> str:
    """What a reason of this kind could leave unseen, in `lang`."""
    k = BY_SLUG.get(slug)
    return tr(k.unseen, lang) if k else slug
