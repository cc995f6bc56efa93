"""From policy blocks to SDK records, data categories and permission rows.

SDK lists come in every shape: tables (any column order), `key：value` lines, numbered or bold
titles followed by such lines, one-line records, and prose that names SDKs or their vendors. Each
shape is read into the same `SdkRecord`; mapping to catalogue ids is `sdkmatch`'s job.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .document import Block, Document
from .sdkmatch import AliasIndex, norm
from .terms import (ANDROID_MENTION, IOS_SEGMENT, kinds_in, GENERIC_GUESS, HARMONY, IOS_ONLY, KNOWN_PERMISSIONS, PERMISSION_CONTEXT,
                    SDK_CONTEXT, WHEN_AT_START, WHEN_ON_FEATURE, category_matchers, field_of, generic_matcher,
                    negation_regex, permission_group_matchers)


@dataclass
class SdkRecord:
    line: int
    origin: str                     # table | keyvalue | prose
    name: str = ""
    vendor: str = ""
    purpose: str = ""
    data: str = ""
    packages: list[str] = field(default_factory=list)
    permissions_text: str = ""
    section: str = ""
    match: object = None            # sdkmatch.Match set by the caller (prose records come pre-matched)

    def empty(self) -> bool:
        return not (self.name or self.vendor)


@dataclass
class PermissionFind:
    permission: str
    line: int
    purpose: str
    when: str | None
    how: str                        # explicit | constant | group | typo
    written: str
    note: str = ""


@dataclass
class Extraction:
    records: list[SdkRecord]
    permissions: list[PermissionFind]
    skipped: list[tuple[int, str]]  # (line, why) platform-only or not-SDK text, kept as comments


# ----------------------------------------------------------------------------------------------- categories
_SENT_SPLIT = re.compile(r"(?<=[。！？!?；;])|\n|(?<=\.)\s+(?=[A-Z])")
_CONTRAST = re.compile(r"但|但是|而是|然而|仅会|只会|会收集|会获取|however|but|except|only|will collect|collects", re.I)
_NOT_DATA = re.compile(r"(问题|故障|错误|异常|崩溃)定位|定位(问题|故障|错误|原因|崩溃)|短信验证码|验证码短信|发送短信|"
                       r"短信通知|语音验证码|一键定位问题")


def sentences(text: str) -> list[str]:
    return [s for s in _SENT_SPLIT.split(text) if s and s.strip()]


def negated_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of a sentence that a negation governs: from the cue to a contrast word or the end."""
    spans = []
    for m in negation_regex().finditer(sentence):
        end = len(sentence)
        c = _CONTRAST.search(sentence, m.end())
        if c:
            end = c.start()
        spans.append((m.start(), end))
    return spans


def platform_only(text: str) -> str | None:
    """'ios' / 'harmony' when the text is about another platform only."""
    if HARMONY.search(text) and not ANDROID_MENTION.search(text):
        return "harmony"
    if IOS_ONLY.search(text) and not ANDROID_MENTION.search(text):
        return "ios"
    return None


def categories_in(text: str) -> tuple[list[str], list[str]]:
    """Category ids a data text states (negations and iOS-only sentences drop out) and guess notes."""
    found: list[str] = []
    notes: list[str] = []
    specific_dev = False
    generic_seen = False
    text = IOS_SEGMENT.sub(" ", text)
    for sent in sentences(text):
        if platform_only(sent):
            continue
        s = _NOT_DATA.sub(lambda m: " " * len(m.group(0)), sent)
        neg = negated_spans(s)
        taken: list[tuple[int, int]] = []
        for cid, rx in category_matchers():
            for m in rx.finditer(s):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                if any(a <= m.start() < b for a, b in neg):
                    continue
                if cid not in found:
                    found.append(cid)
                if cid.startswith("device_id.") and cid != "device_id.phone_number":
                    specific_dev = True
        g = generic_matcher().search(s)
        if g and not any(a <= g.start() < b for a, b in neg):
            generic_seen = True
    if generic_seen and not specific_dev:
        for cid in GENERIC_GUESS:
            if cid not in found:
                found.append(cid)
        notes.append("'设备标识符 / device identifiers' named without which: "
                     + ", ".join(GENERIC_GUESS) + " assumed")
    return found, notes


