"""HTML as blocks, read in one streaming pass (stdlib tokenizer, linear in the page, depth bounded).

Tables are flattened the way a reader sees them: `rowspan`/`colspan` cells repeat their value in every row and
column they cover; `<br>` and block elements separate values in a cell; a table nested in a cell is a table of
its own; a one-column (layout) table is read as paragraphs. List items carry their list depth; `<pre>` is code;
scripts, styles and the head are not text. Elements deeper than `html_max_depth` are read as text of the element
at the bound (30,000 nested tables are one paragraph, not 30,000 tables).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import groupby

from .blocks import Block, clean, split_long
from .sourcefile import PolicyLimits
from .textblocks import match_marker

_SPACE = re.compile(r"[ \t\r\n\f]+")
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "math", "select", "button"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source", "track", "wbr"}
_BLOCK = {"p", "div", "li", "dt", "dd", "caption", "blockquote", "section", "article", "header", "footer", "main",
          "nav", "aside", "ul", "ol", "dl", "pre", "hr", "figure", "figcaption", "address", "form", "details",
          "summary", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "br",
          "center", "body", "html", "title"}
# tags an open tag of the same name (or of the listed ones) closes implicitly, as browsers do
_AUTO_CLOSE = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
               "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1


@dataclass
class _Table:
    number: int
    rows: list[tuple[int, int, list[_Cell]]] = field(default_factory=list)   # (line, col, cells)
    cell: _Cell | None = None


def _int(v, default: int, top: int) -> int:
    try:
        return min(top, max(1, int(str(v).strip())))
    except (TypeError, ValueError):
        return default


class _Reader(HTMLParser):
    def __init__(self, lim: PolicyLimits):
        super().__init__(convert_charrefs=True)
        self.lim = lim
        self.blocks: list[Block] = []
        self.stack: list[str] = []
        self.over = 0                   # start tags beyond the depth bound, read as text
        self.skip = 0                   # inside script/style/head ...
        self.buf: list[str] = []
        self.buf_pos: tuple[int, int] | None = None
        self.bold_chars = 0
        self.all_chars = 0
        self.bold = 0
        self.tables: list[_Table] = []
        self.n_tables = 0
        self.lists: list[list[int]] = []     # open ul/ol: [item counter, 1 if ordered]
        self.item_pending: tuple[int, str] | None = None   # (depth, number) of an <li> whose text is not out yet

    # -- text ----------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        if "pre" not in self.stack:
            data = _SPACE.sub(" ", data)        # a newline in the source is a space; <br> and blocks break lines
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.text.append(data)
            return
        if self.buf_pos is None and data.strip():
            self.buf_pos = self.getpos()
        self.buf.append(data)
        n = len(data.strip())
        self.all_chars += n
        if self.bold:
            self.bold_chars += n

    def flush(self, kind: str | None = None, level: int = 0) -> None:
        text = "".join(self.buf)
        pos = self.buf_pos or self.getpos()
        bold = self.all_chars > 0 and self.bold_chars >= self.all_chars
        self.buf, self.buf_pos, self.bold_chars, self.all_chars = [], None, 0, 0
        lines = [clean(x) for x in text.split("\n")]
        lines = [x for x in lines if x]
        if not lines:
            return
        in_pre = "pre" in self.stack
        for k, ln in enumerate(lines):
            b = Block(pos[0], ln, col=pos[1] * 1000 + k, gap=True, raw=ln, bold=bold)
            if in_pre:
                b.kind = "code"
            elif kind == "heading":
                b.kind, b.heading, b.level = "heading", True, level
            elif self.item_pending is not None and k == 0:
                depth, num = self.item_pending
                mk = match_marker(ln)
                b.kind, b.indent, b.marker, b.number = "item", depth * 4, "li", num
                if mk:
                    b.text = ln[mk[2]:].strip() or ln
                    b.number = mk[1] or num
                self.item_pending = None
            else:
                mk = match_marker(ln)
                if mk and len(ln) > mk[2]:
                    # "<p>1. 第三方SDK名称：…</p>": a numbered paragraph is a list item of its marker's family
                    b.kind, b.marker, b.number, b.text = "item", mk[0], mk[1], ln[mk[2]:].strip()
            if b.kind != "item" and "li" in self.stack:
                b.indent = len(self.lists) * 4 + 2     # a paragraph inside a list item continues it
            for piece_no, piece in enumerate(split_long(b.text, self.lim.max_block_chars)):
                if piece_no == 0:
                    b.text = piece
                    self.blocks.append(b)
                else:
                    self.blocks.append(Block(pos[0], piece, col=pos[1] * 1000 + k, gap=False, indent=b.indent + 1))

    # -- tags ----------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skip:
            if tag in _SKIP and tag not in _VOID:
                self.skip += 1
            return
        if tag in _SKIP:
            self.skip = 1
            return
        if tag in _VOID:
            if tag == "br":
                self._newline()
            elif tag == "hr":
                self._boundary()
            return
        if len(self.stack) >= self.lim.html_max_depth:
            self.over += 1
            if tag in _BLOCK:
                self._newline()
            return
        close = _AUTO_CLOSE.get(tag)
        if close:
            # <p>a<p>b, <li>a<li>b, <td>a<td>b: the open one of the same kind ends here
            barrier = {"table"} if tag in ("tr", "td", "th") else {"ul", "ol", "table", "dl"}
            for k in range(len(self.stack) - 1, -1, -1):
                if self.stack[k] in barrier:
                    break
                if self.stack[k] in close:
                    while len(self.stack) > k:
                        self._end(self.stack[-1])
                    break
        self.stack.append(tag)
        a = dict(attrs)
        if tag in ("b", "strong"):
            self.bold += 1
        if tag in _BLOCK:
            self._boundary()
        if tag == "table":
            self.n_tables += 1
            self.tables.append(_Table(self.n_tables - 1))
        elif tag == "tr" and self.tables:
            ln, col = self.getpos()
            self.tables[-1].rows.append((ln, col, []))
            self.tables[-1].cell = None
        elif tag in ("td", "th") and self.tables:
            t = self.tables[-1]
            if not t.rows:
                ln, col = self.getpos()
                t.rows.append((ln, col, []))
            cell = _Cell(colspan=_int(a.get("colspan"), 1, self.lim.html_max_cols), rowspan=_int(a.get("rowspan"), 1, 500))
            if len(t.rows[-1][2]) < self.lim.html_max_cols:
                t.rows[-1][2].append(cell)
            t.cell = cell
        elif tag in ("ul", "ol"):
            self.lists.append([0, int(tag == "ol")])
        elif tag == "li":
            depth = len(self.lists)
            if self.lists:
                self.lists[-1][0] += 1
            num = str(self.lists[-1][0]) if self.lists and self.lists[-1][1] else ""
            self.item_pending = (max(depth, 1), num)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in _SKIP:
                self.skip -= 1
            return
        if self.over:
            self.over -= 1
            if tag in _BLOCK:
                self._newline()
            return
        if tag not in self.stack:
            if tag in _BLOCK:
                self._boundary()
            return
        while self.stack:
            top = self.stack[-1]
            self._end(top)
            if top == tag:
                break

    def _end(self, tag: str) -> None:
        self.stack.pop()
        if tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "title"):
            if self.tables and self.tables[-1].cell is not None:
                self._newline()
            else:
                self.flush("heading", 1 if tag == "title" else int(tag[1]))
            return
        if tag in ("td", "th") and self.tables:
            self.tables[-1].cell = None
        elif tag == "table" and self.tables:
            self._boundary()
            self._emit_table(self.tables.pop())
            return
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in _BLOCK:
            self._boundary()

    def _newline(self) -> None:
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.text.append("\n")
        else:
            self.buf.append("\n")

    def _boundary(self) -> None:
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.text.append("\n")
        else:
            self.flush()

    # -- tables --------------------------------------------------------------------------------
    def _emit_table(self, t: _Table) -> None:
        grid: list[tuple[int, int, list[str]]] = []
        pending: dict[int, tuple[str, int]] = {}      # column -> (text, rows left) from rowspan
        for ln, col0, cells in t.rows:
            row: list[str] = []
            col = 0
            it = iter(cells)
            cell = next(it, None)
            while (cell is not None or col in pending) and col < self.lim.html_max_cols:
                if col in pending:
                    txt, left = pending[col]
                    row.append(txt)
                    if left <= 1:
                        del pending[col]
                    else:
                        pending[col] = (txt, left - 1)
                    col += 1
                    continue
                txt = "\n".join(x for x in (clean(s) for s in "".join(cell.text).split("\n")) if x)
                txt = txt[:self.lim.max_block_chars]
                for _ in range(cell.colspan):
                    if cell.rowspan > 1:
                        pending[col] = (txt, cell.rowspan - 1)
                    row.append(txt)
                    col += 1
                cell = next(it, None)
            grid.append((ln, col0, row))
        if all(len({c for c in row if c}) <= 1 for _, _, row in grid):
            # a layout table (one column): its cells are paragraphs
            for ln, col0, row in grid:
                for k, txt in enumerate(x for x in row[:1] for x in x.split("\n") if x):
                    self.blocks.append(Block(ln, txt, col=col0 * 1000 + k, gap=True, raw=txt))
            return
        first = True
        for ln, col0, row in grid:
            if any(row):
                # a colspan cell repeats in the grid, once in the text
                text = " | ".join(k for k, _ in groupby(c.replace("\n", " / ") for c in row if c))
                self.blocks.append(Block(ln, text, row, t.number,
                                         col=col0 * 1000, kind="row", gap=first))
                first = False


def html_blocks(text: str, limits: PolicyLimits | None = None) -> list[Block]:
    r = _Reader(limits or PolicyLimits())
    r.feed(text)
    r.close()
    while r.stack:
        r._end(r.stack[-1])
    r.flush()
    while r.tables:
        r._emit_table(r.tables.pop())
    r.blocks.sort(key=lambda b: (b.line, b.col))
    _renumber_tables(r.blocks)
    return r.blocks


def _renumber_tables(blocks: list[Block]) -> None:
    """Table numbers in reading order (nested tables end first), contiguous rows sharing one number."""
    seen: dict[int, int] = {}
    for b in blocks:
        if b.table >= 0:
            b.table = seen.setdefault(b.table, len(seen))

