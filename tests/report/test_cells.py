"""No cell becomes a formula: every csv/xlsx writer (scan, evaluate, report, fleet report, fleet query, manifest diff)
goes through formats/cells.py, tested with hostile strings from each source an attacker controls: an APK's
versionName, SDK ids and names in a manifest or a policy-made manifest, hosts and paths from traffic."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.formats.cells import Sheet, csv_text, safe_text, workbook

from ..bundle.evidence_kit import write_evidence, write_report

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"
HOSTILE = ['=HYPERLINK("http://evil.example/","x")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3",
           "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def _xlsx_cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def _number(c: str) -> bool:
    try:
        float(c)
        return True
    except ValueError:
        return False


def _assert_inert_csv(text: str, needle: str) -> None:
    cells = _csv_cells(text)
    assert any(needle in c for c in cells), f"{needle!r} not in the csv"
    live = [c for c in cells if c.startswith(FORMULA_START) and not _number(c)]     # -1.88 is a number
    assert not live, live


def _assert_inert_xlsx(data: bytes, needle: str) -> None:
    cells = _xlsx_cells(data)
    assert any(isinstance(c.value, str) and needle in c.value for c in cells), f"{needle!r} not in the workbook"
    assert all(c.data_type != "f" for c in cells)
    live = [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)]
    assert not live, live


def test_the_cell_writer():
    for h in HOSTILE:
        assert safe_text(h) == "'" + h
    assert safe_text("plain") == "plain" and safe_text("中文=1") == "中文=1"
    text = csv_text(["a", "b", "c", "d"], [[HOSTILE[0], -5, 2.5, True]])
    assert _csv_cells(text)[4:] == ["'" + HOSTILE[0], "-5", "2.5", "true"]         # numbers stay numbers
    data = workbook([Sheet("s", ["a", "b", "c"], [[HOSTILE[1], -5, "bad\x00\x1bchars"]])])
    ws = openpyxl.load_workbook(io.BytesIO(data))["s"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "'" + HOSTILE[1]
    assert ws["B2"].data_type == "n" and ws["B2"].value == -5
    assert ws["C2"].value == "bad\ufffd\ufffdchars"                  # XML cannot hold them: replaced, not a crash
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C2"


@pytest.mark.skipif(shutil.which("aapt") is None, reason="aapt not installed (tools/system-deps.sh)")
def test_apk_version_name_from_a_real_apk(tmp_path, capsys):
    """An APK built with aapt whose versionName is a formula: scan csv (summary) and xlsx stay inert."""
    src = (REPO / "tests/fixtures/apk-src/manifests/recruit-noncompliant/AndroidManifest.xml").read_text("utf-8")
    import re
    hostile = '=HYPERLINK("http://evil.example/","x")'
    (tmp_path / "AndroidManifest.xml").write_text(
        re.sub(r'android:versionName="[^"]*"', 'android:versionName="=HYPERLINK(&quot;http://evil.example/&quot;,&quot;x&quot;)"', src),
        "utf-8")
    with zipfile.ZipFile(APK) as z:
        (tmp_path / "classes.dex").write_bytes(z.read("classes.dex"))
    apk = tmp_path / "hostile.apk"
    subprocess.run(["aapt", "package", "-f", "-M", "AndroidManifest.xml", "-I",
                    "/usr/share/android-framework-res/framework-res.apk", "-F", apk.name], cwd=tmp_path, check=True,
                   capture_output=True)
    subprocess.run(["aapt", "add", apk.name, "classes.dex"], cwd=tmp_path, check=True, capture_output=True)
    assert run_guarded(cli, ["scan", str(apk), "-m", str(MANIFEST), "--format", "csv", "--sheet", "summary",
                             "-o", str(tmp_path / "s.csv")]) == 1
    _assert_inert_csv((tmp_path / "s.csv").read_text("utf-8-sig"), hostile)
    assert run_guarded(cli, ["scan", str(apk), "-m", str(MANIFEST), "--format", "xlsx", "-o", str(tmp_path / "s.xlsx")]) == 1
    _assert_inert_xlsx((tmp_path / "s.xlsx").read_bytes(), hostile)
    capsys.readouterr()


def _hostile_manifest(tmp_path: Path) -> Path:
    m = yaml.safe_load(MANIFEST.read_text("utf-8"))
    m["sdks"].append({"id": "=cmd|' /C calc'!A0", "name": "@SUM(1+1)", "vendor": "-2+3", "purpose": "+1",
                      "categories": ["device_id.imei"], "consent_scope": "policy",
                      "packages": ["com.evil.absent"]})
    p = tmp_path / "hostile.yaml"
    p.write_text(yaml.safe_dump(m, allow_unicode=True), "utf-8")
    return p


def test_sdk_names_from_a_manifest(tmp_path, capsys):
    """A declared SDK the APK does not ship (SG203 names it) and the audit table of declared vs found."""
    manifest = _hostile_manifest(tmp_path)
    run_guarded(cli, ["scan", str(APK), "-m", str(manifest), "--format", "csv", "-o", str(tmp_path / "f.csv")])
    _assert_inert_csv((tmp_path / "f.csv").read_text("utf-8-sig"), "=cmd|' /C calc'!A0")
    run_guarded(cli, ["scan", str(APK), "-m", str(manifest), "--format", "xlsx", "-o", str(tmp_path / "f.xlsx")])
    _assert_inert_xlsx((tmp_path / "f.xlsx").read_bytes(), "=cmd|' /C calc'!A0")
    run_guarded(cli, ["manifest", "diff", str(manifest), str(APK), "--format", "xlsx", "-o", str(tmp_path / "d.xlsx")])
    _assert_inert_xlsx((tmp_path / "d.xlsx").read_bytes(), "=cmd|' /C calc'!A0")
    capsys.readouterr()


def test_hosts_and_paths_from_traffic(tmp_path, capsys):
    """A send to a hostile host and path: the findings' `where`, the reads sheet's `sent_to`, csv and xlsx."""
    ev = write_evidence(tmp_path / "ev")
    net = (ev / "net.jsonl").read_text("utf-8").replace('"alog.umeng.com"', '"=HYPERLINK(1).umeng.com"') \
        .replace('"/app_logs"', '"/@SUM(A1)"')
    (ev / "net.jsonl").write_text(net, "utf-8")
    write_report(ev)
    files = [str(ev / "manifest.yaml"), str(ev / "events.jsonl"), str(ev / "net.jsonl")]
    for sheet in ("findings", "reads"):
        out = tmp_path / f"{sheet}.csv"
        assert run_guarded(cli, ["evaluate", "-m", *files, "--format", "csv", "--sheet", sheet, "-o", str(out)]) == 1
        _assert_inert_csv(out.read_text("utf-8-sig"), "HYPERLINK(1)")
    assert run_guarded(cli, ["report", str(ev), "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")]) == 1
    _assert_inert_xlsx((tmp_path / "r.xlsx").read_bytes(), "=HYPERLINK(1).umeng.com")
    capsys.readouterr()


def test_fleet_report_and_query(tmp_path):
    from sdkgate.fleet.cli import _format_rows
    from sdkgate.fleet.report import FleetReport, SdkRow, render_csv, render_xlsx
    rep = FleetReport(generated_at="now", database="sqlite:///x.db", apps=1, scanned=1, errors=0, verdicts={"fail": 1},
                      sdks=[SdkRow("=cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", 1, 1.0)],
                      apps_per_sdk={"=cmd|' /C calc'!A0": [{"package": "+x", "version_name": "=1+1", "sha256": "ab",
                                                             "verdict": "fail", "declared": False, "evidence_kind": "package"}]},
                      incomplete_reasons=[], undeclared=[], error_rows=[])
    _assert_inert_csv(render_csv(rep), "@SUM(1+1)")
    render_xlsx(rep, str(tmp_path / "fleet.xlsx"))
    _assert_inert_xlsx((tmp_path / "fleet.xlsx").read_bytes(), "=1+1")
    _assert_inert_csv(_format_rows(["name", "n"], [("=1+1", 3), ("@SUM(A1)", None)], "csv"), "=1+1")
