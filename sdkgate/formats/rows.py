"""The report as the sheets auditors filter (csv: one sheet per file, xlsx: all of them, the summary first): ids and
names in separate columns, values as a person reads them, in the report's language. Every cell goes through the one
cell writer (formats/cells.py)."""
from __future__ import annotations

from typing import Any

from ..i18n import C_, N_, tr
from ..report import Report
from ..rules.catalog import RULES
from ..taxonomy import label
from . import digest
from .cells import Sheet
from .htmlbase import verdict_text
from .labels import is_dangerous, kind_label, website
from .reads import CONSENT_STATE, ReadsTable
from .when import relative_to_consent
from .where import where

SHEETS = ("summary", "findings", "reads", "sdks", "permissions", "call_sites")
SEVERITY = {"violation": N_("violation"), "warning": N_("warning"), "info": N_("note")}
# column id -> header (a message id); csv headers in English are the ids (scripts read them)
COLUMNS = {
    "rule": N_("Rule"), "rule_title": N_("Rule title"), "severity": N_("Severity"),
    "confirmed": N_("Confirmed"), "suppressed": N_("Suppressed"), "actor": N_("SDK id"),
    "sdk": C_("column", "SDK"), "process": N_("Process"), "category": N_("Data category id"),
    "category_label": N_("Data category"), "message": N_("Detail"), "evidence_count": N_("Events"),
    "first_t_ms": N_("First seen (ms)"), "when": N_("When (against consent)"),
    "where": N_("Where (caller)"), "clause": N_("Clause"), "fix": N_("How to fix"),
    "t_s": N_("Time (s)"), "t_consent_s": N_("Seconds from consent"),
    "api_id": N_("API id"), "api": N_("API"), "caller": N_("Caller (first app/SDK frame)"),
    "consent_state": N_("Consent state"), "before_consent": N_("Before consent"),
    "thread": N_("Thread"), "stack": N_("Stack"), "sent_at_s": N_("Sent at (s)"),
    "sent_to": N_("Sent to"), "sent_as": N_("Sent as (encoding)"), "sent_by": N_("Sent by SDK id"),
    "flow_id": N_("Flow id"), "seq": N_("Event seq"),
    "name": C_("column", "SDK"), "vendor": N_("Vendor"), "kind": N_("Category id"),
    "kind_label": N_("Category"), "website": N_("Website"), "declared": N_("Declared"),
    "packages": N_("Packages"), "class_count": N_("Classes"), "permission": N_("Permission"),
    "protection_level": N_("Protection level"), "dangerous": N_("Dangerous"),
    "in_table": N_("In the declared table"), "field": N_("Field"), "value": N_("Value"),
    "id": N_("Id"),
}
TITLES = {"summary": C_("sheet", "Summary"), "findings": N_("Findings"), "reads": C_("sheet", "Reads"),
          "sdks": N_("SDKs"), "permissions": N_("Permissions"), "call_sites": N_("Call sites")}
FIELDS = {"verdict": N_("Verdict"), "why": N_("Why"), "app": N_("App"), "version": N_("Version"),
          "sha256": N_("APK SHA-256"), "scenario": N_("Scenario"), "violations": N_("Violations"),
          "active": N_("Active findings"), "reads": C_("count", "Reads"),
          "reads_omitted": N_("Reads not listed (beyond the sheet's bound)"),
          "incomplete": N_("Evidence incomplete"), "skipped": N_("Not judged")}
WIDTHS = {"message": 70, "where": 50, "fix": 60, "clause": 36, "caller": 60, "stack": 80, "api": 50, "sent_to": 50,
          "value": 90, "packages": 40, "rule_title": 40, "when": 26, "sdk": 26, "name": 26, "website": 30}


def _zh(lang: str) -> bool:
    return lang == "zh"


def header(cols: tuple[str, ...], lang: str, machine: bool) -> list[str]:
    """csv in English keeps the column ids (scripts); xlsx and Chinese get the labels."""
    if machine and not _zh(lang):
        return list(cols)
    return [tr(COLUMNS[c], lang) for c in cols]


