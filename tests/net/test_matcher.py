"""The canary matcher finds each planted value in every form SDKs use, and nothing else."""
from __future__ import annotations

import base64
import hashlib
import os
from urllib.parse import quote

import pytest

from sdkgate.net.matcher import Matcher, base64_cores

from .helpers import ANDROID_ID, CANARIES, CLIP, IMEI, LOC, MAC, OAID

M = Matcher({k: [v] for k, v in CANARIES.items()})


def found(data) -> set[tuple[str, str]]:
    return {(m.category, m.encoding) for m in M.scan(data)}


def h(name, s):
    return hashlib.new(name, s.encode()).digest()


CASES = [
    (IMEI.encode(), "device_id.imei", "plain"),
    (ANDROID_ID.upper().encode(), "device_id.android_id", "upper"),
    (MAC.upper().encode(), "device_id.mac", "upper"),
    (MAC.replace(":", "").encode(), "device_id.mac", "nosep"),
    (MAC.replace(":", "").upper().encode(), "device_id.mac", "nosep-upper"),
    (MAC.replace(":", "-").encode(), "device_id.mac", "dash"),
    (MAC.replace(":", "-").upper().encode(), "device_id.mac", "dash-upper"),
    (quote(MAC, safe="").encode(), "device_id.mac", "url"),
    (OAID.encode().hex().encode(), "device_id.oaid", "hex"),
    (OAID.encode().hex().upper().encode(), "device_id.oaid", "hex-upper"),
    (base64.b64encode(IMEI.encode()), "device_id.imei", "base64"),
    (base64.b64encode(CLIP.encode()).rstrip(b"="), "clipboard", "base64-nopad"),
    (hashlib.md5(IMEI.encode()).hexdigest().encode(), "device_id.imei", "md5-hex"),
    (hashlib.md5(IMEI.encode()).hexdigest().upper().encode(), "device_id.imei", "md5-hex-upper"),
    (hashlib.sha1(ANDROID_ID.encode()).hexdigest().encode(), "device_id.android_id", "sha1-hex"),
    (hashlib.sha256(OAID.encode()).hexdigest().upper().encode(), "device_id.oaid", "sha256-hex-upper"),
    (base64.b64encode(h("sha256", OAID)), "device_id.oaid", "sha256-b64"),
    (base64.urlsafe_b64encode(h("sha256", IMEI)).rstrip(b"="), "device_id.imei", "sha256-b64-url"),
    (base64.b64encode(h("md5", ANDROID_ID)), "device_id.android_id", "md5-b64"),
    (hashlib.md5(ANDROID_ID.upper().encode()).hexdigest().encode(), "device_id.android_id", "md5-hex(upper)"),
    (hashlib.sha1(MAC.replace(":", "").encode()).hexdigest().encode(), "device_id.mac", "sha1-hex(nosep)"),
    (hashlib.md5(MAC.replace(":", "").upper().encode()).hexdigest().upper().encode(), "device_id.mac",
     "md5-hex-upper(nosep-upper)"),
    (hashlib.sha256(OAID.upper().encode()).hexdigest().encode(), "device_id.oaid", "sha256-hex(upper)"),
    (b'{"lat":39.9123,"lon":116.3123}', "location", "latlon-4dp"),
    (b"loc=116.31,39.91", "location", "latlon-2dp"),
    (b"39.912345|116.312345", "location", "latlon-6dp"),
    (b"39.91234,116.31234", "location", "latlon-5dp"),          # truncated rather than rounded
    (LOC.encode(), "location", "plain"),
]


@pytest.mark.parametrize("data,category,encoding", CASES, ids=[c[2] + ":" + c[1] for c in CASES])
def test_every_form_is_found_with_its_encoding(data, category, encoding):
    got = found(b"xx" + data + b"yy")
    assert (category, encoding) in got, got


@pytest.mark.parametrize("shift", [0, 1, 2])
@pytest.mark.parametrize("urlsafe", [False, True])
def test_base64_at_every_alignment_inside_a_longer_blob(shift, urlsafe):
    blob = os.urandom(30 + shift) + IMEI.encode() + os.urandom(41)
    enc = base64.urlsafe_b64encode(blob) if urlsafe else base64.b64encode(blob)
    got = found(enc)
    # the alignment of the value inside the blob decides which of the three cores appears
    align = (30 + shift) % 3
    encs = {e for c, e in got if c == "device_id.imei"}
    if align == 0:     # 15 bytes at offset 0 mod 3: the core is the value's own base64
        assert "base64" in encs, got
    else:              # the url-safe core is named as the standard one when the two are equal
        assert encs & {f"base64-shift{align}", f"base64-url-shift{align}"}, got


def test_url_safe_base64_forms():
    value = "id>>>???~~~>>>"                       # its base64 contains '+' and '/'
    std = base64.b64encode(value.encode())
    assert b"+" in std or b"/" in std
    m = Matcher({"device_id.serial": [value]})
    url = base64.urlsafe_b64encode(value.encode())
    assert [x.encoding for x in m.scan(url)] == ["base64-url"]
    assert [x.encoding for x in m.scan(b"=" + url.rstrip(b"=") + b"&")] == ["base64-url-nopad"]
    assert [x.encoding for x in m.scan(b"xyz" + base64.urlsafe_b64encode(b"Q" + value.encode()))] == ["base64-url-shift1"]


def test_base64_cores_are_substrings_of_real_encodings():
    for pre in range(6):
        data = b"P" * pre + b"some-identifier-123" + b"S" * 5
        enc = base64.b64encode(data).decode()
        cores = dict(base64_cores(b"some-identifier-123", False))
        assert cores[pre % 3] in enc


def test_a_lone_latitude_is_not_a_location():
    assert ("location", "latlon-4dp") not in found(b'{"lat":39.9123}')
    assert not any(c == "location" for c, _ in found(b"39.91"))


def test_contained_forms_are_reported_once():
    # the padded base64 of a digest contains its unpadded form: one match, the longer one
    data = base64.b64encode(h("md5", IMEI))
    encs = [m.encoding for m in M.scan(data) if m.category == "device_id.imei"]
    assert encs == ["md5-b64"], encs
    # a plain location contains its latitude and longitude: reported as plain only
    assert [m.encoding for m in M.scan(LOC.encode())] == ["plain"]


def test_no_false_positive_on_random_bytes():
    data = os.urandom(1 << 20)
    assert M.scan(data) == [] or all(m.category != "location" for m in M.scan(data)) and len(M.scan(data)) == 0


def test_utf8_values_and_text_input():
    m = Matcher({"clipboard": ["复制的文本-sdkgate"]})
    assert [x.encoding for x in m.scan("前缀 复制的文本-sdkgate 后缀".encode())] == ["plain"]
    assert [x.encoding for x in m.scan("复制的文本-sdkgate")] == ["plain"]
    assert [x.encoding for x in m.scan(base64.b64encode("复制的文本-sdkgate".encode()))] == ["base64"]


def test_stream_scan_finds_a_form_split_across_chunks():
    payload = b"a" * 1000 + hashlib.md5(IMEI.encode()).hexdigest().encode() + b"b" * 1000
    s = M.stream()
    for i in range(0, len(payload), 7):        # the digest is cut in several places
        s.feed(payload[i:i + 7])
    assert [(m.category, m.encoding) for m in s.matches()] == [("device_id.imei", "md5-hex")]
    assert s.bytes == len(payload)


def test_one_automaton_many_patterns():
    assert M.pattern_count > 300          # every form of 8 canaries, deduplicated
    assert M.max_len >= 64                # sha256 hex
