// The stand-in's class model: superclass, interfaces, methods and fields of the classes the agent
// reaches through `this`, hook arguments or Java.cast, so that a wrapper exposes only the members of
// the class it is wrapped as, exactly as frida-java-bridge does: in a hook `this` is wrapped as the
// hooked class (class-factory.js handleMethodInvocation: `new C(jniArgs[1], ...)` with C the hooked
// class wrapper), an object argument as its declared parameter type (types.js getAnyObjectType
// fromJni: `factory.cast(h, factory.use(typeName))`), and Java.cast() re-wraps after an
// `IsInstanceOf` check ("Cast from 'X' to 'Y' isn't possible"). A `View` wrapper has no getText.
//
// Classes not listed here (and not defined by the simulated app) stay permissive: the stand-in does
// not know their members. The simulated app's own classes are defined at run time (defineClass), with
// their superclass, interfaces, modifiers and whether they are loaded yet.
//
// Sources: Android API reference (developer.android.com/reference) for the public members; AOSP
// frameworks/base for the hidden ones the agent uses (ViewRootImpl.getView/getTitle, the
// WindowInputEventReceiver.this$0 field, DecorView.mWindow, InputManager.getInstance/injectInputEvent,
// InputManagerGlobal (API 34+), InputEventReceiver.dispatchInputEvent).

const OBJ = ["toString", "hashCode", "equals", "getClass"];

export const CLASSES = {
    "java.lang.Object": { super: null, methods: OBJ },
    "android.view.View": {
        super: "java.lang.Object",
        methods: ["performClick", "callOnClick", "getId", "getResources", "getRootView", "getContext", "getParent",
            "getLocationOnScreen", "getLocationInWindow", "getWidth", "getHeight", "isShown", "isFocused",
            "getVisibility", "getWindowToken", "getLayoutParams", "post", "postDelayed", "onTouchEvent",
            "dispatchTouchEvent", "onKeyUp", "onKeyDown", "dispatchKeyEvent", "performAccessibilityAction",
            "setOnClickListener", "hasOnClickListeners", "getContentDescription", "getTag", "isEnabled",
            "isClickable"],
    },
    "android.view.ViewGroup": { super: "android.view.View", methods: ["getChildAt", "getChildCount", "addView"] },
    "android.widget.FrameLayout": { super: "android.view.ViewGroup", methods: [] },
    "android.widget.LinearLayout": { super: "android.view.ViewGroup", methods: ["getOrientation"] },
    "com.android.internal.policy.DecorView": { super: "android.widget.FrameLayout", methods: [], fields: ["mWindow"] },
    "android.widget.TextView": {
        super: "android.view.View",
        methods: ["getText", "setText", "getHint", "length", "getTextSize", "getCurrentTextColor"],
    },
    "android.widget.Button": { super: "android.widget.TextView", methods: [] },
    "android.widget.CompoundButton": { super: "android.widget.Button", methods: ["isChecked", "setChecked", "toggle"] },
    "android.widget.CheckBox": { super: "android.widget.CompoundButton", methods: [] },
    "android.widget.ImageView": { super: "android.view.View", methods: ["getDrawable", "setImageResource"] },
    "android.view.ViewGroup$LayoutParams": { super: "java.lang.Object", methods: [], fields: ["width", "height"] },
    "android.view.WindowManager$LayoutParams": {
        super: "android.view.ViewGroup$LayoutParams", methods: ["getTitle", "setTitle"], fields: ["type", "flags"],
    },
    "android.view.Window": { super: "java.lang.Object", methods: ["getCallback", "getAttributes", "getDecorView", "getContext"] },
    "com.android.internal.policy.PhoneWindow": { super: "android.view.Window", methods: [] },
    "android.content.Context": {
        super: "java.lang.Object",
        methods: ["getSystemService", "getPackageName", "getApplicationContext", "getResources", "getClassLoader"],
    },
    "android.content.ContextWrapper": { super: "android.content.Context", methods: ["getBaseContext"] },
    "android.view.ContextThemeWrapper": { super: "android.content.ContextWrapper", methods: ["getTheme"] },
    "android.app.Activity": {
        super: "android.view.ContextThemeWrapper",
        methods: ["getWindow", "getComponentName", "getLocalClassName", "isFinishing", "dispatchTouchEvent",
            "dispatchKeyEvent"],
    },
    "android.app.Application": { super: "android.content.ContextWrapper", methods: [] },
    "android.app.Dialog": {
        super: "java.lang.Object", methods: ["getWindow", "getContext", "isShowing", "dismiss", "dispatchTouchEvent"],
    },
    "android.content.res.Resources": { super: "java.lang.Object", methods: ["getResourceEntryName", "getResourceName", "getString"] },
    "android.view.ViewRootImpl": { super: "java.lang.Object", methods: ["getView", "getTitle"] },
    "android.view.InputEventReceiver": { super: "java.lang.Object", methods: ["dispatchInputEvent", "finishInputEvent", "onInputEvent", "dispose"] },
    "android.view.ViewRootImpl$WindowInputEventReceiver": {
        super: "android.view.InputEventReceiver", methods: [], fields: ["this$0"],
    },
    "android.view.InputEvent": {
        super: "java.lang.Object",
        methods: ["getEventTime", "getDeviceId", "getSource", "getSequenceNumber", "isFromSource", "getDevice"],
    },
    "android.view.MotionEvent": {
        super: "android.view.InputEvent",
        methods: ["getAction", "getActionMasked", "getRawX", "getRawY", "getX", "getY", "getDownTime", "getFlags",
            "getPointerCount", "getToolType"],
    },
    "android.view.KeyEvent": {
        super: "android.view.InputEvent", methods: ["getAction", "getKeyCode", "getRepeatCount", "getFlags", "getDownTime"],
    },
    "android.view.VerifiedInputEvent": { super: "java.lang.Object", methods: ["getEventTimeNanos", "getAction", "getDeviceId"] },
    "android.view.VerifiedMotionEvent": { super: "android.view.VerifiedInputEvent", methods: ["getActionMasked", "getRawX", "getRawY"] },
    "android.view.VerifiedKeyEvent": { super: "android.view.VerifiedInputEvent", methods: ["getKeyCode"] },
    "android.hardware.input.InputManager": { super: "java.lang.Object", methods: ["verifyInputEvent", "injectInputEvent", "getInputDevice"] },
    "android.hardware.input.InputManagerGlobal": { super: "java.lang.Object", methods: ["injectInputEvent", "verifyInputEvent"] },
    "android.app.Instrumentation": { super: "java.lang.Object", methods: ["sendPointerSync", "sendKeySync", "sendKeyDownUpSync"] },
    "android.view.accessibility.AccessibilityManager": {
        super: "java.lang.Object", methods: ["isEnabled", "getEnabledAccessibilityServiceList", "isTouchExplorationEnabled"],
    },
    "android.accessibilityservice.AccessibilityServiceInfo": { super: "java.lang.Object", methods: ["getId", "getResolveInfo"] },
    "java.lang.Class": {
        super: "java.lang.Object", methods: ["getName", "isAssignableFrom", "isInstance", "getModifiers", "isInterface"],
    },
};

