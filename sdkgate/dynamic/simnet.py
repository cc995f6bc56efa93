"""The simulated device's own network, and the sends that do not go through the HTTP client.

SimNetwork: every host of the app model resolves (inside the app process, through the real
`getaddrinfo`, with nss_wrapper preloaded and a hosts file) to an address of its own in 127/8; on
that address and port a loopback sink owned by the simulated device accepts TCP, UDP and DNS, so a
client that ignores the proxy really connects somewhere and nothing leaves 127.0.0.1.

NetSender: the app's transformations and sends done FOR REAL inside the instrumented process
(SimRuntime.java_run for MessageDigest/Cipher/Base64 through the hooked method table, SimRuntime.net
for libc socket calls), so the agent's crypto and socket hooks see them as on a phone:
  - hash / salt / encrypt (netspec.py) transform values or the body before sending;
  - websocket (through the HTTP proxy, CONNECT + upgrade), tcp (SOCKS5 through the proxy, or
    direct with proxy: false), udp (direct: UDP never honours an HTTP proxy), dns (a query whose
    labels carry the values, to the device resolver = the proxy's DNS listener, or a server of its
    own with proxy: false), quic (UDP/443: refused by the agent by default -> falls back to HTTPS);
  - pinning: handshake | after_handshake (libssl in the process over a libc socket through the
    proxy: rejects the certificate, or completes the handshake and closes without a request).
"""
from __future__ import annotations

import dataclasses
import json
import secrets
import socket
import struct
import tempfile
import threading
from pathlib import Path

from .netspec import NetSpec

NSS_WRAPPER = "libnss_wrapper.so"
EAFNOSUPPORT = 97


def nss_wrapper_available() -> bool:
    import ctypes.util
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/lib64"):
        if Path(d, NSS_WRAPPER).exists():
            return True
    return ctypes.util.find_library("nss_wrapper") is not None


