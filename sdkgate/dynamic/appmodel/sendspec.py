"""The `send:` of an app model action: where, what, how encoded (values, body container) and how it
leaves the device (netspec.py)."""
from __future__ import annotations

from ...yamlio import Located
from ..netspec import NET_KEYS, parse_net
from .types import CONTAINERS, VALUE_ENCODINGS, SendSpec


def parse_send(self, val, at: int) -> SendSpec:
    """`self`: the action parser (its `fail` and `cats`)."""
    if not isinstance(val, Located):
        self.fail(at, "send is a mapping {host, scheme, path, method, data, encoding}")
    for k in val:
        if k not in ("host", "scheme", "path", "method", "data", "encoding", "fields", "extra") + NET_KEYS:
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
    return SendSpec(host, scheme, path if path.startswith("/") else "/" + path, method, tuple(data),
                    tuple(v for v in values if v != "plain"), container, dict(fields),
                    {str(k): str(v) for k, v in extra.items()}, parse_net(val, self.fail, self.cats))
