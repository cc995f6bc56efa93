"""Manifest components whose class no DEX of the APK defines: the system will instantiate code the scan
never saw (a packer's real Application, a component decrypted or downloaded at run time)."""
from __future__ import annotations

from .program import Program

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


def absent_note(label: str, absent: list[tuple[str, str]]) -> str:
    """Activities the user has to open, defined in no DEX (leftovers in the manifest): not a blind spot."""
    shown = ", ".join(n for _k, n in absent[:12]) + (f" and {len(absent) - 12} more" if len(absent) > 12 else "")
    return (f"{label}: {len(absent)} activit{'y' if len(absent) == 1 else 'ies'} in the manifest with no class in any "
            f"DEX (only the user opens them; nothing runs there before consent): {shown}")


def absent_reason(label: str, absent: list[tuple[str, str]], launcher: list[str]) -> str:
    shown = ", ".join(f"{n} ({'launcher activity' if n in launcher else k})" for k, n in absent[:12])
    more = f" and {len(absent) - 12} more" if len(absent) > 12 else ""
    return (f"{label}: code not in the APK: the class of {len(absent)} manifest component(s) is defined in no DEX: "
            f"{shown}{more}; the code that runs there is loaded at run time; use a device run")
