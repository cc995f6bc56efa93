"""Console: rich tables that stay readable in a narrow terminal; Chinese labels with --lang zh."""
from __future__ import annotations

import io
import shutil

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..report import Report
from ..rules.catalog import RULES
from ..taxonomy import label

COLOURS = {"pass": "green", "fail": "red", "incomplete": "yellow"}
T = {
    "en": {"verdict": "Verdict", "sdks": "SDKs", "declared": "declared", "undeclared": "NOT declared",
           "findings": "Findings", "rule": "Rule", "sev": "Severity", "actor": "Actor", "cat": "Data",
           "msg": "Detail", "n": "#", "legend": "Rules", "incomplete": "Evidence incomplete", "calls": "Sensitive call sites",
           "skipped": "Not judged", "suppressed": "suppressed",
           "perm_missing": "APIs whose permission the APK does not declare"},
    "zh": {"verdict": "结论", "sdks": "SDK 清单", "declared": "已声明", "undeclared": "未声明",
           "findings": "问题", "rule": "规则", "sev": "级别", "actor": "主体", "cat": "信息类型",
           "msg": "详情", "n": "次数", "legend": "规则", "incomplete": "证据不完整", "calls": "敏感 API 调用点",
           "skipped": "未评估", "suppressed": "已豁免",
           "perm_missing": "所需权限未在 APK 中声明的 API"},
}
VERDICT_ZH = {"pass": "通过", "fail": "不通过", "incomplete": "证据不完整"}


class ConsoleFormat:
    name = "console"
    binary = False

    def render(self, report: Report, lang: str = "en", width: int | None = None) -> str:
        t = T[lang]
        buf = io.StringIO()
        con = Console(file=buf, width=width or max(60, shutil.get_terminal_size((100, 24)).columns), force_terminal=False, color_system=None, soft_wrap=False)
        app = report.app.get("name") or report.app.get("package") or ""
        verdict = report.verdict if lang == "en" else f"{VERDICT_ZH[report.verdict]} ({report.verdict})"
        con.print(f"[bold]{t['verdict']}: {verdict.upper() if lang == 'en' else verdict}[/bold]  {app}")
        if report.sdks:
            tb = Table(title=t["sdks"], expand=False, show_lines=False)
            tb.add_column("SDK", overflow="fold")
            tb.add_column(t["declared"], overflow="fold")
            tb.add_column("packages", overflow="fold")
            for s in report.sdks:
                tb.add_row(f"{s.id}\n{s.name}" if s.name != s.id else s.id,
                           t["declared"] if s.declared else t["undeclared"], ", ".join(s.packages[:4]))
            con.print(tb)
        if report.call_sites:
            con.print(f"{t['calls']}: {len(report.call_sites)}")
        undeclared = (report.stats.get("static") or {}).get("undeclared_api_permissions") or {}
        for w in (report.stats.get("static") or {}).get("manifest_warnings") or []:
            con.print(escape(f"{'清单警告' if lang == 'zh' else 'Manifest warning'}: {w}"))
        for perm, api_ids in undeclared.items():
            con.print(f"{t['perm_missing']}: {perm} ({', '.join(api_ids)})")
        if report.findings:
            tb = Table(title=t["findings"], expand=False)
            for col in ("rule", "sev", "actor", "cat", "n", "msg"):
                tb.add_column(t[col], overflow="fold")
            for f in report.findings:
                sev = f.severity + (f" ({t['suppressed']})" if f.suppressed else "")
                msg = f.detail.get("summary_zh" if lang == "zh" else "summary") or ""
                tb.add_row(f.rule, sev, f.actor or "-", label(f.category, lang) or "-", str(f.evidence_count), msg)
            con.print(tb)
            con.print(f"{t['legend']}:")
            for rid in sorted({f.rule for f in report.findings}):
                r = RULES[rid]
                clause = (report.app.get("clauses") or {}).get(rid) or r.clause
                con.print(f"  {rid} {r.zh if lang == 'zh' else r.en} " + escape(f"[{clause}]"))
        for reason in report.incomplete:
            con.print(f"[yellow]{t['incomplete']}:[/yellow] {reason}")
        for s in report.skipped:
            con.print(f"{t['skipped']}: {s}")
        return buf.getvalue()


FORMAT = ConsoleFormat()
