// Java primitive arrays and ByteBuffers as the real frida-java-bridge hands them to an agent, and what
// reading them costs the app's thread on a phone.
//
// The real bridge (frida-java-bridge lib/types.js, PrimitiveArray): `arr[i]` is readElement(), which calls
// withElements(): JNI Get<Type>ArrayElements (ART hands out a copy of the whole array when it is movable) and
// Release<Type>ArrayElements, for EACH element read; `toJSON()` is one Get/Release for all elements;
// `Java.vm.getEnv().getByteArrayRegion(arr.$h, start, len, buf)` (lib/env.js) copies a region once;
// `getDirectBufferAddress(buf.$h)` gives a direct ByteBuffer's memory. `length` is read once at wrap time.
// So a per-element loop over a byte[] costs length^2 bytes of copying: 3 MB of in-memory DEX or a 1 MB
// MessageDigest.update would freeze the app.
//
// Model: every JNI call the agent makes on an array costs TRANSITION_US plus the bytes it copies at
// BYTES_PER_US, charged to the simulated call in progress (ctx.cost, returned as cost_us). A hook that would
// hold the app's thread past ANR_US (Android's input-dispatch ANR timeout, 5 s) is refused with an error
// naming the cause, as the app would be reported "not responding" (or killed under gating) on a phone.
// The stand-in's own Java side (the "original" methods) reads the backing data for free: `elements(a)`.

const TRANSITION_US = 1;            // one JNI call from JS (NativeFunction + thread state transition)
const BYTES_PER_US = 1000;          // memcpy of a mid-range phone, ~1 GB/s
export const ANR_US = 5_000_000;    // ActivityManager's input dispatching timeout (5 s)

const SIZES = { boolean: 1, byte: 1, char: 2, short: 2, int: 4, float: 4, long: 8, double: 8 };
const handles = new Map();          // "0x..." -> JavaArray | ByteBuffer object (what a JNI handle refers to)
let nextHandle = 0x5a000000;
let api = null;                     // index.js internals (ctx getter, makeObject, MODELS, JavaException)

export function isPrimitive(type) {
    return type in SIZES;
}

/** Device time an agent operation costs the app's thread, charged to the simulated call in progress (also used
 *  by stacks.js); past the ANR limit the operation is refused. */
export function charge(us, what) {
    const ctx = api.getCtx();
    if (ctx === null) return;
    ctx.cost = (ctx.cost || 0) + us;
    if (ctx.cost > ANR_US) {
        throw new Error(`sim-bridge: ${what}: this hook holds the app's thread for ${Math.round(ctx.cost / 1000)} ms of ` +
            "device time (over the 5 s ANR limit): every element read of a Java array through the bridge copies the " +
            "whole array (JNI Get<Type>ArrayElements); read it once (env.getByteArrayRegion, toJSON)");
    }
}

function newHandle(obj) {
    nextHandle += 16;
    const h = ptr(nextHandle);
    handles.set(h.toString(), obj);
    return h;
}

class JavaArray {
    constructor(type, data) {
        this.$t = type;
        this.$data = data;            // the Java heap's copy (numbers, signed like Java's)
        this.length = data.length;
        this.$h = newHandle(this);
    }

    toJSON() {
        charge(TRANSITION_US * 2 + (this.length * SIZES[this.$t]) / BYTES_PER_US, `${this.$t}[${this.length}].toJSON()`);
        return this.$data.slice();
    }

    toString() {
        return this.toJSON().toString();
    }

    $dispose() {}
}

const arrayHandler = {
    get(target, property) {
        if (typeof property === "string" && /^[0-9]+$/.test(property)) {
            const i = Number(property);
            if (i >= target.length) return undefined;
            charge(TRANSITION_US * 2 + (target.length * SIZES[target.$t]) / BYTES_PER_US,
                `element read ${target.$t}[${target.length}][${i}]`);
            return target.$data[i];
        }
        return target[property];
    },
    set(target, property, value) {
        if (typeof property === "string" && /^[0-9]+$/.test(property)) {
            charge(TRANSITION_US, `element write ${target.$t}[${target.length}]`);     // SetArrayRegion of one element
            target.$data[Number(property)] = value;
            return true;
        }
        target[property] = value;
        return true;
    },
    has(target, property) {
        if (typeof property === "string" && /^[0-9]+$/.test(property)) return Number(property) < target.length;
        return property in target;
    },
};

