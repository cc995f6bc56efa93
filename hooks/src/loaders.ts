// Code loaded at run time: the class-loader family (DexClassLoader, PathClassLoader,
// InMemoryDexClassLoader, BaseDexClassLoader constructors, DexFile.loadDex / DexFile(...) /
// openDexFile). Each load the app or an SDK makes is recorded as a `code_loaded` event (with the
// loader's stack, so the host attributes it to whoever loaded it), and the loaded bytes are sent
// to the host (message {type: "code", id, path, size} with the bytes attached), which keeps them
// in the evidence folder and scans them with the static engine. Loads nested inside another
// hooked load (DexClassLoader -> BaseDexClassLoader -> DexFile.openDexFile) are recorded once.
// Start-up cost: the framework creates loaders for the app's own base.apk/splits, the WebView provider and Google
// Play services modules at start-up, on the main thread, inside the gating deadline. Those paths are skipped (the
// app's own APK is scanned statically; system partitions and provider packages are not the app's code and the app
// cannot write there). For other loads only what must happen on the app's thread does: the stack is captured, the
// file opened (its bytes stay readable through the descriptor even if a packer deletes it at once) or an in-memory
// buffer copied in one bulk read; reading the file and sending the bytes run afterwards on the agent's own thread.

import Java from "frida-java-bridge";
import { bufferBytes } from "./arrays.js";
import { retryIn } from "./classloaders.js";
import { capture, emitCaptured, hookError } from "./emit.js";
import { classesMayHaveLoaded } from "./impls.js";
import type { InstallReport } from "./hooks.js";
import type { AgentConfig } from "./types.js";

type Target = [cls: string, member: string, types: string[]];

const S = "java.lang.String";
const CL = "java.lang.ClassLoader";
const BB = "java.nio.ByteBuffer";
const BBA = "[Ljava.nio.ByteBuffer;";

export const LOADER_TARGETS: Target[] = [
    ["dalvik.system.DexClassLoader", "$init", [S, S, S, CL]],
    ["dalvik.system.PathClassLoader", "$init", [S, CL]],
    ["dalvik.system.PathClassLoader", "$init", [S, S, CL]],
    ["dalvik.system.PathClassLoader", "$init", [S, S, CL, "[Ljava.lang.ClassLoader;"]],
    ["dalvik.system.InMemoryDexClassLoader", "$init", [BB, CL]],
    ["dalvik.system.InMemoryDexClassLoader", "$init", [BBA, CL]],
    ["dalvik.system.InMemoryDexClassLoader", "$init", [BBA, S, CL]],
    ["dalvik.system.BaseDexClassLoader", "$init", [S, "java.io.File", S, CL]],
    ["dalvik.system.BaseDexClassLoader", "$init", [S, S, CL, "[Ljava.lang.ClassLoader;", "boolean"]],
    ["dalvik.system.BaseDexClassLoader", "$init", [S, S, CL, "[Ljava.lang.ClassLoader;", "[Ljava.lang.ClassLoader;", "boolean"]],
    ["dalvik.system.BaseDexClassLoader", "$init", [BBA, CL]],
    ["dalvik.system.BaseDexClassLoader", "$init", [BBA, S, CL]],
    ["dalvik.system.DexFile", "loadDex", [S, S, "int"]],
    ["dalvik.system.DexFile", "$init", [S]],
    ["dalvik.system.DexFile", "$init", ["java.io.File"]],
];

const depth = new Map<number, number>();
let maxBytes = 64 * 1024 * 1024;
let blobSeq = 0;
let ownApk: RegExp | null = null;        // the app's installed base.apk / split APKs

// not the app's code: system partitions, the WebView provider, Chrome/Trichrome, Google Play services (and its
// dynamically loaded modules), Huawei's WebView
const SYSTEM_PATH = /^\/(system|system_ext|product|vendor|odm|oem|apex)\//;
const PROVIDERS = ["com.google.android.webview", "com.android.webview", "com.android.chrome", "com.chrome.beta",
    "com.chrome.dev", "com.google.android.trichromelibrary", "com.google.android.gms", "com.google.android.gsf",
    "com.huawei.webview"];
const providerApk = new RegExp(`^/data/app/(~~[^/]+/)?(${PROVIDERS.map((p) => p.replace(/\./g, "\\.")).join("|")})(_\\d+)?-[^/]+/`);   // static shared libraries: pkg_<version>
const providerData = new RegExp(`^/data/(user(_de)?/\\d+|data)/(${PROVIDERS.map((p) => p.replace(/\./g, "\\.")).join("|")})/`);

/** Why a loaded path is not copied (null: it is copied): the app's own installed APK, or not the app's code. */
export function skipReason(path: string): string | null {
    if (SYSTEM_PATH.test(path)) return "system";
    if (providerApk.test(path) || providerData.test(path)) return "provider";
    if (ownApk !== null && ownApk.test(path)) return "own";
    return null;
}

// work that must not run on the app's thread: read + send, queued here and run on the agent's thread
const deferred: (() => void)[] = [];
let armed = false;

function later(fn: () => void): void {
    deferred.push(fn);
    if (!armed) {
        armed = true;
        setTimeout(drainLoads, 0);
    }
}

