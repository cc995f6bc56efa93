// Monotonic milliseconds since the agent started (CLOCK_MONOTONIC via libc; Date.now() is wall
// time and can jump). The host maps this clock to the run clock.

const CLOCK_MONOTONIC = 1;

function makeRaw(): () => number {
    try {
        const fn = new NativeFunction(Module.getGlobalExportByName("clock_gettime"), "int", ["int", "pointer"]);
        const ts = Memory.alloc(Process.pointerSize * 2);
        const nsecAt = ts.add(Process.pointerSize);
        // low 32 bits are enough (seconds since boot; nanoseconds < 1e9), and readU32 allocates no Int64
        // (little-endian, as every Android ABI)
        return () => {
            fn(CLOCK_MONOTONIC, ts);
            return ts.readU32() * 1000 + nsecAt.readU32() / 1e6;
        };
    } catch (e) {
        return () => Date.now();
    }
}

const raw = makeRaw();
const T0 = raw();

/** The raw CLOCK_MONOTONIC ms at agent start: hosts align processes of one device with it. */
export function startMs(): number {
    return T0;
}

/** ms since agent start, 3 decimals. */
export function nowMs(): number {
    return Math.round((raw() - T0) * 1000) / 1000;
}
