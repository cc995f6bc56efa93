"""The report as the sheets auditors filter (csv: one sheet per file, xlsx: all of them, the summary first): ids and
names in separate columns, values as a person reads them, in the report's language. Every cell goes through the one
cell writer (formats/cells.py)."""
from __future__ import annotations

from typing import Any

from ..i18n import localise
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
SEVERITY = {"en": {"violation": "violation", "warning": "warning", "info": "note"},
            "zh": {"violation": "违规", "warning": "警告", "info": "提示"}}
# column id -> (English header, Chinese header); csv headers in English are the ids (scripts read them)
COLUMNS = {
    "rule": ("Rule", "规则"), "rule_title": ("Rule title", "规则名称"), "severity": ("Severity", "级别"),
    "confirmed": ("Confirmed", "已确认"), "suppressed": ("Suppressed", "已豁免"), "actor": ("SDK id", "SDK 标识"),
    "sdk": ("SDK", "SDK 名称"), "process": ("Process", "进程"), "category": ("Data category id", "信息类型标识"),
    "category_label": ("Data category", "信息类型"), "message": ("Detail", "详情"), "evidence_count": ("Events", "次数"),
    "first_t_ms": ("First seen (ms)", "首次时间(ms)"), "when": ("When (against consent)", "相对同意的时间"),
    "where": ("Where (caller)", "位置（调用方）"), "clause": ("Clause", "依据条款"), "fix": ("How to fix", "修复建议"),
    "t_s": ("Time (s)", "时间(秒)"), "t_consent_s": ("Seconds from consent", "距同意(秒)"),
    "api_id": ("API id", "API 标识"), "api": ("API", "API"), "caller": ("Caller (first app/SDK frame)", "调用方（首个应用/SDK 栈帧）"),
    "consent_state": ("Consent state", "同意状态"), "before_consent": ("Before consent", "同意前"),
    "thread": ("Thread", "线程"), "stack": ("Stack", "调用栈"), "sent_at_s": ("Sent at (s)", "发送时间(秒)"),
    "sent_to": ("Sent to", "发送至"), "sent_as": ("Sent as (encoding)", "发送形式（编码）"), "sent_by": ("Sent by SDK id", "发送方 SDK 标识"),
    "flow_id": ("Flow id", "流量标识"), "seq": ("Event seq", "事件序号"),
    "name": ("SDK", "SDK 名称"), "vendor": ("Vendor", "公司"), "kind": ("Category id", "类别标识"),
    "kind_label": ("Category", "类别"), "website": ("Website", "网站"), "declared": ("Declared", "已声明"),
    "packages": ("Packages", "包名"), "class_count": ("Classes", "类数量"), "permission": ("Permission", "权限"),
    "protection_level": ("Protection level", "保护级别"), "dangerous": ("Dangerous", "危险权限"),
    "in_table": ("In the declared table", "在权限清单中"), "field": ("Field", "项目"), "value": ("Value", "值"),
    "id": ("Id", "标识"),
}
TITLES = {"summary": ("Summary", "结论"), "findings": ("Findings", "问题"), "reads": ("Reads", "读取明细"),
          "sdks": ("SDKs", "SDK"), "permissions": ("Permissions", "权限"), "call_sites": ("Call sites", "调用点")}
FIELDS = {"verdict": ("Verdict", "结论"), "why": ("Why", "原因"), "app": ("App", "应用"), "version": ("Version", "版本"),
          "sha256": ("APK SHA-256", "APK SHA-256"), "scenario": ("Scenario", "场景"), "violations": ("Violations", "违规项"),
          "active": ("Active findings", "有效问题"), "reads": ("Reads", "读取次数"),
          "reads_omitted": ("Reads not listed (beyond the sheet's bound)", "未列出的读取（超出上限）"),
          "incomplete": ("Evidence incomplete", "证据不完整"), "skipped": ("Not judged", "未评估")}
WIDTHS = {"message": 70, "where": 50, "fix": 60, "clause": 36, "caller": 60, "stack": 80, "api": 50, "sent_to": 50,
          "value": 90, "packages": 40, "rule_title": 40, "when": 26, "sdk": 26, "name": 26, "website": 30}


def _zh(lang: str) -> bool:
    return lang == "zh"


def header(cols: tuple[str, ...], lang: str, machine: bool) -> list[str]:
    """csv in English keeps the column ids (scripts); xlsx and Chinese get the labels."""
    if machine and not _zh(lang):
        return list(cols)
    return [COLUMNS[c][1 if _zh(lang) else 0] for c in cols]


def _sheet(name: str, cols: tuple[str, ...], rows: list[list[Any]], lang: str, machine: bool, highlight=None) -> Sheet:
    return Sheet(TITLES[name][1 if _zh(lang) else 0], header(cols, lang, machine), rows,
                 [WIDTHS.get(c, 14) for c in cols], highlight or [])


def _names(report: Report, lang: str = "en") -> dict[str, str]:
    from ..catalogue import FIRST_PARTY, UNKNOWN
    own = {FIRST_PARTY: ("the app itself", "应用自身"), UNKNOWN: ("unattributed code", "无法归属的代码")}
    return {**{k: v[1 if _zh(lang) else 0] for k, v in own.items()}, **{s.id: s.name for s in report.sdks}}


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
        sev = f.severity if machine and not _zh(lang) else SEVERITY["zh" if _zh(lang) else "en"].get(f.severity, f.severity)
        rows.append([f.rule, (r.zh if _zh(lang) else r.en) if r else "", sev, digest.confirmed(f), f.suppressed,
                     f.actor or "", names.get(f.actor or "", f.actor or ""), f.process or "", f.category or "",
                     label(f.category, lang) if f.category else "", f.message_zh if _zh(lang) else f.message,
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
    states = CONSENT_STATE["zh" if _zh(lang) else "en"]
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
    z = 1 if _zh(lang) else 0
    app = report.app or {}
    rows: list[list[Any]] = [[FIELDS["verdict"][z], verdict_text(report.verdict, lang), report.verdict],
                             [FIELDS["why"][z], digest.why(report, lang), ""]]
    if app.get("name") or app.get("package"):
        rows.append([FIELDS["app"][z], str(app.get("name") or ""), str(app.get("package") or "")])
    for key, fld in (("version_name", "version"), ("sha256", "sha256"), ("scenario", "scenario")):
        if app.get(key):
            rows.append([FIELDS[fld][z], str(app[key]), ""])
    rows.append([FIELDS["violations"][z], len(report.active_findings("violation")), ""])
    rows.append([FIELDS["active"][z], len(report.active_findings()), ""])
    if reads is not None:
        rows.append([FIELDS["reads"][z], len(reads.rows) + reads.omitted, ""])
        if reads.omitted:
            rows.append([FIELDS["reads_omitted"][z], reads.omitted, ""])
    for g in digest.reason_groups(report, lang):
        rows.append([f"{FIELDS['incomplete'][z]} ×{g.count}", g.examples[0] if g.examples else g.kind, g.kind])
    for s in report.skipped:
        rows.append([FIELDS["skipped"][z], localise(s, lang), ""])
    return Sheet(TITLES["summary"][z], header(("field", "value", "id"), lang, machine), rows, [30, 90, 30])


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
