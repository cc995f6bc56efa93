"""SARIF 2.1.0, so GitHub code scanning (and other SARIF viewers) can show sdkgate findings.

Rules come from the rule catalog; each finding is one result. Static findings carry logical
locations (the class and method in smali notation) taken from the finding's detail: `caller`,
`component`, `chain` (the method that starts a pre-consent path and the one it reaches).
Severity: violation -> error, warning -> warning, info -> note; suppressed findings keep their
result with a SARIF `suppressions` entry.

GitHub code scanning needs a physical location on every result, relative to the repository, and
one `automationDetails.id` per kind of run. Static findings point at the class as a smali path
(apktool's layout, under the `%SRCROOT%` base); device and network findings point at the line of
the manifest (kept in the app's repository) that declares the SDK or permission concerned, or at
the list where it should be declared. No absolute path of the machine that ran sdkgate appears.
"""
from __future__ import annotations

import json

from .. import __version__
from ..baseline import baseline_state, fingerprint
from ..report import Finding, Report
from ..fixhints import hint_text, rule_hint, sdk_hint
from ..rules.catalog import RULES
from .where import caller_frame
from ..i18n import msg

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"violation": "error", "warning": "warning", "info": "note"}


def _method_location(sig: str, index: int | None = None) -> dict:
    """A smali signature as SARIF logical locations: the method (or field), then its class."""
    cls, _, member = sig.partition("->")
    cls_ll = {"fullyQualifiedName": cls, "name": cls.strip("L;").rsplit("/", 1)[-1], "kind": "type"}
    lls = [cls_ll]
    if member:
        name = member.split("(", 1)[0].split(":", 1)[0]
        lls.insert(0, {"fullyQualifiedName": sig, "name": name, "kind": "function" if "(" in member else "member"})
    loc: dict = {"logicalLocations": lls}
    if index is not None:
        loc["id"] = index
    return loc


def _class_location(java_name: str) -> dict:
    desc = "L" + java_name.replace(".", "/") + ";"
    return {"logicalLocations": [{"fullyQualifiedName": desc, "name": java_name.rsplit(".", 1)[-1], "kind": "type"}]}


def _locations(f: Finding) -> tuple[list[dict], list[dict]]:
    """(locations, relatedLocations) for a finding."""
    d = f.detail or {}
    related: list[dict] = []
    chain = d.get("chain") or []
    if chain:
        locs = [_method_location(chain[0])]
        for i, sig in enumerate(chain[1:], 1):
            rl = _method_location(sig, i)
            rl["message"] = {"text": f"step {i} of the call path"}
            related.append(rl)
        return locs, related
    if d.get("caller"):
        return [_method_location(d["caller"])], related
    if d.get("component"):
        return [_class_location(d["component"])], related
    stack = d.get("stack") or []
    if stack:      # the first frame in the app's or an SDK's code, not the hooked framework method
        frame = caller_frame(stack, d.get("api")) or str(stack[0])
        return [{"logicalLocations": [{"fullyQualifiedName": frame, "kind": "function"}]}], related
    if d.get("host"):
        return [{"logicalLocations": [{"fullyQualifiedName": str(d["host"]), "kind": "resource"}]}], related
    if d.get("permission"):
        return [{"logicalLocations": [{"fullyQualifiedName": str(d["permission"]), "kind": "resource"}]}], related
    return [], related


SRCROOT = "%SRCROOT%"
PERMISSION_RULES = ("SG30",)


def _smali_path(sig: str) -> str | None:
    cls = sig.partition("->")[0].strip()
    if not (cls.startswith("L") and cls.endswith(";")):
        return None
    inner = cls[1:-1].split("$", 1)[0]              # nested classes live in their outer class's file
    return f"smali/{inner}.smali" if inner else None


def _physical(f: Finding, report: Report) -> dict:
    """The artifact and line a result is shown at (see the module docstring)."""
    d = f.detail or {}
    sig = (d.get("chain") or [None])[0] or d.get("caller")
    if not sig and d.get("component"):
        sig = "L" + str(d["component"]).replace(".", "/") + ";"
    path = _smali_path(str(sig)) if sig else None
    if path:
        return {"artifactLocation": {"uri": _uri(path), "uriBaseId": SRCROOT}}
    ref = report.app.get("manifest") if isinstance(report.app.get("manifest"), dict) else None
    if ref and ref.get("file"):
        perm = d.get("permission")
        if f.rule.startswith(PERMISSION_RULES) or (perm and not f.actor):
            line = (ref.get("permissions") or {}).get(perm) or ref.get("permissions_line") or 1
        else:
            line = (ref.get("sdks") or {}).get(f.actor or "") or ref.get("sdks_line") or 1
        return {"artifactLocation": {"uri": _uri(ref["file"]), "uriBaseId": SRCROOT},
                "region": {"startLine": int(line)}}
    apk = report.app.get("apk")
    name = str(apk).replace("\\", "/").rsplit("/", 1)[-1] if apk else "sdkgate-evidence"
    return {"artifactLocation": {"uri": _uri(name), "uriBaseId": SRCROOT}}


def _app_properties(app: dict) -> dict:
    """The app facts without local paths (the APK by its file name; the manifest by its repository path)."""
    out = {k: v for k, v in app.items() if k not in ("apk", "manifest")}
    if app.get("apk"):
        out["apk"] = str(app["apk"]).replace("\\", "/").rsplit("/", 1)[-1]
    if isinstance(app.get("manifest"), dict):
        out["manifest"] = app["manifest"].get("file")
    return out


