"""A generic declaration (`device_id`: the policy said "设备标识信息" and no more) covers its children in the
rules, and every report says the match was only generic, so an auditor sees the vagueness (issue #23 §2)."""
from __future__ import annotations

import json
import re

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.errors import InputError
from sdkgate.taxonomy import EXACT, GENERIC, categories, coverage, is_generic, parent
from tests.bundle.evidence_kit import write_evidence, write_report

from .conftest import rules_of


def test_taxonomy_generic_parents():
    cats = categories()
    assert cats["device_id"].generic and cats["network"].generic
    assert not any(c.generic for cid, c in cats.items() if cid not in ("device_id", "network"))
    assert parent("device_id.imei") == "device_id" and parent("network.wifi") == "network"
    assert parent("location") is None and parent("identity.face") is None     # no generic identity parent
    assert coverage(["device_id"], "device_id.oaid") == GENERIC
    assert coverage(["device_id", "device_id.oaid"], "device_id.oaid") == EXACT
    assert coverage(["device_id"], "location") is None and coverage(["network"], "device_id.mac") is None
    assert is_generic("device_id") and not is_generic("device_id.imei")


def test_a_generic_row_covers_its_children_and_nothing_else(log, demo_manifest):
    from dataclasses import replace

    from sdkgate.rules import evaluate
    rows = dict(demo_manifest.sdks)
    rows["bugly"] = replace(rows["bugly"], categories=("device_id",))
    m = replace(demo_manifest, sdks=rows)
    log.consented(0)
    log.read(100, "bugly", "device_id.oaid", api_id="oaid.getOAID")
    log.read(200, "bugly", "location", api_id="location.getLastKnownLocation")
    got = rules_of(evaluate(log.events, m))
    assert ("SG202", "bugly", "device_id.oaid") not in got            # covered by the generic row
    assert ("SG202", "bugly", "location") in got                      # not a child of device_id


def test_a_generic_category_is_no_canary(tmp_path):
    from sdkgate.canaries import validate_canaries
    with pytest.raises(InputError, match="generic category"):
        validate_canaries({"device_id": "867530912345678"}, "canaries.json")


@pytest.fixture
def generic_run(tmp_path):
    """The demo run with jpush declared only as `device_id` (it reads and sends Android ID after consent)."""
    out = write_evidence(tmp_path / "run", compliant=True)
    m = out / "manifest.yaml"
    text = m.read_text("utf-8")
    text = text.replace("categories: [device_id.imei, device_id.android_id, device_id.mac, device_id.oaid]",
                        "categories: [device_id]")
    m.write_text(text, "utf-8")
    write_report(out)
    return out


def test_audit_table_marks_declared_only_generically(generic_run, capsys):
    rc = run_guarded(cli, ["manifest", "diff", str(generic_run / "manifest.yaml"), str(generic_run), "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0 and d["summary"]["undeclared"] == 0
    cells = {(c["sdk"], c["category"]): c for c in d["categories"]}
    child = cells[("jpush", "device_id.android_id")]
    assert (child["status"], child["declared_as"]) == ("match", "device_id")
    assert set(child["where"]) == {"runtime", "network"}
    parent_cell = cells[("jpush", "device_id")]
    assert parent_cell["status"] == "match" and parent_cell["declared_as"] == "device_id"
    for lang, words in (("en", "declared only generically as device_id"), ("zh", "仅概括声明为 device_id")):
        run_guarded(cli, ["manifest", "diff", str(generic_run / "manifest.yaml"), str(generic_run), "--format", "html",
                          "--lang", lang])
        page = capsys.readouterr().out
        assert re.search(r'<tr class="match generic"><td[^>]*>jpush</td><td[^>]*>device_id\.android_id[^<]*</td><td[^>]*>[^<]*'
                         + re.escape(words), page), page[-2000:]
    run_guarded(cli, ["manifest", "diff", str(generic_run / "manifest.yaml"), str(generic_run)])
    console = capsys.readouterr().out
    assert "(declared only generically" in console and "(a generic row: covers" in console


def test_report_html_marks_declared_only_generically(generic_run, tmp_path, capsys):
    page = tmp_path / "r.html"
    rc = run_guarded(cli, ["report", str(generic_run), "--format", "html", "-o", str(page)])
    capsys.readouterr()
    html = page.read_text("utf-8")
    assert rc == 0
    assert re.search(r'<span class="chip generic" title="declared only generically \(the policy does not say which\)">'
                     r'Android ID ×1 · declared only generically', html)
    report = json.loads((generic_run / "report.json").read_text("utf-8"))
    assert not [f for f in report["findings"] if f["rule"] == "SG202"]
