"""'Did you mean' for names a person typed (manifest permissions, categories, SDK ids; issue 20), and the
platform's permission names (sdkgate/data/android_permissions.yaml, tools/android_permissions.py)."""
from __future__ import annotations

import difflib
from functools import lru_cache

from .yamlio import package_data
from .i18n import msg

PLATFORM_PREFIX = "android.permission."


def closest(word: str, choices, n: int = 1, cutoff: float = 0.75) -> list[str]:
    """The closest names (case-insensitive), best first; [] when nothing is close."""
    by_lower: dict[str, str] = {}
    for c in choices:
        by_lower.setdefault(str(c).lower(), str(c))
    w = str(word).lower()
    hits = difflib.get_close_matches(w, list(by_lower), n=max(n, 5), cutoff=cutoff)
    hits.sort(key=lambda h: _osa(w, h))          # stable: difflib's order breaks ties (imie -> imei, not imsi)
    return [by_lower[h] for h in hits[:n]]


def _osa(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (the commonest typo)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def did_you_mean(word: str, choices, cutoff: float = 0.75) -> str:
    """' (did you mean X?)' or ''."""
    hit = closest(word, choices, 1, cutoff)
    return f" (did you mean {hit[0]}?)" if hit else ""


@lru_cache(maxsize=1)
def platform_permissions() -> frozenset[str]:
    raw = package_data("android_permissions.yaml")
    return frozenset(raw.get("framework") or ()) | frozenset(raw.get("added") or {})


def check_permission(name: str) -> tuple[str | None, str | None]:
    """(error, warning) for a permission name a manifest declares: a platform-looking name that is not a
    platform permission is an error when a platform name is close (a typo), a warning when none is (a
    permission newer than sdkgate's table, or a vendor's)."""
    if not name.startswith(PLATFORM_PREFIX) or name in platform_permissions():
        return None, None
    short = {p[len(PLATFORM_PREFIX):]: p for p in platform_permissions() if p.startswith(PLATFORM_PREFIX)}
    hit = closest(name[len(PLATFORM_PREFIX):], short, cutoff=0.8)      # the names, not their shared prefix
    if hit:
        return f"unknown Android permission {name!r} (did you mean {short[hit[0]]}?)", None
    return None, msg("permission {permission} is not an Android platform permission sdkgate knows (API 34 and older)",
                     permission=name)
