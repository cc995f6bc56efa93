"""The pre-consent path search follows how apps really start SDKs (threads, executors, D8 and Kotlin
lambdas, desugared default methods, workers), a consent check gates only the branch its result decides,
and a search bound that is hit is `incomplete` at that entry point (sdk-async.apk, facts in
tests/fixtures/apks-hidden/expected.yaml)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from sdkgate.scanning import build_report
from sdkgate.manifest import load_manifest
from sdkgate.static import ScanOptions, scan_apk
from sdkgate.static.paths import Bounds

ROOT = Path(__file__).resolve().parents[2]
APK = ROOT / "tests" / "fixtures" / "apks-hidden" / "sdk-async.apk"
EXP = yaml.safe_load((APK.parent / "expected.yaml").read_text("utf-8"))["apks"]["sdk-async.apk"]
DEMO = ROOT / "manifests" / "demo-recruit.yaml"


@lru_cache(maxsize=None)
def scanned():
    return scan_apk(APK, load_manifest(DEMO))


def paths():
    return [e for e in scanned().events if e.kind == "path" and e.get("path_kind") == "sdk_init"]


def test_indirect_starts_are_followed():
    got = {(tuple(e.get("chain")), e.get("target"), e.actor) for e in paths()}
    for p in EXP["init_paths"]:
        assert (tuple(p["chain"]), p["target"], p["sdk"]) in got, p["target"]


def test_ignored_check_does_not_gate_and_a_branch_check_does():
    targets = {e.get("target") for e in paths()}
    for t in EXP["gated_targets"]:
        assert t not in targets
    scan = next(e for e in scanned().events if e.kind == "scan")
    assert scan.get("ignored_consent_checks") == EXP["ignored_consent_checks"]
    assert scan.get("gated_paths") >= len(EXP["gated_targets"])
    assert scan.get("call_graph_links") > 0


def test_sg205_names_each_indirectly_started_sdk():
    report, _ = build_report(APK, load_manifest(DEMO))
    sg205 = {f.actor for f in report.findings if f.rule == "SG205"}
    assert {p["sdk"] for p in EXP["init_paths"]} <= sg205
    assert "cmic_login" not in sg205


def test_a_search_bound_hit_is_incomplete_at_its_entry_point():
    r = scan_apk(APK, load_manifest(DEMO), ScanOptions(bounds=Bounds(max_depth=1)))
    reasons = [e.get("reason") for e in r.events if e.kind == "incomplete"]
    assert any("pre-consent path search stopped: depth" in x and "App;->onCreate()V" in x for x in reasons), reasons
    r = scan_apk(APK, load_manifest(DEMO), ScanOptions(bounds=Bounds(max_nodes=2)))
    reasons = [e.get("reason") for e in r.events if e.kind == "incomplete"]
    assert any("stopped after visiting 2 methods" in x for x in reasons), reasons
