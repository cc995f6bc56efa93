// Input provenance: was a click on a consent control the user's? (issue 22 §1)
//
// Real input reaches an app through the window's input channel: the system's InputDispatcher sends the
// event, ART calls the hidden InputEventReceiver.dispatchInputEvent(int, InputEvent) from native code
// (MessageQueue.nativePollOnce is the frame below it), API 24-35 alike. That delivery is recorded here
// (kind, action, event time, window, where a touch landed), and a click is the user's only when such a
// delivery came just before it, to the clicked view's window, over the view, and the frames between the
// framework's input path and performClick are the framework's own:
//   posted    View.onTouchEvent posts PerformClick on ACTION_UP: PerformClick.run from the looper calls
//             performClickInternal -> performClick (API 28+) or performClick directly (API 24-27);
//   sync      the post failed: performClick(Internal) <- View.onTouchEvent <- ... <- dispatchInputEvent;
//   key       Enter/DPAD_CENTER/space up: performClick(Internal) <- View.onKeyUp <- ... <- dispatchInputEvent;
//   a11y      an accessibility service: performAccessibilityAction <- AccessibilityInteractionController.
// Not the user's: dispatchInputEvent called by app code, events the app injected into itself
// (InputManager/InputManagerGlobal/UiAutomation.injectInputEvent in this process), on API 30+ events
// InputManager.verifyInputEvent does not verify (the app built them), a posted click with no delivery
// before it (the app dispatched its own MotionEvent to the button), an app frame below performClick.
// Injection from outside the app (adb, uiautomator: the scenario runner) goes through the system
// dispatcher and arrives like a finger.

import Java from "frida-java-bridge";
import { hookError } from "./emit.js";
import type { InstallReport } from "./hooks.js";

const CONFIRM_KEYS = new Set([23, 62, 66, 160]);     // DPAD_CENTER, SPACE, ENTER, NUMPAD_ENTER
const ACTION_DOWN = 0;
const ACTION_UP = 1;

export interface Delivery {
    kind: "touch" | "key";
    eventTime: number;
    x: number;
    y: number;
    keyCode: number;
    root: number | null;        // hashCode of the window's root view
    window: string;
    real: boolean;
    why: string;
    used: boolean;
}

export interface Provenance {
    evidence: "ui_tap" | "programmatic" | "accessibility";
    why?: string;
    input?: Record<string, unknown>;
    services?: string[];
}

let last: Delivery | null = null;              // the latest UP (touch or confirming key) delivered to the app
const injected = new Map<string, number>();    // "kind|eventTime" of events the app injected into itself
let sdkInt = 0;
let MotionEvent: any = null;
let KeyEvent: any = null;
let WindowReceiver: any = null;
let appPackage = "";

export function frameMethod(frame: string): string {
    const open = frame.indexOf("(");
    return open >= 0 ? frame.slice(0, open) : frame;
}

function eventKey(kind: string, t: number): string {
    return `${kind}|${t}`;
}

function verified(event: any): boolean {
    // API 30+: the dispatcher signs what it sends; an event the app built itself is not verified
    let im: any;
    try {
        im = Java.use("android.hardware.input.InputManager").getInstance();
    } catch (e) {
        const app = Java.use("android.app.ActivityThread").currentApplication();
        im = Java.cast(app.getSystemService("input"), Java.use("android.hardware.input.InputManager"));
    }
    return im.verifyInputEvent(event) !== null;
}

function windowOf(receiver: any): { root: number | null; window: string } {
    try {
        const vri = Java.cast(receiver, WindowReceiver).this$0.value;
        const root = vri.getView();
        return { root: root === null ? null : Number(root.hashCode()), window: String(vri.getTitle()) };
    } catch (e) {
        return { root: null, window: "?" };     // another receiver (an input monitor, an IME, the app's own)
    }
}

