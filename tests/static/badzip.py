"""Builders for malformed APKs (written into tmp_path by the tests; never committed)."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path


def write_zip(path: Path, entries: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name, (1981, 1, 1, 1, 1, 2)), data, compress_type=compress)
    return path


def patch_sizes(path: Path, name: str, *, uncompressed: int) -> None:
    """Rewrite the declared uncompressed size of one entry in its local header and the central directory."""
    data = bytearray(path.read_bytes())
    raw = name.encode()
    # central directory file headers: signature PK\1\2, uncompressed size at +24, name at +46
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        nlen = struct.unpack_from("<H", data, i + 28)[0]
        if bytes(data[i + 46:i + 46 + nlen]) == raw:
            struct.pack_into("<I", data, i + 24, uncompressed)
            local = struct.unpack_from("<I", data, i + 42)[0]
            struct.pack_into("<I", data, local + 22, uncompressed)
        i += 4
    path.write_bytes(bytes(data))


def patch_entry_count(path: Path, count: int) -> None:
    """Make the end-of-central-directory record claim `count` entries."""
    data = bytearray(path.read_bytes())
    i = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, i + 8, count & 0xFFFF, count & 0xFFFF)
    path.write_bytes(bytes(data))


def dex_header(file_size: int, actual: int = 0x70, **tables) -> bytes:
    """A DEX header (magic, sizes) padded to `actual` bytes; tables: name=(count, offset)."""
    fields = [0] * 20
    fields[0] = file_size
    fields[1] = 0x70
    fields[2] = 0x12345678
    order = ["string_ids", "type_ids", "proto_ids", "field_ids", "method_ids", "class_defs"]
    for k, (count, off) in tables.items():
        j = 6 + 2 * order.index(k)
        fields[j], fields[j + 1] = count, off
    hdr = b"dex\n035\x00" + b"\x00" * 24 + struct.pack("<20I", *fields)
    return hdr + b"\x00" * max(0, actual - len(hdr))
