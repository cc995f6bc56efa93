"""Body decoding: content-encodings, multipart, forms, JSON escapes, protobuf; bad bodies never raise."""
from __future__ import annotations

import gzip
import json
import os
import zlib

import brotli
import zstandard

from sdkgate.net.decode import content_decode, decode_body, protobuf_strings

from .helpers import CLIP, IMEI, pb_field


def wheres(d):
    return {p.where for p in d.parts}


def joined(d) -> bytes:
    return b"\n".join(r for p in d.parts for r in p.reps)


def test_content_encodings_round_trip():
    body = b'{"imei":"%s"}' % IMEI.encode()
    for enc, data in [("gzip", gzip.compress(body)), ("deflate", zlib.compress(body)),
                      ("deflate", zlib.compress(body)[2:-4]), ("br", brotli.compress(body)),
                      ("zstd", zstandard.ZstdCompressor().compress(body)),
                      ("gzip, br", brotli.compress(gzip.compress(body)))]:
        out, capped, errs = content_decode(data, enc)
        assert (out, capped, errs) == (body, False, []), enc


def test_claims_gzip_and_is_not():
    out, capped, errs = content_decode(b"imei=" + IMEI.encode(), "gzip")
    assert out == b"imei=" + IMEI.encode() and not capped
    assert errs and "gzip" in errs[0]


def test_truncated_gzip_is_reported():
    out, capped, errs = content_decode(gzip.compress(os.urandom(5000))[:100], "gzip")
    assert errs and "truncated" in errs[0]


def test_decompression_bomb_is_capped_and_marked():
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    out, capped, errs = content_decode(bomb, "gzip", cap=1024 * 1024)
    assert capped and len(out) == 1024 * 1024
    d = decode_body(bomb, "application/octet-stream", "gzip", cap=1024 * 1024)
    assert d.capped


def test_unknown_encoding_is_scanned_as_sent():
    out, _, errs = content_decode(b"abc", "compress")
    assert out == b"abc" and "not supported" in errs[0]


def test_gzip_without_header_is_sniffed():
    d = decode_body(gzip.compress(json.dumps({"c": CLIP}).encode()), "application/json", "")
    assert "body.json" in wheres(d) and CLIP.encode() in joined(d)


def test_json_unicode_escapes_are_resolved():
    raw = b'{"c": "\\u0073dkgate-clip-7f3a9c \\u003e>?", "u": "http:\\/\\/x"}'
    d = decode_body(raw, "application/json", "")
    assert wheres(d) == {"body.json"}
    assert CLIP.encode() in joined(d)


def test_non_utf8_json():
    raw = json.dumps({"clip": "剪贴板 " + CLIP}, ensure_ascii=False).encode("gbk")
    d = decode_body(raw, "application/json; charset=gbk", "")
    assert "body.json" in wheres(d) and CLIP.encode() in joined(d)
    assert any("not UTF-8" in e for e in d.errors)
    raw16 = json.dumps({"imei": IMEI}).encode("utf-16")
    d = decode_body(raw16, "application/json", "")
    assert IMEI.encode() in joined(d)


def test_form_fields():
    d = decode_body(b"a=1&imei=" + IMEI.encode() + b"&m=02%3A1a", "application/x-www-form-urlencoded", "")
    assert {"form:a", "form:imei", "form:m"} <= wheres(d)
    part = next(p for p in d.parts if p.where == "form:m")
    assert part.reps[0] == b"02%3A1a" and b"02:1a" in part.reps


def test_multipart_parts_and_nested_encodings():
    b = "XyZb0undary"
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
            f"{{\"imei\":\"{IMEI}\"}}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.gz\"\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Encoding: gzip\r\n\r\n").encode() + \
        gzip.compress(CLIP.encode()) + f"\r\n--{b}--\r\n".encode()
    d = decode_body(body, f"multipart/form-data; boundary={b}", "")
    ws = wheres(d)
    assert "multipart:meta/body.json" in ws and "multipart:file" in ws, ws
    assert CLIP.encode() in next(p for p in d.parts if p.where == "multipart:file").reps[0]


def test_protobuf_walk_finds_nested_strings():
    inner = pb_field(1, IMEI) + pb_field(2, 7)
    msg = pb_field(1, 42) + pb_field(3, inner) + pb_field(4, CLIP)
    strings = protobuf_strings(msg)
    assert IMEI.encode() in strings and CLIP.encode() in strings
    d = decode_body(msg, "application/x-protobuf", "")
    assert wheres(d) == {"body.protobuf"}
    grpc = b"\0" + len(msg).to_bytes(4, "big") + msg
    assert wheres(decode_body(grpc, "application/grpc", "")) == {"body.protobuf"}


def test_garbage_never_raises():
    for ct in ("", "application/json", "application/x-protobuf", "multipart/form-data", "multipart/form-data; boundary=z",
               "application/x-www-form-urlencoded", "application/grpc"):
        for enc in ("", "gzip", "br", "zstd", "deflate"):
            d = decode_body(os.urandom(4096), ct, enc)
            assert d.parts
    assert protobuf_strings(b"\xff\xff\xff") is None


def test_a_compressed_stream_in_front_cannot_hide_what_follows():
    """Bytes after the end of a gzip/deflate stream, a second gzip member and a second zstd frame are all
    scanned: an SDK cannot put a tiny valid stream in front of its plaintext and have the rest ignored."""
    import gzip
    import zlib

    import zstandard
    imei = b"860000000000001"
    tail = gzip.compress(b"hello") + b"imei=" + imei
    d = decode_body(tail, "text/plain", "gzip")
    assert any(imei in r for p in d.parts for r in p.reps)
    two = gzip.compress(b"a=1") + gzip.compress(b"imei=" + imei)
    assert any(imei in r for p in decode_body(two, "text/plain", "gzip").parts for r in p.reps)
    raw = zlib.compressobj(wbits=-15)
    front = raw.compress(b"x") + raw.flush()
    assert any(imei in r for p in decode_body(front + imei, "text/plain", "deflate").parts for r in p.reps)
    frames = zstandard.ZstdCompressor().compress(b"a") + zstandard.ZstdCompressor().compress(imei)
    assert any(imei in r for p in decode_body(frames, "text/plain", "zstd").parts for r in p.reps)


def test_a_body_that_decodes_to_nothing_is_scanned_as_sent():
    import zlib
    empty = zlib.compress(b"")
    d = decode_body(empty, "multipart/form-data; boundary=z", "deflate")
    assert d.parts and any(empty in r for p in d.parts for r in p.reps)
    assert any("decoded to nothing" in e for e in d.errors)
