"""Collects findings while the engine streams: one finding per (rule, actor, category, key), bounded evidence."""
from __future__ import annotations

from typing import Callable

from ..events import Event
from ..report import EvidenceRef, Finding
from ..i18n import Msg, msg, tr
from ..taxonomy import label_msg
from .catalog import Rule, rule

EVIDENCE_CAP = 20


def short_method(smali: str) -> str:
    """`Lcom/a/Foo$Bar;->baz(I)V` -> `Foo$Bar.baz`: readable in messages, the full form stays in detail."""
    if "->" not in smali:
        return smali
    cls, member = smali.split("->", 1)
    simple = cls.strip("L;").rsplit("/", 1)[-1]
    return f"{simple}.{member.split('(', 1)[0].split(':', 1)[0]}"


def finding_message(r: Rule, actor: str | None, category: str | None, summary: str = "") -> Msg:
    """"<rule title>: <actor> / <data category> (<detail>)", each part in the report's language when rendered."""
    p = {"rule": r.title, "actor": actor or "-"}
    cat = label_msg(category)
    if cat and summary:
        return msg("{rule}: {actor} / {category} ({detail})", **p, category=cat, detail=summary)
    if cat:
        return msg("{rule}: {actor} / {category}", **p, category=cat)
    if summary:
        return msg("{rule}: {actor} ({detail})", **p, detail=summary)
    return msg("{rule}: {actor}", **p)


KEYS_PER_GROUP = 20       # distinct keys (hosts, permissions, reasons) per (rule, actor, category) listed one by one
DOMAINS_PER_GROUP = 20    # beyond KEYS_PER_GROUP, keys are folded per domain; beyond this, into one finding
MAX_FINDINGS = 2000       # findings in one report; beyond it, new ones fold into one per rule
EXAMPLES = 10             # keys named in an aggregated finding


def _domain(key: str) -> tuple[str, str]:
    """(domain, suffix) of a finding key like `h12.ads.example.com/warning`: hosts fold to their domain."""
    base, sep, suffix = key.partition("/")
    labels = base.lower().rstrip(".").split(".")
    if len(labels) < 2 or " " in base:
        return "*", sep + suffix
    n = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in ("com", "net", "org", "gov", "edu", "co", "ac") else 2
    return ".".join(labels[-n:]), sep + suffix


def _text(ref) -> str:
    """An evidence reference as text: a rule's deferred one, or a value from a hostile log (never trusted)."""
    return ref() if callable(ref) else str(ref)[:500]


