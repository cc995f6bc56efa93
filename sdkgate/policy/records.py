"""What extraction produces: SDK records (one per row the policy states), permission finds, and what was read
but not turned into a row — so the draft can account for every entry of an SDK list."""
from __future__ import annotations

from dataclasses import dataclass, field

from .permtext import PermissionFind


@dataclass
class SdkRecord:
    line: int
    origin: str                     # table | entry | keyvalue | prose
    name: str = ""
    vendor: str = ""
    purpose: str = ""
    data: str = ""
    packages: list[str] = field(default_factory=list)
    permissions_text: str = ""
    section: str = ""
    match: object = None            # sdkmatch.Match set by the caller (prose records come pre-matched)
    data_none: bool = False         # the row says "无" / "none": no categories, whatever else is said
    blocks: list = field(default_factory=list)   # the blocks this row was read from (accounting)
    listed: bool = False            # read from an entry under an SDK-list heading (a rejection is "not parsed")

    def empty(self) -> bool:
        return not (self.name or self.vendor)

    def add(self, fld: str, value: str, sep: str = "；") -> None:
        old = getattr(self, fld)
        if value and value not in old:
            setattr(self, fld, f"{old}{sep}{value}" if old else value)


@dataclass
class Unparsed:
    line: int
    text: str                       # the entry as written
    why: str


@dataclass
class Extraction:
    records: list[SdkRecord]
    permissions: list[PermissionFind]
    skipped: list[tuple[int, str]]  # (line, why) platform-only or not-SDK text, kept as comments
    unparsed: list[Unparsed] = field(default_factory=list)   # entries under SDK-list headings that are no row
    app_name: str = ""
    app_name_line: int = 0
    package: str = ""
    package_line: int = 0
