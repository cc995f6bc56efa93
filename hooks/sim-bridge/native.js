// The stand-in's native side (index.js installs it).
// Native reads (issue 11) happen FOR REAL in this process: an SDK's native library (a copy of the
// simulator's libsgsdk.so under the SDK's library name) makes the real libc call, which the agent's
// real Interceptor hooks see. The device owns a sandbox: paths under its device roots (/sys, /proc/net,
// /proc/cpuinfo, /sdcard, /storage, /system/bin) are served from the sandbox folder (a replacement
// below the agent's listeners, like the kernel's view of a phone), properties come from the device's
// store (libsgprops.so), and SIOCGIFHWADDR answers the device's MAC: the host's own MAC, serial or
// files never reach the app.
const native = { root: null, libs: new Map(), keep: [], replaced: [] };
const DEVICE_ROOTS = ["/sys/", "/proc/net/", "/proc/cpuinfo", "/sdcard/", "/storage/", "/system/bin/"];

function mapPath(p) {
    if (p.isNull()) return p;
    const s = p.readUtf8String();
    if (!DEVICE_ROOTS.some((r) => s.startsWith(r))) return p;
    const m = Memory.allocUtf8String(native.root + s);
    native.keep.push(m);
    if (native.keep.length > 256) native.keep.splice(0, 128);
    return m;
}

function redirect(symbol, ret, argTypes, index) {
    const addr = Module.getGlobalExportByName(symbol);
    const orig = new NativeFunction(addr, ret, argTypes);
    const cb = new NativeCallback(function (...args) {
        args[index] = mapPath(args[index]);
        return orig(...args);
    }, ret, argTypes);
    Interceptor.replace(addr, cb);
    native.keep.push(cb);
    native.replaced.push(addr);
}

function deviceIoctl(mac) {
    const addr = Module.getGlobalExportByName("ioctl");
    const orig = new NativeFunction(addr, "int", ["int", "ulong", "pointer"]);
    const bytes = mac.split(":").map((h) => parseInt(h, 16));
    const cb = new NativeCallback(function (fd, req, arg) {
        if (Number(req) === 0x8927) {          // SIOCGIFHWADDR: the device's MAC, whatever the host has
            arg.add(16).writeU16(1);
            arg.add(18).writeByteArray(bytes);
            return 0;
        }
        return orig(fd, req, arg);
    }, "int", ["int", "ulong", "pointer"]);
    Interceptor.replace(addr, cb);
    native.keep.push(cb);
    native.replaced.push(addr);
}

/** A bionic function this API level does not have: calls fail with ENOSYS (glibc's export cannot be removed). */
function noSymbol(symbol, ret, argTypes) {
    const addr = Module.findGlobalExportByName(symbol);
    if (addr === null) return;
    const errno = new NativeFunction(Module.getGlobalExportByName("__errno_location"), "pointer", []);
    const cb = new NativeCallback(function () {
        errno().writeS32(38);            // ENOSYS
        return -1;
    }, ret, argTypes);
    Interceptor.replace(addr, cb);
    native.keep.push(cb);
    native.replaced.push(addr);
}

function sdkLib(name) {
    let m = native.libs.get(name);
    if (m === undefined) {
        m = Module.load(`${native.root}/lib/${name}`);
        native.libs.set(name, m);
    }
    return m;
}

let prepare = null;
let invokePrepared = null;
let apiLevel = () => 35;
let setCtx = null;

