"""Console: rich tables that stay readable in a narrow terminal; Chinese labels with --lang zh."""
from __future__ import annotations

import io
import shutil

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..report import Report
from ..fixhints import rule_hint, sdk_hint
from ..i18n import localise
from ..rules.catalog import RULES
from ..taxonomy import label
from .labels import is_dangerous, kind_label, website

COLOURS = {"pass": "green", "fail": "red", "incomplete": "yellow", "not_judged": "yellow"}
SEVERITY_COLOURS = {"violation": "red", "warning": "yellow"}
T = {
    "en": {"verdict": "Verdict", "sdks": "SDKs", "declared": "declared", "undeclared": "NOT declared",
           "findings": "Findings", "rule": "Rule", "sev": "Severity", "actor": "Actor", "cat": "Data",
           "msg": "Detail", "n": "#", "legend": "Rules", "incomplete": "Evidence incomplete", "calls": "Sensitive call sites",
           "skipped": "Not judged", "suppressed": "suppressed",
           "perm_missing": "APIs whose permission the APK does not declare", "fix": "fix", "packages": "packages",
           "evidence": "evidence", "category": "category / website", "permissions": "Permissions",
           "permission": "permission", "level": "protection level", "dangerous": "dangerous",
           "not_dangerous": "-", "also": "evidence also incomplete", "kinds": "kind(s)",
           "unconfirmed": "not confirmed", "confirmed": "Confirmed violations", "by_sdk": "by SDK",
           "none": "none", "not_confirmed": "Violations not confirmed (they rest on incomplete evidence)",
           "warnings": "Warnings", "reasons": "reason(s)", "sdks_line": "SDKs", "undeclared_short": "not declared",
           "libs": "Platform and libraries (act for the app)", "more": "more", "details": "All findings, paths and "
           "call sites: --format html or json", "notes": "Notes"},
    "zh": {"verdict": "结论", "sdks": "SDK 清单", "declared": "已声明", "undeclared": "未声明",
           "findings": "问题", "rule": "规则", "sev": "级别", "actor": "主体", "cat": "信息类型",
           "msg": "详情", "n": "次数", "legend": "规则", "incomplete": "证据不完整", "calls": "敏感 API 调用点",
           "skipped": "未评估", "suppressed": "已豁免",
           "perm_missing": "所需权限未在 APK 中声明的 API", "fix": "修复建议", "packages": "包名",
           "evidence": "识别依据", "category": "类别 / 网站", "permissions": "权限",
           "permission": "权限", "level": "保护级别", "dangerous": "危险权限", "not_dangerous": "-",
           "also": "证据同时不完整", "kinds": "类",
           "unconfirmed": "未确证", "confirmed": "已确证的违规", "by_sdk": "按 SDK",
           "none": "无", "not_confirmed": "未确证的违规（依据的证据不完整）",
           "warnings": "警告", "reasons": "条原因",
           "sdks_line": "SDK", "undeclared_short": "未声明", "libs": "平台与通用库（代表应用执行）", "more": "更多",
           "details": "全部问题、路径与调用点：--format html 或 json", "notes": "提示"},
}
VERDICT_ZH = {"pass": "通过", "fail": "不通过", "incomplete": "证据不完整", "not_judged": "未评估"}
SEVERITY_ZH = {"violation": "违规", "warning": "警告", "info": "提示"}


