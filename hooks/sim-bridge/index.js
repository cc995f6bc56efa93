// Stand-in for frida-java-bridge: the simulated Android runtime's Java side.
//
// The unchanged sdkgate agent is compiled against this module (build.py links it as
// node_modules/frida-java-bridge) and runs inside a real Frida session in a local process.
// Hooks the agent installs (`Java.use(c)[m].overload(...).implementation = fn`) land in a table;
// the host (sdkgate/dynamic/simruntime.py) drives simulated app calls through rpc exports:
//
//   simInvoke({cls, member, types, self, args, ret, throws, stack, thread})
//       -> {hooked, ret | threw}   calls the installed implementation with a fake `this`; inside it,
//          calling the method again (`ov.call(this, ...)`) is the "original", which returns `ret`
//          (or throws `throws`). `stack` (most recent first, the caller's frames) becomes the Java
//          stack seen by Throwable/Log.getStackTraceString, below a frame for the API itself.
//   simInvokeMany(req, count)      the same call `count` times (benchmarks)
//   simDefine({cls: {member: [[types...], ...]}})   declare app classes' overloads (for `.overloads`)
//   simSetField(cls, name, value) / simField(cls, name)   static fields (e.g. Build.SERIAL)
//   simHooks()                     keys of installed hooks
//   simCrash()                     the process dies abruptly: _exit(134) (abort() and signals are caught
//                                  by Frida's own crash handling in a local process, so they would hang)
//
// Values cross the wire as JSON: null/bool/number/string (java.lang.String), JSON lists (object
// arrays such as String[]), {"$array": "byte", "items": [...]} (primitive arrays),
// {"$list": [...]} (java.util.List), {"$obj": "cls", "fields": {...}, "returns": {method: value}}.
// A few framework classes the agent itself uses have small models (Thread, Throwable, Log, String,
// ArrayList, ClipData, Location via the bean rule); any other object is a bean: setX(v)/getX()/isX()
// use `fields`, other methods answer from `returns`.

import { abstractRefusal } from "./abstract.js";
import { ACC_INTERFACE, abstractDeclared, defineClass, interfacesOf, isSubclass, loadedClasses, members, modifiersOf,
    superOf } from "./classes.js";
import { installInput, inputExports } from "./input.js";
import { decodeArrays, encodeArray, installArrays, isJavaArray, jniEnv, makeArray } from "./arrays.js";
import { apiLevel, refuseAboveLevel, release, setApiLevel } from "./apilevel.js";
import { backtrace, chargeStack } from "./stacks.js";
import { bootBypass, deoptimizeBootImage, deoptimizeMethod, installBootImage, methodHandle } from "./bootimage.js";
import { appLoaderReady, attachLoads, ClassFactoryApi, defaultClassFactory, hideLoaded, installClassLoaders, useIn }
    from "./classloaders.js";
import { installNetCrypto, netCryptoExports } from "./netcrypto.js";
import { installNative } from "./native.js";

const methods = new Map();      // "cls|member|t1,t2" -> Method
const declared = new Map();     // cls -> Map(member -> [[types]])
const staticFields = new Map(); // "cls|name" -> value
const wrappers = new Map();     // cls -> class wrapper
let ctx = null;                 // the simulated call in progress
let hashSeq = 0x1000;

class JavaException extends Error {
    constructor(cls, msg) {
        super(msg ? `${cls}: ${msg}` : cls);
        this.$className = cls;
    }
}

// ---------------------------------------------------------------- objects
class SimObject {
    constructor(cls, fields, returns) {
        this.$className = cls;
        this.fields = fields || {};
        this.returns = returns || {};
        this.$h = ++hashSeq;
        this.$members = undefined;
    }
    toString() {
        const m = MODELS[this.$className];
        if (m && m.toString) return m.toString(this);
        if ("toString" in this.returns) return decode(this.returns.toString);
        if ("value" in this.fields && typeof this.fields.value === "string") return this.fields.value;
        return `${this.$className}@${this.$h.toString(16)}`;
    }
    $dispose() {}
}

class SimList extends SimObject {
    constructor(items) {
        super("java.util.ArrayList");
        this.items = items || [];
    }
}

