// The simulated app's sockets and crypto, done FOR REAL inside the instrumented process.
//
// simNet(req): real libc calls (getaddrinfo, socket, connect, send, sendto, poll, recv, close)
//   through NativeFunction, so the agent's Interceptor hooks on libc see them exactly as on a phone.
//   Host names resolve through the process's resolver (the simulator preloads nss_wrapper with a
//   hosts file mapping the app's hosts to the simulated device's loopback sinks).
// simRun(req): a sequence of Java calls (Cipher, MessageDigest, Mac, Base64, SecretKeySpec ...)
//   dispatched through the same method table as every other simulated Java call, so the agent's
//   Java hooks run; the "original" methods compute with the process's libcrypto (EVP_*, HMAC).
// Both run inside a simulated call context (caller frames, thread) so the events get a stack.
//
// Request shapes (values: JSON, {"$bytes": hex}, {"$ref": i} = result of op i):
//   simNet({stack, thread, ops: [{op: "resolve", host} | {op: "socket", proto: "tcp"|"udp"} |
//          {op: "connect", fd, ip, port} | {op: "send", fd, hex} | {op: "sendto", fd, hex, ip, port} |
//          {op: "recv", fd, max, timeout_ms, until} | {op: "close", fd} |
//          {op: "tls", fd, sni, verify} | {op: "tls_write", tls, hex} | {op: "tls_read", tls, max, until} |
//          {op: "tls_close", tls}]})   (libssl)
//       -> [{value, errno}]   (stops after the first failing op)
//   simRun({stack, thread, ops: [{cls, member, types, self: null | {"$ref": i}, args, new: bool}]})
//       -> [encoded result]

import { elements, javaArray } from "./arrays.js";

let api = null;          // filled by installNetCrypto: the bridge's internals
let lib = null;          // libc + libcrypto functions, resolved on first use

function libc() {
    if (lib !== null) return lib;
    const g = (n) => Module.getGlobalExportByName(n);
    const sys = (n, r, a) => new SystemFunction(g(n), r, a);
    lib = {
        getaddrinfo: new NativeFunction(g("getaddrinfo"), "int", ["pointer", "pointer", "pointer", "pointer"]),
        freeaddrinfo: new NativeFunction(g("freeaddrinfo"), "void", ["pointer"]),
        socket: sys("socket", "int", ["int", "int", "int"]),
        connect: sys("connect", "int", ["int", "pointer", "int"]),
        send: sys("send", "int", ["int", "pointer", "int", "int"]),
        sendto: sys("sendto", "int", ["int", "pointer", "int", "int", "pointer", "int"]),
        sendmmsg: sys("sendmmsg", "int", ["int", "pointer", "uint", "int"]),
        recv: sys("recv", "int", ["int", "pointer", "int", "int"]),
        poll: sys("poll", "int", ["pointer", "int", "int"]),
        close: sys("close", "int", ["int"]),
        crypto: null,
    };
    return lib;
}

function crypto() {
    const l = libc();
    if (l.crypto !== null) return l.crypto;
    let m = null;
    for (const name of ["libcrypto.so.3", "libcrypto.so", "libcrypto.so.1.1"]) {
        try {
            m = Module.load(name);
            break;
        } catch (e) {
            // try the next name
        }
    }
    if (m === null) throw new Error("sim-bridge: no libcrypto in this system");
    const f = (n, r, a) => new NativeFunction(m.getExportByName(n), r, a);
    l.crypto = {
        digestByName: f("EVP_get_digestbyname", "pointer", ["pointer"]),
        cipherByName: f("EVP_get_cipherbyname", "pointer", ["pointer"]),
        digest: f("EVP_Digest", "int", ["pointer", "size_t", "pointer", "pointer", "pointer", "pointer"]),
        hmac: f("HMAC", "pointer", ["pointer", "pointer", "int", "pointer", "size_t", "pointer", "pointer"]),
        ctxNew: f("EVP_CIPHER_CTX_new", "pointer", []),
        ctxFree: f("EVP_CIPHER_CTX_free", "void", ["pointer"]),
        ctrl: f("EVP_CIPHER_CTX_ctrl", "int", ["pointer", "int", "int", "pointer"]),
        encInit: f("EVP_EncryptInit_ex", "int", ["pointer", "pointer", "pointer", "pointer", "pointer"]),
        encUpdate: f("EVP_EncryptUpdate", "int", ["pointer", "pointer", "pointer", "pointer", "int"]),
        encFinal: f("EVP_EncryptFinal_ex", "int", ["pointer", "pointer", "pointer"]),
        encodeBlock: f("EVP_EncodeBlock", "int", ["pointer", "pointer", "int"]),
        d2iPubkey: f("d2i_PUBKEY", "pointer", ["pointer", "pointer", "long"]),
        pkeyCtxNew: f("EVP_PKEY_CTX_new", "pointer", ["pointer", "pointer"]),
        pkeyCtxFree: f("EVP_PKEY_CTX_free", "void", ["pointer"]),
        pkeyFree: f("EVP_PKEY_free", "void", ["pointer"]),
        encryptInit: f("EVP_PKEY_encrypt_init", "int", ["pointer"]),
        pkeyEncrypt: f("EVP_PKEY_encrypt", "int", ["pointer", "pointer", "pointer", "pointer", "size_t"]),
    };
    return l.crypto;
}

