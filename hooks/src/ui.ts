// The user's answer to the consent dialog, seen in the app: a hook on View.performClick that matches the
// manifest's consent controls and emits `consent` with the click's provenance (input.ts):
//   evidence ui_tap         the system delivered a real tap or confirming key to that window, on the control;
//   evidence accessibility  an accessibility service clicked it (the services are named); the manifest says
//                           whether that is the user's answer (consent.accept_accessibility);
//   evidence programmatic   anything else (`why` says what): app code clicked, dispatched or injected it.
// Controls match by resource id anywhere; by text only inside the consent dialog the manifest names
// (consent.dialog: the Dialog's class, the activity or the window title), so a "同意" on another dialog is
// not consent. In a hook `this` is wrapped as View (the hooked class), which has no getText: the view is
// cast to TextView where it is one.

import Java from "frida-java-bridge";
import { emit, hookError } from "./emit.js";
import { clickProvenance } from "./input.js";
import { javaStack } from "./java.js";
import type { InstallReport } from "./hooks.js";
import type { AgentConfig, ConsentControl } from "./types.js";

export { clickProvenance, frameMethod } from "./input.js";

const CLICK_STACK = 96;     // deep enough to reach the input receiver below a synchronous click

let TextView: any = null;
let DecorView: any = null;
let WindowParams: any = null;
let Activity: any = null;
let ContextWrapper: any = null;

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
    let tv: any;
    try {
        tv = Java.cast(view, TextView);
    } catch (e) {
        return null;              // not a TextView (an ImageView, a layout): no text to match
    }
    try {
        const t = tv.getText();
        return t === null || t === undefined ? null : String(t).trim();
    } catch (e) {
        return null;
    }
}

function idMatches(c: ConsentControl, id: string | null): boolean {
    return !!c.id && id !== null && (c.id === id || c.id.endsWith(`id/${id}`));
}

/** Where the view is: its window's title, the window's owner (Dialog or Activity class), its activity. */
function placeOf(view: any): { title: string; owner: string; activity: string } {
    const out = { title: "", owner: "", activity: "" };
    let root: any = null;
    try {
        root = view.getRootView();
        out.title = String(Java.cast(root.getLayoutParams(), WindowParams).getTitle());
    } catch (e) { /* no window attributes */ }
    try {
        out.owner = String(Java.cast(root, DecorView).mWindow.value.getCallback().$className);
    } catch (e) { /* not a DecorView (a popup), or no callback */ }
    try {
        let c = view.getContext();
        for (let i = 0; i < 8 && c !== null; i++) {
            try {
                Java.cast(c, Activity);
                out.activity = String(c.$className);
                break;
            } catch (e) {
                c = Java.cast(c, ContextWrapper).getBaseContext();
            }
        }
    } catch (e) { /* a context that wraps no activity */ }
    return out;
}

function inDialog(place: { title: string; owner: string; activity: string }, dialogs: string[]): boolean {
    return dialogs.some((d) => d === place.owner || d === place.activity || d === place.title ||
        place.title.endsWith(`/${d}`));
}

export function installConsentControlHook(cfg: AgentConfig, report: InstallReport): void {
    const controls = cfg.consent_controls ?? [];
    if (controls.length === 0) return;
    const dialogs = cfg.consent_dialog ?? [];
    TextView = Java.use("android.widget.TextView");
    DecorView = Java.use("com.android.internal.policy.DecorView");
    WindowParams = Java.use("android.view.WindowManager$LayoutParams");
    Activity = Java.use("android.app.Activity");
    ContextWrapper = Java.use("android.content.ContextWrapper");
    try {
        const ov = Java.use("android.view.View").performClick.overload();
        ov.implementation = function (this: any): any {
            try {
                const id = idName(this);
                let c = controls.find((x) => idMatches(x, id));
                let byText = false;
                let text: string | null = null;
                if (c === undefined) {
                    text = textOf(this);
                    const t = text;
                    c = t === null ? undefined : controls.find((x) => (x.text ?? []).includes(t));
                    byText = c !== undefined;
                }
                if (c !== undefined) {
                    const place = placeOf(this);
                    // a same-text button outside the consent dialog is not the consent control
                    if (!byText || dialogs.length === 0 || inDialog(place, dialogs)) {
                        const p = clickProvenance(this, javaStack(CLICK_STACK).frames);
                        emit("consent", {
                            scope: c.scope, transition: c.transition, evidence: p.evidence,
                            control: byText ? `text:${text}` : `id/${id}`,
                            window: place.owner || place.activity || place.title,
                            ...(p.why !== undefined ? { why: p.why } : {}),
                            ...(p.input !== undefined ? { input: p.input } : {}),
                            ...(p.services !== undefined ? { services: p.services } : {}),
                        });
                    }
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
