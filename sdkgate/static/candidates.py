"""Where in a DEX an invoke of a target method (or an sget of a target field) may stand: the candidates the
call-site scan then confirms against real instruction starts."""
from __future__ import annotations

import re
import struct

from ..apitable import split_descriptor
from .dex import Dex

_STATIC35, _STATIC3RC = frozenset({0x71}), frozenset({0x77})
_VIRTUAL35, _VIRTUAL3RC = frozenset({0x6E, 0x6F, 0x70, 0x72}), frozenset({0x74, 0x75, 0x76, 0x78})
_SGETS = frozenset(range(0x60, 0x67))


def _invoke_shapes(dex: Dex, midx: int) -> tuple[tuple[frozenset, int, int], ...]:
    """(opcodes, lowest, highest second byte) of every invoke-* of method_ids[midx] with the argument count its
    descriptor implies (static: no `this`): operand bytes that merely look like an invoke are not candidates."""
    _c, p, _n = dex.method_ref(midx)
    width = sum(2 if t in ("J", "D") else 1 for t in split_descriptor(dex.proto(p))[0])
    shapes = []
    for static, ops35, ops3rc in ((True, _STATIC35, _STATIC3RC), (False, _VIRTUAL35, _VIRTUAL3RC)):
        count = width if static else width + 1
        if count <= 5:
            shapes.append((ops35, count << 4, (count << 4) | 0xF))       # 35c: A (count) in the high nibble
        if count <= 255:
            shapes.append((ops3rc, count, count))                         # 3rc: AA = count
    return tuple(shapes)


def candidate_offsets(dex: Dex, mhits, fhits=()) -> list[int]:
    """Even file offsets where an invoke of a method id in `mhits` (or an sget of a field id in `fhits`) may start.
    One regular expression whose first byte is a character class (the engine skips ahead at C speed) finds
    opcode, any byte, one of the ids; the opcode and count byte are then checked against the id's shapes. The
    code-unit walk later drops operands and payloads that merely look alike."""
    ids = set(mhits) | set(fhits)
    if not ids:
        return []
    rx = re.compile(b"[\x60-\x66\x6e-\x72\x74-\x78][\x00-\xff](?:" +
                    b"|".join(re.escape(struct.pack("<H", i)) for i in sorted(ids)) + b")")
    data = dex.data
    shapes: dict[int, tuple] = {}

    def fits(x: int) -> bool:
        if x & 1:
            return False
        op, arg, ident = data[x], data[x + 1], data[x + 2] | (data[x + 3] << 8)
        if op in _SGETS:
            return ident in fhits
        if ident not in mhits:
            return False
        sh = shapes.get(ident)
        if sh is None:
            sh = shapes[ident] = _invoke_shapes(dex, ident)
        return any(op in ops and lo <= arg <= hi for ops, lo, hi in sh)

    found = []
    match = rx.match
    for m in rx.finditer(data):
        x = m.start()
        if fits(x):
            found.append(x)
        for y in (x + 1, x + 2, x + 3):     # finditer skips these: a real instruction can start inside a look-alike
            if not y & 1 and match(data, y) and fits(y):
                found.append(y)
    return sorted(set(found))
