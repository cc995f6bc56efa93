"""A privacy policy as blocks with line numbers: paragraphs, headings, list items, table rows, code (plain
text, Markdown, HTML, PDF). The extractors never see the source format, only blocks.

Each reader is bounded (`PolicyLimits`): the file's size before it is read, block length, HTML depth,
PDF pages/objects/inflated bytes/operators/time. A readable file without text is `NoTextError` (exit 3).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .blocks import Block, Document, clean, split_long
from .htmlblocks import html_blocks
from .pdftext import pdf_text
from .sourcefile import NoTextError, PolicyLimits, decode_text, read_bounded
from .textblocks import text_blocks

__all__ = ["Block", "Document", "NoTextError", "PolicyLimits", "clean", "read_document", "split_long"]


def read_document(path: str | Path, limits: PolicyLimits | None = None) -> Document:
    lim = limits or PolicyLimits()
    p = Path(path)
    data = read_bounded(p, lim)
    suffix = p.suffix.lower()
    if data[:5] == b"%PDF-" or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        doc = Document(str(p), "pdf", text_blocks(pdf_text(str(p), data, lim), markdown=False, limits=lim))
    elif suffix == ".pdf":
        raise InputError(str(p), None, "named .pdf but has no PDF header (%PDF-): not read")
    else:
        text = decode_text(data, str(p))
        head = text[:4000].lower()
        if suffix in (".html", ".htm", ".xhtml") or suffix not in (".md", ".markdown") and \
                any(t in head for t in ("<table", "<html", "<body", "<p>")):
            doc = Document(str(p), "html", html_blocks(text, lim))
        else:
            md = suffix in (".md", ".markdown")
            doc = Document(str(p), "markdown" if md else "text", text_blocks(text, markdown=True, limits=lim))
    if not any(re.search(r"\w", b.text) for b in doc.blocks if b.kind != "code"):
        raise NoTextError(str(p))
    return doc
