"""Layout as the browser lays it out: the page's scroll width at a viewport width, and every box whose content is
wider than the box (a line that overflows its card), measured by headless Chromium.

A headless window is never narrower than 500 px, so a phone's 390 px viewport is an iframe of exactly that width
(`srcdoc`, same origin as its parent: the probe inside reports to the parent's DOM, which --dump-dom prints)."""
from __future__ import annotations

import html as _html
import json
import re
from pathlib import Path

from .test_report_html import chromium

BOXES = ".panel, .finding, .sdk-group, .summary, .reason-group, td, th, dd, pre, .chain, h1, h2, h3, p"
PROBE = """<script>
const over = [];
for (const el of document.querySelectorAll(%s)) {
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'none')
    over.push(el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 80));
}
parent.document.body.setAttribute('data-probe', JSON.stringify(
  {sw: document.documentElement.scrollWidth, vw: document.documentElement.clientWidth, over: over}));
</script></body>"""


def _framed(tmp_path: Path, html: str, width: int, height: int, name: str) -> Path:
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    wrapper = (f'<!DOCTYPE html><html><body style="margin:0"><iframe style="border:0;display:block;width:{width}px;'
               f'height:{height}px" srcdoc="{_html.escape(html, quote=True)}"></iframe></body></html>')
    out = tmp_path / name
    out.write_text(wrapper, "utf-8")
    return out


def layout(tmp_path: Path, page: Path, width: int, setup: str = "") -> dict:
    """{"sw": document scroll width, "vw": viewport width, "over": boxes whose content overflows} at `width` px.
    `setup`: JavaScript run first on the probe copy (e.g. opening a section), never on the shipped page."""
    html = page.read_text("utf-8")
    html = html.replace("</body>", (f"<script>{setup}</script>" if setup else "") + PROBE % json.dumps(BOXES))
    probe = _framed(tmp_path, html, width, 900, f"probe-{width}.html")
    dom = chromium(tmp_path, probe, "--window-size=1300,900", "--hide-scrollbars", "--dump-dom")
    out = json.loads(_html.unescape(re.search(r"data-probe=\"([^\"]*)\"", dom).group(1)))
    assert out["vw"] == width, out          # the page really was laid out at that width
    return out


def screenshot(tmp_path: Path, page: Path, width: int, shot: Path, height: int = 2400) -> None:
    """A screenshot of the page laid out `width` px wide (the top `height` px)."""
    framed = _framed(tmp_path, page.read_text("utf-8"), width, height, f"shot-{width}.html")
    shot.unlink(missing_ok=True)
    chromium(tmp_path, framed, "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={shot}")
