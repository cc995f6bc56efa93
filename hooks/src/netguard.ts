// Bypass detection: every socket destination the app reaches, whatever client it uses.
//
// libc `connect`/`sendto`/`sendmsg`/`sendmmsg` are where every client ends (OkHttp, Cronet, raw push sockets,
// NO_PROXY clients, native SDK code): each reach becomes a `net_connect` event (ip, port, protocol,
// the host name it was resolved from, call). `getaddrinfo`/`android_getaddrinfofornet` and
// java.net.Socket.connect only remember ip -> host name so the event can name the host.
// QUIC: UDP to port 443 is refused here unless the host allowed it (the send fails with
// EAFNOSUPPORT, apps fall back to TCP); the event says `blocked: "quic"`.
// The evaluation checks every net_connect against the proxy's flows (not observed -> incomplete).
// Limit: code that enters the kernel without libc (raw `svc`/`syscall` instructions) is not seen.

import Java from "frida-java-bridge";
import { emit, hookError } from "./emit.js";

export interface NetGuardConfig {
    block_quic?: boolean;
    unwind_mode?: string;
}

const AF_INET = 2;
const AF_INET6 = 10;
const BOGUS_FAMILY = 0x7777;                   // the kernel answers EAFNOSUPPORT: nothing is sent
const UDP_REPEAT_MS = 30000;                   // a UDP destination is reported again after this long
const NAMES_MAX = 4096;

const names = new Map<string, string>();       // ip -> host name it was resolved from
const udpSeen = new Map<string, number>();     // "ip|port" -> last report (agent ms)
let glibcLayout = true;                        // struct addrinfo: glibc (addr before canonname) or bionic
let getsockopt: NativeFunction<number, [number, number, number, NativePointer, NativePointer]> | null = null;
let bogus: NativePointer | null = null;

export interface SockAddr {
    ip: string;
    port: number;
    family: number;
}

/** Parse an AF_INET/AF_INET6 sockaddr; null for any other family (unix sockets, netlink). */
export function parseSockaddr(p: NativePointer): SockAddr | null {
    if (p.isNull()) return null;
    const family = p.readU16();
    const port = (p.add(2).readU8() << 8) | p.add(3).readU8();
    if (family === AF_INET) {
        const b = new Uint8Array(p.add(4).readByteArray(4) as ArrayBuffer);
        return { ip: `${b[0]}.${b[1]}.${b[2]}.${b[3]}`, port, family };
    }
    if (family === AF_INET6) {
        const b = new Uint8Array(p.add(8).readByteArray(16) as ArrayBuffer);
        if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
            return { ip: `${b[12]}.${b[13]}.${b[14]}.${b[15]}`, port, family };      // v4-mapped
        }
        const parts: string[] = [];
        for (let i = 0; i < 16; i += 2) parts.push(((b[i] << 8) | b[i + 1]).toString(16));
        return { ip: parts.join(":").replace(/(^|:)0(:0)+(:|$)/, "::"), port, family };
    }
    return null;
}

function sockType(fd: number): string {
    if (getsockopt === null) return "tcp";
    const val = Memory.alloc(4);
    const len = Memory.alloc(4);
    len.writeU32(4);
    if (getsockopt(fd, 1 /* SOL_SOCKET */, 3 /* SO_TYPE */, val, len) !== 0) return "tcp";
    return (val.readU32() & 0xf) === 2 ? "udp" : "tcp";
}

function remember(ip: string, host: string): void {
    if (!host || host === ip) return;
    if (names.size >= NAMES_MAX) names.clear();
    names.set(ip, host);
}

const PLATFORM_LIB = /^(libc\.so|libc\.so\.6|libart|libandroid_runtime|libjavacore|libopenjdk|libnetd_client|libcutils|libutils|libbinder|libdl|ld-|libpthread|libjavacrypto|libconscrypt|libssl|libcrypto|libandroidicu|frida|libgum)/;

// the Java runtime's socket code: a connect from here is a Java client, whose Java stack names the caller
const JAVA_RUNTIME_LIB = /^(libjavacore|libopenjdk|libart|libandroid_runtime)/;
let unwindAccurate = false;        // bench baseline: a full ACCURATE backtrace per connect

/** The first library in the native call chain that is not the platform's: the SDK .so that connected. The
 *  caller's return address answers most connects without unwinding (an SDK library calling connect itself, or the
 *  Java runtime for Java clients); only a call through another platform library (libssl, libcurl in the system
 *  ...) walks the stack, with DWARF (ACCURATE), which costs tens to hundreds of microseconds on a phone. */
