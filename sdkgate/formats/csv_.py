"""CSV: one row per finding (formats/rows.py), UTF-8 with a BOM so spreadsheet programs read Chinese right."""
from __future__ import annotations

import csv
import io

from ..report import Report
from .rows import finding_rows, headers


class CsvFormat:
    name = "csv"
    binary = False

    def render(self, report: Report, lang: str = "en") -> str:
        buf = io.StringIO()
        buf.write("\ufeff")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(headers(lang))
        for row in finding_rows(report, lang):
            w.writerow(["true" if v is True else "false" if v is False else v for v in row])
        return buf.getvalue()


FORMAT = CsvFormat()
