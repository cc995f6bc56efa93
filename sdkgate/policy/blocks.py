"""A privacy policy as blocks (the model every reader produces): paragraphs, headings, list items, table rows,
code, each with its line number and what the outline needs (marker family, number, indentation, gap)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

@dataclass
class Block:
    line: int                       # 1-based line in the source file (PDF: line of the extracted text)
    text: str                       # the block's text (table rows: cells joined with " | "; items: marker removed)
    cells: list[str] = field(default_factory=list)   # table rows only
    table: int = -1                 # table number (rows of one table share it)
    heading: bool = False
    span: int = 0                   # last source line of a paragraph joined from wrapped lines
    col: int = 0                    # HTML: column of the element (minified pages hold everything on one line)
    kind: str = "para"              # para | item | heading | row | code
    marker: str = ""                # item: the marker's family ("bullet", "num.", "clause", "cn、", "li", ...)
    number: str = ""                # item: the number as written ("1.2.1", "3", "二")
    indent: int = 0                 # item/para: indentation (text: columns; HTML: list depth)
    level: float = 0                # heading: 1-6 (Markdown #, HTML h1-h6), x.1-x.9 numbered sections, 7 plain
    bold: bool = False              # the whole line is bold (a title)
    gap: bool = True                # a blank line (or a block boundary) before it
    raw: str = ""                   # the line as written, marker included (for "not parsed" comments)

    @property
    def shown(self) -> str:
        return self.raw or self.text


@dataclass
class Document:
    path: str
    fmt: str                        # text | markdown | html | pdf
    blocks: list[Block]


_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\ufeff]")


def clean(text: str) -> str:
    """Markdown emphasis, links and odd spaces out; one line of plain text."""
    t = _CTRL.sub("", text.replace("\u3000", " ").replace("\xa0", " "))
    t = _LINK.sub(r"\1", t)
    if "\\" in t:
        t = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", t)      # Markdown escapes: "2\." is "2."
    t = t.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"[ \t]+", " ", t).strip()


_CUT = re.compile(r"(?<=[。！？!?；;])|(?<=[.]\s)")


def split_long(text: str, limit: int) -> list[str]:
    """A paragraph longer than `limit` in pieces cut at sentence ends (hard cuts when a sentence is longer):
    every later regex then runs on bounded text."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    cur = ""
    for piece in _CUT.split(text):
        while len(piece) > limit:
            if cur:
                out.append(cur)
                cur = ""
            out.append(piece[:limit])
            piece = piece[limit:]
        if len(cur) + len(piece) > limit:
            out.append(cur)
            cur = ""
        cur += piece
    if cur:
        out.append(cur)
    return [p for p in out if p.strip()]
