"""Blocks as a tree: headings hold what follows them, list items hold their nested items and the lines that
continue them, a line ending in a colon ("收集以下信息：") holds the list right after it.

Items nest by marker family and indentation, the way a reader sees an outline: an item of a family and indent
already open is a sibling of it, anything else is a child; a deeper clause number (1.2.1 under 1.2) is a
child; less indentation closes nested lists. A paragraph continues the open item when it is indented under
it, follows it without a gap, is a `key：value` line, or is the first line under a bare title; otherwise
it closes the list.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .blocks import Block

_ITEMISH = ("item", "title", "intro")
_SAYS_MORE = re.compile(r"[：:，,。；;]|\s[-–—]\s")


@dataclass(eq=False)
class Node:
    block: Block | None
    kind: str                                   # root | heading | item | title | intro
    parent: Node | None = None
    content: list = field(default_factory=list)   # Block | Node, in document order
    level: float = 0                            # heading level: 1-6 explicit, x.1-x.9 numbered sections, 7 plain

    @property
    def text(self) -> str:
        return self.block.text if self.block is not None else ""

    @property
    def indent(self) -> int:
        return self.block.indent if self.block is not None else -1

    def children(self) -> list[Node]:
        return [x for x in self.content if isinstance(x, Node)]

    def add(self, x) -> None:
        self.content.append(x)
        if isinstance(x, Node):
            x.parent = self

    def walk_blocks(self):
        """Every block under this node, its own head first."""
        if self.block is not None:
            yield self.block
        for x in self.content:
            if isinstance(x, Node):
                yield from x.walk_blocks()
            else:
                yield x


def _depth(b: Block) -> int:
    return b.number.count(".") + 1 if b.marker in ("clause", "(clause)") else 0


def _same_level(n: Node, b: Block, fam: str) -> bool:
    nb = n.block
    if nb is None or n.kind == "intro":
        return False
    nfam = "title" if n.kind == "title" else nb.marker
    return nfam == fam and abs(nb.indent - b.indent) <= 1 and _depth(nb) == _depth(b)


# item families that number sections ("一、", "（一）", "第三条", "1.2.1") rather than list entries
_SECTIONAL = ("cn、", "(cn)", "chapter", "clause", "(clause)")
_SENTENCE = re.compile(r"[。；;!?！？]|[：:]\s*\S")


def section_levels(blocks: list[Block], is_title: Callable[[Block], bool],
                   is_field_line: Callable[[str], bool]) -> None:
    """Short numbered section lines become headings ranked under the explicit heading above them, by the
    order their numbering family first appears there ("一、" 1, "1.1" 2, "1.1.1" 3 ...)."""
    explicit = 0.0
    ranks: dict[tuple[str, int], int] = {}
    for b in blocks:
        if b.kind == "heading" and b.level <= 6:
            explicit, ranks = float(b.level), {}
        elif b.kind == "item" and b.marker in _SECTIONAL and len(b.text) <= 50 and not _SENTENCE.search(b.text) \
                and b.text.strip() and not is_title(b) and not is_field_line(b.text):
            rank = ranks.setdefault((b.marker, _depth(b)), len(ranks) + 1)
            b.kind, b.heading, b.level = "heading", True, explicit + min(rank, 9) / 10


def build_outline(blocks: list[Block], is_title: Callable[[Block], bool],
                  is_field_line: Callable[[str], bool]) -> Node:
    """`is_title`: a line that names one SDK (an entry title, never a section); `is_field_line`: a
    `key：value` line whose key is a row field (使用目的：…)."""
    section_levels(blocks, is_title, is_field_line)
    root = Node(None, "root")
    stack: list[Node] = [root]

    def pop_items() -> None:
        while stack[-1].kind in _ITEMISH:
            stack.pop()

    for k, b in enumerate(blocks):
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        title = False
        if b.kind == "heading" and is_title(b):
            title = True
        elif b.kind == "para" and b.gap and nxt is not None and nxt.kind == "para" and is_title(b) \
                and is_field_line(nxt.text):
            title = True                # "Firebase Crashlytics" right above "Purpose: …"
        if b.kind == "heading" and not title:
            while len(stack) > 1 and not (stack[-1].kind == "heading" and stack[-1].level < b.level):
                stack.pop()
            node = Node(b, "heading", level=b.level)   # type: ignore[arg-type]
            stack[-1].add(node)
            stack.append(node)
            continue
        if b.kind == "item" or title:
            fam = "title" if title else b.marker
            # a sibling of an open item of the same family and indent; else a child of what is open
            for j in range(len(stack) - 1, 0, -1):
                if stack[j].kind not in _ITEMISH:
                    break
                if _same_level(stack[j], b, fam):
                    del stack[j:]
                    break
            else:
                pass
            while stack[-1].kind in _ITEMISH and stack[-1].block is not None and (
                    stack[-1].indent > b.indent + 1
                    # after a gap, at the same indentation, below an item that already has its lines: a sibling
                    or b.gap and stack[-1].kind != "intro" and abs(stack[-1].indent - b.indent) <= 1
                    and stack[-1].content
                    or fam == "clause" and stack[-1].block.marker == "clause" and _depth(stack[-1].block) >= _depth(b)
                    or fam == "title" and stack[-1].kind == "title"):
                stack.pop()
            node = Node(b, "title" if title else "item")
            stack[-1].add(node)
            stack.append(node)
            continue
        # paragraphs, code, table rows; less indented than an open nested list: that list ended
        while stack[-1].kind in _ITEMISH and stack[-1].block is not None and stack[-1].indent > b.indent + 1 \
                and (b.gap or b.kind == "row"):
            stack.pop()
        top = stack[-1]
        if top.kind in _ITEMISH and b.kind != "row":
            tb = top.block
            # right below an item that already says what it is ("- 极光SDK：推送"), a plain line is the text after
            # the list, not more of that item: its data must not become the last SDK's
            bare = top.kind in ("title", "intro") or is_title(tb) or not _SAYS_MORE.search(tb.text)
            keep = (b.indent > tb.indent + 1 or not b.gap and bare or is_field_line(b.text)
                    or (top.kind == "title" or is_title(tb)) and not top.content)
            if not keep:
                pop_items()
        elif top.kind in _ITEMISH and b.kind == "row" and b.gap and top.kind != "intro" and top.content \
                and not any(isinstance(x, Block) and x.kind == "row" for x in top.content[-1:]):
            pop_items()         # a table after a list with a gap is not part of the last item
        if b.kind == "para" and re.search(r"[：:]\s*$", b.text) and len(b.text) <= 120:
            node = Node(b, "intro")
            stack[-1].add(node)
            stack.append(node)
            continue
        stack[-1].add(b)
    return root
