"""One `send:` of the app model played on the simulated device: the values the app holds, transformed
in the process (hash, salt, encrypt through the hooked MessageDigest/Cipher/Base64: the agent sees
them as on a phone), then handed to a transport (simnet.NetSender) or to the HTTP client."""
from __future__ import annotations

import dataclasses
import json
import secrets

from .netspec import NetSpec
from .simnet import NetSender, _http1_bytes
from ..i18n import exc_text, msg

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
                    raise OSError(msg("{method} {url}: proxy answered {status}", method=spec.method, url=url, status=str(status)))
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
        raise OSError(msg("send to {host} ({transport}): {error}", host=host, transport=str(t), error=exc_text(exc))) from None