let tlsLib = null;
const tlsSessions = new Map();     // id -> {ssl, ctx}
let tlsSeq = 0;

function tls() {
    if (tlsLib !== null) return tlsLib;
    let m = null;
    for (const name of ["libssl.so.3", "libssl.so", "libssl.so.1.1"]) {
        try {
            m = Module.load(name);
            break;
        } catch (e) {
            // next
        }
    }
    if (m === null) throw new Error("sim-bridge: no libssl in this system");
    const f = (n, r, a) => new NativeFunction(m.getExportByName(n), r, a);
    tlsLib = {
        method: f("TLS_client_method", "pointer", []),
        ctxNew: f("SSL_CTX_new", "pointer", ["pointer"]),
        ctxFree: f("SSL_CTX_free", "void", ["pointer"]),
        setVerify: f("SSL_CTX_set_verify", "void", ["pointer", "int", "pointer"]),
        sslNew: f("SSL_new", "pointer", ["pointer"]),
        sslFree: f("SSL_free", "void", ["pointer"]),
        setFd: f("SSL_set_fd", "int", ["pointer", "int"]),
        ctrl: f("SSL_ctrl", "long", ["pointer", "int", "long", "pointer"]),
        connect: f("SSL_connect", "int", ["pointer"]),
        write: f("SSL_write", "int", ["pointer", "pointer", "int"]),
        read: f("SSL_read", "int", ["pointer", "pointer", "int"]),
        shutdown: f("SSL_shutdown", "int", ["pointer"]),
    };
    return tlsLib;
}

// ---------------------------------------------------------------- bytes
function toBuf(bytes) {
    const b = Memory.alloc(Math.max(1, bytes.length));
    b.writeByteArray(bytes.map((x) => x & 0xff));
    return b;
}

function fromBuf(p, n) {
    const a = n > 0 ? Array.from(new Uint8Array(p.readByteArray(n))) : [];
    return javaBytes(a);
}

function javaBytes(a) {
    return javaArray("byte", a);
}

function hexBytes(hex) {
    const a = [];
    for (let i = 0; i + 1 < hex.length; i += 2) a.push(parseInt(hex.slice(i, i + 2), 16));
    return a;
}

