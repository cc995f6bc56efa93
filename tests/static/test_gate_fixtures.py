"""Verdicts a release gate can act on (issue 20), on fixture APKs built from the repository's smali
(tests/fixtures/apks-gate/, facts in its expected.yaml): a proven pre-consent SDK start is FAIL even though
the app also loads code the scan cannot see (both listed); AndroidX / library code is the app's, never an
SDK or unknown; reads about the app itself and what runs nothing unseen are notes, and an honest app PASSes."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from sdkgate.scanning import build_report
from sdkgate.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]
APKS = ROOT / "tests" / "fixtures" / "apks-gate"
EXPECTED = yaml.safe_load((APKS / "expected.yaml").read_text("utf-8"))["apks"]
NAMES = sorted(EXPECTED)


@lru_cache(maxsize=None)
def judged(name: str):
    return build_report(APKS / name, load_manifest(APKS / "gate.yaml"))


def test_every_fixture_has_facts():
    assert sorted(p.name for p in APKS.glob("*.apk")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_verdict_order_and_confirmed(name):
    exp = EXPECTED[name]
    report, _ = judged(name)
    assert [report.verdict, report.exit_code] == exp["verdict"]
    assert {(f.rule, f.actor) for f in report.confirmed_violations() if f.actor != "first_party"} == \
        {tuple(x) for x in exp["confirmed"]}
    assert report.incomplete_kinds == exp["incomplete"]
    assert [r["kind"] for r in report.incomplete_reasons] == [r for r, n in exp["incomplete"].items() for _ in range(n)]
    assert not any(f.confirmed for f in report.findings if f.rule == "SG900")


@pytest.mark.parametrize("name", NAMES)
def test_platform_and_library_code_is_the_apps(name):
    exp = EXPECTED[name]
    report, result = judged(name)
    assert not any(f.rule == "SG201" for f in report.findings)
    assert "unknown" not in {f.actor for f in report.findings} | {s.id for s in report.sdks}
    assert "unknown" not in {e.actor for e in result.events}
    assert sorted(report.stats["static"]["libraries"]) == exp["libraries"]
    got = {(f.rule, f.category, f.detail.get("via")) for f in report.findings if f.actor == "first_party"}
    assert got == {tuple(x) for x in exp["via"]}
    for f in report.findings:       # a call into a library is never an SDK start
        if f.rule == "SG205" and not f.category:
            assert f.actor not in ("first_party", "unknown") and f.actor in {s.id for s in report.sdks}
    if exp["via"]:
        cs = [c for c in report.call_sites if c.actor == "first_party"]
        assert cs and all(c.via == "androidx.appcompat" for c in cs)


@pytest.mark.parametrize("name", NAMES)
def test_reads_about_the_app_itself_and_notes(name):
    exp = EXPECTED[name]
    report, result = judged(name)
    ids = {e.get("api_id") for e in result.events if e.kind == "call_site"}
    assert not ids & set(exp["no_call_sites"])
    notes = report.stats["static"].get("notes") or []
    assert len(notes) == len(exp["notes"]), notes
    for want in exp["notes"]:
        assert sum(want in n for n in notes) == 1, (want, notes)
    others = [e for e in result.events if e.kind == "code_load_site" and e.get("other_package")]
    assert len(others) == exp["other_package_sites"]
    assert all(e.get("other_package") == "com.google.android.gms" and e.get("found") is False for e in others)


def test_fail_lists_both_in_every_format():
    import json

    from sdkgate.formats import render
    report, _ = judged("gate-fail.apk")
    doc = json.loads(render(report, "json"))
    assert doc["verdict"] == "fail" and {r["kind"] for r in doc["incomplete_reasons"]} == {"code-loading",
                                                                                         "other-package-code"}
    assert all(f["confirmed"] for f in doc["findings"] if f["rule"] == "SG205")
    sarif = json.loads(render(report, "sarif"))
    run = sarif["runs"][0]
    assert run["properties"]["verdict"] == "fail"
    assert run["properties"]["confirmed_violations"] == len(report.confirmed_violations()) >= 6
    assert all(r["properties"]["confirmed"] for r in run["results"] if r["ruleId"] == "SG205")
    junit = render(report, "junit")
    assert 'name="verdict" value="fail"' in junit and 'name="incomplete_kind.code-loading" value="1"' in junit
    from sdkgate.formats.console import FORMAT as console
    text = console.render(report, "en", width=100)
    lines = text.splitlines()
    assert lines[0].startswith("Verdict: FAIL") and "evidence also incomplete: 2 kind(s)" in lines[0]
    assert len(lines) <= 24 and max(len(ln) for ln in lines) <= 100          # one screen
    assert any(ln.startswith("  umeng_common: SG205×5") for ln in lines)
    assert any(ln.startswith("  code-loading ×1: ") for ln in lines)
    assert any(ln.startswith("  other-package-code ×1: ") for ln in lines)


def test_load_library_by_name_stays_a_reason_when_a_shipped_library_was_not_read():
    """The note rests on every shipped library having been read: without that (a split left out, an
    unreadable lib/ entry) a library loaded by a name the bytecode does not show is a blind spot again."""
    from sdkgate.static.bundles import read_app
    from sdkgate.static.container import Archive, Budget, Limits
    from sdkgate.static.dex import Dex
    from sdkgate.static.hidden import find_hidden_code
    from sdkgate.static.program import Program
    path = APKS / "gate-honest.apk"
    apk = Archive.open(path, str(path), Budget(Limits()))
    try:
        app, _opened = read_app(apk, str(path), Limits(), ())
        program = Program([Dex(data, name) for name, data in app.dex_blobs])
        for complete, reasons, notes in ((True, 0, 4), (False, 1, 3)):
            hidden = find_hidden_code(str(path), app.names, app.amf, program, app.payloads, {0}, complete)
            assert len([p for p in hidden.problems if "System.loadLibrary" in p]) == reasons
            assert len(hidden.notes) == notes
    finally:
        apk.close()