class ConsoleFormat:
    name = "console"
    binary = False

    def render(self, report: Report, lang: str = "en", width: int | None = None, color: bool = False,
               quiet: bool = False) -> str:
        """`color`: ANSI colours (the caller decides: a terminal, NO_COLOR unset); `quiet`: the verdict line
        and the reasons evidence is incomplete, nothing else."""
        t = T[lang]
        buf = io.StringIO()
        con = Console(file=buf, width=width or max(60, shutil.get_terminal_size((100, 24)).columns),
                      force_terminal=color, color_system="standard" if color else None, soft_wrap=False,
                      highlight=False)
        app = report.app.get("name") or report.app.get("package") or ""
        verdict = report.verdict if lang == "en" else f"{VERDICT_ZH.get(report.verdict, report.verdict)} ({report.verdict})"
        colour = COLOURS.get(report.verdict, "yellow")
        if report.verdict == "not_judged":
            if not report.stats.get("inventory_only"):    # `scan --inventory` asked for no verdict at all
                why = report.stats.get("not_judged") or "no manifest (declarations) given"
                con.print(f"[bold {colour}]NOT JUDGED: {why}[/bold {colour}]  {app}" if lang == "en" else
                          f"[bold {colour}]{t['verdict']}: 未评估 (not_judged)：未提供声明清单[/bold {colour}]  {app}")
        else:
            also = ""
            if report.verdict == "fail" and report.incomplete:
                n = len(report.incomplete_kinds) or len(report.incomplete)
                also = f"  ({t['also']}: {n} {t['kinds']})"
            con.print(f"[bold {colour}]{t['verdict']}: {verdict.upper() if lang == 'en' else verdict}[/bold {colour}]"
                      f"{escape(also)}  {escape(app)}")
        cal = report.stats.get("calibration")
        if isinstance(cal, dict) and isinstance(cal.get("note"), str) and not quiet:     # `run` on a device (issue 26)
            con.print(escape(f"{'校准' if lang == 'zh' else 'Calibration'}: {localise(cal['note'], lang)}"))
        if quiet:
            for reason in report.incomplete:
                con.print(f"[yellow]{t['incomplete']}:[/yellow] {localise(reason, lang)}")
            return buf.getvalue()
        if is_scan(report) and report.verdict != "not_judged":    # inventory / no manifest: the full tables below
            _scan_summary(report, con, t, lang)
            _baseline(con, report, lang)
            return buf.getvalue()
        if report.sdks:
            tb = Table(title=t["sdks"], expand=False, show_lines=False)
            tb.add_column("SDK", overflow="fold")
            tb.add_column(t["declared"], overflow="fold")
            tb.add_column(t["packages"], overflow="fold")
            tb.add_column(t["evidence"], overflow="fold")      # signature kinds that found it besides packages
            sites = [len(website(s.id)) for s in report.sdks]
            tb.add_column(t["category"], overflow="fold",       # the catalogue's, and its website (as Exodus lists them)
                          min_width=min(40, max(sites + [len(t["category"])])))
            unjudged = bool(report.stats.get("not_judged"))      # no declarations: "declared" is not known
            for s in report.sdks:
                ev = [f"{k}: {', '.join(getattr(s, k)[:2])}" for k in ("components", "meta_data", "native_libs",
                                                                       "permissions", "jni", "assets") if getattr(s, k, None)]
                site = website(s.id)
                tb.add_row(f"{s.id}\n{s.name}" if s.name != s.id else s.id,
                           "-" if unjudged else t["declared"] if s.declared else t["undeclared"], ", ".join(s.packages[:4]),
                           "\n".join(ev),
                           kind_label(s.purpose or s.kind, lang) + (f"\n{site}" if site else ""))
            con.print(tb)
        declared = [p for p in report.permissions if p.get("kind") == "declared"]
        if declared and (report.stats.get("inventory_only") or report.verdict == "not_judged"):
            tb = Table(title=t["permissions"], expand=False)
            for col in ("permission", "level", "dangerous"):
                tb.add_column(t[col], overflow="fold")
            for p in declared:
                level = str(p.get("protection_level") or "")
                tb.add_row(str((p.get("permissions") or [""])[0]), level,
                           t["dangerous"] if is_dangerous(level) else t["not_dangerous"])
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
                sev = (SEVERITY_ZH.get(f.severity, f.severity) if lang == "zh" else f.severity) \
                    + (f" ({t['suppressed']})" if f.suppressed else "") \
                    + (f" ({t['unconfirmed']})" if not f.confirmed and f.rule != "SG900" else "")
                if not f.suppressed and f.severity in SEVERITY_COLOURS:
                    sev = f"[{SEVERITY_COLOURS[f.severity]}]{sev}[/{SEVERITY_COLOURS[f.severity]}]"
                msg = f.detail.get("summary_zh" if lang == "zh" else "summary") or ""
                who = f.actor or "-"
                if f.process:
                    who += f"\n@ {f.process}"         # the app process the evidence came from
                tb.add_row(f.rule, sev, who, label(f.category, lang) or "-", str(f.evidence_count), msg)
            con.print(tb)
            con.print(f"{t['legend']}:")
            for rid in sorted({f.rule for f in report.findings}):
                r = RULES[rid]
                clause = (report.app.get("clauses") or {}).get(rid) or r.clause
                con.print(f"  {rid} {r.zh if lang == 'zh' else r.en} " + escape(f"[{clause}]"))
                general = rule_hint(rid)
                if general:
                    con.print(f"      {t['fix']}: {general.text(lang)}")
            sdk_fixes = sorted({(f.actor, f.rule) for f in report.active_findings() if sdk_hint(f.rule, f.actor)})
            for actor in dict.fromkeys(a for a, _ in sdk_fixes):
                h = sdk_hint(next(r for a, r in sdk_fixes if a == actor), actor)
                con.print(f"  {t['fix']} ({actor}): {h.text(lang)}")
                con.print(f"      {escape(h.api)}")
        _baseline(con, report, lang)
        for reason in report.incomplete:
            con.print(f"[yellow]{t['incomplete']}:[/yellow] {localise(reason, lang)}")
        for s in report.skipped:
            con.print(f"{t['skipped']}: {localise(s, lang)}")
        return buf.getvalue()


