"""Every instruction that invokes one of a few named methods, found the way callsites.py finds sensitive
APIs (reference tables, one byte-pattern pass per DEX, confirmed by walking the one method's instructions)."""
from __future__ import annotations

import struct
from dataclasses import dataclass

from .callsites import ValueTracer, instruction_starts
from .candidates import candidate_offsets
from .dex import Dex, DexError
from .opcodes import CONST_STRING, CONST_STRING_JUMBO, INVOKE
from .program import Program
from ..i18n import exc_text, msg


@dataclass
class Invoke:
    dex: int
    method: int                 # caller method idx in that DEX
    pos: int                    # code unit of the invoke
    k: int                      # index of the instruction in `starts`
    units: object
    starts: list[int]
    target_cls: str
    target_name: str
    target_proto: str
    tracer: ValueTracer

    def strings_in_method(self) -> list[str]:
        return method_strings(self.tracer.dex, self.units, self.starts)


def method_strings(dex: Dex, units, starts) -> list[str]:
    out = []
    for p in starts:
        op = units[p] & 0xFF
        if op == CONST_STRING:
            out.append(dex.string(units[p + 1]))
        elif op == CONST_STRING_JUMBO:
            out.append(dex.string(units[p + 1] | (units[p + 2] << 16)))
    return out


def find_invokes(program: Program, wanted: set[tuple[str, str]], problems: list[str]) -> list[Invoke]:
    """Invocations of (class descriptor, method name) pairs in every DEX of the program."""
    out: list[Invoke] = []
    classes = {c for c, _ in wanted}
    for di, dex in enumerate(program.dexes):
        try:
            types = dex.types
            mhits = {}
            for midx, (c, p, n) in enumerate(dex.method_refs()):
                if types[c] in classes and (types[c], dex.string(n)) in wanted:
                    mhits[midx] = True
            if not mhits:
                continue
            by_method = dex.owners(candidate_offsets(dex, mhits))
            for midx, positions in by_method.items():
                units = dex.code_units(midx)
                starts = instruction_starts(units)
                where = {p: k for k, p in enumerate(starts)}
                tracer = ValueTracer(dex, units, starts)
                for pos in sorted(set(positions)):
                    k = where.get(pos)
                    if k is None or (units[pos] & 0xFF) not in INVOKE or units[pos + 1] not in mhits:
                        continue
                    c, p, n = dex.method_ref(units[pos + 1])
                    out.append(Invoke(di, midx, pos, k, units, starts, types[c], dex.string(n), dex.proto(p), tracer))
        except (DexError, IndexError, struct.error, ValueError) as exc:
            problems.append(msg("{where}: invoke search stopped: {problem}", where=dex.name, problem=exc_text(exc)))
    return out
