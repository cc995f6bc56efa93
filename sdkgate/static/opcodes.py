"""Dalvik instruction lengths and the few operand decoders the scanner needs.

The scanner never builds instruction objects: it walks a method's 16-bit code units with this
length table, so confirming a call site or resolving a constant costs one pass over one method.
"""
from __future__ import annotations

# instruction length in 16-bit code units, by opcode (formats from the Dalvik bytecode spec)
LENGTH = [1] * 256


def _set(lo: int, hi: int, n: int) -> None:
    for op in range(lo, hi + 1):
        LENGTH[op] = n


_set(0x00, 0x01, 1)
_set(0x02, 0x02, 2)
_set(0x03, 0x03, 3)
_set(0x04, 0x04, 1)
_set(0x05, 0x05, 2)
_set(0x06, 0x06, 3)
_set(0x07, 0x07, 1)
_set(0x08, 0x08, 2)
_set(0x09, 0x09, 3)
_set(0x0A, 0x12, 1)
_set(0x13, 0x13, 2)
_set(0x14, 0x14, 3)
_set(0x15, 0x16, 2)
_set(0x17, 0x17, 3)
_set(0x18, 0x18, 5)
_set(0x19, 0x1A, 2)
_set(0x1B, 0x1B, 3)
_set(0x1C, 0x1C, 2)
_set(0x1D, 0x1E, 1)
_set(0x1F, 0x20, 2)
_set(0x21, 0x21, 1)
_set(0x22, 0x23, 2)
_set(0x24, 0x26, 3)
_set(0x27, 0x28, 1)
_set(0x29, 0x29, 2)
_set(0x2A, 0x2C, 3)
_set(0x2D, 0x3D, 2)
_set(0x3E, 0x43, 1)
_set(0x44, 0x6D, 2)
_set(0x6E, 0x72, 3)
_set(0x73, 0x73, 1)
_set(0x74, 0x78, 3)
_set(0x79, 0x7A, 1)
_set(0x7B, 0x8F, 1)
_set(0x90, 0xAF, 2)
_set(0xB0, 0xCF, 1)
_set(0xD0, 0xE2, 2)
_set(0xE3, 0xF9, 1)
_set(0xFA, 0xFB, 4)
_set(0xFC, 0xFD, 3)
_set(0xFE, 0xFF, 2)

INVOKE_35C = frozenset(range(0x6E, 0x73)) | {0xFC}
INVOKE_3RC = frozenset(range(0x74, 0x79)) | {0xFD}
INVOKE = INVOKE_35C | INVOKE_3RC
INVOKE_STATIC = (0x71, 0x77)
SGET = frozenset(range(0x60, 0x67))
SGET_OBJECT = 0x62
CONST_STRING = 0x1A
CONST_STRING_JUMBO = 0x1B
MOVE_RESULT_OBJECT = 0x0C
MOVE_RESULT = (0x0A, 0x0B, 0x0C)

# opcodes whose first (A / AA) operand is a register they write: a later read of that register
# sees this instruction's value (used by the backward constant scan)
_WRITES_A_4 = ({0x01, 0x04, 0x07, 0x12, 0x20, 0x21, 0x23} | set(range(0x52, 0x59)) | set(range(0x7B, 0x90))
               | set(range(0xB0, 0xD8)))
_WRITES_A_8 = ({0x02, 0x05, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B,
                0x1C, 0x1F, 0x22, 0xFE, 0xFF} | set(range(0x2D, 0x32)) | set(range(0x44, 0x4B))
               | set(range(0x60, 0x67)) | set(range(0x90, 0xB0)) | set(range(0xD8, 0xE3)))
_WRITES_A_16 = {0x03, 0x06, 0x09}   # 32x: AAAA at unit 1


def payload_length(units, pos: int) -> int | None:
    """Length of a switch / array payload pseudo-instruction at `pos` (nop with high byte 1..3)."""
    ident = units[pos]
    if ident == 0x0100:        # packed-switch-payload: ident, size, first_key(2), targets(size*2)
        return 4 + units[pos + 1] * 2
    if ident == 0x0200:        # sparse-switch-payload: ident, size, keys(size*2), targets(size*2)
        return 2 + units[pos + 1] * 4
    if ident == 0x0300:        # fill-array-data-payload: ident, width, size(2), data
        width = units[pos + 1]
        size = units[pos + 2] | (units[pos + 3] << 16)
        return 4 + (size * width + 1) // 2
    return None


def written_register(units, pos: int) -> int | None:
    """The register the instruction at `pos` writes, if it writes one (approximate, enough for constants)."""
    u = units[pos]
    op = u & 0xFF
    if op in _WRITES_A_4:
        return (u >> 8) & 0x0F
    if op in _WRITES_A_8:
        return u >> 8
    if op in _WRITES_A_16:
        return units[pos + 1]
    return None


def invoke_registers(units, pos: int) -> list[int]:
    """Argument registers of an invoke-* at `pos` (35c or 3rc)."""
    u = units[pos]
    op = u & 0xFF
    if op in INVOKE_3RC:
        count = u >> 8
        first = units[pos + 2]
        return list(range(first, first + count))
    count = u >> 12
    g = (u >> 8) & 0x0F
    fedc = units[pos + 2]
    regs = [fedc & 0xF, (fedc >> 4) & 0xF, (fedc >> 8) & 0xF, (fedc >> 12) & 0xF, g]
    return regs[:count]
