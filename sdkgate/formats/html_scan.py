"""HTML for a static scan (`scan --format html`): the SDK table with the evidence that found each SDK, call sites
per SDK and data category, process-start code, ungated pre-consent paths drawn as chains, and the APK's
permissions against the declared permission table. Self-contained (no scripts, no external resources)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..fixhints import hint_text, sdk_hint
from ..i18n import localise
from ..report import Report
from ..taxonomy import label

SEVERITY_ZH = {"violation": "违规", "warning": "警告", "info": "提示"}
T = {
    "en": {"title": "sdkgate static scan", "verdict": "Verdict", "pass": "PASS", "fail": "FAIL",
           "incomplete": "INCOMPLETE", "not_judged": "NOT JUDGED", "app": "App", "sha": "APK SHA-256",
           "n_sdks": "SDKs found", "n_undeclared": "undeclared SDKs", "n_sites": "sensitive call sites",
           "n_violations": "violations", "n_paths": "ungated pre-consent paths", "dex": "DEX files / classes",
           "incomplete_reasons": "Why the evidence is incomplete", "skipped": "Not judged",
           "sdks": "SDKs in the APK", "sdk": "SDK", "vendor": "Vendor", "kind": "Kind", "declared": "Declared",
           "yes": "yes", "no": "NOT declared", "evidence": "Found by", "class": "class", "classes": "classes",
           "site": "call site", "sites": "call sites",
           "categories": "Data read in code", "calls": "Sensitive call sites per SDK and data category",
           "caller": "Caller", "api": "API", "start": "Code that runs at process start",
           "component": "Component", "ctype": "Type", "reason": "Why it runs", "paths": "Pre-consent paths (no consent check on the way)",
           "target": "Reaches", "perms": "Permissions: APK vs the declared table", "permission": "Permission",
           "level": "Protection", "in_table": "In the table", "findings": "Findings", "fix": "How to fix",
           "clause": "Clause", "none": "None.", "rule": "Rule", "actor": "Actor", "category": "Data",
           "package": "packages", "components": "components", "meta_data": "meta-data", "native_libs": "native libraries"},
    "zh": {"title": "sdkgate 静态扫描报告", "verdict": "结论", "pass": "通过", "fail": "不通过",
           "incomplete": "证据不完整", "not_judged": "未评估", "app": "应用", "sha": "APK SHA-256",
           "n_sdks": "发现的 SDK", "n_undeclared": "未声明的 SDK", "n_sites": "敏感 API 调用点",
           "n_violations": "违规项", "n_paths": "未经同意检查的路径", "dex": "DEX 文件 / 类",
           "incomplete_reasons": "证据不完整的原因", "skipped": "未评估",
           "sdks": "APK 中的 SDK", "sdk": "SDK", "vendor": "公司", "kind": "类型", "declared": "已声明",
           "yes": "是", "no": "未声明", "evidence": "识别依据", "class": "个类", "classes": "个类",
           "site": "个调用点", "sites": "个调用点",
           "categories": "代码中读取的信息", "calls": "各 SDK、各信息类型的敏感 API 调用点",
           "caller": "调用方", "api": "API", "start": "进程启动时运行的代码",
           "component": "组件", "ctype": "类型", "reason": "运行原因", "paths": "同意前可达的路径（途中无同意检查）",
           "target": "到达", "perms": "权限：APK 与声明的权限清单", "permission": "权限",
           "level": "保护级别", "in_table": "在清单中", "findings": "问题", "fix": "修复建议",
           "clause": "依据条款", "none": "无。", "rule": "规则", "actor": "主体", "category": "信息类型",
           "package": "包名", "components": "组件", "meta_data": "meta-data", "native_libs": "原生库"},
}


def short(sig: str) -> str:
    """`Lcom/a/B;->m(I)V` -> `B.m`, the way a reader follows a chain."""
    cls, _, member = str(sig).partition("->")
    name = cls.strip("L;").rsplit("/", 1)[-1]
    return f"{name}.{member.split('(', 1)[0]}" if member else name


def _evidence(s) -> list[tuple[str, list[str]]]:
    """(kind, values) of what found an SDK: packages always, signature kinds when the scanner recorded them."""
    out = [("package", list(s.packages))] if s.packages else []
    extra = getattr(s, "evidence", None)
    if isinstance(extra, dict):
        for kind in ("components", "meta_data", "native_libs"):
            if extra.get(kind):
                out.append((kind, [str(v) for v in extra[kind]]))
    return out


def context(report: Report, lang: str) -> dict[str, Any]:
    t = T["zh" if lang == "zh" else "en"]
    by_sdk: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for c in report.call_sites:
        by_sdk[c.actor][c.category].append(c)
    sdk_rows = []
    for s in report.sdks:
        cats = sorted(by_sdk.get(s.id, {}))
        sdk_rows.append({"s": s, "evidence": _evidence(s), "categories": [label(c, lang) for c in cats],
                         "sites": sum(len(v) for v in by_sdk.get(s.id, {}).values())})
    calls = [{"actor": a, "cats": [{"category": c, "label": label(c, lang), "sites": sorted(v, key=lambda x: x.caller)}
                                   for c, v in sorted(cats.items())]}
             for a, cats in sorted(by_sdk.items())]
    active = [f for f in report.findings if not f.suppressed]
    start = [f for f in report.findings if f.rule == "SG204"]
    paths = [{"f": f, "chain": [short(x) for x in (f.detail.get("chain") or [])], "target": short(f.detail.get("target", "")),
              "category": label(f.category, lang) if f.category else "", "fix": hint_text(f.rule, f.actor, lang)}
             for f in report.findings if f.rule == "SG205"]
    undeclared_perms = {f.detail.get("permission") for f in active if f.rule == "SG301"}
    perms = [{"permission": (p.get("permissions") or [""])[0], "level": p.get("protection_level") or "",
              "in_table": p.get("in_table")} for p in report.permissions if p.get("kind") == "declared"]
    for p in perms:
        if p["permission"] in undeclared_perms:
            p["in_table"] = False
    static = report.stats.get("static") or {}
    findings = [{"f": f, "message": f.message_zh if lang == "zh" else f.message, "fix": hint_text(f.rule, f.actor, lang),
                 "severity": SEVERITY_ZH.get(f.severity, f.severity) if lang == "zh" else f.severity,
                 "api": (sdk_hint(f.rule, f.actor).api if sdk_hint(f.rule, f.actor) else "")}
                for f in sorted(report.findings, key=lambda f: (f.suppressed, {"violation": 0, "warning": 1}.get(f.severity, 2), f.rule))]
    return {"t": t, "lang": lang, "report": report, "sdk_rows": sdk_rows, "calls": calls, "start": start,
            "paths": paths, "perms": perms, "findings": findings, "static": static,
            "counts": {"sdks": len(report.sdks), "undeclared": sum(1 for s in report.sdks if not s.declared),
                       "sites": len(report.call_sites), "violations": sum(1 for f in active if f.severity == "violation"),
                       "paths": len(paths)},
            "verdict_text": t.get(report.verdict, report.verdict),
            "loc": (lambda s: localise(str(s or ""), lang) if s else ""),
            "incomplete": [localise(r, lang) for r in report.incomplete],
            "skipped": [localise(r, lang) for r in report.skipped]}


def render(report: Report, lang: str = "en") -> str:
    from .html import _env
    return _env().get_template("scan.html.j2").render(**context(report, lang))


def is_static(report: Report) -> bool:
    """A report of a scan only (no device or network evidence)."""
    events = report.stats.get("events") or {}
    return bool(events.get("static")) and not any(events.get(k) for k in ("hook", "net", "step"))
