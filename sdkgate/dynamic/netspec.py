"""How a simulated send leaves the device (app-model `send:` keys next to host/path/data/encoding):

    transport: http1 | http2 | websocket | tcp | udp | dns | quic     (default http1)
    proxy: false          a client that ignores the system proxy (NO_PROXY, raw push sockets)
    port: 7000            tcp/udp/quic destination port (default 443 for quic, 53 dns, 80 otherwise)
    pinning: handshake | after_handshake      the client refuses the proxy's certificate during the
                          handshake, or completes it and closes without a request (OkHttp style)
    hash: md5(imei+android_id+mac)           the data values are hashed together (in-process
                          MessageDigest) before sending; `salt: TEXT` adds a salt (`md5(salt+imei)`)
    encrypt: aes-cbc | aes-gcm | rsa          the body is encrypted in-process (Cipher) and sent as
                          {"data": base64} (android.util.Base64)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

TRANSPORTS = ("http1", "http2", "websocket", "tcp", "udp", "dns", "quic")
PINNING = ("handshake", "after_handshake")
ENCRYPT = ("aes-cbc", "aes-gcm", "rsa")
HASH_ALGOS = ("md5", "sha1", "sha256")
_HASH_RE = re.compile(r"^\s*(md5|sha1|sha256)\s*\(\s*([^()]+?)\s*\)\s*$")
NET_KEYS = ("transport", "proxy", "port", "pinning", "hash", "salt", "encrypt")


@dataclass(frozen=True)
class NetSpec:
    transport: str = "http1"
    proxy: bool = True
    port: int | None = None
    pinning: str | None = None
    hash_algo: str | None = None
    hash_inputs: tuple[str, ...] = ()        # category ids or "salt", in order
    salt: str = ""
    encrypt: str | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def dest_port(self) -> int:
        if self.port:
            return self.port
        return {"quic": 443, "dns": 53}.get(self.transport, 80)


def parse_net(val, fail, categories) -> NetSpec:
    """The NetSpec of one `send:` mapping; `fail(line, problem)` raises the app-model error."""
    kw: dict = {}
    t = val.get("transport", "http1")
    if t not in TRANSPORTS:
        fail(val.line_of("transport"), f"transport must be one of {', '.join(TRANSPORTS)}")
    kw["transport"] = t
    if "proxy" in val:
        if not isinstance(val.get("proxy"), bool):
            fail(val.line_of("proxy"), "proxy is true (honours the system proxy) or false (ignores it)")
        kw["proxy"] = val.get("proxy")
    if "port" in val:
        p = val.get("port")
        if not isinstance(p, int) or isinstance(p, bool) or not 1 <= p <= 65535:
            fail(val.line_of("port"), "port is a number 1..65535")
        kw["port"] = p
    if "pinning" in val:
        if val.get("pinning") not in PINNING:
            fail(val.line_of("pinning"), f"pinning is one of {', '.join(PINNING)}")
        kw["pinning"] = val.get("pinning")
    if "encrypt" in val:
        if val.get("encrypt") not in ENCRYPT:
            fail(val.line_of("encrypt"), f"encrypt is one of {', '.join(ENCRYPT)}")
        kw["encrypt"] = val.get("encrypt")
    if "salt" in val:
        kw["salt"] = str(val.get("salt"))
    if "hash" in val:
        m = _HASH_RE.match(str(val.get("hash")))
        if not m:
            fail(val.line_of("hash"), "hash is ALGO(a+b+...) with ALGO md5, sha1 or sha256, e.g. md5(imei+android_id+mac)")
        inputs = []
        short = {c.rsplit(".", 1)[-1]: c for c in categories}
        for tok in (x.strip() for x in m.group(2).split("+")):
            if tok == "salt":
                inputs.append("salt")
            elif tok in categories:
                inputs.append(tok)
            elif tok in short:
                inputs.append(short[tok])
            else:
                fail(val.line_of("hash"), f"hash input {tok!r} is not a category id (or its last part) nor 'salt'")
        kw["hash_algo"], kw["hash_inputs"] = m.group(1), tuple(inputs)
    if kw.get("pinning") and kw["transport"] not in ("http1", "http2", "quic"):
        fail(val.line_of("pinning"), "pinning applies to HTTPS sends (transport http1, http2 or quic)")
    if kw.get("encrypt") and kw["transport"] == "dns":
        fail(val.line_of("encrypt"), "a DNS query carries values in its labels: encrypt does not apply")
    if "salt" in kw and "salt" not in kw.get("hash_inputs", ()):
        if not kw.get("hash_algo"):
            fail(val.line_of("salt"), "salt goes with hash: ALGO(salt+...)")
        kw["hash_inputs"] = ("salt", *kw["hash_inputs"])      # a bare salt is prepended
    return NetSpec(**kw)