BASELINE = {"en": {"head": "Since the baseline", "sdks": "SDKs", "permissions": "permissions", "call_sites": "call sites",
                    "findings": "findings", "new": "new finding", "gone": "no longer found"},
            "zh": {"head": "与基线相比", "sdks": "SDK", "permissions": "权限", "call_sites": "调用点", "findings": "问题",
                    "new": "新增问题", "gone": "已消失"}}


def _baseline(con: Console, report: Report, lang: str) -> None:
    """`scan --baseline`: what is new or removed since the last release."""
    base = report.stats.get("baseline")
    if not isinstance(base, dict):
        return
    w = BASELINE["zh" if lang == "zh" else "en"]
    counts = base.get("counts") or {}
    parts = [f"{w[k]} +{c.get('new', 0)} -{c.get('removed', 0)}" for k, c in counts.items() if k in w]
    ver = f" {base.get('version_name')}" if base.get("version_name") else ""
    con.print(escape(f"{w['head']} ({base.get('source')}{ver}): " + ", ".join(parts)))
    for kind in ("sdks", "permissions"):
        for x in (base.get("new") or {}).get(kind) or []:
            con.print(escape(f"  + {x}"))
        for x in (base.get("removed") or {}).get(kind) or []:
            con.print(escape(f"  - {x}"))
    for key, word in (("new", w["new"]), ("removed", w["gone"])):
        for f in (base.get(key) or {}).get("findings") or []:
            what = " ".join(str(x) for x in (f.get("rule"), f.get("actor") or "-", f.get("category") or "", f.get("where") or "") if x)
            con.print(escape(f"  {word}: {what}"))
def is_scan(report: Report) -> bool:
    """A static scan's report (no run-time or network evidence): the one-screen summary."""
    ev = report.stats.get("events") or {}
    return "static" in report.stats and not any(ev.get(k) for k in ("hook", "step", "net"))


def _fit(text: str, width: int) -> str:
    """Cropped to the terminal's cells (CJK characters take two) so a line never wraps."""
    from rich.cells import cell_len
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _short(reason: str, report: Report) -> str:
    """A reason without its source tag and the APK's path (the header names the app)."""
    for p in ("static: ", "hook: ", "step: ", "net: "):
        if reason.startswith(p):
            reason = reason[len(p):]
            break
    apk = str(report.app.get("apk") or "")
    if apk and reason.startswith(apk):
        reason = reason[len(apk):].lstrip(":! ")
    return reason