function toHex(p, n) {
    return Array.from(new Uint8Array(p.readByteArray(n))).map((x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
}

function plain(v) {
    return v ? elements(v).map((x) => x & 0xff) : [];     // the Java side reads its own heap: no JNI cost
}

// ---------------------------------------------------------------- crypto models (the "original" methods)
function digestOf(alg, data) {
    const c = crypto();
    const md = c.digestByName(Memory.allocUtf8String(alg.replace(/-/g, "").toUpperCase() === "SHA" ? "SHA1" : alg.replace(/-/g, "")));
    if (md.isNull()) throw new api.JavaException("java.security.NoSuchAlgorithmException", alg);
    const out = Memory.alloc(64);
    const len = Memory.alloc(4);
    c.digest(toBuf(data), data.length, out, len, md, NULL);
    return fromBuf(out, len.readU32());
}

function hmacOf(alg, key, data) {
    const c = crypto();
    const mdName = alg.toLowerCase().replace(/^hmac/, "").replace(/-/g, "").toUpperCase();
    const md = c.digestByName(Memory.allocUtf8String(mdName));
    if (md.isNull()) throw new api.JavaException("java.security.NoSuchAlgorithmException", alg);
    const out = Memory.alloc(64);
    const len = Memory.alloc(4);
    c.hmac(md, toBuf(key), key.length, toBuf(data), data.length, out, len);
    return fromBuf(out, len.readU32());
}

function rsaEncrypt(der, data) {
    // RSA/ECB/PKCS1Padding with an X.509 SubjectPublicKeyInfo key (what KeyFactory.generatePublic takes)
    const c = crypto();
    const pp = Memory.alloc(Process.pointerSize);
    const buf = toBuf(der);          // kept referenced: d2i reads it through pp
    pp.writePointer(buf);
    const pkey = c.d2iPubkey(NULL, pp, der.length);
    if (pkey.isNull()) throw new api.JavaException("java.security.InvalidKeyException", "not an X.509 public key");
    const ctx = c.pkeyCtxNew(pkey, NULL);
    try {
        c.encryptInit(ctx);
        const outLen = Memory.alloc(8);
        outLen.writeU64(1024);
        const out = Memory.alloc(1024);
        if (c.pkeyEncrypt(ctx, out, outLen, toBuf(data), data.length) <= 0) {
            throw new api.JavaException("javax.crypto.IllegalBlockSizeException", "RSA encryption failed");
        }
        return javaBytes(Array.from(new Uint8Array(out.readByteArray(outLen.readU64().toNumber()))));
    } finally {
        c.pkeyCtxFree(ctx);
        c.pkeyFree(pkey);
        void buf;
    }
}

function encrypt(alg, key, iv, data) {
    const c = crypto();
    const [name, mode] = alg.split("/");
    if (name.toUpperCase() === "RSA") return rsaEncrypt(key, data);
    if (name.toUpperCase() !== "AES") throw new api.JavaException("java.security.NoSuchAlgorithmException", alg);
    const m = (mode || "ECB").toLowerCase();
    const cipher = c.cipherByName(Memory.allocUtf8String(`aes-${key.length * 8}-${m}`));
    if (cipher.isNull()) throw new api.JavaException("java.security.NoSuchAlgorithmException", alg);
    const ctx = c.ctxNew();
    try {
        c.encInit(ctx, cipher, NULL, NULL, NULL);
        if (m === "gcm" && iv.length !== 12) c.ctrl(ctx, 0x9 /* SET_IVLEN */, iv.length, NULL);
        c.encInit(ctx, NULL, NULL, toBuf(key), iv.length ? toBuf(iv) : NULL);
        const out = Memory.alloc(data.length + 64);
        const n1 = Memory.alloc(4);
        const n2 = Memory.alloc(4);
        c.encUpdate(ctx, out, n1, toBuf(data), data.length);
        const a = n1.readS32();
        c.encFinal(ctx, out.add(a), n2);
        let bytes = Array.from(new Uint8Array(out.readByteArray(a + n2.readS32())));
        if (m === "gcm") {
            const tag = Memory.alloc(16);
            c.ctrl(ctx, 0x10 /* GET_TAG */, 16, tag);
            bytes = bytes.concat(Array.from(new Uint8Array(tag.readByteArray(16))));
        }
        return javaBytes(bytes);
    } finally {
        c.ctxFree(ctx);
    }
}

function base64(data) {
    const c = crypto();
    const out = Memory.alloc(4 * Math.ceil(data.length / 3) + 1);
    const n = c.encodeBlock(out, toBuf(data), data.length);
    return out.readUtf8String(n);
}

function utf8(s) {
    const t = unescape(encodeURIComponent(String(s)));
    return Array.from(t, (ch) => ch.charCodeAt(0));
}

function bytesArg(types, args) {
    if (types.length >= 3 && types[0] === "[B") return plain(args[0]).slice(args[1], args[1] + args[2]);
    if (types[0] === "[B") return plain(args[0]);
    if (types[0] === "byte") return [args[0] & 0xff];
    return [];
}

const DECLARED = {
    "java.security.MessageDigest": {
        getInstance: [["java.lang.String"]], update: [["[B"], ["[B", "int", "int"], ["byte"]],
        digest: [[], ["[B"]], getAlgorithm: [[]], reset: [[]],
    },
    "javax.crypto.Mac": {
        getInstance: [["java.lang.String"]], init: [["java.security.Key"]], update: [["[B"], ["[B", "int", "int"], ["byte"]],
        doFinal: [[], ["[B"]], getAlgorithm: [[]],
    },
    "javax.crypto.Cipher": {
        getInstance: [["java.lang.String"]],
        init: [["int", "java.security.Key"], ["int", "java.security.Key", "java.security.spec.AlgorithmParameterSpec"]],
        update: [["[B"], ["[B", "int", "int"]], doFinal: [[], ["[B"], ["[B", "int", "int"]], getAlgorithm: [[]],
    },
    "android.util.Base64": { encode: [["[B", "int"]], encodeToString: [["[B", "int"]] },
    "java.util.Base64$Encoder": { encode: [["[B"]], encodeToString: [["[B"]] },
};

function models() {
    const mk = api.makeObject;
    const stat = (cls, fields) => mk(cls, fields);
    const pending = (o) => o.fields.buf || (o.fields.buf = []);
    return {
        "java.security.MessageDigest": {
            statics: { getInstance: (alg) => stat("java.security.MessageDigest", { algorithm: String(alg), buf: [] }) },
            methods: {
                update: (o, ...a) => {
                    o.fields.buf = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : typeof a[0] === "number" ? ["byte"] : ["[B"], a));
                },
                digest: (o, ...a) => {
                    const data = pending(o).concat(a.length ? plain(a[0]) : []);
                    o.fields.buf = [];
                    return digestOf(o.fields.algorithm, data);
                },
                getAlgorithm: (o) => o.fields.algorithm,
                reset: (o) => {
                    o.fields.buf = [];
                },
            },
        },
        "javax.crypto.Mac": {
            statics: { getInstance: (alg) => stat("javax.crypto.Mac", { algorithm: String(alg), buf: [] }) },
            methods: {
                init: (o, key) => {
                    o.fields.key = plain(key.getEncoded());
                },
                update: (o, ...a) => {
                    o.fields.buf = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : typeof a[0] === "number" ? ["byte"] : ["[B"], a));
                },
                doFinal: (o, ...a) => {
                    const data = pending(o).concat(a.length ? plain(a[0]) : []);
                    o.fields.buf = [];
                    return hmacOf(o.fields.algorithm, o.fields.key || [], data);
                },
                getAlgorithm: (o) => o.fields.algorithm,
            },
        },
        "javax.crypto.Cipher": {
            statics: { getInstance: (alg) => stat("javax.crypto.Cipher", { algorithm: String(alg), buf: [] }) },
            methods: {
                init: (o, mode, key, spec) => {
                    o.fields.key = plain(key.getEncoded());
                    o.fields.iv = spec ? plain(spec.getIV()) : [];
                    o.fields.buf = [];
                },
                update: (o, ...a) => {
                    o.fields.buf = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : ["[B"], a));
                    return javaBytes([]);
                },
                doFinal: (o, ...a) => {
                    const data = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : ["[B"], a));
                    o.fields.buf = [];
                    return encrypt(o.fields.algorithm, o.fields.key || [], o.fields.iv || [], data);
                },
                getAlgorithm: (o) => o.fields.algorithm,
            },
        },
        "android.util.Base64": {
            statics: {
                encodeToString: (b) => base64(plain(b)),
                encode: (b) => javaBytes(utf8(base64(plain(b)))),
            },
        },
        "java.util.Base64$Encoder": {
            methods: {
                encodeToString: (o, b) => base64(plain(b)),
                encode: (o, b) => javaBytes(utf8(base64(plain(b)))),
            },
        },
    };
}

