"""`sdkgate manifest draft --from-scan APP.apk`: the starting manifest when no policy exists: the SDKs the
APK holds (with the categories their call sites touch), its uses-permissions, its package and name."""
from __future__ import annotations

from pathlib import Path

from ..catalogue import UNKNOWN, default_catalogue
from ..errors import InputError
from ..policy.draft import DraftSdk
from ..policy.render import render_scan_draft


def _app_label(apk: Path) -> str:
    """The launcher label from the APK's resources (androguard), or '' when it cannot be read."""
    try:
        from loguru import logger
        logger.remove()
        from androguard.core.apk import APK
        return APK(str(apk)).get_app_name() or ""
    except Exception:  # noqa: BLE001 - a label is a convenience, never a reason to fail
        return ""


def draft_from_scan(apk: str | Path) -> str:
    from ..static import scan_apk
    apk = Path(apk)
    if not apk.is_file():
        raise InputError(str(apk), None, "no such APK")
    result = scan_apk(apk, None)
    cat = default_catalogue()
    package, found, unknown, cats, perms, incomplete = "", {}, [], {}, [], []
    for ev in result.events:
        if ev.kind == "scan":
            package = ev.get("package") or ""
        elif ev.kind == "sdk_present":
            if ev.actor == UNKNOWN:
                unknown += list(ev.get("packages") or [])
            elif ev.actor:
                found.setdefault(ev.actor, set()).update(ev.get("packages") or [])
        elif ev.kind == "call_site" and ev.actor and ev.actor in cat.sdks and ev.category \
                and ev.get("api_kind") != "permission_request":
            found.setdefault(ev.actor, set())
            cats.setdefault(ev.actor, []).append(ev.category) if ev.category not in cats.get(ev.actor, []) else None
        elif ev.kind == "permission_declared" and ev.get("permission") not in perms:
            perms.append(ev.get("permission"))
        elif ev.kind == "incomplete":
            incomplete.append(str(ev.get("reason")))
    rows = []
    for sid in sorted(found):
        s = cat.sdks[sid]
        notes = [] if cats.get(sid) else ["no sensitive call site of this SDK in the APK: categories from the policy"]
        rows.append(DraftSdk(sid, s.name, s.vendor, "", sorted(cats.get(sid, [])), sorted(found[sid]) or list(s.packages),
                             [], 0, "high", notes, ""))
    from ..static.consent_candidates import find_candidates
    cands = find_candidates(result.program, cat, (package,) if package else ()) if result.program else []
    return render_scan_draft(str(apk), package, _app_label(apk), rows, perms, sorted(set(unknown)), incomplete,
                             cands)