function nativeCaller(context: CpuContext | undefined, ret?: NativePointer): string | null {
    if (context === undefined) return null;
    if (!unwindAccurate && ret !== undefined) {
        const direct = Process.findModuleByAddress(ret);
        if (direct !== null && !PLATFORM_LIB.test(direct.name)) return direct.name;
        if (direct !== null && JAVA_RUNTIME_LIB.test(direct.name)) return null;
    }
    try {
        for (const addr of Thread.backtrace(context, Backtracer.ACCURATE).slice(0, 12)) {
            const m = Process.findModuleByAddress(addr);
            if (m !== null && !PLATFORM_LIB.test(m.name)) return m.name;
        }
    } catch (e) {
        // no unwind information: the Java stack still names the caller
    }
    return null;
}

function report(call: string, fd: number, sa: SockAddr, proto: string, blocked: boolean, context?: CpuContext,
                ret?: NativePointer): void {
    const ev: Record<string, unknown> = { ip: sa.ip, port: sa.port, protocol: proto, call, host: names.get(sa.ip) ?? null };
    if (blocked) ev.blocked = "quic";
    const lib = nativeCaller(context, ret);
    if (lib !== null) ev.native_module = lib;
    emit("net_connect", ev);
}

function isQuic(proto: string, sa: SockAddr): boolean {
    return proto === "udp" && sa.port === 443;
}

function walkAddrinfo(res: NativePointer, host: string): void {
    const ps = Process.pointerSize;
    let p = res;
    for (let i = 0; i < 64 && !p.isNull(); i++) {
        // int flags, family, socktype, protocol; socklen_t addrlen; then ai_addr and ai_canonname
        // (glibc order; bionic swaps them), then ai_next
        const first = p.add(ps === 8 ? 24 : 20).readPointer();
        const second = p.add(ps === 8 ? 32 : 24).readPointer();
        const addr = glibcLayout ? first : second;
        const sa = parseSockaddr(addr);
        if (sa !== null) remember(sa.ip, host);
        p = p.add(ps === 8 ? 40 : 28).readPointer();
    }
}

function hookResolver(name: string, resIndex: number, installed: string[]): void {
    const f = Module.findGlobalExportByName(name);
    if (f === null) return;
    Interceptor.attach(f, {
        onEnter(args) {
            this.host = args[0].isNull() ? null : args[0].readCString();
            this.res = args[resIndex];
        },
        onLeave(ret) {
            try {
                if (ret.toInt32() === 0 && this.host) walkAddrinfo((this.res as NativePointer).readPointer(), this.host as string);
            } catch (e) {
                hookError(name, e);
            }
        },
    });
    installed.push(name);
}

function hookConnect(block: boolean, installed: string[]): void {
    const f = Module.findGlobalExportByName("connect");
    if (f === null) return;
    Interceptor.attach(f, {
        onEnter(args) {
            try {
                const sa = parseSockaddr(args[1]);
                if (sa === null) return;
                const fd = args[0].toInt32();
                const proto = sockType(fd);
                const blocked = block && isQuic(proto, sa);
                if (blocked) args[1] = bogus as NativePointer;
                report("connect", fd, sa, proto, blocked, this.context, this.returnAddress);
            } catch (e) {
                hookError("connect", e);
            }
        },
    });
    installed.push("connect");
}

function udpReport(call: string, fd: number, sa: SockAddr, proto: string, blocked: boolean, context?: CpuContext,
                   ret?: NativePointer): void {
    const key = `${sa.ip}|${sa.port}|${proto}`;
    const now = Date.now();
    const last = udpSeen.get(key);
    if (!blocked && last !== undefined && now - last < UDP_REPEAT_MS) return;
    if (udpSeen.size >= NAMES_MAX) udpSeen.clear();
    udpSeen.set(key, now);
    report(call, fd, sa, proto, blocked, context, ret);
}

function hookSendto(block: boolean, installed: string[]): void {
    const f = Module.findGlobalExportByName("sendto");
    if (f === null) return;
    Interceptor.attach(f, {
        onEnter(args) {
            try {
                const sa = parseSockaddr(args[4]);
                if (sa === null) return;
                const fd = args[0].toInt32();
                const proto = sockType(fd);
                const blocked = block && isQuic(proto, sa);
                if (blocked) args[4] = bogus as NativePointer;
                udpReport("sendto", fd, sa, proto, blocked, this.context, this.returnAddress);
            } catch (e) {
                hookError("sendto", e);
            }
        },
    });
    installed.push("sendto");
}

