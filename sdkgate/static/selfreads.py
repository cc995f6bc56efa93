"""Reads about the app itself are not installed-app reads (issue 20): the static side.

`getPackageInfo(getPackageName())` is already told apart by its argument (callsites `_judge`, `own_package`).
`ActivityManager.getRunningAppProcesses()` has no argument: the idiom that looks up the app's own process
compares each entry's `pid` with `Process.myPid()` (or its `processName` with the app's own package name).
A method doing that reads nothing about other apps (and since Android 5.1 the list holds only the caller's
own processes anyway). At run time the agent checks the entries returned (hooks.ts `ownProcessesOnly`)."""
from __future__ import annotations

from .opcodes import INVOKE

_INFO = "Landroid/app/ActivityManager$RunningAppProcessInfo;"
_IGET = frozenset(range(0x52, 0x59))          # iget .. iget-short


def own_process_lookup(dex, units, starts) -> bool:
    """The method reads an entry's pid / processName and compares it with its own pid or package name."""
    own = entry = False
    for p in starts:
        op = units[p] & 0xFF
        if op in INVOKE:
            c, _p, n = dex.method_ref(units[p + 1])
            name = dex.string(n)
            if (name == "myPid" and dex.type_name(c) == "Landroid/os/Process;") or name == "getPackageName":
                own = True
        elif op in _IGET:
            c, _t, n = dex.field_ref(units[p + 1])
            if dex.type_name(c) == _INFO and dex.string(n) in ("pid", "processName"):
                entry = True
        if own and entry:
            return True
    return False
