"""`manifest draft --from-scan` then `manifest diff` on the demo and fixture APKs, against the facts of
tests/fixtures/apks/expected.yaml; the diff on evidence folders and reports; the four output formats."""
from __future__ import annotations

import re

import io
import json
from pathlib import Path

import pytest
import yaml

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.events import Event

REPO = Path(__file__).resolve().parents[2]
APKS = REPO / "tests" / "fixtures" / "apks"
FACTS = yaml.safe_load((APKS / "expected.yaml").read_text("utf-8"))
DEMO = REPO / "manifests" / "demo-recruit.yaml"


def sdkgate(*args, capsys=None) -> tuple[int, str]:
    rc = run_guarded(cli, [str(a) for a in args])
    out = capsys.readouterr().out if capsys else ""
    return rc, out


def diff_json(capsys, manifest, evidence) -> tuple[int, dict]:
    rc, out = sdkgate("manifest", "diff", manifest, evidence, "--format", "json", capsys=capsys)
    return rc, json.loads(out)


def _expected_categories(facts: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for cs in (facts.get("call_sites") or []) + (facts.get("nested_call_sites") or []):
        if cs.get("actor") not in ("first_party", "unknown") and cs.get("category"):
            out.setdefault(cs["actor"], set()).add(cs["category"])
    return out


@pytest.mark.parametrize("apk", sorted(FACTS["apks"]))
def test_draft_from_scan_then_diff_is_all_declared(tmp_path, capsys, apk):
    facts = FACTS["apks"][apk]
    draft = tmp_path / "draft.yaml"
    rc, _ = sdkgate("manifest", "draft", "--from-scan", APKS / apk, "-o", draft, capsys=capsys)
    assert rc == 0
    raw = yaml.safe_load(draft.read_text("utf-8"))
    assert raw["app"]["package"] == facts["package"] and raw["app"]["name"] == facts["app_name"]
    declared = facts["uses_permissions"] + facts.get("uses_permissions_sdk23", [])
    assert [p["permission"] for p in raw["permissions"]] == declared
    assert all("when" not in p for p in raw["permissions"])              # left for the human
    cats = _expected_categories(facts)
    for row in raw["sdks"]:
        assert set(row["categories"]) == cats.get(row["id"], set()), row["id"]
    rc, d = diff_json(capsys, draft, APKS / apk)
    assert rc == 0, d
    assert d["summary"]["undeclared"] == 0
    assert {c["sdk"] for c in d["sdks"]} == {r["id"] for r in raw["sdks"]}
    assert all(c["status"] == "match" and "static" in c["where"] for c in d["sdks"])
    assert {(c["sdk"], c["category"]) for c in d["categories"] if c["status"] == "match"} == \
        {(s, c) for s, cs in cats.items() for c in cs}
    assert {c["permission"] for c in d["permissions"] if c["status"] == "match"} == set(declared)


@pytest.mark.parametrize("apk", sorted(FACTS["apks"]))
def test_diff_demo_manifest_against_fixture_apks(capsys, apk):
    vs = FACTS["apks"][apk]["vs_demo_manifest"]
    rc, d = diff_json(capsys, DEMO, APKS / apk)
    status = {c["sdk"]: c["status"] for c in d["sdks"]}
    assert {s for s, v in status.items() if v == "undeclared"} == set(vs["undeclared_sdks"])
    assert {s for s, v in status.items() if v == "declared_not_seen"} == set(vs["declared_sdks_absent"])
    undeclared_perms = {c["permission"] for c in d["permissions"] if c["status"] == "undeclared"}
    assert undeclared_perms == set(vs["permissions_not_in_table"])
    # categories observed that the SDK's row does not list
    from sdkgate.manifest import load_manifest
    m = load_manifest(DEMO)
    expected_extra = {(s, c) for s, cs in _expected_categories(FACTS["apks"][apk]).items() for c in cs
                      if s not in m.sdks or c not in m.sdks[s].categories}
    assert {(c["sdk"], c["category"]) for c in d["categories"] if c["status"] == "undeclared"} == expected_extra
    assert rc == (1 if (vs["undeclared_sdks"] or undeclared_perms or expected_extra) else 0)


def _write_events(path: Path, events: list[Event]) -> None:
    path.write_text("".join(e.to_json() + "\n" for e in events), "utf-8")


def test_diff_evidence_folder_runtime_and_network(tmp_path, capsys):
    ev = tmp_path / "run"
    ev.mkdir()
    _write_events(ev / "events.jsonl", [
        Event(0, 10.0, "hook", "read", category="device_id.android_id", actor="umeng_common",
              api="Landroid/provider/Settings$Secure;->getString()", extra={"api_id": "settings.secure.getString"}),
        Event(1, 11.0, "hook", "read", category="clipboard", actor="getui", extra={"api_id": "clipboard.getPrimaryClip"}),
        Event(2, 12.0, "hook", "permission_request", extra={"permissions": ["android.permission.READ_CONTACTS"]}),
    ])
    _write_events(ev / "net.jsonl", [
        Event(0, 20.0, "net", "flow", extra={"host": "alog.umeng.com", "domain": "umeng.com", "flow_id": "a"}),
        Event(1, 21.0, "net", "flow", extra={"host": "api.recruit.example.com", "domain": "example.com", "flow_id": "b"}),
        Event(2, 22.0, "net", "flow", extra={"host": "tracker.evil.example", "domain": "evil.example", "flow_id": "c"}),
        Event(3, 23.0, "net", "send", category="device_id.android_id", actor="umeng_common",
              extra={"host": "alog.umeng.com", "domain": "umeng.com", "flow_id": "a"}),
    ])
    rc, d = diff_json(capsys, DEMO, ev)
    assert rc == 1
    sdks = {c["sdk"]: c for c in d["sdks"]}
    assert sdks["umeng_common"]["status"] == "match" and sdks["umeng_common"]["where"] == ["runtime", "network"]
    assert sdks["getui"]["status"] == "undeclared" and sdks["getui"]["where"] == ["runtime"]
    cats = {(c["sdk"], c["category"]): c for c in d["categories"]}
    assert cats[("umeng_common", "device_id.android_id")]["where"] == ["runtime", "network"]
    assert cats[("getui", "clipboard")]["status"] == "undeclared"
    doms = {c["domain"]: c for c in d["domains"]}
    assert doms["alog.umeng.com"]["status"] == "match" and doms["alog.umeng.com"]["actors"] == ["umeng_common"]
    assert doms["alog.umeng.com"]["declared_for"] == "umeng_common"
    assert doms["api.recruit.example.com"]["status"] == "match"        # under the app's own recruit.example.com
    assert doms["tracker.evil.example"]["status"] == "undeclared"
    assert doms["bugly.qq.com"]["status"] == "declared_not_seen"
    perms = {c["permission"]: c for c in d["permissions"]}
    assert perms["android.permission.READ_CONTACTS"] == {"permission": "android.permission.READ_CONTACTS",
                                                         "status": "undeclared", "seen_as": ["requested"]}


def test_diff_incomplete_evidence_is_not_a_clean_pass(tmp_path, capsys):
    ev = tmp_path / "run"
    ev.mkdir()
    _write_events(ev / "events.jsonl", [
        Event(0, 1.0, "hook", "read", category="device_id.android_id", actor="umeng_common"),
        Event(1, 2.0, "hook", "incomplete", extra={"reason": "agent dropped 3 events"}),
    ])
    (ev / "events.jsonl").write_text((ev / "events.jsonl").read_text() + "{not json\n", "utf-8")
    rc, d = diff_json(capsys, DEMO, ev)
    assert rc == 3 and d["summary"]["undeclared"] == 0
    assert any("dropped" in r for r in d["incomplete"]) and any("line 3" in r for r in d["incomplete"])


def test_diff_report_json_and_formats(tmp_path, capsys):
    rep = tmp_path / "r" / "report.json"
    rep.parent.mkdir()
    rc, _ = sdkgate("scan", APKS / "recruit-noncompliant.apk", "--manifest", DEMO, "--format", "json", "-o", rep,
                    capsys=capsys)
    rc, d = diff_json(capsys, DEMO, rep)
    assert rc == 1
    assert {c["sdk"] for c in d["sdks"] if c["status"] == "undeclared"} == {"getui"}
    assert any("report alone" in r for r in d["incomplete"])
    # html and console carry the same rows; xlsx one sheet per table
    rc, html = sdkgate("manifest", "diff", DEMO, APKS / "recruit-noncompliant.apk", "--format", "html", capsys=capsys)
    assert rc == 1 and re.search(r'<tr class="undeclared"><td[^>]*>getui', html)
    rc, con = sdkgate("manifest", "diff", DEMO, APKS / "recruit-noncompliant.apk", "--lang", "zh", capsys=capsys)
    assert "未声明" in con and "getui" in con
    xlsx = tmp_path / "audit.xlsx"
    rc, _ = sdkgate("manifest", "diff", DEMO, APKS / "recruit-noncompliant.apk", "--format", "xlsx", "-o", xlsx,
                    capsys=capsys)
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert wb.sheetnames == ["summary", "SDKs", "Data categories per SDK", "Permissions", "Domains"]   # summary first
    assert all(ws.freeze_panes == "A2" and ws.auto_filter.ref for ws in wb)
    rows = list(wb["SDKs"].iter_rows(values_only=True))
    assert rows[0][:2] == ("SDK", "Status") and any(r[0].startswith("getui") and r[1] == "undeclared" for r in rows[1:])


def test_diff_bad_input(tmp_path, capsys):
    assert sdkgate("manifest", "diff", DEMO, tmp_path / "nothing")[0] == 2
    (tmp_path / "x.txt").write_text("hello", "utf-8")
    assert sdkgate("manifest", "diff", DEMO, tmp_path / "x.txt")[0] == 2
    assert sdkgate("manifest", "diff", DEMO, tmp_path)[0] == 2            # folder with no evidence
    assert sdkgate("manifest", "diff", DEMO, APKS / "recruit-compliant.apk", "--format", "xlsx")[0] == 2
    err = capsys.readouterr().err
    assert "not an evidence folder" in err and "x.txt" in err
