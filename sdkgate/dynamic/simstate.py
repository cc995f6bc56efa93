"""What the simulated app keeps between actions (AppStorage: survives a kill, wiped by a fresh install
or clear_data) and the personal value it keeps from what an API returned."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .appmodel import Action


@dataclass
class AppStorage:
    consent: dict[str, str] = field(default_factory=dict)        # scope -> granted|declined|withdrawn
    granted: set[str] = field(default_factory=set)               # runtime permissions granted
    denied_at: dict[str, float] = field(default_factory=dict)    # permission -> device clock of denial
    answers: dict[str, str] = field(default_factory=dict)        # user's standing answer: perm -> grant|deny
    values: dict[str, str] = field(default_factory=dict)         # category -> value the app read (cache)


def value_text(result: Any) -> str | None:
    """The personal value inside what an API returned (string, ClipData text, Location, MAC bytes)."""
    if result is None or isinstance(result, bool):
        return None
    if isinstance(result, (str, int, float)):
        return str(result) if str(result) else None
    if isinstance(result, (bytes, bytearray)):
        return ":".join(f"{b:02x}" for b in result) if len(result) == 6 else result.hex()
    fields = getattr(result, "fields", None)
    if isinstance(fields, dict):
        if "latitude" in fields and "longitude" in fields:
            return f"{float(fields['latitude']):.6f},{float(fields['longitude']):.6f}"
        for key in ("text", "value", "packageName"):
            if isinstance(fields.get(key), str) and fields[key]:
                return fields[key]
        for v in fields.values():
            found = value_text(v[0] if isinstance(v, list) and v else v) if not isinstance(v, (str, int, float)) else None
            if found:
                return found
    if isinstance(result, list) and result:
        return value_text(result[-1])
    return None


def side_category(a: Action) -> str | None:
    """The category a side-channel verb's value belongs to (what the app caches for later sends)."""
    from ..apitable import match_target  # noqa: PLC0415
    kind_text = {"native": None, "property": ("property", a.side.get("arg")), "exec": ("command", a.side.get("arg")),
                 "file_read": ("path", a.side.get("arg")), "provider": ("provider", a.side.get("uri")),
                 "bind_service": ("service", a.side.get("action") or a.side.get("package"))}.get(a.verb)
    if a.verb == "native":
        call = a.side.get("call", "")
        from .sideverbs import FILE_CALLS  # noqa: PLC0415
        kind = "path" if call in FILE_CALLS else (
            "property" if call.startswith("__system_property") else None)
        if kind is None:
            return "device_id.mac" if call in ("ioctl", "getifaddrs", "netlink") else None
        kind_text = (kind, a.side.get("arg"))
    if not kind_text or not kind_text[1]:
        return None
    t = match_target(*kind_text)
    return t.category if t is not None else None