function observe(receiver: any, event: any, caller: string): void {
    const cls = event.$className;
    let d: Delivery;
    if (cls === "android.view.MotionEvent") {
        const me = Java.cast(event, MotionEvent);
        const action = me.getActionMasked();
        if (action === ACTION_DOWN) last = null;
        if (action !== ACTION_UP) return;
        d = { kind: "touch", eventTime: Number(me.getEventTime()), x: Number(me.getRawX()), y: Number(me.getRawY()),
            keyCode: -1, root: null, window: "", real: true, why: "", used: false };
    } else if (cls === "android.view.KeyEvent") {
        const ke = Java.cast(event, KeyEvent);
        const code = ke.getKeyCode();
        if (!CONFIRM_KEYS.has(code)) return;
        const action = ke.getAction();
        if (action === ACTION_DOWN) last = null;
        if (action !== ACTION_UP) return;
        d = { kind: "key", eventTime: Number(ke.getEventTime()), x: -1, y: -1, keyCode: code, root: null, window: "",
            real: true, why: "", used: false };
    } else {
        return;
    }
    Object.assign(d, windowOf(receiver));
    if (caller !== "android.os.MessageQueue.nativePollOnce") {
        d.real = false;
        d.why = `dispatchInputEvent called by ${caller || "?"}, not from the window's input channel`;
    } else if (injected.has(eventKey(d.kind, d.eventTime))) {
        d.real = false;
        d.why = "an input event the app injected into itself (injectInputEvent in the app process)";
    } else if (sdkInt >= 30 && !verified(event)) {
        d.real = false;
        d.why = "InputManager.verifyInputEvent: not signed by the system's input dispatcher";
    }
    last = d;
}

function remember(event: any): void {
    const cls = event.$className;
    const kind = cls === "android.view.KeyEvent" ? "key" : cls === "android.view.MotionEvent" ? "touch" : null;
    if (kind === null) return;
    const t = Number((kind === "key" ? Java.cast(event, KeyEvent) : Java.cast(event, MotionEvent)).getEventTime());
    if (injected.size > 256) injected.clear();
    injected.set(eventKey(kind, t), t);
}

/** The input pipeline hooks: the window's receiver, and the app injecting events into itself. */
export function installInputHooks(pkg: string, stackOf: (n: number) => string[], report: InstallReport): void {
    appPackage = pkg;
    try {
        sdkInt = Number(Java.use("android.os.Build$VERSION").SDK_INT.value);
    } catch (e) {
        sdkInt = 0;
    }
    MotionEvent = Java.use("android.view.MotionEvent");
    KeyEvent = Java.use("android.view.KeyEvent");
    WindowReceiver = Java.use("android.view.ViewRootImpl$WindowInputEventReceiver");
    try {
        const ov = Java.use("android.view.InputEventReceiver").dispatchInputEvent.overload("int", "android.view.InputEvent");
        ov.implementation = function (this: any, seq: number, event: any): any {
            try {
                if (event !== null) {
                    const frames = stackOf(3);
                    observe(this, event, frames.length > 1 ? frameMethod(frames[1]) : "");
                }
            } catch (err) {
                hookError("hook InputEventReceiver.dispatchInputEvent", err);
            }
            return ov.call(this, seq, event);
        };
        report.hooked.push("ui.input_receiver");
    } catch (err) {
        report.missing.push({ id: "ui.input_receiver", reason: String(err) });
    }
    const injectors: [string, string][] = [
        ["android.hardware.input.InputManager", "injectInputEvent"],         // API 16-33 (hidden)
        ["android.hardware.input.InputManagerGlobal", "injectInputEvent"],   // API 34+ (hidden)
        ["android.app.UiAutomation", "injectInputEvent"],                    // an instrumentation in the app process
    ];
    for (const [cls, member] of injectors) {
        let overloads: any[];
        try {
            overloads = Java.use(cls)[member].overloads;
        } catch (e) {
            continue;              // not on this API level
        }
        for (const ov of overloads) {
            ov.implementation = function (this: any, ...args: any[]): any {
                try {
                    if (args[0] !== null) remember(args[0]);
                } catch (err) {
                    hookError(`hook ${cls}.${member}`, err);
                }
                return ov.call(this, ...args);
            };
        }
        report.hooked.push(`ui.inject.${cls.split(".").pop()}`);
    }
}

// frames an input dispatch passes through between the window's receiver and View.onTouchEvent/onKeyUp
const DISPATCH_METHODS = new Set([
    "dispatchTouchEvent", "onTouchEvent", "onInterceptTouchEvent", "dispatchTransformedTouchEvent",
    "superDispatchTouchEvent", "dispatchPointerEvent", "dispatchKeyEvent", "superDispatchKeyEvent", "onKeyUp",
    "onKeyDown", "dispatchKeyEventPreIme", "onKeyPreIme", "dispatch",
]);
const FRAMEWORK_INPUT = /^(android\.view\.|android\.widget\.|com\.android\.internal\.policy\.|android\.app\.(Activity|Dialog)\.)/;