/** A Java primitive array (what the bridge gives hooks for `[B`, `[I` ... arguments and results). */
export function javaArray(type, values) {
    const data = Array.from(values, (x) => (type === "byte" ? ((x & 0xff) > 127 ? (x & 0xff) - 256 : x & 0xff) : x));
    return new Proxy(new JavaArray(type, data), arrayHandler);
}

export function isJavaArray(v) {
    return v !== null && typeof v === "object" && v.$data !== undefined && v.$t !== undefined && SIZES[v.$t] !== undefined;
}

/** The Java side's view of an array (no JNI, no cost): the stand-in's "original" methods use this. */
export function elements(v) {
    if (v === null || v === undefined) return [];
    if (isJavaArray(v)) return v.$data;
    return Array.from(v);
}

/** Java.array(type, elements): one NewArray + SetArrayRegion. */
export function makeArray(type, values) {
    if (!isPrimitive(type)) {
        const a = Array.from(values);
        a.$type = type;
        return a;
    }
    charge(TRANSITION_US * 2 + (values.length * SIZES[type]) / BYTES_PER_US, `Java.array(${type}, ${values.length})`);
    return javaArray(type, values);
}

function hexToBytes(hex) {
    const out = new Array(hex.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
}

// ---------------------------------------------------------------- java.nio.ByteBuffer
// heap buffers (wrap): backed by a byte[] (hasArray() true unless read-only, as in Java);
// direct buffers (allocateDirect): backed by native memory (getDirectBufferAddress).
function byteBuffer(fields) {
    const o = api.makeObject("java.nio.ByteBuffer", fields);
    handles.set(String(o.$h), o);
    return o;
}

function bbBytes(o) {
    const f = o.fields;
    const n = f.limit - f.position;
    if (f.direct) return Array.from(new Uint8Array(f.memory.add(f.position).readByteArray(n)));
    return f.array.$data.slice(f.offset + f.position, f.offset + f.limit).map((x) => x & 0xff);
}

function bbFrom(bytes, direct, readOnly) {
    if (direct) {
        const memory = Memory.alloc(Math.max(1, bytes.length));
        if (bytes.length) memory.writeByteArray(bytes);
        return byteBuffer({ direct: true, memory, position: 0, limit: bytes.length, readOnly: !!readOnly });
    }
    return byteBuffer({ direct: false, array: javaArray("byte", bytes), offset: 0, position: 0, limit: bytes.length,
        readOnly: !!readOnly });
}

function byteBufferModel() {
    const unsupported = (what) => {
        throw new api.JavaException("java.lang.UnsupportedOperationException", what);
    };
    return {
        statics: {
            wrap: (arr) => byteBuffer({ direct: false, array: arr, offset: 0, position: 0, limit: arr.length, readOnly: false }),
            allocateDirect: (n) => bbFrom(new Array(Number(n)).fill(0), true, false),
            allocate: (n) => bbFrom(new Array(Number(n)).fill(0), false, false),
        },
        methods: {
            remaining: (o) => o.fields.limit - o.fields.position,
            position: (o) => o.fields.position,
            limit: (o) => o.fields.limit,
            capacity: (o) => o.fields.limit,
            isDirect: (o) => o.fields.direct,
            isReadOnly: (o) => o.fields.readOnly,
            hasArray: (o) => !o.fields.direct && !o.fields.readOnly,
            array: (o) => {
                if (o.fields.direct) unsupported("array");
                if (o.fields.readOnly) throw new api.JavaException("java.nio.ReadOnlyBufferException", "");
                return o.fields.array;
            },
            arrayOffset: (o) => (o.fields.direct || o.fields.readOnly ? unsupported("arrayOffset") : o.fields.offset),
            duplicate: (o) => byteBuffer({ ...o.fields }),
            asReadOnlyBuffer: (o) => byteBuffer({ ...o.fields, readOnly: true }),
            get: (o, dst) => {             // get(byte[]): a Java-side copy
                const n = dst.length;
                const src = bbBytes(o).slice(0, n);
                if (src.length < n) throw new api.JavaException("java.nio.BufferUnderflowException", "");
                for (let i = 0; i < n; i++) dst.$data[i] = src[i] > 127 ? src[i] - 256 : src[i];
                o.fields.position += n;
                return o;
            },
            put: (o, src) => {             // put(ByteBuffer): a Java-side copy
                if (o.fields.readOnly) throw new api.JavaException("java.nio.ReadOnlyBufferException", "");
                const bytes = bbBytes(src);
                if (o.fields.direct) o.fields.memory.add(o.fields.position).writeByteArray(bytes);
                else for (let i = 0; i < bytes.length; i++) o.fields.array.$data[o.fields.offset + o.fields.position + i] = bytes[i] > 127 ? bytes[i] - 256 : bytes[i];
                o.fields.position += bytes.length;
                src.fields.position = src.fields.limit;
                return o;
            },
        },
    };
}

// ---------------------------------------------------------------- JNIEnv (Java.vm.getEnv())
// Only what frida-java-bridge's Env offers and an agent may call on arrays and buffers; anything else is
// undefined here (stricter than the device, never more permissive).
function lookup(handle) {
    const o = handles.get(String(handle));
    if (o === undefined) throw new Error(`sim-bridge: ${handle} is not a live JNI reference`);
    return o;
}

const env = {
    handle: ptr(0x5b000000),
    getArrayLength(h) {
        charge(TRANSITION_US, "GetArrayLength");
        return lookup(h).length;
    },
    getByteArrayRegion(h, start, length, buf) {
        const a = lookup(h);
        if (!(a instanceof JavaArray) || a.$t !== "byte") throw new Error("sim-bridge: GetByteArrayRegion on a non-byte[]");
        if (start < 0 || length < 0 || start + length > a.length) {
            throw new Error(`java.lang.ArrayIndexOutOfBoundsException: [${start}, ${start + length}) of byte[${a.length}]`);
        }
        charge(TRANSITION_US + length / BYTES_PER_US, `GetByteArrayRegion(${length})`);
        if (length > 0) buf.writeByteArray(a.$data.slice(start, start + length).map((x) => x & 0xff));
    },
    getDirectBufferAddress(h) {
        charge(TRANSITION_US, "GetDirectBufferAddress");
        const o = lookup(h);
        return o.fields && o.fields.direct ? o.fields.memory : NULL;
    },
    throwIfExceptionPending() {},
};

export function jniEnv() {
    return env;
}

/** Wire format: {"$array": "byte", "hex": "..."} or {"$array": "byte", "items": [...]}; {"$bytebuffer": hex,
 * "direct": bool, "readonly": bool}. Returns undefined for other shapes. */
export function decodeArrays(j, decode) {
    if ("$array" in j && isPrimitive(j.$array)) {
        return javaArray(j.$array, j.hex !== undefined ? hexToBytes(j.hex) : (j.items || []).map(decode));
    }
    if ("$bytebuffer" in j) return bbFrom(hexToBytes(j.$bytebuffer), !!j.direct, !!j.readonly);
    return undefined;
}

export function encodeArray(v, encode) {
    return { $array: v.$t, items: v.$data.map(encode) };
}

/** Called once by index.js with its internals. */
export function installArrays(internals) {
    api = internals;
    api.MODELS["java.nio.ByteBuffer"] = byteBufferModel();
    api.MODELS["java.nio.HeapByteBuffer"] = api.MODELS["java.nio.ByteBuffer"];
}