function cap(s) {
    return s.charAt(0).toLowerCase() + s.slice(1);
}

function callInstance(obj, name, args) {
    for (let c = obj.$className; c !== null && c !== undefined; c = superOf(c)) {
        const model = MODELS[c];
        if (model && model.methods && name in model.methods) return model.methods[name](obj, ...args);
    }
    if (obj instanceof SimList && name in LIST_METHODS) return LIST_METHODS[name](obj, ...args);
    if (name in obj.returns) return decode(obj.returns[name]);
    if (name.startsWith("set") && args.length === 1) {
        obj.fields[cap(name.slice(3))] = args[0];
        return undefined;
    }
    if (name.startsWith("get") && args.length === 0 && cap(name.slice(3)) in obj.fields) return obj.fields[cap(name.slice(3))];
    if (name.startsWith("is") && args.length === 0 && cap(name.slice(2)) in obj.fields) return obj.fields[cap(name.slice(2))];
    if (name === "toString") return obj.toString();
    if (name === "hashCode") return obj.$h;
    if (name === "equals") return obj === args[0];
    throw new JavaException("java.lang.NoSuchMethodError", `${obj.$className}.${name}`);
}

function instanceMember(obj, name) {
    if (obj.$members === undefined) obj.$members = new Map();
    const cached = obj.$members.get(name);
    if (cached !== undefined) return cached;
    const d = function (...args) {
        return callInstance(obj, name, args);
    };
    d.overload = () => d;
    Object.defineProperty(d, "value", {
        get: () => obj.fields[name],
        set: (v) => {
            obj.fields[name] = v;
        },
    });
    obj.$members.set(name, d);
    return d;
}

const RAW = Symbol("sim-raw");       // the SimObject behind a wrapper (a typed view or the plain proxy)

function wrapObject(o) {
    return new Proxy(o, {
        get(t, p) {
            if (p === RAW) return t;
            if (typeof p === "symbol" || p in t) return t[p];
            return instanceMember(t, p);
        },
    });
}

function raw(o) {
    return o !== null && o !== undefined && (typeof o === "object" || typeof o === "function") && o[RAW] !== undefined
        ? o[RAW] : o;
}

/** `o` wrapped as class `cls`, as the real bridge wraps `this`, arguments and casts: only the members of
 * `cls` and its superclasses (classes.js); classes the model does not know stay permissive. */
function typed(o, cls) {
    const t = raw(o);
    if (!(t instanceof SimObject)) return o;
    const m = members(cls);
    if (m === null) return wrapObject(t);
    return new Proxy(t, {
        get(target, p) {
            if (p === RAW) return target;
            if (typeof p === "symbol" || p in target) return target[p];
            if (m.methods.has(p) || m.fields.has(p)) return instanceMember(target, p);
            return undefined;            // not a member of the wrapper's class: calling it is a TypeError
        },
    });
}

/** ART's virtual dispatch: the method the receiver's class (or the nearest superclass) declares. */
function resolveVirtual(cls, member, types, self) {
    const t = raw(self);
    if (!(t instanceof SimObject) || t.$className === cls) return methodKey(cls, member, types);
    for (let c = t.$className; c !== null && c !== undefined && c !== cls; c = superOf(c)) {
        const key = methodKey(c, member, types);
        const byMember = declared.get(c);
        if (methods.has(key) || (byMember !== undefined && byMember.has(member))) return key;
    }
    return methodKey(cls, member, types);
}

const LIST_METHODS = {
    size: (l) => l.items.length,
    get: (l, i) => l.items[i],
    add: (l, x) => {
        l.items.push(x);
        return true;
    },
    isEmpty: (l) => l.items.length === 0,
    toArray: (l) => l.items.slice(),
};

function makeObject(cls, fields, returns) {
    return wrapObject(new SimObject(cls, fields, returns));
}

function makeList(items) {
    return wrapObject(new SimList(items));
}