/** Add the native verbs (simNativeSetup, simNativeTeardown, simJni, simNative) to the stand-in's rpc exports. */
export function installNative(deps) {
    ({ prepare, invokePrepared, apiLevel, setCtx } = deps);
    const { simExports } = deps;
    Object.assign(simExports, {
        simNativeSetup(cfg) {
            native.root = cfg.sandbox;
            const props = Module.load(cfg.props_lib);
            new NativeFunction(props.getExportByName("sg_props_file"), "void", ["pointer"])(Memory.allocUtf8String(cfg.props_file));
            if (cfg.redirect === false) return true;      // benchmarks: the agent's hooks alone
            redirect("open", "int", ["pointer", "int", "int"], 0);
            redirect("openat", "int", ["int", "pointer", "int", "int"], 1);
            redirect("fopen", "pointer", ["pointer", "pointer"], 0);
            redirect("access", "int", ["pointer", "int"], 0);
            redirect("stat", "int", ["pointer", "pointer"], 0);
            redirect("readlink", "long", ["pointer", "pointer", "ulong"], 0);
            redirect("__open_2", "int", ["pointer", "int"], 0);
            redirect("__openat_2", "int", ["int", "pointer", "int"], 1);
            redirect("faccessat", "int", ["int", "pointer", "int", "int"], 1);
            redirect("lstat", "int", ["pointer", "pointer"], 0);
            redirect("fstatat", "int", ["int", "pointer", "pointer", "int"], 1);
            redirect("posix_spawn", "int", ["pointer", "pointer", "pointer", "pointer", "pointer", "pointer"], 1);
            deviceIoctl(cfg.mac);
            if (apiLevel() < 30) noSymbol("memfd_create", "int", ["pointer", "uint"]);   // bionic has it from API 30
            return true;
        },
        simNativeTeardown() {
            // the device's replacements are JS callbacks: revert them before the script unloads, or Frida's
            // own file access during the unload would wait on this script's JS lock
            for (const a of native.replaced) Interceptor.revert(a);
            native.replaced = [];
            Interceptor.flush();
            return true;
        },
        simJni(req, libName) {
            // the SDK's library calls a Java method through JNI: the hook runs below the library's frames
            const m = sdkLib(libName);
            const p = prepare(req);
            let out = null;
            let error = null;
            const cb = new NativeCallback(() => {
                try {
                    out = invokePrepared(p, false);
                } catch (e) {
                    error = e;
                }
            }, "void", []);
            new NativeFunction(m.getExportByName("sg_jni_call"), "int", ["pointer"])(cb);
            if (error !== null) throw error;
            return out;
        },
        simNative(req) {
            setCtx(req.stack ? { key: null, frames: req.stack, thread: req.thread || "main", throws: null, retValue: null } : null);
            try {
                const m = sdkLib(req.lib);
                const out = Memory.alloc(4096);
                const s = (x) => Memory.allocUtf8String(String(x));
                let r;
                if (req.op === "file") {
                    r = new NativeFunction(m.getExportByName("sg_file"), "int", ["pointer", "pointer", "pointer", "int"])(s(req.call), s(req.arg), out, 4096);
                } else if (req.op === "property") {
                    r = new NativeFunction(m.getExportByName("sg_property"), "int", ["pointer", "pointer", "pointer", "int"])(s(req.call), s(req.arg), out, 4096);
                } else if (req.op === "ioctl") {
                    r = new NativeFunction(m.getExportByName("sg_ioctl_hwaddr"), "int", ["pointer", "pointer", "int"])(s(req.arg), out, 4096);
                } else if (req.op === "getifaddrs") {
                    r = new NativeFunction(m.getExportByName("sg_getifaddrs"), "int", ["pointer", "int"])(out, 4096);
                } else if (req.op === "netlink") {
                    r = new NativeFunction(m.getExportByName("sg_netlink_getlink"), "int", [])();
                } else if (req.op === "exec") {
                    r = new NativeFunction(m.getExportByName("sg_exec"), "int", ["pointer", "pointer", "int"])(s(req.arg), out, 4096);
                } else if (req.op === "bench_open" || req.op === "bench_open_raw" || req.op === "bench_connect") {
                    const f = { bench_open: "sg_bench_open", bench_open_raw: "sg_bench_open_raw", bench_connect: "sg_bench_connect" }[req.op];
                    return { ret: new NativeFunction(m.getExportByName(f), "double", ["pointer", "int"])(s(req.arg), req.count), out: null };
                } else {
                    throw new Error(`sim-bridge: unknown native op ${req.op}`);
                }
                return { ret: r, out: r >= 0 ? out.readUtf8String() : null };
            } finally {
                setCtx(null);
            }
        },
    });
}
