// The device's Android API level: which overloads and bionic symbols exist there (the table's `api_levels`).

import Java from "frida-java-bridge";

let level: number | null = null;

/** Build.VERSION.SDK_INT (ro.build.version.sdk without Java); 0 when unknown (then nothing is skipped). */
export function apiLevel(): number {
    if (level !== null) return level;
    level = 0;
    try {
        if (Java.available) Java.performNow(() => {
            level = Number(Java.use("android.os.Build$VERSION").SDK_INT.value) || 0;
        });
    } catch (e) {
        // not an Android runtime
    }
    if (level === 0) {
        try {
            const get = Module.findGlobalExportByName("__system_property_get");
            if (get !== null) {
                const buf = Memory.alloc(92);
                new NativeFunction(get, "int", ["pointer", "pointer"])(Memory.allocUtf8String("ro.build.version.sdk"), buf);
                level = parseInt(buf.readUtf8String() ?? "", 10) || 0;
            }
        } catch (e) {
            // no property service
        }
    }
    return level;
}

/** A note for an overload or symbol the device's API level does not have (not a missing hook). */
export function notOnThisLevel(id: string, what: string, since: number): string {
    return `${id}: ${what} exists from API ${since}; this device is API ${apiLevel()}: not on this API level`;
}
