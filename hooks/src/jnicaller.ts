// Who called a Java API from native code (issue 22 §4): a read whose Java stack has no caller (a native
// thread attached to the VM) or a native method as its caller came through JNI from a library. A Java
// hook runs inside frida-java-bridge's NativeCallback with no CPU context of its own, and a backtrace from
// the JavaScript VM's stack location is unreliable (frida-gum's own docs), so the native stack is searched
// the fuzzy way: from the stack pointer of a tiny native callback called here, up the thread's stack (at
// most 256 KiB, read in chunks until the stack's end: a thread Frida itself runs has a cloaked stack that
// no range lookup names), every word that points into one of the app's own libraries (not the system's,
// not Frida's) is a return address into it; the nearest first.

const SYSTEM = /^\/(system|apex|vendor|odm|product|usr|lib|lib64|bin|sbin)\//;
const SCAN_BYTES = 256 * 1024;
const CHUNK = 16 * 1024;

let grabbed: NativePointer = NULL;
let grab: NativeCallback<"void", []> | null = null;
let callGrab: NativeFunction<void, []> | null = null;
let appLibs: ModuleMap | null = null;

function isAppLib(m: Module): boolean {
    return !SYSTEM.test(m.path) && !/frida/i.test(m.path) && !/frida/i.test(m.name);
}

/** Names of the app's native libraries on the current thread's stack, innermost first (at most 8). */
export function nativeCallers(): string[] {
    if (grab === null) {
        grab = new NativeCallback(function (this: CallbackContext): void {
            grabbed = (this.context as any).sp as NativePointer;
        }, "void", []);
        callGrab = new NativeFunction(grab, "void", []);
        appLibs = new ModuleMap(isAppLib);
    }
    (callGrab as NativeFunction<void, []>)();
    const map = appLibs as ModuleMap;
    map.update();
    const mods = map.values().map((m) => ({ name: m.name, lo: Number(m.base), hi: Number(m.base.add(m.size)) }));
    if (mods.length === 0) return [];
    const out: string[] = [];
    const start = grabbed.and(ptr(~7));
    for (let at = 0; at < SCAN_BYTES && out.length < 8; at += CHUNK) {
        let buf: ArrayBuffer | null;
        try {
            buf = start.add(at).readByteArray(CHUNK);
        } catch (e) {
            break;                     // the end of the stack
        }
        if (buf === null) break;
        const words = new DataView(buf);
        for (let off = 0; off + 8 <= CHUNK && out.length < 8; off += 8) {
            const v = words.getUint32(off + 4, true) * 4294967296 + words.getUint32(off, true);
            for (const m of mods) {
                if (v >= m.lo && v < m.hi) {
                    if (!out.includes(m.name)) out.push(m.name);
                    break;
                }
            }
        }
    }
    return out;
}
