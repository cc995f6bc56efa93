"""The HTML report rendered in a real headless Chromium: what is on the page, plus a kept screenshot."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sdkgate.bundle import write_bundle
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from tests.bundle.evidence_kit import CANARIES, write_evidence

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def chromium(tmp_path: Path, page: Path, *extra: str) -> str:
    ud = tmp_path / "chromium-profile"
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={ud}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture
def bundle(tmp_path) -> Path:
    d = write_evidence(tmp_path / "cold-start")
    write_bundle(d)
    return d


def render(capsys, bundle: Path, out: Path, lang: str) -> None:
    code = run_guarded(cli, ["report", str(bundle), "--html", str(out), "--lang", lang])
    capsys.readouterr()
    assert code == 1          # the recorded verdict (fail)
    assert out.is_file()


@needs_chromium
def test_html_report_in_chromium_en(bundle, tmp_path, capsys):
    page = tmp_path / "report.html"
    render(capsys, bundle, page, "en")
    html = page.read_text("utf-8")
    # self-contained: nothing loaded from anywhere (URLs appear only as text of the flows)
    assert not re.search(r'(?:src|href)\s*=|<link|<script|@import|url\(', html, re.I)
    dom = chromium(tmp_path, page, "--dump-dom")
    verdict = re.search(r'id="verdict"[^>]*>([^<]+)<', dom)
    assert verdict and verdict.group(1).strip() == "FAIL"
    for name in ("友盟+ SDK", "极光推送 SDK"):                       # the manifest's SDK names
        assert name in dom
    assert 'data-rule="SG101"' in dom and 'data-rule="SG401"' in dom
    # 3 reads + 2 sends in the evidence, far enough apart not to merge; 3 of them before consent
    assert len(re.findall(r'class="mark (?:read|send)', dom)) == 5
    assert len(re.findall(r'class="mark (?:read|send) pre(?: violation)?"', dom)) == 3
    # every pre-consent mark is evidence of a violation here; time relative to the consent moment is shown
    assert len(re.findall(r'class="mark (?:read|send)[^"]* violation"', dom)) >= 3
    assert re.search(r'<span class="when">\d+\.\d s before consent</span>', dom)
    assert "1.9 s before consent" in dom                                  # the IMEI read at 0.12 s, accept at 2.0 s
    assert 'id="lane-legend"' in dom and "one colour per SDK" in dom
    assert re.search(r'id="finding-counts">.*?violations / \d+ active findings', dom, re.S)
    from .layout import layout, screenshot
    for width in (1280, 390):                              # fits a laptop and a phone: no side scrolling, no overflow
        fit = layout(tmp_path, page, width)
        assert fit["sw"] <= width and not fit["over"], (width, fit["over"][:5])
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(tmp_path, page, 390, ARTIFACTS / "report-en-390.png")
    pos = [dom.index(f'id="{i}"') for i in ("page-head", "verdict", "why", "timeline", "findings", "page-foot")]
    assert pos == sorted(pos)
    assert len(re.findall(r'class="consent-moment"', dom)) == 1
    # the flow of SG401 shows the planted IMEI and its on-the-wire form (md5, upper-case hex)
    wire = hashlib.md5(CANARIES["device_id.imei"].encode()).hexdigest().upper()
    assert f'<mark class="canary-value">{CANARIES["device_id.imei"]}</mark>' in dom
    assert f'<mark class="canary-wire">{wire}</mark>' in dom
    assert "com.umeng.commonsdk.UMConfigure.init" in dom                 # the stack of SG101
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-en.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, page, "--hide-scrollbars", "--window-size=1200,2200", f"--screenshot={shot}")
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


@needs_chromium
def test_html_report_in_chromium_zh(bundle, tmp_path, capsys):
    page = tmp_path / "report-zh.html"
    render(capsys, bundle, page, "zh")
    dom = chromium(tmp_path, page, "--dump-dom")
    assert 'lang="zh-CN"' in dom
    verdict = re.search(r'id="verdict"[^>]*>([^<]+)<', dom)
    assert verdict and "不通过" in verdict.group(1)
    for text in ("时间线", "各 SDK 读取与发送的信息", "同意前读取", "依据条款", "第三方 SDK 在用户同意前读取"):
        assert text in dom, text
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-zh.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, page, "--hide-scrollbars", "--window-size=1200,2200", f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_report_only_html_and_merge(bundle, tmp_path, capsys):
    """Without raw evidence the page still has the verdict and marks from the findings' evidence."""
    ok = write_evidence(tmp_path / "compliant", compliant=True, scenario_name="accept-compliant")
    write_bundle(ok)
    out = tmp_path / "r.html"
    code = run_guarded(cli, ["report", str(ok), "--format", "html", "-o", str(out)])
    assert code == 0
    html = out.read_text("utf-8")
    assert 'data-verdict="pass"' in html
    code = run_guarded(cli, ["report", "--merge", str(tmp_path), "--format", "json"])
    out_json = capsys.readouterr().out
    assert code == 1                                   # one of the two bundles fails
    import json
    table = json.loads(out_json)
    rows = {r["bundle"]: r for r in table["rows"]}
    assert rows["cold-start"]["verdict"] == "fail" and rows["cold-start"]["counts"]["SG101"] == 1
    assert rows["compliant"]["verdict"] == "pass" and rows["compliant"]["counts"] == {}
    assert rows["compliant"]["scenario"] == "accept-compliant" and rows["cold-start"]["seal"] == "sealed"
    (ok / "net.jsonl").write_text("", "utf-8")          # tamper with one: the merged table says so
    code = run_guarded(cli, ["report", "--merge", str(ok), "--format", "json"])
    assert json.loads(capsys.readouterr().out)["rows"][0]["seal"] == "TAMPERED" and code == 3


