"""XLSX (openpyxl): a Summary sheet (verdict, app, why incomplete), a Findings sheet (formats/rows.py) with
filters and a frozen header, and an SDKs sheet. Binary: written to a file, never to a terminal."""
from __future__ import annotations

import io

from ..report import Report
from .rows import finding_rows, headers, summary_rows


class XlsxFormat:
    name = "xlsx"
    binary = True

    def render(self, report: Report, lang: str = "en") -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
        zh = lang == "zh"
        wb = Workbook()
        summary = wb.active
        summary.title = "结论" if zh else "Summary"
        for row in summary_rows(report, lang):
            summary.append(row)
        summary["A1"].font = summary["B1"].font = Font(bold=True)
        summary.column_dimensions["A"].width = 18
        summary.column_dimensions["B"].width = 100

        sheet = wb.create_sheet("问题" if zh else "Findings")
        sheet.append(headers(lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        red = PatternFill("solid", fgColor="FDECEA")
        for row in finding_rows(report, lang):
            sheet.append(row)
            if row[1] == "violation" and not row[2]:
                for cell in sheet[sheet.max_row]:
                    cell.fill = red
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for col, width in zip("ABCDEFGHIJKLM", (8, 10, 10, 20, 26, 22, 18, 70, 8, 12, 50, 40, 60)):
            sheet.column_dimensions[col].width = width

        sdks = wb.create_sheet("SDK")
        sdks.append(["id", "名称" if zh else "name", "已声明" if zh else "declared", "packages"])
        for cell in sdks[1]:
            cell.font = Font(bold=True)
        for s in report.sdks:
            sdks.append([s.id, s.name, s.declared, ", ".join(s.packages)])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


FORMAT = XlsxFormat()
