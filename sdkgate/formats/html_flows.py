"""The flow that proves a network finding: the planted value's on-the-wire form and a highlighted excerpt of
the request (from flows.har when the evidence folder has one)."""
from __future__ import annotations

from ..net.harview import HAR_MAX_BYTES  # noqa: F401 - one limit: the page draws what harview reads

BODY_EXCERPT = 600


def wire_form(category: str, value: str, encoding: str) -> str | None:
    """The exact text the matcher found on the wire for this canary and encoding (for highlighting)."""
    if not encoding:
        return value
    try:
        from ..net.matcher import forms_for
    except ImportError:        # pragma: no cover - the net module is part of the package
        return None
    for pattern, form in forms_for(category, value):
        if form.encoding == encoding:
            return pattern
    return None


def highlight_excerpt(text: str, needles: list[str], width: int = BODY_EXCERPT) -> list[tuple[str, bool]]:
    """(text, highlighted) parts of an excerpt centred on the first needle found."""
    hits = []
    for n in needles:
        if not n:
            continue
        start = 0
        while True:
            i = text.find(n, start)
            if i < 0:
                break
            hits.append((i, i + len(n)))
            start = i + len(n)
    hits.sort()
    lo = max(0, hits[0][0] - width // 3) if hits else 0
    hi = min(len(text), lo + width)
    parts: list[tuple[str, bool]] = []
    pos = lo
    for a, b in hits:
        if a < pos or a >= hi:
            continue
        parts.append((text[pos:a], False))
        parts.append((text[a:min(b, hi)], True))
        pos = min(b, hi)
    parts.append((text[pos:hi], False))
    if lo > 0:
        parts.insert(0, ("…", False))
    if hi < len(text):
        parts.append(("…", False))
    return [p for p in parts if p[0]]



def har_entry(har: list[dict], flow_id, method, host, path) -> dict | None:
    """The HAR entry of a send: by flow id, else by host, path and method."""
    if not har:
        return None
    for e in har:
        if flow_id and flow_id in (e.get("_flow_id"), e.get("_sdkgate_flow_id"), e.get("comment"), e.get("_id")):
            return e
    for e in har:
        req = e.get("request") or {}
        u = req.get("url") or ""
        if host and host in u and (not path or path.split("?")[0] in u) and (not method or req.get("method") == method):
            return e
    return None
