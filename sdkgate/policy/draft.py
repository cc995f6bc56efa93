"""Draft manifest from a privacy policy: records -> SDK rows, finds -> permission rows, rendered as YAML
with the reviewer's comments (`# TODO`, `# check:`) and `source: {line: N}` on every row."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import default_catalogue
from .datatext import categories_in
from .document import PolicyLimits, read_document
from .extract import extract
from .names import NOT_SDK, SDK_WORD, packages_in
from .permtext import permissions_in
from .records import SdkRecord, Unparsed
from .render import render_draft
from .sdkmatch import Match, alias_index


@dataclass
class DraftSdk:
    id: str
    name: str
    vendor: str
    purpose: str
    categories: list[str]
    packages: list[str]
    permissions: list[str]
    line: int
    confidence: str                 # high | low
    notes: list[str] = field(default_factory=list)
    todo: str = ""                  # unlisted: what the reviewer must add


@dataclass
class DraftPermission:
    permission: str
    purpose: str
    when: str | None
    line: int
    confidence: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Draft:
    source: str
    fmt: str
    package: str | None
    app_name: str | None
    lang: str
    sdks: list[DraftSdk]
    permissions: list[DraftPermission]
    comments: list[tuple[int, str]]          # (line, text) entries kept out of the rows
    policy_version: str = ""
    consent: dict = field(default_factory=dict)   # accept texts, browse_mode, as the policy states them
    unparsed: list[Unparsed] = field(default_factory=list)   # SDK-list entries that are no row (`# check: not parsed`)
    stated: dict = field(default_factory=dict)    # "package"/"name" -> line, when read from the policy

    def summary(self) -> str:
        mapped = sum(1 for s in self.sdks if not s.id.startswith("unlisted_"))
        return (f"{self.source}: {len(self.sdks)} SDK rows found, {mapped} mapped to catalogue ids, "
                f"{len(self.sdks) - mapped} unmapped, {len(self.permissions)} permissions, "
                f"{len(self.unparsed)} SDK-list entries not parsed"
                + (" (see `# check: not parsed` in the draft)" if self.unparsed else "")
                + (f", {len(self.comments)} entries kept as comments" if self.comments else ""))

    def to_yaml(self) -> str:
        return render_draft(self)


def slug(name: str) -> str:
    from pypinyin import lazy_pinyin
    words = lazy_pinyin(re.sub(r"(?i)\bsdk\b|SDK", " ", name))
    s = re.sub(r"[^a-z0-9]+", "_", "_".join(words).lower()).strip("_")
    return (s[:40].rstrip("_") or "sdk")


def _is_not_sdk(rec: SdkRecord) -> bool:
    text = f"{rec.name} {rec.vendor}"
    return bool(NOT_SDK.search(text)) and not SDK_WORD.search(rec.name)


def _match(rec: SdkRecord, idx) -> Match | None:
    if rec.match is not None:
        return rec.match
    for p in rec.packages:
        m = idx.by_package(p) or idx.by_artifact(p)
        if m:
            return m
    m = idx.by_artifact(rec.name) if rec.name else None
    if m:
        return m
    hint = f"{rec.name} {rec.purpose}"
    m = idx.by_name(rec.name, rec.purpose) if rec.name else None
    if m and m.confidence == "high":
        return m
    mv = idx.by_vendor(rec.vendor, hint) if rec.vendor else None
    if mv is None and m is None and rec.name:
        mv = idx.by_vendor(rec.name, hint)          # a brand in the name: "快手SDK", "高德SDK"
    if m and mv and mv.sdk_id == m.sdk_id:
        return Match(m.sdk_id, "name", "high", m.alias)
    return m or mv


def draft_from_policy(path: str | Path, package: str | None = None, app_name: str | None = None,
                      lang: str = "zh", limits: PolicyLimits | None = None) -> Draft:
    doc = read_document(path, limits)
    cat = default_catalogue()
    idx = alias_index(cat)
    ex = extract(doc, idx)
    rows: dict[str, DraftSdk] = {}
    comments: list[tuple[int, str]] = [(ln, why) for ln, why in ex.skipped]
    unparsed = list(ex.unparsed)
    for rec in sorted(ex.records, key=lambda r: (r.origin == "prose", r.line)):
        if rec.empty():
            continue
        m = _match(rec, idx)
        if m is None and _is_not_sdk(rec):
            comments.append((rec.line, f"not an SDK, no row: {rec.name or rec.vendor}"
                                       + (f" ({rec.vendor})" if rec.vendor and rec.name else "")
                                       + (f" - {rec.purpose[:60]}" if rec.purpose else "")))
            if rec.listed:
                unparsed += [Unparsed(b.line, b.shown[:200], "not an SDK (a partner or company)") for b in rec.blocks[:1]]
            continue
        if m is None and rec.origin == "prose":
            continue
        cats, notes = ([], []) if rec.data_none else categories_in(rec.data or "")
        if m is not None:
            sid = m.sdk_id
            conf = m.confidence
            if m.note:
                notes.insert(0, m.note)
            todo = ""
        else:
            sid = "unlisted_" + slug(re.sub(r"[（(][^（()）]*[）)]", "", rec.name or rec.vendor) or rec.name or rec.vendor)
            rec.packages = rec.packages or packages_in(rec.name)
            conf = "low"
            todo = "not in the catalogue: add its `packages` (Java package prefixes) and `domains`"
        sdk = cat.sdks.get(sid)
        name = rec.name or (sdk.name if sdk else sid)
        vendor = rec.vendor or (sdk.vendor if sdk else "")
        purpose = rec.purpose or rec.section
        if rec.origin == "prose":
            notes.append(f"named in prose, not in an SDK list: {rec.data.strip()[:70]}")
        perms = []
        if rec.permissions_text:
            perms = sorted({f.permission for f in permissions_in(rec.permissions_text, rec.line, "", table_row=True)[0]})
        if sid in rows:
            row = rows[sid]
            for c in cats:
                if c not in row.categories:
                    row.categories.append(c)
            for p in rec.packages:
                if p not in row.packages:
                    row.packages.append(p)
            for p in perms:
                if p not in row.permissions:
                    row.permissions.append(p)
            if rec.origin != "prose" and rec.purpose and rec.purpose not in row.purpose:
                row.purpose = f"{row.purpose}；{rec.purpose}" if row.purpose else rec.purpose
            if rec.line != row.line:
                row.notes.append(f"also at line {rec.line}" + (f" ({rec.name})" if rec.name != row.name else ""))
            continue
        rows[sid] = DraftSdk(sid, name, vendor, purpose, cats, list(dict.fromkeys(rec.packages)), perms, rec.line,
                             conf, notes, todo)
    perms: dict[str, DraftPermission] = {}
    for f in sorted(ex.permissions, key=lambda f: f.line):
        conf = "low" if f.how in ("group", "typo") else "high"
        note = f.note
        if f.permission in perms:
            p = perms[f.permission]
            if f.when and not p.when:
                p.when = f.when
            if conf == "high" and p.confidence == "low":
                p.confidence, p.line = "high", f.line
                p.notes = [n for n in p.notes if not n.startswith("from the group")]
            if f.purpose and f.purpose not in p.purpose and len(p.purpose) < 120:
                p.purpose = f"{p.purpose}；{f.purpose}" if p.purpose else f.purpose
            continue
        notes = [note] if note else []
        if f.when is None:
            notes.append("when not stated (manifest default: on_feature)")
        perms[f.permission] = DraftPermission(f.permission, f.purpose, f.when, f.line, conf, notes)
    version = ""
    for b in doc.blocks[:80]:
        m = re.search(r"(?:^|政策|协议|指引|更新|本|policy\s*)(?:版本号?|Version)\s*[：:]?\s*([A-Za-z]{0,3}\s?\d[\w .\-]{0,20})",
                      b.text, re.I)
        if m:
            version = m.group(1).strip()
            break
    stated = {}
    if not package and ex.package:
        package, stated["package"] = ex.package, ex.package_line
    elif package and ex.package and ex.package != package:
        stated["other_package"] = (ex.package, ex.package_line)
    if not app_name and ex.app_name:
        app_name, stated["name"] = ex.app_name, ex.app_name_line
    unparsed = sorted({(u.line, u.text): u for u in unparsed}.values(), key=lambda u: (u.line, u.text))
    return Draft(str(path), doc.fmt, package, app_name, lang, list(rows.values()), list(perms.values()),
                 sorted(set(comments)), version, _consent(doc), unparsed, stated)


_ACCEPT = re.compile(r"(?:点击|勾选|选择|tap(?:ping)?|click(?:ing)?|select(?:ing)?)\s*[“\"「『\']([^”\"」』\']{1,16})[”\"」』\']", re.I)
_AGREE = re.compile(r"同意|接受|agree|accept|consent", re.I)
_BROWSE = re.compile(r"浏览」?\s*模式|仅浏览|基本功能模式|游客模式|browse[- ]only|browsing mode|browse mode|guest mode", re.I)


def _consent(doc) -> dict:
    """The consent button's text and a browse-only mode, when the policy says them."""
    accept: list[str] = []
    browse = False
    for b in doc.blocks:
        for m in _ACCEPT.finditer(b.text):
            label = m.group(1).strip()
            if _AGREE.search(label) and not re.search(r"不同意|拒绝|disagree|decline", label, re.I) and label not in accept:
                accept.append(label)
        if _BROWSE.search(b.text):
            browse = True
    return {"accept": accept[:3], "browse_mode": browse}
