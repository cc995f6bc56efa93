"""XLSX (openpyxl): every sheet of formats/rows.py, the summary first, then findings, reads (one row per read, when
the evidence has run-time reads), SDKs, permissions and call sites; each with a frozen header and an autofilter,
every cell through the one cell writer (formats/cells.py). Binary: written to a file, never to a terminal."""
from __future__ import annotations

from ..report import Report
from .cells import workbook
from .reads import ReadsTable
from .rows import sheets


class XlsxFormat:
    name = "xlsx"
    binary = True

    def render(self, report: Report, lang: str = "en", reads: ReadsTable | None = None, sheet: str | None = None) -> bytes:
        return workbook(sheets(report, lang, reads).values(), lang)


FORMAT = XlsxFormat()
