"""Undo Content-Encoding (gzip, deflate, br, zstd) with a hard output cap, so a compression bomb or a
small stream in front of plain bytes cannot hide what the app really sent."""
from __future__ import annotations

import zlib

DECODE_CAP = 8 * 1024 * 1024        # bytes of decoded content kept per part


class DecodeError(Exception):
    pass


def _zlib(data: bytes, wbits: int, cap: int) -> tuple[bytes, bool]:
    """Every member of the stream (gzip may hold several); bytes after the last one are kept as sent, so a
    small compressed stream in front cannot hide what follows it."""
    out, rest = b"", data
    while True:
        d = zlib.decompressobj(wbits)
        out += d.decompress(rest, cap + 1 - len(out))
        if len(out) > cap:
            return out[:cap], True
        if not d.eof:
            out += d.flush()
            if not d.eof:
                raise DecodeError("truncated stream")
        rest = d.unused_data
        if not rest:
            return out, False
        if not (wbits & 16 and rest[:2] == b"\x1f\x8b"):      # not another gzip member: trailing bytes, as sent
            out = out + b"\n" + rest
            return (out[:cap], True) if len(out) > cap else (out, False)


def _gzip(data: bytes, cap: int) -> tuple[bytes, bool]:
    try:
        return _zlib(data, 16 + zlib.MAX_WBITS, cap)
    except zlib.error as exc:
        raise DecodeError(str(exc)) from None


def _deflate(data: bytes, cap: int) -> tuple[bytes, bool]:
    try:
        return _zlib(data, zlib.MAX_WBITS, cap)          # zlib wrapper (what the RFC means)
    except zlib.error:
        try:
            return _zlib(data, -zlib.MAX_WBITS, cap)     # raw deflate (what many clients send)
        except zlib.error as exc:
            raise DecodeError(str(exc)) from None


def _br(data: bytes, cap: int) -> tuple[bytes, bool]:
    import brotli
    d = brotli.Decompressor()
    out = bytearray()
    try:
        for i in range(0, len(data), 1024):          # small input steps keep a bomb's output bounded
            out += d.process(data[i:i + 1024])
            if len(out) > cap:
                return bytes(out[:cap]), True
    except brotli.error as exc:
        raise DecodeError(str(exc)) from None
    if not d.is_finished():
        raise DecodeError("truncated stream")
    return bytes(out), False


def _zstd(data: bytes, cap: int) -> tuple[bytes, bool]:
    import io

    import zstandard
    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True) as r:
            out = r.read(cap + 1)
    except zstandard.ZstdError as exc:
        raise DecodeError(str(exc)) from None
    if len(out) > cap:
        return out[:cap], True
    return out, False


DECODERS = {"gzip": _gzip, "x-gzip": _gzip, "deflate": _deflate, "br": _br, "zstd": _zstd}


def content_decode(data: bytes, content_encoding: str, cap: int = DECODE_CAP) -> tuple[bytes, bool, list[str]]:
    """Undo Content-Encoding (applied in order, so undone in reverse). Returns (bytes, capped, errors).

    On a body that claims an encoding and is not, the bytes as sent are returned with an error.
    """
    errors: list[str] = []
    capped = False
    original, raw_len = data, len(data)
    encs = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
    for enc in reversed(encs):
        if enc in ("identity", "none"):
            continue
        fn = DECODERS.get(enc)
        if fn is None:
            errors.append(f"content-encoding {enc!r} not supported; scanned as sent")
            break
        try:
            data, c = fn(data, cap)
            capped |= c
        except DecodeError as exc:
            errors.append(f"content-encoding {enc}: {exc}; scanned as sent")
            break
    if not encs and data[:2] == b"\x1f\x8b":      # SDKs often gzip without saying so
        try:
            data, c = _gzip(data, cap)
            capped |= c
        except DecodeError:
            pass
    if not data and raw_len:                  # a "successful" decode of something into nothing hides the body
        errors.append("content-encoding decoded to nothing; scanned as sent")
        data = original
    if len(data) > cap:
        data, capped = data[:cap], True
    return data, capped, errors
