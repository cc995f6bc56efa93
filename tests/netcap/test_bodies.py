"""Containers SDKs do not announce: zip archives (whole body or one multipart part), raw deflate,
gzip inside gzip, zip inside gzip, multipart base64-encoded inside a JSON string; bounded by the
decode cap and reported as capped when cut."""
from __future__ import annotations

import base64
import gzip
import io
import json
import zipfile
import zlib

from sdkgate.net.decode import decode_body
from sdkgate.net.matcher import Matcher
from tests.net.helpers import ANDROID_ID, CANARIES, IMEI

M = Matcher({k: [v] for k, v in CANARIES.items()})


def _found(d) -> set[tuple[str, str]]:
    return {(m.category, p.where) for p in d.parts for rep in p.reps for m in M.scan(rep)}


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, c in files.items():
            z.writestr(n, c)
    return buf.getvalue()


def _raw_deflate(b: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(b) + c.flush()


PAYLOAD = json.dumps({"imei": IMEI, "aid": ANDROID_ID}).encode()


def test_zip_body():
    d = decode_body(_zip({"log/events.json": PAYLOAD}), "application/octet-stream", "")
    assert ("device_id.imei", "zip:log/events.json/body.json") in _found(d)


def test_zip_in_a_multipart_part():
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.zip\"\r\n"
            b"Content-Type: application/zip\r\n\r\n" + _zip({"a.txt": PAYLOAD}) + b"\r\n--XyZ--\r\n")
    d = decode_body(body, "multipart/form-data; boundary=XyZ", "")
    assert any(c == "device_id.android_id" and "zip:a.txt" in w for c, w in _found(d))


def test_raw_deflate_and_nested_gzip_and_zip_in_gzip():
    assert ("device_id.imei", "deflate/body.json") in _found(decode_body(_raw_deflate(PAYLOAD), "", ""))
    assert any(c == "device_id.imei" for c, _ in _found(decode_body(gzip.compress(gzip.compress(PAYLOAD)), "", "")))
    assert any(c == "device_id.imei" and "zip:x" in w
               for c, w in _found(decode_body(gzip.compress(_zip({"x": PAYLOAD})), "", "")))


def test_multipart_base64_inside_a_json_string():
    mp = (b"--b0undary\r\nContent-Disposition: form-data; name=\"dev\"\r\n\r\n" + PAYLOAD + b"\r\n--b0undary--\r\n")
    body = json.dumps({"v": 2, "payload": base64.b64encode(mp).decode()}).encode()
    d = decode_body(body, "application/json", "")
    assert any(c == "device_id.imei" and w.startswith("body.json:b64") for c, w in _found(d))


def test_bounded_and_capped():
    big = _zip({"big.txt": b"A" * 200_000 + IMEI.encode()})
    d = decode_body(big, "", "", cap=50_000)
    assert d.capped
    assert ("device_id.imei", "zip:big.txt") not in _found(d)      # beyond the cap: not claimed as seen
    d2 = decode_body(_raw_deflate(b"B" * 200_000), "", "", cap=10_000)
    assert d2.capped


def test_random_bytes_are_not_taken_for_deflate():
    import os
    d = decode_body(os.urandom(300), "application/octet-stream", "")
    assert not any(p.where.startswith("deflate") for p in d.parts)