# ----------------------------------------------------------------------------------------------- permissions
_PERM_RX = re.compile(r"(?i)\b(andr?[oi]?[oi]?d|andorid|andriod)\s*[.。．]?\s*(per?mi?s+i?on|premission|permision)s?\s*[.。．]\s*"
                      r"([A-Za-z_]{3,})")
_VENDOR_PERM_RX = re.compile(r"\b((?:com|cn)\.[a-z][\w]*(?:\.[a-z][\w]*)*\.permission\.[A-Z][A-Z0-9_]+)\b")
_CONST_RX = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(sorted(KNOWN_PERMISSIONS, key=len, reverse=True)) + r")(?![A-Za-z0-9_])")
_WEAK_GROUPS = {"电话", "通知", "notification", "notifications", "网络访问", "联网", "访问网络", "照片", "振动", "震动",
                "安装应用", "应用列表", "网络状态", "phone", "photos", "GPS", "蓝牙", "bluetooth", "internet access",
                "network access", "软件列表"}


_CUE = re.compile(r"权限|授权|允许|permissions?|access to|allow|grant", re.I)
_CUE_AFTER = re.compile(r"权限", re.I)          # "存储权限": the group name comes before it
_CUE_BEFORE = re.compile(r"授权|允许", re.I)     # "授权我们获取您的位置": the group name comes after it
_FILLER = re.compile(r"[\s、，,和及与或/（）()“”\"'的您我们手机设备系统获取使用开启申请访问调用读取需要可能会以下包括等相关对该App应用本]|"
                     r"and|or|the|your|to|of|use|access|request|device|phone's", re.I)


def _near_cue(sent: str, start: int, end: int, cues: list[tuple[int, int]]) -> bool:
    """A group name counts only next to a permission cue, with only other group names and filler between
    ("授权我们获取您的麦克风、存储、相机权限"), not anywhere in a long sentence that says 权限 once."""
    for a, b in cues:
        between = sent[end:a] if a >= end else sent[b:start] if b <= start else ""
        if a < end and b > start:
            return True
        cue = sent[a:b]
        if _CUE_AFTER.fullmatch(cue) and a < end or _CUE_BEFORE.fullmatch(cue) and b > start:
            continue
        rest = between
        for _p, rx, _perms in permission_group_matchers():
            rest = rx.sub("", rest)
        rest = _FILLER.sub("", rest)
        if len(rest) <= 4 and len(between) <= 60:
            return True
    return False


def normalise_permission(const: str) -> tuple[str, str]:
    """(ANDROID_CONSTANT, note): exact, or the closest known constant with a note saying so."""
    c = re.sub(r"[^A-Za-z_]", "", const).upper()
    if c in KNOWN_PERMISSIONS:
        return c, ""
    close = difflib.get_close_matches(c, KNOWN_PERMISSIONS, n=1, cutoff=0.8)
    if close:
        return close[0], f"written '{const}', read as {close[0]}"
    return c, f"'{const}' is not an Android permission known to sdkgate"


def _when(text: str) -> str | None:
    if WHEN_AT_START.search(text):
        return "at_start"
    if WHEN_ON_FEATURE.search(text):
        return "on_feature"
    return None


