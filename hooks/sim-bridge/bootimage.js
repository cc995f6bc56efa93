// Boot-image callers, as on ART: the framework is compiled ahead of time (boot image), and compiled boot code
// calls private/final framework methods directly or inlines them, so a Frida hook on such a callee never runs
// when the call comes from there. Activity.dispatchRequestPermissionsResult (private) is called only from
// Activity.dispatchActivityResult. The real bridge offers Java.deoptimizeMethod(ArtMethod*) (API 24+; JDWP below
// API 30, art::Instrumentation::Deoptimize from 30) and Java.deoptimizeBootImage() (API 26+, else it throws
// "This API is only available on Android >= 8.0"): a deoptimised caller runs in the interpreter, whose calls go
// through the hooked method. Model: a simulated call of a callee listed here skips its hook unless its caller (or
// the boot image) was deoptimised.

const INLINED = {     // "cls|member|types" of the callee -> "cls|member" of its boot-image caller
    "android.app.Activity|dispatchRequestPermissionsResult|int,android.content.Intent": "android.app.Activity|dispatchActivityResult",
};
export const BOOT_DECLARED = {
    "android.app.Activity": {
        dispatchActivityResult: [["java.lang.String", "int", "int", "android.content.Intent"],
            ["java.lang.String", "int", "int", "android.content.Intent", "java.lang.String"]],
        dispatchRequestPermissionsResult: [["int", "android.content.Intent"]],
    },
};

const byHandle = new Map();        // "0x..." -> "cls|member" of a method wrapper
const deoptimized = new Set();     // "cls|member"
let bootImage = false;
let nextHandle = 0x5c000000;
let api = null;                    // { apiLevel: () => number }

export function methodHandle(cls, member) {
    nextHandle += 16;
    const h = ptr(nextHandle);
    byHandle.set(h.toString(), `${cls}|${member}`);
    return h;
}

/** A hooked callee reached from compiled boot code: is the hook skipped? */
export function bootBypass(key) {
    const caller = INLINED[key];
    return caller !== undefined && !bootImage && !deoptimized.has(caller);
}

export function deoptimizeMethod(handle) {
    if (api.apiLevel() < 24) throw new Error("This API is only available on Android >= 7.0");
    const m = byHandle.get(String(handle));
    if (m === undefined) throw new Error(`sim-bridge: ${handle} is not an ArtMethod`);
    deoptimized.add(m);
}

export function deoptimizeBootImage() {
    if (api.apiLevel() < 26) throw new Error("This API is only available on Android >= 8.0");
    bootImage = true;
}

export function installBootImage(internals) {
    api = internals;
    internals.declareDefaults(BOOT_DECLARED);
}