// ---------------------------------------------------------------- framework models
// Stacks cost what they cost on ART (stacks.js): a Throwable fills in its trace; Log.getStackTraceString makes a
// StackTraceElement and a line per frame and hands the whole text through JNI, every call.
function stackText(frames) {
    chargeStack("trace", frames.length);
    return "java.lang.Throwable\n" + frames.map((f) => `\tat ${f}`).join("\n") + "\n";
}

const threads = new Map();   // simulated thread name -> java.lang.Thread object

function threadObject(name) {
    let t = threads.get(name);
    if (t === undefined) {
        t = makeObject("java.lang.Thread", { name });
        threads.set(name, t);
    }
    return t;
}

function newThrowable() {
    chargeStack("fill", ctx ? ctx.frames.length : 0);
    const t = makeObject("java.lang.Throwable");
    t.fields.frames = ctx ? ctx.frames : [];
    return t;
}

const MODELS = {
    "java.lang.Thread": {
        statics: {
            currentThread: () => threadObject(ctx ? ctx.thread : "main"),
        },
    },
    "java.lang.Throwable": { $new: newThrowable },
    "java.lang.Exception": { $new: newThrowable },
    "android.util.Log": {
        statics: {
            getStackTraceString: (t) => (t ? stackText(t.fields.frames || []) : ""),
        },
    },
    "java.lang.String": {
        $new: (s) => makeObject("java.lang.String", { value: String(s) }),
        toString: (o) => o.fields.value,
        statics: { valueOf: (x) => String(x) },
    },
    "java.util.ArrayList": {
        $new: (c) => makeList(c instanceof SimList ? c.items.slice() : Array.isArray(c) ? c.slice() : []),
    },
    "android.content.ClipData": {
        statics: {
            newPlainText: (label, text) =>
                makeObject("android.content.ClipData", {
                    label: String(label),
                    items: [makeObject("android.content.ClipData$Item", { text: String(text) })],
                }),
        },
        methods: {
            getItemCount: (o) => o.fields.items.length,
            getItemAt: (o, i) => o.fields.items[i],
        },
    },
    "android.location.Location": {
        $new: (provider) => makeObject("android.location.Location", { provider: String(provider) }),
    },
    "java.lang.Class": {
        statics: {
            // the simulated app's classes are the ones it defined (classes.js); the loader argument is the
            // app's (the stand-in has one class path); anything else: ClassNotFoundException, as on ART
            forName: (name) => {
                if (superOf(String(name)) === undefined) throw new JavaException("java.lang.ClassNotFoundException", String(name));
                return makeObject("java.lang.Class", { name: String(name) });
            },
        },
        methods: {
            getName: (o) => o.fields.name,
            isAssignableFrom: (o, other) => isSubclass(raw(other).fields.name, o.fields.name) === true,
            isInstance: (o, x) => x !== null && isSubclass(raw(x).$className, o.fields.name) === true,
            getModifiers: (o) => modifiersOf(o.fields.name),
            isInterface: (o) => (modifiersOf(o.fields.name) & ACC_INTERFACE) !== 0,
            getInterfaces: (o) => {
                const a = interfacesOf(o.fields.name).map((n) => makeObject("java.lang.Class", { name: n }));
                a.$type = "[Ljava.lang.Class;";
                return a;
            },
            getSuperclass: (o) => {
                const s = superOf(o.fields.name);
                return s === null || s === undefined ? null : makeObject("java.lang.Class", { name: s });
            },
        },
    },
};

// ---------------------------------------------------------------- classes, methods, hooks
function methodKey(cls, member, types) {
    return `${cls}|${member}|${types.join(",")}`;
}