def permissions_in(text: str, line: int, purpose: str | None, *, table_row: bool = False,
                   when_text: str | None = None) -> tuple[list[PermissionFind], list[tuple[int, str]]]:
    finds: list[PermissionFind] = []
    skipped: list[tuple[int, str]] = []
    for sent in ([text] if table_row else sentences(text)):
        plat = platform_only(sent)
        if plat:
            if HARMONY.search(sent) or re.search(r"NS\w*UsageDescription", sent) or PERMISSION_CONTEXT.search(sent):
                skipped.append((line, f"{'HarmonyOS' if plat == 'harmony' else 'iOS'}-only, no Android "
                                      f"declaration: {sent.strip()[:80]}"))
            continue
        neg = negated_spans(sent)
        when = _when(when_text if when_text is not None else sent)
        taken: list[tuple[int, int]] = []

        why = purpose if purpose is not None else _strip_mark(sent).strip()[:100]

        def add(perm, pos, how, written, note=""):
            if any(a <= pos < b for a, b in neg):
                return
            finds.append(PermissionFind(perm, line, why, when, how, written, note))

        for m in _PERM_RX.finditer(sent):
            const, note = normalise_permission(m.group(3))
            written = m.group(0)
            if not note and not re.fullmatch(r"android\.permission\.[A-Z_]+", written.replace(" ", "")):
                note = f"written '{written}', normalised"
            taken.append((m.start(), m.end()))
            add(f"android.permission.{const}", m.start(), "typo" if note else "explicit", written, note)
        for m in _VENDOR_PERM_RX.finditer(sent):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            add(m.group(1), m.start(), "explicit", m.group(1))
        for m in _CONST_RX.finditer(sent):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            add(f"android.permission.{m.group(1)}", m.start(), "constant", m.group(1))
        strong = table_row or re.search(r"权限|permission", sent, re.I)
        if not (strong or PERMISSION_CONTEXT.search(sent)):
            continue
        cues = [(c.start(), c.end()) for c in _CUE.finditer(sent)]
        for phrase, rx, perms in permission_group_matchers():
            if not strong and phrase in _WEAK_GROUPS:
                continue
            for m in rx.finditer(sent):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                if not table_row and not _near_cue(sent, m.start(), m.end(), cues):
                    continue
                taken.append((m.start(), m.end()))
                for p in perms:
                    add(p, m.start(), "group", m.group(0),
                        f"from the group name '{m.group(0)}'" + (f" (one of {len(perms)})" if len(perms) > 1 else ""))
    return finds, skipped


# ----------------------------------------------------------------------------------------------- SDK records
_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪●◆■]\s*|[（(]?\d{1,3}[)）.、．]\s*|[（(]?[一二三四五六七八九十]+[)）、.]\s*|"
                        r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*|[a-zA-Z][).、]\s+)")
_KV = re.compile(r"(?:^|(?<=[；;。，,\s|]))([^：:；;。，,\s《》（）()“”\[\]][^：:；;。，,\n《》“”()（）.]{0,17}?)\s*[：:]\s*")
_PKG_RX = re.compile(r"\b([a-z][a-z0-9_]*(?:\.[a-z0-9_]+){1,8})\b")
_SDK_WORD = re.compile(r"(?<![A-Za-z])(?:SDK|Kit|Library)(?![A-Za-z])|插件|组件|开发包|库", re.I)
_COMPANY = re.compile(r"(有限|股份|集团|责任)?公司$|公司[（(]|\b(Inc|Ltd|LLC|GmbH|Co|Corp|Limited|S\.?A|B\.?V)\.?$", re.I)
_GENERIC_TITLE = re.compile(r"^(第三方|合作方|android|ios|安卓|操作系统|系统|的|及|和|与|清单|目录|\s)*$", re.I)
_PERM_HEADING = re.compile(r"^[^，。,.;；:：|]{0,24}(权限|permissions?)[^，。,.;；|]{0,12}[：:]?$", re.I)
# what an SDK's name looks like: short, no sentence, no markup or template syntax
_NAME_SHAPE = re.compile(r"^(?![#$*>`{])(?!.*[{}<>`])(?!.*[。；;!?！？](?!$)).{1,50}$")
_ANY_KEY = re.compile(r"^[^：:，,。；;（）()]{1,12}[：:]")
_LIST_TITLE = re.compile(r"目录|清单|列表|一览|说明|附件|附录|以下|如下|\blist\b|\bappendix\b|\bannex\b|\btable\b", re.I)
_NOT_SDK = re.compile(r"合作方|合作伙伴|广告主|广告商|广告平台|运营商|系统服务|操作系统|关联公司|关联方|服务商|供应商|物流|快递|"
                      r"银行|政府|司法|机关|监管|律师|审计|partner|advertiser|carrier|affiliate|vendor of|authorities",
                      re.I)


def _strip_mark(text: str) -> str:
    return _LIST_MARK.sub("", text, count=1).strip()


