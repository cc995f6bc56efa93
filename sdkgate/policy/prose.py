"""Prose that names SDKs or their vendors ("我们接入了网易易盾SDK…", "Google LLC (Firebase Analytics, AdMob)"):
a row only in an SDK context, never inside a negation ("We do NOT use Firebase or AdMob", "本应用未接入任何
广告SDK（如穿山甲）") — those are kept as comments, so the reviewer sees why no row came of them."""
from __future__ import annotations

import re

from .datatext import in_spans, negated_spans, sentences
from .document import Block
from .names import SDK_WORD
from .records import SdkRecord
from .sdkmatch import norm
from .sink import Ctx, Sink
from .terms import SDK_CONTEXT, kinds_in


def prose(sink: Sink, b: Block, ctx: Ctx) -> None:
    idx = sink.idx
    for sent in sentences(b.text):
        hits = idx.in_text(sent)
        vendor_hits = _vendor_names(sink, sent)
        if not hits and not vendor_hits:
            continue
        rest = sent
        for mt, _ in hits:
            rest = rest.replace(mt.alias, "")
        if not SDK_CONTEXT.search(rest) and not SDK_CONTEXT.search(ctx.section):
            continue
        neg = negated_spans(sent)
        for mt, pos in hits:
            if in_spans(pos, neg):
                sink.skipped.append((b.line, f"named in a negation, no row: {mt.alias} ({sent.strip()[:70]})"))
                continue
            if sink.is_app(mt.alias):
                continue
            rec = SdkRecord(b.line, "prose", name=mt.alias, purpose=ctx.section or sent[:60], data=sent,
                            section=ctx.section)
            rec.match = mt
            sink.records.append(rec)
        for written, mt, pos in vendor_hits:
            if in_spans(pos, neg):
                sink.skipped.append((b.line, f"named in a negation, no row: {written} ({sent.strip()[:70]})"))
                continue
            kind = idx.catalogue.sdks[mt.sdk_id].kind
            if kind not in kinds_in(sent) and not SDK_WORD.search(sent):
                sink.skipped.append((b.line, f"a company named in prose, not an SDK: {written} ({sent.strip()[:60]})"))
                continue
            rec = SdkRecord(b.line, "prose", name=written, vendor=written, purpose=ctx.section or sent[:60],
                            data=sent, section=ctx.section)
            rec.match = mt
            sink.records.append(rec)


def _vendor_names(sink: Sink, sent: str):
    out = []
    n = norm(sent)
    idx = sink.idx
    for v, base in idx.vendors.items():
        if len(v) >= 6 and re.search(r"公司|inc|ltd|llc|gmbh|有限", v) and v in n:
            mt = idx._resolve_vendor(base, sent, v)
            written, pos = _written(sent, v)
            out.append((written, mt, pos))
    return out


def _written(sent: str, normalised: str) -> tuple[str, int]:
    """The vendor name as the sentence writes it (with its brackets and spaces), and where."""
    rx = r"[\s（）()·]*".join(re.escape(c) for c in normalised[:60])
    m = re.search(rx, sent, re.I)
    return (m.group(0), m.start()) if m else (normalised, 0)
