"""The HTTP request of a simulated SDK send: the values the app read, transformed by the send's value
encodings (hashes, base64, hex ...) and packed into its body container (JSON, gzip, protobuf, form,
query, text, multipart), its headers (a category's value or a text), then the app's own body transforms
(`xor: KEY`, base64 ...), as an SDK would put them on the wire for the proxy to see."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import urllib.parse

from ..net.protobuf import field as pb_field
from ..taxonomy import categories
from .appmodel import SendSpec


def transform_value(value: str, steps: tuple[str, ...]) -> str:
    v = value
    for t in steps:
        if t == "upper":
            v = v.upper()
        elif t == "lower":
            v = v.lower()
        elif t == "nosep":
            v = v.replace(":", "").replace("-", "")
        elif t.startswith(("md5", "sha1", "sha256")):
            algo, _, rest = t.partition("-hex")
            d = hashlib.new(algo, v.encode("utf-8")).hexdigest()
            v = d.upper() if rest == "-upper" else d
        elif t == "base64":
            v = base64.b64encode(v.encode("utf-8")).decode("ascii")
        elif t == "base64url":
            v = base64.urlsafe_b64encode(v.encode("utf-8")).decode("ascii").rstrip("=")
        elif t == "hex":
            v = v.encode("utf-8").hex()
    return v


def protobuf_fields(items: list[tuple[str, str]]) -> bytes:
    """Field i+1 (wire type 2) per item, in order: what a protobuf string field looks like on the wire."""
    return b"".join(pb_field(i, v) for i, (_, v) in enumerate(items, 1))


MULTIPART_BOUNDARY = "----sdkgateFormBoundary7MA4YWxkTrZu0gW"


def multipart(items: list[tuple[str, str]]) -> bytes:
    """multipart/form-data, one part per value (what OkHttp's MultipartBody writes)."""
    out = b""
    for k, v in items:
        out += (f"--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").encode("utf-8")
    return out + f"--{MULTIPART_BOUNDARY}--\r\n".encode()


def scramble(body: bytes, steps: tuple[tuple[str, str], ...]) -> bytes:
    """The app's own transforms of a body before it is sent (xor with a repeating key, base64 ...)."""
    for step, arg in steps:
        if step == "xor":
            key = arg.encode("utf-8")
            body = bytes(b ^ key[i % len(key)] for i, b in enumerate(body))
        elif step == "base64":
            body = base64.b64encode(body)
        elif step == "base64url":
            body = base64.urlsafe_b64encode(body).rstrip(b"=")
        elif step == "hex":
            body = body.hex().encode("ascii")
        elif step == "gzip":
            body = gzip.compress(body)
        elif step == "reverse":
            body = body[::-1]
    return body


def build_request(spec: SendSpec, values: dict[str, str]) -> tuple[str, dict[str, str], bytes | None, list[str]]:
    """(url, headers, body, missing categories) for a send with the values the app holds."""
    items: list[tuple[str, str]] = list(spec.extra.items())
    missing = []
    for cat in spec.data:
        if cat not in values:
            missing.append(cat)
            continue
        key = spec.fields.get(cat) or cat.rsplit(".", 1)[-1]
        items.append((key, transform_value(values[cat], spec.values)))
    url = f"{spec.scheme}://{spec.host}{spec.path}"
    headers = {"User-Agent": "okhttp/4.9.3"}
    for name, v in spec.headers.items():
        if v in categories():
            if v not in values:
                missing.append(v)
                continue
            v = transform_value(values[v], spec.values)
        headers[name] = v
    c = spec.container
    body: bytes | None
    if c == "query":
        sep = "&" if "?" in url else "?"
        return url + sep + urllib.parse.urlencode(items), headers, None, missing
    if c in ("json", "gzip-json", "base64-json"):
        body = json.dumps(dict(items), ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
        if c == "gzip-json":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        elif c == "base64-json":
            body = base64.b64encode(body)
            headers["Content-Type"] = "text/plain"
    elif c == "protobuf":
        body = protobuf_fields(items)
        headers["Content-Type"] = "application/x-protobuf"
    elif c == "form":
        body = urllib.parse.urlencode(items).encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif c == "multipart":
        body = multipart(items)
        headers["Content-Type"] = f"multipart/form-data; boundary={MULTIPART_BOUNDARY}"
    else:  # text
        body = "\n".join(f"{k}={v}" for k, v in items).encode("utf-8")
        headers["Content-Type"] = "text/plain; charset=utf-8"
    if spec.transform:
        body = scramble(body, spec.transform)
        headers.pop("Content-Encoding", None)
        headers["Content-Type"] = "application/octet-stream"
    return url, headers, body, missing