def _packages(text: str) -> list[str]:
    out = []
    for m in _PKG_RX.finditer(text):
        p = m.group(1)
        if p.count(".") >= 1 and p.split(".")[0] in ("com", "cn", "net", "org", "io", "tv", "me", "okhttp3", "retrofit2",
                                                      "de", "bolts", "dalvik") or p.count(".") >= 2:
            if re.search(r"\.(com|cn|net|html?|org|io)$", p) and p.split(".")[0] not in ("com", "cn"):
                continue
            if "permission" in p or p.endswith((".com", ".cn", ".net")):
                continue
            out.append(p)
    return out


class _Builder:
    """Walks the blocks once; keeps the current section heading and the open key/value record."""

    def __init__(self, doc: Document, idx: AliasIndex):
        self.doc, self.idx = doc, idx
        self.records: list[SdkRecord] = []
        self.perms: list[PermissionFind] = []
        self.skipped: list[tuple[int, str]] = []
        self.section = ""
        self.open: SdkRecord | None = None
        self.title: tuple[int, str] | None = None
        self.label_finds: list[PermissionFind] = []
        self.run_items: list[tuple[int, str]] = []    # permissions of a bare label line, waiting for its explanation

    # -- records ------------------------------------------------------------------------------
    def close(self):
        r = self.open
        if r is not None and not r.empty() and self.plausible(r):
            self.records.append(r)
        self.open = None

    def plausible(self, r: SdkRecord) -> bool:
        """A key/value record is an SDK row when its name maps or says SDK, or it has a name and one more field."""
        if r.name and not _NAME_SHAPE.match(r.name):
            return False
        if r.packages or (r.name and (_SDK_WORD.search(r.name) or self.idx.by_name(r.name))):
            return True
        if r.vendor and self.idx.by_vendor(r.vendor):
            return True
        filled = sum(1 for v in (r.name, r.vendor, r.purpose, r.data) if v)
        return bool(r.name) and filled >= 2 or bool(r.vendor) and filled >= 3

    def set_field(self, rec: SdkRecord, fld: str, value: str):
        value = value.strip()
        if fld == "name" and _COMPANY.search(value) and not _SDK_WORD.search(value):
            fld = "vendor"          # "第三方名称：深圳市腾讯计算机系统有限公司" names the company
        if fld == "name":
            rec.name = rec.name or value
        elif fld == "vendor":
            rec.vendor = rec.vendor or value
        elif fld == "purpose":
            rec.purpose = (rec.purpose + "；" + value) if rec.purpose else value
        elif fld == "data":
            rec.data = (rec.data + "；" + value) if rec.data else value
        elif fld == "packages":
            rec.packages += _packages(value) or [value]
        elif fld == "permissions":
            rec.permissions_text = (rec.permissions_text + "；" + value) if rec.permissions_text else value

    def kv_pairs(self, text: str) -> list[tuple[str, str]] | None:
        """`key：value` pairs of a line whose keys are row-field labels, with any text before the first key."""
        marks = [(m.start(), m.end(), field_of(m.group(1))) for m in _KV.finditer(text)]
        marks = [m for m in marks if m[2]]
        if not marks:
            return None
        out = []
        lead = text[:marks[0][0]].strip(" ，,；;")
        if lead:
            out.append(("lead", lead))
        for i, (s, e, fld) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            out.append((fld, text[e:end].strip(" ，,；;")))
        return out

    def name_colon(self, b: Block, text: str) -> bool:
        """`友盟统计：用于统计分析，收集设备信息（IMEI）` - a list item led by an SDK's name."""
        m = re.match(r"^([^：:，,。；;]{2,30}?)\s*[：:]\s*(\S.*)$", text)
        if not m:
            return False
        name, rest = m.group(1).strip(), m.group(2).strip()
        if _LIST_TITLE.search(name) or not (self.idx.by_name(name) or _SDK_WORD.search(name)):
            return False
        self.close()
        self.title = None
        self.records.append(SdkRecord(b.line, "keyvalue", name=name, purpose=re.split(r"[，,；;。]", rest)[0][:80],
                                      data=rest, section=self.section))
        return True

    def is_run_item(self, b: Block) -> bool:
        if b.table >= 0 or b.heading or not _LIST_MARK.match(b.text):
            return False
        t = _strip_mark(b.text)
        bare = re.sub(r"[（(][^）)]*[）)]", "", t)
        return 0 < len(t) <= 40 and not re.search(r"[。；;：:，,]", bare) and not _LIST_TITLE.search(bare) \
            and not _PERM_HEADING.match(t) and not _GENERIC_TITLE.match(norm(bare))

    def flush_run(self):
        """A list of names: the ones that map (or say SDK) are rows; when most of the list maps, it is an
        SDK list and the rest are SDKs the catalogue lacks."""
        items, self.run_items = self.run_items, []
        if not items:
            return
        known = [bool(self.idx.by_name(n) or _SDK_WORD.search(n)) for _, n in items]
        sdk_list = sum(known) >= 2 and sum(known) * 2 >= len(items)
        for (line, name), k in zip(items, known):
            if k or sdk_list:
                self.records.append(SdkRecord(line, "keyvalue", name=name, section=self.section))

    def flush_title(self):
        """A title with nothing under it ("• Google Play Services" in a list of names) is a row by itself."""
        if self.title is not None and _NAME_SHAPE.match(self.title[1]) and \
                (self.idx.by_name(self.title[1]) or _SDK_WORD.search(self.title[1])):
            self.records.append(SdkRecord(self.title[0], "keyvalue", name=self.title[1], section=self.section))
        self.title = None

    def looks_like_title(self, text: str) -> bool:
        t = _strip_mark(text).rstrip("：: ")
        bare = re.sub(r"[（(][^）)]*[）)]", "", t).strip()
        if not t or len(t) > 50 or re.search(r"[。；;：:]", bare) or _LIST_TITLE.search(bare):
            return False
        if _GENERIC_TITLE.match(norm(bare)):
            return False
        had_mark = t != text.strip().rstrip("：:")
        return bool(_SDK_WORD.search(t) or (self.idx.by_name(t) and (had_mark or len(t) <= 20)))

    def keyvalue_block(self, b: Block) -> bool:
        text = _strip_mark(b.text)
        pairs = self.kv_pairs(text)
        if not pairs:
            return self.name_colon(b, text)
        fields = [f for f, _ in pairs if f != "lead"]
        lead = next((v for f, v in pairs if f == "lead"), "")
        # a line of prose with one incidental "目的：" is not a record; a record line names a row field
        # that only SDK lists use, or continues an open record
        if self.open is None and not lead and not ({"name", "vendor", "packages"} & set(fields)) and self.title is None:
            return False
        if lead and not (self.looks_like_title(lead) or _SDK_WORD.search(lead)) and self.open is None:
            if not ({"name", "vendor"} & set(fields)):
                return False
        name_vals = [v for f, v in pairs if f == "name" and not (_COMPANY.search(v) and not _SDK_WORD.search(v))]
        starts_new = (lead and self.looks_like_title(lead)) or bool(name_vals) and self.open is not None and self.open.name
        if self.open is not None and not starts_new:
            for f in fields:
                if f in ("vendor", "purpose", "data") and getattr(self.open, f) and f == fields[0] and f != "data":
                    starts_new = True if f == "vendor" and self.open.vendor else starts_new
        if starts_new or self.open is None:
            self.close()
            self.open = SdkRecord(b.line, "keyvalue", section=self.section)
            if self.title and not lead and not name_vals:
                self.open.name = self.title[1]
                self.open.line = self.title[0]
            self.title = None
        if lead and not self.open.name:
            self.open.name = lead.rstrip("：:")
        for f, v in pairs:
            if f == "lead":
                continue
            if f == "name" and self.open.name and v and v != self.open.name and v in name_vals[1:]:
                # a second record on the same line ("SDK名称：A；…；SDK名称：B；…")
                self.close()
                self.open = SdkRecord(b.line, "keyvalue", section=self.section)
            self.set_field(self.open, f, v)
        return True

    # -- tables -------------------------------------------------------------------------------
    def table(self, rows: list[Block]):
        # a caption row spanning the table ("第三方SDK列表" with colspan) is not the header
        while len(rows) > 1 and len({c for c in rows[0].cells if c}) <= 1 and len(rows[1].cells) >= 2 \
                and len({c for c in rows[1].cells if c}) >= 2:
            if rows[0].cells and any(rows[0].cells):
                self.section = rows[0].text[:60]
            rows = rows[1:]
        header = rows[0].cells
        fields = [field_of(c) for c in header]
        named = [f for f in fields if f]
        firsts = [field_of(r.cells[0]) for r in rows if len([c for c in r.cells if c]) == 2]
        if len([f for f in firsts if f]) >= max(2, int(len(rows) * 0.6)) and len(set(firsts) - {None}) >= 2:
            self._vertical_table(rows)
            return
        if len(named) >= 2 and ("name" in named or "vendor" in named) and \
                not ("permissions" in named and "name" not in named and "vendor" not in named):
            self._sdk_table(rows[1:], fields)
            return
        if "permissions" in named or any(_PERM_RX.search(r.text) for r in rows):
            self._permission_table(rows, fields if len(named) >= 2 else None)
            return
        # no header: rows whose first cell is a known SDK name
        for r in rows:
            if r.cells and _NAME_SHAPE.match(r.cells[0]) and len(r.cells[0]) <= 30 and self.idx.by_name(r.cells[0]):
                rec = SdkRecord(r.line, "table", name=r.cells[0], section=self.section)
                rec.data = " ".join(r.cells[1:])
                rec.purpose = rec.data[:80]
                self.records.append(rec)
            self.text_permissions(r)

    def _vertical_table(self, rows: list[Block]):
        """Label | value rows, one record per name label (several SDKs may follow in one table)."""
        for r in rows:
            cells = [c for c in r.cells if c]
            if len(cells) < 2:
                continue
            f = field_of(cells[0])
            if not f:
                continue
            if f == "name" and self.open is not None and self.open.name:
                self.close()
            if self.open is None:
                self.open = SdkRecord(r.line, "table", section=self.section)
            self.set_field(self.open, f, " ".join(cells[1:]).replace("\n", "、"))
            if f not in ("name", "vendor", "link", "packages"):
                self.text_permissions(Block(r.line, cells[1]))
        self.close()

    def _sdk_table(self, rows: list[Block], fields: list[str | None]):
        """One record per row. An empty name cell continues the SDK above (a merged cell); an empty
        vendor or purpose cell repeats the one above; several names in one cell are several SDKs."""
        prev: list[SdkRecord] = []
        prev_cells: dict[str, str] = {}
        for r in rows:
            cells = r.cells + [""] * (len(fields) - len(r.cells))
            if all(not c for c in cells):
                continue
            plat = platform_only(r.text)
            if plat:
                self.skipped.append((r.line, f"{'iOS' if plat == 'ios' else 'HarmonyOS'}-only, no Android row: "
                                             f"{r.text[:80]}"))
                continue
            base = SdkRecord(r.line, "table", section=self.section)
            names: list[str] = []
            row_cells: dict[str, str] = {}
            for f, c in zip(fields, cells):
                if not f or not c:
                    continue
                row_cells.setdefault(f, c)
                if f == "name":
                    names.append(c)
                elif f in ("data", "purpose", "permissions"):
                    self.set_field(base, f, c.replace("\n", "、"))
                else:
                    self.set_field(base, f, c.replace("\n", " "))
            unknown = [c for f, c in zip(fields, cells) if f is None and c]
            if unknown and not base.data:
                base.data = "；".join(unknown)
            if not names and prev:
                # merged name cell: more purposes/data of the SDK(s) above
                for rec in prev:
                    for f in ("purpose", "data", "permissions_text"):
                        v = getattr(base, f)
                        if v and v not in getattr(rec, f):
                            setattr(rec, f, (getattr(rec, f) + "；" + v) if getattr(rec, f) else v)
                    rec.packages += [p for p in base.packages if p not in rec.packages]
                continue
            if not base.vendor and "vendor" in fields and prev_cells.get("vendor") and \
                    (not base.purpose or self._same_vendor(prev, names)):
                # an empty vendor cell continues the one above when the row is of the same group
                base.vendor = prev_cells["vendor"].replace("\n", " ")
                row_cells["vendor"] = prev_cells["vendor"]
            if not base.purpose and "purpose" in fields and prev_cells.get("purpose"):
                base.purpose = prev_cells["purpose"].replace("\n", "、")
                row_cells["purpose"] = prev_cells["purpose"]
            prev_cells = row_cells
            name_cell = names[0] if names else ""
            parts = [p.strip() for p in re.split(r"\n|、|/(?=\S)", name_cell) if p.strip()] if name_cell else []
            mapped = [p for p in parts if self.idx.by_name(p)]
            prev = []
            if len(parts) > 1 and len(mapped) >= 2 and len(mapped) >= len(parts) - 1:
                for p in parts:
                    rec = SdkRecord(r.line, "table", name=p, vendor=base.vendor, purpose=base.purpose, data=base.data,
                                    packages=list(base.packages), permissions_text=base.permissions_text,
                                    section=self.section)
                    self.records.append(rec)
                    prev.append(rec)
            else:
                base.name = name_cell.replace("\n", " ")
                if not base.empty():
                    self.records.append(base)
                    prev = [base]
            if base.permissions_text:
                fs, sk = permissions_in(base.permissions_text, r.line,
                                        f"{(names[0] if names else base.vendor)}: {base.purpose}".strip(": "),
                                        table_row=True)
                self.perms += fs
                self.skipped += sk

    def _same_vendor(self, prev: list[SdkRecord], names: list[str]) -> bool:
        cat = self.idx.catalogue
        here = [self.idx.by_name(n) for n in names[:1]]
        there = [self.idx.by_name(r.name) for r in prev[:1]]
        if not (here and there and here[0] and there[0]):
            return False
        return cat.sdks[here[0].sdk_id].vendor == cat.sdks[there[0].sdk_id].vendor

    def _permission_table(self, rows: list[Block], fields):
        body = rows[1:] if fields else rows
        for r in body:
            purpose_cells = []
            perm_cells = []
            when_cells = []
            if fields:
                for f, c in zip(fields, r.cells):
                    if f == "permissions" and not perm_cells:
                        perm_cells.append(c)
                    elif f in ("purpose", "data", "permissions", "name"):
                        purpose_cells.append(c)
                    elif f == "when":
                        when_cells.append(c)
            else:
                perm_cells = r.cells[:1]
                purpose_cells = r.cells[1:]
            purpose = "；".join(c.replace("\n", " ") for c in purpose_cells if c)[:160]
            fs, sk = permissions_in(" ".join(perm_cells) or r.text, r.line, purpose, table_row=True,
                                    when_text=" ".join(when_cells + purpose_cells))
            if not fs and not sk:
                fs, sk = permissions_in(r.text, r.line, purpose, table_row=True)
            self.perms += fs
            self.skipped += sk

    # -- prose ----------------------------------------------------------------------------------
    def text_permissions(self, b: Block):
        # under a heading about permissions ("应用权限", "Permissions we request") a bare group label counts
        in_perm_section = bool(re.search(r"权限|permission", self.section, re.I)) and len(b.text) <= 80
        fs, sk = permissions_in(b.text, b.line, self.section or None, table_row=in_perm_section)
        if not fs and self.label_finds:
            # "查看WLAN状态" then "用于判断网络环境，App启动时申请。": the line after a label explains it
            for f in self.label_finds:
                f.purpose = _strip_mark(b.text)[:100]
                f.when = f.when or _when(b.text)
            self.label_finds = []
        else:
            self.label_finds = fs if in_perm_section and len(b.text) <= 30 else []
        self.perms += fs
        self.skipped += sk
        return len(fs)

    def prose(self, b: Block):
        for sent in sentences(b.text):
            hits = self.idx.in_text(sent)
            rest = sent
            for mt, _ in hits:
                rest = rest.replace(mt.alias, "")
            vendor_hits = self._vendor_names(sent)
            if not hits and not vendor_hits:
                continue
            if not SDK_CONTEXT.search(rest) and not SDK_CONTEXT.search(self.section):
                continue
            for mt, _pos in hits:
                rec = SdkRecord(b.line, "prose", name=mt.alias, purpose=self.section or sent[:60], data=sent,
                                section=self.section)
                rec.match = mt
                self.records.append(rec)
            for written, mt in vendor_hits:
                kind = self.idx.catalogue.sdks[mt.sdk_id].purpose
                if kind not in kinds_in(sent) and not _SDK_WORD.search(sent):
                    self.skipped.append((b.line, f"a company named in prose, not an SDK: {written} "
                                                 f"({sent.strip()[:60]})"))
                    continue
                rec = SdkRecord(b.line, "prose", name=written, vendor=written, purpose=self.section or sent[:60],
                                data=sent, section=self.section)
                rec.match = mt
                self.records.append(rec)

    def _vendor_names(self, sent: str):
        out = []
        n = norm(sent)
        for v, base in self.idx.vendors.items():
            if len(v) >= 6 and re.search(r"公司|inc|ltd|llc|gmbh|有限", v) and v in n:
                mt = self.idx._resolve_vendor(base, sent, v)
                out.append((self._written(sent, v), mt))
        return out

    @staticmethod
    def _written(sent: str, normalised: str) -> str:
        """The vendor name as the sentence writes it (with its brackets and spaces)."""
        chars = [c for c in normalised]
        rx = r"[\s（）()·]*".join(re.escape(c) for c in chars)
        m = re.search(rx, sent, re.I)
        return m.group(0) if m else normalised

    # -- main loop ------------------------------------------------------------------------------
    def run(self) -> Extraction:
        blocks = self.doc.blocks
        i = 0
        while i < len(blocks):
            b = blocks[i]
            if b.table >= 0:
                self.close()
                self.flush_title()
                self.flush_run()
                rows = [b]
                while i + 1 < len(blocks) and blocks[i + 1].table == b.table:
                    i += 1
                    rows.append(blocks[i])
                self.table(rows)
                i += 1
                continue
            text = b.text
            if b.heading or re.match(r"^\s*\d+(\.\d+)+\s*\S", text) and len(text) < 60 and not _KV.search(text):
                if not self.looks_like_title(text):
                    self.close()
                    self.flush_title()
                    self.flush_run()
                    if self.text_permissions(b) and re.search(r"权限|permission", self.section, re.I):
                        i += 1          # a permission label standing alone: the permission list goes on
                        continue
                    self.section = re.sub(r"^#+\s*", "", text.strip())[:60]
                    i += 1
                    continue
            if self.is_run_item(b) and (self.run_items or (i + 1 < len(blocks) and self.is_run_item(blocks[i + 1]))):
                # a bulleted list of bare names ("* Google Play Services", "* AdMob", ...)
                self.close()
                self.flush_title()
                self.run_items.append((b.line, _strip_mark(text).rstrip(" -–—").strip()))
                i += 1
                continue
            self.flush_run()
            if _PERM_HEADING.match(_strip_mark(text)):
                # "应用权限", "Permissions we request": a short line that opens the permission list
                self.close()
                self.flush_title()
                self.text_permissions(b)
                self.section = re.sub(r"^#+\s*", "", _strip_mark(text).strip())[:60]
                i += 1
                continue
            plat = platform_only(text)
            if plat and not (self.open and ANDROID_MENTION.search(text)):
                self.text_permissions(b)
                if self.open is None:
                    i += 1
                    continue
            if self.keyvalue_block(b):
                self.text_permissions(b)
                i += 1
                continue
            if self.looks_like_title(text) and not re.search(r"[，,。]", re.sub(r"[（(][^）)]*[）)]", "", text)):
                self.close()
                self.flush_title()
                self.title = (b.line, _strip_mark(text).rstrip("：: ").strip())
                i += 1
                continue
            if self.open is not None and _ANY_KEY.match(_strip_mark(text)):
                i += 1          # "客户端：安卓": a label the reader does not use, inside a record
                continue
            if self.title is not None:
                # a title followed by prose ("1、友盟SDK" then a sentence): the title is the record
                rec = SdkRecord(self.title[0], "keyvalue", name=self.title[1], section=self.section,
                                purpose=text[:80], data=text)
                self.records.append(rec)
                self.title = None
                self.text_permissions(b)
                i += 1
                continue
            self.close()
            self.prose(b)
            self.text_permissions(b)
            i += 1
        self.close()
        self.flush_title()
        self.flush_run()
        # permissions named in key/value records
        for r in self.records:
            if r.permissions_text and r.origin == "keyvalue":
                fs, sk = permissions_in(r.permissions_text, r.line, f"{r.name}: {r.purpose}".strip(": "), table_row=True)
                self.perms += fs
                self.skipped += sk
        return Extraction(self.records, self.perms, self.skipped)


def extract(doc: Document, idx: AliasIndex) -> Extraction:
    return _Builder(doc, idx).run()
