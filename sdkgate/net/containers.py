"""Containers SDKs wrap payloads in without saying so: zip archives, raw deflate, gzip inside gzip,
multipart documents base64-encoded inside JSON strings. `decode.decode_body` asks `sniff` what a
body is when its headers do not say; every unpacking is bounded by the caller's cap and reports
`capped` when it cut something.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
import zlib

MAX_MEMBERS = 200                 # zip members unpacked per archive
B64_MIN = 24                      # shortest JSON string worth trying as base64
_B64_RE = re.compile(rb"^[A-Za-z0-9+/_\-\r\n]+={0,2}$")
_MULTIPART_RE = re.compile(rb"^--([!-~]{1,200})\r?\n")


def sniff(data: bytes) -> str | None:
    """'gzip' | 'zip' | 'zlib' | 'multipart' by magic bytes, else None."""
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if len(data) > 2 and data[0] == 0x78 and data[1] in (0x01, 0x5E, 0x9C, 0xDA) and (data[0] << 8 | data[1]) % 31 == 0:
        return "zlib"
    if multipart_boundary(data):
        return "multipart"
    return None


def multipart_boundary(data: bytes) -> str | None:
    """The boundary of a multipart document that starts right away (no Content-Type header at hand)."""
    m = _MULTIPART_RE.match(data)
    if m and b"content-disposition" in data[:4096].lower():
        return m.group(1).decode("latin-1")
    return None


def inflate(data: bytes, wbits: int, cap: int) -> tuple[bytes, bool] | None:
    """Decompress up to `cap` bytes; None when `data` is not such a stream."""
    d = zlib.decompressobj(wbits)
    try:
        out = d.decompress(data, cap + 1)
    except zlib.error:
        return None
    if len(out) > cap:
        return out[:cap], True
    if not d.eof and not out:
        return None
    return out, False


def raw_deflate(data: bytes, cap: int) -> tuple[bytes, bool] | None:
    """Headerless deflate (Deflater(nowrap=true), what many SDKs send as octet-stream). Only a stream
    that ends cleanly and decodes to something counts: random bytes often start a valid block."""
    d = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        out = d.decompress(data, cap + 1)
    except zlib.error:
        return None
    if len(out) > cap:
        return out[:cap], True
    if not d.eof or not out or d.unused_data:
        return None
    return out, False


def zip_members(data: bytes, cap: int) -> tuple[list[tuple[str, bytes]], bool, list[str]]:
    """(name, content) of the archive's files, each read up to `cap` bytes, total up to `cap`."""
    out: list[tuple[str, bytes]] = []
    errors: list[str] = []
    capped = False
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return [], False, [f"zip body unreadable: {exc}"]
    budget = cap
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        capped = True
        errors.append(f"zip with {len(infos)} members: the first {MAX_MEMBERS} scanned")
    for info in infos[:MAX_MEMBERS]:
        if info.is_dir():
            continue
        if budget <= 0:
            capped = True
            break
        try:
            with zf.open(info) as f:
                content = f.read(budget + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError, zlib.error) as exc:
            errors.append(f"zip member {info.filename!r}: {exc}")
            continue
        if len(content) > budget:
            content, capped = content[:budget], True
        budget -= len(content)
        out.append((info.filename[:128], content))
    return out, capped, errors


def base64_payload(s: str) -> bytes | None:
    """A JSON string that is base64 of a container worth opening (multipart, zip, gzip, JSON)."""
    if len(s) < B64_MIN:
        return None
    raw = s.encode("latin-1", "ignore")
    if not _B64_RE.match(raw):
        return None
    core = raw.replace(b"\r", b"").replace(b"\n", b"").rstrip(b"=")
    try:
        data = base64.b64decode(core + b"=" * (-len(core) % 4), altchars=b"-_" if b"-" in core or b"_" in core else None)
    except (binascii.Error, ValueError):
        return None
    if sniff(data) or data.lstrip()[:1] in (b"{", b"["):
        return data
    return None
