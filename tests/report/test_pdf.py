"""PDF reports (`report --pdf FILE`, `scan --format pdf`): the HTML page printed by headless Chromium, read back with
pdftotext (poppler-utils; pdfminer.six where it is missing): the verdict and the findings are in it, sections start on
new pages, and every page carries the app, the verdict and the evidence hash in its margin."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path


from sdkgate.bundle import write_bundle
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

from ..bundle.evidence_kit import write_evidence
from .test_report_html import needs_chromium

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page."""
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    else:
        from pdfminer.high_level import extract_text
        text = extract_text(str(pdf))
    return [p for p in text.split("\f") if p.strip()]


@needs_chromium
def test_report_pdf_of_a_bundle(tmp_path, capsys):
    ev = write_evidence(tmp_path / "ev")
    write_bundle(ev)
    seal = hashlib.sha256((ev / "bundle.json").read_bytes()).hexdigest()
    out = tmp_path / "deep" / "report.pdf"                       # its folder is created
    assert run_guarded(cli, ["report", str(ev), "--pdf", str(out)]) == 1
    capsys.readouterr()
    pages = pdf_pages(out)
    assert len(pages) >= 4                                       # sections start on their own pages
    for page in pages:                                           # the header and footer of every page
        assert "Demo Recruit" in page and "Verdict: FAIL" in page and seal in page, page[:400]
    text = "\n".join(pages)
    assert "FAIL" in text and "SG101" in text and "SG401" in text and "How to fix" in text
    first_page_of = {h: next(i for i, p in enumerate(pages) if h in p) for h in ("Timeline", "Flow that proves it")}
    assert first_page_of["Timeline"] < first_page_of["Flow that proves it"]
    assert "Evidence (1/1)" in text and "hook#" in text            # collapsed parts are printed open


@needs_chromium
def test_scan_format_pdf_in_chinese(tmp_path, capsys):
    out = tmp_path / "scan.pdf"
    assert run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "pdf", "-o", str(out), "--lang", "zh"]) == 1
    capsys.readouterr()
    pages = pdf_pages(out)
    apk_sha = hashlib.sha256(APK.read_bytes()).hexdigest()
    for page in pages:
        assert "结论: 不通过" in page and apk_sha in page
    text = "\n".join(pages)
    assert "各 SDK 的问题" in text and "SG205" in text and "getui" in text


def test_pdf_without_chromium_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SDKGATE_CHROMIUM", str(tmp_path / "no-such-browser"))
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert code == 2 and "apt-get install chromium" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()
