"""Test helpers for the network evidence tests: canaries, real clients (raw sockets, h2), event
readers, and a tiny MaxMind DB writer (no writer package is available, the format is simple)."""
from __future__ import annotations

import hashlib
import json
import socket
import ssl
import time
from pathlib import Path

from sdkgate.net.protobuf import field as pb_field  # noqa: F401 - the package's own encoder, re-exported for tests

IMEI = "866123456789012"
MAC = "02:1a:2b:3c:4d:5e"
ANDROID_ID = "9774d56d682e549c"
OAID = "a1b2c3d4-e5f6-4789-abcd-ef0123456789"
CLIP = "sdkgate-clip-7f3a9c >>?"          # user text: its base64 has url-unsafe chars
LOC = "39.912345,116.312345"
PHONE = "13812345678"
APPS = "com.sdkgate.canary.ab12cd34"

CANARIES = {
    "device_id.imei": IMEI, "device_id.mac": MAC, "device_id.android_id": ANDROID_ID,
    "device_id.oaid": OAID, "clipboard": CLIP, "location": LOC, "device_id.phone_number": PHONE,
    "installed_apps": APPS,
}

MANIFEST = str(Path(__file__).resolve().parents[2] / "manifests" / "demo-recruit.yaml")


def md5(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


def read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


WAIT_S = 120.0       # a bound for a condition on a loaded machine: returns as soon as it holds


def wait_events(path: Path, pred, timeout: float = WAIT_S) -> list[dict]:
    """Events so far once `pred(events)` holds (the addon flushes after every flow)."""
    deadline = time.monotonic() + timeout
    evs: list[dict] = []
    while time.monotonic() < deadline:
        evs = read_events(path)
        if pred(evs):
            return evs
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for events; last {len(evs)}: {evs[-5:]}")


def flow_events(path: Path, path_prefix: str, timeout: float = WAIT_S) -> tuple[dict, list[dict]]:
    """(the flow event, its send events) of the request whose path starts with path_prefix."""
    evs = wait_events(path, lambda es: any(e["kind"] == "flow" and e.get("path", "").startswith(path_prefix)
                                           for e in es), timeout)
    flow = next(e for e in evs if e["kind"] == "flow" and e.get("path", "").startswith(path_prefix))
    sends = [e for e in evs if e["kind"] == "send" and e.get("flow_id") == flow["flow_id"]]
    return flow, sends


def triples(sends: list[dict]) -> set[tuple[str, str, str]]:
    return {(e["category"], e["encoding"], e["where"]) for e in sends}


def connect_tunnel(port: int, host: str, target_port: int = 443) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(f"CONNECT {host}:{target_port} HTTP/1.1\r\nHost: {host}:{target_port}\r\n\r\n".encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            raise ConnectionError("proxy closed the tunnel")
        buf += chunk
    assert buf.split(b"\r\n")[0].split()[1] == b"200", buf
    return s


def h2_request(port: int, ca: str, host: str, method: str, path: str, headers=(), body: bytes = b"",
               content_length: bool = True) -> tuple[int, str]:
    """One HTTP/2 request through the proxy with the `h2` library; returns (status, alpn)."""
    import h2.config
    import h2.connection
    import h2.events
    s = connect_tunnel(port, host)
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["h2"])
    tls = ctx.wrap_socket(s, server_hostname=host)
    alpn = tls.selected_alpn_protocol()
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    tls.sendall(conn.data_to_send())
    sid = conn.get_next_available_stream_id()
    hdrs = [(":method", method), (":authority", host), (":scheme", "https"), (":path", path), *headers]
    if body and content_length:
        hdrs.append(("content-length", str(len(body))))
    conn.send_headers(sid, hdrs, end_stream=not body)
    if body:
        conn.send_data(sid, body, end_stream=True)
    tls.sendall(conn.data_to_send())
    status = 0
    done = False
    while not done:
        data = tls.recv(65535)
        if not data:
            break
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived):
                status = int(dict(ev.headers)[b":status"])
            elif isinstance(ev, (h2.events.StreamEnded, h2.events.StreamReset)):
                done = True
        tls.sendall(conn.data_to_send())
    tls.close()
    return status, alpn