def test_report_formats_from_bundle(bundle, tmp_path, capsys):
    code = run_guarded(cli, ["report", str(bundle), "--format", "junit", "-o", str(tmp_path / "j.xml")])
    assert code == 1 and "<testsuite" in (tmp_path / "j.xml").read_text("utf-8")
    code = run_guarded(cli, ["report", str(bundle), "--format", "json"])
    assert code == 1 and '"verdict": "fail"' in capsys.readouterr().out
    code = run_guarded(cli, ["report", str(tmp_path / "missing")])
    assert code == 2 and "evidence folder not found" in capsys.readouterr().err


@needs_chromium
def test_html_of_a_simulated_run(tmp_path, capsys):
    """Every read and send of a real simulated run is on the page: drawn, or merged into a drawn mark."""
    import json

    from tests.bundle.evidence_kit import simulated_run
    d = simulated_run(tmp_path / "demo-noncompliant")
    n = 0
    for name in ("events.jsonl", "net.jsonl"):
        for ln in (d / name).read_text("utf-8").splitlines():
            e = json.loads(ln)
            n += (e["source"], e["kind"]) in (("hook", "read"), ("net", "send"))
    assert n > 5
    page = tmp_path / "sim.html"
    assert run_guarded(cli, ["report", str(d), "--html", str(page)]) == 1
    capsys.readouterr()
    dom = chromium(tmp_path, page, "--dump-dom")
    drawn = len(re.findall(r'class="mark (?:read|send)', dom))
    merged = re.search(r"(\d+) marks? merged", dom)
    assert drawn + (int(merged.group(1)) if merged else 0) == n
    assert re.search(r'id="verdict"[^>]*>FAIL<', dom)
    report = json.loads((d / "report.json").read_text("utf-8"))
    for f in report["findings"]:
        assert f'data-rule="{f["rule"]}"' in dom
    # the reads sheet of the real run: one row per hooked read, each with the app's/SDK's frame that made the call
    assert run_guarded(cli, ["report", str(d), "--format", "csv", "--sheet", "reads", "-o", str(tmp_path / "reads.csv")]) == 1
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO((tmp_path / "reads.csv").read_text("utf-8-sig"))))
    reads = sum(1 for name in ("events.jsonl",) for ln in (d / name).read_text("utf-8").splitlines()
                if '"kind": "read"' in ln or '"kind":"read"' in ln)
    assert len(rows) == reads > 0
    from sdkgate.dynamic.attribution import frame_class, is_layer_class
    for r in rows:
        assert r["caller"] and not is_layer_class(frame_class(r["caller"])[0]), r
    assert any(r["before_consent"] == "true" and r["sent_to"] for r in rows)    # a pre-consent read that left the device
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-simulated.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, page, "--hide-scrollbars", "--window-size=1200,2600", f"--screenshot={shot}")
    assert shot.is_file()