class SimNetwork:
    """Hosts file + loopback sinks of one simulated device (one per run)."""

    def __init__(self, hosts: list[str]):
        self._dir = tempfile.mkdtemp(prefix="sdkgate-simnet-")
        self.hosts_file = Path(self._dir) / "hosts"
        self.ips: dict[str, str] = {}
        base = secrets.randbelow(200) + 20
        for i, h in enumerate(sorted(set(hosts))):
            self.ips[h] = f"127.{base}.{(i // 250) + 1}.{(i % 250) + 2}"
        self.hosts_file.write_text("".join(f"{ip} {h}\n" for h, ip in self.ips.items()) or "127.0.0.1 localhost\n")
        self._sinks: dict[tuple[str, int, str], socket.socket] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.received: list[tuple[str, int, str, int]] = []      # (ip, port, proto, bytes)

    def env(self) -> dict[str, str]:
        return {"LD_PRELOAD": NSS_WRAPPER, "NSS_WRAPPER_HOSTS": str(self.hosts_file)}

    def ip(self, host: str) -> str:
        return self.ips.get(host, "127.0.0.1")

    def sink(self, host: str, port: int, proto: str) -> None:
        """Make sure something listens at host's address and port (tcp or udp)."""
        key = (self.ip(host), port, proto)
        with self._lock:
            if key in self._sinks:
                return
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(key[:2])
            s.settimeout(0.2)
            if proto == "tcp":
                s.listen(16)
            self._sinks[key] = s
        threading.Thread(target=self._serve, args=(key, s), daemon=True, name=f"simnet-{proto}-{port}").start()

    def _serve(self, key, s: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                if key[2] == "tcp":
                    c, _ = s.accept()
                    threading.Thread(target=self._drain, args=(key, c), daemon=True).start()
                else:
                    data, peer = s.recvfrom(65535)
                    self.received.append((*key, len(data)))
                    if key[1] == 53 and len(data) >= 12:
                        s.sendto(data[:2] + b"\x81\x83" + data[4:6] + b"\x00\x00\x00\x00\x00\x00" + data[12:], peer)
            except (socket.timeout, TimeoutError):
                continue
            except OSError:
                return

    def _drain(self, key, c: socket.socket) -> None:
        n = 0
        try:
            c.settimeout(5)
            while True:
                b = c.recv(65536)
                if not b:
                    break
                n += len(b)
        except OSError:
            pass
        finally:
            c.close()
            self.received.append((*key, n))

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            for s in self._sinks.values():
                try:
                    s.close()
                except OSError:
                    pass
            self._sinks.clear()
        import shutil
        shutil.rmtree(self._dir, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# transformations in the process
# ----------------------------------------------------------------------------------------------

def _b(hexable: bytes) -> dict:
    return {"$bytes": hexable.hex()}


def digest_in_process(rt, algo: str, data: bytes, stack: list[str], thread: str) -> bytes:
    name = {"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256"}[algo]
    md = "java.security.MessageDigest"
    res = rt.java_run([
        {"cls": md, "member": "getInstance", "types": ["java.lang.String"], "args": [name]},
        {"cls": md, "member": "update", "types": ["[B"], "self": {"$ref": 0}, "args": [_b(data)]},
        {"cls": md, "member": "digest", "types": [], "self": {"$ref": 0}, "args": []},
    ], stack, thread=thread)
    return bytes(res[2])


def encrypt_in_process(rt, how: str, data: bytes, stack: list[str], thread: str) -> str:
    """Encrypt with a fresh key in the process (Cipher), base64 it there too (android.util.Base64)."""
    c = "javax.crypto.Cipher"
    if how == "rsa":            # the SDK's server public key, as KeyFactory.generatePublic gets it (X.509 DER)
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        der = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        kf = "java.security.KeyFactory"
        res = rt.java_run([
            {"cls": "java.security.spec.X509EncodedKeySpec", "new": True, "args": [_b(der)]},
            {"cls": kf, "member": "getInstance", "types": ["java.lang.String"], "args": ["RSA"]},
            {"cls": kf, "member": "generatePublic", "types": ["java.security.spec.KeySpec"], "self": {"$ref": 1},
             "args": [{"$ref": 0}]},
            {"cls": c, "member": "getInstance", "types": ["java.lang.String"], "args": ["RSA/ECB/PKCS1Padding"]},
            {"cls": c, "member": "init", "types": ["int", "java.security.Key"], "self": {"$ref": 3},
             "args": [1, {"$ref": 2}]},
            {"cls": c, "member": "doFinal", "types": ["[B"], "self": {"$ref": 3}, "args": [_b(data[:245])]},
            {"cls": "android.util.Base64", "member": "encodeToString", "types": ["[B", "int"], "args": [{"$ref": 5}, 2]},
        ], stack, thread=thread)
        return str(res[6])
    key = secrets.token_bytes(16)
    gcm = how == "aes-gcm"
    iv = secrets.token_bytes(12 if gcm else 16)
    spec = ({"cls": "javax.crypto.spec.GCMParameterSpec", "new": True, "args": [128, _b(iv)]} if gcm else
            {"cls": "javax.crypto.spec.IvParameterSpec", "new": True, "args": [_b(iv)]})
    res = rt.java_run([
        {"cls": "javax.crypto.spec.SecretKeySpec", "new": True, "args": [_b(key), "AES"]},
        spec,
        {"cls": c, "member": "getInstance", "types": ["java.lang.String"],
         "args": ["AES/GCM/NoPadding" if gcm else "AES/CBC/PKCS5Padding"]},
        {"cls": c, "member": "init", "types": ["int", "java.security.Key", "java.security.spec.AlgorithmParameterSpec"],
         "self": {"$ref": 2}, "args": [1, {"$ref": 0}, {"$ref": 1}]},
        {"cls": c, "member": "doFinal", "types": ["[B"], "self": {"$ref": 2}, "args": [_b(data)]},
        {"cls": "android.util.Base64", "member": "encodeToString", "types": ["[B", "int"], "args": [{"$ref": 4}, 2]},
    ], stack, thread=thread)
    return str(res[5])


# ----------------------------------------------------------------------------------------------
# sends through sockets in the process
# ----------------------------------------------------------------------------------------------

def _ref(i: int) -> dict:
    return {"$ref": i}


class NetSender:
    """Runs one send's socket part inside the app process. `proxy` is the run's ProxyInfo and
    `listeners` the proxy's extra listeners (socks5, dns)."""

    def __init__(self, rt, network: SimNetwork, proxy, listeners: list[dict], allow_quic: bool):
        self.rt = rt
        self.net = network
        self.proxy = proxy
        self.listeners = listeners
        self.allow_quic = allow_quic

    def _listener(self, type_name: str) -> tuple[str, int] | None:
        for x in self.listeners:
            if x.get("type") == type_name:
                return str(x["host"]), int(x["port"])
        return None

    def _run(self, ops: list[dict], stack, thread) -> list[dict]:
        return self.rt.net(ops, stack, thread=thread)

    def _check(self, res: list[dict], ops: list[dict], what: str) -> None:
        if len(res) < len(ops) or any(r.get("errno") for r in res):
            bad = next((r for r in res if r.get("errno")), {"errno": "?"})
            raise OSError(f"{what}: errno {bad.get('errno')} after {len(res)}/{len(ops)} socket calls")

    def tcp(self, host: str, port: int, payload: bytes, via_proxy: bool, stack, thread) -> None:
        if via_proxy:
            socks = self._listener("socks5")
            if socks is None:
                raise OSError("the proxy has no SOCKS5 listener for proxy-aware socket clients")
            name = host.encode("idna")
            req = b"\x05\x01\x00\x03" + bytes([len(name)]) + name + struct.pack("!H", port)
            ops = [{"op": "socket", "proto": "tcp"}, {"op": "connect", "fd": _ref(0), "ip": socks[0], "port": socks[1]},
                   {"op": "send", "fd": _ref(0), "hex": "050100"},
                   {"op": "recv", "fd": _ref(0), "max": 2, "timeout_ms": 3000},
                   {"op": "send", "fd": _ref(0), "hex": req.hex()},
                   {"op": "recv", "fd": _ref(0), "max": 10, "timeout_ms": 3000},
                   {"op": "send", "fd": _ref(0), "hex": payload.hex()},
                   {"op": "recv", "fd": _ref(0), "max": 1, "timeout_ms": 800},   # a client waits for an answer
                   {"op": "close", "fd": _ref(0)}]
        else:
            self.net.sink(host, port, "tcp")
            ops = [{"op": "resolve", "host": host}, {"op": "socket", "proto": "tcp"},
                   {"op": "connect", "fd": _ref(1), "ip": _ref(0), "port": port},
                   {"op": "send", "fd": _ref(1), "hex": payload.hex()},
                   {"op": "close", "fd": _ref(1)}]
        self._check(self._run(ops, stack, thread), ops, f"tcp to {host}:{port}")

    def udp(self, host: str, port: int, payload: bytes, stack, thread) -> list[dict]:
        self.net.sink(host, port, "udp")
        ops = [{"op": "resolve", "host": host}, {"op": "socket", "proto": "udp"},
               {"op": "sendto", "fd": _ref(1), "hex": payload.hex(), "ip": _ref(0), "port": port},
               {"op": "close", "fd": _ref(1)}]
        return self._run(ops, stack, thread)

    def dns(self, qname: str, via_proxy: bool, host: str, port: int, stack, thread) -> None:
        query = dns_query(qname)
        if via_proxy:
            resolver = self._listener("dns")
            if resolver is None:
                raise OSError("the proxy has no DNS listener (the simulated device's resolver)")
            ops = [{"op": "socket", "proto": "udp"},
                   {"op": "sendto", "fd": _ref(0), "hex": query.hex(), "ip": resolver[0], "port": resolver[1]},
                   {"op": "recv", "fd": _ref(0), "max": 1500, "timeout_ms": 3000},
                   {"op": "close", "fd": _ref(0)}]
        else:
            self.net.sink(host, port, "udp")
            ops = [{"op": "resolve", "host": host}, {"op": "socket", "proto": "udp"},
                   {"op": "sendto", "fd": _ref(1), "hex": query.hex(), "ip": _ref(0), "port": port},
                   {"op": "recv", "fd": _ref(1), "max": 1500, "timeout_ms": 1000},
                   {"op": "close", "fd": _ref(1)}]
        self._check(self._run(ops, stack, thread), ops, f"dns query {qname[:60]}")

    def websocket(self, host: str, path: str, message: bytes, stack, thread) -> None:
        """ws:// through the HTTP proxy (CONNECT, then the upgrade), one text message, close."""
        from wsproto import ConnectionType, WSConnection
        from wsproto.events import CloseConnection, Message, Request
        ws = WSConnection(ConnectionType.CLIENT)
        upgrade = ws.send(Request(host=host, target=path))
        connect = f"CONNECT {host}:80 HTTP/1.1\r\nHost: {host}:80\r\n\r\n".encode()
        ops = [{"op": "socket", "proto": "tcp"},
               {"op": "connect", "fd": _ref(0), "ip": self.proxy.host, "port": self.proxy.port},
               {"op": "send", "fd": _ref(0), "hex": connect.hex()},
               {"op": "recv", "fd": _ref(0), "max": 4096, "timeout_ms": 5000, "until": b"\r\n\r\n".hex()},
               {"op": "send", "fd": _ref(0), "hex": upgrade.hex()},
               {"op": "recv", "fd": _ref(0), "max": 4096, "timeout_ms": 5000, "until": b"\r\n\r\n".hex()}]
        res = self._run(ops, stack, thread)
        fd = res[0]["value"] if res else None
        try:
            self._check(res, ops, f"websocket to {host}")
            answer = bytes.fromhex(res[5]["value"] or "")
            ws.receive_data(answer)
            if not any(type(ev).__name__ == "AcceptConnection" for ev in ws.events()):
                raise OSError(f"websocket to {host}: upgrade refused: {answer[:80]!r}")
            frames = ws.send(Message(data=message.decode("utf-8", "replace"))) + ws.send(CloseConnection(code=1000))
            ops2 = [{"op": "send", "fd": fd, "hex": frames.hex()},
                    {"op": "recv", "fd": fd, "max": 64, "timeout_ms": 2000}]
            self._check(self._run(ops2, stack, thread), ops2, f"websocket message to {host}")
        finally:
            if isinstance(fd, int) and fd >= 0:
                self._run([{"op": "close", "fd": fd}], stack, thread)

    def http(self, method: str, url: str, headers: dict, body: bytes | None, stack, thread) -> int:
        """An HTTP(S) request through the HTTP proxy from the process: absolute-form for http, CONNECT +
        TLS (libssl, trusting the proxy as the device trusts its installed CA) for https. Returns the
        status code."""
        from urllib.parse import urlsplit
        u = urlsplit(url)
        host = u.hostname or ""
        req = _http1_bytes(method, url, {**headers, "Connection": "close"}, body,
                           absolute=u.scheme == "http")
        end = b"\r\n\r\n".hex()
        base = [{"op": "socket", "proto": "tcp"},
                {"op": "connect", "fd": _ref(0), "ip": self.proxy.host, "port": self.proxy.port}]
        if u.scheme == "http":
            ops = base + [{"op": "send", "fd": _ref(0), "hex": req.hex()},
                          {"op": "recv", "fd": _ref(0), "max": 65536, "timeout_ms": 15000, "until": end}]
            res = self._run(ops, stack, thread)
            answer_at, tls_id = 3, None
        else:
            port = u.port or 443
            connect = f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
            ops = base + [{"op": "send", "fd": _ref(0), "hex": connect.hex()},
                          {"op": "recv", "fd": _ref(0), "max": 4096, "timeout_ms": 15000, "until": end},
                          {"op": "tls", "fd": _ref(0), "sni": host, "verify": False},
                          {"op": "tls_write", "tls": _ref(4), "hex": req.hex()},
                          {"op": "tls_read", "tls": _ref(4), "max": 65536, "until": end}]
            res = self._run(ops, stack, thread)
            answer_at = 6
            tls_id = res[4]["value"] if len(res) > 4 else None
        fd = res[0]["value"] if res else None
        try:
            self._check(res, ops, f"{method} {url}")
            status_line = bytes.fromhex(res[answer_at]["value"] or "").split(b"\r\n", 1)[0]
            parts = status_line.split()
            if len(parts) < 2 or not parts[1].isdigit():
                raise OSError(f"{method} {url}: no HTTP answer from the proxy ({status_line[:60]!r})")
            return int(parts[1])
        finally:
            close = ([{"op": "tls_close", "tls": tls_id}] if isinstance(tls_id, int) else []) + \
                    ([{"op": "close", "fd": fd}] if isinstance(fd, int) and fd >= 0 else [])
            if close:
                self._run(close, stack, thread)

    def pinned(self, host: str, mode: str, stack, thread) -> str:
        """A pinning HTTPS client in the process (libssl over a libc socket, through the HTTP proxy):
        `handshake` refuses the proxy's certificate; `after_handshake` completes the handshake, finds
        the pin does not match and closes without a request."""
        connect = f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode()
        ops = [{"op": "socket", "proto": "tcp"},
               {"op": "connect", "fd": _ref(0), "ip": self.proxy.host, "port": self.proxy.port},
               {"op": "send", "fd": _ref(0), "hex": connect.hex()},
               {"op": "recv", "fd": _ref(0), "max": 4096, "timeout_ms": 5000, "until": b"\r\n\r\n".hex()},
               {"op": "tls", "fd": _ref(0), "sni": host, "verify": mode == "handshake"}]
        res = self._run(ops, stack, thread)
        fd = res[0]["value"] if res else None
        tls_id = res[4]["value"] if len(res) > 4 else None
        try:
            if len(res) < 4 or any(r.get("errno") for r in res[:4]):
                raise OSError(f"pinned client to {host}: the proxy tunnel failed: {res}")
            done = len(res) > 4 and res[4]["errno"] == 0
            return "closed after the handshake" if done else "handshake refused (certificate pinned)"
        finally:
            close = ([{"op": "tls_close", "tls": tls_id}] if isinstance(tls_id, int) else []) + \
                    ([{"op": "close", "fd": fd}] if isinstance(fd, int) and fd >= 0 else [])
            if close:
                self._run(close, stack, thread)

    def quic(self, host: str, payload: bytes, stack, thread) -> bool:
        """One QUIC-like datagram to host:443; False when the agent refused it (the app falls back)."""
        res = self.udp(host, 443, b"\xc3\x00\x00\x00\x01" + payload, stack, thread)
        return not any(r.get("errno") == EAFNOSUPPORT for r in res)


def dns_query(qname: str) -> bytes:
    """A standard A query for `qname` (labels up to 63 bytes, name up to 253)."""
    out = bytearray(struct.pack("!HHHHHH", secrets.randbelow(65536), 0x0100, 1, 0, 0, 0))
    for label in qname.rstrip(".").split("."):
        b = label.encode("ascii", "replace")[:63]
        out += bytes([len(b)]) + b
    out += b"\x00" + struct.pack("!HH", 1, 1)
    return bytes(out)


def dns_name(values: list[str], host: str) -> str:
    """The values as leading labels of a query under `host` (long values split at 63 chars)."""
    labels: list[str] = []
    for v in values:
        clean = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in v)
        labels += [clean[i:i + 63] for i in range(0, len(clean), 63)] or ["x"]
    name = ".".join(labels + [host])
    return name[-253:]


def envelope(b64: str) -> bytes:
    return json.dumps({"v": 1, "data": b64}).encode()


# ----------------------------------------------------------------------------------------------
# one send of the app model
# ----------------------------------------------------------------------------------------------

def model_hosts(model) -> list[str]:
    """Every send host of an app model (the simulated resolver knows them all before the app starts)."""
    out: list[str] = []

    def walk(actions):
        for a in actions:
            if a.send is not None:
                out.append(a.send.host)
            walk(a.then)
    timers = [list(t.actions) for t in getattr(model, "timers", [])]
    for acts in list(model.blocks.values()) + list(model.feature_blocks.values()) + timers:
        walk(acts)
    return out


def needs_socket_path(net: NetSpec) -> bool:
    return net != NetSpec()


def play_send(dev, a, notes: list[str]) -> None:
    """A send whose NetSpec asks for more than the default HTTP client: transformations in the
    process, then the transport. `dev` is the SimulatedDevice."""
    from .sends import build_request, transform_value
    spec, net = a.send, a.send.net
    thread = a.thread or (dev.model.sdks[a.by].thread if a.by in dev.model.sdks else "main")
    stack = dev.stacks.build(a, None, "send", "", thread)
    rt = dev.rt
    values = dev.storage.values
    missing = [c for c in spec.data if c not in values]
    if missing:
        notes.append(f"send to {spec.host}: the app never read {', '.join(missing)}")
    if net.hash_algo:
        parts = [net.salt if c == "salt" else transform_value(values.get(c, ""), spec.values) for c in net.hash_inputs]
        digest = digest_in_process(rt, net.hash_algo, "".join(parts).encode("utf-8"), stack, thread)
        name = spec.fields.get("hash") or "did"
        hashed = set(net.hash_inputs)
        spec = dataclasses.replace(spec, data=tuple(c for c in spec.data if c not in hashed),
                                   extra={**spec.extra, name: digest.hex()})
    url, headers, body, _ = build_request(spec, values)
    if body is None and "?" in url:
        payload = url.split("?", 1)[1].encode()
    else:
        payload = body or b""
    if net.encrypt:
        b64 = encrypt_in_process(rt, net.encrypt, payload, stack, thread)
        body = payload = envelope(b64)
        headers = {"User-Agent": headers.get("User-Agent", "okhttp/4.9.3"), "Content-Type": "application/json"}
        url = url.split("?", 1)[0]
    sender = NetSender(rt, dev.network, dev.ctx.proxy, dev.listeners, dev.allow_quic)
    host, port = spec.host, net.dest_port
    t = net.transport
    try:
        if t in ("http1", "http2", "quic") and net.pinning:
            notes.append(f"{spec.host}: {sender.pinned(host, net.pinning, stack, thread)}")
            return
        if t == "quic":
            if sender.quic(host, payload, stack, thread):
                return
            notes.append(f"QUIC to {host} refused by the agent: fell back to HTTPS")
            t = "http1"
        if t in ("http1", "http2"):
            if not net.proxy:
                req = _http1_bytes(spec.method, url, headers, body)
                sender.tcp(host, net.port or 80, req, False, stack, thread)
                return
            if t == "http2":         # h2 framing stays in the host's client (offers h2 + http/1.1, like OkHttp)
                dev._http_send(spec.method, url, headers, body, http2=True)
            else:
                status = sender.http(spec.method, url, headers, body, stack, thread)
                if status >= 500:
                    raise OSError(f"{spec.method} {url}: proxy answered {status}")
        elif t == "websocket":
            if net.proxy:
                sender.websocket(host, spec.path, payload, stack, thread)
            else:
                sender.tcp(host, net.port or 80, payload, False, stack, thread)
        elif t == "tcp":
            sender.tcp(host, port, payload, net.proxy, stack, thread)
        elif t == "udp":
            sender.udp(host, port, payload, stack, thread)
        elif t == "dns":
            vals = [transform_value(values[c], spec.values) for c in spec.data if c in values]
            if net.hash_algo:
                vals.append(spec.extra.get(spec.fields.get("hash") or "did", ""))
            sender.dns(dns_name(vals, host), net.proxy, host, port, stack, thread)
    except OSError as exc:
        raise OSError(f"send to {host} ({t}): {exc}") from None


def _http1_bytes(method: str, url: str, headers: dict, body: bytes | None, absolute: bool = False) -> bytes:
    from urllib.parse import urlsplit
    u = urlsplit(url)
    target = (u.path or "/") + (f"?{u.query}" if u.query else "")
    if absolute:
        target = f"{u.scheme}://{u.netloc}{target}"
    lines = [f"{method} {target} HTTP/1.1", f"Host: {u.netloc}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body or b'')}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
