"""A policy file's bytes and text, bounded: size before reading, regular files only, one strict decoding order.

Decoding never switches silently to an encoding that loses the text: UTF-8 (strict) first, then a BOM's
encoding, then GB18030 when it decodes cleanly and the bytes are not UTF-8 with a few stray bytes, then UTF-16
without a BOM only when the NUL-byte pattern says so; otherwise exit 2 naming the first bad byte's offset.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class PolicyLimits:
    """Every bound of `manifest from-policy` in one place (tests pass small ones and a fake clock)."""
    max_bytes: int = 20 * 1024 * 1024        # file size, checked before reading
    max_block_chars: int = 2000              # a longer paragraph is cut at sentence ends (regexes stay cheap)
    html_max_depth: int = 128                # deeper HTML elements are read as text of the element at the bound
    html_max_cols: int = 64                  # table columns (colspan) kept per row
    pdf_max_pages: int = 1000
    pdf_max_objects: int = 200_000
    pdf_max_inflated: int = 64 * 1024 * 1024   # bytes of decoded streams, all streams together
    pdf_max_operators: int = 2_000_000       # content-stream tokens (operators, operands), all pages
    pdf_max_chars: int = 8_000_000           # characters of extracted text
    pdf_max_seconds: float = 30.0
    clock: object = None                     # () -> seconds; default time.monotonic


class NoTextError(Exception):
    """A readable file that holds no text (empty, only markup or images): `from-policy` exits 3."""

    def __init__(self, file: str):
        self.file = file
        super().__init__(f"{file}: no text found")


_KIND = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> str:
    return next((what for test, what in _KIND if test(mode)), "not a regular file")


def read_bounded(path: str | Path, limits: PolicyLimits) -> bytes:
    """The file's bytes: only a regular file (no FIFO, device, directory), its size checked before reading."""
    name = str(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputError(name, None, "file not found") from None
    except OSError as exc:
        raise InputError(name, None, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(name, None, f"{_not_regular(st.st_mode)}, not a regular file: not read")
    _check_size(name, st.st_size, limits)
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the stat does not hang the open
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(name, None, f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputError(name, None, f"{_not_regular(st.st_mode)}, not a regular file: not read")
        _check_size(name, st.st_size, limits)
        data = fh.read(limits.max_bytes + 1)
    _check_size(name, len(data), limits)
    return data


def _check_size(name: str, size: int, limits: PolicyLimits) -> None:
    if size > limits.max_bytes:
        raise InputError(name, None, f"{size} bytes, larger than the {limits.max_bytes // (1024 * 1024)} MiB limit "
                                     "for a privacy policy: not read")


# ------------------------------------------------------------------------------------------------ decoding
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# one well-formed UTF-8 multi-byte sequence
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|"
                       rb"\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|"
                       rb"\xf4[\x80-\x8f][\x80-\xbf]{2}")
_HIGH = re.compile(rb"[\x80-\xff]")


def decode_text(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
        if "\x00" not in text:
            return text
        utf16 = _utf16_by_nuls(data)        # ASCII-only UTF-16 is valid UTF-8 with NULs in every other byte
        return data.decode(utf16) if utf16 else text
    except UnicodeDecodeError as exc:
        utf8_error = exc
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise InputError(name, f"byte {exc.start + len(bom)}",
                                 f"marked {enc} by its BOM but not valid {enc}: not decoded") from None
    if not _mostly_utf8(data):
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    utf16 = _utf16_by_nuls(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise InputError(name, f"byte {exc.start}", f"looks like {utf16} (NUL-byte pattern) but does not decode "
                                                          "as it: not decoded") from None
    b = data[utf8_error.start:utf8_error.start + 1]
    raise InputError(name, f"byte {utf8_error.start}",
                     f"not valid UTF-8 (byte 0x{b.hex()} at offset {utf8_error.start}) and no other encoding "
                     "(BOM, GB18030, UTF-16) reads the whole file: fix the encoding or convert it to UTF-8")


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 text with a few stray bytes (GB18030 would 'decode' it into nonsense)."""
    high = len(_HIGH.findall(data))
    if not high:
        return False
    covered = sum(len(m) for m in _UTF8_SEQ.findall(data))
    return covered >= 0.9 * high


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 without a BOM: Latin text in it has NUL in every other byte (LE: odd offsets, BE: even)."""
    head = data[:65536]
    n = len(head) // 2
    if n < 2 or len(data) % 2:
        return None
    even = head[0:2 * n:2].count(0)
    odd = head[1:2 * n:2].count(0)
    if odd >= 0.3 * n and even <= 0.02 * n:
        return "utf-16-le"
    if even >= 0.3 * n and odd <= 0.02 * n:
        return "utf-16-be"
    return None
