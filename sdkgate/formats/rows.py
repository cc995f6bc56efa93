"""Findings as flat rows, for the spreadsheet formats (csv, xlsx): one row per finding, the columns an
auditor filters on, in the report's language."""
from __future__ import annotations

from typing import Any

from ..fixhints import hint_text
from ..report import Report
from ..taxonomy import label

COLUMNS = ("rule", "severity", "suppressed", "actor", "process", "category", "category_label", "message",
           "evidence_count", "first_t_ms", "where", "clause", "fix")
HEADERS_ZH = {"rule": "规则", "severity": "级别", "suppressed": "已豁免", "actor": "主体", "process": "进程",
              "category": "信息类型", "category_label": "信息类型（名称）", "message": "详情", "evidence_count": "次数",
              "first_t_ms": "首次时间(ms)", "where": "位置", "clause": "依据条款", "fix": "修复建议"}


def _where(detail: dict[str, Any]) -> str:
    for key in ("caller", "component", "host", "permission", "target"):
        if detail.get(key):
            return str(detail[key])
    stack = detail.get("stack") or []
    return str(stack[0]) if stack else ""


def headers(lang: str) -> list[str]:
    return [HEADERS_ZH[c] for c in COLUMNS] if lang == "zh" else list(COLUMNS)


def finding_rows(report: Report, lang: str = "en") -> list[list[Any]]:
    rows = []
    for f in report.findings:
        d = f.detail or {}
        rows.append([f.rule, f.severity, f.suppressed, f.actor or "", str(d.get("process") or getattr(f, "process", "") or ""),
                     f.category or "", label(f.category, lang) if f.category else "",
                     f.message_zh if lang == "zh" else f.message, f.evidence_count,
                     f.evidence[0].t_ms if f.evidence else "", _where(d), f.clause, hint_text(f.rule, f.actor, lang)])
    return rows


def summary_rows(report: Report, lang: str = "en") -> list[list[Any]]:
    """The verdict and the facts around it (for the sheet an auditor opens first)."""
    zh = lang == "zh"
    out: list[list[Any]] = [["结论" if zh else "verdict", report.verdict]]
    for k in ("package", "name", "version_name", "sha256", "scenario"):
        if report.app.get(k):
            out.append([k, str(report.app[k])])
    for r in report.incomplete:
        out.append(["证据不完整" if zh else "incomplete", r])
    for s in report.skipped:
        out.append(["未评估" if zh else "not judged", s])
    return out
