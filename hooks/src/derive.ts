// Derived values: SDKs hash identifiers together, salt them, encrypt whole payloads. The traffic then
// holds none of the planted values, only what was made from them. This module watches the
// transformations (MessageDigest, Mac, Cipher, Base64, Deflater/GZIPOutputStream) and, when an input
// carries a planted value or an output seen before, records a `derived` event: the categories, the
// chain (`aes-128-cbc(json)`, `md5(imei+android_id+mac)`), the output's SHA-256 and a bounded prefix
// (what the proxy searches for, as raw bytes, hex or base64). The plaintext is never stored.

import Java from "frida-java-bridge";
import { javaBytes } from "./arrays.js";
import { emit, hookError } from "./emit.js";

const SCAN_CAP = 64 * 1024;       // bytes of one input searched
const OUT_PREFIX = 48;            // bytes of an output kept (hex) in the event
const OUT_CAP = 1024 * 1024;      // bytes of one output hashed
const KNOWN_MAX = 512;            // outputs remembered for chains
const REVERSIBLE = new Set(["base64"]);
const STATE_MAX = 4096;           // transformation objects tracked at once

interface Form {
    text: string;                 // latin-1 text of the bytes searched for
    category: string;
    chain: string | null;         // null: a planted value; else the chain of a derived output
}

export interface Seen {
    derivedIn?: boolean;          // an input held an earlier output (not only planted values)
    cats: Set<string>;
    order: string[];              // inner description parts, in order of first appearance
    json: boolean;
}

interface TxState {
    seen: Seen;
    keyBits: number;
    out: number[];
}

let forms: Form[] = [];
const known: Form[] = [];
const states = new Map<string, TxState>();

function shortName(category: string): string {
    const i = category.lastIndexOf(".");
    return i >= 0 ? category.slice(i + 1) : category;
}

function utf8Latin1(s: string): string {
    return unescape(encodeURIComponent(s));
}

/** The planted values in the textual forms an SDK feeds to a transformation. */
/** Native hooks skip transformations made inside a hooked Java crypto call (Conscrypt ends in
 * BoringSSL): one transformation, one event. */
const javaDepth = new Map<number, number>();

export function inJavaCrypto(): boolean {
    return (javaDepth.get(Process.getCurrentThreadId()) ?? 0) > 0;
}

function javaCall<T>(fn: () => T): T {
    const tid = Process.getCurrentThreadId();
    javaDepth.set(tid, (javaDepth.get(tid) ?? 0) + 1);
    try {
        return fn();
    } finally {
        const d = (javaDepth.get(tid) ?? 1) - 1;
        if (d <= 0) javaDepth.delete(tid);
        else javaDepth.set(tid, d);
    }
}

export function followed(): boolean {
    return forms.length > 0;
}

export function initDerive(canaries: Record<string, string>): void {
    const out: Form[] = [];
    for (const [category, value] of Object.entries(canaries)) {
        const variants = new Set<string>([value, value.toLowerCase(), value.toUpperCase()]);
        if (/[:\-]/.test(value)) {
            const ns = value.replace(/[:\-]/g, "");
            variants.add(ns);
            variants.add(ns.toLowerCase());
            variants.add(ns.toUpperCase());
        }
        for (const v of variants) if (v.length >= 4) out.push({ text: utf8Latin1(v), category, chain: null });
    }
    forms = out;
}

/** Bytes of a String (UTF-8) or a Java byte[] slice, at most `cap`: one bulk JNI copy (arrays.ts). */
function bytesOf(v: any, cap: number, off = 0, len = -1): number[] {
    if (v === null || v === undefined) return [];
    if (typeof v === "string") {
        const s = utf8Latin1(v);
        const a: number[] = [];
        for (let i = 0; i < s.length && i < cap; i++) a.push(s.charCodeAt(i));
        return a;
    }
    if (typeof v.length !== "number") return [];
    return Array.from(javaBytes(v, off, len, cap));
}

function latin1(b: number[], cap: number): string {
    let s = "";
    const n = Math.min(b.length, cap);
    for (let i = 0; i < n; i += 4096) s += String.fromCharCode(...b.slice(i, Math.min(n, i + 4096)));
    return s;
}

