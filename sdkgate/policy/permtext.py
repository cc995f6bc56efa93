"""Permission text -> Android permissions: constants (typos normalised and flagged), vendor namespaces, and
the group names policies and app stores use ("存储", "读取设备通话状态和识别码"), which count only next to a
permission cue. Negated clauses, other platforms' sentences and iOS-only permissions ("本地网络") give none.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .datatext import in_spans, negated_spans, platform_only, sentences
from .terms import (HARMONY, IOS_ONLY_PERMISSIONS, KNOWN_PERMISSIONS, PERMISSION_CONTEXT, WHEN_AT_START,
                    WHEN_ON_FEATURE, permission_group_matchers, permission_groups_prefilter)


@dataclass
class PermissionFind:
    permission: str
    line: int
    purpose: str
    when: str | None
    how: str                        # explicit | constant | group | typo
    written: str
    note: str = ""


PERM_RX = re.compile(r"(?i)\b(andr?[oi]?[oi]?d|andorid|andriod)\s*[.。．]?\s*(per?mi?s+i?on|premission|permision)s?\s*[.。．]\s*"
                     r"([A-Za-z_]{3,})")
_VENDOR_PERM_RX = re.compile(r"\b((?:com|cn)\.[a-z][\w]*(?:\.[a-z][\w]*)*\.permission\.[A-Z][A-Z0-9_]+)\b")
_CONST_RX = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(sorted(KNOWN_PERMISSIONS, key=len, reverse=True)) + r")(?![A-Za-z0-9_])")
_WEAK_GROUPS = {"电话", "通知", "notification", "notifications", "网络访问", "联网", "访问网络", "照片", "振动", "震动",
                "安装应用", "应用列表", "网络状态", "phone", "photos", "GPS", "蓝牙", "bluetooth", "internet access",
                "network access", "软件列表", "电话信息", "通话状态", "phone status", "phone state"}
_CUE = re.compile(r"权限|授权|允许|permissions?|access to|allow|grant", re.I)
_CUE_AFTER = re.compile(r"权限", re.I)          # "存储权限": the group name comes before it
_CUE_BEFORE = re.compile(r"授权|允许", re.I)     # "授权我们获取您的位置": the group name comes after it
_FILLER = re.compile(r"[\s、，,和及与或/（）()“”\"'的您我们手机设备系统获取使用开启申请访问调用读取需要可能会以下包括等相关对该App应用本]|"
                     r"and|or|the|your|to|of|use|access|request|device|phone's", re.I)
_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪●◆■]\s*|[（(]?\d{1,3}[)）.、．]\s*|[①-⑳]\s*)")


def strip_mark(text: str) -> str:
    return _LIST_MARK.sub("", text, count=1).strip()


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
        groups = permission_group_matchers()
        for k in permission_groups_prefilter().candidates(rest):
            rest = groups[k][1].sub("", rest)
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


def when_of(text: str) -> str | None:
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
        plat = platform_only(sent) or ("ios" if IOS_ONLY_PERMISSIONS.search(sent) and not _android_named(sent) else None)
        if plat:
            if HARMONY.search(sent) or IOS_ONLY_PERMISSIONS.search(sent) or PERMISSION_CONTEXT.search(sent):
                skipped.append((line, f"{'HarmonyOS' if plat == 'harmony' else 'iOS'}-only, no Android "
                                      f"declaration: {sent.strip()[:80]}"))
            continue
        neg = negated_spans(sent)
        when = when_of(when_text if when_text is not None else sent)
        # iOS-only permission names inside an Android sentence are not Android groups
        taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in IOS_ONLY_PERMISSIONS.finditer(sent)]
        why = purpose if purpose is not None else strip_mark(sent).strip()[:100]

        def add(perm, pos, how, written, note=""):
            if in_spans(pos, neg):
                return
            finds.append(PermissionFind(perm, line, why, when, how, written, note))

        for m in PERM_RX.finditer(sent):
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
        groups = permission_group_matchers()
        for k in permission_groups_prefilter().candidates(sent):
            phrase, rx, perms = groups[k]
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


def _android_named(sent: str) -> bool:
    """An Android permission written out: the sentence is Android's even if it names an iOS one too."""
    return bool(PERM_RX.search(sent) or re.search(r"Android|安卓", sent, re.I))
