"""A privacy policy as blocks with line numbers: paragraphs, headings, table rows (plain text,
Markdown, HTML, PDF). The extractors never see the source format, only blocks.

HTML tables are flattened the way a reader sees them: `rowspan`/`colspan` cells repeat their value
in every row and column they cover; `<br>` separates values in a cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Block:
    line: int                       # 1-based line in the source file (PDF: line of the extracted text)
    text: str                       # the block's text (table rows: cells joined with " | ")
    cells: list[str] = field(default_factory=list)   # table rows only
    table: int = -1                 # table number (rows of one table share it)
    heading: bool = False
    span: int = 0                   # last source line of a paragraph joined from wrapped lines
    col: int = 0                    # HTML: column of the element (minified pages hold everything on one line)


@dataclass
class Document:
    path: str
    fmt: str                        # text | markdown | html | pdf
    blocks: list[Block]


_STARTS_ITEM = re.compile(r"^\s*([-*•·]\s|\(?\d{1,3}[)）.、．]|[①-⑳]|[^：:。.,，]{1,20}[：:])")
_MD_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s*(#{1,6}\s+|[一二三四五六七八九十]+[、.．]\s*|第[一二三四五六七八九十\d]+[条章节部分]|"
                      r"(附件|附录|Appendix|Annex)\s*[\d.]*|\d+(\.\d+)+\s+\S)")


def clean(text: str) -> str:
    """Markdown emphasis, links and odd spaces out; one line of plain text."""
    t = text.replace("\u3000", " ").replace("\xa0", " ").replace("\u200b", "")
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = t.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"[ \t]+", " ", t).strip()


def read_document(path: str | Path) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), None, "file not found") from None
    except OSError as exc:
        raise InputError(str(p), None, f"cannot read: {exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError(str(p), None, f"larger than {MAX_BYTES // (1024 * 1024)} MB: not a privacy policy")
    suffix = p.suffix.lower()
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        return Document(str(p), "pdf", _text_blocks(_pdf_text(p, data), markdown=False))
    text = _decode(data, str(p))
    head = text[:4000].lower()
    if suffix in (".html", ".htm", ".xhtml") or "<table" in head or "<html" in head or "<body" in head or "<p>" in head:
        return Document(str(p), "html", _html_blocks(text))
    md = suffix in (".md", ".markdown")
    return Document(str(p), "markdown" if md else "text", _text_blocks(text, markdown=True))


def _decode(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InputError(name, None, "not a text, HTML or PDF file (undecodable bytes)")


def _pdf_text(p: Path, data: bytes) -> str:
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - pdfminer.six is a dependency
        raise InputError(str(p), None, "PDF input needs pdfminer.six (pip install pdfminer.six)") from None
    import io
    try:
        return extract_text(io.BytesIO(data))
    except (PDFSyntaxError, Exception) as exc:  # noqa: BLE001 - any parser failure is bad input
        raise InputError(str(p), None, f"unreadable PDF: {type(exc).__name__}: {exc}") from None


def _split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    # "<br>" inside a Markdown cell separates values, as in HTML
    return ["\n".join(clean(x) for x in re.split(r"<br\s*/?>", c, flags=re.I) if clean(x)) for c in cells]


def _text_blocks(text: str, markdown: bool) -> list[Block]:
    """Lines of text/Markdown: `| a | b |` and tab-separated lines are table rows; blank lines end tables."""
    out: list[Block] = []
    table = -1
    in_table = False
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            in_table = False
            continue
        is_md_row = markdown and (line.lstrip().startswith("|") and line.count("|") >= 2 or line.count(" | ") >= 2)
        is_tab_row = "\t" in line.strip() and len([c for c in line.split("\t") if c.strip()]) >= 2
        if is_md_row or is_tab_row:
            if _MD_SEP.match(line):
                continue
            if not in_table:
                table += 1
                in_table = True
            cells = _split_row(line) if is_md_row else [clean(c) for c in line.split("\t")]
            out.append(Block(i, " | ".join(c for c in cells if c), cells, table))
            continue
        in_table = False
        t = clean(line)
        if not t:
            continue
        prev = out[-1] if out else None
        if (prev is not None and prev.table < 0 and not prev.heading and (prev.span or prev.line) == i - 1
                and len(prev.text) >= 40 and not re.search(r"[。.!?！？：:；;]$", prev.text)
                and not _STARTS_ITEM.match(line) and not _HEADING.match(line)):
            # a wrapped line of the same paragraph
            sep = " " if prev.text[-1:].isascii() and t[:1].isascii() else ""
            prev.text = prev.text + sep + t
            prev.span = i
            continue
        out.append(Block(i, t, heading=bool(_HEADING.match(line)) and len(t) < 60))
    # a short line standing alone between blank lines, with no sentence punctuation, is a heading
    for k, b in enumerate(out):
        if b.heading or b.table >= 0 or len(b.text) > 40 or b.span or re.search(r"[。.!?！？：:；;，,、|]", b.text):
            continue
        before = out[k - 1].span or out[k - 1].line if k else -1
        after = out[k + 1].line if k + 1 < len(out) else b.line + 2
        if before < b.line - 1 and after > b.line + 1 and not _STARTS_ITEM.match(b.text):
            b.heading = True
    return out


_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption", "pre", "blockquote", "div",
               "section", "article", "span", "td", "th"}


def _cell_text(cell) -> str:
    for br in cell.find_all("br"):
        br.replace_with("\n")
    for blk in cell.find_all(["p", "div", "li"]):
        blk.insert_after("\n")
    parts = [clean(x) for x in cell.get_text("").split("\n")]
    return "\n".join(x for x in parts if x)


def _html_blocks(text: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for bad in soup(["script", "style", "noscript", "template"]):
        bad.decompose()
    out: list[Block] = []
    tables = soup.find_all("table")
    for n, tbl in enumerate(tables):
        _table_rows(tbl, n, out)
    for t in tables:
        t.replace_with(soup.new_string(""))
    # leaf-like blocks: a block element whose text is not all inside child block elements
    for el in soup.find_all(list(_BLOCK_TAGS)):
        if el.name in ("td", "th"):
            continue
        if any(child.name in _BLOCK_TAGS - {"span"} for child in el.find_all(recursive=False)):
            own = "".join(s for s in el.find_all(string=True, recursive=False)).strip()
            if not own:
                continue
            txt = clean(own)
        else:
            if el.name == "span" and el.find_parent(list(_BLOCK_TAGS - {"span"})) is not None:
                continue
            for br in el.find_all("br"):
                br.replace_with("\n")
            lines = [clean(x) for x in el.get_text("").split("\n")]
            base = el.sourceline or 0
            for k, ln in enumerate(x for x in lines if x):
                out.append(Block(base, ln, col=(el.sourcepos or 0) + k,
                                 heading=el.name in ("h1", "h2", "h3", "h4", "h5", "h6") or bool(_HEADING.match(ln)) and len(ln) < 60))
            continue
        if txt:
            out.append(Block(el.sourceline or 0, txt, col=el.sourcepos or 0,
                             heading=el.name.startswith("h") and len(el.name) == 2))
    out.sort(key=lambda b: (b.line, b.col))
    return out


def _table_rows(tbl, n: int, out: list[Block]) -> None:
    """Rows of one HTML table with spans expanded (empty cells stay empty: the extractor knows which
    columns an empty cell continues from the row above)."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}      # column -> (text, rows left) from rowspan
    rows = [tr for tr in tbl.find_all("tr") if tr.find_parent("table") is tbl]
    for tr in rows:
        row: list[str] = []
        col = 0
        cells = tr.find_all(["td", "th"], recursive=False)
        it = iter(cells)
        cell = next(it, None)
        while cell is not None or col in pending:
            if col in pending:
                txt, left = pending[col]
                row.append(txt)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (txt, left - 1)
                col += 1
                continue
            txt = _cell_text(cell)
            span = _int(cell.get("colspan"), 1)
            rspan = _int(cell.get("rowspan"), 1)
            for _ in range(min(span, 50)):
                if rspan > 1:
                    pending[col] = (txt, min(rspan, 500) - 1)
                row.append(txt)
                col += 1
            cell = next(it, None)
        grid.append(row)
        if any(row):
            out.append(Block(tr.sourceline or 0, " | ".join(c.replace("\n", " / ") for c in row if c), row, n,
                             col=tr.sourcepos or 0))


def _int(v, default: int) -> int:
    try:
        return max(1, int(str(v).strip()))
    except (TypeError, ValueError):
        return default
