"""Where a finding or a read happened, the way a developer goes looking for it: the code that made the call.

Static findings name their smali caller. Run-time evidence carries a Java stack whose first frames are the hooked
framework method and the platform layers under it (android.*, java.*, reflection, proxies): the place to fix is the
first frame in the app's or an SDK's own code (dynamic/attribution.py's rule, which the agent host already applies
to every read as `caller`). Without either: the component, host, permission or target the finding is about."""
from __future__ import annotations

from typing import Any, Iterable

from ..dynamic.attribution import frame_class, is_layer_class


def api_class(api: str | None) -> str | None:
    """`Landroid/telephony/TelephonyManager;->getImei()…` -> `android.telephony.TelephonyManager`."""
    cls = str(api or "").partition("->")[0].strip()
    if cls.startswith("L") and cls.endswith(";"):
        return cls[1:-1].replace("/", ".")
    return None


def caller_frame(stack: Iterable[Any] | None, api: str | None = None) -> str:
    """The first frame outside the hooked class and the platform layers ("" when the stack has none)."""
    hooked = api_class(api)
    for frame in stack or ():
        cls, _ = frame_class(str(frame))
        if (hooked and cls == hooked) or is_layer_class(cls):
            continue
        return str(frame)
    return ""


def where(f) -> str:
    """A finding's place (csv/xlsx `where`, the scan page, SARIF's logical location for run-time findings)."""
    d = f.detail or {}
    if d.get("caller"):
        return str(d["caller"])
    if d.get("chain"):
        return str(d["chain"][0])
    if d.get("stack"):
        frame = caller_frame(d["stack"], d.get("api"))
        if frame:
            return frame
    for key in ("component", "host", "permission", "target"):
        if d.get(key):
            return str(d[key])
    stack = d.get("stack") or []
    return str(stack[0]) if stack else ""
