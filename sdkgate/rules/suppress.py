"""Suppressions: a YAML file CI users keep. Each entry names a rule, a reason, optionally an expiry
date, and narrows what it hides with any of `actor`, `category`, `api`, `permission`, `host`,
`caller` (all given must match). The file is validated (unknown fields, wrong types, unknown
categories or permissions name the file, line and field); a suppression that hid nothing is reported
("unused suppression", with its line) so stale entries get cleaned up. SG900 is never suppressible.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..report import Finding
from ..yamlio import line, load_yaml
from .catalog import RULES
from ..i18n import msg

MATCH_FIELDS = ("actor", "category", "api", "permission", "host", "caller")
FIELDS = ("rule", "reason", "expires", *MATCH_FIELDS)


@dataclass(frozen=True)
class Suppression:
    rule: str
    actor: str | None        # None = any actor
    reason: str
    expires: date | None
    category: str | None = None
    api: str | None = None           # table id (telephony.getDeviceId) or smali signature
    permission: str | None = None
    host: str | None = None          # the host or any subdomain of it
    caller: str | None = None        # smali prefix of the calling code (static findings), e.g. Lcom/umeng/
    line: int = 0                    # where it is written (for "unused suppression")
    file: str = ""

    def to_record(self) -> dict:
        d = asdict(self)
        d["expires"] = self.expires.isoformat() if self.expires else None
        return d

    @classmethod
    def from_record(cls, d: dict) -> "Suppression":
        known = {k: d.get(k) for k in MATCH_FIELDS if k != "actor"}
        return cls(d["rule"], d.get("actor"), d.get("reason", ""),
                   date.fromisoformat(d["expires"]) if d.get("expires") else None,
                   line=int(d.get("line") or 0), file=str(d.get("file") or ""), **known)

    def where(self) -> str:
        return f"{self.file}:line {self.line}" if self.file else f"line {self.line}"

    def describe(self) -> str:
        parts = [f"{k}={getattr(self, k)}" for k in MATCH_FIELDS if getattr(self, k) not in (None, "*")]
        return self.rule + (f" ({', '.join(parts)})" if parts else "")


def _known_permission(perm: str) -> bool:
    """Framework permissions are checked against the platform's list; vendor/app permissions cannot be."""
    if not perm.startswith("android.permission."):
        return "." in perm
    try:
        from ..static.manifest_xml import _permission_levels  # noqa: PLC0415 - the framework's list
        levels = _permission_levels()
    except Exception:  # noqa: BLE001 - without the list, accept
        return True
    return not levels or perm in levels


def load_suppressions(path: str | Path) -> list[Suppression]:
    from ..scenario.model import normalise_permission  # noqa: PLC0415
    from ..taxonomy import categories  # noqa: PLC0415
    name = str(path)
    data = load_yaml(path)
    items = data.get("suppressions") if isinstance(data, dict) else data
    if isinstance(data, dict):
        for k in data:
            if k != "suppressions":
                raise InputError(name, line(data, k), f"unknown field {k!r} (the file holds 'suppressions: [...]')")
    if not isinstance(items, list):
        raise InputError(name, None, "expected a list under 'suppressions'")
    cats = categories()
    out = []
    for it in items:
        if not isinstance(it, dict):
            raise InputError(name, line(items), "each suppression is a mapping")
        for k in it:
            if k not in FIELDS:
                raise InputError(name, line(it, k), f"unknown field {k!r} (known: {', '.join(FIELDS)})")
        rid = it.get("rule")
        if rid not in RULES:
            raise InputError(name, line(it, "rule"), f"unknown rule id {rid!r}")
        if not it.get("reason") or not isinstance(it.get("reason"), str):
            raise InputError(name, line(it, "reason") if "reason" in it else line(it), "a suppression needs a 'reason' (text)")
        for k in MATCH_FIELDS:
            if k in it and (not isinstance(it[k], str) or not it[k].strip()):
                raise InputError(name, line(it, k), f"field {k!r} must be a non-empty string")
        if it.get("category") is not None and it["category"] not in cats:
            raise InputError(name, line(it, "category"), f"unknown category {it['category']!r} (see categories.yaml)")
        perm = normalise_permission(it["permission"]) if it.get("permission") else None
        if perm is not None and not _known_permission(perm):
            raise InputError(name, line(it, "permission"), f"unknown permission {it['permission']!r}")
        exp = it.get("expires")
        if exp is not None and not isinstance(exp, date):
            try:
                exp = date.fromisoformat(str(exp))
            except ValueError:
                raise InputError(name, line(it, "expires"), f"expires {exp!r} is not a date (YYYY-MM-DD)") from None
        at = line(it)
        out.append(Suppression(rid, it.get("actor"), str(it["reason"]), exp, category=it.get("category"),
                               api=it.get("api"), permission=perm, host=it.get("host"), caller=it.get("caller"),
                               line=int(at.split()[-1]) if at else 0, file=name))
    return out


