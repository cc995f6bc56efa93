// Small helpers over the Java bridge: descriptor conversion, the current Java stack and thread.

import Java from "frida-java-bridge";

const PRIMITIVES: Record<string, string> = {
    Z: "boolean", B: "byte", C: "char", S: "short", I: "int", J: "long", F: "float", D: "double", V: "void",
};

/** Split a smali parameter list into single type descriptors: "(Ljava/lang/String;[BI)V" -> params + return. */
export function splitDescriptor(desc: string): { params: string[]; ret: string } {
    const close = desc.indexOf(")");
    const inner = desc.startsWith("(") ? desc.slice(1, close) : "";
    const params: string[] = [];
    let i = 0;
    while (i < inner.length) {
        let j = i;
        while (inner[j] === "[") j++;
        if (inner[j] === "L") j = inner.indexOf(";", j);
        params.push(inner.slice(i, j + 1));
        i = j + 1;
    }
    return { params, ret: close >= 0 ? desc.slice(close + 1) : desc };
}

/** A smali type descriptor as Frida's overload() spells it: "I" -> "int", "[Ljava/lang/String;" -> "[Ljava.lang.String;". */
export function fridaType(t: string): string {
    if (t.startsWith("[")) return t.replace(/\//g, ".");
    if (t.startsWith("L")) return t.slice(1, -1).replace(/\//g, ".");
    return PRIMITIVES[t] ?? t;
}

export function overloadTypes(desc: string): string[] {
    return splitDescriptor(desc).params.map(fridaType);
}

let Log: any = null;
let Throwable: any = null;
let JThread: any = null;
const frameCache = new Map<string, string[]>();
// Per-event stacks: the bridge's native ART stack walk (Java.backtrace) gives a stack id for the price of the walk;
// frames are formatted once per id. The older form (a Throwable rendered by Log.getStackTraceString: a Java
// object, one StackTraceElement and string per frame, the whole text through JNI, every event) is the fallback
// when the walk is unavailable, and the baseline bench/bench_agent.py measures against (`stack_mode`).
let mode: "backtrace" | "throwable" = "backtrace";

/** Resolve the framework classes used per event (call inside Java.perform). */
export function initJava(stackMode?: string): void {
    Log = Java.use("android.util.Log");
    Throwable = Java.use("java.lang.Throwable");
    JThread = Java.use("java.lang.Thread");
    if (stackMode === "throwable") mode = "throwable";
}

const ACC_NATIVE = 0x100;

function frameText(f: any): string {
    const loc = (f.methodFlags & ACC_NATIVE) !== 0 ? "Native Method"
        : f.fileName ? (f.lineNumber >= 0 ? `${f.fileName}:${f.lineNumber}` : f.fileName) : "Unknown Source";
    return `${f.className}.${f.methodName}(${loc})`;
}

/**
 * The Java stack of the current thread as "class.method(File:line)" strings, most recent first, capped at
 * `limit`. Returns a cache key so repeated call sites are formatted and shipped once.
 */
export function javaStack(limit: number): { key: string; frames: string[] } {
    if (mode === "backtrace") {
        try {
            const bt = Java.backtrace({ limit });
            const key = "bt:" + bt.id;
            let frames = frameCache.get(key);
            if (frames === undefined) {
                frames = (bt.frames as any[]).map(frameText);
                if (frameCache.size > 4096) frameCache.clear();
                frameCache.set(key, frames);
            }
            return { key, frames };
        } catch (e) {
            mode = "throwable";           // this runtime has no usable stack walk: the Java way from now on
        }
    }
    const t = Throwable.$new();
    const text: string = String(Log.getStackTraceString(t));
    let frames = frameCache.get(text);
    if (frames === undefined) {
        frames = [];
        for (const line of text.split("\n")) {
            const s = line.trim();
            if (s.startsWith("at ")) {
                frames.push(s.slice(3));
                if (frames.length >= limit) break;
            }
        }
        if (frameCache.size > 4096) frameCache.clear();
        frameCache.set(text, frames);
    }
    return { key: text, frames };
}

export function threadName(): string {
    try {
        return String(JThread.currentThread().getName());
    } catch (e) {
        return "?";
    }
}
