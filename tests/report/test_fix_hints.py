"""Every rule says how to fix it (en and zh); SDKs with a documented compliant-initialisation API name it next to
SG101/SG204/SG205/SG401 in the console, HTML and SARIF."""
from __future__ import annotations

import json

from sdkgate.catalogue import default_catalogue
from sdkgate.fixhints import hint_text, rule_hint, sdk_hint
from sdkgate.formats import get, render
from sdkgate.report import Report
from sdkgate.rules.catalog import RULES
from sdkgate.yamlio import package_data

from ..bundle.evidence_kit import write_evidence


def test_every_rule_has_a_hint_in_both_languages():
    """The English in fix_hints.yaml, the Chinese from the catalogue (sdkgate/locale)."""
    for rid in RULES:
        h = rule_hint(rid)
        assert h is not None, rid
        assert h.en and h.zh and not any("\u4e00" <= ch <= "\u9fff" for ch in h.en), rid
        assert any("\u4e00" <= ch <= "\u9fff" for ch in h.zh), rid


def test_sdk_hints_name_catalogue_sdks_with_their_api_and_source():
    data = package_data("fix_hints.yaml")["sdks"]
    known = default_catalogue().sdks
    for sid, row in data.items():
        assert sid in known, f"{sid} is not a catalogue SDK"
        assert row["api"] and row["en"] and row["source"], sid
        assert sdk_hint("SG101", sid).zh != row["en"], f"{sid}: no Chinese in the catalogue"
    assert "preInit" in sdk_hint("SG101", "umeng_common").api
    assert sdk_hint("SG303", "umeng_common") is None          # not a rule about starting the SDK early
    assert hint_text("SG303", "umeng_common") == rule_hint("SG303").en


def _report(tmp_path) -> Report:
    return Report.load(write_evidence(tmp_path / "ev") / "report.json")


def test_console_html_sarif_show_the_sdk_api(tmp_path):
    rep = _report(tmp_path)
    assert any(f.rule == "SG101" and f.actor == "umeng_common" for f in rep.findings)
    console = get("console").render(rep, "en", width=200)
    assert "fix (umeng_common)" in console and "UMConfigure.preInit" in console
    assert "修复建议 (umeng_common)" in get("console").render(rep, "zh", width=200)
    html = render(rep, "html")
    assert "How to fix" in html and "UMConfigure.preInit" in html
    sarif = json.loads(render(rep, "sarif"))
    run = sarif["runs"][0]
    sg101 = next(r for r in run["results"] if r["ruleId"] == "SG101" and r["properties"]["actor"] == "umeng_common")
    assert "UMConfigure.preInit" in sg101["properties"]["fix_api"] and "How to fix" in sg101["message"]["text"]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "SG101")
    assert "How to fix" in rule["help"]["text"] and "**How to fix:**" in rule["help"]["markdown"]