# ---------------------------------------------------------------- matching
def _values(f: Finding, field: str) -> set[str]:
    """Every value of `field` a finding shows (its detail and each evidence reference)."""
    d = f.detail or {}
    refs = [e.detail for e in f.evidence if e.detail]
    if field == "api":
        return {x for x in [d.get("api"), d.get("target"), *refs] if isinstance(x, str) and x}
    if field == "permission":
        return {x for x in [d.get("permission")] if x}
    if field == "host":
        return {x for x in [d.get("host")] if x}
    if field == "caller":       # the calling code: a path's last frame before its target, a call site's caller
        chain = d.get("chain") or []
        target = d.get("target")
        last = [chain[-2]] if len(chain) > 1 and chain[-1] == target else chain[-1:]
        others = [r for r in refs if r not in (target, d.get("api"))]
        return {x for x in [d.get("caller"), *last, *others] if isinstance(x, str) and x}
    return set()


def _api_matches(want: str, got: str) -> bool:
    if want == got:
        return True
    from ..apitable import by_id  # noqa: PLC0415
    api = by_id().get(want)
    return api is not None and any(got == api.smali(d) for d in api.descriptors)


def _caller_prefix(want: str) -> str:
    return want if want.startswith("L") and "/" in want else "L" + want.replace(".", "/")


def matches(s: Suppression, f: Finding) -> bool:
    """Rule plus every field the suppression gives; a finding showing several values of a field
    (e.g. reads of two APIs) is hidden only when every one of them matches."""
    if s.rule != f.rule:
        return False
    if s.actor not in (None, "*") and s.actor != f.actor:
        return False
    if s.category is not None and s.category != f.category:
        return False
    for field in ("api", "permission", "host", "caller"):
        want = getattr(s, field)
        if want is None:
            continue
        got = _values(f, field)
        if not got:
            return False
        if field == "api":
            ok = all(_api_matches(want, g) for g in got)
        elif field == "permission":
            ok = all(g == want for g in got)
        elif field == "host":
            w = want.lower().rstrip(".")
            ok = all(g.lower() == w or g.lower().endswith("." + w) for g in got)
        else:
            prefix = _caller_prefix(want)
            ok = all(g.startswith(prefix) for g in got)
        if not ok:
            return False
    return True


def apply_suppressions(findings: list[Finding], sups: list[Suppression], today: date) -> list[str]:
    """Mark suppressed findings; return notes on expired suppressions that would have applied and on
    suppressions that hid nothing (with their line)."""
    notes: list[str] = []
    used: set[int] = set()
    for f in findings:
        if f.rule == "SG900":
            continue          # incomplete evidence is never suppressible
        hit = [i for i, s in enumerate(sups) if matches(s, f)]
        used.update(hit)
        for i in hit:
            s = sups[i]
            if s.expires and s.expires < today:
                note = msg("suppression of {rule} for {actor} expired on {date}", rule=s.rule,
                           actor=s.actor or msg("any actor"), date=s.expires.isoformat())
                if note not in notes:
                    notes.append(note)
                continue
            f.suppressed, f.suppression_reason = True, s.reason
            break
    for i, s in enumerate(sups):
        if s.rule == "SG900":
            notes.append(msg("suppression of SG900 ignored ({where}): incomplete evidence is never suppressible",
                             where=s.where()))
        elif i not in used:
            notes.append(msg("unused suppression ({where}): {what} matched nothing in this run", where=s.where(),
                             what=s.describe()))
    return notes
