"""Candidate consent checks for `manifest draft --from-scan` (issue 20): where the app seems to test the
user's answer, so the human names its `consent.check` instead of guessing from a hundred SG205 rows.

A candidate is a method of the app's own (or unattributed) code that reads a SharedPreferences value whose key
-- or a boolean field whose name -- looks like agree / privacy / consent / protocol (同意 / 隐私 / 协议), and
returns it or branches on it; the dialog code whose strings hold 同意 / Agree is listed beside them. Each comes
with the methods that call it. They are proposals, written as comments: the human picks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..catalogue import FIRST_PARTY, UNKNOWN
from .callsites import instruction_starts
from .invokes import find_invokes, method_strings
from .opcodes import INVOKE
from .program import Program

CONSENT_WORD = re.compile(r"agree|privacy|consent|protocol|policy|accept|同意|隐私|协议", re.I)
DIALOG_WORD = re.compile(r"同意|\bagree\b", re.I)
_PREF_GETS = {"getBoolean", "getInt", "getString", "getLong"}
_BRANCH = frozenset(range(0x32, 0x3E))        # if-eq .. if-lez
_RETURN = frozenset((0x0F,))                   # return vAA (boolean / int)
_FIELD_GETS = frozenset(range(0x52, 0x59)) | frozenset(range(0x60, 0x67))
MAX_CANDIDATES = 8


@dataclass
class Candidate:
    method: str                      # smali signature
    why: str
    callers: list[str] = field(default_factory=list)
    kind: str = "check"              # check | dialog


def find_candidates(program: Program, catalogue, app_packages: tuple[str, ...]) -> list[Candidate]:
    checks: list[Candidate] = []
    dialogs: list[Candidate] = []
    for desc, info in program.classes.items():
        if catalogue.attribute_class(desc, app_packages) not in (FIRST_PARTY, UNKNOWN) or catalogue.library_of(desc):
            continue
        dex = program.dexes[info.dex]
        for _np, (di, midx) in program.methods_of(desc).items():
            if di != info.dex:
                continue
            try:
                units = dex.code_units(midx)
                if units is None:
                    continue
                starts = instruction_starts(units)
            except Exception:  # noqa: BLE001 - a proposal is best effort
                continue
            sig = dex.method_sig(midx)
            why = _reads_consent(dex, units, starts, sig)
            if why:
                checks.append(Candidate(sig, why))
            elif len(dialogs) < MAX_CANDIDATES:
                words = [s for s in method_strings(dex, units, starts) if DIALOG_WORD.search(s) and len(s) < 40]
                if words:
                    dialogs.append(Candidate(sig, "strings " + ", ".join(repr(w) for w in words[:3]), kind="dialog"))
    checks.sort(key=lambda c: (not c.method.endswith(")Z"), c.method))
    out = checks[:MAX_CANDIDATES] + dialogs[:MAX_CANDIDATES]
    _callers(program, out)
    return out


def _reads_consent(dex, units, starts, sig: str) -> str | None:
    """Why this method looks like a consent check (a consent-like preference or field it returns or branches
    on), else None."""
    strings = [s for s in method_strings(dex, units, starts) if CONSENT_WORD.search(s)]
    read = None
    for k, p in enumerate(starts):
        op = units[p] & 0xFF
        if op in INVOKE:
            c, _p, n = dex.method_ref(units[p + 1])
            if dex.type_name(c) == "Landroid/content/SharedPreferences;" and dex.string(n) in _PREF_GETS and strings:
                read = (k, f"reads preference {strings[-1]!r}")
        elif op in _FIELD_GETS:
            c, t, n = dex.field_ref(units[p + 1])
            name = dex.string(n)
            if dex.type_name(t) == "Z" and CONSENT_WORD.search(name):
                read = (k, f"reads field {name}")
        if read is not None and k > read[0]:
            if op in _BRANCH:
                return read[1] + " and branches on it"
            if op in _RETURN and sig.endswith(")Z"):
                return read[1] + " and returns it"
    return None


def _callers(program: Program, cands: list[Candidate]) -> None:
    wanted = {}
    for c in cands:
        cls, rest = c.method.split("->", 1)
        wanted[(cls, rest.split("(", 1)[0])] = c
    if not wanted:
        return
    for inv in find_invokes(program, set(wanted), []):
        c = wanted.get((inv.target_cls, inv.target_name))
        if c is not None and len(c.callers) < 3:
            caller = program.dexes[inv.dex].method_sig(inv.method)
            if caller not in c.callers:
                c.callers.append(caller)