/** Run the queued reads and sends now (the host's flush calls this first, so nothing is left behind). */
export function drainLoads(): void {
    armed = false;
    let fn: (() => void) | undefined;
    while ((fn = deferred.shift()) !== undefined) {
        try {
            fn();
        } catch (e) {
            hookError("loaded code", e);
        }
    }
}

/** Hook every class-loader entry point that exists on this runtime (before resume). */
export function installLoaderHooks(cfg: AgentConfig, report: InstallReport): void {
    maxBytes = cfg.loaded_max_bytes ?? maxBytes;
    if (cfg.package) ownApk = new RegExp(`^/data/app/(~~[^/]+/)?${cfg.package.replace(/\./g, "\\.")}-[^/]+/[^/]+\\.apk$`);
    for (const [cls, member, types] of LOADER_TARGETS) {
        const id = `loader.${cls.split(".").pop()}.${member}(${types.length})`;
        try {
            const ov = Java.use(cls)[member].overload(...types);
            ov.implementation = function (this: any, ...args: any[]) {
                return recordLoad(cls, member, types, ov, this, args);
            };
            report.hooked.push(id);
        } catch (e) {
            // an overload this Android version does not have: the others cover it
        }
    }
    try {
        const dexFile = Java.use("dalvik.system.DexFile");
        for (const ov of dexFile.openDexFile.overloads) {
            const types = ov.argumentTypes.map((t: any) => t.className as string);
            ov.implementation = function (this: any, ...args: any[]) {
                return recordLoad("dalvik.system.DexFile", "openDexFile", types, ov, this, args);
            };
            report.hooked.push(`loader.DexFile.openDexFile(${types.length})`);
        }
    } catch (e) {
        // no openDexFile on this runtime: the constructors and loadDex are hooked
    }
}

function recordLoad(cls: string, member: string, types: string[], ov: any, self: any, args: any[]): any {
    const tid = Process.getCurrentThreadId();
    const d = depth.get(tid) ?? 0;
    depth.set(tid, d + 1);
    try {
        if (d === 0) {
            try {
                describe(cls, member, types, args);
            } catch (e) {
                hookError(`${cls}.${member}`, e);
            }
        }
        const ret = ov.call(self, ...args);
        if (d === 0) classesMayHaveLoaded();     // its classes may implement an interface row (impls.ts)
        // a new class loader: rows whose classes no loader had yet may be in it (classloaders.ts)
        if (d === 0 && member === "$init" && cls.endsWith("ClassLoader")) {
            const from = source(types, args);
            const skip = skipReason(from.split(":")[0]);
            if (skip !== "system" && skip !== "provider") retryIn(self, `${cls} ${from}`);
        }
        return ret;
    } finally {
        if (d === 0) depth.delete(tid);
        else depth.set(tid, d);
    }
}

function source(types: string[], args: any[]): string {
    const i = types.indexOf(S);
    return i === 0 && args[0] !== null && args[0] !== undefined ? String(args[0]) : "(in memory)";
}

function describe(cls: string, member: string, types: string[], args: any[]): void {
    const loader = `${cls}.${member}`;
    for (let i = 0; i < types.length; i++) {
        const t = types[i];
        const v = args[i];
        if (v === null || v === undefined) continue;
        if (t === S && i === 0) {
            for (const p of String(v).split(":").filter((x) => x.length > 0)) fromPath(loader, p);
            return;
        }
        if (t === "java.io.File" && i === 0) {
            fromPath(loader, String(v.getPath()));
            return;
        }
        if (t === BB) {
            fromBuffer(loader, v, 0);
            return;
        }
        if (t === BBA) {
            for (let k = 0; k < v.length; k++) fromBuffer(loader, v[k], k);
            return;
        }
    }
}

function fromPath(loader: string, path: string): void {
    if (skipReason(path) !== null) return;
    const id = ++blobSeq;
    const ev: Record<string, unknown> = { loader, in_memory: false, path, blob: id };
    const at = capture();
    let f: File | null = null;
    let size = 0;
    try {
        f = new File(path, "rb");
        f.seek(0, File.SEEK_END);
        size = f.tell();
        ev.size = size;
    } catch (e) {
        ev.read_error = e instanceof Error ? e.message : String(e);
    }
    later(() => {
        try {
            if (f !== null && size > maxBytes) {
                ev.too_large = true;
            } else if (f !== null) {
                f.seek(0, File.SEEK_SET);
                send({ type: "code", id, path, size }, f.readBytes(size));
            }
        } catch (e) {
            ev.read_error = e instanceof Error ? e.message : String(e);
        } finally {
            if (f !== null) f.close();
        }
        emitCaptured("code_loaded", ev, at);
    });
}

function fromBuffer(loader: string, buf: any, index: number): void {
    const id = ++blobSeq;
    const ev: Record<string, unknown> = { loader, in_memory: true, path: null, index, blob: id };
    const at = capture();
    let bytes: Uint8Array | null = null;
    try {
        const got = bufferBytes(buf, maxBytes);      // one bulk copy (arrays.ts), now: the app may reuse the buffer
        ev.size = got.size;
        bytes = got.bytes;
        if (bytes === null) ev.too_large = true;
    } catch (e) {
        ev.read_error = e instanceof Error ? e.message : String(e);
    }
    later(() => {
        if (bytes !== null) send({ type: "code", id, path: null, size: ev.size }, bytes.buffer as ArrayBuffer);
        emitCaptured("code_loaded", ev, at);
    });
}
