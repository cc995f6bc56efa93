"""The `send:` of an app model action: where, what, how encoded (values, body container) and how it
leaves the device (netspec.py):

    send: {host, path, method, data: [categories], encoding: md5-hex+json,
           headers: {X-Device-Id: device_id.imei, X-App: "literal"},   # a category id carries the value read
           transform: [{xor: k3y}, base64]}                             # the app's own scrambling of the body
    container `multipart`: multipart/form-data, one part per value
"""
from __future__ import annotations

from ...yamlio import Located
from ..netspec import NET_KEYS, parse_net
from .types import CONTAINERS, VALUE_ENCODINGS, SendSpec


def parse_send(self, val, at: int) -> SendSpec:
    """`self`: the action parser (its `fail` and `cats`)."""
    if not isinstance(val, Located):
        self.fail(at, "send is a mapping {host, scheme, path, method, data, encoding}")
    for k in val:
        if k not in ("host", "scheme", "path", "method", "data", "encoding", "fields", "extra", "headers",
                     "transform") + NET_KEYS:
            self.fail(val.line_of(k), f"unknown send field {k!r}")
    host = val.get("host")
    if not isinstance(host, str) or not host or "/" in host:
        self.fail(val.line_of("host"), "send needs 'host' (a host name)")
    scheme = val.get("scheme", "https")
    if scheme not in ("http", "https"):
        self.fail(val.line_of("scheme"), "scheme must be http or https")
    method = str(val.get("method", "POST")).upper()
    if method not in ("GET", "POST", "PUT"):
        self.fail(val.line_of("method"), "method must be GET, POST or PUT")
    data = val.get("data") or []
    if isinstance(data, str):
        data = [data]
    if not isinstance(data, list):
        self.fail(val.line_of("data"), "data is a list of category ids")
    for c in data:
        if c not in self.cats:
            self.fail(val.line_of("data"), f"unknown category id {c!r}")
    tokens = [t for t in str(val.get("encoding", "plain")).split("+") if t]
    values, container = [], None
    for t in tokens:
        if t in VALUE_ENCODINGS:
            values.append(t)
        elif t in CONTAINERS:
            if container:
                self.fail(val.line_of("encoding"), "at most one body container (json, form, protobuf ...)")
            container = t
        else:
            self.fail(val.line_of("encoding"), f"unknown encoding {t!r} (values: {', '.join(VALUE_ENCODINGS)}; "
                                               f"bodies: {', '.join(CONTAINERS)})")
    if container is None:
        container = "query" if method == "GET" else "json"
    if method == "GET" and container != "query":
        self.fail(val.line_of("encoding"), "a GET carries its data in the query: use the 'query' container")
    fields = val.get("fields") or {}
    extra = val.get("extra") or {}
    if not isinstance(fields, dict) or not isinstance(extra, dict):
        self.fail(at, "'fields' and 'extra' are mappings")
    path = str(val.get("path") or "/")
    headers = _headers(self, val)
    transform = _transform(self, val, container)
    return SendSpec(host, scheme, path if path.startswith("/") else "/" + path, method, tuple(data),
                    tuple(v for v in values if v != "plain"), container, dict(fields),
                    {str(k): str(v) for k, v in extra.items()}, parse_net(val, self.fail, self.cats), headers, transform)


def _headers(self, val) -> dict:
    raw = val.get("headers") or {}
    if not isinstance(raw, dict):
        self.fail(val.line_of("headers"), "headers is a mapping {name: category id or text}")
    out = {}
    for k, v in raw.items():
        name = str(k)
        if not name or any(c in name for c in " :\r\n") or not name.isascii():
            self.fail(raw.line_of(k), f"{name!r} is not an HTTP header name")
        if not isinstance(v, (str, int)) or any(c in str(v) for c in "\r\n"):
            self.fail(raw.line_of(k), f"header {name}: a category id or a one-line text")
        out[name] = str(v)
    return out


TRANSFORMS = ("xor", "base64", "base64url", "hex", "gzip", "reverse")


def _transform(self, val, container: str) -> tuple:
    raw = val.get("transform")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        self.fail(val.line_of("transform"), f"transform is a list of steps ({', '.join(TRANSFORMS)}; xor: KEY)")
    if container == "query":
        self.fail(val.line_of("transform"), "transform works on a body: use a body container, not query")
    out = []
    for step in raw:
        if isinstance(step, dict) and len(step) == 1 and "xor" in step:
            key = step["xor"]
            if not isinstance(key, (str, int)) or not str(key):
                self.fail(val.line_of("transform"), "xor needs a key: {xor: KEY}")
            out.append(("xor", str(key)))
        elif isinstance(step, str) and step in TRANSFORMS and step != "xor":
            out.append((step, ""))
        else:
            self.fail(val.line_of("transform"), f"unknown transform step {step!r} ({', '.join(TRANSFORMS)}; xor: KEY)")
    return tuple(out)
