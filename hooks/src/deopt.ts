// Hooks on methods that boot-image code calls directly. ART compiles the boot image ahead of time; a call from
// compiled boot code to a private or final method may be a direct branch or inlined, so a hook on the callee never
// runs: Activity.dispatchRequestPermissionsResult is reached only from Activity.dispatchActivityResult. Such
// callers are made to run in the interpreter, whose calls go through the hooked method: on API 26+ with the
// bridge's Java.deoptimizeBootImage(); on API 24-25 (no boot-image deoptimisation) per caller with
// Java.deoptimizeMethod (jmethodIDs are ArtMethod pointers there; from API 30 they may be opaque indices, which
// that call must not get). When neither works the hook is listed as not observable (`limits`).

import Java from "frida-java-bridge";
import { apiLevel } from "./device.js";
import type { InstallReport } from "./hooks.js";

/** hooked method -> the boot-image methods that call it (AOSP frameworks/base, android.app.Activity). */
export const BOOT_CALLERS: Record<string, [string, string][]> = {
    "perm.activity.dispatchRequestPermissionsResult": [["android.app.Activity", "dispatchActivityResult"]],
};

let bootImageDone = false;

/** Make `id`'s hook reachable from its boot-image callers; says in `report.limits` what was done. */
export function deoptimizeCallers(id: string, report: InstallReport): void {
    const callers = BOOT_CALLERS[id];
    if (callers === undefined) return;
    const names = callers.map(([c, m]) => `${c.split(".").pop()}.${m}`).join(", ");
    const problems: string[] = [];
    if (apiLevel() === 0 || apiLevel() >= 26) {
        try {
            if (!bootImageDone) Java.deoptimizeBootImage();
            bootImageDone = true;
            report.limits.push(`${id}: called from boot-image code (${names}): the boot image is deoptimised so the hook runs`);
            return;
        } catch (e) {
            problems.push(`boot image: ${e instanceof Error ? e.message : String(e)}`);
        }
    }
    if (apiLevel() !== 0 && apiLevel() < 30) {
        try {
            const deopt = (Java as any).deoptimizeMethod as ((m: NativePointer) => void) | undefined;
            if (deopt === undefined) throw new Error("this bridge has no Java.deoptimizeMethod");
            for (const [cls, member] of callers) {
                for (const ov of Java.use(cls)[member].overloads as any[]) deopt.call(Java, ov.handle);
            }
            report.limits.push(`${id}: called from boot-image code (${names}): that caller is deoptimised so the hook runs`);
            return;
        } catch (e) {
            problems.push(`per-method deoptimisation: ${e instanceof Error ? e.message : String(e)}`);
        }
    }
    report.limits.push(`${id}: not hooked: called from boot-image code (${names}) that could not be deoptimised ` +
        `(${problems.join("; ")}): not observable on this device`);
}
