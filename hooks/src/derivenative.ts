// Derived values made in native code: SDKs with their own .so hash and encrypt through the app's
// crypto library (BoringSSL/OpenSSL: EVP_Digest*, EVP_Encrypt*, MD5_/SHA1_/SHA256_ Update/Final,
// AES_cbc_encrypt) without any Java class involved. Every loaded module that exports these is
// hooked; a transformation inside a hooked Java crypto call is left to the Java hook (one event).
// Limit: libraries loaded after configure() are not hooked.

import { derived, followed, inJavaCrypto, look, newSeen, type Seen } from "./derive.js";
import { hookError } from "./emit.js";

const MAX_STATES = 4096;
const CAP = 64 * 1024;
const states = new Map<string, { seen: Seen; out: number[]; name: string }>();
const hooked = new Set<string>();      // addresses: a function re-exported by several modules is hooked once

function bytes(p: NativePointer, n: number): number[] {
    if (p.isNull() || n <= 0) return [];
    return Array.from(new Uint8Array(p.readByteArray(Math.min(n, CAP)) as ArrayBuffer));
}

function st(ctx: NativePointer, name: string) {
    const k = ctx.toString();
    let s = states.get(k);
    if (s === undefined) {
        if (states.size >= MAX_STATES) states.clear();
        s = { seen: newSeen(), out: [], name };
        states.set(k, s);
    }
    return s;
}

function digestName(len: number): string {
    return ({ 16: "md5", 20: "sha1", 28: "sha224", 32: "sha256", 48: "sha384", 64: "sha512" } as Record<number, string>)[len] ?? "digest";
}

function attach(m: Module, name: string, cb: InvocationListenerCallbacks, out: string[]): void {
    const f = m.findExportByName(name);
    if (f === null || hooked.has(f.toString())) return;
    hooked.add(f.toString());
    try {
        Interceptor.attach(f, cb);
        out.push(`${m.name}!${name}`);
    } catch (e) {
        // already hooked through another module's re-export
    }
}

function cipherNamer(m: Module): (ctx: NativePointer) => string {
    const fn = (n: string, r: NativeFunctionReturnType, a: NativeFunctionArgumentType[]): any => {
        const p = m.findExportByName(n);
        return p === null ? null : new NativeFunction(p, r, a);
    };
    const get0 = fn("EVP_CIPHER_CTX_get0_cipher", "pointer", ["pointer"]) ?? fn("EVP_CIPHER_CTX_cipher", "pointer", ["pointer"]);
    const name3 = fn("EVP_CIPHER_get0_name", "pointer", ["pointer"]);
    const nid = fn("EVP_CIPHER_nid", "int", ["pointer"]);
    const nid2sn = fn("OBJ_nid2sn", "pointer", ["int"]);
    return (ctx: NativePointer) => {
        try {
            if (get0 === null) return "evp-cipher";
            const c = get0(ctx) as NativePointer;
            if (c.isNull()) return "evp-cipher";
            let n: string | null = null;
            if (name3 !== null) n = (name3(c) as NativePointer).readCString();
            else if (nid !== null && nid2sn !== null) n = (nid2sn(nid(c) as number) as NativePointer).readCString();
            return (n ?? "evp-cipher").toLowerCase();
        } catch (e) {
            return "evp-cipher";
        }
    };
}

