"""JUnit XML: one test case per rule x actor, so CI dashboards list them."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from ..report import Report
from ..rules.catalog import RULES
from ..i18n import N_, msg, tr
from .labels import severity_text


class JunitFormat:
    name = "junit"
    binary = False

    def render(self, report: Report, lang: str = "en") -> str:
        suite = ET.Element("testsuite", name=f"sdkgate {report.app.get('package') or ''}".strip())
        cases = failures = 0
        skipped = 0
        by_rule: dict[str, list] = {}
        for f in report.findings:
            by_rule.setdefault(f.rule, []).append(f)
        not_judged = report.not_judged_rules()
        for rid, rule in RULES.items():
            found = by_rule.get(rid, [])
            if not found:
                cases += 1
                tc = ET.SubElement(suite, "testcase", classname=f"sdkgate.{rid}", name=f"{rid} {rule.en}")
                if rid in not_judged:      # not judged is never shown as passed
                    skipped += 1
                    ET.SubElement(tc, "skipped", message=report.say(not_judged[rid], lang))
                continue
            actors: dict[str, list] = {}
            for f in found:
                actors.setdefault(f.actor or "-", []).append(f)
            for actor, fs in actors.items():
                cases += 1
                tc = ET.SubElement(suite, "testcase", classname=f"sdkgate.{rid}", name=f"{rid} {actor}")
                active = [f for f in fs if not f.suppressed and f.severity == "violation"]
                proven = [f for f in active if f.confirmed]
                text = "\n".join(_line(f, lang) for f in fs)
                if proven:
                    failures += 1
                    el = ET.SubElement(tc, "failure", message=proven[0].text(lang), type=rid)
                    clause = (report.app.get('clauses') or {}).get(rid) or RULES[rid].clause
                    el.text = text + "\n" + msg("clause: {clause}", clause=clause).render(lang)
                elif active:        # rests on evidence that is incomplete: not a proven failure (SG900 fails)
                    skipped += 1
                    el = ET.SubElement(tc, "skipped", message=msg("not confirmed: {finding}",
                                                                  finding=active[0].message).render(lang))
                    el.text = text
                elif rid == "SG900":
                    failures += 1
                    el = ET.SubElement(tc, "failure", message=tr(N_("evidence incomplete"), lang), type=rid)
                    el.text = text
                else:
                    ET.SubElement(tc, "system-out").text = text
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="verdict", value=report.verdict)
        ET.SubElement(props, "property", name="confirmed_violations", value=str(len(report.confirmed_violations())))
        for reason in report.incomplete:
            ET.SubElement(props, "property", name="incomplete", value=report.say(reason, lang))
        for kind, n in report.incomplete_kinds.items():
            ET.SubElement(props, "property", name=f"incomplete_kind.{kind}", value=str(n))
        ET.indent(suite)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def _line(f, lang: str) -> str:
    """One finding as the test case's text: its message, severity and marks, the evidence it rests on."""
    marks = [severity_text(f.severity, lang)]
    if f.suppressed:
        marks.append(msg("suppressed: {reason}", reason=f.suppression_reason).render(lang))
    if not f.confirmed and f.rule != "SG900":
        marks.append(tr(N_("not confirmed"), lang))
    refs = ", ".join(f"{e.source}#{e.seq}" for e in f.evidence[:10])
    return f"{f.text(lang)} [{', '.join(marks)}] " + msg("evidence: {refs}", refs=refs).render(lang)


FORMAT = JunitFormat()
