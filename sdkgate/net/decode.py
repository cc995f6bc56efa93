"""Turn one request into the parts the matcher scans: headers, cookies, query, decoded body pieces.

Each part has a `where` (e.g. `query:imei`, `header:x-did`, `body.json`, `multipart:file`,
`body.protobuf`) and one or more representations: the bytes as sent, and decoded views (URL
unescaped, JSON strings with \\uXXXX resolved, protobuf string fields). Everything is capped:
a decoded part never exceeds `cap` bytes, and a part that hit the cap is reported as capped, not
silently cut. Decoding never raises on bad traffic: problems are collected in `errors`.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import unquote_to_bytes

from sdkgate.fileio import JsonLimitError, loads_bounded
from sdkgate.net.contentenc import DECODE_CAP, content_decode

MAX_PARTS = 1000                    # multipart parts / form fields / JSON strings groups
MAX_DEPTH = 6                       # nesting (multipart in multipart, protobuf in protobuf)
MAX_PB_FIELDS = 100_000


@dataclass
class Part:
    where: str
    reps: list[bytes]                # first: as sent; then decoded views


@dataclass
class Decoded:
    parts: list[Part] = field(default_factory=list)
    capped: bool = False
    errors: list[str] = field(default_factory=list)

    def add(self, where: str, *reps: bytes) -> None:
        uniq: list[bytes] = []
        for r in reps:
            if r and r not in uniq:
                uniq.append(r)
        if uniq:
            self.parts.append(Part(where, uniq))


# --- URL-ish: query strings, form bodies, cookies -------------------------------------------------

def _unq(raw: str, plus: bool = True) -> bytes:
    if plus:
        raw = raw.replace("+", " ")
    return unquote_to_bytes(raw)


def split_pairs(text: str, sep: str = "&") -> Iterable[tuple[str, str]]:
    for i, pair in enumerate(text.split(sep)):
        if i >= MAX_PARTS:
            return
        if not pair:
            continue
        name, _, val = pair.partition("=")
        yield name.strip(), val


def add_pairs(out: Decoded, prefix: str, text: str, sep: str = "&", plus: bool = True) -> None:
    for name, val in split_pairs(text, sep):
        dname = _unq(name, plus).decode("utf-8", "replace")[:64]
        out.add(f"{prefix}:{dname}", val.encode("latin-1", "replace"), _unq(val, plus), name.encode("latin-1", "replace"))


# --- JSON -----------------------------------------------------------------------------------------

def json_strings(doc, limit: int) -> bytes:
    """Every key and string (and number, for coordinates) of a parsed JSON document, one per line."""
    out: list[str] = []
    size = 0
    stack = [doc]
    while stack and size < limit:
        x = stack.pop()
        if isinstance(x, dict):
            for k, v in x.items():
                out.append(k)
                size += len(k)
                stack.append(v)
        elif isinstance(x, list):
            stack.extend(reversed(x))
        elif isinstance(x, str):
            out.append(x)
            size += len(x)
        elif isinstance(x, (int, float)) and not isinstance(x, bool):
            out.append(repr(x))
    return "\n".join(out).encode("utf-8", "surrogatepass")


def parse_json(data: bytes, errors: list[str]):
    """JSON in any of the encodings json accepts (UTF-8/16/32); other bytes read as latin-1."""
    try:
        return loads_bounded(data, unicode_errors=True), "utf"
    except UnicodeDecodeError:
        pass
    except JsonLimitError as exc:       # deeper than any real payload: its strings are scanned as raw bytes
        errors.append(f"JSON body {exc}: scanned as raw bytes")
        return None, None
    except ValueError:
        return None, None
    try:
        doc = loads_bounded(data.decode("latin-1"))
    except ValueError:
        return None, None
    errors.append("JSON body is not UTF-8: strings scanned as raw bytes")
    return doc, "latin-1"


# --- protobuf -------------------------------------------------------------------------------------

def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(buf) or shift > 63:
            raise ValueError("bad varint")
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def protobuf_strings(buf: bytes, depth: int = 0, budget: list[int] | None = None) -> list[bytes] | None:
    """Walk the protobuf wire format; the string/bytes fields (also of nested messages), or None
    when `buf` is not a well-formed message."""
    if budget is None:
        budget = [MAX_PB_FIELDS]
    out: list[bytes] = []
    i, n = 0, len(buf)
    if n == 0:
        return None
    while i < n:
        budget[0] -= 1
        if budget[0] < 0:
            return out
        try:
            key, i = _varint(buf, i)
        except ValueError:
            return None
        wt, fno = key & 7, key >> 3
        if fno == 0:
            return None
        if wt == 0:
            try:
                _, i = _varint(buf, i)
            except ValueError:
                return None
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        elif wt == 2:
            try:
                ln, i = _varint(buf, i)
            except ValueError:
                return None
            if i + ln > n:
                return None
            sub = buf[i:i + ln]
            i += ln
            nested = protobuf_strings(sub, depth + 1, budget) if depth < MAX_DEPTH and ln >= 2 else None
            if nested:
                out.extend(nested)
            out.append(sub)
        else:
            return None
        if i > n:
            return None
    return out


def _grpc_frames(data: bytes) -> list[bytes] | None:
    out, i = [], 0
    while i + 5 <= len(data):
        ln = int.from_bytes(data[i + 1:i + 5], "big")
        if i + 5 + ln > len(data):
            return None
        out.append(data[i + 5:i + 5 + ln])
        i += 5 + ln
    return out if i == len(data) else None


# --- multipart ------------------------------------------------------------------------------------

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.I)
_NAME = re.compile(rb'\bname="?([^";\r\n]*)"?', re.I)
_FILENAME = re.compile(rb'\bfilename="?([^";\r\n]*)"?', re.I)


def _multipart(out: Decoded, data: bytes, ctype: str, prefix: str, depth: int, cap: int) -> bool:
    m = _BOUNDARY.search(ctype)
    if not m:
        out.errors.append("multipart body without boundary; scanned as sent")
        return False
    delim = b"--" + m.group(1).encode("latin-1")
    chunks = data.split(delim)
    if len(chunks) < 2:
        out.errors.append("multipart body without its boundary; scanned as sent")
        return False
    for k, chunk in enumerate(chunks[1:MAX_PARTS + 1]):
        if chunk.startswith(b"--"):
            break
        head, sep, body = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, body = chunk.partition(b"\n\n")
        if body.endswith(b"\r\n"):
            body = body[:-2]
        headers = {}
        for line in head.split(b"\n"):
            name, _, val = line.decode("latin-1").partition(":")
            if name.strip():
                headers[name.strip().lower()] = val.strip()
        disp = headers.get("content-disposition", "").encode("latin-1")
        nm = _NAME.search(disp)
        name = nm.group(1).decode("utf-8", "replace") if nm else str(k)
        where = f"{prefix}multipart:{name}"
        fn = _FILENAME.search(disp)
        if fn:
            out.add(where + ":filename", fn.group(1))
        sub = decode_body(body, headers.get("content-type", ""), headers.get("content-encoding", ""),
                          cap=cap, depth=depth + 1, prefix=where)
        out.parts += sub.parts
        out.capped |= sub.capped
        out.errors += sub.errors
    return True


# --- the body -------------------------------------------------------------------------------------

def _looks_text(data: bytes) -> bool:
    sample = data[:512]
    return not sample or sum(32 <= b < 127 or b in (9, 10, 13) or b >= 0x80 for b in sample) > 0.9 * len(sample)


def decode_body(raw: bytes, ctype: str, cenc: str, *, cap: int = DECODE_CAP, depth: int = 0,
                prefix: str = "") -> Decoded:
    """Parts of one body: `prefix` + body / body.json / body.protobuf / form:<f> / multipart:<name>."""
    out = Decoded()
    if not raw:
        return out
    data, capped, errs = content_decode(raw, cenc, cap)
    out.capped, out.errors = capped, errs
    base = f"{prefix}/" if prefix else ""
    ct = (ctype or "").lower()
    body_where = prefix or "body"
    if depth > MAX_DEPTH:
        out.add(body_where, data)
        return out
    if _nested(out, data, ct, prefix, base, depth, cap):
        return out
    stripped = data.lstrip()[:1]
    if "multipart/" in ct:
        if _multipart(out, data, ctype, base, depth, cap):
            return out
    if "x-www-form-urlencoded" in ct:
        add_pairs(out, f"{base}form", data.decode("latin-1"))
        return out
    if "json" in ct or stripped in (b"{", b"[") or data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:3] == b"\xef\xbb\xbf":
        doc, how = parse_json(data, out.errors)
        if how is not None:
            strings = json_strings(doc, cap)
            if how == "latin-1":
                strings = strings.decode("utf-8", "surrogatepass").encode("latin-1", "replace")
            out.add(f"{base}body.json", data, strings)
            if _B64_RUN.search(data):            # only documents holding a long base64 run are walked again
                _json_payloads(out, doc, f"{base}body.json:b64", depth, cap)
            return out
        if "json" in ct:
            out.errors.append("body claims JSON and is not; scanned as sent")
    if "grpc" in ct or "protobuf" in ct or "proto" in ct.split("/")[-1] or \
            (not _looks_text(data) and ct in ("", "application/octet-stream")):
        msgs = _grpc_frames(data) if "grpc" in ct else [data]
        strings: list[bytes] = []
        ok = msgs is not None
        for msg in msgs or []:
            s = protobuf_strings(msg)
            if s is None:
                ok = False
                break
            strings += s
        if ok and strings:
            out.add(f"{base}body.protobuf", data, b"\n".join(strings)[:cap])
            return out
        if "proto" in ct or "grpc" in ct:
            out.errors.append("body claims protobuf and is not well-formed; scanned as sent")
    out.add(body_where, data)
    return out


# --- containers the headers do not name (zip, raw deflate, nested gzip, base64 in JSON) -----------

_B64_RUN = re.compile(rb"[A-Za-z0-9+/_\-]{32,}={0,2}\"")
_NESTED_TYPES = ("", "application/octet-stream", "application/zip", "application/x-zip-compressed",
                 "application/gzip", "application/x-gzip", "text/plain", "binary/octet-stream")


def _nested(out: Decoded, data: bytes, ct: str, prefix: str, base: str, depth: int, cap: int) -> bool:
    """Open a body that is itself a container (by magic bytes); True when it was one."""
    from .containers import inflate, multipart_boundary, raw_deflate, sniff, zip_members
    kind = sniff(data)
    plain_ct = ct.split(";")[0].strip()
    if kind is None and plain_ct in _NESTED_TYPES and data.lstrip()[:1] not in (b"{", b"["):
        res = raw_deflate(data, cap)
        if res is not None and (_looks_text(res[0][:512]) or sniff(res[0])):
            inner, capped = res
            return _recurse(out, inner, "", f"{base}deflate" if not prefix else f"{prefix}/deflate", depth, cap, capped)
        return False
    if kind == "gzip":
        res = inflate(data, 16 + zlib.MAX_WBITS, cap)
        if res is None:
            return False
        return _recurse(out, res[0], "", f"{base}gzip" if not prefix else f"{prefix}/gzip", depth, cap, res[1])
    if kind == "zlib" and plain_ct in _NESTED_TYPES:
        res = inflate(data, zlib.MAX_WBITS, cap)
        if res is None:
            return False
        return _recurse(out, res[0], "", f"{base}zlib" if not prefix else f"{prefix}/zlib", depth, cap, res[1])
    if kind == "zip":
        members, capped, errors = zip_members(data, cap)
        out.errors += errors
        out.capped |= capped
        if not members and errors:
            return False
        for name, content in members:
            where = f"{base}zip:{name}" if not prefix else f"{prefix}/zip:{name}"
            out.add(where + ":name", name.encode("utf-8", "replace"))
            _recurse(out, content, "", where, depth, cap, False)
        return True
    if kind == "multipart" and "multipart/" not in ct:
        boundary = multipart_boundary(data)
        return _multipart(out, data, f"multipart/form-data; boundary={boundary}", base, depth, cap)
    return False


def _recurse(out: Decoded, data: bytes, ctype: str, where: str, depth: int, cap: int, capped: bool) -> bool:
    out.capped |= capped
    if capped:
        out.errors.append(f"{where}: decoded content cut at {cap} bytes")
    sub = decode_body(data, ctype, "", cap=cap, depth=depth + 1, prefix=where)
    out.parts += sub.parts
    out.capped |= sub.capped
    out.errors += sub.errors
    return True


def _json_payloads(out: Decoded, doc, where: str, depth: int, cap: int) -> None:
    """JSON strings that are base64 of a container (multipart, zip, gzip, JSON): opened and scanned."""
    from .containers import base64_payload
    stack, seen = [doc], 0
    while stack and seen < MAX_PARTS:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, str):
            seen += 1
            payload = base64_payload(x)
            if payload is not None and depth < MAX_DEPTH:
                _recurse(out, payload, "", where, depth, cap, False)
