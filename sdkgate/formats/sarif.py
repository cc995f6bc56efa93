"""SARIF 2.1.0, so GitHub code scanning (and other SARIF viewers) can show sdkgate findings.

Rules come from the rule catalog; each finding is one result. Static findings carry logical
locations (the class and method in smali notation) taken from the finding's detail: `caller`,
`component`, `chain` (the method that starts a pre-consent path and the one it reaches).
Severity: violation -> error, warning -> warning, info -> note; suppressed findings keep their
result with a SARIF `suppressions` entry.
"""
from __future__ import annotations

import json

from .. import __version__
from ..report import Finding, Report
from ..rules.catalog import RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"violation": "error", "warning": "warning", "info": "note"}
INFO_URI = "https://github.com/sdkgate/sdkgate"


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
    if stack:
        return [{"logicalLocations": [{"fullyQualifiedName": str(stack[0]), "kind": "function"}]}], related
    if d.get("host"):
        return [{"logicalLocations": [{"fullyQualifiedName": str(d["host"]), "kind": "resource"}]}], related
    if d.get("permission"):
        return [{"logicalLocations": [{"fullyQualifiedName": str(d["permission"]), "kind": "resource"}]}], related
    return [], related


def _fingerprint(f: Finding) -> str:
    d = f.detail or {}
    key = d.get("target") or d.get("caller") or d.get("component") or d.get("permission") or ""
    return "/".join(str(x) for x in (f.rule, f.actor or "", f.category or "", key))


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
                "shortDescription": {"text": r.zh if lang == "zh" else r.en},
                "fullDescription": {"text": f"{r.en} / {r.zh}. Clause: {clause}"},
                "help": {"text": f"{r.en}\n{r.zh}\nClause: {clause}"},
                "defaultConfiguration": {"level": LEVELS.get(r.severity, "warning")},
                "properties": {"clause": clause, "severity": r.severity},
            })
        results = []
        apk = report.app.get("apk")
        for f in report.findings:
            locs, related = _locations(f)
            if apk:
                # the APK is the artifact; the logical locations say where inside it
                locs = locs or [{}]
                for loc in locs:
                    loc["physicalLocation"] = {"artifactLocation": {"uri": _uri(apk), "index": 0}}
            res: dict = {
                "ruleId": f.rule,
                "level": LEVELS.get(f.severity, "warning"),
                "message": {"text": f.message_zh if lang == "zh" else f.message},
                "partialFingerprints": {"sdkgate/v1": _fingerprint(f)},
                "properties": {"actor": f.actor, "category": f.category, "severity": f.severity,
                               "clause": f.clause, "evidence_count": f.evidence_count,
                               "evidence": [{"source": e.source, "seq": e.seq, "detail": e.detail} for e in f.evidence]},
            }
            if f.rule in index:
                res["ruleIndex"] = index[f.rule]
            if locs:
                res["locations"] = locs
            if related:
                res["relatedLocations"] = related
            if f.suppressed:
                res["suppressions"] = [{"kind": "external", "justification": f.suppression_reason or "suppressed"}]
            results.append(res)
        run: dict = {
            "tool": {"driver": {"name": "sdkgate", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFO_URI, "rules": rules}},
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {"verdict": report.verdict, "app": report.app, "incomplete": list(report.incomplete),
                           "skipped": list(report.skipped)},
        }
        if apk:
            run["artifacts"] = [{"location": {"uri": _uri(apk)}, "roles": ["analysisTarget"],
                                 **({"hashes": {"sha-256": report.app["sha256"]}} if report.app.get("sha256") else {})}]
        if report.incomplete:
            run["invocations"] = [{"executionSuccessful": False,
                                   "toolExecutionNotifications": [{"level": "warning", "message": {"text": r}}
                                                                  for r in report.incomplete]}]
        else:
            run["invocations"] = [{"executionSuccessful": True}]
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


FORMAT = SarifFormat()
