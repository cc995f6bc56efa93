"""CSV: one sheet of formats/rows.py per file (default: the findings; `--sheet reads` one row per read), UTF-8 with a
BOM so spreadsheet programs read Chinese right, every cell through the one cell writer (formats/cells.py)."""
from __future__ import annotations

from ..errors import InputError
from ..report import Report
from .cells import csv_text
from .reads import ReadsTable
from .rows import SHEETS, sheets


class CsvFormat:
    name = "csv"
    binary = False

    def render(self, report: Report, lang: str = "en", reads: ReadsTable | None = None, sheet: str = "findings") -> str:
        available = sheets(report, lang, reads, machine=True)
        if sheet not in available:
            why = ("the evidence has no run-time reads (a static scan)" if sheet == "reads"
                   else f"this report has no {sheet} sheet" if sheet in SHEETS else f"unknown sheet {sheet!r}")
            raise InputError(None, "--sheet", f"{why}; sheets here: {', '.join(available)}")
        s = available[sheet]
        return csv_text(s.header, s.rows)


FORMAT = CsvFormat()