def _sheet(name: str, cols: tuple[str, ...], rows: list[list[Any]], lang: str, machine: bool, highlight=None) -> Sheet:
    return Sheet(tr(TITLES[name], lang), header(cols, lang, machine), rows,
                 [WIDTHS.get(c, 14) for c in cols], highlight or [])


def _names(report: Report, lang: str = "en") -> dict[str, str]:
    from ..catalogue import FIRST_PARTY, UNKNOWN
    from .digest import OWN
    return {**{k: tr(OWN[k], lang) for k in (FIRST_PARTY, UNKNOWN)}, **{s.id: s.name for s in report.sdks}}


FINDING_COLS = ("rule", "rule_title", "severity", "confirmed", "suppressed", "actor", "sdk", "process", "category",
                "category_label", "message", "evidence_count", "first_t_ms", "when", "where", "clause", "fix")


def findings_sheet(report: Report, lang: str = "en", machine: bool = False) -> Sheet:
    names, moments = _names(report, lang), list(report.stats.get("consent") or [])
    rows, marks = [], []
    for f in sorted(report.findings, key=digest.finding_order):
        r = RULES.get(f.rule)
        first = f.evidence[0] if f.evidence else None
        when = (relative_to_consent(first.t_ms, moments, lang) if first and first.source in ("hook", "net", "step")
                and moments else "")
        sev = f.severity if machine and not _zh(lang) else tr(SEVERITY.get(f.severity, f.severity), lang)
        rows.append([f.rule, r.text(lang) if r else "", sev, digest.confirmed(f), f.suppressed,
                     f.actor or "", names.get(f.actor or "", f.actor or ""), f.process or "", f.category or "",
                     label(f.category, lang) if f.category else "", f.text(lang),
                     f.evidence_count, first.t_ms if first else None, when, where(f), f.clause,
                     digest.fix_of(f, lang)[0]])
        marks.append(f.severity == "violation" and not f.suppressed)
    return _sheet("findings", FINDING_COLS, rows, lang, machine, marks)


READ_COLS = ("t_s", "t_consent_s", "when", "process", "actor", "sdk", "category", "category_label", "api_id", "api",
             "caller", "consent_state", "before_consent", "thread", "stack", "sent_at_s", "sent_to", "sent_as",
             "sent_by", "flow_id", "seq")


def _first_accept(moments: list[dict]) -> float | None:
    return next((float(m["t_ms"]) for m in sorted(moments, key=lambda m: float(m["t_ms"]))
                 if m.get("transition") == "granted" and (m.get("scope") or "policy") == "policy"), None)


def reads_sheet(report: Report, reads: ReadsTable, lang: str = "en", machine: bool = False) -> Sheet:
    names = _names(report, lang)
    moments = reads.moments or list(report.stats.get("consent") or [])
    accept = _first_accept(moments)
    states = {k: tr(v, lang) for k, v in CONSENT_STATE.items()}
    rows, marks = [], []
    for r in reads.rows:
        s = r.send or {}
        rows.append([round(r.t_ms / 1000, 3), round((r.t_ms - accept) / 1000, 3) if accept is not None else None,
                     relative_to_consent(r.t_ms, moments, lang), r.process, r.actor, names.get(r.actor, r.actor),
                     r.category, label(r.category, lang) if r.category else "", r.api_id, r.api, r.caller,
                     states.get(r.consent, r.consent), r.before_consent, r.thread, " ← ".join(r.stack),
                     round(s["t_ms"] / 1000, 3) if s else None, f"{s['method']} {s['url']}".strip() if s else "",
                     s.get("encoding", ""), s.get("actor", ""), s.get("flow_id", ""), r.seq])
        marks.append(r.before_consent)
    return _sheet("reads", READ_COLS, rows, lang, machine, marks)


SDK_COLS = ("actor", "name", "vendor", "kind", "kind_label", "website", "declared", "packages", "class_count")


