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
    assert wb.sheetnames == ["结论", "问题", "读取明细", "SDK"]                  # the summary first
    summary = [[c.value for c in r] for r in wb["结论"].iter_rows()]
    assert summary[0] == ["项目", "值", "标识"] and summary[1] == ["结论", "不通过", "fail"]   # label and id apart
    sheet = wb["问题"]
    head = [c.value for c in sheet[1]]
    assert head[:6] == ["规则", "规则名称", "级别", "已确认", "已豁免", "SDK 标识"]
    rows = [dict(zip(head, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    assert {"SG101", "SG401"} <= {r["规则"] for r in rows}
    sg101 = next(r for r in rows if r["规则"] == "SG101")
    assert sg101["级别"] == "违规" and sg101["已豁免"] == "否" and sg101["SDK 标识"] == "umeng_common"
    assert sg101["SDK 名称"].startswith("Umeng Common") and sg101["信息类型"] == "IMEI 设备识别码"
    assert sg101["位置（调用方）"].startswith("com.umeng.commonsdk.statistics.common.DeviceConfig.getImei")
    for ws in wb:                                         # every sheet: frozen header, autofilter over the data
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:"), ws.title


def test_reads_sheet_one_row_per_read_with_the_caller(tmp_path, capsys):
    """The per-read table: time against consent, SDK, API, the first app/SDK frame (never the hooked framework
    method), consent state, before/after, the stack and the send that carried the value."""
    ev = write_evidence(tmp_path / "ev")
    out = tmp_path / "reads.csv"
    code = run_guarded(cli, ["evaluate", "-m", str(ev / "manifest.yaml"), str(ev / "events.jsonl"), str(ev / "net.jsonl"),
                             "--format", "csv", "--sheet", "reads", "-o", str(out)])
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [r["category"] for r in rows] == ["device_id.imei", "clipboard", "device_id.android_id"]
    imei, clip, aid = rows
    assert imei["actor"] == "umeng_common" and imei["api_id"] == "telephony.getImei"
    assert imei["caller"].startswith("com.umeng.commonsdk") and not imei["caller"].startswith("android.")
    assert clip["caller"] == "com.example.recruit.MainActivity.onResume(MainActivity.java:50)"   # from the stack
    assert imei["before_consent"] == "true" and imei["consent_state"] == "not answered"
    assert float(imei["t_consent_s"]) == -1.88 and imei["when"] == "1.9 s before consent"
    assert aid["before_consent"] == "false" and aid["consent_state"] == "granted" and aid["when"] == "2.0 s after consent"
    assert imei["sent_to"] == "POST https://alog.umeng.com/app_logs" and imei["sent_as"] == "md5-hex-upper"
    assert imei["flow_id"] == "f-1" and float(imei["sent_at_s"]) == 0.5
    assert clip["sent_to"] == ""                                    # nothing carried the clipboard out
    assert aid["sent_to"] == "POST https://stats.jpush.cn/v3/report"
    assert "TelephonyManager.getImei" in imei["stack"] and " ← " in imei["stack"]
    # the same table from the evidence folder (report), and the csv/xlsx `where` of a finding is that caller
    code = run_guarded(cli, ["report", str(ev), "--format", "csv", "--sheet", "reads", "-o", str(tmp_path / "r.csv")])
    assert code == 1 and (tmp_path / "r.csv").read_text("utf-8-sig") == out.read_text("utf-8-sig")
    code = run_guarded(cli, ["report", str(ev), "--format", "csv", "-o", str(tmp_path / "f.csv")])
    findings = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text("utf-8-sig"))))
    sg101 = next(f for f in findings if f["rule"] == "SG101")
    assert sg101["where"] == "com.umeng.commonsdk.statistics.common.DeviceConfig.getImei(DeviceConfig.java:212)"
    capsys.readouterr()
    import json
    run_guarded(cli, ["report", str(ev), "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    res = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SG101")
    assert res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == sg101["where"]


def test_sheet_errors_are_clear(tmp_path, capsys):
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "csv", "--sheet", "reads",
                             "-o", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "no run-time reads" in err and "Traceback" not in err
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "json", "--sheet", "reads"])
    assert code == 2 and "applies to --format csv" in capsys.readouterr().err
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "csv", "--sheet", "call_sites",
                             "-o", str(tmp_path / "c.csv")])
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text("utf-8-sig"))))
    assert code == 1 and rows and {"actor", "sdk", "api", "caller"} <= set(rows[0])


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