// a few classes that implement interfaces the agent casts to
const INTERFACES = {
    "android.app.Activity": ["android.view.Window$Callback"],
    "android.app.Dialog": ["android.view.Window$Callback"],
};

const defined = new Map();   // simulated app classes: name -> {super, interfaces, modifiers, loaded, methods}

/** A class of the simulated app (or an SDK): its place in the hierarchy, modifiers and whether loaded. */
export function defineClass(name, spec) {
    const prev = defined.get(name) || {};
    defined.set(name, {
        super: spec.super !== undefined ? spec.super : (prev.super ?? "java.lang.Object"),
        interfaces: spec.interfaces || prev.interfaces || [],
        modifiers: spec.modifiers !== undefined ? spec.modifiers : (prev.modifiers ?? 0x1),
        loaded: spec.loaded !== undefined ? spec.loaded : (prev.loaded ?? true),
        methods: spec.methods || prev.methods || null,
        abstractMethods: spec.abstract_methods || prev.abstractMethods || [],
    });
}

export function definedClass(name) {
    return defined.get(name);
}

export function loadedClasses() {
    return [...defined.entries()].filter(([, d]) => d.loaded).map(([n]) => n);
}

export function superOf(name) {
    if (name in CLASSES) return CLASSES[name].super;
    const d = defined.get(name);
    return d !== undefined ? d.super : undefined;          // undefined: the stand-in does not know it
}

export function interfacesOf(name) {
    if (INTERFACES[name]) return INTERFACES[name];
    const d = defined.get(name);
    return d !== undefined ? d.interfaces : [];
}

/** Is `name` `ancestor` or below it (superclasses and interfaces)? null when the chain leaves the model. */
export function isSubclass(name, ancestor) {
    const seen = new Set();
    const walk = (c) => {
        if (c === ancestor) return true;
        if (c === null || seen.has(c)) return false;
        seen.add(c);
        for (const i of interfacesOf(c)) if (walk(i) === true) return true;
        const s = superOf(c);
        if (s === undefined) return null;
        return walk(s);
    };
    return walk(name);
}

export function isModelled(name) {
    return name in CLASSES || (defined.has(name) && defined.get(name).methods !== null);
}

/** Members visible on a wrapper of class `name` (its own and its superclasses'), or null (permissive). */
export function members(name) {
    if (!isModelled(name)) return null;
    const methods = new Set();
    const fields = new Set();
    for (let c = name; c !== null && c !== undefined; c = superOf(c)) {
        const m = CLASSES[c] || defined.get(c);
        if (m === undefined) break;
        for (const x of (Array.isArray(m.methods) ? m.methods : Object.keys(m.methods || {}))) methods.add(x);
        for (const f of m.fields || []) fields.add(f);
    }
    return { methods, fields };
}

export const ACC_INTERFACE = 0x200;
export const ACC_ABSTRACT = 0x400;

export function modifiersOf(name) {
    const d = defined.get(name);
    return d !== undefined ? d.modifiers : 0x1;
}

/** A defined interface's methods (and a defined class's `abstract_methods`) cannot be hooked usefully:
 * ART dispatches to the implementation (same refusal as abstract.js for the framework's). */
export function abstractDeclared(cls, member) {
    const d = defined.get(cls);
    if (d === undefined) return null;
    const abs = (d.modifiers & ACC_INTERFACE) !== 0 || (d.abstractMethods || []).includes(member);
    if (!abs) return null;
    return new Error(`${cls}.${member}: cannot hook an abstract or interface method: ART dispatches calls ` +
        "to the concrete class's override, so this hook would never run; hook the concrete class");
}
