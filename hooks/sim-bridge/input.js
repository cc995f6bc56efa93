// The stand-in's input pipeline and the services around it, as far as the agent asks about them.
//
// A tap on a phone: the system's InputDispatcher sends the event down the window's input channel and
// ART calls the hidden InputEventReceiver.dispatchInputEvent(int seq, InputEvent) from native code
// (MessageQueue.nativePollOnce below it on the stack); the window's ViewRootImpl delivers it to the
// views, and View.onTouchEvent posts a PerformClick for the ACTION_UP. The simulator drives exactly
// that: simruntime/simui.py invokes dispatchInputEvent with the looper's native frames, then the click
// with the frames ART shows for it (posted, synchronous, key, accessibility). Nothing here decides
// what is real: the agent does, from what it can see on a phone.
//
// What the models answer:
//   InputManager.getInstance() / InputManagerGlobal.getInstance()   singletons
//   InputManager.verifyInputEvent(ev)      API 30+: a VerifiedMotionEvent/VerifiedKeyEvent for an event the
//                                          system dispatcher signed (the simulator marks those `$signed`),
//                                          null for one the app built itself (MotionEvent.obtain ...)
//   ActivityThread.currentApplication().getSystemService("accessibility") -> AccessibilityManager whose
//                                          getEnabledAccessibilityServiceList(-1) lists simSetAccessibility's ids
//   View.getLocationOnScreen(int[2])       writes the view's `$screen` [x, y]
//   Build.VERSION.SDK_INT                  33 unless the simulator sets another level (simSetField)

let api = null;
const device = { accessibility: [], app: null, im: null, img: null };

function inputManager(cls) {
    const key = cls.endsWith("Global") ? "img" : "im";
    if (device[key] === null) device[key] = api.makeObject(cls, {});
    return device[key];
}

function verify(ev) {
    const t = api.raw(ev);
    if (t === null || t === undefined || !t.fields || t.fields.$signed !== true) return null;
    const key = t.$className === "android.view.KeyEvent";
    return api.makeObject(key ? "android.view.VerifiedKeyEvent" : "android.view.VerifiedMotionEvent", {},
        t.returns || {});
}

const S = "java.lang.String";
const IE = "android.view.InputEvent";

export function installInput(a) {
    api = a;
    api.staticFields.set("android.os.Build$VERSION|SDK_INT", 33);
    // overloads the agent enumerates (`.overloads`) on these framework classes (AOSP, API 33; InputManagerGlobal 34+)
    api.declare({
        "android.hardware.input.InputManager": { injectInputEvent: [[IE, "int"], [IE, "int", "int"]] },
        "android.hardware.input.InputManagerGlobal": { injectInputEvent: [[IE, "int"], [IE, "int", "int"]] },
        "android.app.UiAutomation": { injectInputEvent: [[IE, "boolean"], [IE, "boolean", "boolean"]] },
        "android.webkit.WebView": { loadUrl: [[S], [S, "java.util.Map"]], loadDataWithBaseURL: [[S, S, S, S, S]] },
    });
    Object.assign(api.MODELS, {
        "android.hardware.input.InputManager": {
            statics: { getInstance: () => inputManager("android.hardware.input.InputManager") },
            methods: { verifyInputEvent: (o, ev) => verify(ev) },
        },
        "android.hardware.input.InputManagerGlobal": {
            statics: { getInstance: () => inputManager("android.hardware.input.InputManagerGlobal") },
            methods: { verifyInputEvent: (o, ev) => verify(ev) },
        },
        "android.app.ActivityThread": {
            statics: {
                currentApplication: () => {
                    if (device.app === null) device.app = api.makeObject("android.app.Application", {});
                    return device.app;
                },
            },
        },
        "android.app.Application": {
            methods: {
                getSystemService: (o, name) => (String(name) === "accessibility"
                    ? api.makeObject("android.view.accessibility.AccessibilityManager", {}) : null),
            },
        },
        "android.view.accessibility.AccessibilityManager": {
            methods: {
                isEnabled: () => device.accessibility.length > 0,
                getEnabledAccessibilityServiceList: () => api.makeList(device.accessibility.map((id) =>
                    api.makeObject("android.accessibilityservice.AccessibilityServiceInfo", {}, { getId: id }))),
            },
        },
        "android.view.View": {
            methods: {
                getLocationOnScreen: (o, out) => {
                    const xy = o.fields.$screen || [0, 0];
                    out[0] = xy[0];
                    out[1] = xy[1];
                },
            },
        },
    });
}

export const inputExports = {
    simSetAccessibility(ids) {
        // the accessibility services the user enabled on the simulated phone ("pkg/.Service")
        device.accessibility = ids.slice();
        return true;
    },
};
