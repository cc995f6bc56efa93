"""Incomplete reasons grouped across a fleet: the reason without its app-specific parts.

Used when a scan is stored (store.py) and by the migration that backfilled older rows (schema.py)."""
from __future__ import annotations

import re

_NOISE = [
    (re.compile(r"^[^\s:]+\.(?:apk|apks|xapk|aab|jar|zip)(?:![^\s:]*)?:\s*"), ""),   # leading file / entry label
    (re.compile(r"\b[0-9a-f]{16,}\b"), "<hex>"),
    (re.compile(r"'[^']*'|\"[^\"]*\""), "<q>"),
    (re.compile(r"\d+"), "<n>"),
]


def reason_class(reason: str) -> str:
    """An incomplete reason without the app-specific parts (file names, numbers, quoted names), so the
    fleet report can count how many apps hit the same kind of blind spot."""
    r = reason.strip()
    for rx, sub in _NOISE:
        r = rx.sub(sub, r)
    return r[:200]


def reason_kind(reason: str) -> str:
    """The stable kind of an incomplete reason (sdkgate/reasons.py): what `fleet report` counts apps by (stored in
    `reason_class`; rows stored before reasons had kinds keep the class above, from the backfill)."""
    from ..reasons import classify
    return classify(reason)
