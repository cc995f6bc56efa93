"""Prose that names SDKs or their vendors ("我们接入了网易易盾SDK…", "Google LLC (Firebase Analytics, AdMob)"):
a row only in an SDK context, never inside a negation ("We do NOT use Firebase or AdMob", "本应用未接入任何
广告SDK（如穿山甲）") — those are kept as comments, so the reviewer sees why no row came of them."""
from __future__ import annotations

import re

from .datatext import in_spans, negated_spans, sentences
from .blocks import Block
from .names import SDK_WORD
from .records import SdkRecord
from .sdkmatch import norm
from .sink import Ctx, Sink
from .terms import SDK_CONTEXT, kinds_in, sdk_negation_regex


_PURPOSE = re.compile(r"(?:用于|以便|为了)\s*([^，,。；;()（）]{2,40})|\b(?:[Tt]o|[Ff]or)\s+([a-z][^，,。；;()（）]{2,40})")


def prose(sink: Sink, b: Block, ctx: Ctx) -> None:
    idx = sink.idx
    sents = sentences(b.text)
    found = [(idx.in_text(s), _vendor_names(sink, s)) for s in sents]
    for i, sent in enumerate(sents):
        hits, vendor_hits = found[i]
        if not hits and not vendor_hits:
            continue
        # what the paragraph goes on to say about it ("…AppsFlyer…; it receives the advertising ID"), up to
        # the next sentence that names another SDK
        j = i + 1
        while j < len(sents) and not (found[j][0] or found[j][1]):
            j += 1
        data = "".join(sents[i:j]) if sents[i].endswith(("。", "；", ";", "！", "？")) else " ".join(sents[i:j])
        pm = _PURPOSE.search(sent)
        purpose = (pm.group(1) or pm.group(2)).strip() if pm else ""
        rest = sent
        for mt, _ in hits:
            rest = rest.replace(mt.alias, "")
        if not SDK_CONTEXT.search(rest) and not SDK_CONTEXT.search(ctx.section):
            continue
        neg = negated_spans(sent, sdk_negation_regex())
        for mt, pos in hits:
            if in_spans(pos, neg) and not _named_again(sent, mt.alias, neg):
                sink.skipped.append((b.line, f"named in a negation, no row: {mt.alias} ({sent.strip()[:70]})"))
                continue
            if sink.is_app(mt.alias):
                continue
            rec = SdkRecord(b.line, "prose", name=mt.alias, purpose=purpose or ctx.section or sent[:60], data=data,
                            section=ctx.section)
            rec.match = mt
            sink.records.append(rec)
        for written, mt, pos in vendor_hits:
            if in_spans(pos, neg):
                sink.skipped.append((b.line, f"named in a negation, no row: {written} ({sent.strip()[:70]})"))
                continue
            kind = idx.catalogue.sdks[mt.sdk_id].purpose
            if kind not in kinds_in(sent) and not SDK_WORD.search(sent):
                sink.skipped.append((b.line, f"a company named in prose, not an SDK: {written} ({sent.strip()[:60]})"))
                continue
            rec = SdkRecord(b.line, "prose", name=written, vendor=written, purpose=purpose or ctx.section or sent[:60],
                            data=data, section=ctx.section)
            rec.match = mt
            sink.records.append(rec)


def _named_again(sent: str, alias: str, neg: list[tuple[int, int]]) -> bool:
    """"Crash reports go to Bugsnag, but we don't use Bugsnag's sessions": one mention outside the negation."""
    start = 0
    while True:
        k = sent.find(alias, start)
        if k < 0:
            return False
        if not in_spans(k, neg):
            return True
        start = k + 1


def _vendor_names(sink: Sink, sent: str):
    out = []
    n = norm(sent)
    idx = sink.idx
    for v, base in idx.vendors_in(n):
        mt = idx._resolve_vendor(base, sent, v)
        written, pos = _written(sent, v)
        out.append((written, mt, pos))
    return out


def _written(sent: str, normalised: str) -> tuple[str, int]:
    """The vendor name as the sentence writes it (with its brackets and spaces), and where."""
    rx = r"[\s（）()·]*".join(re.escape(c) for c in normalised[:60])
    m = re.search(rx, sent, re.I)
    return (m.group(0), m.start()) if m else (normalised, 0)