def sdks_sheet(report: Report, lang: str = "en", machine: bool = False) -> Sheet:
    rows = [[s.id, s.name, s.vendor, s.purpose or s.kind, kind_label(s.purpose or s.kind, lang), website(s.id), s.declared, ", ".join(s.packages),
             s.class_count]
            for s in report.sdks]
    return _sheet("sdks", SDK_COLS, rows, lang, machine, [not s.declared for s in report.sdks])


PERM_COLS = ("permission", "protection_level", "dangerous", "in_table")


def permissions_sheet(report: Report, lang: str = "en", machine: bool = False) -> Sheet:
    undeclared = {f.detail.get("permission") for f in report.active_findings() if f.rule == "SG301"}
    rows = []
    for p in report.permissions:
        if p.get("kind") != "declared":
            continue
        perm = (p.get("permissions") or [""])[0]
        in_table = False if perm in undeclared else p.get("in_table")
        rows.append([perm, p.get("protection_level") or "", is_dangerous(p.get("protection_level")), in_table])
    return _sheet("permissions", PERM_COLS, rows, lang, machine, [r[3] is False for r in rows])


SITE_COLS = ("actor", "sdk", "category", "category_label", "api", "caller")


def call_sites_sheet(report: Report, lang: str = "en", machine: bool = False) -> Sheet:
    names = _names(report, lang)
    rows = [[c.actor, names.get(c.actor, c.actor), c.category, label(c.category, lang), c.api, c.caller]
            for c in sorted(report.call_sites, key=lambda c: (c.actor, c.category, c.caller))]
    return _sheet("call_sites", SITE_COLS, rows, lang, machine)


def summary_sheet(report: Report, lang: str = "en", reads: ReadsTable | None = None, machine: bool = False) -> Sheet:
    """The verdict and the facts around it, the sheet an auditor opens first: field, value, id."""
    def fld(key: str) -> str:
        return tr(FIELDS[key], lang)
    app = report.app or {}
    rows: list[list[Any]] = [[fld("verdict"), verdict_text(report.verdict, lang), report.verdict],
                             [fld("why"), digest.why(report, lang), ""]]
    if app.get("name") or app.get("package"):
        rows.append([fld("app"), str(app.get("name") or ""), str(app.get("package") or "")])
    for key, name in (("version_name", "version"), ("sha256", "sha256"), ("scenario", "scenario")):
        if app.get(key):
            rows.append([fld(name), str(app[key]), ""])
    rows.append([fld("violations"), len(report.active_findings("violation")), ""])
    rows.append([fld("active"), len(report.active_findings()), ""])
    if reads is not None:
        rows.append([fld("reads"), len(reads.rows) + reads.omitted, ""])
        if reads.omitted:
            rows.append([fld("reads_omitted"), reads.omitted, ""])
    for g in digest.reason_groups(report, lang):
        rows.append([f"{fld('incomplete')} ×{g.count}", g.examples[0] if g.examples else g.kind, g.kind])
    for s in report.skipped:
        rows.append([fld("skipped"), report.say(s, lang), ""])
    return Sheet(tr(TITLES["summary"], lang), header(("field", "value", "id"), lang, machine), rows, [30, 90, 30])


def sheets(report: Report, lang: str = "en", reads: ReadsTable | None = None, machine: bool = False) -> dict[str, Sheet]:
    """Every sheet the report has, in order (the summary first); reads only with run-time evidence."""
    out = {"summary": summary_sheet(report, lang, reads, machine), "findings": findings_sheet(report, lang, machine)}
    if reads is not None:
        out["reads"] = reads_sheet(report, reads, lang, machine)
    out["sdks"] = sdks_sheet(report, lang, machine)
    if any(p.get("kind") == "declared" for p in report.permissions):
        out["permissions"] = permissions_sheet(report, lang, machine)
    if report.call_sites:
        out["call_sites"] = call_sites_sheet(report, lang, machine)
    return out