function hex(b: number[]): string {
    return b.map((x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
}

export function newSeen(): Seen {
    return { cats: new Set(), order: [], json: false };
}

/** Search one input for planted values and known outputs; fold what is found into `seen`. */
export function look(seen: Seen, input: number[]): void {
    if (input.length === 0) return;
    const text = latin1(input, SCAN_CAP);
    const first = text.replace(/^\s+/, "").charAt(0);
    if (seen.order.length === 0 && seen.cats.size === 0 && (first === "{" || first === "[")) seen.json = true;
    const hits: { at: number; f: Form }[] = [];
    for (const f of forms) {
        const at = text.indexOf(f.text);
        if (at >= 0) hits.push({ at, f });
    }
    for (const f of known) {
        const at = text.indexOf(f.text);
        if (at >= 0) hits.push({ at, f });
    }
    hits.sort((a, b) => a.at - b.at);
    for (const h of hits) {
        if (h.f.chain !== null) seen.derivedIn = true;
        for (const c of h.f.category.split(",")) seen.cats.add(c);
        const part = h.f.chain ?? shortName(h.f.category);
        if (!seen.order.includes(part)) seen.order.push(part);
    }
}

function inner(seen: Seen): string {
    if (seen.json) return "json";
    return seen.order.join("+");
}

/** Remember an output (its raw, hex and base64 text is what a later transformation may consume). */
function rememberOutput(out: number[], cats: string[], chain: string): void {
    if (out.length < 8) return;
    const prefix = out.slice(0, OUT_PREFIX);
    const category = cats.join(",");
    const add = (text: string) => {
        if (known.length >= KNOWN_MAX) known.shift();
        known.push({ text, category, chain });
    };
    add(latin1(prefix, OUT_PREFIX));
    add(hex(prefix));
    add(hex(prefix).toUpperCase());
}

/** Record one transformation whose input carried planted (or derived) values. */
export function derived(transform: string, seen: Seen, out: number[] | null, extra?: Record<string, unknown>): void {
    if (seen.cats.size === 0) return;
    const cats = [...seen.cats].sort();
    const chain = `${transform}(${inner(seen)})`;
    const ev: Record<string, unknown> = { categories: cats, chain, transform };
    if (out !== null && out.length > 0) {
        ev.out_len = out.length;
        ev.out_sha256 = Checksum.compute("sha256", out.slice(0, OUT_CAP));
        // a reversible encoding of the plaintext itself would be the plaintext: no prefix then (the
        // canary matcher finds planted values in base64 anyway); of a hash or ciphertext it is safe
        if (!(REVERSIBLE.has(transform) && !seen.derivedIn)) {
            ev.out_prefix = hex(out.slice(0, OUT_PREFIX));
            rememberOutput(out, cats, chain);
        }
    }
    if (extra) Object.assign(ev, extra);
    emit("derived", ev);
}

function idOf(obj: any): string {
    try {
        return String(obj.hashCode());
    } catch (e) {
        return "?";
    }
}

function state(obj: any): TxState {
    const k = idOf(obj);
    let s = states.get(k);
    if (s === undefined) {
        if (states.size >= STATE_MAX) states.clear();
        s = { seen: newSeen(), keyBits: 0, out: [] };
        states.set(k, s);
    }
    return s;
}

function drop(obj: any): void {
    states.delete(idOf(obj));
}

function algorithm(obj: any): string {
    try {
        return String(obj.getAlgorithm());
    } catch (e) {
        return "?";
    }
}

function digestName(alg: string): string {
    return alg.toLowerCase().replace(/-/g, "");
}

function cipherName(alg: string, keyBits: number): string {
    const [name, mode] = alg.split("/");
    const n = name.toLowerCase();
    if (n === "aes") return `aes-${keyBits || 128}-${(mode || "ecb").toLowerCase()}`;
    return n;
}

function each(cls: string, member: string, fn: (ov: any) => void, installed: string[]): void {
    try {
        const ovs = Java.use(cls)[member].overloads as any[];
        for (const ov of ovs) fn(ov);
        if (ovs.length > 0) installed.push(`${cls}.${member}`);
    } catch (e) {
        // class or member absent in this runtime
    }
}

function argBytes(ov: any, args: any[]): number[] {
    const types: string[] = ov.argumentTypes.map((t: any) => String(t.className ?? t.name));
    if (types[0] === "[B") return bytesOf(args[0], SCAN_CAP, types.length >= 3 ? args[1] : 0, types.length >= 3 ? args[2] : -1);
    if (types[0] === "byte") return [args[0] & 0xff];
    return [];
}

function guard(where: string, fn: () => void): void {
    try {
        fn();
    } catch (e) {
        hookError(where, e);
    }
}

/** Install the transformation hooks (inside Java.perform). */
export function installDeriveHooks(canaries: Record<string, string>, installed: string[]): void {
    initDerive(canaries);
    if (forms.length === 0) return;          // nothing planted: nothing to follow
    // MessageDigest / Mac: update() accumulates, digest()/doFinal() produces
    for (const cls of ["java.security.MessageDigest", "javax.crypto.Mac"]) {
        const name = (o: any) => (cls.endsWith("Mac") ? algorithm(o).toLowerCase() : digestName(algorithm(o)));
        each(cls, "update", (ov) => {
            ov.implementation = function (this: any, ...args: any[]): any {
                guard(`${cls}.update`, () => look(state(this).seen, argBytes(ov, args)));
                return javaCall(() => ov.call(this, ...args));
            };
        }, installed);
        each(cls, cls.endsWith("Mac") ? "doFinal" : "digest", (ov) => {
            ov.implementation = function (this: any, ...args: any[]): any {
                const types: string[] = ov.argumentTypes.map((t: any) => String(t.className ?? t.name));
                if (types.length === 1 && types[0] === "[B") guard(`${cls}.final`, () => look(state(this).seen, bytesOf(args[0], SCAN_CAP)));
                const ret = javaCall(() => ov.call(this, ...args));
                if (types.length <= 1) {
                    guard(`${cls}.final`, () => {
                        const s = state(this);
                        drop(this);
                        derived(name(this), s.seen, bytesOf(ret, OUT_CAP));
                    });
                }
                return ret;
            };
        }, installed);
    }
    // Cipher: init() gives the key size, update()/doFinal() carry input and output
    const C = "javax.crypto.Cipher";
    each(C, "init", (ov) => {
        ov.implementation = function (this: any, ...args: any[]): any {
            guard(`${C}.init`, () => {
                const s = { seen: newSeen(), keyBits: 0, out: [] as number[] };
                try {
                    const enc = args[1].getEncoded();
                    if (enc !== null && enc !== undefined) s.keyBits = Number(enc.length) * 8;     // no element read
                } catch (e) {
                    // a public key: getEncoded() is the X.509 form, the size does not matter for the name
                }
                drop(this);
                states.set(idOf(this), s);
            });
            return javaCall(() => ov.call(this, ...args));
        };
    }, installed);
    each(C, "update", (ov) => {
        ov.implementation = function (this: any, ...args: any[]): any {
            guard(`${C}.update`, () => look(state(this).seen, argBytes(ov, args)));
            const ret = javaCall(() => ov.call(this, ...args));
            guard(`${C}.update`, () => {
                const s = state(this);
                if (Array.isArray(ret) || (ret && typeof ret.length === "number")) s.out = s.out.concat(bytesOf(ret, OUT_CAP - s.out.length));
            });
            return ret;
        };
    }, installed);
    each(C, "doFinal", (ov) => {
        ov.implementation = function (this: any, ...args: any[]): any {
            guard(`${C}.doFinal`, () => look(state(this).seen, argBytes(ov, args)));
            const ret = javaCall(() => ov.call(this, ...args));
            guard(`${C}.doFinal`, () => {
                const s = state(this);
                const out = ret !== null && ret !== undefined && typeof ret === "object" ? s.out.concat(bytesOf(ret, OUT_CAP - s.out.length)) : s.out;
                const seen = s.seen;
                s.seen = newSeen();
                s.out = [];
                derived(cipherName(algorithm(this), s.keyBits), seen, out);
            });
            return ret;
        };
    }, installed);
    // Base64 (android.util and java.util): the encoded text is the output
    for (const [cls, members] of [["android.util.Base64", ["encode", "encodeToString"]],
        ["java.util.Base64$Encoder", ["encode", "encodeToString"]]] as [string, string[]][]) {
        for (const m of members) {
            each(cls, m, (ov) => {
                ov.implementation = function (this: any, ...args: any[]): any {
                    const seen = newSeen();
                    guard(`${cls}.${m}`, () => look(seen, argBytes(ov, args)));
                    const ret = javaCall(() => ov.call(this, ...args));
                    guard(`${cls}.${m}`, () => derived("base64", seen, bytesOf(ret, OUT_CAP)));
                    return ret;
                };
            }, installed);
        }
    }
    // Deflater / GZIPOutputStream: the compressed bytes go elsewhere; the proxy inflates bodies, the
    // event says the planted value went into a compressor
    for (const [cls, m, t] of [["java.util.zip.Deflater", "setInput", "deflate"],
        ["java.util.zip.GZIPOutputStream", "write", "gzip"]]) {
        each(cls, m, (ov) => {
            ov.implementation = function (this: any, ...args: any[]): any {
                const seen = newSeen();
                guard(`${cls}.${m}`, () => {
                    look(seen, argBytes(ov, args));
                    derived(t, seen, null);
                });
                return javaCall(() => ov.call(this, ...args));
            };
        }, installed);
    }
}

