"""The HTTP request of a simulated SDK send: the values the app read, transformed by the send's value
encodings (hashes, base64, hex ...) and packed into its body container (JSON, gzip, protobuf, form,
query, text), as an SDK would put them on the wire for the proxy to see."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import urllib.parse

from ..net.protobuf import field as pb_field
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
    else:  # text
        body = "\n".join(f"{k}={v}" for k, v in items).encode("utf-8")
        headers["Content-Type"] = "text/plain; charset=utf-8"
    return url, headers, body, missing
