"""`scan --format html` in a real headless Chromium: the page leads with the verdict, one sentence and the counts,
then the findings grouped per SDK (confirmed violations first, with fixes), the incomplete reasons grouped by kind,
then the inventory and the call sites (collapsed, filterable without a script). It fits 1,280 px and a 390 px phone
without side scrolling and without a line overflowing its card (measured by the browser); screenshots are kept in
tests/artifacts for a person to look at."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.formats import get
from sdkgate.report import CallSite

from .layout import layout, screenshot
from .test_report_html import ARTIFACTS, chromium, needs_chromium

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"
LONG = "Lcom/vendor/" + "VeryLongGeneratedClassName" * 12 + ";->" + "method" * 20 + "(Ljava/lang/String;)V"


def _scan_html(tmp_path: Path, lang: str, capsys) -> Path:
    page = tmp_path / f"scan-{lang}.html"
    code = run_guarded(cli, ["scan", str(APK), "-m", str(MANIFEST), "--format", "html", "-o", str(page), "--lang", lang])
    capsys.readouterr()
    assert code == 1 and page.is_file()
    return page


@pytest.fixture(scope="module")
def base_report():
    from sdkgate.cli.common import quiet_androguard
    from sdkgate.cli.scan_cmd import build_report
    from sdkgate.manifest import load_manifest
    quiet_androguard()
    rep, _ = build_report(APK, load_manifest(MANIFEST))
    return rep


def _hostile_report(base_report):
    """The real scan plus what a page must also hold: incomplete reasons of two kinds (7 of one), a violation not
    confirmed, and a signature far wider than any screen."""
    import copy
    rep = copy.deepcopy(base_report)
    rep.incomplete += [f"hook events: seq {i * 10} where {i * 10 - 3} was expected (3 missing)" for i in range(1, 8)]
    rep.incomplete += ["agent dropped 12 events"]
    rep.verdict = "incomplete"
    umeng = [f for f in rep.findings if f.actor == "umeng_common" and f.severity == "violation"]
    umeng[0].confirmed = False                      # the #20 flag, read where present
    rep.call_sites.append(CallSite("device_id.imei", LONG, LONG, "getui"))
    umeng[1].detail["chain"] = [LONG, LONG]
    return rep


def _order(dom: str, *ids: str) -> list[int]:
    return [dom.index(f'id="{i}"') for i in ids]


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_scan_page_order_fit_and_screenshots(base_report, tmp_path, lang):
    rep = _hostile_report(base_report)
    page = tmp_path / f"scan-{lang}.html"
    page.write_text(get("html").render(rep, lang), "utf-8")
    dom = chromium(tmp_path, page, "--dump-dom")
    pos = _order(dom, "verdict", "why", "numbers", "findings", "incomplete", "sdks", "permissions", "calls")
    assert pos == sorted(pos), pos
    why = re.search(r'id="why">([^<]+)<', dom).group(1)
    assert ("incomplete" in why and "8 reason" in why) if lang == "en" else "证据不完整" in why
    # findings grouped per SDK: every group's findings are contiguous, confirmed violations before the rest
    groups = re.findall(r'<section class="sdk-group" data-sdk="([^"]*)">(.*?)</section>', dom, re.S)
    assert len({g for g, _ in groups}) == len(groups) > 3
    for sdk, body in groups:
        flags = [(sev, conf) for sev, conf in re.findall(r'class="finding (\w+)[^"]*" data-rule="\w+" data-confirmed="(\w+)"', body)]
        rank = [0 if (s == "violation" and c == "true") else 1 if s == "violation" else 2 for s, c in flags]
        assert rank == sorted(rank), (sdk, flags)
    umeng = dict(groups)["umeng_common"]
    assert "not confirmed" in umeng if lang == "en" else "未确认" in umeng
    assert ("How to fix" if lang == "en" else "修复建议") in dict(groups)["getui"]
    # incomplete reasons grouped by kind: 7 seq gaps in one group (5 examples, 2 counted), the dropped events in another
    kinds = re.findall(r'<details class="reason-group"[^>]*data-count="(\d+)"', dom)
    assert sorted(map(int, kinds)) == [1, 7]
    assert "+2" in re.search(r'data-count="7">(.*?)</details>', dom, re.S).group(1)
    # the call sites are collapsed; the SDK list names each SDK's category and website, permissions whether dangerous
    assert re.search(r'<details class="panel" id="calls">', dom)
    getui = re.search(r'<tr data-sdk="getui">(.*?)</tr>', dom, re.S).group(1)
    assert "https://www.getui.com" in getui and ("push" in getui if lang == "en" else "推送" in getui)
    contacts = re.search(r'<tr data-permission="android.permission.READ_CONTACTS">(.*?)</tr>', dom, re.S).group(1)
    assert re.search(r'class="dangerous bad">(yes|是)<', contacts)
    if lang == "zh":
        for english in ("Findings by SDK", "How to fix", "NOT declared", "Why the evidence is incomplete", "（原文）"):
            assert english not in dom, english
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        fit = layout(tmp_path, page, width, setup="document.getElementById('calls').open = true;")
        assert fit["sw"] <= width and not fit["over"], (width, fit["over"][:5])
        shot = ARTIFACTS / f"scan-{lang}-{width}.png"
        screenshot(tmp_path, page, width, shot)
        assert shot.stat().st_size > 10_000


@needs_chromium
def test_call_sites_filter_by_sdk_and_api_without_a_script(base_report, tmp_path):
    page = tmp_path / "scan.html"
    html = get("html").render(base_report, "en")
    assert not re.search(r"<script", html, re.I)
    page.write_text(html, "utf-8")
    sdks = re.findall(r'<input type="radio" name="fs" id="fs-(\d+)"><label for="fs-\d+">([^<]+)<', html)
    jpush = next(i for i, name in sdks if name.startswith("JPush"))
    count = ("document.getElementById('calls').open = true; document.body.setAttribute('data-shown', [...document.querySelectorAll('#calls .cg')]"
             ".filter(e => getComputedStyle(e).display !== 'none').map(e => e.dataset.sdk).join(',') + '|' + "
             "[...document.querySelectorAll('#calls tr.cs')].filter(e => e.getClientRects().length > 0).length);")
    probe = tmp_path / "probe.html"

    def shown(check: str) -> tuple[list[str], int]:
        probed = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)   # the probe's script only
        probe.write_text(probed.replace("</body>", f"<script>{check}{count}</script></body>"), "utf-8")
        dom = chromium(tmp_path, probe, "--dump-dom")
        cgs, rows = re.search(r'data-shown="([^"]*)"', dom).group(1).split("|")
        return cgs.split(","), int(rows)

    everything, n = shown("")
    assert len(everything) > 3 and n == len(base_report.call_sites)
    only, n_jpush = shown(f"document.getElementById('fs-{jpush}').checked = true;")
    assert only == ["jpush"] and 0 < n_jpush < n
    from sdkgate.formats.htmlbase import short
    sites = [c for c in base_report.call_sites if short(c.api) == "TelephonyManager.getDeviceId"]
    api = re.search(r'<input type="radio" name="fa" id="fa-(\d+)"><label for="fa-\d+">TelephonyManager.getDeviceId<', html).group(1)
    by_api, n_api = shown(f"document.getElementById('fa-{api}').checked = true;")
    assert n_api == len(sites) and sorted(by_api) == sorted({c.actor for c in sites}) and len(by_api) < len(everything)


@needs_chromium
def test_scan_html_en(tmp_path, capsys):
    page = _scan_html(tmp_path, "en", capsys)
    html = page.read_text("utf-8")
    assert not re.search(r'(?:src|href)\s*=|<link|<script|@import|url\(', html, re.I)   # self-contained
    dom = chromium(tmp_path, page, "--dump-dom")
    assert re.search(r'id="verdict"[^>]*>\s*FAIL', dom)
    for section in ("page-head", "why", "numbers", "findings", "sdks", "calls", "start", "permissions", "page-foot"):
        assert f'id="{section}"' in dom, section
    getui = re.search(r'<tr data-sdk="getui">(.*?)</tr>', dom, re.S).group(1)
    assert "NOT declared" in getui and "com.igexin" in getui                     # found by its package
    assert re.search(r'class="step">App\.onCreate</span>.*?class="step target">TelephonyManager\.getImei</span>', dom, re.S)
    assert "cn.jpush.android.service.DataProvider" in dom                         # process-start code
    assert "android.permission.READ_CONTACTS" in dom and "How to fix" in dom
    assert "1 classes" not in dom and "1 call sites" not in dom                   # plurals


@needs_chromium
def test_scan_html_zh(tmp_path, capsys):
    page = _scan_html(tmp_path, "zh", capsys)
    dom = chromium(tmp_path, page, "--dump-dom")
    assert re.search(r'id="verdict"[^>]*>\s*不通过', dom)
    for heading in ("APK 中的 SDK", "进程启动时运行的代码", "权限：APK 与声明的权限清单", "修复建议", "各 SDK 的问题"):
        assert heading in dom
    for english in ("SDKs in the APK", "Code that runs at process start", "How to fix", "NOT declared"):
        assert english not in dom
