"""The simulated device's own network, and the sends that do not go through the HTTP client
(the app model's send itself, with its in-process transformations: simsend.py).

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

import secrets
import socket
import struct
import tempfile
import threading
from pathlib import Path

from ..i18n import msg


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
            raise OSError(msg("{what}: errno {errno} after {done}/{total} socket calls", what=what,
                              errno=str(bad.get('errno')), done=len(res), total=len(ops)))

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
                raise OSError(msg("websocket to {host}: upgrade refused: {answer}", host=host, answer=repr(answer[:80])))
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
                raise OSError(msg("{method} {url}: no HTTP answer from the proxy ({status})", method=method, url=url,
                                  status=repr(status_line[:60])))
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
                raise OSError(msg("pinned client to {host}: the proxy tunnel failed: {result}", host=host, result=str(res)))
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
