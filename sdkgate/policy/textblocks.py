"""Plain text and Markdown (and PDF text) as blocks: headings, list items with their marker family, number and
indentation, table rows (`| a | b |`, tab-separated), code (fenced or code-shaped lines), paragraphs.

Wrapped lines are joined into one paragraph only when the text is hard-wrapped (the line before reaches the
document's wrap width): three short lines naming three libraries stay three blocks.
"""
from __future__ import annotations

import re

from .blocks import Block, clean, split_long
from .sourcefile import PolicyLimits

_MD_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ANNEX = re.compile(r"^\s*(附件|附录|附表|Appendix|Annex|Schedule)\s*[\d一二三四五六七八九十A-Za-z.]*\s*[：:、.\-—]?\s*\S?", re.I)
_HTML_TAG = re.compile(r"</?(?:br|p|div|span|b|strong|i|em|u|font|a|sup|sub|small|details|summary|center)\b[^<>]{0,200}>",
                       re.I)
_CODE = re.compile(r"^\s*(?://|/\*|\*/|#include\b|#import\b|import\s+[\w.]+;?\s*$|package\s+[\w.]+;\s*$|"
                   r"(?:implementation|api|compile|classpath)\s*[(\"']|<\?xml|</?[a-zA-Z][\w.:-]*(?:\s+[\w.:-]+=|\s*/?>)|"
                   r"[\w.$]+\s*\([^()]*\)\s*;\s*$|[{}]\s*$|[\w.<>\[\]]+\s+\w+\s*=\s*new\s|"
                   r"(?:public|private|protected|static|final|void|val|var|let|const|def|return)\s+[\w<>\[\].]+)")