def _scan_summary(report: Report, con: Console, t: dict, lang: str) -> None:
    """One screen: the verdict (printed above), confirmed violations grouped by SDK, incomplete kinds with
    counts; everything else is one line or left to the HTML / JSON report."""
    from ..reasons import unseen
    width = con.width
    static = report.stats.get("static") or {}
    for w in static.get("manifest_warnings") or []:     # said once, at the top (no consent check, a typo ...)
        con.print(f"[yellow]{escape(_fit(localise(str(w), lang), width))}[/yellow]")
    undeclared = [s.id for s in report.sdks if not s.declared and s.id != "unknown"]
    line = f"{t['sdks_line']}: {len(report.sdks)}"
    if undeclared:
        line += f" ({t['undeclared_short']}: {', '.join(undeclared[:6])}{' …' if len(undeclared) > 6 else ''})"
    libs = static.get("libraries") or {}
    if libs:
        line += f" · {t['libs']}: {', '.join(sorted(libs)[:6])}{' …' if len(libs) > 6 else ''}"
    con.print(escape(_fit(line, width)))
    proven = report.confirmed_violations()
    groups: dict[str, list] = {}
    for f in proven:
        groups.setdefault(f.actor or "-", []).append(f)
    con.print(f"[bold]{t['confirmed']} {t['by_sdk']}:[/bold] {len(proven) or t['none']}")
    declared = {s.id: s.declared for s in report.sdks}
    order = sorted(groups, key=lambda a: (declared.get(a, True), -len(groups[a]), a))
    shown = order[:12]
    for actor in shown:
        fs = groups[actor]
        rules: dict[str, int] = {}
        for f in fs:
            rules[f.rule] = rules.get(f.rule, 0) + 1
        cats = list(dict.fromkeys(label(f.category, lang) for f in fs if f.category))
        mark = f" ({t['undeclared_short']})" if actor in declared and not declared[actor] else ""
        example = next((f.detail.get("summary_zh" if lang == "zh" else "summary") for f in fs
                        if f.rule == "SG205" and f.detail.get("summary")), "") or ""
        who = actor if actor != "-" else ("应用（权限）" if lang == "zh" else "the app (permissions)")
        text = (f"  {who}{mark}: " + " ".join(f"{r}×{n}" for r, n in sorted(rules.items()))
                + (f" · {', '.join(cats[:4])}{' …' if len(cats) > 4 else ''}" if cats else "")
                + (f" · {example}" if example else ""))
        con.print(escape(_fit(text, width)))
    if len(order) > len(shown):
        con.print(f"  … {len(order) - len(shown)} {t['more']}")
    clauses = report.app.get("clauses") or {}
    for rid in sorted({f.rule for f in proven}):        # what each rule means, and the clause it rests on
        r = RULES[rid]
        con.print(escape(_fit(f"  {rid} [{clauses.get(rid) or r.clause}] {r.zh if lang == 'zh' else r.en}", width)))
    unproven = [f for f in report.active_findings("violation") if not f.confirmed and f.rule != "SG900"]
    if unproven:
        con.print(f"{t['not_confirmed']}: {len(unproven)}")
    warn: dict[str, int] = {}
    for f in report.active_findings("warning"):
        if f.rule != "SG900":
            warn[f.rule] = warn.get(f.rule, 0) + 1
    if warn:
        con.print(escape(_fit(f"{t['warnings']}: " + ", ".join(f"{r}×{n}" for r, n in sorted(warn.items())), width)))
    kinds = dict(report.incomplete_kinds) or {report.kind_of(r): 1 for r in report.incomplete}
    if kinds:
        con.print(f"[yellow]{t['incomplete']}:[/yellow] {sum(kinds.values())} {t['reasons']}, {len(kinds)} {t['kinds']}")
        for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
            first = next((r for r in report.incomplete if report.kind_of(r) == kind), "")
            text = f"  {kind} ×{n}: " + (_short(localise(first, lang), report) if first else unseen(kind))
            con.print(escape(_fit(text, width)))
    notes = static.get("notes") or []
    if notes:
        con.print(escape(_fit(f"{t['notes']}: {len(notes)} · {localise(str(notes[0]), lang)}", width)))
    if report.skipped:
        con.print(escape(_fit(f"{t['skipped']}: " + "; ".join(localise(s, lang) for s in report.skipped), width)))
    con.print(f"[dim]{escape(t['details'])}[/dim]")


FORMAT = ConsoleFormat()
