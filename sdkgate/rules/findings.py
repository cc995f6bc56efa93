"""Collects findings while the engine streams: one finding per (rule, actor, category, key), bounded evidence."""
from __future__ import annotations

from ..events import Event
from ..report import EvidenceRef, Finding
from ..taxonomy import label
from .catalog import rule

EVIDENCE_CAP = 20


def short_method(smali: str) -> str:
    """`Lcom/a/Foo$Bar;->baz(I)V` -> `Foo$Bar.baz`: readable in messages, the full form stays in detail."""
    if "->" not in smali:
        return smali
    cls, member = smali.split("->", 1)
    simple = cls.strip("L;").rsplit("/", 1)[-1]
    return f"{simple}.{member.split('(', 1)[0].split(':', 1)[0]}"


class FindingSink:
    def __init__(self, cap: int = EVIDENCE_CAP):
        self._by_key: dict[tuple, Finding] = {}
        self.cap = cap

    def add(self, rid: str, ev: Event | None, *, actor: str | None, category: str | None,
            key: str = "", detail_en: str = "", detail_zh: str = "", severity: str | None = None,
            ref: str = "", detail: dict | None = None) -> Finding:
        process = ev.extra.get("process") if ev is not None else None
        k = (rid, actor, category, key, process)      # one finding per process the evidence came from
        f = self._by_key.get(k)
        if f is None:
            r = rule(rid)
            who = actor or "-"
            cat_en, cat_zh = label(category, "en"), label(category, "zh")
            en = f"{r.en}: {who}" + (f" / {cat_en}" if cat_en else "") + (f" ({detail_en})" if detail_en else "")
            zh = f"{r.zh}：{who}" + (f" / {cat_zh}" if cat_zh else "") + (f"（{detail_zh or detail_en}）" if (detail_zh or detail_en) else "")
            d = dict(detail or {})
            if detail_en:
                d["summary"] = detail_en
                d["summary_zh"] = detail_zh or detail_en
            f = Finding(rule=rid, severity=severity or r.severity, actor=actor, category=category,
                        message=en, message_zh=zh, clause=r.clause, detail=d, process=process)
            self._by_key[k] = f
        f.evidence_count += 1
        if ev is not None and len(f.evidence) < self.cap:
            f.evidence.append(EvidenceRef(ev.source, ev.seq, ev.t_ms, ref))
        return f

    def discard(self, rid: str, actor: str | None, category: str | None, key: str = "") -> None:
        for k in [k for k in self._by_key if k[:4] == (rid, actor, category, key)]:
            self._by_key.pop(k, None)

    def findings(self) -> list[Finding]:
        order = {"violation": 0, "warning": 1, "info": 2}
        return sorted(self._by_key.values(), key=lambda f: (order.get(f.severity, 3), f.rule, f.actor or "", f.category or "",
                                                          f.process or ""))
