// The one place events leave a hook: stamp time, thread and stack, then queue them.

import { nowMs } from "./clock.js";
import { javaStack, threadName } from "./java.js";
import { nativeCallers } from "./jnicaller.js";
import { EventQueue } from "./queue.js";

export const state = {
    queue: new EventQueue({ batchMax: 200, flushMs: 50, queueMax: 100000 }),
    stackLimit: 64,
    errors: 0,
};

/** What an event takes from the thread it happens on (time, thread, Java stack): captured in a hook, the event
 *  itself may be completed and queued later, off the app's thread (loaders.ts). */
export interface Captured {
    t: number;
    thread: string;
    key: string | null;
    frames: string[] | null;
    stackError?: string;
    nativeLibs?: string[];      // a Java call made from native code (JNI): the app libraries on the native stack
}

export function capture(withJava = true): Captured {
    const c: Captured = { t: nowMs(), thread: withJava ? threadName() : `native:${Process.getCurrentThreadId()}`,
                          key: null, frames: null };
    if (withJava) try {
        const s = javaStack(state.stackLimit);
        c.key = s.key;
        c.frames = s.frames;
        if (calledFromNative(s.frames)) {
            const libs = nativeCallers();             // through JNI: the app libraries on the native stack
            if (libs.length > 0) c.nativeLibs = libs;
        }
    } catch (e) {
        c.stackError = String(e);
    }
    return c;
}

export function emitCaptured(kind: string, fields: Record<string, unknown>, c: Captured): void {
    const ev: Record<string, unknown> = { kind, t: c.t, thread: c.thread };
    Object.assign(ev, fields);
    if (c.stackError !== undefined) ev.stack_error = c.stackError;
    if (kind === "read" && c.nativeLibs !== undefined && ev.native_stack === undefined) {
        ev.native_stack = c.nativeLibs;
        ev.native_caller = c.nativeLibs[0];
    }
    state.queue.push(ev, c.key, c.frames);
}

export function emit(kind: string, fields: Record<string, unknown>, withJava = true): void {
    emitCaptured(kind, fields, capture(withJava));
}

/** A Java read with no Java caller (a native thread attached to the VM) or called by a native method:
 * the caller is native code reaching Java through JNI, named by the libraries on the native stack. */
function calledFromNative(frames: string[]): boolean {
    if (frames.length <= 1) return true;
    return frames[1].endsWith("(Native Method)") && !frames[1].startsWith("java.lang.reflect.");
}

// Per-thread nesting of hooked calls. Framework APIs often call a hooked overload of themselves
// (getImei() -> getImei(slot), ActivityCompat.requestPermissions -> Activity.requestPermissions):
// only the outermost call, the one the app made, is recorded (and gets the canary).
const depth = new Map<number, number>();

/** Enter a hooked call: returns the thread id for leave(), negative when nested (not the outermost). */
export function enter(): number {
    const tid = Process.getCurrentThreadId();
    const d = depth.get(tid) ?? 0;
    depth.set(tid, d + 1);
    return d === 0 ? tid : -tid - 1;
}

/** How many hooked Java calls are in progress on this thread (native hooks defer to them). */
export function javaDepth(): number {
    return depth.get(Process.getCurrentThreadId()) ?? 0;
}

export function leave(token: number): void {
    const tid = token < 0 ? -token - 1 : token;
    const d = (depth.get(tid) ?? 1) - 1;
    if (d <= 0) depth.delete(tid);
    else depth.set(tid, d);
}

/** A failure inside a hook: the app's call goes on, the host hears about it (and marks the run incomplete). */
export function hookError(where: string, e: unknown): void {
    state.errors++;
    if (state.errors <= 20) {
        send({ type: "status", status: "error", t: nowMs(), detail: `${where}: ${e instanceof Error ? e.message : String(e)}` });
    }
}