// ---------------------------------------------------------------- drivers
function resolveArg(v, results) {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        if ("$bytes" in v) return javaBytes(hexBytes(v.$bytes));
        if ("$ref" in v) return results[v.$ref];
    }
    return api.decode(v);
}

function sockaddr(ip, port) {
    const sa = Memory.alloc(16);
    sa.writeU16(2);
    sa.add(2).writeU8((port >> 8) & 0xff);
    sa.add(3).writeU8(port & 0xff);
    sa.add(4).writeByteArray(ip.split(".").map(Number));
    return sa;
}

function netOp(op, results) {
    const l = libc();
    const ref = (v) => (v !== null && typeof v === "object" && "$ref" in v ? results[v.$ref] : v);
    switch (op.op) {
        case "resolve": {
            const hints = Memory.alloc(64);
            hints.add(4).writeS32(2);   // ai_family = AF_INET
            const res = Memory.alloc(Process.pointerSize);
            const rc = l.getaddrinfo(Memory.allocUtf8String(op.host), NULL, hints, res);
            if (rc !== 0) return { value: null, errno: rc };
            const ai = res.readPointer();
            const addr = ai.add(Process.pointerSize === 8 ? 24 : 20).readPointer();
            const b = new Uint8Array(addr.add(4).readByteArray(4));
            l.freeaddrinfo(ai);
            return { value: `${b[0]}.${b[1]}.${b[2]}.${b[3]}`, errno: 0 };
        }
        case "socket": {
            const r = l.socket(2, op.proto === "udp" ? 2 : 1, 0);
            return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
        }
        case "connect": {
            const r = l.connect(ref(op.fd), sockaddr(ref(op.ip), op.port), 16);
            return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
        }
        case "send": {
            const data = hexBytes(op.hex);
            const buf = toBuf(data);
            let sent = 0;
            while (sent < data.length) {
                const r = l.send(ref(op.fd), buf.add(sent), data.length - sent, 0x4000 /* MSG_NOSIGNAL */);
                if (r.value < 0) return { value: sent, errno: r.errno };
                sent += r.value;
            }
            return { value: sent, errno: 0 };
        }
        case "sendto": {
            const data = hexBytes(op.hex);
            const r = l.sendto(ref(op.fd), toBuf(data), data.length, 0, sockaddr(ref(op.ip), op.port), 16);
            return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
        }
        case "sendmmsg": {
            // op.to: [{ip, port}], one datagram of op.hex to each, in one call (batched QUIC writers)
            const ps = Process.pointerSize;
            const entry = ps === 8 ? 64 : 32;
            const data = hexBytes(op.hex);
            const buf = toBuf(data);
            const iov = Memory.alloc(2 * ps);
            iov.writePointer(buf);
            iov.add(ps).writeULong(data.length);
            const vec = Memory.alloc(entry * op.to.length);
            const keep = [];
            op.to.forEach((d, i) => {
                const m = vec.add(i * entry);
                const sa = sockaddr(ref(d.ip), d.port);
                keep.push(sa);
                m.writePointer(sa);
                m.add(ps).writeU32(16);
                m.add(2 * ps).writePointer(iov);
                m.add(3 * ps).writeULong(1);
            });
            const r = l.sendmmsg(ref(op.fd), vec, op.to.length, 0);
            return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
        }
        case "recv": {
            const fd = ref(op.fd);
            const max = op.max || 65536;
            const buf = Memory.alloc(max);
            const pfd = Memory.alloc(8);
            const deadline = Date.now() + (op.timeout_ms || 2000);
            let hex = "";
            while (Date.now() < deadline && hex.length / 2 < max) {
                pfd.writeS32(fd);
                pfd.add(4).writeS16(1);   // POLLIN
                pfd.add(6).writeS16(0);
                const p = l.poll(pfd, 1, Math.max(1, deadline - Date.now()));
                if (p.value <= 0) break;
                const r = l.recv(fd, buf, max - hex.length / 2, 0);
                if (r.value <= 0) break;
                hex += toHex(buf, r.value);
                if (!op.until || hex.includes(op.until)) break;
            }
            return { value: hex, errno: 0 };
        }
        case "tls": {
            // the app's TLS client over the connected fd (libssl in the process). verify: false
            // completes the handshake whatever the certificate (a client pinning after the handshake);
            // verify: true with no trust store refuses the proxy's certificate (pinning in the handshake)
            const t = tls();
            const ctx = t.ctxNew(t.method());
            t.setVerify(ctx, op.verify ? 1 : 0, NULL);
            const ssl = t.sslNew(ctx);
            t.setFd(ssl, ref(op.fd));
            const sni = Memory.allocUtf8String(op.sni);
            t.ctrl(ssl, 55 /* SSL_CTRL_SET_TLSEXT_HOSTNAME */, 0, sni);
            const rc = t.connect(ssl);
            const id = ++tlsSeq;
            tlsSessions.set(id, { ssl, ctx, sni });
            return { value: rc === 1 ? id : -id, errno: rc === 1 ? 0 : 1 };
        }
        case "tls_write": {
            const sess = tlsSessions.get(Math.abs(ref(op.tls)));
            const data = hexBytes(op.hex);
            const buf = toBuf(data);
            const n = tls().write(sess.ssl, buf, data.length);
            return { value: n, errno: n > 0 ? 0 : 1 };
        }
        case "tls_read": {
            // up to max bytes, until `until` (hex) is seen or the peer closes
            const sess = tlsSessions.get(Math.abs(ref(op.tls)));
            const max = op.max || 65536;
            const buf = Memory.alloc(max);
            let hex = "";
            while (hex.length / 2 < max) {
                const n = tls().read(sess.ssl, buf, max - hex.length / 2);
                if (n <= 0) break;
                hex += toHex(buf, n);
                if (!op.until || hex.includes(op.until)) break;
            }
            return { value: hex, errno: 0 };
        }
        case "tls_close": {
            const id = Math.abs(ref(op.tls));
            const sess = tlsSessions.get(id);
            if (sess !== undefined) {
                const t = tls();
                t.shutdown(sess.ssl);
                t.sslFree(sess.ssl);
                t.ctxFree(sess.ctx);
                tlsSessions.delete(id);
            }
            return { value: 0, errno: 0 };
        }
        case "close":
            l.close(ref(op.fd));
            return { value: 0, errno: 0 };
        default:
            throw new Error(`sim-bridge: unknown net op ${op.op}`);
    }
}

