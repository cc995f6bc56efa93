"""Console: rich tables that stay readable in a narrow terminal; Chinese labels with --lang zh."""
from __future__ import annotations

import io
import shutil

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..report import Report
from ..fixhints import rule_hint, sdk_hint
from ..i18n import C_, N_, Msg, labels, msg
from ..rules.catalog import RULES
from ..taxonomy import label
from .labels import is_dangerous, kind_label, website
from .labels import severity_text, verdict_text

COLOURS = {"pass": "green", "fail": "red", "incomplete": "yellow", "not_judged": "yellow"}
SEVERITY_COLOURS = {"violation": "red", "warning": "yellow"}
T = {"verdict": N_("Verdict"), "sdks": C_("table", "SDKs"), "declared": N_("declared"), "undeclared": N_("NOT declared"),
     "findings": N_("Findings"), "rule": N_("Rule"), "sev": N_("Severity"), "actor": N_("Actor"), "cat": N_("Data"),
     "msg": N_("Detail"), "n": N_("#"), "legend": N_("Rules"), "incomplete": N_("Evidence incomplete"),
     "calls": N_("Sensitive call sites"), "skipped": N_("Not judged"), "suppressed": N_("suppressed"),
     "perm_missing": N_("APIs whose permission the APK does not declare"), "fix": N_("fix"),
     "packages": N_("packages"), "evidence": N_("evidence"), "category": N_("category / website"),
     "permissions": N_("Permissions"), "permission": N_("permission"), "level": N_("protection level"),
     "dangerous": N_("dangerous"), "not_dangerous": N_("-"), "also": N_("evidence also incomplete"),
     "kinds": N_("kind(s)"), "unconfirmed": N_("not confirmed"), "confirmed": N_("Confirmed violations"),
     "by_sdk": N_("by SDK"), "none": N_("none"),
     "not_confirmed": N_("Violations not confirmed (they rest on incomplete evidence)"), "warnings": N_("Warnings"),
     "reasons": N_("reason(s)"), "sdks_line": N_("SDKs"), "undeclared_short": N_("not declared"),
     "libs": N_("Platform and libraries (act for the app)"), "more": N_("more"),
     "details": N_("All findings, paths and call sites: --format html or json"), "notes": N_("Notes"),
     "calibration": N_("Calibration"), "manifest_warning": N_("Manifest warning"),
     "app_permissions": N_("the app (permissions)")}
NOT_JUDGED_WHY = N_("no manifest (declarations) given")


class ConsoleFormat:
    name = "console"
    binary = False

    def render(self, report: Report, lang: str = "en", width: int | None = None, color: bool = False,
               quiet: bool = False) -> str:
        """`color`: ANSI colours (the caller decides: a terminal, NO_COLOR unset); `quiet`: the verdict line
        and the reasons evidence is incomplete, nothing else."""
        t = labels(T, lang)
        buf = io.StringIO()
        con = Console(file=buf, width=width or max(60, shutil.get_terminal_size((100, 24)).columns),
                      force_terminal=color, color_system="standard" if color else None, soft_wrap=False,
                      highlight=False)
        app = report.app.get("name") or report.app.get("package") or ""
        verdict = verdict_text(report.verdict, lang) + ("" if lang == "en" else f" ({report.verdict})")
        colour = COLOURS.get(report.verdict, "yellow")
        if report.verdict == "not_judged":
            if not report.stats.get("inventory_only"):    # `scan --inventory` asked for no verdict at all
                why = report.say(report.stats.get("not_judged") or Msg(NOT_JUDGED_WHY), lang)
                line = msg("NOT JUDGED: {why}", why=why).render(lang)
                con.print(f"[bold {colour}]{escape(line)}[/bold {colour}]  {escape(app)}")
        else:
            also = ""
            if report.verdict == "fail" and report.incomplete:
                n = len(report.incomplete_kinds) or len(report.incomplete)
                also = f"  ({t['also']}: {n} {t['kinds']})"
            con.print(f"[bold {colour}]{t['verdict']}: {verdict}[/bold {colour}]"
                      f"{escape(also)}  {escape(app)}")
        cal = report.stats.get("calibration")
        if isinstance(cal, dict) and isinstance(cal.get("note"), str) and not quiet:     # `run` on a device (issue 26)
            con.print(escape(f"{t['calibration']}: {report.say(cal['note'], lang)}"))
        if quiet:
            for reason in report.incomplete:
                con.print(f"[yellow]{t['incomplete']}:[/yellow] {escape(report.say(reason, lang))}")
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
            con.print(escape(f"{t['manifest_warning']}: {report.say(w, lang)}"))
        for perm, api_ids in undeclared.items():
            con.print(f"{t['perm_missing']}: {perm} ({', '.join(api_ids)})")
        if report.findings:
            tb = Table(title=t["findings"], expand=False)
            for col in ("rule", "sev", "actor", "cat", "n", "msg"):
                tb.add_column(t[col], overflow="fold")
            for f in report.findings:
                sev = severity_text(f.severity, lang) \
                    + (f" ({t['suppressed']})" if f.suppressed else "") \
                    + (f" ({t['unconfirmed']})" if not f.confirmed and f.rule != "SG900" else "")
                if not f.suppressed and f.severity in SEVERITY_COLOURS:
                    sev = f"[{SEVERITY_COLOURS[f.severity]}]{sev}[/{SEVERITY_COLOURS[f.severity]}]"
                detail = f.summary(lang)
                who = f.actor or "-"
                if f.process:
                    who += f"\n@ {f.process}"         # the app process the evidence came from
                tb.add_row(f.rule, sev, escape(who), label(f.category, lang) or "-", str(f.evidence_count), escape(detail))
            con.print(tb)
            con.print(f"{t['legend']}:")
            for rid in sorted({f.rule for f in report.findings}):
                r = RULES[rid]
                clause = (report.app.get("clauses") or {}).get(rid) or r.clause
                con.print(f"  {rid} {r.text(lang)} " + escape(f"[{clause}]"))
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
            con.print(f"[yellow]{t['incomplete']}:[/yellow] {escape(report.say(reason, lang))}")
        for s in report.skipped:
            con.print(f"{t['skipped']}: {escape(report.say(s, lang))}")
        return buf.getvalue()


