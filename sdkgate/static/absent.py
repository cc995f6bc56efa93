"""Manifest components whose class no DEX of the APK defines: the system will instantiate code the scan
never saw (a packer's real Application, a component decrypted or downloaded at run time)."""
from __future__ import annotations

from .program import Program
from ..i18n import Msg, msg

# classes the device provides (boot class path): a component may legitimately name one
_DEVICE_PREFIXES = ("android.", "java.", "javax.", "dalvik.", "com.android.internal.")


def absent_components(amf, program: Program, primary_dexes: set[int]) -> list[tuple[str, str]]:
    """(kind, class) of every component (Application, activities, aliases' targets, services, receivers,
    providers) whose class is defined in none of the APK's own classes*.dex (`primary_dexes`)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for c in amf.components:
        name = c.name
        if not name or name in seen or name.startswith(_DEVICE_PREFIXES):
            continue
        seen.add(name)
        info = program.classes.get("L" + name.replace(".", "/") + ";")
        if info is None or info.dex not in primary_dexes:
            out.append((c.kind, name))
    return out


# components the system starts without the user: their code runs before any consent screen
AUTO_RUN = ("application", "provider", "receiver", "service")


def runs_without_user(kind: str, name: str, launcher: list[str]) -> bool:
    return kind in AUTO_RUN or name in launcher


def _shown(names: list, total: int) -> str:
    shown = names if any(isinstance(n, Msg) for n in names) else ", ".join(names)
    return msg("{names} and {n} more", names=shown, n=total - len(names)) if total > len(names) else shown


def absent_note(label: str, absent: list[tuple[str, str]]) -> str:
    """Activities the user has to open, defined in no DEX (leftovers in the manifest): not a blind spot."""
    names = _shown([n for _k, n in absent[:12]], len(absent))
    if len(absent) == 1:
        return msg("{where}: 1 activity in the manifest with no class in any DEX (only the user opens it; nothing runs "
                   "there before consent): {names}", where=label, names=names)
    return msg("{where}: {n} activities in the manifest with no class in any DEX (only the user opens them; nothing "
               "runs there before consent): {names}", where=label, n=len(absent), names=names)


def absent_reason(label: str, absent: list[tuple[str, str]], launcher: list[str]) -> str:
    shown = [msg("{name} ({kind})", name=n, kind=msg("launcher activity") if n in launcher else k) for k, n in absent[:12]]
    return msg("{where}: code not in the APK: the class of {n} manifest component(s) is defined in no DEX: {names}; the "
               "code that runs there is loaded at run time; use a device run", where=label, n=len(absent),
               names=_shown(shown, len(absent)))