function inContext(req, fn) {
    api.setCtx({ key: null, frames: req.stack || [], thread: req.thread || "main", throws: null, retValue: null });
    try {
        return fn();
    } finally {
        api.setCtx(null);
    }
}

export const netCryptoExports = {
    // native SDK code hashing/encrypting through the app's crypto library, no Java class involved
    simNativeCrypto(req) {
        return inContext(req, () => {
            const data = hexBytes(req.hex);
            if (req.op === "digest") {
                const c = crypto();
                const md = c.digestByName(Memory.allocUtf8String(req.alg));
                const out = Memory.alloc(64);
                const len = Memory.alloc(4);
                c.digest(toBuf(data), data.length, out, len, md, NULL);
                return toHex(out, len.readU32());
            }
            const key = hexBytes(req.key);
            const enc = encrypt(req.alg, key, hexBytes(req.iv || ""), data);
            return elements(enc).map((x) => ((x & 0xff) < 16 ? "0" : "") + (x & 0xff).toString(16)).join("");
        });
    },
    simNet(req) {
        return inContext(req, () => {
            const results = [];
            const out = [];
            for (const op of req.ops) {
                const r = netOp(op, results);
                results.push(r.value);
                out.push(r);
                if (r.errno !== 0 || r.value === null || (typeof r.value === "number" && r.value < 0)) break;
            }
            return out;
        });
    },
    simRun(req) {
        return inContext(req, () => {
            const results = [];
            for (const op of req.ops) {
                const args = (op.args || []).map((a) => resolveArg(a, results));
                let r;
                if (op.new) {
                    r = api.classWrapper(op.cls).$new(...args);
                } else {
                    const m = api.makeMethod(op.cls, op.member, op.types || []);
                    const self = op.self ? resolveArg(op.self, results) : api.classWrapper(op.cls);
                    r = m.apply(self, args);
                }
                results.push(r);
            }
            return results.map((r) => api.encode(r));
        });
    },
};