function makeMethod(cls, member, types) {
    const key = methodKey(cls, member, types);
    const existing = methods.get(key);
    if (existing !== undefined) return existing;
    const m = function (...args) {
        if (m.implementation !== null && m._depth === 0) {
            m._depth++;
            try {
                return m.implementation.apply(this, args);
            } finally {
                m._depth--;
            }
        }
        return original(m, this, args);
    };
    m._depth = 0;
    m._key = key;
    // setting `implementation` on an abstract/interface method is refused (abstract.js): no hook ART would not run
    let impl = null;
    Object.defineProperty(m, "implementation", {
        get: () => impl,
        set: (fn) => {
            if (fn !== null) {
                const refused = abstractRefusal(cls, member) ?? abstractDeclared(cls, member);
                if (refused !== null) throw refused;
            }
            impl = fn;
        },
    });
    m._cls = cls;
    m.methodName = member;
    m.holder = classWrapper(cls);
    m.type = 3;
    m.handle = methodHandle(cls, member);     // what Java.deoptimizeMethod takes (bootimage.js)
    m.argumentTypes = types.map((t) => ({ name: t, className: t }));
    m.returnType = { name: "java.lang.Object", className: "java.lang.Object" };
    m.canInvokeWith = (...args) => args.length === types.length;
    m.isAbstract = abstractRefusal(cls, member) !== null || abstractDeclared(cls, member) !== null;
    methods.set(key, m);
    return m;
}

/** The original implementation: inside a simulated call it answers what the host said the device returns. */
function original(m, self, args) {
    if (ctx !== null && ctx.key === m._key) {
        if (ctx.throws) throw new JavaException(ctx.throws, "simulated");
        return ctx.retValue;
    }
    if (self instanceof SimObject) {
        return callInstance(self, m.methodName, args);
    }
    const model = MODELS[m._cls];
    if (model && model.statics && m.methodName in model.statics) return model.statics[m.methodName](...args);
    return undefined;
}

function declaredOverloads(cls, member) {
    const byMember = declared.get(cls);
    const list = byMember ? byMember.get(member) : undefined;
    if (list !== undefined) return list.map((types) => makeMethod(cls, member, types));
    const prefix = `${cls}|${member}|`;
    return [...methods.values()].filter((m) => m._key.startsWith(prefix));
}

const staticMembers = new Map();   // "cls|name" -> dispatcher (property reads are hot: cache them)

function staticMember(cls, name) {
    const cacheKey = `${cls}|${name}`;
    let cached = staticMembers.get(cacheKey);
    if (cached === undefined) {
        cached = makeStaticMember(cls, name);
        staticMembers.set(cacheKey, cached);
    }
    return cached;
}

function makeStaticMember(cls, name) {
    const model = MODELS[cls];
    const d = function (...args) {
        if (model && model.statics && name in model.statics) return model.statics[name](...args);
        const ovs = declaredOverloads(cls, name).filter((m) => m.canInvokeWith(...args));
        if (ovs.length > 0) return ovs[0].apply(classWrapper(cls), args);
        throw new JavaException("java.lang.NoSuchMethodError", `${cls}.${name}`);
    };
    d.overload = (...types) => {
        refuseAboveLevel(cls, name, types);          // as the real bridge: no such overload on this API level
        return makeMethod(cls, name, types);
    };
    Object.defineProperty(d, "overloads", { get: () => declaredOverloads(cls, name) });
    Object.defineProperty(d, "implementation", {
        get: () => {
            const ovs = declaredOverloads(cls, name);
            return ovs.length === 1 ? ovs[0].implementation : null;
        },
        set: (fn) => {
            const ovs = declaredOverloads(cls, name);
            if (ovs.length !== 1) throw new Error(`${cls}.${name}(): has ${ovs.length} overloads, use .overload(<signature>)`);
            ovs[0].implementation = fn;
        },
    });
    Object.defineProperty(d, "value", {
        get: () => staticFields.get(`${cls}|${name}`),
        set: (v) => {
            staticFields.set(`${cls}|${name}`, v);
        },
    });
    return d;
}

function classWrapper(cls) {
    let w = wrappers.get(cls);
    if (w !== undefined) return w;
    const model = MODELS[cls];
    const target = {
        $className: cls,
        $new: (...args) => (model && model.$new ? model.$new(...args) : makeObject(cls, {})),
        $alloc: () => makeObject(cls, {}),
        $dispose() {},
        toString: () => `<class: ${cls}>`,
    };
    w = new Proxy(target, {
        get(t, p) {
            if (typeof p === "symbol" || p in t) return t[p];
            if (p === "class") return makeObject("java.lang.Class", { name: cls });
            return staticMember(cls, p);
        },
    });
    wrappers.set(cls, w);
    return w;
}

