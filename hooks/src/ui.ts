// The user's answer to the consent dialog, seen in the app: a hook on View.performClick that matches the
// manifest's consent controls (resource id or exact text) and emits `consent` with `evidence: ui_tap`
// when the input system delivered the click (touch, key or accessibility path below performClick), or
// `evidence: programmatic` when app code called performClick() itself (which never counts as consent).

import Java from "frida-java-bridge";
import { emit, hookError } from "./emit.js";
import { javaStack } from "./java.js";
import type { InstallReport } from "./hooks.js";
import type { AgentConfig, ConsentControl } from "./types.js";

// frames of the framework's input dispatch directly below performClick (API 24-35)
const INPUT_PATH = new Set([
    "android.view.View.performClickInternal", "android.view.View$PerformClick.run",
    "android.view.View.onTouchEvent", "android.view.View.onKeyUp", "android.view.View.onKeyDown",
    "android.view.View.performAccessibilityActionInternal",
]);

function frameMethod(frame: string): string {
    const open = frame.indexOf("(");
    return open >= 0 ? frame.slice(0, open) : frame;
}

/** "ui_tap" when the input system called performClick, else "programmatic". */
export function clickEvidence(frames: string[]): string {
    for (let i = 0; i < frames.length; i++) {
        const m = frameMethod(frames[i]);
        if (m.endsWith(".performClick")) continue;      // the hooked method and subclasses' super calls
        return INPUT_PATH.has(m) ? "ui_tap" : "programmatic";
    }
    return "programmatic";
}

function idName(view: any): string | null {
    try {
        const id = view.getId();
        if (typeof id !== "number" || id <= 0) return null;
        return String(view.getResources().getResourceEntryName(id));
    } catch (e) {
        return null;
    }
}

function textOf(view: any): string | null {
    try {
        const t = view.getText();
        return t === null || t === undefined ? null : String(t).trim();
    } catch (e) {
        return null;
    }
}

function matches(c: ConsentControl, id: string | null, text: string | null): boolean {
    if (c.id && id !== null && (c.id === id || c.id.endsWith(`id/${id}`))) return true;
    return text !== null && (c.text ?? []).includes(text);
}

export function installConsentControlHook(cfg: AgentConfig, report: InstallReport): void {
    const controls = cfg.consent_controls ?? [];
    if (controls.length === 0) return;
    try {
        const ov = Java.use("android.view.View").performClick.overload();
        ov.implementation = function (this: any): any {
            try {
                const id = idName(this);
                const text = textOf(this);
                const c = controls.find((x) => matches(x, id, text));
                if (c !== undefined) {
                    const evidence = clickEvidence(javaStack(16).frames);
                    emit("consent", { scope: c.scope, transition: c.transition, evidence,
                        control: id !== null ? `id/${id}` : `text:${text}` });
                }
            } catch (err) {
                hookError("hook View.performClick", err);
            }
            return ov.call(this);
        };
        report.hooked.push("ui.consent_control");
    } catch (err) {
        report.missing.push({ id: "ui.consent_control", reason: String(err) });
    }
}
