"""How a moment stands to the user's answer ("1.8 s before consent", "after decline"): the run page, its
timeline titles and the reads sheet tell time the way an auditor reads it."""
from __future__ import annotations

from typing import Any

from ..i18n import N_, Msg

REL = {"before": N_("{d} before consent"), "after": N_("{d} after consent"), "declined": N_("{d} after decline"),
       "withdrawn": N_("{d} after withdrawal"), "none": N_("no consent given in this run"),
       "at": N_("at the consent moment")}


def _dur(ms: float) -> str:
    s = abs(ms) / 1000.0
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def relative_to_consent(t_ms: float, moments: list[dict[str, Any]], lang: str = "en", scope: str = "policy") -> str:
    """How a moment stands to the user's answer: "1.8 s before consent", "after decline", ... (the policy scope's
    answers in time order; the last answer before the moment decides, else the first accept after it)."""
    def words(key: str, **params: Any) -> str:
        return Msg(REL[key], params).render(lang)
    ms = sorted((m for m in moments if (m.get("scope") or "policy") == scope), key=lambda m: float(m.get("t_ms") or 0))
    last = None
    for m in ms:
        if float(m["t_ms"]) <= t_ms:
            last = m
    if last is not None:
        d = _dur(t_ms - float(last["t_ms"]))
        tr = last.get("transition")
        if tr == "granted":
            return words("after", d=d) if t_ms > float(last["t_ms"]) else words("at")
        if tr in ("declined", "withdrawn"):
            return words(tr, d=d)
    later = next((m for m in ms if float(m["t_ms"]) > t_ms and m.get("transition") == "granted"), None)
    if later is not None:
        return words("before", d=_dur(float(later["t_ms"]) - t_ms))
    return words("none")