// ---------------------------------------------------------------- wire format
function decode(j) {
    if (j === null || j === undefined) return null;
    if (typeof j !== "object") return j;
    if (Array.isArray(j)) return j.map(decode);
    const special = decodeArrays(j, decode);     // primitive arrays, ByteBuffers (arrays.js)
    if (special !== undefined) return special;
    if ("$array" in j) {
        const a = (j.items || []).map(decode);
        a.$type = j.$array;
        return a;
    }
    if ("$list" in j) return makeList(j.$list.map(decode));
    if ("$obj" in j) {
        if (typeof j.super === "string" && superOf(j.$obj) === undefined) defineClass(j.$obj, { super: j.super });
        const fields = {};
        for (const [k, v] of Object.entries(j.fields || {})) fields[k] = decode(v);
        return attachLoads(makeObject(j.$obj, fields, j.returns || {}), j);   // a loader: its loaded classes
    }
    if ("$class" in j) return classWrapper(j.$class);
    throw new Error(`sim-bridge: cannot decode ${JSON.stringify(j)}`);
}

function encode(v) {
    if (v === null || v === undefined) return null;
    if (typeof v !== "object" && typeof v !== "function") return v;
    if (isJavaArray(v)) return encodeArray(v, encode);
    if (Array.isArray(v)) return { $array: v.$type || null, items: v.map(encode) };
    if (v instanceof SimList) return { $list: v.items.map(encode) };
    if (v instanceof SimObject) {
        if (v.$className === "java.lang.String") return v.fields.value;
        const fields = {};
        for (const [k, x] of Object.entries(v.fields)) if (k !== "frames") fields[k] = encode(x);
        return { $obj: v.$className, fields };
    }
    if (typeof v.$className === "string") return { $class: v.$className };
    return String(v);
}

// ---------------------------------------------------------------- driving simulated calls
function prepare(req) {
    const types = req.types || [];
    return {
        key: methodKey(req.cls, req.member, types),
        member: req.member,
        types,
        frames: [`${req.cls}.${req.member}(Native Method)`].concat(req.stack || []),
        thread: req.thread || "main",
        throws: req.throws || null,
        retJson: req.ret === undefined ? null : req.ret,
        cls: req.cls,
        selfJson: req.self === undefined ? null : req.self,
        argsJson: req.args || [],
    };
}

function invokePrepared(p, reuse) {
    ctx = {
        key: p.key, frames: p.frames, thread: p.thread, throws: p.throws, retValue: decode(p.retJson),
    };
    try {
        let self = reuse ? p.self : undefined;
        if (self === undefined) {
            self = p.selfJson !== null ? decode(p.selfJson) : classWrapper(p.cls);
            if (reuse) p.self = self;     // the same receiver object for every repeat (like a cached manager)
        }
        ctx.key = resolveVirtual(p.cls, p.member, p.types, self);
        if (ctx.key !== p.key) {
            // ART shows the method that runs (the implementation's) as the top frame, not the interface's
            const impl = ctx.key.slice(0, ctx.key.indexOf("|"));
            ctx.frames = [`${impl}.${p.member}(Native Method)`].concat(p.frames.slice(1));
        }
        const m = methods.get(ctx.key);
        let args = p.argsJson.map(decode);
        // compiled boot code calling a hooked callee directly: the hook runs only once its caller is deoptimised
        const hooked = m !== undefined && m.implementation !== null && !bootBypass(ctx.key);
        if (hooked) {
            // the hook sees what the real bridge hands it: `this` as the hooked class, arguments as their types
            if (p.selfJson !== null) self = typed(self, m._cls);
            args = args.map((a, i) => typed(a, p.types[i]));
        }
        try {
            const r = hooked ? m.apply(self, args) : original({ _key: ctx.key }, self, args);
            return { hooked, ret: encode(r), cost_us: ctx.cost || 0 };
        } catch (e) {
            if (e instanceof JavaException || (e && typeof e.$className === "string")) return { hooked, threw: e.$className, cost_us: ctx.cost || 0 };
            throw e;
        }
    } finally {
        ctx = null;
    }
}

