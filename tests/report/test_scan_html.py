"""`scan --format html`: the static report in a real headless Chromium — SDK table with the evidence that found
each SDK, call sites per SDK and category, process-start code, ungated paths as chains, permissions vs the table;
it fits a 1,280 px window without side scrolling (measured by the browser)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

from .test_report_html import ARTIFACTS, chromium, needs_chromium

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"


def _scan_html(tmp_path: Path, lang: str, capsys) -> Path:
    page = tmp_path / f"scan-{lang}.html"
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "html", "-o", str(page), "--lang", lang])
    capsys.readouterr()
    assert code == 1 and page.is_file()
    return page


def _page_width(tmp_path: Path, page: Path, width: int) -> int:
    """The document's scroll width in a window `width` px wide, as the browser lays it out."""
    html = page.read_text("utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = html.replace("</body>", "<script>document.body.setAttribute('data-sw', "
                                    "String(document.documentElement.scrollWidth));</script></body>")
    probe = tmp_path / "probe.html"
    probe.write_text(html, "utf-8")
    dom = chromium(tmp_path, probe, f"--window-size={width},900", "--hide-scrollbars", "--dump-dom")
    return int(re.search(r'data-sw="(\d+)"', dom).group(1))


@needs_chromium
def test_scan_html_en(tmp_path, capsys):
    page = _scan_html(tmp_path, "en", capsys)
    html = page.read_text("utf-8")
    assert not re.search(r'(?:src|href)\s*=|<link|<script|@import|url\(', html, re.I)   # self-contained
    dom = chromium(tmp_path, page, "--dump-dom")
    assert re.search(r'id="verdict"[^>]*>\s*FAIL', dom)
    for section in ("sdks", "calls", "start", "paths", "permissions", "findings", "numbers"):
        assert f'id="{section}"' in dom, section
    getui = re.search(r'<tr data-sdk="getui">(.*?)</tr>', dom, re.S).group(1)
    assert "NOT declared" in getui and "com.igexin" in getui                     # found by its package
    assert re.search(r'class="step">App\.onCreate</span>.*?class="step target">TelephonyManager\.getImei</span>', dom, re.S)
    assert "cn.jpush.android.service.DataProvider" in dom                         # process-start code
    assert "android.permission.READ_CONTACTS" in dom and "How to fix" in dom
    assert "1 classes" not in dom and "1 call sites" not in dom                   # plurals
    assert _page_width(tmp_path, page, 1280) <= 1280
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chromium(tmp_path, page, "--hide-scrollbars", "--window-size=1280,2400", f"--screenshot={ARTIFACTS / 'scan-en.png'}")
    assert (ARTIFACTS / "scan-en.png").stat().st_size > 10_000


@needs_chromium
def test_scan_html_zh(tmp_path, capsys):
    page = _scan_html(tmp_path, "zh", capsys)
    dom = chromium(tmp_path, page, "--dump-dom")
    assert re.search(r'id="verdict"[^>]*>\s*不通过', dom)
    for heading in ("APK 中的 SDK", "进程启动时运行的代码", "权限：APK 与声明的权限清单", "修复建议"):
        assert heading in dom
    for english in ("SDKs in the APK", "Code that runs at process start", "How to fix", "NOT declared"):
        assert english not in dom