def _automation_id(report: Report) -> str:
    """One id per kind of run, so uploads of a scan and of each scenario do not replace each other."""
    import re
    scenario = report.app.get("scenario")
    kind, name = ("run", scenario) if scenario else ("scan", report.app.get("package") or "app")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", str(name)).strip("-") or "app"
    return f"sdkgate/{kind}/{safe}/"


def _rule_help(rid: str, r, clause: str | None = None) -> dict:
    """The rule's text, clause and how to fix it, in both languages (GitHub shows `help` under an alert)."""
    h = rule_hint(rid)
    fix_en, fix_zh = (h.en, h.zh) if h else ("", "")
    clause = clause or r.clause
    text = f"{r.en}\n{r.zh}\nClause: {clause}" + (f"\nHow to fix: {fix_en}\n修复建议: {fix_zh}" if h else "")
    md = f"**{r.en}** / {r.zh}\n\nClause: {clause}" + (f"\n\n**How to fix:** {fix_en}\n\n**修复建议:** {fix_zh}" if h else "")
    return {"text": text, "markdown": md}


def _uri(path: str) -> str:
    from urllib.parse import quote
    return quote(str(path).replace("\\", "/"), safe="/:.-_~")


class SarifFormat:
    name = "sarif"
    binary = False

    def render(self, report: Report, lang: str = "en") -> str:
        return json.dumps(self.document(report, lang), ensure_ascii=False, indent=2) + "\n"

    def document(self, report: Report, lang: str = "en") -> dict:
        rules, index = [], {}
        own = report.app.get("clauses") or {}
        for i, (rid, r) in enumerate(RULES.items()):
            index[rid] = i
            clause = own.get(rid) or r.clause
            rules.append({
                "id": rid,
                "name": rid,
                "shortDescription": {"text": r.text(lang)},
                "fullDescription": {"text": f"{r.en} / {r.zh}. Clause: {clause}"},
                "help": _rule_help(rid, r, clause),
                "defaultConfiguration": {"level": LEVELS.get(r.severity, "warning")},
                "properties": {"clause": clause, "severity": r.severity},
            })
        results = []
        apk = report.app.get("apk")
        for f in report.findings:
            locs, related = _locations(f)
            locs = locs[:1] or [{}]
            locs[0]["physicalLocation"] = _physical(f, report)
            res: dict = {
                "ruleId": f.rule,
                # a violation that rests on missing evidence is not proven: a warning, `confirmed: false`
                "level": LEVELS.get(f.severity, "warning") if f.confirmed or f.severity != "violation" else "warning",
                "message": {"text": f.text(lang)},
                "partialFingerprints": {"sdkgate/v1": fingerprint(f)},
                "properties": {"actor": f.actor, "category": f.category, "severity": f.severity, "process": f.process,
                               "confirmed": f.confirmed, **({"via": f.detail["via"]} if f.detail.get("via") else {}),
                               "clause": f.clause, "evidence_count": f.evidence_count,
                               "evidence": [{"source": e.source, "seq": e.seq, "detail": e.detail} for e in f.evidence]},
            }
            fix = hint_text(f.rule, f.actor, lang)
            if fix:
                res["properties"]["fix"] = fix
                sdk = sdk_hint(f.rule, f.actor)
                if sdk is not None:
                    res["properties"]["fix_api"] = sdk.api
                    res["message"]["text"] += "\n" + msg("How to fix: {fix}", fix=fix).render(lang)
            if f.rule in index:
                res["ruleIndex"] = index[f.rule]
            if locs:
                res["locations"] = locs
            if related:
                res["relatedLocations"] = related
            state = baseline_state(report, f)
            if state:
                res["baselineState"] = state
            if f.suppressed:
                res["suppressions"] = [{"kind": "external", "justification": f.suppression_reason or "suppressed"}]
            results.append(res)
        run: dict = {
            "tool": {"driver": {"name": "sdkgate", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {"verdict": report.verdict, "app": _app_properties(report.app),
                           "incomplete": list(report.incomplete),
                           "incomplete_reasons": [dict(r) for r in report.incomplete_reasons],
                           "incomplete_kinds": dict(report.incomplete_kinds),
                           "confirmed_violations": len(report.confirmed_violations()),
                           "skipped": list(report.skipped)},
        }
        run["automationDetails"] = {"id": _automation_id(report)}
        run["originalUriBaseIds"] = {SRCROOT: {"description": {
            "text": "the root of the app's repository (manifests) / of the APK decoded with apktool (smali)"}}}
        if apk:
            name = str(apk).replace("\\", "/").rsplit("/", 1)[-1]
            run["artifacts"] = [{"location": {"uri": _uri(name), "uriBaseId": SRCROOT}, "roles": ["analysisTarget"],
                                 **({"hashes": {"sha-256": report.app["sha256"]}} if report.app.get("sha256") else {})}]
        # rules that were not judged are tool notifications (never silently "no result" = passed)
        notes = [{"level": "note", "message": {"text": msg("{rule} not judged: {why}", rule=rid, why=why).render(lang)},
                  "associatedRule": {"id": rid, "index": index[rid]}, "descriptor": {"id": rid}}
                 for rid, why in report.not_judged_rules().items()]
        if report.incomplete:
            run["invocations"] = [{"executionSuccessful": False,
                                   "toolExecutionNotifications": [{"level": "warning",
                                                                   "message": {"text": report.say(r, lang)}}
                                                                  for r in report.incomplete] + notes}]
        else:
            run["invocations"] = [{"executionSuccessful": True, **({"toolExecutionNotifications": notes} if notes else {})}]
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


FORMAT = SarifFormat()
