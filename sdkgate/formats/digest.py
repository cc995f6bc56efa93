"""What a release manager reads first, the same on every page and sheet: the verdict's one sentence, the
findings grouped per SDK (confirmed violations first, each with its fix), and the reasons evidence is
incomplete grouped by kind (a count and the first examples).

`confirmed` is read from the finding when the report model carries it (default: confirmed); the kind of
an incomplete reason is the reason's own `kind` when it has one, else derived from its text
(`rules.state.reason_kind`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..fixhints import hint_text, sdk_hint
from ..i18n import N_, msg, tr
from ..report import Finding, Report

EXAMPLES = 5                     # reasons of one kind shown; the rest are counted
_MORE = re.compile(r"^(\d+) more reason\(s\) (?:like: |of kind )(.+)$")
_SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}
WHY = {"pass": N_("No violation found, and the evidence is complete."),
       "not_judged": N_("Not judged: no manifest (declarations) was given, so this is an inventory only."),
       "app_wide": N_("the app (no single SDK)")}


def confirmed(f: Finding) -> bool:
    return bool(getattr(f, "confirmed", True))


OWN = {FIRST_PARTY: N_("the app itself"), UNKNOWN: N_("unattributed code")}


def _name_of(report: Report, actor: str | None, lang: str = "en") -> str:
    if actor in OWN:
        return tr(OWN[actor], lang)
    for s in report.sdks:
        if s.id == actor:
            return s.name
    if actor and actor not in (FIRST_PARTY, UNKNOWN):
        from ..catalogue import default_catalogue
        sdk = default_catalogue().sdks.get(actor)
        if sdk is not None:
            return sdk.name
    return actor or ""


@dataclass
class FindingGroup:
    actor: str | None
    name: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def confirmed_violations(self) -> int:
        return sum(1 for f in self.findings if f.severity == "violation" and not f.suppressed and confirmed(f))

    @property
    def violations(self) -> int:
        return sum(1 for f in self.findings if f.severity == "violation" and not f.suppressed)


def finding_order(f: Finding) -> tuple:
    """Confirmed violations first, then unconfirmed ones, warnings, notes; suppressed findings last."""
    return (f.suppressed, _SEVERITY_ORDER.get(f.severity, 3), not confirmed(f), f.rule)


def finding_groups(report: Report, lang: str = "en", name: Callable[[str], str] | None = None) -> list[FindingGroup]:
    """Findings per SDK (SG900, the incomplete evidence, is told apart): SDKs with confirmed violations first.
    `name`: how the page names an SDK (the manifest's name on a run page), else the report's/catalogue's."""
    groups: dict[str | None, FindingGroup] = {}
    for f in report.findings:
        if f.rule == "SG900":
            continue
        g = groups.get(f.actor)
        if g is None:
            g = groups[f.actor] = FindingGroup(f.actor, name(f.actor) if (name and f.actor) else _name_of(report, f.actor, lang))
        g.findings.append(f)
    for g in groups.values():
        g.findings.sort(key=finding_order)
    return sorted(groups.values(), key=lambda g: (-g.confirmed_violations, -g.violations,
                                                  min((finding_order(f) for f in g.findings), default=()),
                                                  g.actor is None, str(g.actor)))


def fix_of(f: Finding, lang: str) -> tuple[str, str]:
    """(how to fix, the SDK's API to call for it) for one finding."""
    h = sdk_hint(f.rule, f.actor)
    return hint_text(f.rule, f.actor, lang), (h.api if h else "")


def group_fixes(findings: list[Finding], lang: str) -> list[dict[str, Any]]:
    """The distinct fixes of one SDK's findings, each with the rules it answers, in the findings' order: a
    fix is said once per SDK, not under each of its findings."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for f in findings:
        if f.suppressed:
            continue
        fix, api = fix_of(f, lang)
        if fix:
            entry = out.setdefault((fix, api), {"fix": fix, "api": api, "rules": []})
            if f.rule not in entry["rules"]:
                entry["rules"].append(f.rule)
    return list(out.values())


@dataclass
class ReasonGroup:
    kind: str
    count: int = 0
    examples: list[str] = field(default_factory=list)


def _reason(item: Any) -> tuple[str, str | None]:
    if isinstance(item, dict):
        text = item.get("reason") or item.get("text") or ""
        return (text if isinstance(text, str) else str(text)), item.get("kind")
    return (item if isinstance(item, str) else str(item)), getattr(item, "kind", None)


def reason_groups(report: Report, lang: str = "en") -> list[ReasonGroup]:
    """Incomplete reasons per kind, most frequent first: a count and the first EXAMPLES (in the report's language);
    the engine's "N more reason(s) like: KIND" lines add to their kind's count."""
    from ..rules.state import reason_kind
    groups: dict[str, ReasonGroup] = {}
    for item in report.incomplete:
        text, kind = _reason(item)
        m = _MORE.match(text)
        if m:
            g = groups.setdefault(kind or m.group(2), ReasonGroup(kind or m.group(2)))
            g.count += int(m.group(1))
            continue
        kind = kind or reason_kind(text)
        g = groups.setdefault(kind, ReasonGroup(kind))
        g.count += 1
        if len(g.examples) < EXAMPLES:
            g.examples.append(tr(text, lang))
    return sorted(groups.values(), key=lambda g: (-g.count, g.kind))


def why(report: Report, lang: str = "en", name: Callable[[str], str] | None = None) -> str:
    """One sentence saying why the verdict is what it is."""
    active = [f for f in report.active_findings("violation")]
    if report.verdict in ("not_judged", "pass"):
        return tr(WHY[report.verdict], lang)
    if report.verdict == "incomplete":
        groups = reason_groups(report, lang)
        text = msg("The evidence is incomplete ({n} reason(s) of {k} kind(s)): no pass can be given.",
                   n=sum(g.count for g in groups), k=len(groups))
        if active:
            text = msg("{first} {second}", first=text, second=msg("{v} violation(s) were found as well.", v=len(active)))
        return text.render(lang)
    actors = list(dict.fromkeys(g.name or tr(WHY["app_wide"], lang) for g in finding_groups(report, lang, name)
                                if g.violations))
    who = ", ".join(actors[:3])
    if len(actors) > 3:
        who = msg("{names} and {n} more", names=who, n=len(actors) - 3)
    text = msg("{n} violation(s) found by {who}.", n=len(active), who=who) if actors else \
        msg("{n} violation(s) found.", n=len(active))
    unconfirmed = sum(1 for f in active if not confirmed(f))
    if unconfirmed:
        text = msg("{first} {second}", first=text, second=msg("{u} of them not confirmed.", u=unconfirmed))
    return text.render(lang)
