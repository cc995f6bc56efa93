"""Suppressions: a YAML file CI users keep, of rule id + actor (+ reason, + expiry date)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..report import Finding
from ..yamlio import line, load_yaml
from .catalog import RULES


@dataclass(frozen=True)
class Suppression:
    rule: str
    actor: str | None        # None = any actor
    reason: str
    expires: date | None


def load_suppressions(path: str | Path) -> list[Suppression]:
    name = str(path)
    data = load_yaml(path)
    items = data.get("suppressions") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(name, None, "expected a list under 'suppressions'")
    out = []
    for it in items:
        if not isinstance(it, dict):
            raise InputError(name, line(items), "each suppression is a mapping")
        rid = it.get("rule")
        if rid not in RULES:
            raise InputError(name, line(it, "rule"), f"unknown rule id {rid!r}")
        if not it.get("reason"):
            raise InputError(name, line(it), "a suppression needs a 'reason'")
        exp = it.get("expires")
        if exp is not None and not isinstance(exp, date):
            try:
                exp = date.fromisoformat(str(exp))
            except ValueError:
                raise InputError(name, line(it, "expires"), f"expires {exp!r} is not a date (YYYY-MM-DD)") from None
        out.append(Suppression(rid, it.get("actor"), str(it["reason"]), exp))
    return out


def apply_suppressions(findings: list[Finding], sups: list[Suppression], today: date) -> list[str]:
    """Mark suppressed findings; return notes on expired suppressions that would have applied."""
    notes: list[str] = []
    for f in findings:
        if f.rule == "SG900":
            continue          # incomplete evidence is never suppressible
        for s in sups:
            if s.rule == f.rule and (s.actor in (None, "*") or s.actor == f.actor):
                if s.expires and s.expires < today:
                    note = f"suppression of {s.rule} for {s.actor or 'any actor'} expired on {s.expires.isoformat()}"
                    if note not in notes:
                        notes.append(note)
                    continue
                f.suppressed, f.suppression_reason = True, s.reason
                break
    return notes