function hookSendmsg(block: boolean, installed: string[]): void {
    const f = Module.findGlobalExportByName("sendmsg");
    if (f === null) return;
    Interceptor.attach(f, {
        onEnter(args) {
            try {
                const msg = args[1];
                const name = msg.readPointer();
                const sa = parseSockaddr(name);
                if (sa === null) return;
                const fd = args[0].toInt32();
                const proto = sockType(fd);
                const blocked = block && isQuic(proto, sa);
                if (blocked) {
                    this.msg = msg;
                    this.name = name;
                    msg.writePointer(bogus as NativePointer);
                }
                udpReport("sendmsg", fd, sa, proto, blocked, this.context, this.returnAddress);
            } catch (e) {
                hookError("sendmsg", e);
            }
        },
        onLeave() {
            if (this.msg) (this.msg as NativePointer).writePointer(this.name as NativePointer);   // the app's msghdr, as it was
        },
    });
    installed.push("sendmsg");
}

function hookSendmmsg(block: boolean, installed: string[]): void {
    // batched datagrams (Chromium/Cronet QUIC writers): every message's destination counts
    const f = Module.findGlobalExportByName("sendmmsg");
    if (f === null) return;
    const ps = Process.pointerSize;
    const entry = ps === 8 ? 64 : 32;          // struct mmsghdr: msghdr + msg_len (+ padding)
    Interceptor.attach(f, {
        onEnter(args) {
            try {
                const fd = args[0].toInt32();
                const n = Math.min(args[2].toInt32(), 64);
                const restore: [NativePointer, NativePointer][] = [];
                let proto: string | null = null;
                for (let i = 0; i < n; i++) {
                    const msg = args[1].add(i * entry);
                    const name = msg.readPointer();
                    const sa = parseSockaddr(name);
                    if (sa === null) continue;
                    if (proto === null) proto = sockType(fd);
                    const blocked = block && isQuic(proto, sa);
                    if (blocked) {
                        restore.push([msg, name]);
                        msg.writePointer(bogus as NativePointer);
                    }
                    udpReport("sendmmsg", fd, sa, proto, blocked, this.context, this.returnAddress);
                }
                this.restore = restore;
            } catch (e) {
                hookError("sendmmsg", e);
            }
        },
        onLeave() {
            for (const [msg, name] of (this.restore as [NativePointer, NativePointer][] | undefined) ?? []) msg.writePointer(name);
        },
    });
    installed.push("sendmmsg");
}

/** java.net.Socket.connect names the host of Java clients (call inside Java.perform). */
export function installJavaSocketHooks(installed: string[]): void {
    // Java clients resolve inside libcore (getaddrinfo via netd): the InetSocketAddress still has the name.
    try {
        const Socket = Java.use("java.net.Socket");
        const ov = Socket.connect.overload("java.net.SocketAddress", "int");
        ov.implementation = function (this: any, addr: any, timeout: number): any {
            try {
                const host = String(addr.getHostString());
                const ia = addr.getAddress();
                if (ia !== null && ia !== undefined) remember(String(ia.getHostAddress()), host);
            } catch (e) {
                // an unresolved address: libc connect reports the ip later
            }
            return ov.call(this, addr, timeout);
        };
        installed.push("java.net.Socket.connect");
    } catch (e) {
        // no java.net.Socket in this runtime (the native hooks still see every connect)
    }
}

/** Install the native socket hooks; returns what was hooked (for the install report). */
export function installNetGuard(cfg: NetGuardConfig): string[] {
    const installed: string[] = [];
    glibcLayout = Process.findModuleByName("libc.so.6") !== null;
    const gso = Module.findGlobalExportByName("getsockopt");
    if (gso !== null) getsockopt = new NativeFunction(gso, "int", ["int", "int", "int", "pointer", "pointer"]);
    bogus = Memory.alloc(32);
    bogus.writeU16(BOGUS_FAMILY);
    const block = cfg.block_quic !== false;
    unwindAccurate = cfg.unwind_mode === "accurate";
    hookResolver("getaddrinfo", 3, installed);
    hookResolver("android_getaddrinfofornet", 5, installed);
    hookConnect(block, installed);
    hookSendto(block, installed);
    hookSendmsg(block, installed);
    hookSendmmsg(block, installed);
    return installed;
}