# --- a minimal MaxMind DB (IPv4 tree, 24-bit records) ---------------------------------------------

def _mm_ctrl(type_: int, size: int) -> bytes:
    if size < 29:
        sz, extra = size, b""
    elif size < 285:
        sz, extra = 29, bytes([size - 29])
    elif size < 65821:
        sz, extra = 30, (size - 285).to_bytes(2, "big")
    else:
        sz, extra = 31, (size - 65821).to_bytes(3, "big")
    if type_ <= 7:
        return bytes([(type_ << 5) | sz]) + extra
    return bytes([sz, type_ - 7]) + extra


def mm_encode(v) -> bytes:
    if isinstance(v, str):
        b = v.encode()
        return _mm_ctrl(2, len(b)) + b
    if isinstance(v, dict):
        return _mm_ctrl(7, len(v)) + b"".join(mm_encode(k) + mm_encode(x) for k, x in v.items())
    if isinstance(v, list):
        return _mm_ctrl(11, len(v)) + b"".join(mm_encode(x) for x in v)
    if isinstance(v, int):
        b = v.to_bytes((v.bit_length() + 7) // 8, "big") if v else b""
        return _mm_ctrl(6 if v < 2 ** 32 else 9, len(b)) + b
    raise TypeError(type(v))


def write_mmdb(path: Path, networks: dict[str, dict]) -> None:
    """networks: {"203.0.113.0/24": {"country": {"iso_code": "US"}}, ...} (IPv4 only)."""
    import ipaddress
    data = bytearray()
    offsets = []
    for rec in networks.values():
        offsets.append(len(data))
        data += mm_encode(rec)
    nodes: list[list] = [[None, None]]
    for (net, _), off in zip(networks.items(), offsets):
        n = ipaddress.ip_network(net)
        bits = int(n.network_address)
        node = 0
        for i in range(n.prefixlen):
            bit = (bits >> (31 - i)) & 1
            if i == n.prefixlen - 1:
                nodes[node][bit] = ("data", off)
            else:
                nxt = nodes[node][bit]
                if not (isinstance(nxt, tuple) and nxt[0] == "node"):
                    nodes.append([None, None])
                    nodes[node][bit] = ("node", len(nodes) - 1)
                node = nodes[node][bit][1]
    count = len(nodes)

    def rec(r) -> int:
        if r is None:
            return count
        if r[0] == "node":
            return r[1]
        return count + 16 + r[1]

    tree = b"".join(rec(a).to_bytes(3, "big") + rec(b).to_bytes(3, "big") for a, b in nodes)
    meta = {"node_count": count, "record_size": 24, "ip_version": 4, "database_type": "sdkgate-test",
            "languages": ["en"], "binary_format_major_version": 2, "binary_format_minor_version": 0,
            "build_epoch": 1700000000, "description": {"en": "sdkgate test database"}}
    enc_meta = mm_encode(meta)
    # record_size etc. must be uint16 for strict readers: re-encode those keys as type 5
    for key in ("record_size", "ip_version", "binary_format_major_version", "binary_format_minor_version"):
        val = meta[key]
        enc_meta = enc_meta.replace(mm_encode(key) + mm_encode(val),
                                    mm_encode(key) + _mm_ctrl(5, 1 if val else 0) + (bytes([val]) if val else b""), 1)
    epoch = meta["build_epoch"].to_bytes(4, "big")           # build_epoch must be a uint64 (type 9)
    enc_meta = enc_meta.replace(mm_encode("build_epoch") + _mm_ctrl(6, 4) + epoch,
                                mm_encode("build_epoch") + _mm_ctrl(9, 4) + epoch, 1)
    path.write_bytes(tree + b"\0" * 16 + bytes(data) + b"\xab\xcd\xefMaxMind.com" + enc_meta)
