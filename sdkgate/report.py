"""The report model every judging command produces (JSON contract `sdkgate.report/1`)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .i18n import Msg, attach, attach_all, msgs_json, tr

SCHEMA = "sdkgate.report/1"
SEVERITIES = ("violation", "warning", "info")
# verdicts: `not_judged` = nothing to judge against (scan without a manifest); never a pass (exit 3)
VERDICT_EXIT = {"pass": 0, "fail": 1, "incomplete": 3, "not_judged": 3}
_RULE_REF = re.compile(r"\bSG(\d)(\d\d|xx)\b")


@dataclass
class EvidenceRef:
    source: str
    seq: int
    t_ms: float
    detail: str = ""          # api, host+encoding, permission, component, ... what the event shows


@dataclass
class Finding:
    rule: str
    severity: str             # violation | warning | info
    actor: str | None
    category: str | None
    message: str              # English
    message_zh: str
    clause: str               # the policy / regulation clause it rests on
    evidence: list[EvidenceRef] = field(default_factory=list)
    evidence_count: int = 0   # all events that prove it (evidence lists the first ones)
    suppressed: bool = False
    suppression_reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)   # rule-specific (stack, chain, host, component)
    process: str | None = None  # the app process the evidence came from (hook evidence), e.g. pkg:pushcore
    # issue 20: does it stand whatever the evidence lacks? A read "before consent" while the consent record
    # itself has a gap is not confirmed: it is listed and makes the run incomplete, not fail. SG900: never.
    confirmed: bool = True

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = [asdict(e) for e in self.evidence]
        if isinstance(self.message, Msg):          # the message id and parameters next to the English
            d["message_msg"] = self.message.to_json()
        for k, v in self.detail.items():            # summary, reason, unknown_why ...: their message next to them
            if isinstance(v, Msg):
                d["detail"][f"{k}_msg"] = v.to_json()
        return d

    def text(self, lang: str = "en") -> str:
        """The finding's message in `lang`: rendered from its message id, else (a report written before message
        ids) the text recorded for that language."""
        if isinstance(self.message, Msg):
            return self.message.render(lang)
        return (self.message_zh or self.message) if lang == "zh" else self.message

    def summary(self, lang: str = "en") -> str:
        """The rule-specific detail sentence (`detail.summary`) in `lang`."""
        s = self.detail.get("summary")
        if isinstance(s, Msg):
            return s.render(lang)
        if lang == "zh":
            return str(self.detail.get("summary_zh") or s or "")
        return str(s or "")


@dataclass
class SdkEntry:
    id: str
    name: str
    declared: bool
    packages: list[str] = field(default_factory=list)
    vendor: str = ""
    kind: str = ""            # catalogue kind: sdk (platform and library code is the app's, never listed here)
    purpose: str = ""         # what the SDK does: analytics, push, ads, ... (catalogue `purpose`)
    class_count: int | None = None
    # the evidence that found it besides `packages` (static/signatures.py)
    components: list[str] = field(default_factory=list)
    meta_data: list[str] = field(default_factory=list)
    native_libs: list[str] = field(default_factory=list)
    permissions: list[str] = field(default_factory=list)
    jni: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)


@dataclass
class CallSite:
    category: str
    api: str
    caller: str
    actor: str
    origin: str | None = None     # runtime_loaded: found in code the app loaded at run time
    via: str | None = None        # platform / library code the call is in (catalogue id), acting for the app


@dataclass
class Report:
    verdict: str                                  # pass | fail | incomplete | not_judged (see VERDICT_EXIT)
    app: dict[str, Any] = field(default_factory=dict)
    sdks: list[SdkEntry] = field(default_factory=list)
    call_sites: list[CallSite] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)      # rules not evaluated, and why
    stats: dict[str, Any] = field(default_factory=dict)   # event counts per source/kind, consent moments
    permissions: list[dict[str, Any]] = field(default_factory=list)  # requests/results seen (for HTML)
    # each listed incomplete reason with its stable kind (sdkgate/reasons.py), and every reason counted per kind
    incomplete_reasons: list[dict[str, str]] = field(default_factory=list)
    incomplete_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return VERDICT_EXIT[self.verdict]

    def confirmed_violations(self) -> list[Finding]:
        """What makes a FAIL: unsuppressed violations that do not depend on what the evidence lacks."""
        return [f for f in self.findings if f.severity == "violation" and not f.suppressed and f.confirmed
                and f.rule != "SG900"]

    def kind_of(self, reason: str) -> str:
        for r in self.incomplete_reasons:
            if r.get("reason") == reason:
                return str(r.get("kind") or "other")
        from .reasons import classify
        return classify(reason)

    def not_judged_rules(self) -> dict[str, str]:
        """Rule id -> why it was not judged, from the `skipped` notes ("SG405 ...", "SG2xx ...")."""
        from .rules.catalog import RULES
        out: dict[str, str] = {}
        for note in self.skipped:
            if "suppression" in note:
                continue        # expiry notes name rules that were judged
            for m in _RULE_REF.finditer(note):
                group, rest = m.group(1), m.group(2)
                ids = [r for r in RULES if r.startswith(f"SG{group}")] if rest == "xx" else [f"SG{group}{rest}"]
                for rid in ids:
                    if rid in RULES and rid != "SG900" and not any(f.rule == rid for f in self.findings):
                        out.setdefault(rid, note)
        return out

    def active_findings(self, severity: str | None = None) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed and (severity is None or f.severity == severity)]

    def say(self, text: Any, lang: str = "en") -> str:
        """A sentence of this report (a reason, a note, what was not judged) in `lang`."""
        return tr(text, lang)

    def to_dict(self) -> dict[str, Any]:
        skipped_msgs = msgs_json(self.skipped)
        return {
            "schema": SCHEMA,
            "verdict": self.verdict,
            "app": self.app,
            "sdks": [asdict(s) for s in self.sdks],
            "call_sites": [asdict(c) for c in self.call_sites],
            "findings": [f.to_dict() for f in self.findings],
            "incomplete": list(self.incomplete),
            "incomplete_reasons": [_reason_json(r) for r in self.incomplete_reasons],
            "incomplete_kinds": dict(self.incomplete_kinds),
            "skipped": list(self.skipped),
            **({"skipped_msgs": skipped_msgs} if skipped_msgs else {}),
            "permissions": list(self.permissions),
            "stats": stats_to_json(self.stats),
        }

    @classmethod
    def load(cls, path) -> "Report":
        """Read a report.json; a missing or malformed file is bad input naming the file."""
        from pathlib import Path

        from .errors import InputError
        from .fileio import read_json_document
        rp = Path(path)
        if not rp.is_file():
            raise InputError(str(rp), None, "report.json not found: not an evidence folder")
        try:
            data = read_json_document(rp)
        except (OSError, ValueError) as exc:
            raise InputError(str(rp), None, f"not a valid report: {exc}") from None
        return cls.from_report_dict(data, str(rp))

    @classmethod
    def from_report_dict(cls, data: Any, name: str) -> "Report":
        """A report from parsed report.json; anything malformed is bad input naming the file."""
        from .errors import InputError
        try:
            if data.get("schema", SCHEMA) != SCHEMA:
                raise InputError(name, "schema", f"report schema {str(data.get('schema'))[:80]!r} is not {SCHEMA}: "
                                 "written by another sdkgate version")
            from .reportcheck import check_report_dict
            check_report_dict(data)
            return cls.from_dict(data)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(name, None, f"not a valid report: {str(exc)[:300]}") from None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        """A report from its JSON; message ids next to the English texts make them messages again (a text whose
        id this version does not know, or whose English differs, stays the recorded text)."""
        reasons = [dict(r) for r in d.get("incomplete_reasons") or []]
        by_text = {r.get("reason"): r.get("msg") for r in reasons if isinstance(r, dict) and r.get("msg")}
        for r in reasons:
            if "msg" in r:
                r["reason"] = attach(r.get("reason"), r.pop("msg"))
        stats = d.get("stats") or {}
        return cls(
            verdict=d["verdict"], app=d.get("app") or {},
            sdks=[SdkEntry(**s) for s in d.get("sdks") or []],
            call_sites=[CallSite(**c) for c in d.get("call_sites") or []],
            findings=[_finding(f) for f in d.get("findings") or []],
            incomplete=[attach(r, by_text.get(r)) for r in d.get("incomplete") or []],
            skipped=attach_all(list(d.get("skipped") or []), d.get("skipped_msgs")),
            stats=_stats_messages(stats), permissions=list(d.get("permissions") or []),
            incomplete_reasons=reasons,
            incomplete_kinds=dict(d.get("incomplete_kinds") or {}),
        )


def _reason_json(r: dict[str, Any]) -> dict[str, Any]:
    out = dict(r)
    if isinstance(r.get("reason"), Msg):
        out["msg"] = r["reason"].to_json()
    return out


def _finding(f: dict[str, Any]) -> Finding:
    f = dict(f)
    data = f.pop("message_msg", None)
    f["message"] = attach(f.get("message"), data)
    detail = dict(f.get("detail") or {})
    for k in [k for k in detail if k.endswith("_msg") and k[:-4] in detail]:
        detail[k[:-4]] = attach(detail[k[:-4]], detail.pop(k))
    f["detail"] = detail
    return Finding(**{**f, "evidence": [EvidenceRef(**e) for e in f.get("evidence") or []]})


# texts in `stats` kept with their message ids: (section, field) -> a list of texts or one text
STATS_TEXTS = (("static", "notes"), ("static", "manifest_warnings"), ("static", "paths"), ("static", "bounds"),
               ("calibration", "note"), ("", "not_judged"))


def _text_fields(stats: dict[str, Any]):
    """(a copy of stats, [(the dict holding a text of STATS_TEXTS, its key)]): the sections holding one are copies."""
    out, found = dict(stats), []
    for section, key in STATS_TEXTS:
        holder = out.get(section) if section else out
        if isinstance(holder, dict) and key in holder:
            if section:
                out[section] = holder = dict(holder)
            found.append((holder, key))
    return out, found


def stats_to_json(stats: dict[str, Any]) -> dict[str, Any]:
    """`stats` with `<field>_msg(s)` next to each text of STATS_TEXTS that is a message."""
    out, found = _text_fields(stats)
    for holder, key in found:
        value = holder[key]
        if isinstance(value, list) and msgs_json(value):
            holder[f"{key}_msgs"] = msgs_json(value)
        elif isinstance(value, Msg):
            holder[f"{key}_msg"] = value.to_json()
    return out


def _stats_messages(stats: dict[str, Any]) -> dict[str, Any]:
    out, found = _text_fields(stats)
    for holder, key in found:
        if isinstance(holder[key], list):
            holder[key] = attach_all(holder[key], holder.pop(f"{key}_msgs", None))
        else:
            holder[key] = attach(holder[key], holder.pop(f"{key}_msg", None))
    return out