class FindingSink:
    """Findings keyed by (rule, actor, category, key), bounded under any log: a group's first
    KEYS_PER_GROUP keys get a finding each, further keys are aggregated per domain (then into one),
    the report holds at most MAX_FINDINGS findings; every aggregate keeps the full event count."""

    def __init__(self, cap: int = EVIDENCE_CAP):
        self._by_key: dict[tuple, Finding] = {}
        self._full: dict[tuple, Finding] = {}   # findings of their own whose evidence list is full: only counted
        self._folds: dict[tuple, tuple] = {}    # key -> the aggregate it folds into (valid until a discard)
        self._full_folded: dict[tuple, Finding] = {}   # key -> its aggregate, when one more only counts
        self._keys4: set[tuple] = set()        # (rule, actor, category, key) of every finding, whatever its process
        self._group_keys: dict[tuple, int] = {}
        self._group_domains: dict[tuple, int] = {}
        self.cap = cap
        self.aggregated = 0        # events counted in aggregated findings
        self.on_add = None         # (rule, finding, event, actor) after each event counted (RunState: `confirmed`)
        self.needs_track = None    # (rule, finding) -> True while its `confirmed` may still depend on more events
        self.track_rules: frozenset = frozenset()   # the rules needs_track is asked about (RunState: STATE_RULES)
        self.settled: set[int] = set()             # id() of findings whose `confirmed` no later event changes

    def _fold(self, k: tuple) -> tuple | None:
        """The aggregate key a new finding key folds into, or None when it gets its own finding."""
        rid, actor, category, key = k[:4]
        if len(self._by_key) >= MAX_FINDINGS:
            return (rid, None, None, "*more findings*", None)
        process = k[4] if len(k) > 4 else None
        group = (rid, actor, category)
        n = self._group_keys.get(group, 0)
        if n < KEYS_PER_GROUP:
            self._group_keys[group] = n + 1
            return None
        domain, suffix = _domain(str(key))
        fk = (rid, actor, category, f"*{domain}*{suffix}", process)
        if fk not in self._by_key:
            d = self._group_domains.get(group, 0)
            if d >= DOMAINS_PER_GROUP:
                return (rid, actor, category, f"**{suffix}", process)
            self._group_domains[group] = d + 1
        return fk

    def add(self, rid: str, ev: Event | None, *, actor: str | None, category: str | None,
            key: str = "", summary: str = "", severity: str | None = None,
            ref: str = "", detail: dict | Callable[[], dict] | None = None) -> Finding:
        """Count `ev` under its finding, made on first use. `summary`: the rule-specific detail, a message
        (sdkgate/i18n.py) or an identifier (an API id); `summary`, `detail` and `ref` may be functions, called only
        when used (the finding is made, or its evidence list has room), so the millionth repeat costs one lookup."""
        process = ev.extra.get("process") if ev is not None else None
        if process is not None and process.__class__ is not str:
            process = _text(process)[:200]            # a hostile log's list or object: a key all the same
        k = (rid, actor, category, key, process)      # one finding per process the evidence came from
        f = self._by_key.get(k)
        if f is None:
            if len(self._by_key) >= MAX_FINDINGS:
                fk = (rid, None, None, "*more findings*", None)
            else:                       # a key folded once folds the same way while the report has room
                fk = self._folds.get(k)
                if fk is None:
                    fk = self._fold(k)
                    if fk is not None and len(self._folds) < 4096:       # the keys that repeat come early
                        self._folds[k] = fk
            if fk is not None:
                f = self._add_folded(fk, k, ev, actor, category, str(key), severity, ref)
                if self.on_add is not None:
                    self.on_add(rid, f, ev, actor)
                return f
            if callable(summary):
                summary = summary()
            if not isinstance(summary, str):
                summary = str(summary)[:500]
            r = rule(rid)
            message = finding_message(r, actor, category, summary)
            d = dict((detail() if callable(detail) else detail) or {})
            if summary:
                d["summary"] = summary
                d["summary_zh"] = tr(summary, "zh")
            f = Finding(rule=rid, severity=severity or r.severity, actor=actor, category=category,
                        message=message, message_zh=message.render("zh"), clause=r.clause, detail=d, process=process)
            self._by_key[k] = f
            self._keys4.add(k[:4])
            if len(self._by_key) == MAX_FINDINGS:
                self._full_folded.clear()       # from here on new keys fold into "more findings" instead
        f.evidence_count += 1
        if ev is not None and len(f.evidence) < self.cap:
            f.evidence.append(EvidenceRef(ev.source, ev.seq, ev.t_ms, ref if ref.__class__ is str else _text(ref)))
        elif ev is not None:
            self._full[k] = f
        if self.on_add is not None:
            self.on_add(rid, f, ev, actor)
        return f

    def hit(self, k: tuple) -> bool:
        """The hot path of a repeated finding: when `add` would only count one more event for the key
        k = (rule, actor, category, key, process) (the finding is its own and keeps no more evidence), count
        it and return True; else return False and let the rule call `add`."""
        f = self._full.get(k)
        folded = f is None
        if folded:
            f = self._full_folded.get(k)
            if f is None:
                return False
        if k[0] in self.track_rules and id(f) not in self.settled and self.needs_track(k[0], f):
            return False                # whether the finding is confirmed may still depend on this event
        if folded:
            self.aggregated += 1
        f.evidence_count += 1
        return True

    def _add_folded(self, fk: tuple, k: tuple, ev: Event | None, actor: str | None, category: str | None,
                    key: str, severity: str | None, ref) -> Finding:
        rid = k[0]
        r = rule(rid)
        sev = severity or r.severity
        f = self._by_key.get(fk)
        if f is None:
            scope = fk[3]
            what = (msg("more findings than a report lists one by one") if scope == "*more findings*" else
                    msg("more keys than listed one by one") if scope.startswith("**") else
                    msg("more under {domain}", domain=scope.split('*')[1]))
            message = finding_message(r, actor, category, msg("aggregated: {what}", what=what))
            f = Finding(rule=rid, severity=sev, actor=fk[1], category=fk[2], message=message,
                        message_zh=message.render("zh"), clause=r.clause, detail={"aggregated": True, "examples": []})
            self._by_key[fk] = f
            self._keys4.add(fk[:4])
            if len(self._by_key) == MAX_FINDINGS:
                self._full_folded.clear()
        if _SEVERITY_ORDER.get(sev, 3) < _SEVERITY_ORDER.get(f.severity, 3):
            f.severity = sev                   # an aggregate is as severe as the worst thing it holds
        if len(f.detail["examples"]) < EXAMPLES and key not in f.detail["examples"]:
            f.detail["examples"].append(key[:200])
        f.evidence_count += 1
        self.aggregated += 1
        if ev is not None and len(f.evidence) < self.cap:
            f.evidence.append(EvidenceRef(ev.source, ev.seq, ev.t_ms, ref if ref.__class__ is str else _text(ref)))
        examples = f.detail["examples"]
        if ev is not None and len(f.evidence) >= self.cap and (len(examples) >= EXAMPLES or key in examples) \
                and len(self._full_folded) < 4096:
            self._full_folded[k] = f          # from now on one more of k only counts (hit)
        return f

    def exists(self, rid: str, ev: Event | None, actor: str | None, category: str | None, key: str = "") -> bool:
        """Whether `add` with these arguments counts into a finding already made (nothing new is built)."""
        process = ev.extra.get("process") if ev is not None else None
        if process is not None and process.__class__ is not str:
            process = _text(process)[:200]
        return (rid, actor, category, key, process) in self._by_key

    def has(self, rid: str, actor: str | None, category: str | None, key: str = "") -> bool:
        """Whether a finding of this (rule, actor, category, key) exists, in any process."""
        return (rid, actor, category, key) in self._keys4

    def discard(self, rid: str, actor: str | None, category: str | None, key: str = "") -> None:
        if (rid, actor, category, key) not in self._keys4:
            return
        self._keys4.discard((rid, actor, category, key))
        self._folds.clear()             # fewer findings: a later key may get its own again
        self._full_folded.clear()
        for k in [k for k in self._by_key if k[:4] == (rid, actor, category, key)]:
            self._by_key.pop(k, None)
            self._full.pop(k, None)

    def findings(self) -> list[Finding]:
        return sorted(self._by_key.values(), key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.rule, f.actor or "",
                                                          f.category or "", f.process or ""))


_SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}