function hookModule(m: Module, out: string[]): void {
    // EVP digests: Update accumulates per context, Final_ex produces
    attach(m, "EVP_DigestUpdate", {
        onEnter(a) {
            if (inJavaCrypto()) return;
            look(st(a[0], "digest").seen, bytes(a[1], a[2].toInt32()));
        },
    }, out);
    attach(m, "EVP_DigestFinal_ex", {
        onEnter(a) {
            this.ctx = a[0];
            this.md = a[1];
            this.len = a[2];
        },
        onLeave() {
            try {
                if (inJavaCrypto()) return;
                const k = (this.ctx as NativePointer).toString();
                const s = states.get(k);
                states.delete(k);
                if (s === undefined) return;
                const n = (this.len as NativePointer).isNull() ? 0 : (this.len as NativePointer).readU32();
                derived(digestName(n), s.seen, bytes(this.md as NativePointer, n), { native: m.name });
            } catch (e) {
                hookError("EVP_DigestFinal_ex", e);
            }
        },
    }, out);
    // legacy one-algorithm APIs: X_Update(ctx, data, len), X_Final(md, ctx)
    for (const [alg, len] of [["MD5", 16], ["SHA1", 20], ["SHA256", 32]] as [string, number][]) {
        attach(m, `${alg}_Update`, {
            onEnter(a) {
                if (inJavaCrypto()) return;
                look(st(a[0], alg.toLowerCase()).seen, bytes(a[1], a[2].toInt32()));
            },
        }, out);
        attach(m, `${alg}_Final`, {
            onEnter(a) {
                this.md = a[0];
                this.ctx = a[1];
            },
            onLeave() {
                try {
                    const k = (this.ctx as NativePointer).toString();
                    const s = states.get(k);
                    states.delete(k);
                    if (s !== undefined && !inJavaCrypto()) derived(alg.toLowerCase(), s.seen, bytes(this.md as NativePointer, len), { native: m.name });
                } catch (e) {
                    hookError(`${alg}_Final`, e);
                }
            },
        }, out);
    }
    // EVP ciphers: input through EncryptUpdate, output from EncryptUpdate + EncryptFinal_ex
    const namer = cipherNamer(m);
    attach(m, "EVP_EncryptUpdate", {
        onEnter(a) {
            if (inJavaCrypto()) return;
            this.s = st(a[0], namer(a[0]));
            look((this.s as any).seen, bytes(a[3], a[4].toInt32()));
            this.out = a[1];
            this.outl = a[2];
        },
        onLeave() {
            if (this.s === undefined || (this.out as NativePointer).isNull()) return;
            const s = this.s as any;
            s.out = s.out.concat(bytes(this.out as NativePointer, (this.outl as NativePointer).readS32())).slice(0, CAP);
        },
    }, out);
    attach(m, "EVP_EncryptFinal_ex", {
        onEnter(a) {
            this.ctx = a[0];
            this.out = a[1];
            this.outl = a[2];
        },
        onLeave() {
            try {
                if (inJavaCrypto()) return;
                const k = (this.ctx as NativePointer).toString();
                const s = states.get(k);
                states.delete(k);
                if (s === undefined) return;
                const tail = bytes(this.out as NativePointer, (this.outl as NativePointer).readS32());
                derived(s.name, s.seen, s.out.concat(tail), { native: m.name });
            } catch (e) {
                hookError("EVP_EncryptFinal_ex", e);
            }
        },
    }, out);
    attach(m, "AES_cbc_encrypt", {
        onEnter(a) {
            if (inJavaCrypto() || a[5].toInt32() === 0) return;     // decryption: nothing leaves
            this.seen = newSeen();
            look(this.seen as Seen, bytes(a[0], a[2].toInt32()));
            this.out = a[1];
            this.len = a[2].toInt32();
        },
        onLeave() {
            if (this.seen === undefined) return;
            derived("aes-cbc", this.seen as Seen, bytes(this.out as NativePointer, this.len as number), { native: m.name });
        },
    }, out);
}

/** Hook the crypto exports of every loaded module (after installDeriveHooks: needs the planted values). */
export function installNativeDerive(out: string[]): void {
    if (!followed()) return;
    for (const m of Process.enumerateModules()) {
        if (m.findExportByName("EVP_DigestUpdate") === null && m.findExportByName("MD5_Update") === null) continue;
        try {
            hookModule(m, out);
        } catch (e) {
            hookError(`native crypto hooks in ${m.name}`, e);
        }
    }
}
