"""HTML for a static scan (`scan --format html`), in the order a release manager acts on it: the verdict with one
sentence and the counts; the findings grouped per SDK (confirmed violations first, each with its fix, pre-consent
paths drawn as chains); why the evidence is incomplete, grouped by kind; then the inventory (SDKs with their
category and website, permissions with their protection level) and the call sites (collapsed, filterable by SDK
and by API without any script). Self-contained (no scripts, no external resources)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..i18n import localise
from ..report import Report
from ..taxonomy import label
from . import digest
from .htmlbase import SEVERITY_ZH, render_page, report_head, short, verdict_text
from .labels import is_dangerous, kind_label, website

MAX_FILTERS = 40          # SDK / API filter buttons on the call-site list (beyond: the browser's find)
T = {
    "en": {"title": "sdkgate static scan", "verdict": "Verdict", "app": "App", "sha": "APK SHA-256",
           "n_sdks": "SDKs found", "n_undeclared": "undeclared SDKs", "n_sites": "sensitive call sites",
           "n_violations": "violations", "n_paths": "ungated pre-consent paths", "n_incomplete": "incomplete reasons",
           "dex": "DEX files / classes",
           "incomplete_reasons": "Why the evidence is incomplete", "skipped": "Not judged",
           "sdks": "SDKs in the APK", "sdk": "SDK", "vendor": "Vendor", "kind": "Category", "declared": "Declared",
           "website": "Website", "yes": "yes", "no": "NOT declared", "evidence": "Found by", "class": "class",
           "classes": "classes", "site": "call site", "sites": "call sites",
           "categories": "Data read in code", "calls": "Sensitive call sites per SDK and data category",
           "caller": "Caller", "api": "API", "start": "Code that runs at process start",
           "component": "Component", "ctype": "Type", "reason": "Why it runs",
           "target": "Reaches", "perms": "Permissions: APK vs the declared table", "permission": "Permission",
           "level": "Protection", "dangerous": "Dangerous", "in_table": "In the table",
           "findings": "Findings by SDK", "fix": "How to fix", "clause": "Clause", "none": "None.", "rule": "Rule",
           "actor": "Actor", "category": "Data", "where": "Where", "path": "Path",
           "not_confirmed": "not confirmed", "suppressed": "suppressed", "app_wide": "The app (no single SDK)",
           "more_examples": "more of this kind", "filter_sdk": "Show SDK", "filter_api": "Show API", "all": "all",
           "find_hint": "More SDKs or APIs than filter buttons: use the browser's find (Ctrl+F).",
           "package": "packages", "components": "components", "meta_data": "meta-data", "native_libs": "native libraries",
           "kinds": "kind(s) of reason", "baseline": "Since the baseline", "new": "new", "removed": "removed",
           "b_sdks": "SDKs", "b_permissions": "Permissions", "b_call_sites": "Call sites", "b_findings": "Findings",
           "unchanged": "findings unchanged"},
    "zh": {"title": "sdkgate 静态扫描报告", "verdict": "结论", "app": "应用", "sha": "APK SHA-256",
           "n_sdks": "发现的 SDK", "n_undeclared": "未声明的 SDK", "n_sites": "敏感 API 调用点",
           "n_violations": "违规项", "n_paths": "未经同意检查的路径", "n_incomplete": "证据不完整原因",
           "dex": "DEX 文件 / 类",
           "incomplete_reasons": "证据不完整的原因", "skipped": "未评估",
           "sdks": "APK 中的 SDK", "sdk": "SDK", "vendor": "公司", "kind": "类别", "declared": "已声明",
           "website": "网站", "yes": "是", "no": "未声明", "evidence": "识别依据", "class": "个类", "classes": "个类",
           "site": "个调用点", "sites": "个调用点",
           "categories": "代码中读取的信息", "calls": "各 SDK、各信息类型的敏感 API 调用点",
           "caller": "调用方", "api": "API", "start": "进程启动时运行的代码",
           "component": "组件", "ctype": "类型", "reason": "运行原因",
           "target": "到达", "perms": "权限：APK 与声明的权限清单", "permission": "权限",
           "level": "保护级别", "dangerous": "危险权限", "in_table": "在清单中",
           "findings": "各 SDK 的问题", "fix": "修复建议", "clause": "依据条款", "none": "无。", "rule": "规则",
           "actor": "主体", "category": "信息类型", "where": "位置", "path": "路径",
           "not_confirmed": "未确认", "suppressed": "已豁免", "app_wide": "应用整体（非单个 SDK）",
           "more_examples": "条同类原因未列出", "filter_sdk": "按 SDK 筛选", "filter_api": "按 API 筛选", "all": "全部",
           "find_hint": "SDK 或 API 多于筛选按钮：请用浏览器的查找（Ctrl+F）。",
           "package": "包名", "components": "组件", "meta_data": "meta-data", "native_libs": "原生库",
           "kinds": "类原因", "baseline": "与基线相比", "new": "新增", "removed": "移除",
           "b_sdks": "SDK", "b_permissions": "权限", "b_call_sites": "调用点", "b_findings": "问题",
           "unchanged": "项问题未变"},
}
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
    return {"f": f, "message": f.message_zh if lang == "zh" else f.message, "fix": fix, "api": api,
            "severity": SEVERITY_ZH.get(f.severity, f.severity) if lang == "zh" else f.severity,
            "confirmed": digest.confirmed(f), "category": label(f.category, lang) if f.category else "",
            "where": where(f), "chain": [short(x) for x in (d.get("chain") or [])],
            "target": short(d.get("target", "")) if d.get("target") else "",
            "reason": localise(str(d.get("reason") or ""), lang) if d.get("reason") else ""}


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
    t = T[lang]
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
            "loc": (lambda s: localise(str(s or ""), lang) if s else ""),
            "skipped": [localise(r, lang) for r in report.skipped]}


def render(report: Report, lang: str = "en", printing: bool = False) -> str:
    """`printing`: every collapsible section open (the PDF shows everything)."""
    ctx = context(report, lang, printing)
    return render_page("scan.html.j2", ctx.pop("head"), ctx.pop("lang"), **ctx)


def is_static(report: Report) -> bool:
    """A report of a scan only (no device or network evidence)."""
    events = report.stats.get("events") or {}
    return bool(events.get("static")) and not any(events.get(k) for k in ("hook", "net", "step"))
