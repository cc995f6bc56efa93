"""`fleet report` and `fleet query` over a scanned fleet: the numbers are the views' numbers, in every format."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from tests.fleet.conftest import make_fleet
from tests.fleet.test_fleet_scan import hostile_apks


def sg(*argv) -> int:
    return run_guarded(cli, list(map(str, argv)))


@pytest.fixture
def scanned(db_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fleet")
    # 6 apps: 2x noncompliant (getui + jpush, both start at process start), 2x sdk-autoinit (firebase), 2x compliant
    fleet = make_fleet(tmp / "apks", 6)
    bad = hostile_apks(tmp / "bad")["garbage"]
    assert sg("scan", *fleet, bad, "--db", db_url, "-j", "2") == 2
    return db_url


def test_report_json_numbers(scanned, capsys):
    capsys.readouterr()
    assert sg("fleet", "report", "--db", scanned, "--format", "json") == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["schema"] == "sdkgate.fleet/1"
    assert rep["apps"] == 7 and rep["scanned"] == 6 and rep["errors"] == 1
    assert rep["verdicts"]["error"] == 1 and sum(rep["verdicts"].values()) == 7
    sdks = {s["sdk_id"]: s for s in rep["sdks"]}
    assert sdks["getui"]["apps"] == 2 and sdks["getui"]["share"] == pytest.approx(2 / 6, abs=1e-4)
    assert sdks["firebase_core"]["apps"] == 2
    # rules per SDK: getui runs at process start in every app that ships it
    assert sdks["getui"]["rules"]["SG204"] == {"apps": 2, "share": 1.0}
    assert sdks["firebase_core"]["rules"]["SG204"]["apps"] == 2
    assert len(rep["apps_per_sdk"]["getui"]) == 2 and all(a["declared"] is False for a in rep["apps_per_sdk"]["getui"])
    assert {u["sdk_id"] for u in rep["undeclared"]} >= {"getui", "firebase_core"}
    assert [e["error_kind"] for e in rep["error_rows"]] == ["input"]


def test_report_csv_xlsx_html(scanned, tmp_path, capsys):
    capsys.readouterr()
    assert sg("fleet", "report", "--db", scanned, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    getui = [r for r in rows if r["sdk_id"] == "getui"][0]
    assert getui["apps"] == "2" and getui["SG204_apps"] == "2" and float(getui["SG204_share"]) == 1.0
    out = tmp_path / "f.xlsx"
    assert sg("fleet", "report", "--db", scanned, "--format", "xlsx", "-o", out) == 0
    from openpyxl import load_workbook
    wb = load_workbook(out)
    assert {"summary", "sdks", "rules_per_sdk", "apps_per_sdk", "undeclared", "incomplete_reasons", "errors"} <= set(wb.sheetnames)
    rps = [r for r in wb["rules_per_sdk"].iter_rows(values_only=True)]
    assert ("getui", "SG204", 2, 2, 1.0) in rps
    assert sg("fleet", "report", "--db", scanned, "--format", "xlsx") == 2          # binary needs -o
    for lang, word in (("en", "SDK prevalence"), ("zh", "SDK 普及率")):
        html = tmp_path / f"f-{lang}.html"
        assert sg("fleet", "report", "--db", scanned, "--html", html, "--lang", lang) == 0
        text = html.read_text("utf-8")
        assert word in text and text.count("<svg") == 3
        assert not re.search(r'(src|href)="(https?:)?//', text)               # self-contained
        assert 'data-sdk="getui"' in text and 'data-rule="SG204"' in text


def test_query_views_read_only_and_errors(scanned, capsys):
    capsys.readouterr()
    assert sg("fleet", "query", "--db", scanned, "SELECT sdk_id, rule, apps FROM fleet_rules_per_sdk "
              "WHERE sdk_id = 'getui' ORDER BY rule", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == [{"sdk_id": "getui", "rule": "SG204", "apps": 2}]
    assert sg("fleet", "query", "--db", scanned, "SELECT COUNT(*) AS n FROM latest_apps") == 0
    assert "7" in capsys.readouterr().out
    assert sg("fleet", "query", "--db", scanned, "DELETE FROM apps") == 2
    assert "SQL" in capsys.readouterr().err
    assert sg("fleet", "query", "--db", scanned, "SELECT COUNT(*) FROM apps", "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines()[1] == "7"                  # nothing was deleted
    assert sg("fleet", "query", "--db", scanned, "SELEC nonsense") == 2
    assert "error: SQL:" in capsys.readouterr().err


def test_report_on_missing_sqlite_file(tmp_path, capsys):
    assert sg("fleet", "report", "--db", f"sqlite:///{tmp_path / 'none.db'}") == 2
    assert "no such database file" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