const simExports = {
    simInvoke(req) {
        return invokePrepared(prepare(req), false);
    },
    simInvokeMany(req, count) {
        const p = prepare(req);
        let hooked = 0;
        let cost = 0;           // modelled device time of the agent's work on the app's thread (arrays.js, stacks.js)
        for (let i = 0; i < count; i++) {
            const r = invokePrepared(p, true);
            if (r.hooked) hooked++;
            cost += r.cost_us || 0;
        }
        return { calls: count, hooked, cost_us: cost };
    },
    simDefine(defs) {
        for (const [cls, members] of Object.entries(defs)) {
            let byMember = declared.get(cls);
            if (byMember === undefined) {
                byMember = new Map();
                declared.set(cls, byMember);
            }
            for (const [member, overloads] of Object.entries(members)) byMember.set(member, overloads);
        }
        return true;
    },
    simDefineClass(name, spec) {
        // a class of the simulated app: hierarchy, modifiers, loaded or not, declared overloads
        defineClass(name, spec);
        if (spec.methods) simExports.simDefine({ [name]: spec.methods });
        return true;
    },
    simSetField(cls, name, value) {
        staticFields.set(`${cls}|${name}`, decode(value));
        return true;
    },
    simField(cls, name) {
        return encode(staticFields.get(`${cls}|${name}`));
    },
    simRefuses(cls, member) {
        const r = abstractRefusal(cls, member);
        return r === null ? null : r.message;
    },
    simTryHook(cls, member, types) {
        // the agent's own path: Java.use(cls)[member].overload(...types).implementation = fn
        const ov = classWrapper(cls)[member].overload(...types);
        try {
            ov.implementation = function (...args) {
                return ov.call(this, ...args);
            };
        } catch (e) {
            return String(e);
        }
        ov.implementation = null;
        return null;
    },
    simWrapped(selfJson, cls, names) {
        // which of `names` a wrapper of class `cls` exposes (what `this` in a hook on `cls` offers the agent)
        const o = typed(decode(selfJson), cls);
        return names.filter((n) => typeof o[n] === "function");
    },
    simApiLevel(api, levels) {
        setApiLevel(api, levels);
        staticFields.set("android.os.Build$VERSION|SDK_INT", api);
        staticFields.set("android.os.Build$VERSION|RELEASE", release());
        return true;
    },
    simLoadedClasses(classes) {
        hideLoaded(classes);          // visible only through the factory of the loader that loads them
        return true;
    },
    simHooks() {
        return [...methods.values()].filter((m) => m.implementation !== null).map((m) => m._key);
    },
    simCrash() {
        const exit = new NativeFunction(Module.getGlobalExportByName("_exit"), "void", ["int"]);
        setTimeout(() => exit(134), 0);
        return true;
    },
};

// the simulated device's native side: sandboxed libc, the SDK libraries, JNI calls (native.js)
installNative({ simExports, prepare, invokePrepared, apiLevel, setCtx: (c) => { ctx = c; } });

function ensureExports() {
    Object.assign(rpc.exports, simExports, netCryptoExports, inputExports);
}

/** Overloads of framework classes the stand-in knows (`.overloads`), unless the app model declared them. */
function declareDefaults(defs) {
    for (const [cls, members] of Object.entries(defs)) {
        let byMember = declared.get(cls);
        if (byMember === undefined) {
            byMember = new Map();
            declared.set(cls, byMember);
        }
        for (const [member, overloads] of Object.entries(members)) if (!byMember.has(member)) byMember.set(member, overloads);
    }
}

// Java arrays and ByteBuffers with the device's cost of reading them (arrays.js)
installArrays({ getCtx: () => ctx, MODELS, makeObject, JavaException });
// which class loader sees which class (classloaders.js)
installClassLoaders({ classWrapper, makeObject, JavaException });
// boot-image callers and deoptimisation (bootimage.js)
installBootImage({ declareDefaults, apiLevel });

// the simulated app's real sockets and crypto (netcrypto.js) share the method table and call context
installNetCrypto({
    MODELS, declared, declareDefaults, makeObject, makeMethod, classWrapper, decode, encode, JavaException,
    setCtx: (c) => {
        ctx = c;
    },
});

