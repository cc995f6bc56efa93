// Java arrays and buffers read in bulk. In frida-java-bridge every `arr[i]` on a primitive array is a JNI
// Get<Type>ArrayElements + Release pair (ART copies the whole array for each), so a per-element loop over a
// 1 MB byte[] copies a terabyte. Here: one JNI GetByteArrayRegion into a Memory buffer (lib/env.js), one
// toJSON() (one Get/Release) for small int arrays, GetDirectBufferAddress for direct ByteBuffers.

import Java from "frida-java-bridge";

const EMPTY = new Uint8Array(0);

/** Bytes [off, off+len) of a Java byte[] (len < 0: to the end), at most `cap`; one JNI copy. */
export function javaBytes(arr: any, off = 0, len = -1, cap = Number.MAX_SAFE_INTEGER): Uint8Array {
    if (arr === null || arr === undefined) return EMPTY;
    const n = Number(arr.length);
    if (!Number.isFinite(n) || n <= 0) return EMPTY;
    const start = Math.max(0, Math.min(n, Number(off) || 0));
    const end = len < 0 ? n : Math.min(n, start + Number(len));
    const count = Math.min(end - start, cap);
    if (count <= 0) return EMPTY;
    if (Array.isArray(arr) || arr instanceof Uint8Array || arr instanceof Int8Array) {
        return Uint8Array.from(Array.prototype.slice.call(arr, start, start + count), (x: number) => x & 0xff);
    }
    const env = Java.vm.getEnv();
    const buf = Memory.alloc(count);
    env.getByteArrayRegion(arr.$h, start, count, buf);
    env.throwIfExceptionPending();
    return new Uint8Array(buf.readByteArray(count) as ArrayBuffer);
}

/** The bytes between position and limit of a java.nio.ByteBuffer (position untouched), at most `cap`;
 *  null when larger than `cap` (the caller reports the size). */
export function bufferBytes(buf: any, cap: number): { size: number; bytes: Uint8Array | null } {
    const size = Number(buf.remaining());
    if (size > cap) return { size, bytes: null };
    if (size === 0) return { size, bytes: EMPTY };
    const pos = Number(buf.position());
    if (buf.isDirect()) {
        const addr = Java.vm.getEnv().getDirectBufferAddress(buf.$h) as NativePointer;
        if (!addr.isNull()) return { size, bytes: new Uint8Array(addr.add(pos).readByteArray(size) as ArrayBuffer) };
    }
    if (buf.hasArray()) {
        return { size, bytes: javaBytes(buf.array(), Number(buf.arrayOffset()) + pos, size) };
    }
    // a read-only heap buffer: one Java-side copy into a direct buffer, then one native read
    const direct = Java.use("java.nio.ByteBuffer").allocateDirect(size);
    direct.put(buf.duplicate());
    const addr = Java.vm.getEnv().getDirectBufferAddress(direct.$h) as NativePointer;
    return { size, bytes: new Uint8Array(addr.readByteArray(size) as ArrayBuffer) };
}

/** A small Java int[] (permission results) as numbers: one Get/Release (toJSON), not one per element. */
export function javaInts(arr: any): number[] {
    if (arr === null || arr === undefined) return [];
    if (Array.isArray(arr)) return arr.map(Number);
    return (arr.toJSON() as unknown[]).map(Number);
}