function isDispatchFrame(m: string): boolean {
    if (FRAMEWORK_INPUT.test(m)) return true;
    return DISPATCH_METHODS.has(m.slice(m.lastIndexOf(".") + 1));   // a view's or activity's override of them
}

function programmatic(why: string): Provenance {
    return { evidence: "programmatic", why };
}

function landedOn(view: any, d: Delivery): boolean {
    if (d.kind !== "touch") return true;
    const xy = Java.array("int", [0, 0]);
    view.getLocationOnScreen(xy);
    const x0 = Number(xy[0]);
    const y0 = Number(xy[1]);
    return d.x >= x0 && d.x < x0 + Number(view.getWidth()) && d.y >= y0 && d.y < y0 + Number(view.getHeight());
}

function fromDelivery(view: any, kind: "touch" | "key"): Provenance {
    const d = last;
    if (d === null) return programmatic("no input event was delivered to the app before the click");
    if (!d.real) return programmatic(d.why);
    if (d.used) return programmatic("the input event before the click already produced a click");
    if (d.kind !== kind) return programmatic(`the click came from a ${kind} path but the last input was a ${d.kind}`);
    let root: number | null = null;
    try {
        root = Number(view.getRootView().hashCode());
    } catch (e) {
        root = null;
    }
    if (d.root !== null && root !== null && d.root !== root) {
        return programmatic(`the input went to another window${d.window ? ` (${d.window})` : ""}`);
    }
    if (!landedOn(view, d)) return programmatic(`the touch at (${d.x}, ${d.y}) was not on the control`);
    d.used = true;
    return {
        evidence: "ui_tap",
        input: { kind: d.kind, action: "up", event_time: d.eventTime, window: d.window,
            ...(d.kind === "key" ? { key_code: d.keyCode } : {}) },
    };
}

function services(): string[] {
    try {
        const app = Java.use("android.app.ActivityThread").currentApplication();
        const am = Java.cast(app.getSystemService("accessibility"),
            Java.use("android.view.accessibility.AccessibilityManager"));
        const list = am.getEnabledAccessibilityServiceList(-1);
        const Info = Java.use("android.accessibilityservice.AccessibilityServiceInfo");
        const out: string[] = [];
        for (let i = 0; i < list.size(); i++) out.push(String(Java.cast(list.get(i), Info).getId()));
        return out;
    } catch (e) {
        return [];
    }
}

/** Who clicked `view`: its performClick stack (frames[0] is the hooked performClick) and the input record. */
export function clickProvenance(view: any, frames: string[]): Provenance {
    let i = 0;
    while (i < frames.length && frameMethod(frames[i]).endsWith(".performClick")) i++;   // subclasses' super calls
    if (frameMethod(frames[i] ?? "") === "android.view.View.performClickInternal") i++;  // API 28+
    const entry = frameMethod(frames[i] ?? "");
    if (entry === "android.view.View$PerformClick.run") {
        const next = frameMethod(frames[i + 1] ?? "");
        if (next !== "android.os.Handler.handleCallback") return programmatic(`PerformClick.run called by ${next}`);
        return fromDelivery(view, "touch");
    }
    if (entry === "android.view.View.onTouchEvent" || entry === "android.view.View.onKeyUp") {
        for (let j = i; j < frames.length; j++) {
            const m = frameMethod(frames[j]);
            if (m === "android.view.InputEventReceiver.dispatchInputEvent") {
                return fromDelivery(view, entry.endsWith("onKeyUp") ? "key" : "touch");
            }
            if (!isDispatchFrame(m)) return programmatic(`${m} between the input dispatch and the click`);
        }
        return programmatic(`${entry} was not called by the window's input dispatch`);
    }
    if (entry === "android.view.View.performAccessibilityActionInternal") {
        let j = i + 1;
        while (j < frames.length && frameMethod(frames[j]).endsWith(".performAccessibilityAction")) j++;
        const by = frameMethod(frames[j] ?? "");
        if (!by.startsWith("android.view.AccessibilityInteractionController")) {
            return programmatic(`performAccessibilityAction called by ${by || "?"}`);
        }
        const ids = services();
        if (ids.length > 0 && appPackage !== "" && ids.every((s) => s.startsWith(`${appPackage}/`))) {
            return { evidence: "programmatic", why: "the only enabled accessibility service is the app's own", services: ids };
        }
        return { evidence: "accessibility", services: ids };
    }
    return programmatic(`performClick called by ${entry || "?"}`);
}
