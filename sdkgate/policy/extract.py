"""From policy blocks to SDK records, permission finds and the entries that are no row.

The blocks become an outline (`outline.py`); headings set the context (an SDK list, a permission list), and
each kind of shape has its reader: tables (`tables.py`), list items / numbered blocks / key：value records
(`entries.py`), prose (`prose.py`). Mapping records to catalogue ids is `sdkmatch`'s job, the draft's rows
`draft.py`'s. Every entry under an SDK-list heading ends as a row or in `Extraction.unparsed`.
"""
from __future__ import annotations

import re

from .appinfo import app_identity
from .blocks import Document
from .entries import EntryReader, sdk_list_heading
from .outline import Node, build_outline
from .records import Extraction
from .sdkmatch import AliasIndex
from .sink import Ctx, Sink, app_key

_PERM_HEADING = re.compile(r"权限|permissions?\b", re.I)


def heading_ctx(text: str, ctx: Ctx) -> Ctx:
    """The context under a heading: an SDK list, a permission list, or neither (a sibling topic)."""
    t = re.sub(r"^#+\s*", "", text.strip())[:60]
    if _PERM_HEADING.search(t):
        return Ctx(t, False, True)
    if sdk_list_heading(t):
        return Ctx(t, True, False)
    # a sub-heading keeps the list it is under ("推送类" in an SDK list, "查看WLAN状态" in a permission list)
    return Ctx(t, ctx.sdk and not _topic_change(t), ctx.perm and not _topic_change(t))


def _topic_change(t: str) -> bool:
    """A sub-heading of an SDK list that is about something else (cookies, rights, contact)."""
    return bool(re.search(r"Cookie|权利|联系|未成年|存储|保护|更新|定义|cookie|rights|contact|children|retention|"
                          r"security|changes", t))


def extract(doc: Document, idx: AliasIndex) -> Extraction:
    sink = Sink(idx)
    name, name_line, pkg, pkg_line = app_identity(doc, idx)
    if name:
        sink.app_names.append(app_key(name))
    reader = EntryReader(sink)
    root = build_outline(doc.blocks, reader.is_title, reader.is_field_line)

    def on_heading(n: Node, ctx: Ctx) -> None:
        sub = heading_ctx(n.block.shown if n.block is not None else "", ctx)
        if n.block is not None:
            if ctx.sdk and sub.sdk:
                sink.use(n.block)           # a sub-heading of the list ("推送类")
            # a permission named in a heading ("存储权限"); under a permission heading the list goes on
            sink.text_permissions(n.block, Ctx(sub.section, False, ctx.perm))
        reader.content(n.content, sub, None, on_heading)

    reader.content(root.content, Ctx(), None, on_heading)
    for r in sink.records:
        r.listed = any(id(b) in sink.candidates for b in r.blocks)
    # permissions named in the records of lists (tables say theirs as they are read)
    for r in sink.records:
        if r.permissions_text and r.origin in ("keyvalue", "entry"):
            sink.permissions(r.permissions_text, r.line, f"{r.name}: {r.purpose}".strip(": "), table_row=True)
    return Extraction(sink.records, sink.perms, sink.skipped, sink.unparsed(), name, name_line, pkg, pkg_line)
