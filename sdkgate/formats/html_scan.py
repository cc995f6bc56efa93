"""HTML for a static scan (`scan --format html`), in the order a release manager acts on it: the verdict with one
sentence and the counts; the findings grouped per SDK (confirmed violations first, each with its fix, pre-consent
paths drawn as chains); why the evidence is incomplete, grouped by kind; then the inventory (SDKs with their
category and website, permissions with their protection level) and the call sites (collapsed, filterable by SDK
and by API without any script). Self-contained (no scripts, no external resources)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..i18n import C_, N_, labels, tr
from ..report import Report
from ..taxonomy import label
from . import digest
from .htmlbase import render_page, report_head, severity_text, short, verdict_text
from .labels import is_dangerous, kind_label, website

MAX_FILTERS = 40          # SDK / API filter buttons on the call-site list (beyond: the browser's find)
T = {"title": N_("sdkgate static scan"), "verdict": N_("Verdict"), "app": N_("App"), "sha": N_("APK SHA-256"),
     "n_sdks": N_("SDKs found"), "n_undeclared": N_("undeclared SDKs"), "n_sites": N_("sensitive call sites"),
     "n_violations": N_("violations"), "n_paths": N_("ungated pre-consent paths"),
     "n_incomplete": N_("incomplete reasons"), "dex": N_("DEX files / classes"),
     "incomplete_reasons": N_("Why the evidence is incomplete"), "skipped": N_("Not judged"),
     "sdks": N_("SDKs in the APK"), "sdk": N_("SDK"), "vendor": N_("Vendor"), "kind": N_("Category"),
     "declared": N_("Declared"), "website": N_("Website"), "yes": N_("yes"), "no": N_("NOT declared"),
     "evidence": N_("Found by"), "class": C_("count", "class"), "classes": C_("count", "classes"), "site": C_("count", "call site"),
     "sites": C_("count", "call sites"), "categories": N_("Data read in code"),
     "calls": N_("Sensitive call sites per SDK and data category"), "caller": N_("Caller"), "api": N_("API"),
     "start": N_("Code that runs at process start"), "component": N_("Component"), "ctype": N_("Type"),
     "reason": N_("Why it runs"), "target": N_("Reaches"), "perms": N_("Permissions: APK vs the declared table"),
     "permission": N_("Permission"), "level": N_("Protection"), "dangerous": N_("Dangerous"),
     "in_table": N_("In the table"), "findings": N_("Findings by SDK"), "fix": N_("How to fix"),
     "clause": N_("Clause"), "none": N_("None."), "rule": N_("Rule"), "actor": N_("Actor"), "category": N_("Data"),
     "where": N_("Where"), "path": N_("Path"), "not_confirmed": N_("not confirmed"), "suppressed": N_("suppressed"),
     "app_wide": N_("The app (no single SDK)"), "more_examples": N_("more of this kind"),
     "filter_sdk": N_("Show SDK"), "filter_api": N_("Show API"), "all": N_("all"),
     "find_hint": N_("More SDKs or APIs than filter buttons: use the browser's find (Ctrl+F)."),
     "package": N_("packages"), "components": N_("components"), "meta_data": N_("meta-data"),
     "native_libs": N_("native libraries"), "kinds": N_("kind(s) of reason"), "baseline": N_("Since the baseline"),
     "new": N_("new"), "removed": N_("removed"), "b_sdks": N_("SDKs"), "b_permissions": N_("Permissions"),
     "b_call_sites": N_("Call sites"), "b_findings": N_("Findings"), "unchanged": N_("findings unchanged")}
def _evidence(s) -> list[tuple[str, list[str]]]:
    """(kind, values) of what found an SDK: packages always, signature kinds when the scanner recorded them."""
    out = [("package", list(s.packages))] if s.packages else []
    for kind in ("components", "meta_data", "native_libs"):
        values = getattr(s, kind, None)
        if values:
            out.append((kind, [str(v) for v in values]))
    return out


def _finding_view(f, lang: str, t: dict) -> dict[str, Any]:
    from .where import where
    fix, api = digest.fix_of(f, lang)
    d = f.detail or {}
    return {"f": f, "message": f.text(lang), "fix": fix, "api": api, "severity": severity_text(f.severity, lang),
            "confirmed": digest.confirmed(f), "category": label(f.category, lang) if f.category else "",
            "where": where(f), "chain": [short(x) for x in (d.get("chain") or [])],
            "target": short(d.get("target", "")) if d.get("target") else "",
            "reason": tr(d.get("reason"), lang) if d.get("reason") else ""}


def _calls(report: Report, lang: str) -> tuple[list[dict], list[dict]]:
    """Call sites per SDK and category, each row tagged with the filter classes of its SDK and API."""
    by_sdk: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in report.call_sites:
        by_sdk[c.actor][c.category].append(c)
    apis = sorted({short(c.api) for c in report.call_sites})
    api_index = {a: i + 1 for i, a in enumerate(apis)}
    names = {s.id: s.name for s in report.sdks}
    calls = []
    for i, (actor, cats) in enumerate(sorted(by_sdk.items()), 1):
        rows = [{"label": label(cat, lang), "caller": c.caller, "api": c.api, "api_short": short(c.api),
                 "a": api_index[short(c.api)]}
                for cat, sites in sorted(cats.items()) for c in sorted(sites, key=lambda x: x.caller)]
        calls.append({"actor": actor, "name": names.get(actor, actor), "s": i, "rows": rows})
    return calls, [{"a": i, "name": a} for a, i in api_index.items()]


def context(report: Report, lang: str, printing: bool = False) -> dict[str, Any]:
    lang = "zh" if lang == "zh" else "en"
    t = labels(T, lang)
    cats_of: dict[str, set] = defaultdict(set)
    for c in report.call_sites:
        cats_of[c.actor].add(c.category)
    sites_of: dict[str, int] = defaultdict(int)
    for c in report.call_sites:
        sites_of[c.actor] += 1
    sdk_rows = [{"s": s, "evidence": _evidence(s), "categories": [label(c, lang) for c in sorted(cats_of.get(s.id, ()))],
                 "sites": sites_of.get(s.id, 0), "website": website(s.id),
                 "kind": kind_label(s.purpose or s.kind, lang)} for s in report.sdks]
    active = report.active_findings()
    undeclared_perms = {f.detail.get("permission") for f in active if f.rule == "SG301"}
    perms = [{"permission": (p.get("permissions") or [""])[0], "level": p.get("protection_level") or "",
              "dangerous": is_dangerous(p.get("protection_level")), "in_table": p.get("in_table")}
             for p in report.permissions if p.get("kind") == "declared"]
    for p in perms:
        if p["permission"] in undeclared_perms:
            p["in_table"] = False
    groups = [{"actor": g.actor, "name": g.name if g.actor else t["app_wide"], "violations": g.violations,
               "fixes": digest.group_fixes(g.findings, lang), "findings": [_finding_view(f, lang, t) for f in g.findings]}
              for g in digest.finding_groups(report, lang)]
    reasons = digest.reason_groups(report, lang)
    calls, apis = _calls(report, lang)
    return {"t": t, "lang": lang, "report": report, "head": report_head(report, lang, t["title"]),
            "why": digest.why(report, lang), "groups": groups, "reasons": reasons, "sdk_rows": sdk_rows,
            "perms": perms, "calls": calls, "apis": apis, "max_filters": MAX_FILTERS, "printing": printing,
            "start": [f for f in report.findings if f.rule == "SG204"], "static": report.stats.get("static") or {},
            "counts": {"sdks": len(report.sdks), "undeclared": sum(1 for s in report.sdks if not s.declared),
                       "sites": len(report.call_sites), "violations": len(report.active_findings("violation")),
                       "paths": sum(1 for f in active if f.rule == "SG205"),
                       "incomplete": sum(g.count for g in reasons)},
            "verdict_text": verdict_text(report.verdict, lang),
            "baseline": report.stats.get("baseline") if isinstance(report.stats.get("baseline"), dict) else None,
            "loc": (lambda s: report.say(s, lang) if s else ""),
            "skipped": [report.say(r, lang) for r in report.skipped]}


def render(report: Report, lang: str = "en", printing: bool = False) -> str:
    """`printing`: every collapsible section open (the PDF shows everything)."""
    ctx = context(report, lang, printing)
    return render_page("scan.html.j2", ctx.pop("head"), ctx.pop("lang"), **ctx)


def is_static(report: Report) -> bool:
    """A report of a scan only (no device or network evidence)."""
    events = report.stats.get("events") or {}
    return bool(events.get("static")) and not any(events.get(k) for k in ("hook", "net", "step"))