BASELINE = {"head": N_("Since the baseline"), "sdks": N_("SDKs"), "permissions": N_("permissions"),
            "call_sites": N_("call sites"), "findings": N_("findings"), "new": N_("new finding"),
            "gone": N_("no longer found")}


def _baseline(con: Console, report: Report, lang: str) -> None:
    """`scan --baseline`: what is new or removed since the last release."""
    base = report.stats.get("baseline")
    if not isinstance(base, dict):
        return
    w = labels(BASELINE, lang)
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


def _short(reason: str, report: Report, lang: str = "en") -> str:
    """A reason without its source tag and the APK's path (the header names the app)."""
    if isinstance(reason, Msg) and reason.id == "{source}: {reason}":
        reason = reason.params.get("reason", "")
    else:
        for p in ("static: ", "hook: ", "step: ", "net: "):      # recorded text (a report without message ids)
            if reason.startswith(p):
                reason = reason[len(p):]
                break
    apk = str(report.app.get("apk") or "")
    where = reason.params.get("where") if isinstance(reason, Msg) else None
    text = report.say(reason, lang)
    if apk and where == apk:                      # "<apk>: ..." said by the message itself
        return text[len(apk):].lstrip(":!： ")
    if apk and text.startswith(apk):
        text = text[len(apk):].lstrip(":!： ")
    return text


def _scan_summary(report: Report, con: Console, t: dict, lang: str) -> None:
    """One screen: the verdict (printed above), confirmed violations grouped by SDK, incomplete kinds with
    counts; everything else is one line or left to the HTML / JSON report."""
    from ..reasons import unseen
    width = con.width
    static = report.stats.get("static") or {}
    for w in static.get("manifest_warnings") or []:     # said once, at the top (no consent check, a typo ...)
        con.print(f"[yellow]{escape(_fit(report.say(w, lang), width))}[/yellow]")
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
        example = next((f.summary(lang) for f in fs if f.rule == "SG205" and f.detail.get("summary")), "") or ""
        who = actor if actor != "-" else t["app_permissions"]
        text = (f"  {who}{mark}: " + " ".join(f"{r}×{n}" for r, n in sorted(rules.items()))
                + (f" · {', '.join(cats[:4])}{' …' if len(cats) > 4 else ''}" if cats else "")
                + (f" · {example}" if example else ""))
        con.print(escape(_fit(text, width)))
    if len(order) > len(shown):
        con.print(f"  … {len(order) - len(shown)} {t['more']}")
    clauses = report.app.get("clauses") or {}
    for rid in sorted({f.rule for f in proven}):        # what each rule means, and the clause it rests on
        r = RULES[rid]
        con.print(escape(_fit(f"  {rid} [{clauses.get(rid) or r.clause}] {r.text(lang)}", width)))
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
            text = f"  {kind} ×{n}: " + (_short(first, report, lang) if first else unseen(kind, lang))
            con.print(escape(_fit(text, width)))
    notes = static.get("notes") or []
    if notes:
        con.print(escape(_fit(f"{t['notes']}: {len(notes)} · {report.say(notes[0], lang)}", width)))
    if report.skipped:
        sep = "；" if lang == "zh" else "; "
        con.print(escape(_fit(f"{t['skipped']}: " + sep.join(report.say(s, lang) for s in report.skipped), width)))
    con.print(f"[dim]{escape(t['details'])}[/dim]")


FORMAT = ConsoleFormat()
