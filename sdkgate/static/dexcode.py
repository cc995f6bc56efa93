"""The parts of a DEX code item and class definition that dex.py does not decode up front: the register
header, the try/catch table (exception edges of the control-flow graph, cfg.py) and the initial values of
`static final` fields (constant class and member names a reflective call reads from a field, values.py).

Every offset is checked; a corrupt item raises DexError, like dex.py."""
from __future__ import annotations

import struct
from typing import NamedTuple

from .dex import Dex, DexError, read_uleb128


class CodeHeader(NamedTuple):
    registers: int
    ins: int            # the last `ins` registers hold the arguments (`this` first for instance methods)
    tries: int
    insns: int          # code units


class Try(NamedTuple):
    start: int          # code unit
    end: int            # exclusive
    handlers: tuple[tuple[str | None, int], ...]    # (exception type or None for catch-all, handler code unit)


def _sleb128(data: bytes, pos: int) -> tuple[int, int]:
    result, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            break
        if shift > 35:
            raise DexError(f"bad sleb128 at offset {pos:#x}")
    if b & 0x40:
        result -= 1 << shift
    return result, pos


def code_header(dex: Dex, method_idx: int) -> CodeHeader | None:
    off = dex.code_offsets.get(method_idx)
    if off is None:
        return None
    if off + 16 > len(dex.data):
        raise DexError(f"{dex.name}: code item at {off:#x} outside the file")
    regs, ins, _outs, tries, _dbg, insns = struct.unpack_from("<HHHHII", dex.data, off)
    return CodeHeader(regs, ins, tries, insns)


def tries_of(dex: Dex, method_idx: int) -> list[Try]:
    """The method's try ranges with their handlers (type descriptors), in table order."""
    off = dex.code_offsets.get(method_idx)
    if off is None:
        return []
    data = dex.data
    _regs, _ins, _outs, n_tries, _dbg, insns = struct.unpack_from("<HHHHII", data, off)
    if not n_tries:
        return []
    pos = off + 16 + 2 * insns
    if insns & 1:
        pos += 2                                    # padding to 4 bytes
    lists = pos + 8 * n_tries
    if lists > len(data):
        raise DexError(f"{dex.name}: try table of the code item at {off:#x} runs past the end of the file")
    out: list[Try] = []
    try:
        for i in range(n_tries):
            start, count, hoff = struct.unpack_from("<IHH", data, pos + 8 * i)
            p = lists + hoff
            size, p = _sleb128(data, p)
            handlers = []
            for _ in range(abs(size)):
                t, p = read_uleb128(data, p)
                addr, p = read_uleb128(data, p)
                handlers.append((dex.type_name(t), addr))
            if size <= 0:
                addr, p = read_uleb128(data, p)
                handlers.append((None, addr))
            out.append(Try(start, start + count, tuple(handlers)))
    except IndexError:
        raise DexError(f"{dex.name}: catch handlers of the code item at {off:#x} run past the end of the file") from None
    return out


# encoded_value types (DEX format): only what a constant name can be
_VALUE_STRING, _VALUE_TYPE, _VALUE_NULL, _VALUE_BOOLEAN = 0x17, 0x18, 0x1E, 0x1F
_VALUE_INT_KINDS = (0x00, 0x02, 0x03, 0x04, 0x06)    # byte, short, char, int, long


def static_strings(dex: Dex, class_def_index: int) -> dict[int, str]:
    """field idx -> initial value of the class's static String fields that have one (`static final String
    NAME = "..."` is stored in the class definition, not assigned in <clinit>)."""
    raw = dex.data
    base = dex._classes_off + 32 * class_def_index
    if base + 32 > len(raw):
        return {}
    _t, _a, _s, _i, _src, _ann, class_data, static_values = struct.unpack_from("<8I", raw, base)
    if not class_data or not static_values:
        return {}
    try:
        n_static, p = read_uleb128(raw, class_data)
        _inst, p = read_uleb128(raw, p)
        _dm, p = read_uleb128(raw, p)
        _vm, p = read_uleb128(raw, p)
        fields, idx = [], 0
        for _ in range(n_static):
            diff, p = read_uleb128(raw, p)
            _flags, p = read_uleb128(raw, p)
            idx += diff
            fields.append(idx)
        size, p = read_uleb128(raw, static_values)
        out: dict[int, str] = {}
        for i in range(min(size, len(fields))):
            head = raw[p]
            p += 1
            vtype, varg = head & 0x1F, head >> 5
            if vtype == _VALUE_STRING:
                n = int.from_bytes(raw[p:p + varg + 1], "little")
                out[fields[i]] = dex.string(n)
                p += varg + 1
            elif vtype in (_VALUE_NULL, _VALUE_BOOLEAN):
                continue
            elif vtype in _VALUE_INT_KINDS or vtype in (0x10, 0x11, 0x15, 0x16, 0x18, 0x19, 0x1A, 0x1B):
                p += varg + 1
            else:                                   # arrays, annotations: never a String field's value
                break
        return out
    except (IndexError, DexError):
        return {}
