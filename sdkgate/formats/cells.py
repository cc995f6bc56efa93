"""The one cell writer every csv and xlsx output goes through (scan, evaluate, report, run, fleet report, fleet
query, manifest diff). Evidence is hostile text: an APK's versionName, an SDK name from a policy, a host or path
from traffic must never become a live formula in the auditor's spreadsheet.

- Text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (OWASP's CSV-injection rule), in csv and xlsx
  alike, so a copy of the sheet saved as csv stays inert too.
- xlsx text cells are written as strings (data type `s`): openpyxl never sees a formula. Characters XML cannot hold
  are replaced, text beyond Excel's 32,767 characters per cell is cut (and says so).
- Numbers stay numbers (filters and sums work); booleans are `true`/`false` in csv, yes/no in xlsx.
- Every xlsx sheet: bold, frozen header row and an autofilter over the data."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..i18n import N_, tr

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CELL = 32_767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
YES_NO = (N_("yes"), N_("no"))


def safe_text(value: Any) -> str:
    """Text as a cell may hold it: never read as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    return safe_text(value)


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool = True, lineterminator: str = "\r\n") -> str:
    """A csv document (UTF-8 BOM by default, so spreadsheet programs read Chinese right)."""
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow([csv_value(h) for h in header])
    for row in rows:
        w.writerow([csv_value(v) for v in row])
    return buf.getvalue()


def xlsx_value(value: Any, lang: str = "en") -> tuple[Any, str | None]:
    """(value, forced data type): text is always a string cell."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        yes, no = (tr(w, lang) for w in YES_NO)
        return (yes if value else no), "s"
    if isinstance(value, (int, float)):
        return value, None
    text = _ILLEGAL_XML.sub("\ufffd", safe_text(value))
    if len(text) > XLSX_MAX_CELL:
        text = text[: XLSX_MAX_CELL - 20] + "… (cut)"
    return text, "s"


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    highlight: list[bool] = field(default_factory=list)     # rows to fill (e.g. active violations)


def append_row(ws, values: Sequence[Any], lang: str = "en") -> None:
    """One row through the cell writer (every xlsx row goes through here)."""
    r = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, v in enumerate(values, 1):
        value, dtype = xlsx_value(v, lang)
        cell = ws.cell(row=r, column=col)
        cell.value = value
        if dtype:
            cell.data_type = dtype


def write_sheet(ws, sheet: Sheet, lang: str = "en") -> None:
    """Header (bold, frozen), rows, autofilter, column widths."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    ws.title = safe_title(sheet.title)
    append_row(ws, sheet.header, lang)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDECEA")
    for i, row in enumerate(sheet.rows):
        append_row(ws, row, lang)
        if i < len(sheet.highlight) and sheet.highlight[i]:
            for cell in ws[ws.max_row]:
                cell.fill = fill
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(sheet.header)))}{max(1, ws.max_row)}"
    for i, width in enumerate(sheet.widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def safe_title(title: str) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", "_", str(title))[:31] or "Sheet"


def workbook(sheets: Iterable[Sheet], lang: str = "en") -> bytes:
    """An xlsx document, sheets in the order given (the summary first)."""
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        write_sheet(wb.create_sheet(), sheet, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
