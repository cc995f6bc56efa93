"""All the code of one APK: every DEX, the classes they define and the class hierarchy across them.

Android loads classes.dex first, then classes2.dex, ...; when two DEX files define the same class
the first one wins, and so it does here.
"""
from __future__ import annotations

import struct
from bisect import bisect_left
from dataclasses import dataclass

from .dex import NO_INDEX, ClassDef, Dex, DexError
from ..i18n import exc_text, msg


@dataclass(frozen=True)
class ClassInfo:
    desc: str                  # `Lcom/a/B;`
    dex: int                   # index into Program.dexes
    cdef: ClassDef
    super_desc: str | None
    interfaces: tuple[str, ...]


class Program:
    def __init__(self, dexes: list[Dex]):
        self.dexes = dexes
        self.classes: dict[str, ClassInfo] = {}
        self.problems: list[str] = []
        self._methods_of: dict[str, dict[str, tuple[int, int]]] = {}
        self._anc_memo: dict[str, frozenset[str]] = {}
        for di, dex in enumerate(dexes):
            try:
                types = dex.types
            except DexError as exc:          # a corrupt type or string table: no class of this DEX is usable
                self.problems.append(msg("{where}: classes not read: {problem}", where=dex.name, problem=exc_text(exc)))
                continue
            for cd in dex.class_defs():
                try:
                    desc = dex.type_name(cd.type_idx)
                    sup = dex.type_name(cd.super_idx) if cd.super_idx != NO_INDEX else None
                    ifs = tuple(types[i] for i in dex.interfaces(cd))
                except (DexError, IndexError) as exc:
                    self.problems.append(msg("{where}: class_def skipped: {problem}", where=dex.name, problem=exc_text(exc)))
                    continue
                if desc not in self.classes:
                    self.classes[desc] = ClassInfo(desc, di, cd, sup, ifs)

    # --- hierarchy ------------------------------------------------------------------------------
    def ancestors_in(self, desc: str, wanted: frozenset[str], _memo: dict | None = None) -> frozenset[str]:
        """The members of `wanted` that `desc` is, extends or implements (transitively, cycle-safe)."""
        memo = self._anc_memo if _memo is None else _memo
        hit = memo.get(desc)
        if hit is not None:
            return hit
        memo[desc] = frozenset()     # cycle guard
        out = set()
        if desc in wanted:
            out.add(desc)
        info = self.classes.get(desc)
        if info is not None:
            for parent in ((info.super_desc,) if info.super_desc else ()) + info.interfaces:
                out |= self.ancestors_in(parent, wanted, memo)
        res = frozenset(out)
        memo[desc] = res
        return res

    def subtype_map(self, wanted: frozenset[str]) -> dict[str, frozenset[str]]:
        """For every class defined in the APK (and every wanted class): the wanted classes it is a subtype of."""
        self._anc_memo = {}
        out = {w: frozenset({w}) for w in wanted}
        for desc in self.classes:
            anc = self.ancestors_in(desc, wanted)
            if anc:
                out[desc] = anc
        return out

    def superclasses(self, desc: str, limit: int = 64):
        """desc, its superclass, ... as far as the APK defines them."""
        seen = 0
        while desc and seen < limit:
            yield desc
            info = self.classes.get(desc)
            if info is None:
                return
            desc = info.super_desc
            seen += 1

    # --- methods ------------------------------------------------------------------------------
    def methods_of(self, desc: str) -> dict[str, tuple[int, int]]:
        """`name(args)ret` -> (dex index, method idx) for the methods the class defines with code."""
        got = self._methods_of.get(desc)
        if got is not None:
            return got
        out: dict[str, tuple[int, int]] = {}
        info = self.classes.get(desc)
        if info is not None:
            dex = self.dexes[info.dex]
            cidx = info.cdef.type_idx
            try:
                # method_ids are sorted by class index: binary search the first one of this class
                lo = _first_method_of(dex, cidx)
                code = dex.code_offsets
                for midx in range(lo, dex.n_methods):
                    c, p, n = dex.method_ref(midx)
                    if c != cidx:
                        break
                    if midx in code:
                        out[f"{dex.string(n)}{dex.proto(p)}"] = (info.dex, midx)
            except (DexError, IndexError, struct.error) as exc:     # a corrupt table: the methods read so far
                text = msg("{where}: methods of {cls} not all read: {problem}", where=dex.name, cls=desc,
                           problem=exc_text(exc))
                if text not in self.problems and len(self.problems) < 1000:
                    self.problems.append(text)
        self._methods_of[desc] = out
        return out

    def resolve(self, cls: str, name_proto: str) -> tuple[int, int] | None:
        """The (dex, method idx) a call to `cls->name_proto` runs, looking up the superclass chain."""
        for c in self.superclasses(cls):
            hit = self.methods_of(c).get(name_proto)
            if hit:
                return hit
        return None


def _first_method_of(dex: Dex, cidx: int) -> int:
    class _Keys:
        def __len__(self):
            return dex.n_methods

        def __getitem__(self, i):
            return struct.unpack_from("<H", dex.data, dex._methods_off + 8 * i)[0]

    return bisect_left(_Keys(), cidx)
