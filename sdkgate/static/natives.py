"""Native code an APK carries (issue 11): `native` methods declared in its classes and the libraries
shipped in lib/<abi>/, so the report can say which SDK brings native code (its reads are then only
visible to the native hooks, never to the Java call-site scan)."""
from __future__ import annotations

import re

from .dex import Dex, DexError, read_uleb128

ACC_NATIVE = 0x100
LIB_RE = re.compile(r"^lib/([^/]+)/([^/]+\.so)$")


def native_libraries(names: list[str]) -> list[tuple[str, str]]:
    """(abi, file name) of every lib/<abi>/*.so entry."""
    out = []
    for n in names:
        m = LIB_RE.match(n)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def native_methods(dex: Dex) -> list[str]:
    """Smali signatures of every method declared `native` in this DEX."""
    data, out = dex.data, []
    try:
        for cd in dex.class_defs():
            off = cd.class_data_off
            if not off or off >= len(data):
                continue
            sf, off = read_uleb128(data, off)
            inf, off = read_uleb128(data, off)
            dm, off = read_uleb128(data, off)
            vm, off = read_uleb128(data, off)
            for _ in range(sf + inf):
                _, off = read_uleb128(data, off)
                _, off = read_uleb128(data, off)
            for count in (dm, vm):
                midx = 0
                for _ in range(count):
                    diff, off = read_uleb128(data, off)
                    flags, off = read_uleb128(data, off)
                    _, off = read_uleb128(data, off)
                    midx += diff
                    if flags & ACC_NATIVE:
                        out.append(dex.method_sig(midx))
    except (IndexError, DexError):
        pass          # the code scan reports a broken class_data; this listing stays partial
    return out
