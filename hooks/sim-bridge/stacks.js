// Java stacks and what they cost on a phone.
//
// Real bridge: Java.backtrace({limit}) (lib/android.js) walks the ART stack natively and returns {id, frames}: `id`
// is a checksum of the frames' methods and dex PCs, built during the walk; `frames` is JSON made on first access
// (signature, className, methodName, methodFlags, fileName, lineNumber). Runtime frames ('<runtime method>') are
// left out; native methods (the hooked method itself, once Frida replaced it, is one) keep their frame with
// ACC_NATIVE in methodFlags. The Java way - a Throwable (fillInStackTrace
// walks the stack into an object) rendered by Log.getStackTraceString (a StackTraceElement and a formatted line per
// frame, the text through JNI) - costs several times more, every event.
// Model (device time charged to the simulated call, arrays.js `charge`): per frame, WALK_US for the native walk,
// FILL_US for fillInStackTrace, TRACE_US for the rendered text, FRAMES_US when `frames` is first read.

import { charge } from "./arrays.js";

const WALK_US = 0.3;
const FILL_US = 1.0;
const TRACE_US = 4.0;
const FRAMES_US = 2.0;
const ids = new WeakMap();           // frames array (one simulated call site) -> id

export function chargeStack(what, n) {
    charge((what === "fill" ? FILL_US : TRACE_US) * n, what === "fill" ? "Throwable.fillInStackTrace" : "Log.getStackTraceString");
}

const ACC_NATIVE = 0x100;

function parse(f) {
    const open = f.indexOf("(");
    const head = open >= 0 ? f.slice(0, open) : f;
    const dot = head.lastIndexOf(".");
    const loc = open >= 0 ? f.slice(open + 1, -1) : "";
    const native = loc === "Native Method";
    const [fileName, line] = native ? ["", "-2"] : loc.split(":");
    return {
        signature: f, origin: "", className: head.slice(0, dot), methodName: head.slice(dot + 1),
        methodFlags: native ? ACC_NATIVE : 0, fileName: fileName === "Unknown Source" ? "" : fileName || "",
        lineNumber: line ? Number(line) : -1,
    };
}

/** Java.backtrace: most recent first, at most `limit`. */
export function backtrace(all, limit) {
    const walked = all.slice(0, limit);
    charge(WALK_US * walked.length, "Java.backtrace");
    let id = ids.get(all);
    if (id === undefined || id.limit !== limit) {
        id = { limit, text: Checksum.compute("sha1", walked.join("\n")) };
        ids.set(all, id);
    }
    let frames = null;
    return {
        id: id.text,
        get frames() {
            if (frames === null) {
                charge(FRAMES_US * walked.length, "Java.backtrace frames");
                frames = walked.map(parse);
            }
            return frames;
        },
    };
}
