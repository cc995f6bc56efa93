"""Data text -> category ids at the precision the text says: specific phrases give children, a vague phrase
("设备信息", "device identifiers") gives the taxonomy's generic parent unless a parenthesis or colon right
after it says which; negated clauses and other platforms' sentences give nothing; "无"/"none" is no data."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from .terms import (ANDROID_MENTION, CATEGORY_PHRASES, GENERIC_PHRASES, HARMONY, IOS_ONLY, IOS_SEGMENT, Prefiltered,
                    category_matchers, may_negate, negation_regex, phrase_regex)

_SENT_SPLIT = re.compile(r"(?<=[。！？!?；;])|\n|(?<=\.)\s+(?=[A-Z])")
_CONTRAST = re.compile(r"但|但是|而是|然而|仅会|只会|会收集|会获取|仅收集|只收集|仅获取|只获取|仅读取|however|but|except|only|"
                       r"will collect|collects|receives", re.I)
_NOT_DATA = re.compile(r"(问题|故障|错误|异常|崩溃)定位|定位(问题|故障|错误|原因|崩溃)|短信验证码|验证码短信|发送短信|"
                       r"短信通知|语音验证码|一键定位问题")
NONE_DATA = re.compile(r"^\s*(?:无|没有|暂无|不涉及|不适用|不收集|无需收集|未收集|不收集(?:任何)?个人信息|无个人信息|"
                       r"none|n/?a|not applicable|no personal (?:data|information)(?: (?:is )?collected)?|nothing|"
                       r"[-—–/／]+)\s*[。.]?\s*$", re.I)
_OPEN = {"（": "）", "(": ")", "【": "】", "[": "]"}


def sentences(text: str) -> list[str]:
    return [s for s in _SENT_SPLIT.split(text) if s and s.strip()]


def negated_spans(sentence: str, cues: re.Pattern | None = None) -> list[tuple[int, int]]:
    """Spans of a sentence that a negation governs: from the cue to a contrast word or the end. Disjoint and
    sorted (overlapping scopes merged), found in one pass over cues and contrasts."""
    spans: list[tuple[int, int]] = []
    if not may_negate(sentence):
        return spans
    contrasts = [c.start() for c in _CONTRAST.finditer(sentence)]
    for m in (cues or negation_regex()).finditer(sentence):
        k = bisect_left(contrasts, m.end())
        end = contrasts[k] if k < len(contrasts) else len(sentence)
        if spans and m.start() <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((m.start(), end))
    return spans


def in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    """pos inside one of the sorted, disjoint spans (a binary search)."""
    k = bisect_right(spans, (pos, _FAR)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


_FAR = 1 << 62


def platform_only(text: str) -> str | None:
    """'ios' / 'harmony' when the text is about another platform only."""
    if HARMONY.search(text) and not ANDROID_MENTION.search(text):
        return "harmony"
    if IOS_ONLY.search(text) and not ANDROID_MENTION.search(text):
        return "ios"
    return None


def is_none(text: str) -> bool:
    """'无', 'None', 'N/A': the row says it collects nothing."""
    return bool(NONE_DATA.match(text or ""))


@lru_cache(maxsize=1)
def _matchers() -> list[tuple[str, re.Pattern, bool]]:
    """(category id, regex, generic?) longest phrase first: 'MAC地址' wins over 'MAC', '唯一设备识别码' (vague)
    over '设备识别码' (IMEI)."""
    rows = [(cid, rx, False, len(rx.pattern)) for cid, rx in category_matchers()]
    rows += [(gid, re.compile(phrase_regex(p), re.I), True, len(phrase_regex(p)))
             for gid, ps in GENERIC_PHRASES.items() for p in ps]
    rows.sort(key=lambda r: -r[3])
    return [(cid, rx, g) for cid, rx, g, _ in rows]


@lru_cache(maxsize=1)
def _prefilter() -> Prefiltered:
    phrases = [p for cid, ps in CATEGORY_PHRASES.items() for p in ps]
    phrases += [p for gid, ps in GENERIC_PHRASES.items() for p in ps]
    by_pattern = {phrase_regex(p): p for p in phrases}
    return Prefiltered([by_pattern.get(rx.pattern, rx.pattern) for _cid, rx, _g in _matchers()])


_SUCH_AS = re.compile(r"\s*(?:[,，]\s*)?(?:such as|including|like|e\.g\.|namely|包括|包含|例如|比如|如|即)\s*", re.I)


def _enumerated_after(s: str, end: int) -> bool:
    """A parenthesis, a colon or "such as / 包括" right after a phrase (after 信息/数据/等) says what it means."""
    k = end
    while k < len(s) and k - end < 4 and s[k] in " 　信息数据等类的":
        k += 1
    if k < len(s) and (s[k] in _OPEN or s[k] in "：:" and k + 1 < len(s) and s[k + 1:].strip() != ""):
        return True
    return bool(_SUCH_AS.match(s, k)) and _SUCH_AS.match(s, k).end() < len(s)


def categories_in(text: str) -> tuple[list[str], list[str]]:
    """Category ids a data text states (negations and other platforms drop out) and notes for the reviewer."""
    found: list[str] = []
    notes: list[str] = []
    if is_none(text):
        return found, notes
    generic: dict[str, str] = {}          # generic id -> the phrase as written
    text = IOS_SEGMENT.sub(" ", text)
    for sent in sentences(text):
        if platform_only(sent):
            continue
        s = _NOT_DATA.sub(lambda m: " " * len(m.group(0)), sent)
        neg = negated_spans(s)
        taken: list[tuple[int, int]] = []
        matchers = _matchers()
        for k in _prefilter().candidates(s):
            cid, rx, is_generic = matchers[k]
            for m in rx.finditer(s):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                if in_spans(m.start(), neg):
                    continue
                if is_generic:
                    if not _enumerated_after(s, m.end()):
                        generic.setdefault(cid, m.group(0))
                elif cid not in found:
                    found.append(cid)
    for gid, written in generic.items():
        if gid not in found:
            found.append(gid)
        notes.append(f"'{written}' does not say which: declared as the generic {gid} (covers every {gid}.*; "
                     "reports mark what it covers 'declared only generically')")
    return found, notes