/** Wire the models into the bridge (called once by index.js with its internals). */
export function installNetCrypto(internals) {
    api = internals;
    try {
        crypto();        // the simulated app links its crypto library from the start (native hooks see it)
    } catch (e) {
        // no libcrypto on this system: the Java crypto models fail when used, with that message
    }
    Object.assign(api.MODELS, models());
    api.declareDefaults(DECLARED);
    api.MODELS["javax.crypto.spec.SecretKeySpec"] = {
        $new: (key, alg) => api.makeObject("javax.crypto.spec.SecretKeySpec", { encoded: key, algorithm: String(alg) }),
    };
    api.MODELS["java.security.spec.X509EncodedKeySpec"] = {
        $new: (der) => api.makeObject("java.security.spec.X509EncodedKeySpec", { encoded: der }),
    };
    api.MODELS["java.security.KeyFactory"] = {
        statics: { getInstance: (alg) => api.makeObject("java.security.KeyFactory", { algorithm: String(alg) }) },
        methods: {
            generatePublic: (o, spec) => api.makeObject("java.security.PublicKey",
                { encoded: spec.getEncoded(), algorithm: o.fields.algorithm }),
        },
    };
    api.MODELS["javax.crypto.spec.IvParameterSpec"] = {
        $new: (iv) => api.makeObject("javax.crypto.spec.IvParameterSpec", { iV: iv }),
    };
    api.MODELS["javax.crypto.spec.GCMParameterSpec"] = {
        $new: (tlen, iv) => api.makeObject("javax.crypto.spec.GCMParameterSpec", { tLen: tlen, iV: iv }),
    };
}
