"""Native code an APK carries (issue 11): `native` methods declared in its classes and the libraries
shipped in lib/<abi>/, so the report can say which SDK brings native code (its reads are then only
visible to the native hooks, never to the Java call-site scan)."""
from __future__ import annotations

import re

from .dex import Dex, DexError

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
    """Smali signatures of every method declared `native` in this DEX (partial when its class data breaks off:
    the code scan reports that)."""
    try:
        idxs = dex.native_method_indices()
    except DexError:
        idxs = dex._natives
    out = []
    for midx in idxs:
        try:
            out.append(dex.method_sig(midx))
        except (IndexError, DexError):
            break
    return out
