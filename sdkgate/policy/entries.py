"""SDK list entries that are not tables: list items (nested at any depth), numbered blocks whose data sits on
the lines after them ("1.2.1 “极光推送”" / "android版本：设备信息（IMEI…）"), titles with `key：value` lines,
one-line records ("SDK名称：A；使用目的：…"), and name-first items ("Google AdMob - for ads").

An entry's own lines, nested items, data lists and tables belong to it; a nested item that names another
SDK is an entry of its own; a group label ("推送类") only groups. Each entry under an SDK-list heading ends
as a row or is counted as not parsed (`Sink.candidate`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .datatext import is_none, platform_only
from .blocks import Block
from .names import (COMPANY, SDK_WORD, first_clause, is_data_term, is_group_label, name_shaped, split_head,
                    strip_number)
from .outline import Node
from .permtext import strip_mark
from .prose import prose
from .records import SdkRecord
from .sink import Ctx, Sink
from .tables import read_table, set_field
from .terms import ANDROID_MENTION, IOS_ONLY, PLATFORM_LABEL, field_of

_KV = re.compile(r"(?:^|(?<=[；;。，,\s|]))([^：:；;。，,\s《》（）()“”\[\]][^：:；;。，,\n《》“”()（）.]{0,17}?)\s*[：:](?!//)\s*")
_LIST_TITLE = re.compile(r"目录|清单|列表|一览|说明|附件|附录|以下|如下|\blist\b|\bappendix\b|\bannex\b|\btable\b", re.I)
_ANY_KEY = re.compile(r"^[^：:，,。；;（）()]{1,12}[：:]")
# a "key" that is the end of a sentence ("我们接入的第三方SDK如下："), not a row-field label
_NOT_LABEL = re.compile(r"我们|您|如下|以下|下列|包括|(?<![A-Za-z])(?:we|you|our|following|below|include)(?![A-Za-z])", re.I)
_COLLECTS = re.compile(r"^\s*(?:会|将|可能)?(?:收集|获取|读取|采集|调用|访问)|^\s*(?:it\s+)?(?:collects?|reads?|receives?|gets?)\b",
                       re.I)
_SDK_LIST = re.compile(r"SDK|插件|组件|开发包|第三方.{0,12}(?:清单|列表|目录|一览|如下|以下|名单|说明)|(?:接入|集成|嵌入)的?第三方|"
                       r"third[- ]?part(?:y|ies)[\w\s,-]{0,30}(?:list|services|sdks?|libraries|providers|partners|we use|"
                       r"we work)|(?:services|sdks|libraries|partners|providers|third parties) we (?:use|work)", re.I)
_PERM_HEADING = re.compile(r"权限|permissions?\b", re.I)


def kv_pairs(text: str) -> list[tuple[str, str]] | None:
    """`key：value` pairs of a line whose keys are row-field labels, with any text before the first key."""
    marks = [(m.start(), m.end(), None if _NOT_LABEL.search(m.group(1)) else field_of(m.group(1)), m.group(1))
             for m in _KV.finditer(text)]
    # "SDK名称：" is a label; "极光推送SDK：" is a name followed by what it does
    marks = [m[:3] for m in marks if m[2] and not (m[2] == "name" and not is_group_label(m[3]))]
    if not marks:
        return None
    out = []
    lead = text[:marks[0][0]].strip(" ，,；;")
    if lead:
        out.append(("lead", lead))
    for i, (_s, e, fld) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        out.append((fld, text[e:end].strip(" ，,；;")))
    return out


def sdk_list_heading(text: str) -> bool:
    return bool(_SDK_LIST.search(text)) and not _PERM_HEADING.search(text)


@dataclass
class _Seq:
    """The state of one run of lines under one parent: the record its `key：value` lines fill, a pending title."""
    open: SdkRecord | None = None
    blocks: list | None = None
    title: tuple[Block, str] | None = None


class EntryReader:
    def __init__(self, sink: Sink):
        self.sink = sink
        self.idx = sink.idx

    # -- shapes of a line ------------------------------------------------------------------------
    def is_title(self, b: Block) -> bool:
        return self.title_name(b.text) is not None

    def title_name(self, text: str) -> str | None:
        """The SDK name a short line stands for ("1、友盟SDK", "**数美**", "2.1 “极光推送”"), or None."""
        t = strip_number(strip_mark(text)).rstrip("：: ")
        bare = re.sub(r"[（(][^（()）]*[)）]", "", t).strip()
        if not t or len(t) > 50 or re.search(r"[。；;：:]", bare) or _LIST_TITLE.search(bare) or is_data_term(bare):
            return None
        name = split_head(t).name
        if not name or not name_shaped(name) or is_group_label(name):
            return None
        if self.idx.by_name(name) or (SDK_WORD.search(name) and not is_group_label(SDK_WORD.sub("", name))):
            return name
        return None

    def is_field_line(self, text: str) -> bool:
        """A `key：value` line that continues an entry ("使用目的：…", "android版本：…"), not one that starts a
        record ("SDK名称：…")."""
        t = strip_mark(text)
        if PLATFORM_LABEL.match(t):
            return True
        pairs = kv_pairs(t)
        return bool(pairs) and pairs[0][0] not in ("lead", "name")

    # -- a run of lines and nodes under one parent ------------------------------------------------
    def content(self, items: list, ctx: Ctx, entry: SdkRecord | None = None, on_heading=None) -> None:
        st = _Seq()
        nodes = [x for x in items if isinstance(x, Node) and x.kind in ("item", "title")]
        known = [self._known(n) for n in nodes]
        run_sdk = sum(known) >= 2 and sum(known) * 2 >= len(nodes)
        base, raised = ctx, False
        i = 0
        while i < len(items):
            x = items[i]
            if isinstance(x, Block) and x.kind == "row":
                rows = [x]
                while i + 1 < len(items) and isinstance(items[i + 1], Block) and items[i + 1].table == x.table:
                    i += 1
                    rows.append(items[i])
                ctx = read_table(self.sink, rows, ctx, st.open or entry)
            elif isinstance(x, Block) and x.kind == "code":
                if ctx.sdk:
                    self.sink.use(x)
            elif isinstance(x, Block):
                if raised and isinstance(items[i - 1], Node):
                    ctx, raised = base, False       # the list the lead-in opened has ended
                self.line(x, ctx, st, entry)
                if not ctx.sdk and entry is None and len(x.text) <= 200 and sdk_list_heading(x.text) \
                        and any(isinstance(y, Node) for y in items[i + 1:i + 2]):
                    # "Link to the privacy policy of third-party service providers used by the app" right
                    # above a list: the list is an SDK list
                    base, raised = ctx, True
                    ctx = Ctx(ctx.section, True, ctx.perm)
            elif x.kind == "heading":
                self.close(st, ctx)
                if on_heading is not None:
                    on_heading(x, ctx)
            else:
                self.node(x, ctx, st, entry, run_sdk, on_heading)
            i += 1
        self.close(st, ctx)

    def _known(self, n: Node) -> bool:
        h = split_head(n.text)
        return bool(h.name and (self.idx.by_name(h.name) or self.idx.by_artifact(h.name)
                                or SDK_WORD.search(h.name) and not is_group_label(h.name)))

    def close(self, st: _Seq, ctx: Ctx) -> None:
        r = st.open
        if r is not None and not r.empty() and self._plausible(r):
            self.sink.add_record(r, *(st.blocks or []))
        elif r is not None and ctx.sdk:
            for b in st.blocks or []:
                self.sink.candidate(b, "a key：value record without an SDK name")
        st.open, st.blocks = None, None
        if st.title is not None:
            b, name = st.title
            self.sink.add_record(SdkRecord(b.line, "keyvalue", name=name, section=ctx.section), b)
            st.title = None

    def _plausible(self, r: SdkRecord) -> bool:
        """A key/value record is an SDK row when its name maps or says SDK, or it has a name and one more field."""
        if r.name and not name_shaped(r.name):
            return False
        if r.packages or (r.name and (SDK_WORD.search(r.name) or self.idx.by_name(r.name))):
            return True
        if r.vendor and self.idx.by_vendor(r.vendor):
            return True
        filled = sum(1 for v in (r.name, r.vendor, r.purpose, r.data) if v)
        return bool(r.name) and filled >= 2 or bool(r.vendor) and filled >= 3

    # -- a paragraph -------------------------------------------------------------------------------
    def line(self, b: Block, ctx: Ctx, st: _Seq, entry: SdkRecord | None) -> None:
        text = b.text
        sink = self.sink
        if entry is not None and st.open is None and st.title is None:
            name = self.title_name(text)
            if name and name != entry.name and not re.search(r"[，,。]", text):
                st.title = (b, name)            # another SDK's title under this one: its lines are its own
                return
            pairs = kv_pairs(strip_mark(text))
            pm = PLATFORM_LABEL.match(strip_mark(text))
            if pm and field_of(pm.group(0)) == "other_platform":
                sink.use(b)             # "iOS版本：IDFA…": another platform's data
                return
            if pairs and not any(f == "name" and v and v != entry.name for f, v in pairs):
                for f, v in pairs:
                    if f == "lead":
                        entry.add("data", v)
                    elif f != "meta":
                        set_field(entry, f, v)
                sink.use(b)
                sink.text_permissions(b, ctx)
                return
            if not pairs and not _ANY_KEY.match(strip_mark(text)):
                # the entry's description: its purpose when none is stated, its data as the text says it
                if not entry.purpose:
                    entry.purpose = first_clause(strip_mark(text))
                entry.add("data", text)
                sink.use(b)
                sink.text_permissions(b, ctx)
                return
        plat = platform_only(text)
        if plat and not (st.open and ANDROID_MENTION.search(text)):
            sink.text_permissions(b, ctx)
            if st.open is None:
                return
        if self.keyvalue_block(b, ctx, st):
            sink.text_permissions(b, ctx)
            return
        name = self.title_name(text)
        if name and not re.search(r"[，,。]", re.sub(r"[（(][^（()）]*[)）]", "", text)):
            self.close(st, ctx)
            st.title = (b, name)
            return
        if st.open is not None and _ANY_KEY.match(strip_mark(text)):
            sink.use(b)         # "客户端：安卓": a label the reader does not use, inside a record
            return
        if st.title is not None:
            # a title followed by prose ("1、友盟SDK" then a sentence): the title is the record
            tb, tname = st.title
            sink.add_record(SdkRecord(tb.line, "keyvalue", name=tname, section=ctx.section, purpose=text[:80],
                                      data=text), tb, b)
            st.title = None
            sink.text_permissions(b, ctx)
            return
        self.close(st, ctx)
        prose(sink, b, ctx)
        sink.text_permissions(b, ctx)

    def keyvalue_block(self, b: Block, ctx: Ctx, st: _Seq) -> bool:
        text = strip_mark(b.text)
        pairs = kv_pairs(text)
        if not pairs:
            return self.name_colon(b, text, ctx, st)
        fields = [f for f, _ in pairs if f != "lead"]
        lead = next((v for f, v in pairs if f == "lead"), "")
        # a line of prose with one incidental "目的：" is not a record; a record line names a row field
        # that only SDK lists use, or continues an open record
        if st.open is None and not lead and not ({"name", "vendor", "packages"} & set(fields)) and st.title is None:
            return False
        if lead and not (self.title_name(lead) or SDK_WORD.search(lead)) and st.open is None:
            if not ({"name", "vendor"} & set(fields)):
                return False
        name_vals = [v for f, v in pairs if f == "name" and not (COMPANY.search(v) and not SDK_WORD.search(v))]
        starts_new = bool(lead and self.title_name(lead)) or bool(name_vals) and st.open is not None and bool(st.open.name)
        if st.open is not None and not starts_new:
            for f in fields:
                if f in ("vendor", "purpose", "data") and getattr(st.open, f) and f == fields[0] and f != "data":
                    starts_new = True if f == "vendor" and st.open.vendor else starts_new
        if starts_new or st.open is None:
            title = st.title
            st.title = None
            self.close(st, ctx)
            st.open, st.blocks = SdkRecord(b.line, "keyvalue", section=ctx.section), []
            if title and not lead and not name_vals:
                st.open.name = title[1]
                st.open.line = title[0].line
                st.blocks.append(title[0])
        if lead and not st.open.name:
            st.open.name = split_head(lead.rstrip("：:")).name or lead.rstrip("：:")
        st.blocks.append(b)
        for f, v in pairs:
            if f == "lead" or f == "meta":
                continue
            if f == "name" and st.open.name and v and v != st.open.name and v in name_vals[1:]:
                # a second record on the same line ("SDK名称：A；…；SDK名称：B；…")
                self.close(st, ctx)
                st.open, st.blocks = SdkRecord(b.line, "keyvalue", section=ctx.section), [b]
            set_field(st.open, f, v)
        return True

    def name_colon(self, b: Block, text: str, ctx: Ctx, st: _Seq) -> bool:
        """`友盟统计：用于统计分析，收集设备信息（IMEI）` - a line led by an SDK's name."""
        m = re.match(r"^([^：:，,。；;]{2,30}?)\s*[：:](?!//)\s*(\S.*)$", text)
        if not m:
            return False
        name, rest = m.group(1).strip(), m.group(2).strip()
        if _LIST_TITLE.search(name) or not (self.idx.by_name(name) or SDK_WORD.search(name)) or is_group_label(name):
            return False
        self.close(st, ctx)
        self.sink.add_record(SdkRecord(b.line, "keyvalue", name=split_head(name).name or name,
                                       purpose=first_clause(rest), data=rest, section=ctx.section), b)
        return True

    # -- a list item, a title, a lead-in ----------------------------------------------------------
    def node(self, n: Node, ctx: Ctx, st: _Seq, entry: SdkRecord | None, run_sdk: bool, on_heading) -> None:
        sink = self.sink
        h = n.block
        text = strip_mark(h.text)
        if not re.search(r"[^\W\d_]", text):
            sink.use(h)                             # "2." alone: a number, no entry
            self.content(n.content, ctx, entry, on_heading)
            return
        if ctx.sdk and n.kind != "intro":
            sink.candidate(h, "")
        target = st.open or entry
        pairs = kv_pairs(text)
        pm = PLATFORM_LABEL.match(text)
        lead_in = n.kind == "intro" and (not (pairs or pm) or target is None and not (pairs and pairs[0][0] == "name"))
        if lead_in:
            # a lead-in ("我们接入的第三方SDK如下：", "权限说明：") opens what follows
            sub = Ctx(ctx.section or text[:60], ctx.sdk or sdk_list_heading(text),
                      ctx.perm or bool(_PERM_HEADING.search(text)))
            if sub.perm:
                sub = Ctx(sub.section, False, True)
            self.close(st, ctx)
            if sdk_list_heading(text) or sub.perm:
                sink.use(h)
            else:
                self.line(h, ctx, _Seq(), None)
            self.content(n.content, sub, None, on_heading)
            return
        if pm or (pairs and pairs[0][0] not in ("lead", "name", "vendor")):
            # a field ("使用目的：…", "收集信息：" with its values nested under it) of the record above
            if target is None:
                if ctx.sdk:
                    sink.candidate(h, "a field without an SDK above it")
                self.line(h, ctx, _Seq(), None)       # "位置权限：用于…" in a permission list
                self.content(n.content, ctx, None, on_heading)
                return
            fld = (field_of(pm.group(0)) if pm else None) or (pairs[0][0] if pairs else "data")
            if fld == "other_platform":
                sink.use(*n.walk_blocks())
                return
            for f, v in pairs or [(fld, text[pm.end():] if pm else text)]:
                set_field(target, f, v) if f not in ("lead", "meta") else None
            values = [b.text for b in n.walk_blocks() if b is not h and b.kind != "row"]
            for v in values:
                set_field(target, fld if fld not in ("name", "vendor", "link", "meta", "packages") else "data", v)
            rows = [b for b in n.walk_blocks() if b.kind == "row"]
            if rows:
                read_table(sink, rows, ctx, target)
            sink.use(*n.walk_blocks())
            sink.text_permissions(h, ctx)
            return
        if pairs and pairs[0][0] in ("name", "vendor", "lead"):
            # "SDK名称：同盾；使用目的：…" with more lines nested under it
            sub = _Seq()
            if self.keyvalue_block(h, ctx, sub):
                rec = sub.open
                self.content(n.content, ctx, rec, on_heading)
                self.close(sub, ctx)
                return
        head = split_head(text)
        name = head.name
        if target is not None and name and is_data_term(text):
            target.add("data", text)            # "- 系统语言" in the data list of the entry above
            sink.use(*n.walk_blocks())
            return
        if name and sink.is_app(name):
            sink.candidate(h, "the app itself, not a third-party SDK")
            sink.skipped.append((h.line, f"the app itself, no SDK row: {name}"))
            self.content(n.content, ctx, None, on_heading)
            return
        known = bool(name and (self.idx.by_name(name) or self.idx.by_artifact(name)))
        if name and not known and is_data_term(name):
            if ctx.sdk:
                sink.candidate(h, "a data field, not an SDK")
            self.line(h, ctx, _Seq(), None)     # "Camera - to scan documents" under "Permissions"
            self.content(n.content, ctx, None, on_heading)
            return
        if name and not known and is_group_label(name):
            # "推送类", "统计分析类SDK": a group of entries
            sink.use(h)
            sink.text_permissions(h, ctx)           # "Location (precise) - …" under "Permissions"
            sub = Ctx(ctx.section, ctx.sdk or bool(SDK_WORD.search(name)), ctx.perm)
            self.close(st, ctx)
            self.content(n.content, sub, None, on_heading)
            return
        has_fields = bool(head.rest) or any(
            isinstance(x, Block) and self.is_field_line(x.text) or isinstance(x, Node) and self.is_field_line(x.text)
            for x in n.content)
        sdkish = known or (name and name_shaped(name) and (
            SDK_WORD.search(name) or COMPANY.search(name) and head.parens
            or (ctx.sdk and (has_fields or run_sdk))))
        if not sdkish:
            if ctx.sdk:
                why = "a data field, not an SDK" if name and is_data_term(name) else "no SDK name recognised"
                sink.candidate(h, why)
            self.line(h, ctx, _Seq(), None)       # its text may still name SDKs or permissions in prose
            self.content(n.content, ctx, None, on_heading)
            return
        self.close(st, ctx)
        self.entry(n, head, ctx, on_heading)

    def entry(self, n: Node, head, ctx: Ctx, on_heading) -> None:
        """One entry: the name from its first line, fields from the rest of the line, its brackets, its own
        lines and nested items; nested entries are rows of their own."""
        sink = self.sink
        h = n.block
        recs = [SdkRecord(h.line, "entry", name=head.name, section=ctx.section)]
        for p in head.parens:
            if IOS_ONLY.search(p) or re.fullmatch(r"(?i)\s*(仅|only)?\s*(ios|苹果)\s*(版|端|only)?\s*", p):
                sink.candidate(h, "iOS only")
                sink.skipped.append((h.line, f"iOS-only, no Android row: {h.text[:80]}"))
                sink.use(*[b for b in n.walk_blocks() if b is not h])
                return
            names = [x.strip() for x in re.split(r"[,，、/]| and ", p) if x.strip()]
            if COMPANY.search(head.name) and names and all(self.idx.by_name(x) for x in names):
                # "Google LLC (Firebase Analytics, AdMob)": the company's SDKs, one row each
                recs = [SdkRecord(h.line, "entry", name=x, vendor=head.name, section=ctx.section) for x in names]
            elif COMPANY.search(p) or (self.idx.by_vendor(p) and not self.idx.by_name(p)):
                recs[0].vendor = recs[0].vendor or p
            elif self.idx.by_name(p) or not p.strip():
                continue
            elif is_data_term(p) or is_none(p):
                recs[0].add("data", p)
            else:
                recs[0].add("purpose", p)
        if COMPANY.search(head.name) and len(recs) == 1 and not recs[0].vendor:
            recs[0].vendor = head.name          # the company names the row; the draft maps it by vendor
        rest = head.rest
        if rest:
            pairs = kv_pairs(rest)
            for rec in recs:
                if pairs:
                    for f, v in pairs:
                        if f == "lead":
                            rec.add("purpose", first_clause(v))
                            rec.add("data", v)
                        elif f != "meta":
                            set_field(rec, f, v)
                else:
                    if not (_COLLECTS.match(rest) or is_none(rest)):
                        rec.add("purpose", first_clause(rest))
                    rec.add("data", rest)
            sink.text_permissions(Block(h.line, rest), ctx)
        main = recs[0]
        self.content(n.content, ctx, main, on_heading)
        if len(recs) > 1:
            for rec in recs[1:]:
                rec.data, rec.purpose = rec.data or main.data, rec.purpose or main.purpose
        used = [b for b in n.walk_blocks() if id(b) in sink.used or b is h]
        for rec in recs:
            rec.data_none = rec.data_none or is_none(rec.data)
            sink.add_record(rec, *used)
