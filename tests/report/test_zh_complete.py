"""`--lang zh` leaves no English sentence of sdkgate's own in the console, run HTML or scan HTML: every entry of the
English message catalogues (labels, rule titles, fix hints) is checked against the Chinese output, and the
sentences the engine writes (why evidence is incomplete, what was not judged) have Chinese forms."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdkgate.fixhints import rule_hint
from sdkgate.formats import console, get, html, html_scan
from sdkgate.i18n import ORIGINAL, reason_zh
from sdkgate.report import Report
from sdkgate.rules.catalog import RULES

from ..bundle.evidence_kit import write_evidence

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_catalogue() -> set[str]:
    """Sentences and labels of the en catalogues that differ from their zh entry (ids like "SDK" are the same)."""
    out = set()
    for table in (console.T, html.T, html_scan.T):
        for key, en in table["en"].items():
            if en != table["zh"].get(key) and len(en) >= 6 and " " in en:
                out.add(en)
    out |= {r.en for r in RULES.values()}
    out |= {rule_hint(rid).en for rid in RULES if rule_hint(rid)}
    return out


def _static_report() -> Report:
    from sdkgate.cli.common import quiet_androguard
    from sdkgate.scanning import build_report
    quiet_androguard()
    from sdkgate.manifest import load_manifest
    rep, _ = build_report(REPO / "tests/fixtures/apks/recruit-noncompliant.apk", load_manifest(REPO / "manifests/demo-recruit.yaml"))
    return rep


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    run = Report.load(write_evidence(tmp_path_factory.mktemp("ev") / "ev") / "report.json")
    run.incomplete += ["network not observed (run without the proxy): SG401-SG405 could not be judged",
                       "hook events: seq 9 where 7 was expected (2 missing)", "step: run interrupted by the user (Ctrl-C)"]
    run.skipped += ["SG405 skipped: no GeoIP database given (--geoip FILE.mmdb)"]
    return {"run": run, "scan": _static_report()}


def test_no_english_catalogue_entry_in_zh_outputs(reports):
    english = english_catalogue()
    assert len(english) > 40
    outputs = {
        "console run": get("console").render(reports["run"], "zh", width=300),
        "console scan": get("console").render(reports["scan"], "zh", width=300),
        "html run": get("html").render(reports["run"], "zh"),
        "html scan": get("html").render(reports["scan"], "zh"),
    }
    for name, text in outputs.items():
        left = sorted(e for e in english if e in text)
        assert not left, f"{name}: English left: {left[:5]}"
        assert ORIGINAL not in text, f"{name}: a sentence without a Chinese form"


def test_the_engines_sentences_have_chinese_forms():
    for en in ["no evidence: the event log is empty", "agent dropped 12 events", "a scenario ran but no hook evidence arrived (agent not loaded?)",
               "app process died at t=1200 ms (SIGSEGV)", "step 3 (consent) failed: consent control not found",
               "no manifest: declaration rules (SG2xx, SG3xx, SG404) not judged",
               "consent granted (policy) at t=2000 ms has no marker hook within 2000 ms: step log and app disagree",
               "ContentProvider: created at process start, before Application.onCreate"]:
        zh = reason_zh(en)
        assert not zh.startswith(ORIGINAL) and CJK.search(zh), en
    assert reason_zh("something new").startswith(ORIGINAL)       # never silently passed off as translated