# list markers: (family, regex); the first that matches decides. Bullets other than -*+ need no space.
MARKERS: tuple[tuple[str, re.Pattern], ...] = (
    ("clause", re.compile(r"^(\d{1,3}(?:\.\d{1,3}){1,5})(?:[.、．](?!\d))?(?=\s|[^\d.%])\s*")),
    ("num.", re.compile(r"^(\d{1,3})\s*[.．](?!\d)\s*")),
    ("num、", re.compile(r"^(\d{1,3})\s*、\s*")),
    ("num)", re.compile(r"^(\d{1,3})\s*[)）]\s*")),
    ("(num)", re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]\s*")),
    ("(clause)", re.compile(r"^[（(]\s*(\d{1,3}(?:\.\d{1,3}){1,5})\s*[)）]\s*")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
    ("cn、", re.compile(r"^([一二三四五六七八九十百]{1,4})\s*[、.．]\s*")),
    ("(cn)", re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*")),
    ("chapter", re.compile(r"^(第[一二三四五六七八九十百\d]{1,4}[章节条部分]{1,2})\s*[：:、.]?\s*")),
    ("alpha", re.compile(r"^([a-hA-H])\s*[)）]\s*|^([a-hA-H])\.\s+(?=\S)")),
    ("bullet", re.compile(r"^([-*+])\s+|^([•·▪●◆■○◇□√✓➢►▶❖◎※])\s*")),
)


def match_marker(text: str) -> tuple[str, str, int] | None:
    """(family, number, length of the marker) of a list item's leading marker, or None."""
    for fam, rx in MARKERS:
        m = rx.match(text)
        if m:
            num = next((g for g in m.groups() if g), "")
            return fam, num, m.end()
    return None


_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


def display_width(s: str) -> int:
    """Columns a line takes (CJK and full-width characters take two)."""
    return len(s) + len(_WIDE.findall(s))


def _indent(line: str) -> int:
    n = 0
    for c in line:
        if c == " " or c == "\xa0":
            n += 1
        elif c == "\t":
            n += 4
        elif c == "\u3000":
            n += 2
        else:
            break
    return n


def _split_row(line: str, limit: int) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    cells = re.split(r"(?<!\\)\|", s)
    # "<br>" inside a Markdown cell separates values, as in HTML
    return ["\n".join(clean(x) for x in re.split(r"<br\s*/?>", c[:limit], flags=re.I) if clean(x)) for c in cells]


def _wrap_width(lines: list[str]) -> int:
    widths = sorted(display_width(x.strip()) for x in lines if x.strip() and "|" not in x)
    if len(widths) < 5:
        return 10 ** 9
    return widths[int(len(widths) * 0.9)]


def text_blocks(text: str, markdown: bool, limits: PolicyLimits | None = None) -> list[Block]:
    lim = limits or PolicyLimits()
    raw_lines = text.splitlines()
    wrap = _wrap_width(raw_lines)
    out: list[Block] = []
    table = -1
    in_table = False
    fence = None
    gap = True
    last_width = 0              # display width of the last physical line of the previous paragraph
    for i, raw in enumerate(raw_lines, 1):
        if len(raw) > 64 * lim.max_block_chars:
            raw = raw[:64 * lim.max_block_chars]       # a hostile line: what is beyond is not a policy
        line = raw.rstrip()
        if fence is not None or _FENCE.match(line):
            if _FENCE.match(line):
                fence = None if fence is not None else line.strip()[:3]
            if line.strip():
                out.append(Block(i, clean(line)[:lim.max_block_chars], kind="code", gap=gap))
            gap = False
            continue
        if not line.strip():
            in_table = False
            gap = True
            continue
        if markdown:
            line = re.sub(r"^(\s*)>\s?", r"\1", line)
        is_md_row = markdown and (line.lstrip().startswith("|") and line.count("|") >= 2 or line.count(" | ") >= 2)
        is_tab_row = "\t" in line.strip() and len([c for c in line.split("\t") if c.strip()]) >= 2
        if is_md_row or is_tab_row:
            if _MD_SEP.match(line):
                continue
            if not in_table:
                table += 1
                in_table = True
            cells = _split_row(line, lim.max_block_chars) if is_md_row else \
                [clean(c[:lim.max_block_chars]) for c in line.split("\t")]
            out.append(Block(i, " | ".join(c.replace("\n", " / ") for c in cells if c), cells, table, kind="row",
                             gap=gap, indent=_indent(line)))
            gap = False
            continue
        in_table = False
        if markdown and "<" in line:
            line = _HTML_TAG.sub(" ", line)
        ind = _indent(line)
        if _CODE.match(line):
            out.append(Block(i, clean(line)[:lim.max_block_chars], kind="code", gap=gap, indent=ind))
            gap = False
            continue
        bold = bool(re.fullmatch(r"\s*(?:[-*+]\s+)?\*\*[^*]{1,80}\*\*\s*[：:]?\s*", line))
        bullet = re.match(r"^\s*([-*+])\s+(?!\*\*[^*]*$)", line) if not bold else None
        mdh = _MD_HEADING.match(line) if markdown else None
        t = clean(line)
        if not t:
            continue
        prev = out[-1] if out else None
        if mdh:
            out.append(Block(i, clean(mdh.group(2)), kind="heading", heading=True, level=len(mdh.group(1)), gap=gap,
                             raw=t))
            gap = False
            continue
        mk = match_marker(t)
        if mk is None and bullet:
            mk = ("bullet", "", 0)
        if mk and mk[0] == "bullet" and bold:
            mk = None
        if mk:
            fam, num, n = mk
            body = t[n:].strip()
            b = Block(i, body, kind="item", marker=fam, number=num, indent=ind, gap=gap, raw=t, bold=bold)
            out.extend(_pieces(b, lim))
            last_width = display_width(line.strip())
            gap = False
            continue
        if _ANNEX.match(t) and len(t) < 60:
            out.append(Block(i, t, kind="heading", heading=True, level=1, gap=gap, raw=t))
            gap = False
            continue
        if (prev is not None and not gap and prev.kind in ("para", "item") and not prev.heading
                and last_width >= max(40, int(wrap * 0.85)) and ind <= prev.indent + 1
                and not re.search(r"[。.!?！？：:；;]$", prev.text) and not re.match(r"^[^：:，,。]{1,16}[：:]", t)):
            # a hard-wrapped line of the same paragraph
            sep = " " if prev.text[-1:].isascii() and t[:1].isascii() else ""
            prev.text = prev.text + sep + t
            prev.span = i
            last_width = display_width(line.strip())
            if len(prev.text) > lim.max_block_chars:
                out.pop()
                out.extend(_pieces(prev, lim))
            continue
        b = Block(i, t, kind="para", indent=ind, gap=gap, bold=bold, raw=t)
        out.extend(_pieces(b, lim))
        last_width = display_width(line.strip())
        gap = False
    _standalone_headings(out)
    return out


def _pieces(b: Block, lim: PolicyLimits) -> list[Block]:
    parts = split_long(b.text, lim.max_block_chars)
    if len(parts) <= 1:
        return [b]
    b.text = parts[0]
    rest = [Block(b.line, p, kind="para", indent=b.indent + 2, gap=False) for p in parts[1:]]
    return [b] + rest


def _standalone_headings(out: list[Block]) -> None:
    """A short line standing alone between blank lines, with no sentence punctuation, is a heading (level 7)."""
    for k, b in enumerate(out):
        if b.kind != "para" or len(b.text) > 40 or b.span or \
                re.search(r"[。.!?！？；;，,、|]", re.sub(r"\d\.\d", "", b.text.rstrip("：:"))):
            continue
        nxt = out[k + 1] if k + 1 < len(out) else None
        alone = nxt is None or nxt.gap
        # "Permissions" right above a long paragraph is that paragraph's heading too
        above = nxt is not None and nxt.kind == "para" and len(nxt.text) >= 40 and len(b.text) <= 30 \
            and not re.match(r"^[^：:，,。]{1,16}[：:]", nxt.text)
        if b.gap and (alone or above) and (b.bold or not re.search(r"[：:]", b.text)):
            b.kind, b.heading, b.level = "heading", True, 7
