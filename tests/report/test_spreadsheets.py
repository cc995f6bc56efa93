"""Findings for auditors who work in spreadsheets: --format csv|xlsx on the judging commands."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

from ..bundle.evidence_kit import write_evidence

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"


def test_scan_csv(tmp_path, capsys):
    out = tmp_path / "deep" / "f.csv"                         # its folder is created
    assert run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "csv", "-o", str(out)]) == 1
    text = out.read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"rule", "severity", "actor", "category", "message", "fix"} <= set(rows[0])
    getui = [r for r in rows if r["rule"] == "SG201" and r["actor"] == "getui"]
    assert getui and getui[0]["severity"] == "violation" and getui[0]["suppressed"] == "false"
    sg205 = next(r for r in rows if r["rule"] == "SG205")
    assert sg205["where"].startswith("L")                        # the smali caller


def test_evaluate_xlsx_and_zh_headers(tmp_path, capsys):
    ev = write_evidence(tmp_path / "ev")
    out = tmp_path / "f.xlsx"
    code = run_guarded(cli, ["evaluate", "-m", str(ev / "manifest.yaml"), str(ev / "events.jsonl"), str(ev / "net.jsonl"),
                             "--format", "xlsx", "-o", str(out), "--lang", "zh"])
    assert code == 1
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["结论", "问题", "SDK"]
    assert wb["结论"]["A1"].value == "结论" and wb["结论"]["B1"].value == "fail"
    sheet = wb["问题"]
    head = [c.value for c in sheet[1]]
    assert head[:3] == ["规则", "级别", "已豁免"]
    rules = {sheet.cell(row=i, column=1).value for i in range(2, sheet.max_row + 1)}
    assert {"SG101", "SG401"} <= rules
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_binary_format_needs_a_file(tmp_path, capsys):
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "xlsx"])
    err = capsys.readouterr().err
    assert code == 2 and "give -o FILE" in err and "Traceback" not in err


def test_simulate_writes_its_report_with_o(tmp_path, capsys):
    """Every command that writes a report takes -o (simulate --format junit -o x.xml)."""
    out = tmp_path / "reports" / "x.xml"
    code = run_guarded(cli, ["simulate", str(REPO / "scenarios" / "demo-compliant.yaml"), "--out", str(tmp_path / "ev"),
                             "--format", "junit", "-o", str(out)])
    printed = capsys.readouterr().out
    assert code in (0, 1, 3)
    assert out.read_text("utf-8").startswith("<?xml") and "<testsuite" in out.read_text("utf-8")
    assert "<testsuite" not in printed                         # the report went to the file, not stdout
