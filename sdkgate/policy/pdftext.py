"""PDF text with budgets: pages, objects, inflated stream bytes, content-stream operators, characters, time.

pdfminer.six parses; three of its hooks are bounded while we read (under a lock, restored after): stream
decoding (Flate inflates in steps up to what the budget has left, LZW likewise), the content-stream parser
(counts operators and checks the clock) and the text device (our own: no layout analysis, one line per
baseline, a tab for a column gap, so memory stays linear in the text). Beyond a budget: exit 2 naming it.
"""
from __future__ import annotations

import io
import logging
import threading
import time
import zlib
from contextlib import contextmanager

from ..errors import InputError
from .sourcefile import PolicyLimits

_LOCK = threading.Lock()


class BudgetExceeded(Exception):
    def __init__(self, what: str):
        self.what = what
        super().__init__(what)


class _Budget:
    def __init__(self, lim: PolicyLimits):
        self.lim = lim
        self.clock = lim.clock or time.monotonic
        self.deadline = self.clock() + lim.pdf_max_seconds
        self.inflated = 0
        self.ops = 0
        self.chars = 0

    def check_time(self) -> None:
        if self.clock() > self.deadline:
            raise BudgetExceeded(f"time budget ({self.lim.pdf_max_seconds:g} s)")

    def add_inflated(self, n: int) -> None:
        self.inflated += n
        if self.inflated > self.lim.pdf_max_inflated:
            raise BudgetExceeded(f"inflated-size budget ({self.lim.pdf_max_inflated} bytes of decoded streams)")

    def left(self) -> int:
        return max(0, self.lim.pdf_max_inflated - self.inflated)

    def op(self) -> None:
        self.ops += 1
        if self.ops > self.lim.pdf_max_operators:
            raise BudgetExceeded(f"operator budget ({self.lim.pdf_max_operators} content-stream operators)")
        if not self.ops & 0xFFF:
            self.check_time()


class _BoundedZlib:
    """Stands in for the `zlib` module inside pdfminer.pdftypes: inflation stops at the budget."""
    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def __init__(self, budget: _Budget):
        self.budget = budget

    def decompressobj(self, *a, **kw):
        return zlib.decompressobj(*a, **kw)

    def decompress(self, data: bytes, *a, **kw) -> bytes:
        d = zlib.decompressobj()
        out: list[bytes] = []
        pos, step = 0, 1 << 16
        try:
            while pos < len(data):
                chunk = data[pos:pos + step]
                pos += step
                while chunk:
                    room = self.budget.left() + 1
                    piece = d.decompress(chunk, room)
                    self.budget.add_inflated(len(piece))
                    out.append(piece)
                    chunk = d.unconsumed_tail
                    self.budget.check_time()
                if d.eof:
                    break
        except zlib.error:
            if not out:
                raise
            # a damaged stream: what inflated before the damage is kept (pdfminer would retry byte by byte)
        return b"".join(out)


@contextmanager
def _bounded_pdfminer(budget: _Budget):
    from pdfminer import pdfinterp, pdftypes
    from pdfminer.lzw import LZWDecoder

    class CountingParser(pdfinterp.PDFContentParser):
        def nextobject(self):
            budget.op()
            return super().nextobject()

    def lzwdecode(data: bytes) -> bytes:
        out = []
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            budget.add_inflated(len(chunk))
            out.append(chunk)
        return b"".join(out)

    with _LOCK:
        saved = (pdftypes.zlib, pdftypes.lzwdecode, pdfinterp.PDFContentParser)
        pdftypes.zlib = _BoundedZlib(budget)
        pdftypes.lzwdecode = lzwdecode
        pdfinterp.PDFContentParser = CountingParser
        try:
            yield
        finally:
            pdftypes.zlib, pdftypes.lzwdecode, pdfinterp.PDFContentParser = saved


def _device_class():
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined

    class LineDevice(PDFTextDevice):
        """Characters in content order; a new line when the baseline moves, a tab for a wide gap."""

        def __init__(self, rsrcmgr, budget: _Budget):
            super().__init__(rsrcmgr)
            self.budget = budget
            self.out: list[str] = []
            self.last: tuple[float, float, float] | None = None     # (x end, y, height)

        def begin_page(self, page, ctm):
            super().begin_page(page, ctm)
            self.out.append("\n\n")
            self.last = None

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = ""
            adv = font.char_width(cid) * fontsize * scaling
            a, b, c, d, e, f = matrix
            h = abs(fontsize * d) or abs(fontsize) or 1.0
            if self.last is not None:
                x_end, y, lh = self.last
                if abs(f - y) > 1.8 * max(h, lh):
                    self.out.append("\n\n")         # a paragraph gap
                elif abs(f - y) > 0.5 * max(h, lh):
                    self.out.append("\n")
                elif e - x_end > 1.5 * h:
                    self.out.append("\t")
                elif e - x_end > 0.2 * h:
                    self.out.append(" ")
            self.last = (e + adv * (a or 1.0), f, h)
            if text:
                self.out.append(text)
                self.budget.chars += len(text)
                if self.budget.chars > self.budget.lim.pdf_max_chars:
                    raise BudgetExceeded(f"text budget ({self.budget.lim.pdf_max_chars} characters)")
            return adv

    return LineDevice


def pdf_text(name: str, data: bytes, lim: PolicyLimits) -> str:
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError:  # pragma: no cover - pdfminer.six is a dependency
        raise InputError(name, None, "PDF input needs pdfminer.six (pip install pdfminer.six)") from None
    budget = _Budget(lim)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)      # font warnings are not the user's business
    try:
        with _bounded_pdfminer(budget):
            doc = PDFDocument(PDFParser(io.BytesIO(data)))
            objects = sum(len(list(x.get_objids())) for x in doc.xrefs)
            if objects > lim.pdf_max_objects:
                raise BudgetExceeded(f"object budget ({lim.pdf_max_objects} objects; this file has {objects})")
            rsrc = PDFResourceManager(caching=True)
            device = _device_class()(rsrc, budget)
            interp = PDFPageInterpreter(rsrc, device)
            for n, page in enumerate(PDFPage.create_pages(doc), 1):
                if n > lim.pdf_max_pages:
                    raise BudgetExceeded(f"page budget ({lim.pdf_max_pages} pages)")
                budget.check_time()
                interp.process_page(page)
            return "".join(device.out)
    except BudgetExceeded as exc:
        raise InputError(name, "PDF", f"over the {exc.what}: not read further") from None
    except InputError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise InputError(name, "PDF", f"unreadable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is bad input
        raise InputError(name, "PDF", f"unreadable PDF: {type(exc).__name__}: {str(exc)[:200]}") from None
