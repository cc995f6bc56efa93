"""Protobuf wire-format encoding (the decoder's twin): simulated SDK bodies and test bodies are built here."""
from __future__ import annotations


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(no: int, value: int | str | bytes) -> bytes:
    """Field `no`: an int as a varint (wire type 0), text or bytes length-delimited (wire type 2)."""
    if isinstance(value, int):
        return varint(no << 3) + varint(value)
    data = value.encode("utf-8") if isinstance(value, str) else value
    return varint(no << 3 | 2) + varint(len(data)) + data
