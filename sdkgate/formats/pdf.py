"""PDF: the same HTML page, printed by headless Chromium (print-to-PDF), the browser the project already renders its
pages with. Every collapsible section is open, each section starts on a new page, and every page carries the app,
the verdict and the evidence hash in its margin (CSS @page margin boxes of templates/base.html.j2).

The page is printed from a private temporary folder with networking off and no profile of the user's; a page is
self-contained (no script, no external resource), so nothing is fetched."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from ..report import Report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ENV = "SDKGATE_CHROMIUM"
TIMEOUT_S = 120
INSTALL_HINT = ("install Chromium (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) "
                f"or point {BROWSER_ENV} at a Chrome/Chromium binary")


def browser() -> str:
    """The Chromium binary to print with ($SDKGATE_CHROMIUM, else the first on PATH); missing: exit 2 with a hint."""
    configured = os.environ.get(BROWSER_ENV)
    if configured:
        if shutil.which(configured) or Path(configured).is_file():
            return configured
        raise InputError(None, "--format pdf", f"{BROWSER_ENV}={configured} is not an executable; {INSTALL_HINT}")
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise InputError(None, "--format pdf", f"a PDF is printed by headless Chromium, which is not installed: {INSTALL_HINT}")


def html_to_pdf(html: str) -> bytes:
    """Print one self-contained HTML page to PDF bytes."""
    exe = browser()
    with tempfile.TemporaryDirectory(prefix="sdkgate-pdf-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, "utf-8")
        root = hasattr(os, "geteuid") and os.geteuid() == 0      # Chromium's sandbox refuses root
        cmd = [exe, "--headless", *(["--no-sandbox"] if root else []), "--disable-gpu", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--disable-component-update", "--disable-extensions",
               f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
               f"--print-to-pdf={out}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise InputError(None, "--format pdf", f"Chromium did not print the page within {TIMEOUT_S} s") from None
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = (proc.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise InputError(None, "--format pdf", f"Chromium could not print the page (exit {proc.returncode}: {tail[0][:300]})")
        return out.read_bytes()


class PdfFormat:
    name = "pdf"
    binary = True

    def render(self, report: Report, lang: str = "en") -> bytes:
        from .html import HtmlFormat
        return html_to_pdf(HtmlFormat().render(report, lang, printing=True))


FORMAT = PdfFormat()
