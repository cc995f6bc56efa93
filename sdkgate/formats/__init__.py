"""Output formats: one small interface, one module per format (console, json, junit, sarif, html, csv, xlsx, pdf)."""
from __future__ import annotations

import importlib
from typing import Protocol

from ..report import Report


class Format(Protocol):
    name: str
    binary: bool          # render() returns bytes (written to a file only)

    def render(self, report: Report, lang: str = "en") -> str | bytes: ...


MODULES = {"console": "console", "json": "json_", "junit": "junit", "sarif": "sarif", "html": "html",
           "csv": "csv_", "xlsx": "xlsx", "pdf": "pdf"}
SHEET_FORMATS = ("csv", "xlsx")        # take `reads=` (formats/reads.py) and, csv, `sheet=`


def get(name: str) -> Format:
    mod = importlib.import_module(f"sdkgate.formats.{MODULES[name]}")
    return mod.FORMAT


def render(report: Report, fmt: str, lang: str = "en", *, color: bool = False, quiet: bool = False,
           **sheet_options) -> str | bytes:
    """`color`/`quiet` concern the console only (a person at a terminal); files never get ANSI codes.
    `reads`/`sheet` concern the spreadsheets. Binary formats (xlsx, pdf) return bytes."""
    if fmt == "console":
        return get(fmt).render(report, lang, color=color, quiet=quiet)
    if fmt in SHEET_FORMATS:
        return get(fmt).render(report, lang, **{k: v for k, v in sheet_options.items() if v is not None})
    return get(fmt).render(report, lang)