// the input pipeline, accessibility and the app's window models (input.js)
installInput({ MODELS, makeObject, makeList, decode, raw, staticFields, JavaException, declare: simExports.simDefine });

ensureExports();

// ---------------------------------------------------------------- the Java object
const Java = {
    available: true,
    get androidVersion() {
        return release();
    },
    ACC_PUBLIC: 0x1, ACC_PRIVATE: 0x2, ACC_PROTECTED: 0x4, ACC_STATIC: 0x8, ACC_FINAL: 0x10,
    ACC_SYNCHRONIZED: 0x20, ACC_BRIDGE: 0x40, ACC_VARARGS: 0x80, ACC_NATIVE: 0x100,
    ACC_ABSTRACT: 0x400, ACC_STRICT: 0x800, ACC_SYNTHETIC: 0x1000,
    perform(fn) {
        ensureExports();
        appLoaderReady();
        fn();
    },
    performNow(fn) {
        ensureExports();
        fn();
    },
    use(name) {
        return useIn(null, name);
    },
    array(type, elements) {
        return makeArray(type, elements);
    },
    cast(obj, klass) {
        // the real bridge checks IsInstanceOf and re-wraps as the target class (class-factory.js cast)
        const t = raw(obj);
        const target = klass.$className;
        const from = t instanceof SimObject ? t.$className : target;
        if (from !== target && isSubclass(from, target) !== true) {
            throw new Error(`Cast from '${from}' to '${target}' isn't possible`);
        }
        return typed(t, target);
    },
    retain(obj) {
        return obj;
    },
    synchronized(obj, fn) {
        fn();
    },
    scheduleOnMainThread(fn) {
        fn();
    },
    isMainThread() {
        return (ctx ? ctx.thread : "main") === "main";
    },
    backtrace(options) {
        return backtrace(ctx ? ctx.frames : [], options && options.limit ? options.limit : 16);
    },
    enumerateLoadedClassesSync() {
        return [...declared.keys()];
    },
    enumerateLoadedClasses(cb) {
        for (const c of declared.keys()) cb.onMatch(c, ptr(0));
        cb.onComplete();
    },
    enumerateClassLoadersSync() {
        return [];
    },
    enumerateClassLoaders(cb) {
        cb.onComplete();
    },
    enumerateMethods(query) {
        // "classGlob!methodGlob[/modifiers]" over the loaded classes (the simulated app's: classes.js);
        // like ART, a class appears once it is loaded, abstract and interface declarations included
        const m = /^([^!]+)!([^/]+)(?:\/([sium]+))?$/.exec(query);
        if (m === null) throw new Error("Invalid query; format is: class!method -- see documentation of Java.enumerateMethods(query) for details");
        const glob = (g) => new RegExp("^" + g.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
        const cq = glob(m[1]);
        const mq = glob(m[2]);
        const classes = [];
        for (const name of loadedClasses()) {
            if (!cq.test(name)) continue;
            const byMember = declared.get(name);
            const names = byMember === undefined ? [] : [...byMember.keys()].filter((x) => mq.test(x));
            if (names.length > 0) classes.push({ name, methods: names });
        }
        return classes.length > 0 ? [{ loader: null, classes }] : [];
    },
    choose(className, cb) {
        cb.onComplete();
    },
    openClassFile() {
        throw new Error("sim-bridge: openClassFile is not simulated");
    },
    registerClass() {
        throw new Error("sim-bridge: registerClass is not simulated");
    },
    deoptimizeEverything() {},
    deoptimizeBootImage() {
        deoptimizeBootImage();
    },
    deoptimizeMethod(handle) {
        deoptimizeMethod(handle);
    },
    vm: {
        perform(fn) {
            fn();
        },
        getEnv() {
            return jniEnv();
        },
        tryGetEnv() {
            return ctx !== null ? {} : null;    // a Java thread: a simulated call (Java or JNI) is in progress
        },
    },
    get classFactory() {
        return defaultClassFactory();
    },
    ClassFactory: ClassFactoryApi,
};

export default Java;
