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

/** Resolve the framework classes used per event (call inside Java.perform). */
export function initJava(): void {
    Log = Java.use("android.util.Log");
    Throwable = Java.use("java.lang.Throwable");
    JThread = Java.use("java.lang.Thread");
}

/**
 * The Java stack of the current thread as "class.method(File:line)" strings, most recent first,
 * nothing skipped (the hooked method itself is usually frame 0), capped at `limit`.
 * Returns the raw text as a cache key so repeated call sites are parsed and shipped once.
 */
export function javaStack(limit: number): { key: string; frames: string[] } {
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
