📦
272579 /src/index.js
✄
// node_modules/frida-java-bridge/abstract.js
var ABSTRACT = {
  "android.content.pm.PackageManager": "*",
  "android.text.ClipboardManager": ["getText", "setText", "hasText"],
  "android.content.Context": "*",
  "android.content.SharedPreferences": "*",
  "android.content.SharedPreferences$Editor": "*",
  "android.view.View$OnClickListener": "*",
  "com.google.android.gms.location.FusedLocationProviderClient": "*",
  "com.bun.miitmdid.interfaces.IdSupplier": "*",
  "com.bun.supplier.IdSupplier": "*"
};
function abstractRefusal(cls, member) {
  const a = ABSTRACT[cls];
  if (a === void 0 || a !== "*" && !a.includes(member)) return null;
  return new Error(`${cls}.${member}: cannot hook an abstract or interface method: ART dispatches calls to the concrete class's override, so this hook would never run; hook the concrete class`);
}

// node_modules/frida-java-bridge/classes.js
var OBJ = ["toString", "hashCode", "equals", "getClass"];
var CLASSES = {
  "java.lang.Object": { super: null, methods: OBJ },
  "android.view.View": {
    super: "java.lang.Object",
    methods: [
      "performClick",
      "callOnClick",
      "getId",
      "getResources",
      "getRootView",
      "getContext",
      "getParent",
      "getLocationOnScreen",
      "getLocationInWindow",
      "getWidth",
      "getHeight",
      "isShown",
      "isFocused",
      "getVisibility",
      "getWindowToken",
      "getLayoutParams",
      "post",
      "postDelayed",
      "onTouchEvent",
      "dispatchTouchEvent",
      "onKeyUp",
      "onKeyDown",
      "dispatchKeyEvent",
      "performAccessibilityAction",
      "setOnClickListener",
      "hasOnClickListeners",
      "getContentDescription",
      "getTag",
      "isEnabled",
      "isClickable"
    ]
  },
  "android.view.ViewGroup": { super: "android.view.View", methods: ["getChildAt", "getChildCount", "addView"] },
  "android.widget.FrameLayout": { super: "android.view.ViewGroup", methods: [] },
  "android.widget.LinearLayout": { super: "android.view.ViewGroup", methods: ["getOrientation"] },
  "com.android.internal.policy.DecorView": { super: "android.widget.FrameLayout", methods: [], fields: ["mWindow"] },
  "android.widget.TextView": {
    super: "android.view.View",
    methods: ["getText", "setText", "getHint", "length", "getTextSize", "getCurrentTextColor"]
  },
  "android.widget.Button": { super: "android.widget.TextView", methods: [] },
  "android.widget.CompoundButton": { super: "android.widget.Button", methods: ["isChecked", "setChecked", "toggle"] },
  "android.widget.CheckBox": { super: "android.widget.CompoundButton", methods: [] },
  "android.widget.ImageView": { super: "android.view.View", methods: ["getDrawable", "setImageResource"] },
  "android.view.ViewGroup$LayoutParams": { super: "java.lang.Object", methods: [], fields: ["width", "height"] },
  "android.view.WindowManager$LayoutParams": {
    super: "android.view.ViewGroup$LayoutParams",
    methods: ["getTitle", "setTitle"],
    fields: ["type", "flags"]
  },
  "android.view.Window": { super: "java.lang.Object", methods: ["getCallback", "getAttributes", "getDecorView", "getContext"] },
  "com.android.internal.policy.PhoneWindow": { super: "android.view.Window", methods: [] },
  "android.content.Context": {
    super: "java.lang.Object",
    methods: ["getSystemService", "getPackageName", "getApplicationContext", "getResources", "getClassLoader"]
  },
  "android.content.ContextWrapper": { super: "android.content.Context", methods: ["getBaseContext"] },
  "android.view.ContextThemeWrapper": { super: "android.content.ContextWrapper", methods: ["getTheme"] },
  "android.app.Activity": {
    super: "android.view.ContextThemeWrapper",
    methods: [
      "getWindow",
      "getComponentName",
      "getLocalClassName",
      "isFinishing",
      "dispatchTouchEvent",
      "dispatchKeyEvent"
    ]
  },
  "android.app.Application": { super: "android.content.ContextWrapper", methods: [] },
  "android.app.Dialog": {
    super: "java.lang.Object",
    methods: ["getWindow", "getContext", "isShowing", "dismiss", "dispatchTouchEvent"]
  },
  "android.content.res.Resources": { super: "java.lang.Object", methods: ["getResourceEntryName", "getResourceName", "getString"] },
  "android.view.ViewRootImpl": { super: "java.lang.Object", methods: ["getView", "getTitle"] },
  "android.view.InputEventReceiver": { super: "java.lang.Object", methods: ["dispatchInputEvent", "finishInputEvent", "onInputEvent", "dispose"] },
  "android.view.ViewRootImpl$WindowInputEventReceiver": {
    super: "android.view.InputEventReceiver",
    methods: [],
    fields: ["this$0"]
  },
  "android.view.InputEvent": {
    super: "java.lang.Object",
    methods: ["getEventTime", "getDeviceId", "getSource", "getSequenceNumber", "isFromSource", "getDevice"]
  },
  "android.view.MotionEvent": {
    super: "android.view.InputEvent",
    methods: [
      "getAction",
      "getActionMasked",
      "getRawX",
      "getRawY",
      "getX",
      "getY",
      "getDownTime",
      "getFlags",
      "getPointerCount",
      "getToolType"
    ]
  },
  "android.view.KeyEvent": {
    super: "android.view.InputEvent",
    methods: ["getAction", "getKeyCode", "getRepeatCount", "getFlags", "getDownTime"]
  },
  "android.view.VerifiedInputEvent": { super: "java.lang.Object", methods: ["getEventTimeNanos", "getAction", "getDeviceId"] },
  "android.view.VerifiedMotionEvent": { super: "android.view.VerifiedInputEvent", methods: ["getActionMasked", "getRawX", "getRawY"] },
  "android.view.VerifiedKeyEvent": { super: "android.view.VerifiedInputEvent", methods: ["getKeyCode"] },
  "android.hardware.input.InputManager": { super: "java.lang.Object", methods: ["verifyInputEvent", "injectInputEvent", "getInputDevice"] },
  "android.hardware.input.InputManagerGlobal": { super: "java.lang.Object", methods: ["injectInputEvent", "verifyInputEvent"] },
  "android.app.Instrumentation": { super: "java.lang.Object", methods: ["sendPointerSync", "sendKeySync", "sendKeyDownUpSync"] },
  "android.view.accessibility.AccessibilityManager": {
    super: "java.lang.Object",
    methods: ["isEnabled", "getEnabledAccessibilityServiceList", "isTouchExplorationEnabled"]
  },
  "android.accessibilityservice.AccessibilityServiceInfo": { super: "java.lang.Object", methods: ["getId", "getResolveInfo"] },
  "java.lang.Class": {
    super: "java.lang.Object",
    methods: ["getName", "isAssignableFrom", "isInstance", "getModifiers", "isInterface"]
  }
};
var INTERFACES = {
  "android.app.Activity": ["android.view.Window$Callback"],
  "android.app.Dialog": ["android.view.Window$Callback"]
};
var defined = /* @__PURE__ */ new Map();
function defineClass(name, spec) {
  const prev = defined.get(name) || {};
  defined.set(name, {
    super: spec.super !== void 0 ? spec.super : prev.super ?? "java.lang.Object",
    interfaces: spec.interfaces || prev.interfaces || [],
    modifiers: spec.modifiers !== void 0 ? spec.modifiers : prev.modifiers ?? 1,
    loaded: spec.loaded !== void 0 ? spec.loaded : prev.loaded ?? true,
    methods: spec.methods || prev.methods || null,
    abstractMethods: spec.abstract_methods || prev.abstractMethods || []
  });
}
function loadedClasses() {
  return [...defined.entries()].filter(([, d]) => d.loaded).map(([n]) => n);
}
function superOf(name) {
  if (name in CLASSES) return CLASSES[name].super;
  const d = defined.get(name);
  return d !== void 0 ? d.super : void 0;
}
function interfacesOf(name) {
  if (INTERFACES[name]) return INTERFACES[name];
  const d = defined.get(name);
  return d !== void 0 ? d.interfaces : [];
}
function isSubclass(name, ancestor) {
  const seen = /* @__PURE__ */ new Set();
  const walk = (c) => {
    if (c === ancestor) return true;
    if (c === null || seen.has(c)) return false;
    seen.add(c);
    for (const i of interfacesOf(c)) if (walk(i) === true) return true;
    const s = superOf(c);
    if (s === void 0) return null;
    return walk(s);
  };
  return walk(name);
}
function isModelled(name) {
  return name in CLASSES || defined.has(name) && defined.get(name).methods !== null;
}
function members(name) {
  if (!isModelled(name)) return null;
  const methods2 = /* @__PURE__ */ new Set();
  const fields = /* @__PURE__ */ new Set();
  for (let c = name; c !== null && c !== void 0; c = superOf(c)) {
    const m = CLASSES[c] || defined.get(c);
    if (m === void 0) break;
    for (const x of Array.isArray(m.methods) ? m.methods : Object.keys(m.methods || {})) methods2.add(x);
    for (const f of m.fields || []) fields.add(f);
  }
  return { methods: methods2, fields };
}
var ACC_INTERFACE = 512;
function modifiersOf(name) {
  const d = defined.get(name);
  return d !== void 0 ? d.modifiers : 1;
}
function abstractDeclared(cls, member) {
  const d = defined.get(cls);
  if (d === void 0) return null;
  const abs = (d.modifiers & ACC_INTERFACE) !== 0 || (d.abstractMethods || []).includes(member);
  if (!abs) return null;
  return new Error(`${cls}.${member}: cannot hook an abstract or interface method: ART dispatches calls to the concrete class's override, so this hook would never run; hook the concrete class`);
}

// node_modules/frida-java-bridge/input.js
var api = null;
var device = { accessibility: [], app: null, im: null, img: null };
function inputManager(cls) {
  const key = cls.endsWith("Global") ? "img" : "im";
  if (device[key] === null) device[key] = api.makeObject(cls, {});
  return device[key];
}
function verify(ev) {
  const t = api.raw(ev);
  if (t === null || t === void 0 || !t.fields || t.fields.$signed !== true) return null;
  const key = t.$className === "android.view.KeyEvent";
  return api.makeObject(
    key ? "android.view.VerifiedKeyEvent" : "android.view.VerifiedMotionEvent",
    {},
    t.returns || {}
  );
}
var S = "java.lang.String";
var IE = "android.view.InputEvent";
function installInput(a) {
  api = a;
  api.staticFields.set("android.os.Build$VERSION|SDK_INT", 33);
  api.declare({
    "android.hardware.input.InputManager": { injectInputEvent: [[IE, "int"], [IE, "int", "int"]] },
    "android.hardware.input.InputManagerGlobal": { injectInputEvent: [[IE, "int"], [IE, "int", "int"]] },
    "android.app.UiAutomation": { injectInputEvent: [[IE, "boolean"], [IE, "boolean", "boolean"]] },
    "android.webkit.WebView": { loadUrl: [[S], [S, "java.util.Map"]], loadDataWithBaseURL: [[S, S, S, S, S]] }
  });
  Object.assign(api.MODELS, {
    "android.hardware.input.InputManager": {
      statics: { getInstance: () => inputManager("android.hardware.input.InputManager") },
      methods: { verifyInputEvent: (o, ev) => verify(ev) }
    },
    "android.hardware.input.InputManagerGlobal": {
      statics: { getInstance: () => inputManager("android.hardware.input.InputManagerGlobal") },
      methods: { verifyInputEvent: (o, ev) => verify(ev) }
    },
    "android.app.ActivityThread": {
      statics: {
        currentApplication: () => {
          if (device.app === null) device.app = api.makeObject("android.app.Application", {});
          return device.app;
        }
      }
    },
    "android.app.Application": {
      methods: {
        getSystemService: (o, name) => String(name) === "accessibility" ? api.makeObject("android.view.accessibility.AccessibilityManager", {}) : null
      }
    },
    "android.view.accessibility.AccessibilityManager": {
      methods: {
        isEnabled: () => device.accessibility.length > 0,
        getEnabledAccessibilityServiceList: () => api.makeList(device.accessibility.map((id) => api.makeObject("android.accessibilityservice.AccessibilityServiceInfo", {}, { getId: id })))
      }
    },
    "android.view.View": {
      methods: {
        getLocationOnScreen: (o, out) => {
          const xy = o.fields.$screen || [0, 0];
          out[0] = xy[0];
          out[1] = xy[1];
        }
      }
    }
  });
}
var inputExports = {
  simSetAccessibility(ids2) {
    device.accessibility = ids2.slice();
    return true;
  }
};

// node_modules/frida-java-bridge/arrays.js
var TRANSITION_US = 1;
var BYTES_PER_US = 1e3;
var ANR_US = 5e6;
var SIZES = { boolean: 1, byte: 1, char: 2, short: 2, int: 4, float: 4, long: 8, double: 8 };
var handles = /* @__PURE__ */ new Map();
var nextHandle = 1509949440;
var api2 = null;
function isPrimitive(type) {
  return type in SIZES;
}
function charge(us, what) {
  const ctx2 = api2.getCtx();
  if (ctx2 === null) return;
  ctx2.cost = (ctx2.cost || 0) + us;
  if (ctx2.cost > ANR_US) {
    throw new Error(`sim-bridge: ${what}: this hook holds the app's thread for ${Math.round(ctx2.cost / 1e3)} ms of device time (over the 5 s ANR limit): every element read of a Java array through the bridge copies the whole array (JNI Get<Type>ArrayElements); read it once (env.getByteArrayRegion, toJSON)`);
  }
}
function newHandle(obj) {
  nextHandle += 16;
  const h = ptr(nextHandle);
  handles.set(h.toString(), obj);
  return h;
}
var JavaArray = class {
  constructor(type, data) {
    this.$t = type;
    this.$data = data;
    this.length = data.length;
    this.$h = newHandle(this);
  }
  toJSON() {
    charge(TRANSITION_US * 2 + this.length * SIZES[this.$t] / BYTES_PER_US, `${this.$t}[${this.length}].toJSON()`);
    return this.$data.slice();
  }
  toString() {
    return this.toJSON().toString();
  }
  $dispose() {
  }
};
var arrayHandler = {
  get(target, property) {
    if (typeof property === "string" && /^[0-9]+$/.test(property)) {
      const i = Number(property);
      if (i >= target.length) return void 0;
      charge(
        TRANSITION_US * 2 + target.length * SIZES[target.$t] / BYTES_PER_US,
        `element read ${target.$t}[${target.length}][${i}]`
      );
      return target.$data[i];
    }
    return target[property];
  },
  set(target, property, value) {
    if (typeof property === "string" && /^[0-9]+$/.test(property)) {
      charge(TRANSITION_US, `element write ${target.$t}[${target.length}]`);
      target.$data[Number(property)] = value;
      return true;
    }
    target[property] = value;
    return true;
  },
  has(target, property) {
    if (typeof property === "string" && /^[0-9]+$/.test(property)) return Number(property) < target.length;
    return property in target;
  }
};
function javaArray(type, values) {
  const data = Array.from(values, (x) => type === "byte" ? (x & 255) > 127 ? (x & 255) - 256 : x & 255 : x);
  return new Proxy(new JavaArray(type, data), arrayHandler);
}
function isJavaArray(v) {
  return v !== null && typeof v === "object" && v.$data !== void 0 && v.$t !== void 0 && SIZES[v.$t] !== void 0;
}
function elements(v) {
  if (v === null || v === void 0) return [];
  if (isJavaArray(v)) return v.$data;
  return Array.from(v);
}
function makeArray(type, values) {
  if (!isPrimitive(type)) {
    const a = Array.from(values);
    a.$type = type;
    return a;
  }
  charge(TRANSITION_US * 2 + values.length * SIZES[type] / BYTES_PER_US, `Java.array(${type}, ${values.length})`);
  return javaArray(type, values);
}
function hexToBytes(hex2) {
  const out = new Array(hex2.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex2.substr(i * 2, 2), 16);
  return out;
}
function byteBuffer(fields) {
  const o = api2.makeObject("java.nio.ByteBuffer", fields);
  handles.set(String(o.$h), o);
  return o;
}
function bbBytes(o) {
  const f = o.fields;
  const n = f.limit - f.position;
  if (f.direct) return Array.from(new Uint8Array(f.memory.add(f.position).readByteArray(n)));
  return f.array.$data.slice(f.offset + f.position, f.offset + f.limit).map((x) => x & 255);
}
function bbFrom(bytes2, direct, readOnly) {
  if (direct) {
    const memory = Memory.alloc(Math.max(1, bytes2.length));
    if (bytes2.length) memory.writeByteArray(bytes2);
    return byteBuffer({ direct: true, memory, position: 0, limit: bytes2.length, readOnly: !!readOnly });
  }
  return byteBuffer({
    direct: false,
    array: javaArray("byte", bytes2),
    offset: 0,
    position: 0,
    limit: bytes2.length,
    readOnly: !!readOnly
  });
}
function byteBufferModel() {
  const unsupported = (what) => {
    throw new api2.JavaException("java.lang.UnsupportedOperationException", what);
  };
  return {
    statics: {
      wrap: (arr) => byteBuffer({ direct: false, array: arr, offset: 0, position: 0, limit: arr.length, readOnly: false }),
      allocateDirect: (n) => bbFrom(new Array(Number(n)).fill(0), true, false),
      allocate: (n) => bbFrom(new Array(Number(n)).fill(0), false, false)
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
        if (o.fields.readOnly) throw new api2.JavaException("java.nio.ReadOnlyBufferException", "");
        return o.fields.array;
      },
      arrayOffset: (o) => o.fields.direct || o.fields.readOnly ? unsupported("arrayOffset") : o.fields.offset,
      duplicate: (o) => byteBuffer({ ...o.fields }),
      asReadOnlyBuffer: (o) => byteBuffer({ ...o.fields, readOnly: true }),
      get: (o, dst) => {
        const n = dst.length;
        const src = bbBytes(o).slice(0, n);
        if (src.length < n) throw new api2.JavaException("java.nio.BufferUnderflowException", "");
        for (let i = 0; i < n; i++) dst.$data[i] = src[i] > 127 ? src[i] - 256 : src[i];
        o.fields.position += n;
        return o;
      },
      put: (o, src) => {
        if (o.fields.readOnly) throw new api2.JavaException("java.nio.ReadOnlyBufferException", "");
        const bytes2 = bbBytes(src);
        if (o.fields.direct) o.fields.memory.add(o.fields.position).writeByteArray(bytes2);
        else for (let i = 0; i < bytes2.length; i++) o.fields.array.$data[o.fields.offset + o.fields.position + i] = bytes2[i] > 127 ? bytes2[i] - 256 : bytes2[i];
        o.fields.position += bytes2.length;
        src.fields.position = src.fields.limit;
        return o;
      }
    }
  };
}
function lookup(handle) {
  const o = handles.get(String(handle));
  if (o === void 0) throw new Error(`sim-bridge: ${handle} is not a live JNI reference`);
  return o;
}
var env = {
  handle: ptr(1526726656),
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
    if (length > 0) buf.writeByteArray(a.$data.slice(start, start + length).map((x) => x & 255));
  },
  getDirectBufferAddress(h) {
    charge(TRANSITION_US, "GetDirectBufferAddress");
    const o = lookup(h);
    return o.fields && o.fields.direct ? o.fields.memory : NULL;
  },
  throwIfExceptionPending() {
  }
};
function jniEnv() {
  return env;
}
function decodeArrays(j, decode2) {
  if ("$array" in j && isPrimitive(j.$array)) {
    return javaArray(j.$array, j.hex !== void 0 ? hexToBytes(j.hex) : (j.items || []).map(decode2));
  }
  if ("$bytebuffer" in j) return bbFrom(hexToBytes(j.$bytebuffer), !!j.direct, !!j.readonly);
  return void 0;
}
function encodeArray(v, encode2) {
  return { $array: v.$t, items: v.$data.map(encode2) };
}
function installArrays(internals) {
  api2 = internals;
  api2.MODELS["java.nio.ByteBuffer"] = byteBufferModel();
  api2.MODELS["java.nio.HeapByteBuffer"] = api2.MODELS["java.nio.ByteBuffer"];
}

// node_modules/frida-java-bridge/apilevel.js
var RELEASES = {
  24: "7.0",
  25: "7.1.1",
  26: "8.0.0",
  27: "8.1.0",
  28: "9",
  29: "10",
  30: "11",
  31: "12",
  32: "12L",
  33: "13",
  34: "14",
  35: "15"
};
var api3 = 35;
var levels = /* @__PURE__ */ new Map();
function setApiLevel(level2, byOverload) {
  api3 = level2;
  levels = new Map(Object.entries(byOverload));
}
function apiLevel() {
  return api3;
}
function release() {
  return RELEASES[api3] || String(api3);
}
function refuseAboveLevel(cls, name, types) {
  const since = levels.get(`${cls}|${name}|${types.join(",")}`);
  if (since !== void 0 && since > api3) {
    throw new Error(`${cls}.${name}(): specified argument types do not match any of the overloads (the overload (${types.join(", ")}) exists from API ${since}; this device is API ${api3})`);
  }
}

// node_modules/frida-java-bridge/stacks.js
var WALK_US = 0.3;
var FILL_US = 1;
var TRACE_US = 4;
var FRAMES_US = 2;
var ids = /* @__PURE__ */ new WeakMap();
function chargeStack(what, n) {
  charge((what === "fill" ? FILL_US : TRACE_US) * n, what === "fill" ? "Throwable.fillInStackTrace" : "Log.getStackTraceString");
}
var ACC_NATIVE = 256;
function parse(f) {
  const open = f.indexOf("(");
  const head = open >= 0 ? f.slice(0, open) : f;
  const dot = head.lastIndexOf(".");
  const loc = open >= 0 ? f.slice(open + 1, -1) : "";
  const native2 = loc === "Native Method";
  const [fileName, line] = native2 ? ["", "-2"] : loc.split(":");
  return {
    signature: f,
    origin: "",
    className: head.slice(0, dot),
    methodName: head.slice(dot + 1),
    methodFlags: native2 ? ACC_NATIVE : 0,
    fileName: fileName === "Unknown Source" ? "" : fileName || "",
    lineNumber: line ? Number(line) : -1
  };
}
function backtrace(all2, limit) {
  const walked = all2.slice(0, limit);
  charge(WALK_US * walked.length, "Java.backtrace");
  let id = ids.get(all2);
  if (id === void 0 || id.limit !== limit) {
    id = { limit, text: Checksum.compute("sha1", walked.join("\n")) };
    ids.set(all2, id);
  }
  let frames = null;
  return {
    id: id.text,
    get frames() {
      if (frames === null) {
        charge(FRAMES_US * walked.length, "Java.backtrace frames");
        frames = walked.map(parse);
      }
      return frames;
    }
  };
}

// node_modules/frida-java-bridge/bootimage.js
var INLINED = {
  // "cls|member|types" of the callee -> "cls|member" of its boot-image caller
  "android.app.Activity|dispatchRequestPermissionsResult|int,android.content.Intent": "android.app.Activity|dispatchActivityResult"
};
var BOOT_DECLARED = {
  "android.app.Activity": {
    dispatchActivityResult: [
      ["java.lang.String", "int", "int", "android.content.Intent"],
      ["java.lang.String", "int", "int", "android.content.Intent", "java.lang.String"]
    ],
    dispatchRequestPermissionsResult: [["int", "android.content.Intent"]]
  }
};
var byHandle = /* @__PURE__ */ new Map();
var deoptimized = /* @__PURE__ */ new Set();
var bootImage = false;
var nextHandle2 = 1543503872;
var api4 = null;
function methodHandle(cls, member) {
  nextHandle2 += 16;
  const h = ptr(nextHandle2);
  byHandle.set(h.toString(), `${cls}|${member}`);
  return h;
}
function bootBypass(key) {
  const caller = INLINED[key];
  return caller !== void 0 && !bootImage && !deoptimized.has(caller);
}
function deoptimizeMethod(handle) {
  if (api4.apiLevel() < 24) throw new Error("This API is only available on Android >= 7.0");
  const m = byHandle.get(String(handle));
  if (m === void 0) throw new Error(`sim-bridge: ${handle} is not an ArtMethod`);
  deoptimized.add(m);
}
function deoptimizeBootImage() {
  if (api4.apiLevel() < 26) throw new Error("This API is only available on Android >= 8.0");
  bootImage = true;
}
function installBootImage(internals) {
  api4 = internals;
  internals.declareDefaults(BOOT_DECLARED);
}

// node_modules/frida-java-bridge/classloaders.js
var BOOT = new RegExp("^(android\\.(?!support\\.|arch\\.|databinding\\.)|java\\.|javax\\.|dalvik\\.|libcore\\.|sun\\.|org\\.json\\.|org\\.xml\\.|org\\.w3c\\.|org\\.xmlpull\\.|org\\.apache\\.http\\.|com\\.android\\.(internal|org|okhttp|i18n|icu|ims)\\.)");
var hidden = /* @__PURE__ */ new Set();
var factories = /* @__PURE__ */ new WeakMap();
var appReady = false;
var api5 = null;
var appLoader = null;
function isBoot(cls) {
  return BOOT.test(cls);
}
function visible(cls, loader) {
  if (isBoot(cls)) return true;
  const loads = loader !== null ? loader.$loads : void 0;
  if (Array.isArray(loads) && loads.includes(cls)) return true;
  if (hidden.has(cls)) return false;
  return appReady || loader !== null;
}
function notFound(cls, loader) {
  const where = loader === null ? appReady ? "the app's class loader" : "the boot class path (no app class loader yet)" : `${loader.$className}`;
  return new api5.JavaException("java.lang.ClassNotFoundException", `Didn't find class "${cls}" on path: ${where}`);
}
function missingClass(cls, loader) {
  return new Proxy({ $className: cls }, {
    get(t, p) {
      if (typeof p === "symbol" || p === "$className" || p === "then") return t[p];
      if (p === "toString") return () => `<class: ${cls}>`;
      throw notFound(cls, loader);
    }
  });
}
function useIn(loader, cls) {
  return visible(cls, loader) ? api5.classWrapper(cls) : missingClass(cls, loader);
}
var ClassFactory = class {
  constructor(loader) {
    this.loader = loader;
    this.cacheDir = "/data/local/tmp";
    this.tempFileNaming = { prefix: "frida", suffix: "" };
  }
  use(cls) {
    return useIn(this.loader === appLoader ? null : this.loader, cls);
  }
  cast(obj) {
    return obj;
  }
  retain(obj) {
    return obj;
  }
  choose(className2, cb) {
    cb.onComplete();
  }
};
var defaultFactory = new ClassFactory(null);
var ClassFactoryApi = {
  get(loader) {
    if (loader === null || loader === void 0) return defaultFactory;
    let f = factories.get(loader);
    if (f === void 0) {
      f = new ClassFactory(loader);
      factories.set(loader, f);
    }
    return f;
  }
};
function defaultClassFactory() {
  return defaultFactory;
}
function appLoaderReady() {
  if (appReady) return;
  appReady = true;
  appLoader = api5.makeObject("dalvik.system.PathClassLoader", {});
  defaultFactory.loader = appLoader;
}
function hideLoaded(classes) {
  for (const c of classes) hidden.add(c);
}
function attachLoads(obj, j) {
  if (Array.isArray(j.loads)) obj.$loads = j.loads.slice();
  return obj;
}
function installClassLoaders(internals) {
  api5 = internals;
}

// node_modules/frida-java-bridge/netcrypto.js
var api6 = null;
var lib = null;
function libc() {
  if (lib !== null) return lib;
  const g = (n) => Module.getGlobalExportByName(n);
  const sys = (n, r, a) => new SystemFunction(g(n), r, a);
  lib = {
    getaddrinfo: new NativeFunction(g("getaddrinfo"), "int", ["pointer", "pointer", "pointer", "pointer"]),
    freeaddrinfo: new NativeFunction(g("freeaddrinfo"), "void", ["pointer"]),
    socket: sys("socket", "int", ["int", "int", "int"]),
    connect: sys("connect", "int", ["int", "pointer", "int"]),
    send: sys("send", "int", ["int", "pointer", "int", "int"]),
    sendto: sys("sendto", "int", ["int", "pointer", "int", "int", "pointer", "int"]),
    sendmmsg: sys("sendmmsg", "int", ["int", "pointer", "uint", "int"]),
    recv: sys("recv", "int", ["int", "pointer", "int", "int"]),
    poll: sys("poll", "int", ["pointer", "int", "int"]),
    close: sys("close", "int", ["int"]),
    crypto: null
  };
  return lib;
}
function crypto() {
  const l = libc();
  if (l.crypto !== null) return l.crypto;
  let m = null;
  for (const name of ["libcrypto.so.3", "libcrypto.so", "libcrypto.so.1.1"]) {
    try {
      m = Module.load(name);
      break;
    } catch (e) {
    }
  }
  if (m === null) throw new Error("sim-bridge: no libcrypto in this system");
  const f = (n, r, a) => new NativeFunction(m.getExportByName(n), r, a);
  l.crypto = {
    digestByName: f("EVP_get_digestbyname", "pointer", ["pointer"]),
    cipherByName: f("EVP_get_cipherbyname", "pointer", ["pointer"]),
    digest: f("EVP_Digest", "int", ["pointer", "size_t", "pointer", "pointer", "pointer", "pointer"]),
    hmac: f("HMAC", "pointer", ["pointer", "pointer", "int", "pointer", "size_t", "pointer", "pointer"]),
    ctxNew: f("EVP_CIPHER_CTX_new", "pointer", []),
    ctxFree: f("EVP_CIPHER_CTX_free", "void", ["pointer"]),
    ctrl: f("EVP_CIPHER_CTX_ctrl", "int", ["pointer", "int", "int", "pointer"]),
    encInit: f("EVP_EncryptInit_ex", "int", ["pointer", "pointer", "pointer", "pointer", "pointer"]),
    encUpdate: f("EVP_EncryptUpdate", "int", ["pointer", "pointer", "pointer", "pointer", "int"]),
    encFinal: f("EVP_EncryptFinal_ex", "int", ["pointer", "pointer", "pointer"]),
    encodeBlock: f("EVP_EncodeBlock", "int", ["pointer", "pointer", "int"]),
    d2iPubkey: f("d2i_PUBKEY", "pointer", ["pointer", "pointer", "long"]),
    pkeyCtxNew: f("EVP_PKEY_CTX_new", "pointer", ["pointer", "pointer"]),
    pkeyCtxFree: f("EVP_PKEY_CTX_free", "void", ["pointer"]),
    pkeyFree: f("EVP_PKEY_free", "void", ["pointer"]),
    encryptInit: f("EVP_PKEY_encrypt_init", "int", ["pointer"]),
    pkeyEncrypt: f("EVP_PKEY_encrypt", "int", ["pointer", "pointer", "pointer", "pointer", "size_t"])
  };
  return l.crypto;
}
var tlsLib = null;
var tlsSessions = /* @__PURE__ */ new Map();
var tlsSeq = 0;
function tls() {
  if (tlsLib !== null) return tlsLib;
  let m = null;
  for (const name of ["libssl.so.3", "libssl.so", "libssl.so.1.1"]) {
    try {
      m = Module.load(name);
      break;
    } catch (e) {
    }
  }
  if (m === null) throw new Error("sim-bridge: no libssl in this system");
  const f = (n, r, a) => new NativeFunction(m.getExportByName(n), r, a);
  tlsLib = {
    method: f("TLS_client_method", "pointer", []),
    ctxNew: f("SSL_CTX_new", "pointer", ["pointer"]),
    ctxFree: f("SSL_CTX_free", "void", ["pointer"]),
    setVerify: f("SSL_CTX_set_verify", "void", ["pointer", "int", "pointer"]),
    sslNew: f("SSL_new", "pointer", ["pointer"]),
    sslFree: f("SSL_free", "void", ["pointer"]),
    setFd: f("SSL_set_fd", "int", ["pointer", "int"]),
    ctrl: f("SSL_ctrl", "long", ["pointer", "int", "long", "pointer"]),
    connect: f("SSL_connect", "int", ["pointer"]),
    write: f("SSL_write", "int", ["pointer", "pointer", "int"]),
    read: f("SSL_read", "int", ["pointer", "pointer", "int"]),
    shutdown: f("SSL_shutdown", "int", ["pointer"])
  };
  return tlsLib;
}
function toBuf(bytes2) {
  const b = Memory.alloc(Math.max(1, bytes2.length));
  b.writeByteArray(bytes2.map((x) => x & 255));
  return b;
}
function fromBuf(p, n) {
  const a = n > 0 ? Array.from(new Uint8Array(p.readByteArray(n))) : [];
  return javaBytes(a);
}
function javaBytes(a) {
  return javaArray("byte", a);
}
function hexBytes(hex2) {
  const a = [];
  for (let i = 0; i + 1 < hex2.length; i += 2) a.push(parseInt(hex2.slice(i, i + 2), 16));
  return a;
}
function toHex(p, n) {
  return Array.from(new Uint8Array(p.readByteArray(n))).map((x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
}
function plain(v) {
  return v ? elements(v).map((x) => x & 255) : [];
}
function digestOf(alg, data) {
  const c = crypto();
  const md = c.digestByName(Memory.allocUtf8String(alg.replace(/-/g, "").toUpperCase() === "SHA" ? "SHA1" : alg.replace(/-/g, "")));
  if (md.isNull()) throw new api6.JavaException("java.security.NoSuchAlgorithmException", alg);
  const out = Memory.alloc(64);
  const len = Memory.alloc(4);
  c.digest(toBuf(data), data.length, out, len, md, NULL);
  return fromBuf(out, len.readU32());
}
function hmacOf(alg, key, data) {
  const c = crypto();
  const mdName = alg.toLowerCase().replace(/^hmac/, "").replace(/-/g, "").toUpperCase();
  const md = c.digestByName(Memory.allocUtf8String(mdName));
  if (md.isNull()) throw new api6.JavaException("java.security.NoSuchAlgorithmException", alg);
  const out = Memory.alloc(64);
  const len = Memory.alloc(4);
  c.hmac(md, toBuf(key), key.length, toBuf(data), data.length, out, len);
  return fromBuf(out, len.readU32());
}
function rsaEncrypt(der, data) {
  const c = crypto();
  const pp = Memory.alloc(Process.pointerSize);
  const buf = toBuf(der);
  pp.writePointer(buf);
  const pkey = c.d2iPubkey(NULL, pp, der.length);
  if (pkey.isNull()) throw new api6.JavaException("java.security.InvalidKeyException", "not an X.509 public key");
  const ctx2 = c.pkeyCtxNew(pkey, NULL);
  try {
    c.encryptInit(ctx2);
    const outLen = Memory.alloc(8);
    outLen.writeU64(1024);
    const out = Memory.alloc(1024);
    if (c.pkeyEncrypt(ctx2, out, outLen, toBuf(data), data.length) <= 0) {
      throw new api6.JavaException("javax.crypto.IllegalBlockSizeException", "RSA encryption failed");
    }
    return javaBytes(Array.from(new Uint8Array(out.readByteArray(outLen.readU64().toNumber()))));
  } finally {
    c.pkeyCtxFree(ctx2);
    c.pkeyFree(pkey);
    void buf;
  }
}
function encrypt(alg, key, iv, data) {
  const c = crypto();
  const [name, mode2] = alg.split("/");
  if (name.toUpperCase() === "RSA") return rsaEncrypt(key, data);
  if (name.toUpperCase() !== "AES") throw new api6.JavaException("java.security.NoSuchAlgorithmException", alg);
  const m = (mode2 || "ECB").toLowerCase();
  const cipher = c.cipherByName(Memory.allocUtf8String(`aes-${key.length * 8}-${m}`));
  if (cipher.isNull()) throw new api6.JavaException("java.security.NoSuchAlgorithmException", alg);
  const ctx2 = c.ctxNew();
  try {
    c.encInit(ctx2, cipher, NULL, NULL, NULL);
    if (m === "gcm" && iv.length !== 12) c.ctrl(ctx2, 9, iv.length, NULL);
    c.encInit(ctx2, NULL, NULL, toBuf(key), iv.length ? toBuf(iv) : NULL);
    const out = Memory.alloc(data.length + 64);
    const n1 = Memory.alloc(4);
    const n2 = Memory.alloc(4);
    c.encUpdate(ctx2, out, n1, toBuf(data), data.length);
    const a = n1.readS32();
    c.encFinal(ctx2, out.add(a), n2);
    let bytes2 = Array.from(new Uint8Array(out.readByteArray(a + n2.readS32())));
    if (m === "gcm") {
      const tag = Memory.alloc(16);
      c.ctrl(ctx2, 16, 16, tag);
      bytes2 = bytes2.concat(Array.from(new Uint8Array(tag.readByteArray(16))));
    }
    return javaBytes(bytes2);
  } finally {
    c.ctxFree(ctx2);
  }
}
function base64(data) {
  const c = crypto();
  const out = Memory.alloc(4 * Math.ceil(data.length / 3) + 1);
  const n = c.encodeBlock(out, toBuf(data), data.length);
  return out.readUtf8String(n);
}
function utf8(s) {
  const t = unescape(encodeURIComponent(String(s)));
  return Array.from(t, (ch) => ch.charCodeAt(0));
}
function bytesArg(types, args) {
  if (types.length >= 3 && types[0] === "[B") return plain(args[0]).slice(args[1], args[1] + args[2]);
  if (types[0] === "[B") return plain(args[0]);
  if (types[0] === "byte") return [args[0] & 255];
  return [];
}
var DECLARED = {
  "java.security.MessageDigest": {
    getInstance: [["java.lang.String"]],
    update: [["[B"], ["[B", "int", "int"], ["byte"]],
    digest: [[], ["[B"]],
    getAlgorithm: [[]],
    reset: [[]]
  },
  "javax.crypto.Mac": {
    getInstance: [["java.lang.String"]],
    init: [["java.security.Key"]],
    update: [["[B"], ["[B", "int", "int"], ["byte"]],
    doFinal: [[], ["[B"]],
    getAlgorithm: [[]]
  },
  "javax.crypto.Cipher": {
    getInstance: [["java.lang.String"]],
    init: [["int", "java.security.Key"], ["int", "java.security.Key", "java.security.spec.AlgorithmParameterSpec"]],
    update: [["[B"], ["[B", "int", "int"]],
    doFinal: [[], ["[B"], ["[B", "int", "int"]],
    getAlgorithm: [[]]
  },
  "android.util.Base64": { encode: [["[B", "int"]], encodeToString: [["[B", "int"]] },
  "java.util.Base64$Encoder": { encode: [["[B"]], encodeToString: [["[B"]] }
};
function models() {
  const mk = api6.makeObject;
  const stat = (cls, fields) => mk(cls, fields);
  const pending = (o) => o.fields.buf || (o.fields.buf = []);
  return {
    "java.security.MessageDigest": {
      statics: { getInstance: (alg) => stat("java.security.MessageDigest", { algorithm: String(alg), buf: [] }) },
      methods: {
        update: (o, ...a) => {
          o.fields.buf = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : typeof a[0] === "number" ? ["byte"] : ["[B"], a));
        },
        digest: (o, ...a) => {
          const data = pending(o).concat(a.length ? plain(a[0]) : []);
          o.fields.buf = [];
          return digestOf(o.fields.algorithm, data);
        },
        getAlgorithm: (o) => o.fields.algorithm,
        reset: (o) => {
          o.fields.buf = [];
        }
      }
    },
    "javax.crypto.Mac": {
      statics: { getInstance: (alg) => stat("javax.crypto.Mac", { algorithm: String(alg), buf: [] }) },
      methods: {
        init: (o, key) => {
          o.fields.key = plain(key.getEncoded());
        },
        update: (o, ...a) => {
          o.fields.buf = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : typeof a[0] === "number" ? ["byte"] : ["[B"], a));
        },
        doFinal: (o, ...a) => {
          const data = pending(o).concat(a.length ? plain(a[0]) : []);
          o.fields.buf = [];
          return hmacOf(o.fields.algorithm, o.fields.key || [], data);
        },
        getAlgorithm: (o) => o.fields.algorithm
      }
    },
    "javax.crypto.Cipher": {
      statics: { getInstance: (alg) => stat("javax.crypto.Cipher", { algorithm: String(alg), buf: [] }) },
      methods: {
        init: (o, mode2, key, spec) => {
          o.fields.key = plain(key.getEncoded());
          o.fields.iv = spec ? plain(spec.getIV()) : [];
          o.fields.buf = [];
        },
        update: (o, ...a) => {
          o.fields.buf = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : ["[B"], a));
          return javaBytes([]);
        },
        doFinal: (o, ...a) => {
          const data = pending(o).concat(bytesArg(a.length >= 3 ? ["[B", "int", "int"] : ["[B"], a));
          o.fields.buf = [];
          return encrypt(o.fields.algorithm, o.fields.key || [], o.fields.iv || [], data);
        },
        getAlgorithm: (o) => o.fields.algorithm
      }
    },
    "android.util.Base64": {
      statics: {
        encodeToString: (b) => base64(plain(b)),
        encode: (b) => javaBytes(utf8(base64(plain(b))))
      }
    },
    "java.util.Base64$Encoder": {
      methods: {
        encodeToString: (o, b) => base64(plain(b)),
        encode: (o, b) => javaBytes(utf8(base64(plain(b))))
      }
    }
  };
}
function resolveArg(v, results) {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    if ("$bytes" in v) return javaBytes(hexBytes(v.$bytes));
    if ("$ref" in v) return results[v.$ref];
  }
  return api6.decode(v);
}
function sockaddr(ip, port) {
  const sa = Memory.alloc(16);
  sa.writeU16(2);
  sa.add(2).writeU8(port >> 8 & 255);
  sa.add(3).writeU8(port & 255);
  sa.add(4).writeByteArray(ip.split(".").map(Number));
  return sa;
}
function netOp(op, results) {
  const l = libc();
  const ref = (v) => v !== null && typeof v === "object" && "$ref" in v ? results[v.$ref] : v;
  switch (op.op) {
    case "resolve": {
      const hints = Memory.alloc(64);
      hints.add(4).writeS32(2);
      const res = Memory.alloc(Process.pointerSize);
      const rc = l.getaddrinfo(Memory.allocUtf8String(op.host), NULL, hints, res);
      if (rc !== 0) return { value: null, errno: rc };
      const ai = res.readPointer();
      const addr = ai.add(Process.pointerSize === 8 ? 24 : 20).readPointer();
      const b = new Uint8Array(addr.add(4).readByteArray(4));
      l.freeaddrinfo(ai);
      return { value: `${b[0]}.${b[1]}.${b[2]}.${b[3]}`, errno: 0 };
    }
    case "socket": {
      const r = l.socket(2, op.proto === "udp" ? 2 : 1, 0);
      return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
    }
    case "connect": {
      const r = l.connect(ref(op.fd), sockaddr(ref(op.ip), op.port), 16);
      return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
    }
    case "send": {
      const data = hexBytes(op.hex);
      const buf = toBuf(data);
      let sent = 0;
      while (sent < data.length) {
        const r = l.send(
          ref(op.fd),
          buf.add(sent),
          data.length - sent,
          16384
          /* MSG_NOSIGNAL */
        );
        if (r.value < 0) return { value: sent, errno: r.errno };
        sent += r.value;
      }
      return { value: sent, errno: 0 };
    }
    case "sendto": {
      const data = hexBytes(op.hex);
      const r = l.sendto(ref(op.fd), toBuf(data), data.length, 0, sockaddr(ref(op.ip), op.port), 16);
      return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
    }
    case "sendmmsg": {
      const ps = Process.pointerSize;
      const entry = ps === 8 ? 64 : 32;
      const data = hexBytes(op.hex);
      const buf = toBuf(data);
      const iov = Memory.alloc(2 * ps);
      iov.writePointer(buf);
      iov.add(ps).writeULong(data.length);
      const vec = Memory.alloc(entry * op.to.length);
      const keep2 = [];
      op.to.forEach((d, i) => {
        const m = vec.add(i * entry);
        const sa = sockaddr(ref(d.ip), d.port);
        keep2.push(sa);
        m.writePointer(sa);
        m.add(ps).writeU32(16);
        m.add(2 * ps).writePointer(iov);
        m.add(3 * ps).writeULong(1);
      });
      const r = l.sendmmsg(ref(op.fd), vec, op.to.length, 0);
      return { value: r.value, errno: r.value < 0 ? r.errno : 0 };
    }
    case "recv": {
      const fd = ref(op.fd);
      const max = op.max || 65536;
      const buf = Memory.alloc(max);
      const pfd = Memory.alloc(8);
      const deadline = Date.now() + (op.timeout_ms || 2e3);
      let hex2 = "";
      while (Date.now() < deadline && hex2.length / 2 < max) {
        pfd.writeS32(fd);
        pfd.add(4).writeS16(1);
        pfd.add(6).writeS16(0);
        const p = l.poll(pfd, 1, Math.max(1, deadline - Date.now()));
        if (p.value <= 0) break;
        const r = l.recv(fd, buf, max - hex2.length / 2, 0);
        if (r.value <= 0) break;
        hex2 += toHex(buf, r.value);
        if (!op.until || hex2.includes(op.until)) break;
      }
      return { value: hex2, errno: 0 };
    }
    case "tls": {
      const t = tls();
      const ctx2 = t.ctxNew(t.method());
      t.setVerify(ctx2, op.verify ? 1 : 0, NULL);
      const ssl = t.sslNew(ctx2);
      t.setFd(ssl, ref(op.fd));
      const sni = Memory.allocUtf8String(op.sni);
      t.ctrl(ssl, 55, 0, sni);
      const rc = t.connect(ssl);
      const id = ++tlsSeq;
      tlsSessions.set(id, { ssl, ctx: ctx2, sni });
      return { value: rc === 1 ? id : -id, errno: rc === 1 ? 0 : 1 };
    }
    case "tls_write": {
      const sess = tlsSessions.get(Math.abs(ref(op.tls)));
      const data = hexBytes(op.hex);
      const buf = toBuf(data);
      const n = tls().write(sess.ssl, buf, data.length);
      return { value: n, errno: n > 0 ? 0 : 1 };
    }
    case "tls_read": {
      const sess = tlsSessions.get(Math.abs(ref(op.tls)));
      const max = op.max || 65536;
      const buf = Memory.alloc(max);
      let hex2 = "";
      while (hex2.length / 2 < max) {
        const n = tls().read(sess.ssl, buf, max - hex2.length / 2);
        if (n <= 0) break;
        hex2 += toHex(buf, n);
        if (!op.until || hex2.includes(op.until)) break;
      }
      return { value: hex2, errno: 0 };
    }
    case "tls_close": {
      const id = Math.abs(ref(op.tls));
      const sess = tlsSessions.get(id);
      if (sess !== void 0) {
        const t = tls();
        t.shutdown(sess.ssl);
        t.sslFree(sess.ssl);
        t.ctxFree(sess.ctx);
        tlsSessions.delete(id);
      }
      return { value: 0, errno: 0 };
    }
    case "close":
      l.close(ref(op.fd));
      return { value: 0, errno: 0 };
    default:
      throw new Error(`sim-bridge: unknown net op ${op.op}`);
  }
}
function inContext(req, fn) {
  api6.setCtx({ key: null, frames: req.stack || [], thread: req.thread || "main", throws: null, retValue: null });
  try {
    return fn();
  } finally {
    api6.setCtx(null);
  }
}
var netCryptoExports = {
  // native SDK code hashing/encrypting through the app's crypto library, no Java class involved
  simNativeCrypto(req) {
    return inContext(req, () => {
      const data = hexBytes(req.hex);
      if (req.op === "digest") {
        const c = crypto();
        const md = c.digestByName(Memory.allocUtf8String(req.alg));
        const out = Memory.alloc(64);
        const len = Memory.alloc(4);
        c.digest(toBuf(data), data.length, out, len, md, NULL);
        return toHex(out, len.readU32());
      }
      const key = hexBytes(req.key);
      const enc = encrypt(req.alg, key, hexBytes(req.iv || ""), data);
      return elements(enc).map((x) => ((x & 255) < 16 ? "0" : "") + (x & 255).toString(16)).join("");
    });
  },
  simNet(req) {
    return inContext(req, () => {
      const results = [];
      const out = [];
      for (const op of req.ops) {
        const r = netOp(op, results);
        results.push(r.value);
        out.push(r);
        if (r.errno !== 0 || r.value === null || typeof r.value === "number" && r.value < 0) break;
      }
      return out;
    });
  },
  simRun(req) {
    return inContext(req, () => {
      const results = [];
      for (const op of req.ops) {
        const args = (op.args || []).map((a) => resolveArg(a, results));
        let r;
        if (op.new) {
          r = api6.classWrapper(op.cls).$new(...args);
        } else {
          const m = api6.makeMethod(op.cls, op.member, op.types || []);
          const self = op.self ? resolveArg(op.self, results) : api6.classWrapper(op.cls);
          r = m.apply(self, args);
        }
        results.push(r);
      }
      return results.map((r) => api6.encode(r));
    });
  }
};
function installNetCrypto(internals) {
  api6 = internals;
  try {
    crypto();
  } catch (e) {
  }
  Object.assign(api6.MODELS, models());
  api6.declareDefaults(DECLARED);
  api6.MODELS["javax.crypto.spec.SecretKeySpec"] = {
    $new: (key, alg) => api6.makeObject("javax.crypto.spec.SecretKeySpec", { encoded: key, algorithm: String(alg) })
  };
  api6.MODELS["java.security.spec.X509EncodedKeySpec"] = {
    $new: (der) => api6.makeObject("java.security.spec.X509EncodedKeySpec", { encoded: der })
  };
  api6.MODELS["java.security.KeyFactory"] = {
    statics: { getInstance: (alg) => api6.makeObject("java.security.KeyFactory", { algorithm: String(alg) }) },
    methods: {
      generatePublic: (o, spec) => api6.makeObject(
        "java.security.PublicKey",
        { encoded: spec.getEncoded(), algorithm: o.fields.algorithm }
      )
    }
  };
  api6.MODELS["javax.crypto.spec.IvParameterSpec"] = {
    $new: (iv) => api6.makeObject("javax.crypto.spec.IvParameterSpec", { iV: iv })
  };
  api6.MODELS["javax.crypto.spec.GCMParameterSpec"] = {
    $new: (tlen, iv) => api6.makeObject("javax.crypto.spec.GCMParameterSpec", { tLen: tlen, iV: iv })
  };
}

// node_modules/frida-java-bridge/native.js
var native = { root: null, libs: /* @__PURE__ */ new Map(), keep: [], replaced: [] };
var DEVICE_ROOTS = ["/sys/", "/proc/net/", "/proc/cpuinfo", "/sdcard/", "/storage/", "/system/bin/"];
function mapPath(p) {
  if (p.isNull()) return p;
  const s = p.readUtf8String();
  if (!DEVICE_ROOTS.some((r) => s.startsWith(r))) return p;
  const m = Memory.allocUtf8String(native.root + s);
  native.keep.push(m);
  if (native.keep.length > 256) native.keep.splice(0, 128);
  return m;
}
function redirect(symbol, ret, argTypes, index) {
  const addr = Module.getGlobalExportByName(symbol);
  const orig = new NativeFunction(addr, ret, argTypes);
  const cb = new NativeCallback(function(...args) {
    args[index] = mapPath(args[index]);
    return orig(...args);
  }, ret, argTypes);
  Interceptor.replace(addr, cb);
  native.keep.push(cb);
  native.replaced.push(addr);
}
function deviceIoctl(mac) {
  const addr = Module.getGlobalExportByName("ioctl");
  const orig = new NativeFunction(addr, "int", ["int", "ulong", "pointer"]);
  const bytes2 = mac.split(":").map((h) => parseInt(h, 16));
  const cb = new NativeCallback(function(fd, req, arg) {
    if (Number(req) === 35111) {
      arg.add(16).writeU16(1);
      arg.add(18).writeByteArray(bytes2);
      return 0;
    }
    return orig(fd, req, arg);
  }, "int", ["int", "ulong", "pointer"]);
  Interceptor.replace(addr, cb);
  native.keep.push(cb);
  native.replaced.push(addr);
}
function noSymbol(symbol, ret, argTypes) {
  const addr = Module.findGlobalExportByName(symbol);
  if (addr === null) return;
  const errno = new NativeFunction(Module.getGlobalExportByName("__errno_location"), "pointer", []);
  const cb = new NativeCallback(function() {
    errno().writeS32(38);
    return -1;
  }, ret, argTypes);
  Interceptor.replace(addr, cb);
  native.keep.push(cb);
  native.replaced.push(addr);
}
function sdkLib(name) {
  let m = native.libs.get(name);
  if (m === void 0) {
    m = Module.load(`${native.root}/lib/${name}`);
    native.libs.set(name, m);
  }
  return m;
}
var prepare = null;
var invokePrepared = null;
var apiLevel2 = () => 35;
var setCtx = null;
function installNative(deps) {
  ({ prepare, invokePrepared, apiLevel: apiLevel2, setCtx } = deps);
  const { simExports: simExports2 } = deps;
  Object.assign(simExports2, {
    simNativeSetup(cfg) {
      native.root = cfg.sandbox;
      const props = Module.load(cfg.props_lib);
      new NativeFunction(props.getExportByName("sg_props_file"), "void", ["pointer"])(Memory.allocUtf8String(cfg.props_file));
      if (cfg.redirect === false) return true;
      redirect("open", "int", ["pointer", "int", "int"], 0);
      redirect("openat", "int", ["int", "pointer", "int", "int"], 1);
      redirect("fopen", "pointer", ["pointer", "pointer"], 0);
      redirect("access", "int", ["pointer", "int"], 0);
      redirect("stat", "int", ["pointer", "pointer"], 0);
      redirect("readlink", "long", ["pointer", "pointer", "ulong"], 0);
      redirect("__open_2", "int", ["pointer", "int"], 0);
      redirect("__openat_2", "int", ["int", "pointer", "int"], 1);
      redirect("faccessat", "int", ["int", "pointer", "int", "int"], 1);
      redirect("lstat", "int", ["pointer", "pointer"], 0);
      redirect("fstatat", "int", ["int", "pointer", "pointer", "int"], 1);
      redirect("posix_spawn", "int", ["pointer", "pointer", "pointer", "pointer", "pointer", "pointer"], 1);
      deviceIoctl(cfg.mac);
      if (apiLevel2() < 30) noSymbol("memfd_create", "int", ["pointer", "uint"]);
      return true;
    },
    simNativeTeardown() {
      for (const a of native.replaced) Interceptor.revert(a);
      native.replaced = [];
      Interceptor.flush();
      return true;
    },
    simJni(req, libName) {
      const m = sdkLib(libName);
      const p = prepare(req);
      let out = null;
      let error = null;
      const cb = new NativeCallback(() => {
        try {
          out = invokePrepared(p, false);
        } catch (e) {
          error = e;
        }
      }, "void", []);
      new NativeFunction(m.getExportByName("sg_jni_call"), "int", ["pointer"])(cb);
      if (error !== null) throw error;
      return out;
    },
    simNative(req) {
      setCtx(req.stack ? { key: null, frames: req.stack, thread: req.thread || "main", throws: null, retValue: null } : null);
      try {
        const m = sdkLib(req.lib);
        const out = Memory.alloc(4096);
        const s = (x) => Memory.allocUtf8String(String(x));
        let r;
        if (req.op === "file") {
          r = new NativeFunction(m.getExportByName("sg_file"), "int", ["pointer", "pointer", "pointer", "int"])(s(req.call), s(req.arg), out, 4096);
        } else if (req.op === "property") {
          r = new NativeFunction(m.getExportByName("sg_property"), "int", ["pointer", "pointer", "pointer", "int"])(s(req.call), s(req.arg), out, 4096);
        } else if (req.op === "ioctl") {
          r = new NativeFunction(m.getExportByName("sg_ioctl_hwaddr"), "int", ["pointer", "pointer", "int"])(s(req.arg), out, 4096);
        } else if (req.op === "getifaddrs") {
          r = new NativeFunction(m.getExportByName("sg_getifaddrs"), "int", ["pointer", "int"])(out, 4096);
        } else if (req.op === "netlink") {
          r = new NativeFunction(m.getExportByName("sg_netlink_getlink"), "int", [])();
        } else if (req.op === "exec") {
          r = new NativeFunction(m.getExportByName("sg_exec"), "int", ["pointer", "pointer", "int"])(s(req.arg), out, 4096);
        } else if (req.op === "bench_open" || req.op === "bench_open_raw" || req.op === "bench_connect") {
          const f = { bench_open: "sg_bench_open", bench_open_raw: "sg_bench_open_raw", bench_connect: "sg_bench_connect" }[req.op];
          return { ret: new NativeFunction(m.getExportByName(f), "double", ["pointer", "int"])(s(req.arg), req.count), out: null };
        } else {
          throw new Error(`sim-bridge: unknown native op ${req.op}`);
        }
        return { ret: r, out: r >= 0 ? out.readUtf8String() : null };
      } finally {
        setCtx(null);
      }
    }
  });
}

// node_modules/frida-java-bridge/index.js
var methods = /* @__PURE__ */ new Map();
var declared = /* @__PURE__ */ new Map();
var staticFields = /* @__PURE__ */ new Map();
var wrappers = /* @__PURE__ */ new Map();
var ctx = null;
var hashSeq = 4096;
var JavaException = class extends Error {
  constructor(cls, msg) {
    super(msg ? `${cls}: ${msg}` : cls);
    this.$className = cls;
  }
};
var SimObject = class {
  constructor(cls, fields, returns) {
    this.$className = cls;
    this.fields = fields || {};
    this.returns = returns || {};
    this.$h = ++hashSeq;
    this.$members = void 0;
  }
  toString() {
    const m = MODELS[this.$className];
    if (m && m.toString) return m.toString(this);
    if ("toString" in this.returns) return decode(this.returns.toString);
    if ("value" in this.fields && typeof this.fields.value === "string") return this.fields.value;
    return `${this.$className}@${this.$h.toString(16)}`;
  }
  $dispose() {
  }
};
var SimList = class extends SimObject {
  constructor(items) {
    super("java.util.ArrayList");
    this.items = items || [];
  }
};
function cap(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
function callInstance(obj, name, args) {
  for (let c = obj.$className; c !== null && c !== void 0; c = superOf(c)) {
    const model = MODELS[c];
    if (model && model.methods && name in model.methods) return model.methods[name](obj, ...args);
  }
  if (obj instanceof SimList && name in LIST_METHODS) return LIST_METHODS[name](obj, ...args);
  if (name in obj.returns) return decode(obj.returns[name]);
  if (name.startsWith("set") && args.length === 1) {
    obj.fields[cap(name.slice(3))] = args[0];
    return void 0;
  }
  if (name.startsWith("get") && args.length === 0 && cap(name.slice(3)) in obj.fields) return obj.fields[cap(name.slice(3))];
  if (name.startsWith("is") && args.length === 0 && cap(name.slice(2)) in obj.fields) return obj.fields[cap(name.slice(2))];
  if (name === "toString") return obj.toString();
  if (name === "hashCode") return obj.$h;
  if (name === "equals") return obj === args[0];
  throw new JavaException("java.lang.NoSuchMethodError", `${obj.$className}.${name}`);
}
function instanceMember(obj, name) {
  if (obj.$members === void 0) obj.$members = /* @__PURE__ */ new Map();
  const cached = obj.$members.get(name);
  if (cached !== void 0) return cached;
  const d = function(...args) {
    return callInstance(obj, name, args);
  };
  d.overload = () => d;
  Object.defineProperty(d, "value", {
    get: () => obj.fields[name],
    set: (v) => {
      obj.fields[name] = v;
    }
  });
  obj.$members.set(name, d);
  return d;
}
var RAW = Symbol("sim-raw");
function wrapObject(o) {
  return new Proxy(o, {
    get(t, p) {
      if (p === RAW) return t;
      if (typeof p === "symbol" || p in t) return t[p];
      return instanceMember(t, p);
    }
  });
}
function raw(o) {
  return o !== null && o !== void 0 && (typeof o === "object" || typeof o === "function") && o[RAW] !== void 0 ? o[RAW] : o;
}
function typed(o, cls) {
  const t = raw(o);
  if (!(t instanceof SimObject)) return o;
  const m = members(cls);
  if (m === null) return wrapObject(t);
  return new Proxy(t, {
    get(target, p) {
      if (p === RAW) return target;
      if (typeof p === "symbol" || p in target) return target[p];
      if (m.methods.has(p) || m.fields.has(p)) return instanceMember(target, p);
      return void 0;
    }
  });
}
function resolveVirtual(cls, member, types, self) {
  const t = raw(self);
  if (!(t instanceof SimObject) || t.$className === cls) return methodKey(cls, member, types);
  for (let c = t.$className; c !== null && c !== void 0 && c !== cls; c = superOf(c)) {
    const key = methodKey(c, member, types);
    const byMember = declared.get(c);
    if (methods.has(key) || byMember !== void 0 && byMember.has(member)) return key;
  }
  return methodKey(cls, member, types);
}
var LIST_METHODS = {
  size: (l) => l.items.length,
  get: (l, i) => l.items[i],
  add: (l, x) => {
    l.items.push(x);
    return true;
  },
  isEmpty: (l) => l.items.length === 0,
  toArray: (l) => l.items.slice()
};
function makeObject(cls, fields, returns) {
  return wrapObject(new SimObject(cls, fields, returns));
}
function makeList(items) {
  return wrapObject(new SimList(items));
}
function stackText(frames) {
  chargeStack("trace", frames.length);
  return "java.lang.Throwable\n" + frames.map((f) => `	at ${f}`).join("\n") + "\n";
}
var threads = /* @__PURE__ */ new Map();
function threadObject(name) {
  let t = threads.get(name);
  if (t === void 0) {
    t = makeObject("java.lang.Thread", { name });
    threads.set(name, t);
  }
  return t;
}
function newThrowable() {
  chargeStack("fill", ctx ? ctx.frames.length : 0);
  const t = makeObject("java.lang.Throwable");
  t.fields.frames = ctx ? ctx.frames : [];
  return t;
}
var MODELS = {
  "java.lang.Thread": {
    statics: {
      currentThread: () => threadObject(ctx ? ctx.thread : "main")
    }
  },
  "java.lang.Throwable": { $new: newThrowable },
  "java.lang.Exception": { $new: newThrowable },
  "android.util.Log": {
    statics: {
      getStackTraceString: (t) => t ? stackText(t.fields.frames || []) : ""
    }
  },
  "java.lang.String": {
    $new: (s) => makeObject("java.lang.String", { value: String(s) }),
    toString: (o) => o.fields.value,
    statics: { valueOf: (x) => String(x) }
  },
  "java.util.ArrayList": {
    $new: (c) => makeList(c instanceof SimList ? c.items.slice() : Array.isArray(c) ? c.slice() : [])
  },
  "android.content.ClipData": {
    statics: {
      newPlainText: (label, text) => makeObject("android.content.ClipData", {
        label: String(label),
        items: [makeObject("android.content.ClipData$Item", { text: String(text) })]
      })
    },
    methods: {
      getItemCount: (o) => o.fields.items.length,
      getItemAt: (o, i) => o.fields.items[i]
    }
  },
  "android.location.Location": {
    $new: (provider) => makeObject("android.location.Location", { provider: String(provider) })
  },
  "java.lang.Class": {
    statics: {
      // the simulated app's classes are the ones it defined (classes.js); the loader argument is the
      // app's (the stand-in has one class path); anything else: ClassNotFoundException, as on ART
      forName: (name) => {
        if (superOf(String(name)) === void 0) throw new JavaException("java.lang.ClassNotFoundException", String(name));
        return makeObject("java.lang.Class", { name: String(name) });
      }
    },
    methods: {
      getName: (o) => o.fields.name,
      isAssignableFrom: (o, other) => isSubclass(raw(other).fields.name, o.fields.name) === true,
      isInstance: (o, x) => x !== null && isSubclass(raw(x).$className, o.fields.name) === true,
      getModifiers: (o) => modifiersOf(o.fields.name),
      isInterface: (o) => (modifiersOf(o.fields.name) & ACC_INTERFACE) !== 0,
      getInterfaces: (o) => {
        const a = interfacesOf(o.fields.name).map((n) => makeObject("java.lang.Class", { name: n }));
        a.$type = "[Ljava.lang.Class;";
        return a;
      },
      getSuperclass: (o) => {
        const s = superOf(o.fields.name);
        return s === null || s === void 0 ? null : makeObject("java.lang.Class", { name: s });
      }
    }
  }
};
function methodKey(cls, member, types) {
  return `${cls}|${member}|${types.join(",")}`;
}
function makeMethod(cls, member, types) {
  const key = methodKey(cls, member, types);
  const existing = methods.get(key);
  if (existing !== void 0) return existing;
  const m = function(...args) {
    if (m.implementation !== null && m._depth === 0) {
      m._depth++;
      try {
        return m.implementation.apply(this, args);
      } finally {
        m._depth--;
      }
    }
    return original(m, this, args);
  };
  m._depth = 0;
  m._key = key;
  let impl = null;
  Object.defineProperty(m, "implementation", {
    get: () => impl,
    set: (fn) => {
      if (fn !== null) {
        const refused = abstractRefusal(cls, member) ?? abstractDeclared(cls, member);
        if (refused !== null) throw refused;
      }
      impl = fn;
    }
  });
  m._cls = cls;
  m.methodName = member;
  m.holder = classWrapper(cls);
  m.type = 3;
  m.handle = methodHandle(cls, member);
  m.argumentTypes = types.map((t) => ({ name: t, className: t }));
  m.returnType = { name: "java.lang.Object", className: "java.lang.Object" };
  m.canInvokeWith = (...args) => args.length === types.length;
  m.isAbstract = abstractRefusal(cls, member) !== null || abstractDeclared(cls, member) !== null;
  methods.set(key, m);
  return m;
}
function original(m, self, args) {
  if (ctx !== null && ctx.key === m._key) {
    if (ctx.throws) throw new JavaException(ctx.throws, "simulated");
    return ctx.retValue;
  }
  if (self instanceof SimObject) {
    return callInstance(self, m.methodName, args);
  }
  const model = MODELS[m._cls];
  if (model && model.statics && m.methodName in model.statics) return model.statics[m.methodName](...args);
  return void 0;
}
function declaredOverloads(cls, member) {
  const byMember = declared.get(cls);
  const list = byMember ? byMember.get(member) : void 0;
  if (list !== void 0) return list.map((types) => makeMethod(cls, member, types));
  const prefix = `${cls}|${member}|`;
  return [...methods.values()].filter((m) => m._key.startsWith(prefix));
}
var staticMembers = /* @__PURE__ */ new Map();
function staticMember(cls, name) {
  const cacheKey = `${cls}|${name}`;
  let cached = staticMembers.get(cacheKey);
  if (cached === void 0) {
    cached = makeStaticMember(cls, name);
    staticMembers.set(cacheKey, cached);
  }
  return cached;
}
function makeStaticMember(cls, name) {
  const model = MODELS[cls];
  const d = function(...args) {
    if (model && model.statics && name in model.statics) return model.statics[name](...args);
    const ovs = declaredOverloads(cls, name).filter((m) => m.canInvokeWith(...args));
    if (ovs.length > 0) return ovs[0].apply(classWrapper(cls), args);
    throw new JavaException("java.lang.NoSuchMethodError", `${cls}.${name}`);
  };
  d.overload = (...types) => {
    refuseAboveLevel(cls, name, types);
    return makeMethod(cls, name, types);
  };
  Object.defineProperty(d, "overloads", { get: () => declaredOverloads(cls, name) });
  Object.defineProperty(d, "implementation", {
    get: () => {
      const ovs = declaredOverloads(cls, name);
      return ovs.length === 1 ? ovs[0].implementation : null;
    },
    set: (fn) => {
      const ovs = declaredOverloads(cls, name);
      if (ovs.length !== 1) throw new Error(`${cls}.${name}(): has ${ovs.length} overloads, use .overload(<signature>)`);
      ovs[0].implementation = fn;
    }
  });
  Object.defineProperty(d, "value", {
    get: () => staticFields.get(`${cls}|${name}`),
    set: (v) => {
      staticFields.set(`${cls}|${name}`, v);
    }
  });
  return d;
}
function classWrapper(cls) {
  let w = wrappers.get(cls);
  if (w !== void 0) return w;
  const model = MODELS[cls];
  const target = {
    $className: cls,
    $new: (...args) => model && model.$new ? model.$new(...args) : makeObject(cls, {}),
    $alloc: () => makeObject(cls, {}),
    $dispose() {
    },
    toString: () => `<class: ${cls}>`
  };
  w = new Proxy(target, {
    get(t, p) {
      if (typeof p === "symbol" || p in t) return t[p];
      if (p === "class") return makeObject("java.lang.Class", { name: cls });
      return staticMember(cls, p);
    }
  });
  wrappers.set(cls, w);
  return w;
}
function decode(j) {
  if (j === null || j === void 0) return null;
  if (typeof j !== "object") return j;
  if (Array.isArray(j)) return j.map(decode);
  const special = decodeArrays(j, decode);
  if (special !== void 0) return special;
  if ("$array" in j) {
    const a = (j.items || []).map(decode);
    a.$type = j.$array;
    return a;
  }
  if ("$list" in j) return makeList(j.$list.map(decode));
  if ("$obj" in j) {
    if (typeof j.super === "string" && superOf(j.$obj) === void 0) defineClass(j.$obj, { super: j.super });
    const fields = {};
    for (const [k, v] of Object.entries(j.fields || {})) fields[k] = decode(v);
    return attachLoads(makeObject(j.$obj, fields, j.returns || {}), j);
  }
  if ("$class" in j) return classWrapper(j.$class);
  throw new Error(`sim-bridge: cannot decode ${JSON.stringify(j)}`);
}
function encode(v) {
  if (v === null || v === void 0) return null;
  if (typeof v !== "object" && typeof v !== "function") return v;
  if (isJavaArray(v)) return encodeArray(v, encode);
  if (Array.isArray(v)) return { $array: v.$type || null, items: v.map(encode) };
  if (v instanceof SimList) return { $list: v.items.map(encode) };
  if (v instanceof SimObject) {
    if (v.$className === "java.lang.String") return v.fields.value;
    const fields = {};
    for (const [k, x] of Object.entries(v.fields)) if (k !== "frames") fields[k] = encode(x);
    return { $obj: v.$className, fields };
  }
  if (typeof v.$className === "string") return { $class: v.$className };
  return String(v);
}
function prepare2(req) {
  const types = req.types || [];
  return {
    key: methodKey(req.cls, req.member, types),
    member: req.member,
    types,
    frames: [`${req.cls}.${req.member}(Native Method)`].concat(req.stack || []),
    thread: req.thread || "main",
    throws: req.throws || null,
    retJson: req.ret === void 0 ? null : req.ret,
    cls: req.cls,
    selfJson: req.self === void 0 ? null : req.self,
    argsJson: req.args || []
  };
}
function invokePrepared2(p, reuse) {
  ctx = {
    key: p.key,
    frames: p.frames,
    thread: p.thread,
    throws: p.throws,
    retValue: decode(p.retJson)
  };
  try {
    let self = reuse ? p.self : void 0;
    if (self === void 0) {
      self = p.selfJson !== null ? decode(p.selfJson) : classWrapper(p.cls);
      if (reuse) p.self = self;
    }
    ctx.key = resolveVirtual(p.cls, p.member, p.types, self);
    if (ctx.key !== p.key) {
      const impl = ctx.key.slice(0, ctx.key.indexOf("|"));
      ctx.frames = [`${impl}.${p.member}(Native Method)`].concat(p.frames.slice(1));
    }
    const m = methods.get(ctx.key);
    let args = p.argsJson.map(decode);
    const hooked2 = m !== void 0 && m.implementation !== null && !bootBypass(ctx.key);
    if (hooked2) {
      if (p.selfJson !== null) self = typed(self, m._cls);
      args = args.map((a, i) => typed(a, p.types[i]));
    }
    try {
      const r = hooked2 ? m.apply(self, args) : original({ _key: ctx.key }, self, args);
      return { hooked: hooked2, ret: encode(r), cost_us: ctx.cost || 0 };
    } catch (e) {
      if (e instanceof JavaException || e && typeof e.$className === "string") return { hooked: hooked2, threw: e.$className, cost_us: ctx.cost || 0 };
      throw e;
    }
  } finally {
    ctx = null;
  }
}
var simExports = {
  simInvoke(req) {
    return invokePrepared2(prepare2(req), false);
  },
  simInvokeMany(req, count) {
    const p = prepare2(req);
    let hooked2 = 0;
    let cost = 0;
    for (let i = 0; i < count; i++) {
      const r = invokePrepared2(p, true);
      if (r.hooked) hooked2++;
      cost += r.cost_us || 0;
    }
    return { calls: count, hooked: hooked2, cost_us: cost };
  },
  simDefine(defs) {
    for (const [cls, members2] of Object.entries(defs)) {
      let byMember = declared.get(cls);
      if (byMember === void 0) {
        byMember = /* @__PURE__ */ new Map();
        declared.set(cls, byMember);
      }
      for (const [member, overloads] of Object.entries(members2)) byMember.set(member, overloads);
    }
    return true;
  },
  simDefineClass(name, spec) {
    defineClass(name, spec);
    if (spec.methods) simExports.simDefine({ [name]: spec.methods });
    return true;
  },
  simSetField(cls, name, value) {
    staticFields.set(`${cls}|${name}`, decode(value));
    return true;
  },
  simField(cls, name) {
    return encode(staticFields.get(`${cls}|${name}`));
  },
  simRefuses(cls, member) {
    const r = abstractRefusal(cls, member);
    return r === null ? null : r.message;
  },
  simTryHook(cls, member, types) {
    const ov = classWrapper(cls)[member].overload(...types);
    try {
      ov.implementation = function(...args) {
        return ov.call(this, ...args);
      };
    } catch (e) {
      return String(e);
    }
    ov.implementation = null;
    return null;
  },
  simWrapped(selfJson, cls, names2) {
    const o = typed(decode(selfJson), cls);
    return names2.filter((n) => typeof o[n] === "function");
  },
  simApiLevel(api7, levels2) {
    setApiLevel(api7, levels2);
    staticFields.set("android.os.Build$VERSION|SDK_INT", api7);
    staticFields.set("android.os.Build$VERSION|RELEASE", release());
    return true;
  },
  simLoadedClasses(classes) {
    hideLoaded(classes);
    return true;
  },
  simHooks() {
    return [...methods.values()].filter((m) => m.implementation !== null).map((m) => m._key);
  },
  simCrash() {
    const exit = new NativeFunction(Module.getGlobalExportByName("_exit"), "void", ["int"]);
    setTimeout(() => exit(134), 0);
    return true;
  }
};
installNative({ simExports, prepare: prepare2, invokePrepared: invokePrepared2, apiLevel, setCtx: (c) => {
  ctx = c;
} });
function ensureExports() {
  Object.assign(rpc.exports, simExports, netCryptoExports, inputExports);
}
function declareDefaults(defs) {
  for (const [cls, members2] of Object.entries(defs)) {
    let byMember = declared.get(cls);
    if (byMember === void 0) {
      byMember = /* @__PURE__ */ new Map();
      declared.set(cls, byMember);
    }
    for (const [member, overloads] of Object.entries(members2)) if (!byMember.has(member)) byMember.set(member, overloads);
  }
}
installArrays({ getCtx: () => ctx, MODELS, makeObject, JavaException });
installClassLoaders({ classWrapper, makeObject, JavaException });
installBootImage({ declareDefaults, apiLevel });
installNetCrypto({
  MODELS,
  declared,
  declareDefaults,
  makeObject,
  makeMethod,
  classWrapper,
  decode,
  encode,
  JavaException,
  setCtx: (c) => {
    ctx = c;
  }
});
installInput({ MODELS, makeObject, makeList, decode, raw, staticFields, JavaException, declare: simExports.simDefine });
ensureExports();
var Java = {
  available: true,
  get androidVersion() {
    return release();
  },
  ACC_PUBLIC: 1,
  ACC_PRIVATE: 2,
  ACC_PROTECTED: 4,
  ACC_STATIC: 8,
  ACC_FINAL: 16,
  ACC_SYNCHRONIZED: 32,
  ACC_BRIDGE: 64,
  ACC_VARARGS: 128,
  ACC_NATIVE: 256,
  ACC_ABSTRACT: 1024,
  ACC_STRICT: 2048,
  ACC_SYNTHETIC: 4096,
  perform(fn) {
    ensureExports();
    appLoaderReady();
    fn();
  },
  performNow(fn) {
    ensureExports();
    fn();
  },
  use(name) {
    return useIn(null, name);
  },
  array(type, elements2) {
    return makeArray(type, elements2);
  },
  cast(obj, klass) {
    const t = raw(obj);
    const target = klass.$className;
    const from = t instanceof SimObject ? t.$className : target;
    if (from !== target && isSubclass(from, target) !== true) {
      throw new Error(`Cast from '${from}' to '${target}' isn't possible`);
    }
    return typed(t, target);
  },
  retain(obj) {
    return obj;
  },
  synchronized(obj, fn) {
    fn();
  },
  scheduleOnMainThread(fn) {
    fn();
  },
  isMainThread() {
    return (ctx ? ctx.thread : "main") === "main";
  },
  backtrace(options) {
    return backtrace(ctx ? ctx.frames : [], options && options.limit ? options.limit : 16);
  },
  enumerateLoadedClassesSync() {
    return [...declared.keys()];
  },
  enumerateLoadedClasses(cb) {
    for (const c of declared.keys()) cb.onMatch(c, ptr(0));
    cb.onComplete();
  },
  enumerateClassLoadersSync() {
    return [];
  },
  enumerateClassLoaders(cb) {
    cb.onComplete();
  },
  enumerateMethods(query) {
    const m = /^([^!]+)!([^/]+)(?:\/([sium]+))?$/.exec(query);
    if (m === null) throw new Error("Invalid query; format is: class!method -- see documentation of Java.enumerateMethods(query) for details");
    const glob = (g) => new RegExp("^" + g.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
    const cq = glob(m[1]);
    const mq = glob(m[2]);
    const classes = [];
    for (const name of loadedClasses()) {
      if (!cq.test(name)) continue;
      const byMember = declared.get(name);
      const names2 = byMember === void 0 ? [] : [...byMember.keys()].filter((x) => mq.test(x));
      if (names2.length > 0) classes.push({ name, methods: names2 });
    }
    return classes.length > 0 ? [{ loader: null, classes }] : [];
  },
  choose(className2, cb) {
    cb.onComplete();
  },
  openClassFile() {
    throw new Error("sim-bridge: openClassFile is not simulated");
  },
  registerClass() {
    throw new Error("sim-bridge: registerClass is not simulated");
  },
  deoptimizeEverything() {
  },
  deoptimizeBootImage() {
    deoptimizeBootImage();
  },
  deoptimizeMethod(handle) {
    deoptimizeMethod(handle);
  },
  vm: {
    perform(fn) {
      fn();
    },
    getEnv() {
      return jniEnv();
    },
    tryGetEnv() {
      return ctx !== null ? {} : null;
    }
  },
  get classFactory() {
    return defaultClassFactory();
  },
  ClassFactory: ClassFactoryApi
};
var frida_java_bridge_default = Java;

// src/clock.ts
var CLOCK_MONOTONIC = 1;
function makeRaw() {
  try {
    const fn = new NativeFunction(Module.getGlobalExportByName("clock_gettime"), "int", ["int", "pointer"]);
    const ts = Memory.alloc(Process.pointerSize * 2);
    const nsecAt = ts.add(Process.pointerSize);
    return () => {
      fn(CLOCK_MONOTONIC, ts);
      return ts.readU32() * 1e3 + nsecAt.readU32() / 1e6;
    };
  } catch (e) {
    return () => Date.now();
  }
}
var raw2 = makeRaw();
var T0 = raw2();
function startMs() {
  return T0;
}
function nowMs() {
  return Math.round((raw2() - T0) * 1e3) / 1e3;
}

// src/arrays.ts
var EMPTY = new Uint8Array(0);
function javaBytes2(arr, off = 0, len = -1, cap2 = Number.MAX_SAFE_INTEGER) {
  if (arr === null || arr === void 0)
    return EMPTY;
  const n = Number(arr.length);
  if (!Number.isFinite(n) || n <= 0)
    return EMPTY;
  const start = Math.max(0, Math.min(n, Number(off) || 0));
  const end = len < 0 ? n : Math.min(n, start + Number(len));
  const count = Math.min(end - start, cap2);
  if (count <= 0)
    return EMPTY;
  if (Array.isArray(arr) || arr instanceof Uint8Array || arr instanceof Int8Array) {
    return Uint8Array.from(Array.prototype.slice.call(arr, start, start + count), (x) => x & 255);
  }
  const env2 = frida_java_bridge_default.vm.getEnv();
  const buf = Memory.alloc(count);
  env2.getByteArrayRegion(arr.$h, start, count, buf);
  env2.throwIfExceptionPending();
  return new Uint8Array(buf.readByteArray(count));
}
function bufferBytes(buf, cap2) {
  const size = Number(buf.remaining());
  if (size > cap2)
    return { size, bytes: null };
  if (size === 0)
    return { size, bytes: EMPTY };
  const pos = Number(buf.position());
  if (buf.isDirect()) {
    const addr2 = frida_java_bridge_default.vm.getEnv().getDirectBufferAddress(buf.$h);
    if (!addr2.isNull())
      return { size, bytes: new Uint8Array(addr2.add(pos).readByteArray(size)) };
  }
  if (buf.hasArray()) {
    return { size, bytes: javaBytes2(buf.array(), Number(buf.arrayOffset()) + pos, size) };
  }
  const direct = frida_java_bridge_default.use("java.nio.ByteBuffer").allocateDirect(size);
  direct.put(buf.duplicate());
  const addr = frida_java_bridge_default.vm.getEnv().getDirectBufferAddress(direct.$h);
  return { size, bytes: new Uint8Array(addr.readByteArray(size)) };
}
function javaInts(arr) {
  if (arr === null || arr === void 0)
    return [];
  if (Array.isArray(arr))
    return arr.map(Number);
  return arr.toJSON().map(Number);
}

// src/device.ts
var level = null;
function apiLevel3() {
  if (level !== null)
    return level;
  level = 0;
  try {
    if (frida_java_bridge_default.available)
      frida_java_bridge_default.performNow(() => {
        level = Number(frida_java_bridge_default.use("android.os.Build$VERSION").SDK_INT.value) || 0;
      });
  } catch (e) {
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
    }
  }
  return level;
}
function notOnThisLevel(id, what, since) {
  return `${id}: ${what} exists from API ${since}; this device is API ${apiLevel3()}: not on this API level`;
}

// src/deopt.ts
var BOOT_CALLERS = {
  "perm.activity.dispatchRequestPermissionsResult": [["android.app.Activity", "dispatchActivityResult"]]
};
var bootImageDone = false;
function deoptimizeCallers(id, report3) {
  const callers = BOOT_CALLERS[id];
  if (callers === void 0)
    return;
  const names2 = callers.map(([c, m]) => `${c.split(".").pop()}.${m}`).join(", ");
  const problems = [];
  if (apiLevel3() === 0 || apiLevel3() >= 26) {
    try {
      if (!bootImageDone)
        frida_java_bridge_default.deoptimizeBootImage();
      bootImageDone = true;
      report3.limits.push(`${id}: called from boot-image code (${names2}): the boot image is deoptimised so the hook runs`);
      return;
    } catch (e) {
      problems.push(`boot image: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (apiLevel3() !== 0 && apiLevel3() < 30) {
    try {
      const deopt = frida_java_bridge_default.deoptimizeMethod;
      if (deopt === void 0)
        throw new Error("this bridge has no Java.deoptimizeMethod");
      for (const [cls, member] of callers) {
        for (const ov of frida_java_bridge_default.use(cls)[member].overloads)
          deopt.call(frida_java_bridge_default, ov.handle);
      }
      report3.limits.push(`${id}: called from boot-image code (${names2}): that caller is deoptimised so the hook runs`);
      return;
    } catch (e) {
      problems.push(`per-method deoptimisation: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  report3.limits.push(`${id}: not hooked: called from boot-image code (${names2}) that could not be deoptimised (${problems.join("; ")}): not observable on this device`);
}

// src/java.ts
var PRIMITIVES = {
  Z: "boolean",
  B: "byte",
  C: "char",
  S: "short",
  I: "int",
  J: "long",
  F: "float",
  D: "double",
  V: "void"
};
function splitDescriptor(desc) {
  const close = desc.indexOf(")");
  const inner2 = desc.startsWith("(") ? desc.slice(1, close) : "";
  const params = [];
  let i = 0;
  while (i < inner2.length) {
    let j = i;
    while (inner2[j] === "[")
      j++;
    if (inner2[j] === "L")
      j = inner2.indexOf(";", j);
    params.push(inner2.slice(i, j + 1));
    i = j + 1;
  }
  return { params, ret: close >= 0 ? desc.slice(close + 1) : desc };
}
function fridaType(t) {
  if (t.startsWith("["))
    return t.replace(/\//g, ".");
  if (t.startsWith("L"))
    return t.slice(1, -1).replace(/\//g, ".");
  return PRIMITIVES[t] ?? t;
}
function overloadTypes(desc) {
  return splitDescriptor(desc).params.map(fridaType);
}
var Log = null;
var Throwable = null;
var JThread = null;
var frameCache = /* @__PURE__ */ new Map();
var mode = "backtrace";
function initJava(stackMode) {
  Log = frida_java_bridge_default.use("android.util.Log");
  Throwable = frida_java_bridge_default.use("java.lang.Throwable");
  JThread = frida_java_bridge_default.use("java.lang.Thread");
  if (stackMode === "throwable")
    mode = "throwable";
}
var ACC_NATIVE2 = 256;
function frameText(f) {
  const loc = (f.methodFlags & ACC_NATIVE2) !== 0 ? "Native Method" : f.fileName ? f.lineNumber >= 0 ? `${f.fileName}:${f.lineNumber}` : f.fileName : "Unknown Source";
  return `${f.className}.${f.methodName}(${loc})`;
}
function javaStack(limit) {
  if (mode === "backtrace") {
    try {
      const bt = frida_java_bridge_default.backtrace({ limit });
      const key = "bt:" + bt.id;
      let frames2 = frameCache.get(key);
      if (frames2 === void 0) {
        frames2 = bt.frames.map(frameText);
        if (frameCache.size > 4096)
          frameCache.clear();
        frameCache.set(key, frames2);
      }
      return { key, frames: frames2 };
    } catch (e) {
      mode = "throwable";
    }
  }
  const t = Throwable.$new();
  const text = String(Log.getStackTraceString(t));
  let frames = frameCache.get(text);
  if (frames === void 0) {
    frames = [];
    for (const line of text.split("\n")) {
      const s = line.trim();
      if (s.startsWith("at ")) {
        frames.push(s.slice(3));
        if (frames.length >= limit)
          break;
      }
    }
    if (frameCache.size > 4096)
      frameCache.clear();
    frameCache.set(text, frames);
  }
  return { key: text, frames };
}
function threadName() {
  try {
    return String(JThread.currentThread().getName());
  } catch (e) {
    return "?";
  }
}

// src/jnicaller.ts
var SYSTEM = /^\/(system|apex|vendor|odm|product|usr|lib|lib64|bin|sbin)\//;
var SCAN_BYTES = 256 * 1024;
var CHUNK = 16 * 1024;
var grabbed = NULL;
var grab = null;
var callGrab = null;
var appLibs = null;
function isAppLib(m) {
  return !SYSTEM.test(m.path) && !/frida/i.test(m.path) && !/frida/i.test(m.name);
}
function nativeCallers() {
  if (grab === null) {
    grab = new NativeCallback(function() {
      grabbed = this.context.sp;
    }, "void", []);
    callGrab = new NativeFunction(grab, "void", []);
    appLibs = new ModuleMap(isAppLib);
  }
  callGrab();
  const map = appLibs;
  map.update();
  const mods = map.values().map((m) => ({ name: m.name, lo: Number(m.base), hi: Number(m.base.add(m.size)) }));
  if (mods.length === 0)
    return [];
  const out = [];
  const start = grabbed.and(ptr(~7));
  for (let at = 0; at < SCAN_BYTES && out.length < 8; at += CHUNK) {
    let buf;
    try {
      buf = start.add(at).readByteArray(CHUNK);
    } catch (e) {
      break;
    }
    if (buf === null)
      break;
    const words = new DataView(buf);
    for (let off = 0; off + 8 <= CHUNK && out.length < 8; off += 8) {
      const v = words.getUint32(off + 4, true) * 4294967296 + words.getUint32(off, true);
      for (const m of mods) {
        if (v >= m.lo && v < m.hi) {
          if (!out.includes(m.name))
            out.push(m.name);
          break;
        }
      }
    }
  }
  return out;
}

// src/queue.ts
var EventQueue = class {
  opts;
  events = [];
  stacks = [];
  stackIndex = /* @__PURE__ */ new Map();
  nextSeq = 0;
  spanStart = 0;
  droppedSpan = 0;
  droppedTotal = 0;
  batches = 0;
  queued = 0;
  timer = null;
  constructor(opts) {
    this.opts = opts;
  }
  /** Queue one event (its stack given as a cache key plus parsed frames); counts a drop when full. */
  push(ev, stackKey, frames) {
    const seq = this.nextSeq++;
    if (this.events.length >= this.opts.queueMax) {
      this.droppedSpan++;
      this.droppedTotal++;
      this.arm();
      return;
    }
    ev.seq = seq;
    if (stackKey !== null && frames !== null) {
      let idx = this.stackIndex.get(stackKey);
      if (idx === void 0) {
        idx = this.stacks.length;
        this.stacks.push(frames);
        this.stackIndex.set(stackKey, idx);
      }
      ev.st = idx;
    }
    this.events.push(ev);
    this.queued++;
    if (this.events.length >= this.opts.batchMax) {
      this.flush();
    } else {
      this.arm();
    }
  }
  arm() {
    if (this.timer !== null)
      return;
    if (this.opts.flushMs <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.opts.flushMs);
  }
  flush() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.events.length === 0 && this.droppedSpan === 0)
      return;
    send({
      type: "batch",
      first_seq: this.spanStart,
      next_seq: this.nextSeq,
      dropped: this.droppedSpan,
      dropped_total: this.droppedTotal,
      stacks: this.stacks,
      events: this.events
    });
    this.batches++;
    this.spanStart = this.nextSeq;
    this.droppedSpan = 0;
    this.events = [];
    this.stacks = [];
    this.stackIndex = /* @__PURE__ */ new Map();
  }
  stats() {
    return { next_seq: this.nextSeq, queued: this.queued, batches: this.batches, dropped: this.droppedTotal };
  }
};

// src/emit.ts
var state = {
  queue: new EventQueue({ batchMax: 200, flushMs: 50, queueMax: 1e5 }),
  stackLimit: 64,
  errors: 0
};
function capture(withJava = true) {
  const c = {
    t: nowMs(),
    thread: withJava ? threadName() : `native:${Process.getCurrentThreadId()}`,
    key: null,
    frames: null
  };
  if (withJava)
    try {
      const s = javaStack(state.stackLimit);
      c.key = s.key;
      c.frames = s.frames;
      if (calledFromNative(s.frames)) {
        const libs = nativeCallers();
        if (libs.length > 0)
          c.nativeLibs = libs;
      }
    } catch (e) {
      c.stackError = String(e);
    }
  return c;
}
function emitCaptured(kind, fields, c) {
  const ev = { kind, t: c.t, thread: c.thread };
  Object.assign(ev, fields);
  if (c.stackError !== void 0)
    ev.stack_error = c.stackError;
  if (kind === "read" && c.nativeLibs !== void 0 && ev.native_stack === void 0) {
    ev.native_stack = c.nativeLibs;
    ev.native_caller = c.nativeLibs[0];
  }
  state.queue.push(ev, c.key, c.frames);
}
function emit(kind, fields, withJava = true) {
  emitCaptured(kind, fields, capture(withJava));
}
function calledFromNative(frames) {
  if (frames.length <= 1)
    return true;
  return frames[1].endsWith("(Native Method)") && !frames[1].startsWith("java.lang.reflect.");
}
var depth = /* @__PURE__ */ new Map();
function enter() {
  const tid = Process.getCurrentThreadId();
  const d = depth.get(tid) ?? 0;
  depth.set(tid, d + 1);
  return d === 0 ? tid : -tid - 1;
}
function javaDepth() {
  return depth.get(Process.getCurrentThreadId()) ?? 0;
}
function leave(token) {
  const tid = token < 0 ? -token - 1 : token;
  const d = (depth.get(tid) ?? 1) - 1;
  if (d <= 0)
    depth.delete(tid);
  else
    depth.set(tid, d);
}
function hookError(where, e) {
  state.errors++;
  if (state.errors <= 20) {
    send({ type: "status", status: "error", t: nowMs(), detail: `${where}: ${e instanceof Error ? e.message : String(e)}` });
  }
}

// src/canary.ts
function macBytes(mac) {
  return mac.split(":").map((h) => {
    const b = parseInt(h, 16);
    return b > 127 ? b - 256 : b;
  });
}
function plant(member, ret, value, original2) {
  switch (ret) {
    case "Ljava/lang/String;":
      return value;
    case "[B":
      return frida_java_bridge_default.array("byte", macBytes(value));
    case "Ljava/lang/CharSequence;":
      return frida_java_bridge_default.use("java.lang.String").$new(value);
    case "Landroid/content/ClipData;":
      return frida_java_bridge_default.use("android.content.ClipData").newPlainText("sdkgate", value);
    case "Landroid/location/Location;": {
      const [lat, lon] = value.split(",").map(Number);
      const loc = frida_java_bridge_default.use("android.location.Location").$new("gps");
      loc.setLatitude(lat);
      loc.setLongitude(lon);
      loc.setAccuracy(12);
      loc.setTime(Date.now());
      return loc;
    }
    case "Ljava/util/List;": {
      const ArrayList = frida_java_bridge_default.use("java.util.ArrayList");
      const list = original2 === null || original2 === void 0 ? ArrayList.$new() : ArrayList.$new(original2);
      let extra;
      if (member === "getInstalledApplications") {
        extra = frida_java_bridge_default.use("android.content.pm.ApplicationInfo").$new();
      } else {
        extra = frida_java_bridge_default.use("android.content.pm.PackageInfo").$new();
      }
      extra.packageName.value = value;
      list.add(extra);
      return list;
    }
    default:
      return void 0;
  }
}

// src/redact.ts
function mask(s) {
  if (s.length < 6)
    return "*".repeat(s.length);
  return "*".repeat(s.length - 2) + s.slice(-2);
}
function className(v) {
  try {
    const c = v.$className;
    return typeof c === "string" ? c : null;
  } catch (e) {
    return null;
  }
}
function summarize(v) {
  if (v === null || v === void 0)
    return null;
  switch (typeof v) {
    case "string":
      return { t: "String", len: v.length, mask: mask(v) };
    case "number":
    case "boolean":
      return v;
    case "object": {
      const c = className(v);
      if (c === "java.lang.String") {
        const s = String(v);
        return { t: "String", len: s.length, mask: mask(s) };
      }
      if (c !== null)
        return { t: c };
      const len = v.length;
      if (typeof len === "number")
        return { t: "array", len };
      return { t: "object" };
    }
    default:
      return { t: typeof v };
  }
}

// src/table.generated.ts
var API_TABLE = [
  {
    "api": [
      1,
      1
    ],
    "arg_filter": null,
    "canary": "device_id.imei",
    "category": "device_id.imei",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;",
      "(I)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getDeviceId",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getDeviceId",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;",
      "Landroid/telephony/TelephonyManager;->getDeviceId(I)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      26,
      26
    ],
    "arg_filter": null,
    "canary": "device_id.imei",
    "category": "device_id.imei",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;",
      "(I)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getImei",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getImei",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getImei()Ljava/lang/String;",
      "Landroid/telephony/TelephonyManager;->getImei(I)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      26,
      26
    ],
    "arg_filter": null,
    "canary": "device_id.meid",
    "category": "device_id.meid",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;",
      "(I)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getMeid",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getMeid",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getMeid()Ljava/lang/String;",
      "Landroid/telephony/TelephonyManager;->getMeid(I)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": null,
    "canary": "device_id.imsi",
    "category": "device_id.imsi",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;",
      "(I)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getSubscriberId",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getSubscriberId",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;",
      "Landroid/telephony/TelephonyManager;->getSubscriberId(I)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": null,
    "canary": "device_id.iccid",
    "category": "device_id.iccid",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;",
      "(I)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getSimSerialNumber",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getSimSerialNumber",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getSimSerialNumber()Ljava/lang/String;",
      "Landroid/telephony/TelephonyManager;->getSimSerialNumber(I)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": null,
    "canary": "device_id.phone_number",
    "category": "device_id.phone_number",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;",
      "(I)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getLine1Number",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getLine1Number",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getLine1Number()Ljava/lang/String;",
      "Landroid/telephony/TelephonyManager;->getLine1Number(I)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "network.carrier",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getSimOperator",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getSimOperator",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getSimOperator()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "network.carrier",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "telephony.getNetworkOperator",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getNetworkOperator",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getNetworkOperator()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "location",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Landroid/telephony/CellLocation;"
    ],
    "hook_class": null,
    "id": "telephony.getCellLocation",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getCellLocation",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getCellLocation()Landroid/telephony/CellLocation;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "location",
    "cls": "android.telephony.TelephonyManager",
    "descriptors": [
      "()Ljava/util/List;"
    ],
    "hook_class": null,
    "id": "telephony.getAllCellInfo",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getAllCellInfo",
    "patterns": [],
    "smali": [
      "Landroid/telephony/TelephonyManager;->getAllCellInfo()Ljava/util/List;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "equals": [
        "android_id"
      ],
      "index": 1
    },
    "canary": "device_id.android_id",
    "category": "device_id.android_id",
    "cls": "android.provider.Settings$Secure",
    "descriptors": [
      "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "settings.secure.getString",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getString",
    "patterns": [],
    "smali": [
      "Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "equals": [
        "android_id"
      ],
      "index": 1
    },
    "canary": "device_id.android_id",
    "category": "device_id.android_id",
    "cls": "android.provider.Settings$System",
    "descriptors": [
      "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "settings.system.getString",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getString",
    "patterns": [],
    "smali": [
      "Landroid/provider/Settings$System;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      26
    ],
    "arg_filter": null,
    "canary": "device_id.serial",
    "category": "device_id.serial",
    "cls": "android.os.Build",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "build.getSerial",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getSerial",
    "patterns": [],
    "smali": [
      "Landroid/os/Build;->getSerial()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.serial",
    "category": "device_id.serial",
    "cls": "android.os.Build",
    "descriptors": [
      "Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "build.SERIAL",
    "iface": null,
    "impl_only": false,
    "kind": "field",
    "member": "SERIAL",
    "patterns": [],
    "smali": [
      "Landroid/os/Build;->SERIAL:Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.mac",
    "category": "device_id.mac",
    "cls": "android.net.wifi.WifiInfo",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "wifiinfo.getMacAddress",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getMacAddress",
    "patterns": [],
    "smali": [
      "Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "network.wifi",
    "cls": "android.net.wifi.WifiInfo",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "wifiinfo.getSSID",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getSSID",
    "patterns": [],
    "smali": [
      "Landroid/net/wifi/WifiInfo;->getSSID()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "network.wifi",
    "cls": "android.net.wifi.WifiInfo",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "wifiinfo.getBSSID",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getBSSID",
    "patterns": [],
    "smali": [
      "Landroid/net/wifi/WifiInfo;->getBSSID()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "network.ip",
    "cls": "android.net.wifi.WifiInfo",
    "descriptors": [
      "()I"
    ],
    "hook_class": null,
    "id": "wifiinfo.getIpAddress",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getIpAddress",
    "patterns": [],
    "smali": [
      "Landroid/net/wifi/WifiInfo;->getIpAddress()I"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "network.wifi",
    "cls": "android.net.wifi.WifiManager",
    "descriptors": [
      "()Landroid/net/wifi/WifiInfo;"
    ],
    "hook_class": null,
    "id": "wifimanager.getConnectionInfo",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getConnectionInfo",
    "patterns": [],
    "smali": [
      "Landroid/net/wifi/WifiManager;->getConnectionInfo()Landroid/net/wifi/WifiInfo;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "network.wifi",
    "cls": "android.net.wifi.WifiManager",
    "descriptors": [
      "()Ljava/util/List;"
    ],
    "hook_class": null,
    "id": "wifimanager.getScanResults",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getScanResults",
    "patterns": [],
    "smali": [
      "Landroid/net/wifi/WifiManager;->getScanResults()Ljava/util/List;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.mac",
    "category": "device_id.mac",
    "cls": "java.net.NetworkInterface",
    "descriptors": [
      "()[B"
    ],
    "hook_class": null,
    "id": "networkinterface.getHardwareAddress",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getHardwareAddress",
    "patterns": [],
    "smali": [
      "Ljava/net/NetworkInterface;->getHardwareAddress()[B"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.mac",
    "category": "device_id.mac",
    "cls": "android.bluetooth.BluetoothAdapter",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "bluetooth.getAddress",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getAddress",
    "patterns": [],
    "smali": [
      "Landroid/bluetooth/BluetoothAdapter;->getAddress()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.gaid",
    "category": "device_id.gaid",
    "cls": "com.google.android.gms.ads.identifier.AdvertisingIdClient$Info",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "gms.adid.getId",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getId",
    "patterns": [],
    "smali": [
      "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient$Info;->getId()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.gaid",
    "cls": "com.google.android.gms.ads.identifier.AdvertisingIdClient",
    "descriptors": [
      "(Landroid/content/Context;)Lcom/google/android/gms/ads/identifier/AdvertisingIdClient$Info;"
    ],
    "hook_class": null,
    "id": "gms.adid.getAdvertisingIdInfo",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getAdvertisingIdInfo",
    "patterns": [],
    "smali": [
      "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;->getAdvertisingIdInfo(Landroid/content/Context;)Lcom/google/android/gms/ads/identifier/AdvertisingIdClient$Info;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "com.huawei.hms.ads.identifier.AdvertisingIdClient",
    "descriptors": [
      "(Landroid/content/Context;)Lcom/huawei/hms/ads/identifier/AdvertisingIdClient$Info;"
    ],
    "hook_class": null,
    "id": "hms.adid.getAdvertisingIdInfo",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getAdvertisingIdInfo",
    "patterns": [],
    "smali": [
      "Lcom/huawei/hms/ads/identifier/AdvertisingIdClient;->getAdvertisingIdInfo(Landroid/content/Context;)Lcom/huawei/hms/ads/identifier/AdvertisingIdClient$Info;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.oaid",
    "category": "device_id.oaid",
    "cls": "com.huawei.hms.ads.identifier.AdvertisingIdClient$Info",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "hms.adid.getId",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getId",
    "patterns": [],
    "smali": [
      "Lcom/huawei/hms/ads/identifier/AdvertisingIdClient$Info;->getId()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.oaid",
    "category": "device_id.oaid",
    "cls": "com.bun.miitmdid.interfaces.IdSupplier",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "msa.IdSupplier.getOAID",
    "iface": "com.bun.miitmdid.interfaces.IdSupplier",
    "impl_only": true,
    "kind": "method",
    "member": "getOAID",
    "patterns": [],
    "smali": [
      "Lcom/bun/miitmdid/interfaces/IdSupplier;->getOAID()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.oaid",
    "category": "device_id.oaid",
    "cls": "com.bun.supplier.IdSupplier",
    "descriptors": [
      "()Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "msa.supplier.IdSupplier.getOAID",
    "iface": "com.bun.supplier.IdSupplier",
    "impl_only": true,
    "kind": "method",
    "member": "getOAID",
    "patterns": [],
    "smali": [
      "Lcom/bun/supplier/IdSupplier;->getOAID()Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "device_id.oaid",
    "category": "device_id.oaid",
    "cls": "com.android.id.impl.IdProviderImpl",
    "descriptors": [
      "(Landroid/content/Context;)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "xiaomi.IdProvider.getOAID",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getOAID",
    "patterns": [],
    "smali": [
      "Lcom/android/id/impl/IdProviderImpl;->getOAID(Landroid/content/Context;)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "clipboard",
    "category": "clipboard",
    "cls": "android.content.ClipboardManager",
    "descriptors": [
      "()Landroid/content/ClipData;"
    ],
    "hook_class": null,
    "id": "clipboard.getPrimaryClip",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getPrimaryClip",
    "patterns": [],
    "smali": [
      "Landroid/content/ClipboardManager;->getPrimaryClip()Landroid/content/ClipData;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "clipboard",
    "cls": "android.content.ClipboardManager",
    "descriptors": [
      "()Landroid/content/ClipDescription;"
    ],
    "hook_class": null,
    "id": "clipboard.getPrimaryClipDescription",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getPrimaryClipDescription",
    "patterns": [],
    "smali": [
      "Landroid/content/ClipboardManager;->getPrimaryClipDescription()Landroid/content/ClipDescription;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "clipboard",
    "cls": "android.content.ClipboardManager",
    "descriptors": [
      "()Z"
    ],
    "hook_class": null,
    "id": "clipboard.hasPrimaryClip",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "hasPrimaryClip",
    "patterns": [],
    "smali": [
      "Landroid/content/ClipboardManager;->hasPrimaryClip()Z"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "clipboard",
    "category": "clipboard",
    "cls": "android.content.ClipboardManager",
    "descriptors": [
      "()Ljava/lang/CharSequence;"
    ],
    "hook_class": null,
    "id": "clipboard.getText",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getText",
    "patterns": [],
    "smali": [
      "Landroid/content/ClipboardManager;->getText()Ljava/lang/CharSequence;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "clipboard",
    "cls": "android.content.ClipboardManager",
    "descriptors": [
      "(Landroid/content/ClipboardManager$OnPrimaryClipChangedListener;)V"
    ],
    "hook_class": null,
    "id": "clipboard.addPrimaryClipChangedListener",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "addPrimaryClipChangedListener",
    "patterns": [],
    "smali": [
      "Landroid/content/ClipboardManager;->addPrimaryClipChangedListener(Landroid/content/ClipboardManager$OnPrimaryClipChangedListener;)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "clipboard",
    "category": "clipboard",
    "cls": "android.content.ClipboardManager",
    "descriptors": [
      "()Ljava/lang/CharSequence;"
    ],
    "hook_class": "android.content.ClipboardManager",
    "id": "textclipboard.getText",
    "iface": "android.text.ClipboardManager",
    "impl_only": false,
    "kind": "method",
    "member": "getText",
    "patterns": [],
    "smali": [
      "Landroid/text/ClipboardManager;->getText()Ljava/lang/CharSequence;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "clipboard",
    "cls": "android.content.ClipboardManager",
    "descriptors": [
      "()Z"
    ],
    "hook_class": "android.content.ClipboardManager",
    "id": "textclipboard.hasText",
    "iface": "android.text.ClipboardManager",
    "impl_only": false,
    "kind": "method",
    "member": "hasText",
    "patterns": [],
    "smali": [
      "Landroid/text/ClipboardManager;->hasText()Z"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": "location",
    "category": "location",
    "cls": "android.location.LocationManager",
    "descriptors": [
      "(Ljava/lang/String;)Landroid/location/Location;"
    ],
    "hook_class": null,
    "id": "location.getLastKnownLocation",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getLastKnownLocation",
    "patterns": [],
    "smali": [
      "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;"
    ]
  },
  {
    "api": [
      1,
      1,
      1,
      1,
      1,
      30,
      30,
      31,
      31
    ],
    "arg_filter": null,
    "canary": null,
    "category": "location",
    "cls": "android.location.LocationManager",
    "descriptors": [
      "(Ljava/lang/String;JFLandroid/location/LocationListener;)V",
      "(Ljava/lang/String;JFLandroid/location/LocationListener;Landroid/os/Looper;)V",
      "(JFLandroid/location/Criteria;Landroid/location/LocationListener;Landroid/os/Looper;)V",
      "(Ljava/lang/String;JFLandroid/app/PendingIntent;)V",
      "(JFLandroid/location/Criteria;Landroid/app/PendingIntent;)V",
      "(Ljava/lang/String;JFLjava/util/concurrent/Executor;Landroid/location/LocationListener;)V",
      "(JFLandroid/location/Criteria;Ljava/util/concurrent/Executor;Landroid/location/LocationListener;)V",
      "(Ljava/lang/String;Landroid/location/LocationRequest;Ljava/util/concurrent/Executor;Landroid/location/LocationListener;)V",
      "(Ljava/lang/String;Landroid/location/LocationRequest;Landroid/app/PendingIntent;)V"
    ],
    "hook_class": null,
    "id": "location.requestLocationUpdates",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "requestLocationUpdates",
    "patterns": [],
    "smali": [
      "Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;Landroid/os/Looper;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(JFLandroid/location/Criteria;Landroid/location/LocationListener;Landroid/os/Looper;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/app/PendingIntent;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(JFLandroid/location/Criteria;Landroid/app/PendingIntent;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLjava/util/concurrent/Executor;Landroid/location/LocationListener;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(JFLandroid/location/Criteria;Ljava/util/concurrent/Executor;Landroid/location/LocationListener;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;Landroid/location/LocationRequest;Ljava/util/concurrent/Executor;Landroid/location/LocationListener;)V",
      "Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;Landroid/location/LocationRequest;Landroid/app/PendingIntent;)V"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "location",
    "cls": "android.location.LocationManager",
    "descriptors": [
      "(Ljava/lang/String;Landroid/location/LocationListener;Landroid/os/Looper;)V",
      "(Landroid/location/Criteria;Landroid/location/LocationListener;Landroid/os/Looper;)V"
    ],
    "hook_class": null,
    "id": "location.requestSingleUpdate",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "requestSingleUpdate",
    "patterns": [],
    "smali": [
      "Landroid/location/LocationManager;->requestSingleUpdate(Ljava/lang/String;Landroid/location/LocationListener;Landroid/os/Looper;)V",
      "Landroid/location/LocationManager;->requestSingleUpdate(Landroid/location/Criteria;Landroid/location/LocationListener;Landroid/os/Looper;)V"
    ]
  },
  {
    "api": [
      30,
      31
    ],
    "arg_filter": null,
    "canary": null,
    "category": "location",
    "cls": "android.location.LocationManager",
    "descriptors": [
      "(Ljava/lang/String;Landroid/os/CancellationSignal;Ljava/util/concurrent/Executor;Ljava/util/function/Consumer;)V",
      "(Ljava/lang/String;Landroid/location/LocationRequest;Landroid/os/CancellationSignal;Ljava/util/concurrent/Executor;Ljava/util/function/Consumer;)V"
    ],
    "hook_class": null,
    "id": "location.getCurrentLocation",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getCurrentLocation",
    "patterns": [],
    "smali": [
      "Landroid/location/LocationManager;->getCurrentLocation(Ljava/lang/String;Landroid/os/CancellationSignal;Ljava/util/concurrent/Executor;Ljava/util/function/Consumer;)V",
      "Landroid/location/LocationManager;->getCurrentLocation(Ljava/lang/String;Landroid/location/LocationRequest;Landroid/os/CancellationSignal;Ljava/util/concurrent/Executor;Ljava/util/function/Consumer;)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "location",
    "cls": "com.google.android.gms.location.FusedLocationProviderClient",
    "descriptors": [
      "()Lcom/google/android/gms/tasks/Task;"
    ],
    "hook_class": null,
    "id": "fused.getLastLocation",
    "iface": "com.google.android.gms.location.FusedLocationProviderClient",
    "impl_only": true,
    "kind": "method",
    "member": "getLastLocation",
    "patterns": [],
    "smali": [
      "Lcom/google/android/gms/location/FusedLocationProviderClient;->getLastLocation()Lcom/google/android/gms/tasks/Task;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "location",
    "cls": "com.google.android.gms.location.FusedLocationProviderClient",
    "descriptors": [
      "(Lcom/google/android/gms/location/LocationRequest;Lcom/google/android/gms/location/LocationCallback;Landroid/os/Looper;)Lcom/google/android/gms/tasks/Task;"
    ],
    "hook_class": null,
    "id": "fused.requestLocationUpdates",
    "iface": "com.google.android.gms.location.FusedLocationProviderClient",
    "impl_only": true,
    "kind": "method",
    "member": "requestLocationUpdates",
    "patterns": [],
    "smali": [
      "Lcom/google/android/gms/location/FusedLocationProviderClient;->requestLocationUpdates(Lcom/google/android/gms/location/LocationRequest;Lcom/google/android/gms/location/LocationCallback;Landroid/os/Looper;)Lcom/google/android/gms/tasks/Task;"
    ]
  },
  {
    "api": [
      1,
      33
    ],
    "arg_filter": null,
    "canary": "installed_apps",
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(I)Ljava/util/List;",
      "(Landroid/content/pm/PackageManager$PackageInfoFlags;)Ljava/util/List;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.getInstalledPackages",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "getInstalledPackages",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;",
      "Landroid/content/pm/PackageManager;->getInstalledPackages(Landroid/content/pm/PackageManager$PackageInfoFlags;)Ljava/util/List;"
    ]
  },
  {
    "api": [
      1,
      33
    ],
    "arg_filter": null,
    "canary": "installed_apps",
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(I)Ljava/util/List;",
      "(Landroid/content/pm/PackageManager$ApplicationInfoFlags;)Ljava/util/List;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.getInstalledApplications",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "getInstalledApplications",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->getInstalledApplications(I)Ljava/util/List;",
      "Landroid/content/pm/PackageManager;->getInstalledApplications(Landroid/content/pm/PackageManager$ApplicationInfoFlags;)Ljava/util/List;"
    ]
  },
  {
    "api": [
      1,
      33
    ],
    "arg_filter": null,
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(Landroid/content/Intent;I)Ljava/util/List;",
      "(Landroid/content/Intent;Landroid/content/pm/PackageManager$ResolveInfoFlags;)Ljava/util/List;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.queryIntentActivities",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "queryIntentActivities",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;I)Ljava/util/List;",
      "Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;Landroid/content/pm/PackageManager$ResolveInfoFlags;)Ljava/util/List;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(I)[Ljava/lang/String;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.getPackagesForUid",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "getPackagesForUid",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->getPackagesForUid(I)[Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1,
      26,
      33,
      33
    ],
    "arg_filter": {
      "index": 0,
      "other_package": true
    },
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(Ljava/lang/String;I)Landroid/content/pm/PackageInfo;",
      "(Landroid/content/pm/VersionedPackage;I)Landroid/content/pm/PackageInfo;",
      "(Ljava/lang/String;Landroid/content/pm/PackageManager$PackageInfoFlags;)Landroid/content/pm/PackageInfo;",
      "(Landroid/content/pm/VersionedPackage;Landroid/content/pm/PackageManager$PackageInfoFlags;)Landroid/content/pm/PackageInfo;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.getPackageInfo",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "getPackageInfo",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->getPackageInfo(Ljava/lang/String;I)Landroid/content/pm/PackageInfo;",
      "Landroid/content/pm/PackageManager;->getPackageInfo(Landroid/content/pm/VersionedPackage;I)Landroid/content/pm/PackageInfo;",
      "Landroid/content/pm/PackageManager;->getPackageInfo(Ljava/lang/String;Landroid/content/pm/PackageManager$PackageInfoFlags;)Landroid/content/pm/PackageInfo;",
      "Landroid/content/pm/PackageManager;->getPackageInfo(Landroid/content/pm/VersionedPackage;Landroid/content/pm/PackageManager$PackageInfoFlags;)Landroid/content/pm/PackageInfo;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": -1,
      "own_result": "processes"
    },
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ActivityManager",
    "descriptors": [
      "()Ljava/util/List;"
    ],
    "hook_class": null,
    "id": "am.getRunningAppProcesses",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getRunningAppProcesses",
    "patterns": [],
    "smali": [
      "Landroid/app/ActivityManager;->getRunningAppProcesses()Ljava/util/List;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ActivityManager",
    "descriptors": [
      "(I)Ljava/util/List;"
    ],
    "hook_class": null,
    "id": "am.getRunningTasks",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getRunningTasks",
    "patterns": [],
    "smali": [
      "Landroid/app/ActivityManager;->getRunningTasks(I)Ljava/util/List;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ActivityManager",
    "descriptors": [
      "(II)Ljava/util/List;"
    ],
    "hook_class": null,
    "id": "am.getRecentTasks",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getRecentTasks",
    "patterns": [],
    "smali": [
      "Landroid/app/ActivityManager;->getRecentTasks(II)Ljava/util/List;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://com.android.contacts",
        "content://contacts"
      ]
    },
    "canary": null,
    "category": "contacts",
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "resolver.query.contacts",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://sms",
        "content://mms-sms"
      ]
    },
    "canary": null,
    "category": "sms",
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "resolver.query.sms",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://call_log"
      ]
    },
    "canary": null,
    "category": "call_log",
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "resolver.query.call_log",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://com.android.calendar"
      ]
    },
    "canary": null,
    "category": "calendar",
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "resolver.query.calendar",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://com.android.contacts",
        "content://contacts"
      ]
    },
    "canary": null,
    "category": "contacts",
    "cls": "android.content.ContentProviderClient",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "providerclient.query.contacts",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://sms",
        "content://mms-sms"
      ]
    },
    "canary": null,
    "category": "sms",
    "cls": "android.content.ContentProviderClient",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "providerclient.query.sms",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://call_log"
      ]
    },
    "canary": null,
    "category": "call_log",
    "cls": "android.content.ContentProviderClient",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "providerclient.query.call_log",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1,
      1,
      26
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://com.android.calendar"
      ]
    },
    "canary": null,
    "category": "calendar",
    "cls": "android.content.ContentProviderClient",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "providerclient.query.calendar",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;Landroid/os/CancellationSignal;)Landroid/database/Cursor;",
      "Landroid/content/ContentProviderClient;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "uri_prefix": [
        "content://com.vivo.vms.IdProvider",
        "content://com.meizu.flyme.openidsdk",
        "content://com.oplus.stdid"
      ]
    },
    "canary": null,
    "category": "device_id.oaid",
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;"
    ],
    "hook_class": null,
    "id": "resolver.query.oaid_provider",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "accounts",
    "cls": "android.accounts.AccountManager",
    "descriptors": [
      "()[Landroid/accounts/Account;"
    ],
    "hook_class": null,
    "id": "accounts.getAccounts",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getAccounts",
    "patterns": [],
    "smali": [
      "Landroid/accounts/AccountManager;->getAccounts()[Landroid/accounts/Account;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "accounts",
    "cls": "android.accounts.AccountManager",
    "descriptors": [
      "(Ljava/lang/String;)[Landroid/accounts/Account;"
    ],
    "hook_class": null,
    "id": "accounts.getAccountsByType",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getAccountsByType",
    "patterns": [],
    "smali": [
      "Landroid/accounts/AccountManager;->getAccountsByType(Ljava/lang/String;)[Landroid/accounts/Account;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "sensors",
    "cls": "android.hardware.SensorManager",
    "descriptors": [
      "(I)Ljava/util/List;"
    ],
    "hook_class": null,
    "id": "sensors.getSensorList",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getSensorList",
    "patterns": [],
    "smali": [
      "Landroid/hardware/SensorManager;->getSensorList(I)Ljava/util/List;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "camera",
    "cls": "android.hardware.Camera",
    "descriptors": [
      "()Landroid/hardware/Camera;",
      "(I)Landroid/hardware/Camera;"
    ],
    "hook_class": null,
    "id": "camera.open",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "open",
    "patterns": [],
    "smali": [
      "Landroid/hardware/Camera;->open()Landroid/hardware/Camera;",
      "Landroid/hardware/Camera;->open(I)Landroid/hardware/Camera;"
    ]
  },
  {
    "api": [
      1,
      28
    ],
    "arg_filter": null,
    "canary": null,
    "category": "camera",
    "cls": "android.hardware.camera2.CameraManager",
    "descriptors": [
      "(Ljava/lang/String;Landroid/hardware/camera2/CameraDevice$StateCallback;Landroid/os/Handler;)V",
      "(Ljava/lang/String;Ljava/util/concurrent/Executor;Landroid/hardware/camera2/CameraDevice$StateCallback;)V"
    ],
    "hook_class": null,
    "id": "camera2.openCamera",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "openCamera",
    "patterns": [],
    "smali": [
      "Landroid/hardware/camera2/CameraManager;->openCamera(Ljava/lang/String;Landroid/hardware/camera2/CameraDevice$StateCallback;Landroid/os/Handler;)V",
      "Landroid/hardware/camera2/CameraManager;->openCamera(Ljava/lang/String;Ljava/util/concurrent/Executor;Landroid/hardware/camera2/CameraDevice$StateCallback;)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "microphone",
    "cls": "android.media.AudioRecord",
    "descriptors": [
      "()V"
    ],
    "hook_class": null,
    "id": "audiorecord.startRecording",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "startRecording",
    "patterns": [],
    "smali": [
      "Landroid/media/AudioRecord;->startRecording()V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "microphone",
    "cls": "android.media.MediaRecorder",
    "descriptors": [
      "(I)V"
    ],
    "hook_class": null,
    "id": "mediarecorder.setAudioSource",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "setAudioSource",
    "patterns": [],
    "smali": [
      "Landroid/media/MediaRecorder;->setAudioSource(I)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": null,
    "cls": "android.app.Activity",
    "descriptors": [
      "([Ljava/lang/String;I)V"
    ],
    "hook_class": null,
    "id": "perm.activity.requestPermissions",
    "iface": null,
    "impl_only": false,
    "kind": "permission_request",
    "member": "requestPermissions",
    "patterns": [],
    "smali": [
      "Landroid/app/Activity;->requestPermissions([Ljava/lang/String;I)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": null,
    "cls": "androidx.core.app.ActivityCompat",
    "descriptors": [
      "(Landroid/app/Activity;[Ljava/lang/String;I)V"
    ],
    "hook_class": null,
    "id": "perm.activitycompat.requestPermissions",
    "iface": null,
    "impl_only": false,
    "kind": "permission_request",
    "member": "requestPermissions",
    "patterns": [],
    "smali": [
      "Landroidx/core/app/ActivityCompat;->requestPermissions(Landroid/app/Activity;[Ljava/lang/String;I)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": null,
    "cls": "android.support.v4.app.ActivityCompat",
    "descriptors": [
      "(Landroid/app/Activity;[Ljava/lang/String;I)V"
    ],
    "hook_class": null,
    "id": "perm.supportcompat.requestPermissions",
    "iface": null,
    "impl_only": false,
    "kind": "permission_request",
    "member": "requestPermissions",
    "patterns": [],
    "smali": [
      "Landroid/support/v4/app/ActivityCompat;->requestPermissions(Landroid/app/Activity;[Ljava/lang/String;I)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": null,
    "cls": "androidx.fragment.app.Fragment",
    "descriptors": [
      "([Ljava/lang/String;I)V"
    ],
    "hook_class": null,
    "id": "perm.fragment.requestPermissions",
    "iface": null,
    "impl_only": false,
    "kind": "permission_request",
    "member": "requestPermissions",
    "patterns": [],
    "smali": [
      "Landroidx/fragment/app/Fragment;->requestPermissions([Ljava/lang/String;I)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": null,
    "cls": "androidx.activity.result.ActivityResultLauncher",
    "descriptors": [
      "(Ljava/lang/Object;)V"
    ],
    "hook_class": null,
    "id": "perm.resultlauncher.launch",
    "iface": null,
    "impl_only": false,
    "kind": "permission_request",
    "member": "launch",
    "patterns": [],
    "smali": [
      "Landroidx/activity/result/ActivityResultLauncher;->launch(Ljava/lang/Object;)V"
    ]
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": "device_id.mac",
    "category": "device_id.mac",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "path.net_mac",
    "iface": null,
    "impl_only": false,
    "kind": "path",
    "member": "",
    "patterns": [
      "/sys/class/net/*/address"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "network.wifi",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "path.proc_net_arp",
    "iface": null,
    "impl_only": false,
    "kind": "path",
    "member": "",
    "patterns": [
      "/proc/net/arp"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.serial",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "path.cpuinfo",
    "iface": null,
    "impl_only": false,
    "kind": "path",
    "member": "",
    "patterns": [
      "/proc/cpuinfo"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": "device_id.serial",
    "category": "device_id.serial",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "path.soc_serial",
    "iface": null,
    "impl_only": false,
    "kind": "path",
    "member": "",
    "patterns": [
      "/sys/devices/soc0/serial_number"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": "device_id.serial",
    "category": "device_id.serial",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "path.emmc_cid",
    "iface": null,
    "impl_only": false,
    "kind": "path",
    "member": "",
    "patterns": [
      "/sys/block/mmcblk*/device/cid",
      "/sys/class/mmc_host/mmc*/mmc*/cid"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.sdk_cache",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "path.utdid_cache",
    "iface": null,
    "impl_only": false,
    "kind": "path",
    "member": "",
    "patterns": [
      "*/.UTSystemConfig/Global/*",
      "*/.DataStorage/*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.sdk_cache",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "path.baidu_cuid_cache",
    "iface": null,
    "impl_only": false,
    "kind": "path",
    "member": "",
    "patterns": [
      "*/backups/.SystemConfig/.cuid*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": "device_id.serial",
    "category": "device_id.serial",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "prop.serialno",
    "iface": null,
    "impl_only": false,
    "kind": "property",
    "member": "",
    "patterns": [
      "ro.serialno",
      "ro.boot.serialno",
      "ril.serialnumber",
      "sys.serialnumber",
      "persist.sys.serialno"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": "device_id.imei",
    "category": "device_id.imei",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "prop.imei",
    "iface": null,
    "impl_only": false,
    "kind": "property",
    "member": "",
    "patterns": [
      "persist.radio.imei*",
      "ro.ril.oem.imei*",
      "ro.gsm.imei",
      "ril.imei*",
      "ril.IMEI*",
      "persist.sys.imei*",
      "ro.ril.miui.imei*",
      "gsm.imei*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": "device_id.mac",
    "category": "device_id.mac",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "prop.mac",
    "iface": null,
    "impl_only": false,
    "kind": "property",
    "member": "",
    "patterns": [
      "ro.boot.wifimacaddr",
      "ro.boot.btmacaddr",
      "persist.service.bdroid.bdaddr",
      "wifi.interface.mac",
      "persist.wifi.macaddr"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "network.carrier",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "prop.carrier",
    "iface": null,
    "impl_only": false,
    "kind": "property",
    "member": "",
    "patterns": [
      "gsm.sim.operator.*",
      "gsm.operator.*",
      "gsm.sim.state"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.iccid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "prop.iccid",
    "iface": null,
    "impl_only": false,
    "kind": "property",
    "member": "",
    "patterns": [
      "gsm.sim.iccid*",
      "ril.iccid*",
      "persist.radio.iccid*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "installed_apps",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.pm_list_packages",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*pm list package*",
      "*cmd package list package*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "installed_apps",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.dumpsys_packages",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*dumpsys package*",
      "*dumpsys activity*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.imei",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.dumpsys_iphonesubinfo",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*dumpsys iphonesubinfo*",
      "*service call iphonesubinfo*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "network.wifi",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.dumpsys_wifi",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*dumpsys wifi*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.serial",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.getprop_serial",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*getprop",
      "*getprop ro.serialno*",
      "*getprop ro.boot.serialno*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.imei",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.getprop_imei",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*getprop persist.radio.imei*",
      "*getprop ril.imei*",
      "*getprop gsm.imei*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.mac",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.read_mac",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*cat /sys/class/net/*",
      "*ip link*",
      "*ip addr*",
      "*ifconfig*",
      "*busybox ifconfig*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.android_id",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "cmd.settings_android_id",
    "iface": null,
    "impl_only": false,
    "kind": "command",
    "member": "",
    "patterns": [
      "*settings get secure android_id*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "provider.oaid.vivo",
    "iface": null,
    "impl_only": false,
    "kind": "provider",
    "member": "",
    "patterns": [
      "content://com.vivo.vms.IdProvider*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "provider.oaid.meizu",
    "iface": null,
    "impl_only": false,
    "kind": "provider",
    "member": "",
    "patterns": [
      "content://com.meizu.flyme.openidsdk*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "provider.oaid.nubia",
    "iface": null,
    "impl_only": false,
    "kind": "provider",
    "member": "",
    "patterns": [
      "content://cn.nubia.identity*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "provider.oaid.oppo",
    "iface": null,
    "impl_only": false,
    "kind": "provider",
    "member": "",
    "patterns": [
      "content://com.oplus.stdid*",
      "content://com.heytap.openid*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "provider.oaid.gionee",
    "iface": null,
    "impl_only": false,
    "kind": "provider",
    "member": "",
    "patterns": [
      "content://com.gionee.mobile.idservice*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.huawei",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.uodis.opendevice.OPENIDS_SERVICE",
      "com.huawei.hwid"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.honor",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.hihonor.id.HnOaIdService",
      "com.hihonor.id"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.oppo",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "action.com.heytap.openid.OPEN_ID_SERVICE",
      "com.heytap.openid",
      "action.com.oplus.stdid.ID_SERVICE",
      "com.coloros.mcs"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.samsung",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.samsung.android.deviceidservice*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.msa",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.bun.msa.action.bindto.service",
      "com.bun.msa.action.start.service",
      "com.mdid.msa"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.lenovo",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.zui.deviceidservice*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.asus",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.asus.msa.action.ACCESS_DID",
      "com.asus.msa.SupplementaryDID"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.coolpad",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.coolpad.deviceidsupport*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.freeme",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "android.service.action.msa",
      "com.android.creator"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.oaid.qiku",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.qiku.id*"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.gaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "service.gaid.google",
    "iface": null,
    "impl_only": false,
    "kind": "service",
    "member": "",
    "patterns": [
      "com.google.android.gms.ads.identifier.service.START"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.sdk_cache",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "setting.utdid",
    "iface": null,
    "impl_only": false,
    "kind": "setting",
    "member": "",
    "patterns": [
      "system/mqBRboGZkQPcAkyk",
      "system/dxCRMxhQkdGePGnp"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.sdk_cache",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "setting.baidu_cuid",
    "iface": null,
    "impl_only": false,
    "kind": "setting",
    "member": "",
    "patterns": [
      "system/com.baidu.deviceid*",
      "system/bd_setting_i"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.oaid",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "setting.huawei_oaid",
    "iface": null,
    "impl_only": false,
    "kind": "setting",
    "member": "",
    "patterns": [
      "global/pps_oaid"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.mac",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "setting.bluetooth_address",
    "iface": null,
    "impl_only": false,
    "kind": "setting",
    "member": "",
    "patterns": [
      "secure/bluetooth_address"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": "device_id.mac",
    "category": "device_id.mac",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "ioctl.siocgifhwaddr",
    "iface": null,
    "impl_only": false,
    "kind": "ioctl",
    "member": "",
    "patterns": [
      "0x8927"
    ],
    "smali": []
  },
  {
    "api": [],
    "arg_filter": null,
    "canary": null,
    "category": "network.ip",
    "cls": "",
    "descriptors": [],
    "hook_class": null,
    "id": "ioctl.siocgifconf",
    "iface": null,
    "impl_only": false,
    "kind": "ioctl",
    "member": "",
    "patterns": [
      "0x8912"
    ],
    "smali": []
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int open(const char *, int, ...)"
    ],
    "hook_class": null,
    "id": "native.open",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "open",
    "patterns": [],
    "smali": [
      "libc.so!open"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int openat(int, const char *, int, ...)"
    ],
    "hook_class": null,
    "id": "native.openat",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "openat",
    "patterns": [],
    "smali": [
      "libc.so!openat"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "FILE *fopen(const char *, const char *)"
    ],
    "hook_class": null,
    "id": "native.fopen",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "fopen",
    "patterns": [],
    "smali": [
      "libc.so!fopen"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int access(const char *, int)"
    ],
    "hook_class": null,
    "id": "native.access",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "access",
    "patterns": [],
    "smali": [
      "libc.so!access"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int stat(const char *, struct stat *)"
    ],
    "hook_class": null,
    "id": "native.stat",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "stat",
    "patterns": [],
    "smali": [
      "libc.so!stat"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int __open_2(const char *, int)"
    ],
    "hook_class": null,
    "id": "native.open_2",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "__open_2",
    "patterns": [],
    "smali": [
      "libc.so!__open_2"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int __openat_2(int, const char *, int)"
    ],
    "hook_class": null,
    "id": "native.openat_2",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "__openat_2",
    "patterns": [],
    "smali": [
      "libc.so!__openat_2"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int faccessat(int, const char *, int, int)"
    ],
    "hook_class": null,
    "id": "native.faccessat",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "faccessat",
    "patterns": [],
    "smali": [
      "libc.so!faccessat"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int lstat(const char *, struct stat *)"
    ],
    "hook_class": null,
    "id": "native.lstat",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "lstat",
    "patterns": [],
    "smali": [
      "libc.so!lstat"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int fstatat(int, const char *, struct stat *, int)"
    ],
    "hook_class": null,
    "id": "native.fstatat",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "fstatat",
    "patterns": [],
    "smali": [
      "libc.so!fstatat"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "ssize_t readlink(const char *, char *, size_t)"
    ],
    "hook_class": null,
    "id": "native.readlink",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "readlink",
    "patterns": [],
    "smali": [
      "libc.so!readlink"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "property"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int __system_property_get(const char *, char *)"
    ],
    "hook_class": null,
    "id": "native.system_property_get",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "__system_property_get",
    "patterns": [],
    "smali": [
      "libc.so!__system_property_get"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "property"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "const prop_info *__system_property_find(const char *)"
    ],
    "hook_class": null,
    "id": "native.system_property_find",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "__system_property_find",
    "patterns": [],
    "smali": [
      "libc.so!__system_property_find"
    ]
  },
  {
    "api": [
      26
    ],
    "arg_filter": {
      "index": 0,
      "match": "property",
      "prop_info": true
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "void __system_property_read_callback(const prop_info *, void (*)(void *, const char *, const char *, uint32_t), void *)"
    ],
    "hook_class": null,
    "id": "native.system_property_read_callback",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "__system_property_read_callback",
    "patterns": [],
    "smali": [
      "libc.so!__system_property_read_callback"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "ioctl"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int ioctl(int, int, ...)"
    ],
    "hook_class": null,
    "id": "native.ioctl",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "ioctl",
    "patterns": [],
    "smali": [
      "libc.so!ioctl"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": null,
    "canary": null,
    "category": "device_id.mac",
    "cls": "libc.so",
    "descriptors": [
      "int getifaddrs(struct ifaddrs **)"
    ],
    "hook_class": null,
    "id": "native.getifaddrs",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "getifaddrs",
    "patterns": [],
    "smali": [
      "libc.so!getifaddrs"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "netlink": "RTM_GETLINK"
    },
    "canary": null,
    "category": "device_id.mac",
    "cls": "libc.so",
    "descriptors": [
      "ssize_t sendto(int, const void *, size_t, int, const struct sockaddr *, socklen_t)"
    ],
    "hook_class": null,
    "id": "native.netlink_getlink",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "sendto",
    "patterns": [],
    "smali": [
      "libc.so!sendto"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "msghdr": true,
      "netlink": "RTM_GETLINK"
    },
    "canary": null,
    "category": "device_id.mac",
    "cls": "libc.so",
    "descriptors": [
      "ssize_t sendmsg(int, const struct msghdr *, int)"
    ],
    "hook_class": null,
    "id": "native.netlink_getlink_msg",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "sendmsg",
    "patterns": [],
    "smali": [
      "libc.so!sendmsg"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "argv": true,
      "index": 1,
      "match": "command"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int execve(const char *, char *const[], char *const[])"
    ],
    "hook_class": null,
    "id": "native.execve",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "execve",
    "patterns": [],
    "smali": [
      "libc.so!execve"
    ]
  },
  {
    "api": [
      28
    ],
    "arg_filter": {
      "argv": true,
      "index": 4,
      "match": "command"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int posix_spawn(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[], char *const[])"
    ],
    "hook_class": null,
    "id": "native.posix_spawn",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "posix_spawn",
    "patterns": [],
    "smali": [
      "libc.so!posix_spawn"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "command"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "FILE *popen(const char *, const char *)"
    ],
    "hook_class": null,
    "id": "native.popen",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "popen",
    "patterns": [],
    "smali": [
      "libc.so!popen"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "command"
    },
    "canary": null,
    "category": null,
    "cls": "libc.so",
    "descriptors": [
      "int system(const char *)"
    ],
    "hook_class": null,
    "id": "native.system",
    "iface": null,
    "impl_only": false,
    "kind": "native",
    "member": "system",
    "patterns": [],
    "smali": [
      "libc.so!system"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "java.io.FileInputStream",
    "descriptors": [
      "(Ljava/lang/String;)V",
      "(Ljava/io/File;)V"
    ],
    "hook_class": null,
    "id": "file.FileInputStream.init",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "<init>",
    "patterns": [],
    "smali": [
      "Ljava/io/FileInputStream;-><init>(Ljava/lang/String;)V",
      "Ljava/io/FileInputStream;-><init>(Ljava/io/File;)V"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "java.io.FileReader",
    "descriptors": [
      "(Ljava/lang/String;)V",
      "(Ljava/io/File;)V"
    ],
    "hook_class": null,
    "id": "file.FileReader.init",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "<init>",
    "patterns": [],
    "smali": [
      "Ljava/io/FileReader;-><init>(Ljava/lang/String;)V",
      "Ljava/io/FileReader;-><init>(Ljava/io/File;)V"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "java.io.RandomAccessFile",
    "descriptors": [
      "(Ljava/lang/String;Ljava/lang/String;)V",
      "(Ljava/io/File;Ljava/lang/String;)V"
    ],
    "hook_class": null,
    "id": "file.RandomAccessFile.init",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "<init>",
    "patterns": [],
    "smali": [
      "Ljava/io/RandomAccessFile;-><init>(Ljava/lang/String;Ljava/lang/String;)V",
      "Ljava/io/RandomAccessFile;-><init>(Ljava/io/File;Ljava/lang/String;)V"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "java.nio.file.Files",
    "descriptors": [
      "(Ljava/nio/file/Path;)[B"
    ],
    "hook_class": null,
    "id": "file.Files.readAllBytes",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "readAllBytes",
    "patterns": [],
    "smali": [
      "Ljava/nio/file/Files;->readAllBytes(Ljava/nio/file/Path;)[B"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "java.nio.file.Files",
    "descriptors": [
      "(Ljava/nio/file/Path;)Ljava/util/List;",
      "(Ljava/nio/file/Path;Ljava/nio/charset/Charset;)Ljava/util/List;"
    ],
    "hook_class": null,
    "id": "file.Files.readAllLines",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "readAllLines",
    "patterns": [],
    "smali": [
      "Ljava/nio/file/Files;->readAllLines(Ljava/nio/file/Path;)Ljava/util/List;",
      "Ljava/nio/file/Files;->readAllLines(Ljava/nio/file/Path;Ljava/nio/charset/Charset;)Ljava/util/List;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "java.nio.file.Files",
    "descriptors": [
      "(Ljava/nio/file/Path;[Ljava/nio/file/OpenOption;)Ljava/io/InputStream;"
    ],
    "hook_class": null,
    "id": "file.Files.newInputStream",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "newInputStream",
    "patterns": [],
    "smali": [
      "Ljava/nio/file/Files;->newInputStream(Ljava/nio/file/Path;[Ljava/nio/file/OpenOption;)Ljava/io/InputStream;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "path"
    },
    "canary": null,
    "category": null,
    "cls": "java.nio.file.Files",
    "descriptors": [
      "(Ljava/nio/file/Path;)Ljava/io/BufferedReader;",
      "(Ljava/nio/file/Path;Ljava/nio/charset/Charset;)Ljava/io/BufferedReader;"
    ],
    "hook_class": null,
    "id": "file.Files.newBufferedReader",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "newBufferedReader",
    "patterns": [],
    "smali": [
      "Ljava/nio/file/Files;->newBufferedReader(Ljava/nio/file/Path;)Ljava/io/BufferedReader;",
      "Ljava/nio/file/Files;->newBufferedReader(Ljava/nio/file/Path;Ljava/nio/charset/Charset;)Ljava/io/BufferedReader;"
    ]
  },
  {
    "api": [
      1,
      1,
      1,
      1,
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "command"
    },
    "canary": null,
    "category": null,
    "cls": "java.lang.Runtime",
    "descriptors": [
      "(Ljava/lang/String;)Ljava/lang/Process;",
      "([Ljava/lang/String;)Ljava/lang/Process;",
      "(Ljava/lang/String;[Ljava/lang/String;)Ljava/lang/Process;",
      "([Ljava/lang/String;[Ljava/lang/String;)Ljava/lang/Process;",
      "(Ljava/lang/String;[Ljava/lang/String;Ljava/io/File;)Ljava/lang/Process;",
      "([Ljava/lang/String;[Ljava/lang/String;Ljava/io/File;)Ljava/lang/Process;"
    ],
    "hook_class": null,
    "id": "exec.Runtime.exec",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "exec",
    "patterns": [],
    "smali": [
      "Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;",
      "Ljava/lang/Runtime;->exec([Ljava/lang/String;)Ljava/lang/Process;",
      "Ljava/lang/Runtime;->exec(Ljava/lang/String;[Ljava/lang/String;)Ljava/lang/Process;",
      "Ljava/lang/Runtime;->exec([Ljava/lang/String;[Ljava/lang/String;)Ljava/lang/Process;",
      "Ljava/lang/Runtime;->exec(Ljava/lang/String;[Ljava/lang/String;Ljava/io/File;)Ljava/lang/Process;",
      "Ljava/lang/Runtime;->exec([Ljava/lang/String;[Ljava/lang/String;Ljava/io/File;)Ljava/lang/Process;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": -1,
      "match": "command"
    },
    "canary": null,
    "category": null,
    "cls": "java.lang.ProcessBuilder",
    "descriptors": [
      "()Ljava/lang/Process;"
    ],
    "hook_class": null,
    "id": "exec.ProcessBuilder.start",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "start",
    "patterns": [],
    "smali": [
      "Ljava/lang/ProcessBuilder;->start()Ljava/lang/Process;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "property"
    },
    "canary": null,
    "category": null,
    "cls": "android.os.SystemProperties",
    "descriptors": [
      "(Ljava/lang/String;)Ljava/lang/String;",
      "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "sysprop.get",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "get",
    "patterns": [],
    "smali": [
      "Landroid/os/SystemProperties;->get(Ljava/lang/String;)Ljava/lang/String;",
      "Landroid/os/SystemProperties;->get(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "property"
    },
    "canary": null,
    "category": null,
    "cls": "android.os.SystemProperties",
    "descriptors": [
      "(Ljava/lang/String;I)I"
    ],
    "hook_class": null,
    "id": "sysprop.getInt",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getInt",
    "patterns": [],
    "smali": [
      "Landroid/os/SystemProperties;->getInt(Ljava/lang/String;I)I"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "property"
    },
    "canary": null,
    "category": null,
    "cls": "android.os.SystemProperties",
    "descriptors": [
      "(Ljava/lang/String;J)J"
    ],
    "hook_class": null,
    "id": "sysprop.getLong",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getLong",
    "patterns": [],
    "smali": [
      "Landroid/os/SystemProperties;->getLong(Ljava/lang/String;J)J"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "provider"
    },
    "canary": null,
    "category": null,
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ],
    "hook_class": "android.content.ContentResolver",
    "id": "resolver.query.provider",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "query",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;",
      "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Landroid/os/Bundle;Landroid/os/CancellationSignal;)Landroid/database/Cursor;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "match": "provider"
    },
    "canary": null,
    "category": null,
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;Ljava/lang/String;Ljava/lang/String;Landroid/os/Bundle;)Landroid/os/Bundle;"
    ],
    "hook_class": "android.content.ContentResolver",
    "id": "resolver.call.provider",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "call",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->call(Landroid/net/Uri;Ljava/lang/String;Ljava/lang/String;Landroid/os/Bundle;)Landroid/os/Bundle;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "authority_prefix": "content://",
      "index": 0,
      "match": "provider"
    },
    "canary": null,
    "category": null,
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;)Landroid/content/ContentProviderClient;",
      "(Ljava/lang/String;)Landroid/content/ContentProviderClient;"
    ],
    "hook_class": "android.content.ContentResolver",
    "id": "resolver.acquireClient.provider",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "acquireContentProviderClient",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->acquireContentProviderClient(Landroid/net/Uri;)Landroid/content/ContentProviderClient;",
      "Landroid/content/ContentResolver;->acquireContentProviderClient(Ljava/lang/String;)Landroid/content/ContentProviderClient;"
    ]
  },
  {
    "api": [
      1,
      1
    ],
    "arg_filter": {
      "authority_prefix": "content://",
      "index": 0,
      "match": "provider"
    },
    "canary": null,
    "category": null,
    "cls": "android.content.ContentResolver",
    "descriptors": [
      "(Landroid/net/Uri;)Landroid/content/ContentProviderClient;",
      "(Ljava/lang/String;)Landroid/content/ContentProviderClient;"
    ],
    "hook_class": "android.content.ContentResolver",
    "id": "resolver.acquireUnstableClient.provider",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "acquireUnstableContentProviderClient",
    "patterns": [],
    "smali": [
      "Landroid/content/ContentResolver;->acquireUnstableContentProviderClient(Landroid/net/Uri;)Landroid/content/ContentProviderClient;",
      "Landroid/content/ContentResolver;->acquireUnstableContentProviderClient(Ljava/lang/String;)Landroid/content/ContentProviderClient;"
    ]
  },
  {
    "api": [
      1,
      29,
      34,
      34
    ],
    "arg_filter": {
      "index": 0,
      "match": "service"
    },
    "canary": null,
    "category": null,
    "cls": "android.app.ContextImpl",
    "descriptors": [
      "(Landroid/content/Intent;Landroid/content/ServiceConnection;I)Z",
      "(Landroid/content/Intent;ILjava/util/concurrent/Executor;Landroid/content/ServiceConnection;)Z",
      "(Landroid/content/Intent;Landroid/content/ServiceConnection;Landroid/content/Context$BindServiceFlags;)Z",
      "(Landroid/content/Intent;Landroid/content/Context$BindServiceFlags;Ljava/util/concurrent/Executor;Landroid/content/ServiceConnection;)Z"
    ],
    "hook_class": "android.app.ContextImpl",
    "id": "context.bindService.oaid",
    "iface": "android.content.Context",
    "impl_only": false,
    "kind": "method",
    "member": "bindService",
    "patterns": [],
    "smali": [
      "Landroid/content/Context;->bindService(Landroid/content/Intent;Landroid/content/ServiceConnection;I)Z",
      "Landroid/content/Context;->bindService(Landroid/content/Intent;ILjava/util/concurrent/Executor;Landroid/content/ServiceConnection;)Z",
      "Landroid/content/Context;->bindService(Landroid/content/Intent;Landroid/content/ServiceConnection;Landroid/content/Context$BindServiceFlags;)Z",
      "Landroid/content/Context;->bindService(Landroid/content/Intent;Landroid/content/Context$BindServiceFlags;Ljava/util/concurrent/Executor;Landroid/content/ServiceConnection;)Z"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "setting",
      "namespace": "system"
    },
    "canary": null,
    "category": null,
    "cls": "android.provider.Settings$System",
    "descriptors": [
      "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "settings.system.getString.cached",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getString",
    "patterns": [],
    "smali": [
      "Landroid/provider/Settings$System;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "setting",
      "namespace": "global"
    },
    "canary": null,
    "category": null,
    "cls": "android.provider.Settings$Global",
    "descriptors": [
      "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "settings.global.getString.cached",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getString",
    "patterns": [],
    "smali": [
      "Landroid/provider/Settings$Global;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 1,
      "match": "setting",
      "namespace": "secure"
    },
    "canary": null,
    "category": null,
    "cls": "android.provider.Settings$Secure",
    "descriptors": [
      "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ],
    "hook_class": null,
    "id": "settings.secure.getString.cached",
    "iface": null,
    "impl_only": false,
    "kind": "method",
    "member": "getString",
    "patterns": [],
    "smali": [
      "Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ]
  },
  {
    "api": [
      1,
      33
    ],
    "arg_filter": {
      "index": 0,
      "other_package": true,
      "probe": true
    },
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(Ljava/lang/String;I)Landroid/content/pm/ApplicationInfo;",
      "(Ljava/lang/String;Landroid/content/pm/PackageManager$ApplicationInfoFlags;)Landroid/content/pm/ApplicationInfo;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.probe.getApplicationInfo",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "getApplicationInfo",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->getApplicationInfo(Ljava/lang/String;I)Landroid/content/pm/ApplicationInfo;",
      "Landroid/content/pm/PackageManager;->getApplicationInfo(Ljava/lang/String;Landroid/content/pm/PackageManager$ApplicationInfoFlags;)Landroid/content/pm/ApplicationInfo;"
    ]
  },
  {
    "api": [
      1
    ],
    "arg_filter": {
      "index": 0,
      "other_package": true,
      "probe": true
    },
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(Ljava/lang/String;)Landroid/content/Intent;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.probe.getLaunchIntentForPackage",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "getLaunchIntentForPackage",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->getLaunchIntentForPackage(Ljava/lang/String;)Landroid/content/Intent;"
    ]
  },
  {
    "api": [
      1,
      33
    ],
    "arg_filter": {
      "index": 0,
      "intent": true,
      "other_package": true,
      "probe": true
    },
    "canary": null,
    "category": "installed_apps",
    "cls": "android.app.ApplicationPackageManager",
    "descriptors": [
      "(Landroid/content/Intent;I)Landroid/content/pm/ResolveInfo;",
      "(Landroid/content/Intent;Landroid/content/pm/PackageManager$ResolveInfoFlags;)Landroid/content/pm/ResolveInfo;"
    ],
    "hook_class": "android.app.ApplicationPackageManager",
    "id": "pm.probe.resolveActivity",
    "iface": "android.content.pm.PackageManager",
    "impl_only": false,
    "kind": "method",
    "member": "resolveActivity",
    "patterns": [],
    "smali": [
      "Landroid/content/pm/PackageManager;->resolveActivity(Landroid/content/Intent;I)Landroid/content/pm/ResolveInfo;",
      "Landroid/content/pm/PackageManager;->resolveActivity(Landroid/content/Intent;Landroid/content/pm/PackageManager$ResolveInfoFlags;)Landroid/content/pm/ResolveInfo;"
    ]
  }
];
var UNHOOKABLE = [
  "msa.IdSupplier.getOAID: com.bun.miitmdid.interfaces.IdSupplier is abstract or an interface: hooked on the implementations loaded at run time",
  "msa.supplier.IdSupplier.getOAID: com.bun.supplier.IdSupplier is abstract or an interface: hooked on the implementations loaded at run time",
  "fused.getLastLocation: com.google.android.gms.location.FusedLocationProviderClient is abstract or an interface: hooked on the implementations loaded at run time",
  "fused.requestLocationUpdates: com.google.android.gms.location.FusedLocationProviderClient is abstract or an interface: hooked on the implementations loaded at run time"
];
var UI_TOOLKITS = [
  [
    "compose",
    "androidx.compose.ui.platform.AndroidComposeView",
    "Jetpack Compose: Modifier.clickable never calls View.performClick"
  ],
  [
    "flutter",
    "io.flutter.embedding.engine.FlutterJNI",
    "Flutter: taps are handled in the Dart engine"
  ],
  [
    "react_native",
    "com.facebook.react.bridge.ReactContext",
    "React Native: touches are handled in JavaScript"
  ]
];

// src/hooks.ts
function globMatch(p, s) {
  let pi = 0, si = 0, star = -1, back = 0;
  while (si < s.length) {
    if (p[pi] === "*") {
      star = pi++;
      back = si;
    } else if (pi < p.length && p[pi] === s[si]) {
      pi++;
      si++;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++back;
    } else
      return false;
  }
  while (p[pi] === "*")
    pi++;
  return pi === p.length;
}
function targetFor(kind, texts) {
  for (const t of API_TABLE) {
    if (t.kind !== kind)
      continue;
    for (const text of texts) {
      if (text === null)
        continue;
      if (t.patterns.some((p) => globMatch(p, text)))
        return { t, text };
    }
  }
  return null;
}
function listText(v) {
  if (v === null || v === void 0)
    return null;
  if (Array.isArray(v))
    return v.map((x) => argText(x) ?? "").join(" ");
  try {
    if (typeof v.toArray === "function") {
      const a = v.toArray();
      return Array.from(a).map((x) => argText(x) ?? "").join(" ");
    }
  } catch (e) {
  }
  return argText(v);
}
function intentTexts(v) {
  const out = [];
  for (const get of [() => v.getAction(), () => v.getPackage(), () => v.getComponent().getPackageName()]) {
    try {
      const x = get();
      out.push(x === null || x === void 0 ? null : String(x));
    } catch (e) {
      out.push(null);
    }
  }
  return out;
}
function matchTarget(e, self, args) {
  const f = e.arg_filter;
  const v = f.index < 0 ? self : args[f.index];
  switch (f.match) {
    case "command":
      return targetFor("command", [f.index < 0 ? listText(v.command()) : listText(v)]);
    case "service":
      return targetFor("service", intentTexts(v));
    case "setting": {
      const s = argText(v);
      return s === null ? null : targetFor("setting", [`${f.namespace ?? "system"}/${s}`]);
    }
    case "provider": {
      const s = argText(v);
      if (s === null)
        return null;
      return targetFor("provider", [f.authority_prefix && !s.includes("://") ? f.authority_prefix + s : s]);
    }
    default:
      return targetFor(f.match, [argText(v)]);
  }
}
var defaultUse = (cls) => frida_java_bridge_default.use(cls);
function argText(v) {
  if (v === null || v === void 0)
    return null;
  if (typeof v === "string")
    return v;
  try {
    return String(v.toString());
  } catch (e) {
    return null;
  }
}
function filterMatch(e, args, cfg) {
  const f = e.arg_filter;
  if (f === null)
    return { ok: true };
  if (f.own_result !== void 0)
    return { ok: true };
  if (f.intent && f.other_package) {
    const [, pkg, comp] = intentTexts(args[f.index]);
    const s2 = pkg ?? comp;
    return s2 === null ? { ok: false } : { ok: s2 !== cfg.package, shown: s2 };
  }
  const s = argText(args[f.index]);
  if (s === null)
    return { ok: false };
  if (f.equals !== void 0)
    return { ok: f.equals.includes(s), shown: s };
  if (f.uri_prefix !== void 0) {
    const p = f.uri_prefix.find((x) => s.startsWith(x));
    return p === void 0 ? { ok: false } : { ok: true, shown: p + (s.length > p.length ? "\u2026" : "") };
  }
  if (f.other_package)
    return { ok: s !== cfg.package, shown: s === cfg.package ? s : void 0 };
  return { ok: true };
}
function ownProcessesOnly(ret, pkg) {
  if (ret === null || ret === void 0 || !pkg)
    return false;
  try {
    const n = ret.size();
    const Info = frida_java_bridge_default.use("android.app.ActivityManager$RunningAppProcessInfo");
    for (let i = 0; i < n; i++) {
      const name = String(frida_java_bridge_default.cast(ret.get(i), Info).processName.value);
      if (name !== pkg && !name.startsWith(pkg + ":"))
        return false;
    }
    return true;
  } catch (err) {
    return false;
  }
}
function summarizeArgs(args, filterIndex, shown) {
  return args.map((a, i) => i === filterIndex && shown !== void 0 ? shown : summarize(a));
}
function groups(table) {
  const out = /* @__PURE__ */ new Map();
  for (const e of table) {
    if (e.kind !== "method" || e.impl_only === true)
      continue;
    const cls = e.hook_class ?? e.cls;
    for (const d of e.descriptors) {
      const k = `${cls}|${e.member}|${d}`;
      let g = out.get(k);
      if (g === void 0) {
        g = { cls, member: e.member, desc: d, entries: [] };
        out.set(k, g);
      }
      g.entries.push(e);
    }
  }
  return out;
}
function hookOverload(cls, member, desc, entries, cfg, use = (c) => frida_java_bridge_default.use(c)) {
  const canaries = cfg.canaries ?? {};
  const ov = use(cls)[member === "<init>" ? "$init" : member].overload(...overloadTypes(desc));
  const retDesc = splitDescriptor(desc).ret;
  ov.implementation = function(...args) {
    let ret;
    let threw = null;
    const token = enter();
    try {
      ret = ov.call(this, ...args);
    } catch (err) {
      threw = err;
    } finally {
      leave(token);
    }
    if (token < 0) {
      if (threw !== null)
        throw threw;
      return ret;
    }
    try {
      for (const e of entries) {
        let hit = null;
        let m;
        if (e.arg_filter !== null && e.arg_filter.match !== void 0) {
          hit = matchTarget(e, this, args);
          m = hit === null ? { ok: false } : { ok: true, shown: hit.text };
        } else {
          m = filterMatch(e, args, cfg);
        }
        if (!m.ok)
          continue;
        const self = e.arg_filter !== null && e.arg_filter.own_result === "processes" && threw === null && ownProcessesOnly(ret, cfg.package);
        const ev = {
          api_id: e.id,
          args: summarizeArgs(args, e.arg_filter ? e.arg_filter.index : null, m.shown),
          canary: false
        };
        if (hit !== null) {
          ev.target = hit.t.id;
          ev.target_value = hit.text;
        }
        const ovIndex = e.descriptors.indexOf(desc);
        if (ovIndex > 0)
          ev.ov = ovIndex;
        if (cls !== e.cls)
          ev.impl = cls;
        const canaryCat = hit !== null ? hit.t.canary : e.canary;
        const value = canaryCat !== null ? canaries[canaryCat] : void 0;
        if (threw !== null) {
          ev.threw = String(threw);
        } else if (value !== void 0) {
          const planted2 = plant(member, retDesc, value, ret);
          if (planted2 !== void 0) {
            ret = planted2;
            ev.canary = true;
            ev.ret = { t: "canary", value };
          }
        }
        if (ev.ret === void 0 && threw === null)
          ev.ret = summarize(ret);
        emit(self ? "self_read" : "read", ev);
        break;
      }
    } catch (err) {
      hookError(`hook ${cls}.${member}`, err);
    }
    if (threw !== null)
      throw threw;
    return ret;
  };
}
function installApiHooks(table, cfg, report3, use = defaultUse) {
  const canaries = cfg.canaries ?? {};
  const level2 = apiLevel3();
  for (const g of groups(table).values()) {
    const since = Math.max(...g.entries.map((e) => e.api?.[e.descriptors.indexOf(g.desc)] ?? 1));
    if (level2 > 0 && since > level2) {
      for (const e of g.entries)
        report3.limits.push(notOnThisLevel(e.id, `${g.cls}.${g.member}${g.desc}`, since));
      continue;
    }
    try {
      hookOverload(g.cls, g.member, g.desc, g.entries, cfg, use);
    } catch (err) {
      for (const e of g.entries)
        report3.missing.push({ id: e.id, reason: String(err) });
      continue;
    }
    for (const e of g.entries)
      if (!report3.hooked.includes(e.id))
        report3.hooked.push(e.id);
  }
  for (const e of table) {
    if (e.kind !== "field")
      continue;
    report3.limits.push(`${e.id}: static field reads are not observable by hooks`);
    const value = e.canary !== null ? canaries[e.canary] : void 0;
    if (value === void 0)
      continue;
    try {
      use(e.cls)[e.member].value = value;
      report3.limits.push(`${e.id}: canary planted in the field at load`);
    } catch (err) {
      report3.missing.push({ id: e.id, reason: String(err) });
    }
  }
}

// src/consent.ts
var NAMES_EXTRA = "android.content.pm.extra.REQUEST_PERMISSIONS_NAMES";
var RESULTS_EXTRA = "android.content.pm.extra.REQUEST_PERMISSIONS_RESULTS";
function stringList(v) {
  if (v === null || v === void 0)
    return null;
  if (typeof v === "string")
    return [v];
  try {
    const c = v.$className;
    if (c === "java.lang.String")
      return [String(v)];
    if (typeof c === "string" && c !== "[Ljava.lang.String;")
      return null;
  } catch (e) {
    return null;
  }
  const n = v.length;
  if (typeof n !== "number")
    return null;
  const out = [];
  for (let i = 0; i < n; i++)
    out.push(String(v[i]));
  return out;
}
function installPermissionHooks(table, report3, use = defaultUse, results = true) {
  for (const e of table) {
    if (e.kind !== "permission_request")
      continue;
    for (let i = 0; i < e.descriptors.length; i++) {
      const desc = e.descriptors[i];
      const api7 = e.smali[i];
      let ov;
      try {
        ov = use(e.cls)[e.member].overload(...overloadTypes(desc));
      } catch (err) {
        report3.missing.push({ id: e.id, reason: String(err) });
        continue;
      }
      ov.implementation = function(...args) {
        const token = enter();
        try {
          if (token >= 0)
            record(args);
          return ov.call(this, ...args);
        } finally {
          leave(token);
        }
      };
      const record = (args) => {
        try {
          let perms = null;
          let code = null;
          for (const a of args) {
            if (typeof a === "number" && code === null)
              code = a;
            else if (perms === null)
              perms = stringList(a);
          }
          if (perms !== null && perms.length > 0 && perms.every((p) => p.includes("permission"))) {
            emit("permission_request", { api: api7, api_id: e.id, permissions: perms, request_code: code });
          }
        } catch (err) {
          hookError(`hook ${e.id}`, err);
        }
      };
      if (!report3.hooked.includes(e.id))
        report3.hooked.push(e.id);
    }
  }
  if (!results)
    return;
  try {
    const ov = frida_java_bridge_default.use("android.app.Activity").dispatchRequestPermissionsResult.overload("int", "android.content.Intent");
    ov.implementation = function(code, data) {
      try {
        const names2 = data === null ? null : stringList(data.getStringArrayExtra(NAMES_EXTRA));
        const grants = data === null ? null : javaInts(data.getIntArrayExtra(RESULTS_EXTRA));
        const results2 = {};
        if (names2 !== null) {
          names2.forEach((p, i) => {
            const g = grants !== null && i < grants.length ? grants[i] : -1;
            results2[p] = g === 0 ? "granted" : "denied";
          });
        }
        emit("permission_result", { api_id: "perm.activity.dispatchRequestPermissionsResult", request_code: code, results: results2 });
      } catch (err) {
        hookError("hook dispatchRequestPermissionsResult", err);
      }
      return ov.call(this, code, data);
    };
    report3.hooked.push("perm.activity.dispatchRequestPermissionsResult");
    deoptimizeCallers("perm.activity.dispatchRequestPermissionsResult", report3);
  } catch (err) {
    report3.missing.push({ id: "perm.activity.dispatchRequestPermissionsResult", reason: String(err) });
  }
}
var markerState = /* @__PURE__ */ new Map();
function transition(id, granted) {
  const before = markerState.get(id) === true;
  markerState.set(id, granted);
  return granted ? "granted" : before ? "withdrawn" : "declined";
}
function sameValue(a, want) {
  if (want === void 0 || want === null)
    return a === true || a === "true";
  return String(a) === String(want);
}
function emitMarker(m, marker, value, granted) {
  emit("consent_marker", { scope: m.scope, marker, value, transition: transition(marker, granted) });
}
function installMethodMarker(m, report3, use = defaultUse) {
  const name = m.method;
  const dot = name.lastIndexOf(".");
  const cls = name.slice(0, dot);
  const meth = name.slice(dot + 1);
  const id = `method:${name}`;
  try {
    const overloads = use(cls)[meth].overloads;
    if (overloads.length === 0)
      throw new Error(`no method ${meth}`);
    for (const ov of overloads) {
      ov.implementation = function(...args) {
        try {
          const b = args.find((a) => typeof a === "boolean");
          const value = b === void 0 ? true : b;
          emitMarker(m, id, value, value === true);
        } catch (err) {
          hookError(`marker ${id}`, err);
        }
        return ov.call(this, ...args);
      };
    }
    report3.hooked.push(id);
  } catch (err) {
    report3.missing.push({ id, reason: String(err) });
  }
}
function prefsFile(editor) {
  try {
    const name = String(editor["this$0"].value.mFile.value.getName());
    return name.endsWith(".xml") ? name.slice(0, -4) : name;
  } catch (e) {
    return null;
  }
}
function installPrefsMarkers(markers, report3) {
  if (markers.length === 0)
    return;
  const find = (file, key) => markers.find((m) => m.prefs_key === key && (m.prefs_file == null || file === null || m.prefs_file === file));
  const Editor = frida_java_bridge_default.use("android.app.SharedPreferencesImpl$EditorImpl");
  const puts = [
    ["putBoolean", "boolean"],
    ["putString", "java.lang.String"],
    ["putInt", "int"],
    ["putLong", "long"]
  ];
  for (const [meth, type] of puts) {
    try {
      const ov = Editor[meth].overload("java.lang.String", type);
      ov.implementation = function(key, value) {
        try {
          const file = prefsFile(this);
          const m = find(file, String(key));
          if (m !== void 0) {
            const id = `prefs:${m.prefs_file ?? file ?? "?"}/${m.prefs_key}`;
            emitMarker(m, id, value, sameValue(value, m.value));
          }
        } catch (err) {
          hookError(`marker ${meth}`, err);
        }
        return ov.call(this, key, value);
      };
    } catch (err) {
      report3.missing.push({ id: `prefs:${meth}`, reason: String(err) });
    }
  }
  try {
    const ov = Editor.remove.overload("java.lang.String");
    ov.implementation = function(key) {
      try {
        const file = prefsFile(this);
        const m = find(file, String(key));
        if (m !== void 0)
          emitMarker(m, `prefs:${m.prefs_file ?? file ?? "?"}/${m.prefs_key}`, null, false);
      } catch (err) {
        hookError("marker remove", err);
      }
      return ov.call(this, key);
    };
  } catch (err) {
    report3.missing.push({ id: "prefs:remove", reason: String(err) });
  }
  for (const m of markers)
    report3.hooked.push(`prefs:${m.prefs_file ?? "*"}/${m.prefs_key}`);
}
function installMarkerHooks(cfg, report3, appClasses) {
  const markers = cfg.markers ?? [];
  if (appClasses) {
    for (const m of markers)
      if (m.method)
        installMethodMarker(m, report3);
  } else {
    installPrefsMarkers(markers.filter((m) => !m.method && m.prefs_key), report3);
  }
}

// src/derive.ts
var SCAN_CAP = 64 * 1024;
var OUT_PREFIX = 48;
var OUT_CAP = 1024 * 1024;
var KNOWN_MAX = 512;
var REVERSIBLE = /* @__PURE__ */ new Set(["base64"]);
var STATE_MAX = 4096;
var forms = [];
var known = [];
var states = /* @__PURE__ */ new Map();
function shortName(category) {
  const i = category.lastIndexOf(".");
  return i >= 0 ? category.slice(i + 1) : category;
}
function utf8Latin1(s) {
  return unescape(encodeURIComponent(s));
}
var javaDepth2 = /* @__PURE__ */ new Map();
function inJavaCrypto() {
  return (javaDepth2.get(Process.getCurrentThreadId()) ?? 0) > 0;
}
function javaCall(fn) {
  const tid = Process.getCurrentThreadId();
  javaDepth2.set(tid, (javaDepth2.get(tid) ?? 0) + 1);
  try {
    return fn();
  } finally {
    const d = (javaDepth2.get(tid) ?? 1) - 1;
    if (d <= 0)
      javaDepth2.delete(tid);
    else
      javaDepth2.set(tid, d);
  }
}
function followed() {
  return forms.length > 0;
}
function initDerive(canaries) {
  const out = [];
  for (const [category, value] of Object.entries(canaries)) {
    const variants = /* @__PURE__ */ new Set([value, value.toLowerCase(), value.toUpperCase()]);
    if (/[:\-]/.test(value)) {
      const ns = value.replace(/[:\-]/g, "");
      variants.add(ns);
      variants.add(ns.toLowerCase());
      variants.add(ns.toUpperCase());
    }
    for (const v of variants)
      if (v.length >= 4)
        out.push({ text: utf8Latin1(v), category, chain: null });
  }
  forms = out;
}
function bytesOf(v, cap2, off = 0, len = -1) {
  if (v === null || v === void 0)
    return [];
  if (typeof v === "string") {
    const s = utf8Latin1(v);
    const a = [];
    for (let i = 0; i < s.length && i < cap2; i++)
      a.push(s.charCodeAt(i));
    return a;
  }
  if (typeof v.length !== "number")
    return [];
  return Array.from(javaBytes2(v, off, len, cap2));
}
function latin1(b, cap2) {
  let s = "";
  const n = Math.min(b.length, cap2);
  for (let i = 0; i < n; i += 4096)
    s += String.fromCharCode(...b.slice(i, Math.min(n, i + 4096)));
  return s;
}
function hex(b) {
  return b.map((x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
}
function newSeen() {
  return { cats: /* @__PURE__ */ new Set(), order: [], json: false };
}
function look(seen, input) {
  if (input.length === 0)
    return;
  const text = latin1(input, SCAN_CAP);
  const first = text.replace(/^\s+/, "").charAt(0);
  if (seen.order.length === 0 && seen.cats.size === 0 && (first === "{" || first === "["))
    seen.json = true;
  const hits = [];
  for (const f of forms) {
    const at = text.indexOf(f.text);
    if (at >= 0)
      hits.push({ at, f });
  }
  for (const f of known) {
    const at = text.indexOf(f.text);
    if (at >= 0)
      hits.push({ at, f });
  }
  hits.sort((a, b) => a.at - b.at);
  for (const h of hits) {
    if (h.f.chain !== null)
      seen.derivedIn = true;
    for (const c of h.f.category.split(","))
      seen.cats.add(c);
    const part = h.f.chain ?? shortName(h.f.category);
    if (!seen.order.includes(part))
      seen.order.push(part);
  }
}
function inner(seen) {
  if (seen.json)
    return "json";
  return seen.order.join("+");
}
function rememberOutput(out, cats, chain) {
  if (out.length < 8)
    return;
  const prefix = out.slice(0, OUT_PREFIX);
  const category = cats.join(",");
  const add = (text) => {
    if (known.length >= KNOWN_MAX)
      known.shift();
    known.push({ text, category, chain });
  };
  add(latin1(prefix, OUT_PREFIX));
  add(hex(prefix));
  add(hex(prefix).toUpperCase());
}
function derived(transform, seen, out, extra) {
  if (seen.cats.size === 0)
    return;
  const cats = [...seen.cats].sort();
  const chain = `${transform}(${inner(seen)})`;
  const ev = { categories: cats, chain, transform };
  if (out !== null && out.length > 0) {
    ev.out_len = out.length;
    ev.out_sha256 = Checksum.compute("sha256", out.slice(0, OUT_CAP));
    if (!(REVERSIBLE.has(transform) && !seen.derivedIn)) {
      ev.out_prefix = hex(out.slice(0, OUT_PREFIX));
      rememberOutput(out, cats, chain);
    }
  }
  if (extra)
    Object.assign(ev, extra);
  emit("derived", ev);
}
function idOf(obj) {
  try {
    return String(obj.hashCode());
  } catch (e) {
    return "?";
  }
}
function state2(obj) {
  const k = idOf(obj);
  let s = states.get(k);
  if (s === void 0) {
    if (states.size >= STATE_MAX)
      states.clear();
    s = { seen: newSeen(), keyBits: 0, out: [] };
    states.set(k, s);
  }
  return s;
}
function drop(obj) {
  states.delete(idOf(obj));
}
function algorithm(obj) {
  try {
    return String(obj.getAlgorithm());
  } catch (e) {
    return "?";
  }
}
function digestName(alg) {
  return alg.toLowerCase().replace(/-/g, "");
}
function cipherName(alg, keyBits) {
  const [name, mode2] = alg.split("/");
  const n = name.toLowerCase();
  if (n === "aes")
    return `aes-${keyBits || 128}-${(mode2 || "ecb").toLowerCase()}`;
  return n;
}
function each(cls, member, fn, installed) {
  try {
    const ovs = frida_java_bridge_default.use(cls)[member].overloads;
    for (const ov of ovs)
      fn(ov);
    if (ovs.length > 0)
      installed.push(`${cls}.${member}`);
  } catch (e) {
  }
}
function argBytes(ov, args) {
  const types = ov.argumentTypes.map((t) => String(t.className ?? t.name));
  if (types[0] === "[B")
    return bytesOf(args[0], SCAN_CAP, types.length >= 3 ? args[1] : 0, types.length >= 3 ? args[2] : -1);
  if (types[0] === "byte")
    return [args[0] & 255];
  return [];
}
function guard(where, fn) {
  try {
    fn();
  } catch (e) {
    hookError(where, e);
  }
}
function installDeriveHooks(canaries, installed) {
  initDerive(canaries);
  if (forms.length === 0)
    return;
  for (const cls of ["java.security.MessageDigest", "javax.crypto.Mac"]) {
    const name = (o) => cls.endsWith("Mac") ? algorithm(o).toLowerCase() : digestName(algorithm(o));
    each(cls, "update", (ov) => {
      ov.implementation = function(...args) {
        guard(`${cls}.update`, () => look(state2(this).seen, argBytes(ov, args)));
        return javaCall(() => ov.call(this, ...args));
      };
    }, installed);
    each(cls, cls.endsWith("Mac") ? "doFinal" : "digest", (ov) => {
      ov.implementation = function(...args) {
        const types = ov.argumentTypes.map((t) => String(t.className ?? t.name));
        if (types.length === 1 && types[0] === "[B")
          guard(`${cls}.final`, () => look(state2(this).seen, bytesOf(args[0], SCAN_CAP)));
        const ret = javaCall(() => ov.call(this, ...args));
        if (types.length <= 1) {
          guard(`${cls}.final`, () => {
            const s = state2(this);
            drop(this);
            derived(name(this), s.seen, bytesOf(ret, OUT_CAP));
          });
        }
        return ret;
      };
    }, installed);
  }
  const C = "javax.crypto.Cipher";
  each(C, "init", (ov) => {
    ov.implementation = function(...args) {
      guard(`${C}.init`, () => {
        const s = { seen: newSeen(), keyBits: 0, out: [] };
        try {
          const enc = args[1].getEncoded();
          if (enc !== null && enc !== void 0)
            s.keyBits = Number(enc.length) * 8;
        } catch (e) {
        }
        drop(this);
        states.set(idOf(this), s);
      });
      return javaCall(() => ov.call(this, ...args));
    };
  }, installed);
  each(C, "update", (ov) => {
    ov.implementation = function(...args) {
      guard(`${C}.update`, () => look(state2(this).seen, argBytes(ov, args)));
      const ret = javaCall(() => ov.call(this, ...args));
      guard(`${C}.update`, () => {
        const s = state2(this);
        if (Array.isArray(ret) || ret && typeof ret.length === "number")
          s.out = s.out.concat(bytesOf(ret, OUT_CAP - s.out.length));
      });
      return ret;
    };
  }, installed);
  each(C, "doFinal", (ov) => {
    ov.implementation = function(...args) {
      guard(`${C}.doFinal`, () => look(state2(this).seen, argBytes(ov, args)));
      const ret = javaCall(() => ov.call(this, ...args));
      guard(`${C}.doFinal`, () => {
        const s = state2(this);
        const out = ret !== null && ret !== void 0 && typeof ret === "object" ? s.out.concat(bytesOf(ret, OUT_CAP - s.out.length)) : s.out;
        const seen = s.seen;
        s.seen = newSeen();
        s.out = [];
        derived(cipherName(algorithm(this), s.keyBits), seen, out);
      });
      return ret;
    };
  }, installed);
  for (const [cls, members2] of [
    ["android.util.Base64", ["encode", "encodeToString"]],
    ["java.util.Base64$Encoder", ["encode", "encodeToString"]]
  ]) {
    for (const m of members2) {
      each(cls, m, (ov) => {
        ov.implementation = function(...args) {
          const seen = newSeen();
          guard(`${cls}.${m}`, () => look(seen, argBytes(ov, args)));
          const ret = javaCall(() => ov.call(this, ...args));
          guard(`${cls}.${m}`, () => derived("base64", seen, bytesOf(ret, OUT_CAP)));
          return ret;
        };
      }, installed);
    }
  }
  for (const [cls, m, t] of [
    ["java.util.zip.Deflater", "setInput", "deflate"],
    ["java.util.zip.GZIPOutputStream", "write", "gzip"]
  ]) {
    each(cls, m, (ov) => {
      ov.implementation = function(...args) {
        const seen = newSeen();
        guard(`${cls}.${m}`, () => {
          look(seen, argBytes(ov, args));
          derived(t, seen, null);
        });
        return javaCall(() => ov.call(this, ...args));
      };
    }, installed);
  }
}

// src/derivenative.ts
var MAX_STATES = 4096;
var CAP = 64 * 1024;
var states2 = /* @__PURE__ */ new Map();
var hooked = /* @__PURE__ */ new Set();
function bytes(p, n) {
  if (p.isNull() || n <= 0)
    return [];
  return Array.from(new Uint8Array(p.readByteArray(Math.min(n, CAP))));
}
function st(ctx2, name) {
  const k = ctx2.toString();
  let s = states2.get(k);
  if (s === void 0) {
    if (states2.size >= MAX_STATES)
      states2.clear();
    s = { seen: newSeen(), out: [], name };
    states2.set(k, s);
  }
  return s;
}
function digestName2(len) {
  return { 16: "md5", 20: "sha1", 28: "sha224", 32: "sha256", 48: "sha384", 64: "sha512" }[len] ?? "digest";
}
function attach(m, name, cb, out) {
  const f = m.findExportByName(name);
  if (f === null || hooked.has(f.toString()))
    return;
  hooked.add(f.toString());
  try {
    Interceptor.attach(f, cb);
    out.push(`${m.name}!${name}`);
  } catch (e) {
  }
}
function cipherNamer(m) {
  const fn = (n, r, a) => {
    const p = m.findExportByName(n);
    return p === null ? null : new NativeFunction(p, r, a);
  };
  const get0 = fn("EVP_CIPHER_CTX_get0_cipher", "pointer", ["pointer"]) ?? fn("EVP_CIPHER_CTX_cipher", "pointer", ["pointer"]);
  const name3 = fn("EVP_CIPHER_get0_name", "pointer", ["pointer"]);
  const nid = fn("EVP_CIPHER_nid", "int", ["pointer"]);
  const nid2sn = fn("OBJ_nid2sn", "pointer", ["int"]);
  return (ctx2) => {
    try {
      if (get0 === null)
        return "evp-cipher";
      const c = get0(ctx2);
      if (c.isNull())
        return "evp-cipher";
      let n = null;
      if (name3 !== null)
        n = name3(c).readCString();
      else if (nid !== null && nid2sn !== null)
        n = nid2sn(nid(c)).readCString();
      return (n ?? "evp-cipher").toLowerCase();
    } catch (e) {
      return "evp-cipher";
    }
  };
}
function hookModule(m, out) {
  attach(m, "EVP_DigestUpdate", {
    onEnter(a) {
      if (inJavaCrypto())
        return;
      look(st(a[0], "digest").seen, bytes(a[1], a[2].toInt32()));
    }
  }, out);
  attach(m, "EVP_DigestFinal_ex", {
    onEnter(a) {
      this.ctx = a[0];
      this.md = a[1];
      this.len = a[2];
    },
    onLeave() {
      try {
        if (inJavaCrypto())
          return;
        const k = this.ctx.toString();
        const s = states2.get(k);
        states2.delete(k);
        if (s === void 0)
          return;
        const n = this.len.isNull() ? 0 : this.len.readU32();
        derived(digestName2(n), s.seen, bytes(this.md, n), { native: m.name });
      } catch (e) {
        hookError("EVP_DigestFinal_ex", e);
      }
    }
  }, out);
  for (const [alg, len] of [["MD5", 16], ["SHA1", 20], ["SHA256", 32]]) {
    attach(m, `${alg}_Update`, {
      onEnter(a) {
        if (inJavaCrypto())
          return;
        look(st(a[0], alg.toLowerCase()).seen, bytes(a[1], a[2].toInt32()));
      }
    }, out);
    attach(m, `${alg}_Final`, {
      onEnter(a) {
        this.md = a[0];
        this.ctx = a[1];
      },
      onLeave() {
        try {
          const k = this.ctx.toString();
          const s = states2.get(k);
          states2.delete(k);
          if (s !== void 0 && !inJavaCrypto())
            derived(alg.toLowerCase(), s.seen, bytes(this.md, len), { native: m.name });
        } catch (e) {
          hookError(`${alg}_Final`, e);
        }
      }
    }, out);
  }
  const namer = cipherNamer(m);
  attach(m, "EVP_EncryptUpdate", {
    onEnter(a) {
      if (inJavaCrypto())
        return;
      this.s = st(a[0], namer(a[0]));
      look(this.s.seen, bytes(a[3], a[4].toInt32()));
      this.out = a[1];
      this.outl = a[2];
    },
    onLeave() {
      if (this.s === void 0 || this.out.isNull())
        return;
      const s = this.s;
      s.out = s.out.concat(bytes(this.out, this.outl.readS32())).slice(0, CAP);
    }
  }, out);
  attach(m, "EVP_EncryptFinal_ex", {
    onEnter(a) {
      this.ctx = a[0];
      this.out = a[1];
      this.outl = a[2];
    },
    onLeave() {
      try {
        if (inJavaCrypto())
          return;
        const k = this.ctx.toString();
        const s = states2.get(k);
        states2.delete(k);
        if (s === void 0)
          return;
        const tail = bytes(this.out, this.outl.readS32());
        derived(s.name, s.seen, s.out.concat(tail), { native: m.name });
      } catch (e) {
        hookError("EVP_EncryptFinal_ex", e);
      }
    }
  }, out);
  attach(m, "AES_cbc_encrypt", {
    onEnter(a) {
      if (inJavaCrypto() || a[5].toInt32() === 0)
        return;
      this.seen = newSeen();
      look(this.seen, bytes(a[0], a[2].toInt32()));
      this.out = a[1];
      this.len = a[2].toInt32();
    },
    onLeave() {
      if (this.seen === void 0)
        return;
      derived("aes-cbc", this.seen, bytes(this.out, this.len), { native: m.name });
    }
  }, out);
}
function installNativeDerive(out) {
  if (!followed())
    return;
  for (const m of Process.enumerateModules()) {
    if (m.findExportByName("EVP_DigestUpdate") === null && m.findExportByName("MD5_Update") === null)
      continue;
    try {
      hookModule(m, out);
    } catch (e) {
      hookError(`native crypto hooks in ${m.name}`, e);
    }
  }
}

// src/native.ts
var MODE = { str: 0, argv: 1, num: 2, netlink: 3, netlinkMsg: 4, propInfo: 5, always: 6 };
var KINDS = ["path", "property", "command", "ioctl"];
var C_SOURCE = `
#include <gum/guminterceptor.h>

typedef struct { int fn; int index; int mode; int kind; int propget; } Spec;
typedef struct { void * buf; const unsigned char * canary; int what; } State;
extern void * sg_hit (int fn, int target, const char * text, void * ret);
extern int sg_getpid (void);

static int glob (const char * p, const char * s)
{
  const char * star = 0, * back = 0;
  while (*s) {
    if (*p == '*') { star = p++; back = s; }
    else if (*p == *s) { p++; s++; }
    else if (star) { p = star + 1; s = ++back; }
    else return 0;
  }
  while (*p == '*') p++;
  return *p == 0;
}

@TABLES@

static int find (int kind, const char * s)
{
  int i;
  for (i = 0; i < NPAT; i++)
    if (PAT_KIND[i] == kind && glob (PAT[i], s)) return PAT_TARGET[i];
  return -1;
}

void on_enter (GumInvocationContext * ic)
{
  Spec * sp = GUM_IC_GET_FUNC_DATA (ic, Spec *);
  State * st = GUM_IC_GET_INVOCATION_DATA (ic, State);
  char buf[512];
  const char * text = 0;
  int target = -1, i;
  st->what = 0;
  if (gum_invocation_context_get_depth (ic) > 0) return;
  void * a = gum_invocation_context_get_nth_argument (ic, sp->index);
  if (sp->mode == 0) {
    text = (const char *) a;
    if (text) target = find (sp->kind, text);
  } else if (sp->mode == 1) {
    char ** argv = (char **) a; int n = 0;
    if (!argv) return;
    for (i = 0; argv[i] && n < 500; i++) {
      const char * q = argv[i];
      if (i) buf[n++] = ' ';
      while (*q && n < 510) buf[n++] = *q++;
    }
    buf[n] = 0; text = buf;
    target = find (sp->kind, text);
  } else if (sp->mode == 2) {
    unsigned int req = (unsigned int) (gsize) a;
    for (i = 0; i < NNUM; i++) if (NUM[i] == req) { target = NUM_TARGET[i]; break; }
    if (target < 0) return;
    text = 0;
  } else if (sp->mode == 3 || sp->mode == 4) {
    const unsigned char * m = (const unsigned char *) a; gsize len;
    if (!m) return;
    if (sp->mode == 4) {
      const unsigned char * const * iov = *(const unsigned char * const * const *) (m + 2 * sizeof (void *));
      if (!iov) return;
      len = (gsize) iov[1]; m = iov[0];
      if (!m) return;
    } else {
      len = (gsize) gum_invocation_context_get_nth_argument (ic, 2);
    }
    if (len < 16) return;
    if (*(const unsigned short *) (m + 4) != 18 || !(*(const unsigned short *) (m + 6) & 1)) return;
    target = -2;
  } else if (sp->mode == 5) {
    text = a ? (const char *) a + 96 : 0;
    if (text) target = find (sp->kind, text);
  } else {
    target = -2;
  }
  if (target == -1) return;
  /* a vfork/fork child (posix_spawn, Runtime.exec -> execve) shares or copies this code but not the
     agent: it must never enter JS. Checked only on a match, so ordinary calls pay no syscall. */
  if (sg_getpid () != OWN_PID) return;
  {
    const unsigned char * c = (const unsigned char *) sg_hit (sp->fn, target, text ? text : "",
        gum_invocation_context_get_return_address (ic));
    if (!c) return;
    if (sp->kind == 0 && sp->mode == 0) {
      gum_invocation_context_replace_nth_argument (ic, sp->index, (gpointer) c);
    } else if (sp->propget) {
      st->what = 1; st->buf = gum_invocation_context_get_nth_argument (ic, 1); st->canary = c;
    } else if (sp->mode == 2) {
      st->what = 2; st->buf = gum_invocation_context_get_nth_argument (ic, 2); st->canary = c;
    }
  }
}

void on_leave (GumInvocationContext * ic)
{
  State * st = GUM_IC_GET_INVOCATION_DATA (ic, State);
  int i;
  if (st->what == 1 && st->buf) {
    char * d = (char *) st->buf;
    for (i = 0; st->canary[i] && i < 91; i++) d[i] = st->canary[i];
    d[i] = 0;
    gum_invocation_context_replace_return_value (ic, (gpointer) (gsize) i);
  } else if (st->what == 2 && st->buf && (gsize) gum_invocation_context_get_return_value (ic) == 0) {
    unsigned char * d = (unsigned char *) st->buf + 18;
    for (i = 0; i < 6; i++) d[i] = st->canary[i];
  }
  st->what = 0;
}
`;
function cString(s) {
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, "?");
}
function tables(targets) {
  const pats = [], kinds = [], tg = [];
  const nums = [], numTg = [];
  targets.forEach((t, i) => {
    const k = KINDS.indexOf(t.kind);
    if (k < 0)
      return;
    for (const p of t.patterns) {
      if (t.kind === "ioctl") {
        nums.push(parseInt(p, p.startsWith("0x") ? 16 : 10) >>> 0);
        numTg.push(i);
      } else {
        pats.push(cString(p));
        kinds.push(k);
        tg.push(i);
      }
    }
  });
  const arr = (t, name, v) => `static const ${t} ${name}[] = { ${v.length ? v.join(", ") : "0"} };`;
  return [
    `#define NPAT ${pats.length}`,
    `#define NNUM ${nums.length}`,
    `#define OWN_PID ${Process.id}`,
    arr("char * const", "PAT", pats.length ? pats : ['""']),
    arr("int", "PAT_KIND", kinds),
    arr("int", "PAT_TARGET", tg),
    arr("unsigned int", "NUM", nums),
    arr("int", "NUM_TARGET", numTg)
  ].join("\n");
}
function resolve(lib2, symbol) {
  const names2 = [lib2, lib2 + ".6", "libc.so.6"];
  for (const n of names2) {
    const m = Process.findModuleByName(n);
    const p = m?.findExportByName(symbol) ?? null;
    if (p !== null)
      return p;
  }
  const g = Module.findGlobalExportByName(symbol);
  if (g !== null)
    return g;
  for (const m of Process.enumerateModules()) {
    const p = m.findExportByName(symbol);
    if (p !== null)
      return p;
  }
  return null;
}
function modeOf(e) {
  const f = e.arg_filter;
  if (f === null)
    return MODE.always;
  if (f.netlink !== void 0)
    return f.msghdr ? MODE.netlinkMsg : MODE.netlink;
  if (f.prop_info)
    return MODE.propInfo;
  if (f.argv)
    return MODE.argv;
  if (f.match === "ioctl")
    return MODE.num;
  return MODE.str;
}
var keep = [];
var MEMFD_API = 30;
function memfdAvailable() {
  const level2 = apiLevel3();
  return (level2 === 0 || level2 >= MEMFD_API) && resolve("libc.so", "memfd_create") !== null;
}
function planted(t, value) {
  if (t.kind === "ioctl") {
    const bytes2 = value.split(":").map((h) => parseInt(h, 16));
    const b = Memory.alloc(8);
    b.writeByteArray(bytes2);
    return b;
  }
  if (t.kind === "property")
    return Memory.allocUtf8String(value);
  if (t.kind === "path") {
    const memfd = memfdAvailable() ? resolve("libc.so", "memfd_create") : null;
    if (memfd === null)
      return null;
    const fd = new NativeFunction(memfd, "int", ["pointer", "uint"])(Memory.allocUtf8String("sdkgate-canary"), 0);
    if (fd < 0)
      return null;
    const text = value + "\n";
    const buf = Memory.allocUtf8String(text);
    const write = new NativeFunction(resolve("libc.so", "write"), "long", ["int", "pointer", "ulong"]);
    write(fd, buf, text.length);
    return Memory.allocUtf8String(`/proc/self/fd/${fd}`);
  }
  return null;
}
function onJavaThread() {
  try {
    return frida_java_bridge_default.available && frida_java_bridge_default.vm.tryGetEnv() !== null;
  } catch (e) {
    return false;
  }
}
function installNativeHooks(table, cfg, report3, javaDepth3) {
  const natives = table.filter((e) => e.kind === "native");
  if (natives.length === 0)
    return;
  const targets = table.filter((e) => KINDS.includes(e.kind));
  const canaries = cfg.canaries ?? {};
  const plantedFor = /* @__PURE__ */ new Map();
  const hit = new NativeCallback(function(fn, target, text, ret) {
    try {
      if (javaDepth3() > 0)
        return NULL;
      const e = natives[fn];
      const t = target >= 0 ? targets[target] : null;
      const ev = { api_id: e.id, canary: false };
      if (t !== null) {
        ev.target = t.id;
        ev.target_value = t.kind === "ioctl" ? t.patterns[0] : text.readUtf8String();
      }
      const caller = Process.findModuleByAddress(ret);
      ev.native_caller = caller !== null ? caller.name : null;
      const mods = [];
      for (const a of Thread.backtrace(this.context, Backtracer.FUZZY)) {
        const m = Process.findModuleByAddress(a);
        if (m !== null && mods[mods.length - 1] !== m.name)
          mods.push(m.name);
        if (mods.length >= 16)
          break;
      }
      if (ev.native_caller !== null && mods[0] !== ev.native_caller)
        mods.unshift(ev.native_caller);
      ev.native_stack = mods;
      let out = NULL;
      if (t !== null && t.canary !== null && canaries[t.canary] !== void 0) {
        if (!plantedFor.has(target))
          plantedFor.set(target, planted(t, canaries[t.canary]));
        const p = plantedFor.get(target) ?? null;
        if (p !== null) {
          out = p;
          ev.canary = true;
          ev.ret = { t: "canary", value: canaries[t.canary] };
        }
      }
      emit("read", ev, onJavaThread());
      return out;
    } catch (err) {
      state.errors++;
      return NULL;
    }
  }, "pointer", ["int", "int", "pointer", "pointer"]);
  let cm;
  try {
    cm = new CModule(C_SOURCE.replace("@TABLES@", tables(targets)), { sg_hit: hit, sg_getpid: resolve("libc.so", "getpid") ?? NULL });
  } catch (err) {
    for (const e of natives)
      report3.missing.push({ id: e.id, reason: `native filter did not compile: ${err}` });
    return;
  }
  keep.push(cm, hit);
  const level2 = apiLevel3();
  const planting = targets.filter((t) => t.kind === "path" && t.canary !== null && canaries[t.canary] !== void 0);
  if (planting.length > 0 && !memfdAvailable()) {
    report3.limits.push(`${planting.map((t) => t.id).join(", ")}: canary not served: planted files need memfd_create (bionic API ${MEMFD_API}; this device is API ${level2 || "?"}): these reads are recorded, the app gets the real file`);
  }
  natives.forEach((e, i) => {
    const since = e.api?.[0] ?? 1;
    if (level2 > 0 && since > level2) {
      report3.limits.push(notOnThisLevel(e.id, `${e.member} in ${e.cls}`, since));
      return;
    }
    const addr = resolve(e.cls, e.member);
    if (addr === null) {
      report3.missing.push({ id: e.id, reason: `no ${e.member} in ${e.cls} or any loaded module` });
      return;
    }
    const f = e.arg_filter;
    const kind = f?.match !== void 0 ? KINDS.indexOf(f.match) : -1;
    const spec = Memory.alloc(20);
    spec.writeS32(i);
    spec.add(4).writeS32(f?.index ?? 0);
    spec.add(8).writeS32(modeOf(e));
    spec.add(12).writeS32(kind);
    spec.add(16).writeS32(e.member === "__system_property_get" ? 1 : 0);
    keep.push(spec);
    try {
      Interceptor.attach(addr, { onEnter: cm.on_enter, onLeave: cm.on_leave }, spec);
      report3.hooked.push(e.id);
    } catch (err) {
      report3.missing.push({ id: e.id, reason: String(err) });
    }
  });
  Interceptor.flush();
}

// src/input.ts
var CONFIRM_KEYS = /* @__PURE__ */ new Set([23, 62, 66, 160]);
var ACTION_DOWN = 0;
var ACTION_UP = 1;
var last = null;
var injected = /* @__PURE__ */ new Map();
var sdkInt = 0;
var MotionEvent = null;
var KeyEvent = null;
var WindowReceiver = null;
var appPackage = "";
function frameMethod(frame) {
  const open = frame.indexOf("(");
  return open >= 0 ? frame.slice(0, open) : frame;
}
function eventKey(kind, t) {
  return `${kind}|${t}`;
}
function verified(event) {
  let im;
  try {
    im = frida_java_bridge_default.use("android.hardware.input.InputManager").getInstance();
  } catch (e) {
    const app = frida_java_bridge_default.use("android.app.ActivityThread").currentApplication();
    im = frida_java_bridge_default.cast(app.getSystemService("input"), frida_java_bridge_default.use("android.hardware.input.InputManager"));
  }
  return im.verifyInputEvent(event) !== null;
}
function windowOf(receiver) {
  try {
    const vri = frida_java_bridge_default.cast(receiver, WindowReceiver).this$0.value;
    const root = vri.getView();
    return { root: root === null ? null : Number(root.hashCode()), window: String(vri.getTitle()) };
  } catch (e) {
    return { root: null, window: "?" };
  }
}
function observe(receiver, event, caller) {
  const cls = event.$className;
  let d;
  if (cls === "android.view.MotionEvent") {
    const me = frida_java_bridge_default.cast(event, MotionEvent);
    const action = me.getActionMasked();
    if (action === ACTION_DOWN)
      last = null;
    if (action !== ACTION_UP)
      return;
    d = {
      kind: "touch",
      eventTime: Number(me.getEventTime()),
      x: Number(me.getRawX()),
      y: Number(me.getRawY()),
      keyCode: -1,
      root: null,
      window: "",
      real: true,
      why: "",
      used: false
    };
  } else if (cls === "android.view.KeyEvent") {
    const ke = frida_java_bridge_default.cast(event, KeyEvent);
    const code = ke.getKeyCode();
    if (!CONFIRM_KEYS.has(code))
      return;
    const action = ke.getAction();
    if (action === ACTION_DOWN)
      last = null;
    if (action !== ACTION_UP)
      return;
    d = {
      kind: "key",
      eventTime: Number(ke.getEventTime()),
      x: -1,
      y: -1,
      keyCode: code,
      root: null,
      window: "",
      real: true,
      why: "",
      used: false
    };
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
function remember(event) {
  const cls = event.$className;
  const kind = cls === "android.view.KeyEvent" ? "key" : cls === "android.view.MotionEvent" ? "touch" : null;
  if (kind === null)
    return;
  const t = Number((kind === "key" ? frida_java_bridge_default.cast(event, KeyEvent) : frida_java_bridge_default.cast(event, MotionEvent)).getEventTime());
  if (injected.size > 256)
    injected.clear();
  injected.set(eventKey(kind, t), t);
}
function installInputHooks(pkg, stackOf, report3) {
  appPackage = pkg;
  try {
    sdkInt = Number(frida_java_bridge_default.use("android.os.Build$VERSION").SDK_INT.value);
  } catch (e) {
    sdkInt = 0;
  }
  MotionEvent = frida_java_bridge_default.use("android.view.MotionEvent");
  KeyEvent = frida_java_bridge_default.use("android.view.KeyEvent");
  WindowReceiver = frida_java_bridge_default.use("android.view.ViewRootImpl$WindowInputEventReceiver");
  try {
    const ov = frida_java_bridge_default.use("android.view.InputEventReceiver").dispatchInputEvent.overload("int", "android.view.InputEvent");
    ov.implementation = function(seq, event) {
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
    report3.hooked.push("ui.input_receiver");
  } catch (err) {
    report3.missing.push({ id: "ui.input_receiver", reason: String(err) });
  }
  const injectors = [
    ["android.hardware.input.InputManager", "injectInputEvent"],
    // API 16-33 (hidden)
    ["android.hardware.input.InputManagerGlobal", "injectInputEvent"],
    // API 34+ (hidden)
    ["android.app.UiAutomation", "injectInputEvent"]
    // an instrumentation in the app process
  ];
  for (const [cls, member] of injectors) {
    let overloads;
    try {
      overloads = frida_java_bridge_default.use(cls)[member].overloads;
    } catch (e) {
      continue;
    }
    for (const ov of overloads) {
      ov.implementation = function(...args) {
        try {
          if (args[0] !== null)
            remember(args[0]);
        } catch (err) {
          hookError(`hook ${cls}.${member}`, err);
        }
        return ov.call(this, ...args);
      };
    }
    report3.hooked.push(`ui.inject.${cls.split(".").pop()}`);
  }
}
var DISPATCH_METHODS = /* @__PURE__ */ new Set([
  "dispatchTouchEvent",
  "onTouchEvent",
  "onInterceptTouchEvent",
  "dispatchTransformedTouchEvent",
  "superDispatchTouchEvent",
  "dispatchPointerEvent",
  "dispatchKeyEvent",
  "superDispatchKeyEvent",
  "onKeyUp",
  "onKeyDown",
  "dispatchKeyEventPreIme",
  "onKeyPreIme",
  "dispatch"
]);
var FRAMEWORK_INPUT = /^(android\.view\.|android\.widget\.|com\.android\.internal\.policy\.|android\.app\.(Activity|Dialog)\.)/;
function isDispatchFrame(m) {
  if (FRAMEWORK_INPUT.test(m))
    return true;
  return DISPATCH_METHODS.has(m.slice(m.lastIndexOf(".") + 1));
}
function programmatic(why) {
  return { evidence: "programmatic", why };
}
function landedOn(view, d) {
  if (d.kind !== "touch")
    return true;
  const xy = frida_java_bridge_default.array("int", [0, 0]);
  view.getLocationOnScreen(xy);
  const x0 = Number(xy[0]);
  const y0 = Number(xy[1]);
  return d.x >= x0 && d.x < x0 + Number(view.getWidth()) && d.y >= y0 && d.y < y0 + Number(view.getHeight());
}
function fromDelivery(view, kind) {
  const d = last;
  if (d === null)
    return programmatic("no input event was delivered to the app before the click");
  if (!d.real)
    return programmatic(d.why);
  if (d.used)
    return programmatic("the input event before the click already produced a click");
  if (d.kind !== kind)
    return programmatic(`the click came from a ${kind} path but the last input was a ${d.kind}`);
  let root = null;
  try {
    root = Number(view.getRootView().hashCode());
  } catch (e) {
    root = null;
  }
  if (d.root !== null && root !== null && d.root !== root) {
    return programmatic(`the input went to another window${d.window ? ` (${d.window})` : ""}`);
  }
  if (!landedOn(view, d))
    return programmatic(`the touch at (${d.x}, ${d.y}) was not on the control`);
  d.used = true;
  return {
    evidence: "ui_tap",
    input: {
      kind: d.kind,
      action: "up",
      event_time: d.eventTime,
      window: d.window,
      ...d.kind === "key" ? { key_code: d.keyCode } : {}
    }
  };
}
function services() {
  try {
    const app = frida_java_bridge_default.use("android.app.ActivityThread").currentApplication();
    const am = frida_java_bridge_default.cast(app.getSystemService("accessibility"), frida_java_bridge_default.use("android.view.accessibility.AccessibilityManager"));
    const list = am.getEnabledAccessibilityServiceList(-1);
    const Info = frida_java_bridge_default.use("android.accessibilityservice.AccessibilityServiceInfo");
    const out = [];
    for (let i = 0; i < list.size(); i++)
      out.push(String(frida_java_bridge_default.cast(list.get(i), Info).getId()));
    return out;
  } catch (e) {
    return [];
  }
}
function clickProvenance(view, frames) {
  let i = 0;
  while (i < frames.length && frameMethod(frames[i]).endsWith(".performClick"))
    i++;
  if (frameMethod(frames[i] ?? "") === "android.view.View.performClickInternal")
    i++;
  const entry = frameMethod(frames[i] ?? "");
  if (entry === "android.view.View$PerformClick.run") {
    const next = frameMethod(frames[i + 1] ?? "");
    if (next !== "android.os.Handler.handleCallback")
      return programmatic(`PerformClick.run called by ${next}`);
    return fromDelivery(view, "touch");
  }
  if (entry === "android.view.View.onTouchEvent" || entry === "android.view.View.onKeyUp") {
    for (let j = i; j < frames.length; j++) {
      const m = frameMethod(frames[j]);
      if (m === "android.view.InputEventReceiver.dispatchInputEvent") {
        return fromDelivery(view, entry.endsWith("onKeyUp") ? "key" : "touch");
      }
      if (!isDispatchFrame(m))
        return programmatic(`${m} between the input dispatch and the click`);
    }
    return programmatic(`${entry} was not called by the window's input dispatch`);
  }
  if (entry === "android.view.View.performAccessibilityActionInternal") {
    let j = i + 1;
    while (j < frames.length && frameMethod(frames[j]).endsWith(".performAccessibilityAction"))
      j++;
    const by = frameMethod(frames[j] ?? "");
    if (!by.startsWith("android.view.AccessibilityInteractionController")) {
      return programmatic(`performAccessibilityAction called by ${by || "?"}`);
    }
    const ids2 = services();
    if (ids2.length > 0 && appPackage !== "" && ids2.every((s) => s.startsWith(`${appPackage}/`))) {
      return { evidence: "programmatic", why: "the only enabled accessibility service is the app's own", services: ids2 };
    }
    return { evidence: "accessibility", services: ids2 };
  }
  return programmatic(`performClick called by ${entry || "?"}`);
}

// src/ui.ts
var CLICK_STACK = 96;
var TextView = null;
var DecorView = null;
var WindowParams = null;
var Activity = null;
var ContextWrapper = null;
function idName(view) {
  try {
    const id = view.getId();
    if (typeof id !== "number" || id <= 0)
      return null;
    return String(view.getResources().getResourceEntryName(id));
  } catch (e) {
    return null;
  }
}
function textOf(view) {
  let tv;
  try {
    tv = frida_java_bridge_default.cast(view, TextView);
  } catch (e) {
    return null;
  }
  try {
    const t = tv.getText();
    return t === null || t === void 0 ? null : String(t).trim();
  } catch (e) {
    return null;
  }
}
function idMatches(c, id) {
  return !!c.id && id !== null && (c.id === id || c.id.endsWith(`id/${id}`));
}
function placeOf(view) {
  const out = { title: "", owner: "", activity: "" };
  let root = null;
  try {
    root = view.getRootView();
    out.title = String(frida_java_bridge_default.cast(root.getLayoutParams(), WindowParams).getTitle());
  } catch (e) {
  }
  try {
    out.owner = String(frida_java_bridge_default.cast(root, DecorView).mWindow.value.getCallback().$className);
  } catch (e) {
  }
  try {
    let c = view.getContext();
    for (let i = 0; i < 8 && c !== null; i++) {
      try {
        frida_java_bridge_default.cast(c, Activity);
        out.activity = String(c.$className);
        break;
      } catch (e) {
        c = frida_java_bridge_default.cast(c, ContextWrapper).getBaseContext();
      }
    }
  } catch (e) {
  }
  return out;
}
function inDialog(place, dialogs) {
  return dialogs.some((d) => d === place.owner || d === place.activity || d === place.title || place.title.endsWith(`/${d}`));
}
function installConsentControlHook(cfg, report3) {
  const controls = cfg.consent_controls ?? [];
  if (controls.length === 0)
    return;
  const dialogs = cfg.consent_dialog ?? [];
  TextView = frida_java_bridge_default.use("android.widget.TextView");
  DecorView = frida_java_bridge_default.use("com.android.internal.policy.DecorView");
  WindowParams = frida_java_bridge_default.use("android.view.WindowManager$LayoutParams");
  Activity = frida_java_bridge_default.use("android.app.Activity");
  ContextWrapper = frida_java_bridge_default.use("android.content.ContextWrapper");
  try {
    const ov = frida_java_bridge_default.use("android.view.View").performClick.overload();
    ov.implementation = function() {
      try {
        const id = idName(this);
        let c = controls.find((x) => idMatches(x, id));
        let byText = false;
        let text = null;
        if (c === void 0) {
          text = textOf(this);
          const t = text;
          c = t === null ? void 0 : controls.find((x) => (x.text ?? []).includes(t));
          byText = c !== void 0;
        }
        if (c !== void 0) {
          const place = placeOf(this);
          if (!byText || dialogs.length === 0 || inDialog(place, dialogs)) {
            const p = clickProvenance(this, javaStack(CLICK_STACK).frames);
            emit("consent", {
              scope: c.scope,
              transition: c.transition,
              evidence: p.evidence,
              control: byText ? `text:${text}` : `id/${id}`,
              window: place.owner || place.activity || place.title,
              ...p.why !== void 0 ? { why: p.why } : {},
              ...p.input !== void 0 ? { input: p.input } : {},
              ...p.services !== void 0 ? { services: p.services } : {}
            });
          }
        }
      } catch (err) {
        hookError("hook View.performClick", err);
      }
      return ov.call(this);
    };
    report3.hooked.push("ui.consent_control");
  } catch (err) {
    report3.missing.push({ id: "ui.consent_control", reason: String(err) });
  }
}

// src/impls.ts
var ACC_INTERFACE2 = 512;
var ACC_ABSTRACT = 1024;
var RESCAN_MS = [250, 500, 1e3, 2e3, 5e3];
var rows = /* @__PURE__ */ new Map();
var done = /* @__PURE__ */ new Set();
var config = {};
var checking = false;
var timer = null;
var step = 0;
function factoryFor(loader) {
  if (loader === null || loader === void 0)
    return (c) => frida_java_bridge_default.use(c);
  try {
    const f = frida_java_bridge_default.ClassFactory.get(loader);
    return (c) => f.use(c);
  } catch (e) {
    return (c) => frida_java_bridge_default.use(c);
  }
}
function implementsRow(use, name, iface) {
  const k = use(name).class;
  if ((Number(k.getModifiers()) & (ACC_INTERFACE2 | ACC_ABSTRACT)) !== 0)
    return false;
  return Boolean(use(iface).class.isAssignableFrom(k));
}
function report(st2) {
  emit("agent_status", {
    status: "impl",
    api_id: st2.row.id,
    iface: st2.row.iface,
    iface_loaded: st2.ifaceLoaded,
    hooked: st2.hooked.slice(),
    failed: { ...st2.failed }
  }, false);
}
function scanImplementations() {
  let changed = false;
  const byMember = /* @__PURE__ */ new Map();
  for (const st2 of rows.values()) {
    const list = byMember.get(st2.row.member) ?? [];
    list.push(st2);
    byMember.set(st2.row.member, list);
  }
  for (const [member, states3] of byMember) {
    let groups2;
    try {
      groups2 = frida_java_bridge_default.enumerateMethods(`*!${member}`);
    } catch (err) {
      hookError(`enumerate implementations of ${member}`, err);
      continue;
    }
    for (const g of groups2) {
      const use = factoryFor(g.loader);
      for (const k of g.classes) {
        for (const st2 of states3) {
          const e = st2.row;
          const iface = e.iface;
          let rowChanged = false;
          if (k.name === iface) {
            if (!st2.ifaceLoaded)
              rowChanged = st2.ifaceLoaded = true;
          } else if (k.name === e.cls && e.impl_only !== true) {
            continue;
          } else if (!st2.hooked.includes(k.name) && !(k.name in st2.failed)) {
            try {
              if (!implementsRow(use, k.name, iface))
                continue;
            } catch (err) {
              continue;
            }
            hookImplementation(st2, k.name, use);
            rowChanged = true;
          }
          if (rowChanged) {
            changed = true;
            report(st2);
          }
        }
      }
    }
  }
  return changed;
}
function schedule() {
  const ms = RESCAN_MS[Math.min(step, RESCAN_MS.length - 1)];
  timer = setTimeout(() => {
    timer = null;
    frida_java_bridge_default.perform(() => {
      try {
        step = scanImplementations() ? 0 : step + 1;
      } catch (err) {
        hookError("implementation rescan", err);
      }
    });
    schedule();
  }, ms);
}
var SKIP = /^(android\.|java\.|javax\.|dalvik\.|kotlin\.|kotlinx\.|androidx\.|com\.android\.internal\.)/;
function checkLoaded(loader, name, k) {
  const wanted = /* @__PURE__ */ new Map();
  for (const st2 of rows.values()) {
    const iface = st2.row.iface;
    wanted.set(iface, [...wanted.get(iface) ?? [], st2]);
  }
  const hits = /* @__PURE__ */ new Set();
  let c = k;
  for (let depth3 = 0; depth3 < 4 && c !== null; depth3++) {
    const cn = String(c.getName());
    if (wanted.has(cn))
      hits.add(cn);
    const ifs = c.getInterfaces();
    for (let i = 0; i < ifs.length; i++) {
      const n = String(ifs[i].getName());
      if (wanted.has(n))
        hits.add(n);
    }
    c = c.getSuperclass();
  }
  if (hits.size === 0)
    return;
  const use = factoryFor(loader);
  const abstract = (Number(k.getModifiers()) & (ACC_INTERFACE2 | ACC_ABSTRACT)) !== 0;
  for (const iface of hits) {
    for (const st2 of wanted.get(iface) ?? []) {
      if (name === iface) {
        if (!st2.ifaceLoaded) {
          st2.ifaceLoaded = true;
          report(st2);
        }
      } else if (!abstract && !st2.hooked.includes(name) && !(name in st2.failed)) {
        hookImplementation(st2, name, use);
        report(st2);
      }
    }
  }
}
function hookImplementation(st2, name, use) {
  const was = checking;
  checking = true;
  try {
    hookOverloads(st2, name, use);
  } finally {
    checking = was;
  }
}
function hookOverloads(st2, name, use) {
  let ok = 0;
  const problems = [];
  for (const desc of st2.row.descriptors) {
    const key = `${name}|${st2.row.member}|${desc}`;
    if (done.has(key)) {
      ok++;
      continue;
    }
    try {
      hookOverload(name, st2.row.member, desc, [st2.row], config, use);
      done.add(key);
      ok++;
    } catch (err) {
      problems.push(String(err));
    }
  }
  if (ok > 0 && !st2.hooked.includes(name))
    st2.hooked.push(name);
  else
    st2.failed[name] = problems.join("; ") || "no overload of the table's descriptors";
}
function installLoadClassHook() {
  try {
    const ov = frida_java_bridge_default.use("java.lang.ClassLoader").loadClass.overload("java.lang.String", "boolean");
    ov.implementation = function(name, resolve2) {
      const k = ov.call(this, name, resolve2);
      if (checking || k === null || SKIP.test(String(name)))
        return k;
      checking = true;
      try {
        checkLoaded(this, String(name), k);
      } catch (err) {
        hookError("hook ClassLoader.loadClass", err);
      } finally {
        checking = false;
      }
      return k;
    };
  } catch (err) {
    hookError("hook ClassLoader.loadClass", err);
  }
}
function classesMayHaveLoaded() {
  step = 0;
  if (rows.size > 0 && timer !== null) {
    clearTimeout(timer);
    schedule();
  }
}
function installImplementationHooks(table, cfg) {
  config = cfg;
  for (const e of table) {
    if (e.kind === "method" && e.iface) {
      rows.set(e.id, { row: e, ifaceLoaded: false, hooked: e.impl_only === true ? [] : [e.cls], failed: {} });
    }
  }
  if (rows.size === 0)
    return;
  installLoadClassHook();
  scanImplementations();
  schedule();
}

// src/toolkit.ts
var WEBVIEW = "WebView content (a consent page in a WebView): clicks are handled by the page's scripts";
var found = {};
function uiReport() {
  const names2 = Object.keys(found);
  return {
    toolkits: ["views", ...names2],
    consent_observation: "View.performClick on the manifest's consent controls, with input provenance",
    unobserved: names2.map((n) => found[n])
  };
}
function status() {
  emit("agent_status", { status: "ui", ...uiReport() }, false);
}
function present(name) {
  try {
    const loader = frida_java_bridge_default.classFactory.loader;
    frida_java_bridge_default.use("java.lang.Class").forName(name, false, loader);
    return true;
  } catch (e) {
    return false;
  }
}
function detectToolkits() {
  try {
    for (const [name, cls, why] of UI_TOOLKITS)
      if (present(cls))
        found[name] = why;
  } catch (err) {
    hookError("UI toolkit detection", err);
  }
}
function installWebViewHooks(report3) {
  let overloads;
  try {
    const W = frida_java_bridge_default.use("android.webkit.WebView");
    overloads = [...W.loadUrl.overloads, ...W.loadDataWithBaseURL.overloads];
  } catch (err) {
    report3.missing.push({ id: "ui.webview", reason: String(err) });
    return;
  }
  for (const ov of overloads) {
    ov.implementation = function(...args) {
      if (!("webview" in found)) {
        found.webview = WEBVIEW;
        try {
          status();
        } catch (err) {
          hookError("hook WebView", err);
        }
      }
      return ov.call(this, ...args);
    };
  }
  report3.hooked.push("ui.webview");
}

// src/classloaders.ts
var FRAMEWORK = /^(android|java|javax|dalvik|libcore|sun|com\.android\.(internal|org|okhttp|i18n|icu|ims|id))\./;
var APP_UNDER_FRAMEWORK = /^android\.(support|arch|databinding)\./;
function isFramework(cls) {
  return FRAMEWORK.test(cls) && !APP_UNDER_FRAMEWORK.test(cls);
}
function classMissing(reason) {
  return /ClassNotFoundException|NoClassDefFoundError|Didn't find class/.test(reason);
}
var pendingRows = /* @__PURE__ */ new Map();
var pendingMarkers = /* @__PURE__ */ new Map();
var config2 = {};
var announce = false;
function markerId(m) {
  return `method:${m.method}`;
}
function deferMissing(rows2, markers, report3) {
  const missingClass2 = new Set(report3.missing.filter((m) => classMissing(m.reason)).map((m) => m.id));
  const hooked2 = new Set(report3.hooked);
  for (const id of hooked2) {
    pendingRows.delete(id);
    pendingMarkers.delete(id);
  }
  const deferred2 = [];
  for (const e of rows2) {
    if (missingClass2.has(e.id) && !hooked2.has(e.id)) {
      pendingRows.set(e.id, e);
      deferred2.push(e);
    }
  }
  for (const m of markers)
    if (m.method && missingClass2.has(markerId(m)))
      pendingMarkers.set(markerId(m), m);
  report3.missing = report3.missing.filter((m) => !(missingClass2.has(m.id) && (pendingRows.has(m.id) || pendingMarkers.has(m.id))));
  return deferred2;
}
function pendingIds() {
  return [...pendingRows.keys(), ...pendingMarkers.keys()];
}
function installVia(rows2, markers, use, where, report3) {
  const part = { hooked: [], missing: [], limits: [] };
  installApiHooks(rows2.filter((e) => e.kind !== "permission_request"), config2, part, use);
  installPermissionHooks(rows2.filter((e) => e.kind === "permission_request"), part, use, false);
  for (const m of markers)
    installMethodMarker(m, part, use);
  report3.where = report3.where ?? {};
  for (const id of part.hooked) {
    if (!report3.hooked.includes(id))
      report3.hooked.push(id);
    report3.where[id] = where;
  }
  report3.missing.push(...part.missing);
  report3.limits.push(...part.limits);
}
function initRetries(cfg) {
  config2 = cfg;
}
function startRetries() {
  announce = true;
}
function retryIn(loader, where) {
  if (pendingRows.size === 0 && pendingMarkers.size === 0)
    return;
  if (loader === null || loader === void 0)
    return;
  try {
    const factory = frida_java_bridge_default.ClassFactory.get(loader);
    const use = (cls) => factory.use(cls);
    const rep = { hooked: [], missing: [], limits: [] };
    installVia([...pendingRows.values()], [...pendingMarkers.values()], use, where, rep);
    for (const id of rep.hooked) {
      pendingRows.delete(id);
      pendingMarkers.delete(id);
    }
    if (rep.hooked.length > 0 && announce) {
      const missing = rep.missing.filter((m) => !classMissing(m.reason));
      send({
        type: "status",
        status: "hooked",
        t: nowMs(),
        hooked: rep.hooked,
        missing,
        where: rep.where,
        pending: pendingIds()
      });
    }
  } catch (e) {
    hookError(`class loader retry (${where})`, e);
  }
}
function installApplicationRetry(report3) {
  try {
    const ov = frida_java_bridge_default.use("android.app.Instrumentation").callApplicationOnCreate.overload("android.app.Application");
    ov.implementation = function(app) {
      try {
        retryIn(app.getClassLoader(), "app (the Application's class loader after attachBaseContext)");
      } catch (e) {
        hookError("callApplicationOnCreate retry", e);
      }
      return ov.call(this, app);
    };
    report3.hooked.push("loader.Instrumentation.callApplicationOnCreate");
  } catch (e) {
    report3.missing.push({ id: "loader.Instrumentation.callApplicationOnCreate", reason: String(e) });
  }
}

// src/loaders.ts
var S2 = "java.lang.String";
var CL = "java.lang.ClassLoader";
var BB = "java.nio.ByteBuffer";
var BBA = "[Ljava.nio.ByteBuffer;";
var LOADER_TARGETS = [
  ["dalvik.system.DexClassLoader", "$init", [S2, S2, S2, CL]],
  ["dalvik.system.PathClassLoader", "$init", [S2, CL]],
  ["dalvik.system.PathClassLoader", "$init", [S2, S2, CL]],
  ["dalvik.system.PathClassLoader", "$init", [S2, S2, CL, "[Ljava.lang.ClassLoader;"]],
  ["dalvik.system.InMemoryDexClassLoader", "$init", [BB, CL]],
  ["dalvik.system.InMemoryDexClassLoader", "$init", [BBA, CL]],
  ["dalvik.system.InMemoryDexClassLoader", "$init", [BBA, S2, CL]],
  ["dalvik.system.BaseDexClassLoader", "$init", [S2, "java.io.File", S2, CL]],
  ["dalvik.system.BaseDexClassLoader", "$init", [S2, S2, CL, "[Ljava.lang.ClassLoader;", "boolean"]],
  ["dalvik.system.BaseDexClassLoader", "$init", [S2, S2, CL, "[Ljava.lang.ClassLoader;", "[Ljava.lang.ClassLoader;", "boolean"]],
  ["dalvik.system.BaseDexClassLoader", "$init", [BBA, CL]],
  ["dalvik.system.BaseDexClassLoader", "$init", [BBA, S2, CL]],
  ["dalvik.system.DexFile", "loadDex", [S2, S2, "int"]],
  ["dalvik.system.DexFile", "$init", [S2]],
  ["dalvik.system.DexFile", "$init", ["java.io.File"]]
];
var depth2 = /* @__PURE__ */ new Map();
var maxBytes = 64 * 1024 * 1024;
var blobSeq = 0;
var ownApk = null;
var SYSTEM_PATH = /^\/(system|system_ext|product|vendor|odm|oem|apex)\//;
var PROVIDERS = [
  "com.google.android.webview",
  "com.android.webview",
  "com.android.chrome",
  "com.chrome.beta",
  "com.chrome.dev",
  "com.google.android.trichromelibrary",
  "com.google.android.gms",
  "com.google.android.gsf",
  "com.huawei.webview"
];
var providerApk = new RegExp(`^/data/app/(~~[^/]+/)?(${PROVIDERS.map((p) => p.replace(/\./g, "\\.")).join("|")})(_\\d+)?-[^/]+/`);
var providerData = new RegExp(`^/data/(user(_de)?/\\d+|data)/(${PROVIDERS.map((p) => p.replace(/\./g, "\\.")).join("|")})/`);
function skipReason(path) {
  if (SYSTEM_PATH.test(path))
    return "system";
  if (providerApk.test(path) || providerData.test(path))
    return "provider";
  if (ownApk !== null && ownApk.test(path))
    return "own";
  return null;
}
var deferred = [];
var armed = false;
function later(fn) {
  deferred.push(fn);
  if (!armed) {
    armed = true;
    setTimeout(drainLoads, 0);
  }
}
function drainLoads() {
  armed = false;
  let fn;
  while ((fn = deferred.shift()) !== void 0) {
    try {
      fn();
    } catch (e) {
      hookError("loaded code", e);
    }
  }
}
function installLoaderHooks(cfg, report3) {
  maxBytes = cfg.loaded_max_bytes ?? maxBytes;
  if (cfg.package)
    ownApk = new RegExp(`^/data/app/(~~[^/]+/)?${cfg.package.replace(/\./g, "\\.")}-[^/]+/[^/]+\\.apk$`);
  for (const [cls, member, types] of LOADER_TARGETS) {
    const id = `loader.${cls.split(".").pop()}.${member}(${types.length})`;
    try {
      const ov = frida_java_bridge_default.use(cls)[member].overload(...types);
      ov.implementation = function(...args) {
        return recordLoad(cls, member, types, ov, this, args);
      };
      report3.hooked.push(id);
    } catch (e) {
    }
  }
  try {
    const dexFile = frida_java_bridge_default.use("dalvik.system.DexFile");
    for (const ov of dexFile.openDexFile.overloads) {
      const types = ov.argumentTypes.map((t) => t.className);
      ov.implementation = function(...args) {
        return recordLoad("dalvik.system.DexFile", "openDexFile", types, ov, this, args);
      };
      report3.hooked.push(`loader.DexFile.openDexFile(${types.length})`);
    }
  } catch (e) {
  }
}
function recordLoad(cls, member, types, ov, self, args) {
  const tid = Process.getCurrentThreadId();
  const d = depth2.get(tid) ?? 0;
  depth2.set(tid, d + 1);
  try {
    if (d === 0) {
      try {
        describe(cls, member, types, args);
      } catch (e) {
        hookError(`${cls}.${member}`, e);
      }
    }
    const ret = ov.call(self, ...args);
    if (d === 0)
      classesMayHaveLoaded();
    if (d === 0 && member === "$init" && cls.endsWith("ClassLoader")) {
      const from = source(types, args);
      const skip = skipReason(from.split(":")[0]);
      if (skip !== "system" && skip !== "provider")
        retryIn(self, `${cls} ${from}`);
    }
    return ret;
  } finally {
    if (d === 0)
      depth2.delete(tid);
    else
      depth2.set(tid, d);
  }
}
function source(types, args) {
  const i = types.indexOf(S2);
  return i === 0 && args[0] !== null && args[0] !== void 0 ? String(args[0]) : "(in memory)";
}
function describe(cls, member, types, args) {
  const loader = `${cls}.${member}`;
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    const v = args[i];
    if (v === null || v === void 0)
      continue;
    if (t === S2 && i === 0) {
      for (const p of String(v).split(":").filter((x) => x.length > 0))
        fromPath(loader, p);
      return;
    }
    if (t === "java.io.File" && i === 0) {
      fromPath(loader, String(v.getPath()));
      return;
    }
    if (t === BB) {
      fromBuffer(loader, v, 0);
      return;
    }
    if (t === BBA) {
      for (let k = 0; k < v.length; k++)
        fromBuffer(loader, v[k], k);
      return;
    }
  }
}
function fromPath(loader, path) {
  if (skipReason(path) !== null)
    return;
  const id = ++blobSeq;
  const ev = { loader, in_memory: false, path, blob: id };
  const at = capture();
  let f = null;
  let size = 0;
  try {
    f = new File(path, "rb");
    f.seek(0, File.SEEK_END);
    size = f.tell();
    ev.size = size;
  } catch (e) {
    ev.read_error = e instanceof Error ? e.message : String(e);
  }
  later(() => {
    try {
      if (f !== null && size > maxBytes) {
        ev.too_large = true;
      } else if (f !== null) {
        f.seek(0, File.SEEK_SET);
        send({ type: "code", id, path, size }, f.readBytes(size));
      }
    } catch (e) {
      ev.read_error = e instanceof Error ? e.message : String(e);
    } finally {
      if (f !== null)
        f.close();
    }
    emitCaptured("code_loaded", ev, at);
  });
}
function fromBuffer(loader, buf, index) {
  const id = ++blobSeq;
  const ev = { loader, in_memory: true, path: null, index, blob: id };
  const at = capture();
  let bytes2 = null;
  try {
    const got = bufferBytes(buf, maxBytes);
    ev.size = got.size;
    bytes2 = got.bytes;
    if (bytes2 === null)
      ev.too_large = true;
  } catch (e) {
    ev.read_error = e instanceof Error ? e.message : String(e);
  }
  later(() => {
    if (bytes2 !== null)
      send({ type: "code", id, path: null, size: ev.size }, bytes2.buffer);
    emitCaptured("code_loaded", ev, at);
  });
}

// src/netguard.ts
var AF_INET = 2;
var AF_INET6 = 10;
var BOGUS_FAMILY = 30583;
var UDP_REPEAT_MS = 3e4;
var NAMES_MAX = 4096;
var names = /* @__PURE__ */ new Map();
var udpSeen = /* @__PURE__ */ new Map();
var glibcLayout = true;
var getsockopt = null;
var bogus = null;
function parseSockaddr(p) {
  if (p.isNull())
    return null;
  const family = p.readU16();
  const port = p.add(2).readU8() << 8 | p.add(3).readU8();
  if (family === AF_INET) {
    const b = new Uint8Array(p.add(4).readByteArray(4));
    return { ip: `${b[0]}.${b[1]}.${b[2]}.${b[3]}`, port, family };
  }
  if (family === AF_INET6) {
    const b = new Uint8Array(p.add(8).readByteArray(16));
    if (b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255) {
      return { ip: `${b[12]}.${b[13]}.${b[14]}.${b[15]}`, port, family };
    }
    const parts = [];
    for (let i = 0; i < 16; i += 2)
      parts.push((b[i] << 8 | b[i + 1]).toString(16));
    return { ip: parts.join(":").replace(/(^|:)0(:0)+(:|$)/, "::"), port, family };
  }
  return null;
}
function sockType(fd) {
  if (getsockopt === null)
    return "tcp";
  const val = Memory.alloc(4);
  const len = Memory.alloc(4);
  len.writeU32(4);
  if (getsockopt(fd, 1, 3, val, len) !== 0)
    return "tcp";
  return (val.readU32() & 15) === 2 ? "udp" : "tcp";
}
function remember2(ip, host) {
  if (!host || host === ip)
    return;
  if (names.size >= NAMES_MAX)
    names.clear();
  names.set(ip, host);
}
var PLATFORM_LIB = /^(libc\.so|libc\.so\.6|libart|libandroid_runtime|libjavacore|libopenjdk|libnetd_client|libcutils|libutils|libbinder|libdl|ld-|libpthread|libjavacrypto|libconscrypt|libssl|libcrypto|libandroidicu|frida|libgum)/;
var JAVA_RUNTIME_LIB = /^(libjavacore|libopenjdk|libart|libandroid_runtime)/;
var unwindAccurate = false;
function nativeCaller(context, ret) {
  if (context === void 0)
    return null;
  if (!unwindAccurate && ret !== void 0) {
    const direct = Process.findModuleByAddress(ret);
    if (direct !== null && !PLATFORM_LIB.test(direct.name))
      return direct.name;
    if (direct !== null && JAVA_RUNTIME_LIB.test(direct.name))
      return null;
  }
  try {
    for (const addr of Thread.backtrace(context, Backtracer.ACCURATE).slice(0, 12)) {
      const m = Process.findModuleByAddress(addr);
      if (m !== null && !PLATFORM_LIB.test(m.name))
        return m.name;
    }
  } catch (e) {
  }
  return null;
}
function report2(call, fd, sa, proto, blocked, context, ret) {
  const ev = { ip: sa.ip, port: sa.port, protocol: proto, call, host: names.get(sa.ip) ?? null };
  if (blocked)
    ev.blocked = "quic";
  const lib2 = nativeCaller(context, ret);
  if (lib2 !== null)
    ev.native_module = lib2;
  emit("net_connect", ev);
}
function isQuic(proto, sa) {
  return proto === "udp" && sa.port === 443;
}
function walkAddrinfo(res, host) {
  const ps = Process.pointerSize;
  let p = res;
  for (let i = 0; i < 64 && !p.isNull(); i++) {
    const first = p.add(ps === 8 ? 24 : 20).readPointer();
    const second = p.add(ps === 8 ? 32 : 24).readPointer();
    const addr = glibcLayout ? first : second;
    const sa = parseSockaddr(addr);
    if (sa !== null)
      remember2(sa.ip, host);
    p = p.add(ps === 8 ? 40 : 28).readPointer();
  }
}
function hookResolver(name, resIndex, installed) {
  const f = Module.findGlobalExportByName(name);
  if (f === null)
    return;
  Interceptor.attach(f, {
    onEnter(args) {
      this.host = args[0].isNull() ? null : args[0].readCString();
      this.res = args[resIndex];
    },
    onLeave(ret) {
      try {
        if (ret.toInt32() === 0 && this.host)
          walkAddrinfo(this.res.readPointer(), this.host);
      } catch (e) {
        hookError(name, e);
      }
    }
  });
  installed.push(name);
}
function hookConnect(block, installed) {
  const f = Module.findGlobalExportByName("connect");
  if (f === null)
    return;
  Interceptor.attach(f, {
    onEnter(args) {
      try {
        const sa = parseSockaddr(args[1]);
        if (sa === null)
          return;
        const fd = args[0].toInt32();
        const proto = sockType(fd);
        const blocked = block && isQuic(proto, sa);
        if (blocked)
          args[1] = bogus;
        report2("connect", fd, sa, proto, blocked, this.context, this.returnAddress);
      } catch (e) {
        hookError("connect", e);
      }
    }
  });
  installed.push("connect");
}
function udpReport(call, fd, sa, proto, blocked, context, ret) {
  const key = `${sa.ip}|${sa.port}|${proto}`;
  const now = Date.now();
  const last2 = udpSeen.get(key);
  if (!blocked && last2 !== void 0 && now - last2 < UDP_REPEAT_MS)
    return;
  if (udpSeen.size >= NAMES_MAX)
    udpSeen.clear();
  udpSeen.set(key, now);
  report2(call, fd, sa, proto, blocked, context, ret);
}
function hookSendto(block, installed) {
  const f = Module.findGlobalExportByName("sendto");
  if (f === null)
    return;
  Interceptor.attach(f, {
    onEnter(args) {
      try {
        const sa = parseSockaddr(args[4]);
        if (sa === null)
          return;
        const fd = args[0].toInt32();
        const proto = sockType(fd);
        const blocked = block && isQuic(proto, sa);
        if (blocked)
          args[4] = bogus;
        udpReport("sendto", fd, sa, proto, blocked, this.context, this.returnAddress);
      } catch (e) {
        hookError("sendto", e);
      }
    }
  });
  installed.push("sendto");
}
function hookSendmsg(block, installed) {
  const f = Module.findGlobalExportByName("sendmsg");
  if (f === null)
    return;
  Interceptor.attach(f, {
    onEnter(args) {
      try {
        const msg = args[1];
        const name = msg.readPointer();
        const sa = parseSockaddr(name);
        if (sa === null)
          return;
        const fd = args[0].toInt32();
        const proto = sockType(fd);
        const blocked = block && isQuic(proto, sa);
        if (blocked) {
          this.msg = msg;
          this.name = name;
          msg.writePointer(bogus);
        }
        udpReport("sendmsg", fd, sa, proto, blocked, this.context, this.returnAddress);
      } catch (e) {
        hookError("sendmsg", e);
      }
    },
    onLeave() {
      if (this.msg)
        this.msg.writePointer(this.name);
    }
  });
  installed.push("sendmsg");
}
function hookSendmmsg(block, installed) {
  const f = Module.findGlobalExportByName("sendmmsg");
  if (f === null)
    return;
  const ps = Process.pointerSize;
  const entry = ps === 8 ? 64 : 32;
  Interceptor.attach(f, {
    onEnter(args) {
      try {
        const fd = args[0].toInt32();
        const n = Math.min(args[2].toInt32(), 64);
        const restore = [];
        let proto = null;
        for (let i = 0; i < n; i++) {
          const msg = args[1].add(i * entry);
          const name = msg.readPointer();
          const sa = parseSockaddr(name);
          if (sa === null)
            continue;
          if (proto === null)
            proto = sockType(fd);
          const blocked = block && isQuic(proto, sa);
          if (blocked) {
            restore.push([msg, name]);
            msg.writePointer(bogus);
          }
          udpReport("sendmmsg", fd, sa, proto, blocked, this.context, this.returnAddress);
        }
        this.restore = restore;
      } catch (e) {
        hookError("sendmmsg", e);
      }
    },
    onLeave() {
      for (const [msg, name] of this.restore ?? [])
        msg.writePointer(name);
    }
  });
  installed.push("sendmmsg");
}
function installJavaSocketHooks(installed) {
  try {
    const Socket = frida_java_bridge_default.use("java.net.Socket");
    const ov = Socket.connect.overload("java.net.SocketAddress", "int");
    ov.implementation = function(addr, timeout) {
      try {
        const host = String(addr.getHostString());
        const ia = addr.getAddress();
        if (ia !== null && ia !== void 0)
          remember2(String(ia.getHostAddress()), host);
      } catch (e) {
      }
      return ov.call(this, addr, timeout);
    };
    installed.push("java.net.Socket.connect");
  } catch (e) {
  }
}
function installNetGuard(cfg) {
  const installed = [];
  glibcLayout = Process.findModuleByName("libc.so.6") !== null;
  const gso = Module.findGlobalExportByName("getsockopt");
  if (gso !== null)
    getsockopt = new NativeFunction(gso, "int", ["int", "int", "int", "pointer", "pointer"]);
  bogus = Memory.alloc(32);
  bogus.writeU16(BOGUS_FAMILY);
  const block = cfg.block_quic !== false;
  unwindAccurate = cfg.unwind_mode === "accurate";
  hookResolver("getaddrinfo", 3, installed);
  hookResolver("android_getaddrinfofornet", 5, installed);
  hookConnect(block, installed);
  hookSendto(block, installed);
  hookSendmsg(block, installed);
  hookSendmmsg(block, installed);
  return installed;
}

// src/unpin.ts
function all(cls, member, impl, out, use = (c) => frida_java_bridge_default.use(c)) {
  try {
    const ovs = use(cls)[member].overloads;
    for (const ov of ovs)
      ov.implementation = impl(ov);
    if (ovs.length > 0)
      out.push(`${cls}.${member}`);
  } catch (e) {
  }
}
function note(via, host) {
  try {
    emit("unpinned", { via, host: host === null || host === void 0 ? null : String(host) });
  } catch (e) {
    hookError(`unpin ${via}`, e);
  }
}
function installAppUnpin() {
  const out = [];
  for (const m of ["check", "check$okhttp"]) {
    all("okhttp3.CertificatePinner", m, () => function(host) {
      note("okhttp3.CertificatePinner", host);
      return void 0;
    }, out);
  }
  return out;
}
function installUnpin() {
  const out = [];
  all("com.android.org.conscrypt.TrustManagerImpl", "verifyChain", () => function(chain, ...rest) {
    note("conscrypt.TrustManagerImpl", rest.length >= 2 ? rest[1] : null);
    return chain;
  }, out);
  all("com.android.org.conscrypt.TrustManagerImpl", "checkTrustedRecursive", (ov) => function(...args) {
    note("conscrypt.TrustManagerImpl", args.length >= 3 ? args[2] : null);
    return frida_java_bridge_default.use("java.util.ArrayList").$new();
  }, out);
  all("android.security.net.config.NetworkSecurityTrustManager", "checkPins", () => function() {
    note("network_security_config", null);
    return void 0;
  }, out);
  all("android.webkit.WebViewClient", "onReceivedSslError", () => function(view, handler, err) {
    let host = null;
    try {
      host = err.getUrl();
    } catch (e) {
    }
    note("WebViewClient.onReceivedSslError", host);
    handler.proceed();
    return void 0;
  }, out);
  return out;
}

// src/index.ts
var configured = false;
function configure(cfg) {
  if (configured)
    throw new Error("agent already configured");
  configured = true;
  state.queue.opts = {
    batchMax: Math.max(1, cfg.batch_max ?? 200),
    flushMs: cfg.flush_ms ?? 50,
    queueMax: Math.max(0, cfg.queue_max ?? 1e5)
  };
  state.stackLimit = cfg.stack_limit ?? 64;
  const report3 = { hooked: [], missing: [], limits: UNHOOKABLE.slice() };
  const net = installNetGuard(cfg);
  const unpin = [];
  if (!frida_java_bridge_default.available) {
    return { t: nowMs(), java: false, hooked: [], missing: [], limits: ["no Java runtime in this process"], net };
  }
  const table = API_TABLE.filter((e) => e.kind !== "native");
  const framework = table.filter((e) => isFramework(e.cls));
  const appSide = table.filter((e) => !isFramework(e.cls) && e.cls !== "");
  const methodMarkers = (cfg.markers ?? []).filter((m) => m.method);
  initRetries(cfg);
  installNativeHooks(API_TABLE, cfg, report3, javaDepth);
  frida_java_bridge_default.performNow(() => {
    initJava(cfg.stack_mode);
    installApiHooks(framework, cfg, report3);
    installPermissionHooks(framework, report3);
    installMarkerHooks(cfg, report3, false);
    installConsentControlHook(cfg, report3);
    installInputHooks(cfg.package ?? "", (n) => javaStack(n).frames, report3);
    installWebViewHooks(report3);
    installLoaderHooks(cfg, report3);
    installApplicationRetry(report3);
    installJavaSocketHooks(net);
    installDeriveHooks(cfg.canaries ?? {}, net);
    if (cfg.unpin === true)
      unpin.push(...installUnpin());
  });
  const rowIds = new Set(framework.map((e) => e.id));
  report3.where = Object.fromEntries(report3.hooked.filter((id) => rowIds.has(id)).map((id) => [id, "boot"]));
  const notInBoot = deferMissing(framework, [], report3);
  installNativeDerive(net);
  const pending = { hooked: [], missing: [], limits: [], where: {} };
  let inConfigure = true;
  let ran = false;
  frida_java_bridge_default.perform(() => {
    const rows2 = appSide.concat(notInBoot);
    installVia(rows2, methodMarkers, defaultUse, "app", pending);
    deferMissing(rows2, methodMarkers, pending);
    if (cfg.unpin === true)
      unpin.push(...installAppUnpin());
    installImplementationHooks(table, cfg);
    detectToolkits();
    startRetries();
    ran = true;
    if (!inConfigure)
      send({
        type: "status",
        status: "hooked",
        t: nowMs(),
        ...pending,
        pending: pendingIds(),
        ui: uiReport()
      });
  });
  inConfigure = false;
  const all2 = ran ? merge(report3, pending) : report3;
  return {
    t: nowMs(),
    t0: startMs(),
    java: true,
    app_hooks: ran ? "installed" : "deferred",
    ...all2,
    net,
    unpin,
    ...ran ? { ui: uiReport() } : {},
    pending: pendingIds()
  };
}
function merge(a, b) {
  return {
    hooked: a.hooked.concat(b.hooked),
    missing: a.missing.concat(b.missing),
    limits: a.limits.concat(b.limits),
    where: { ...a.where ?? {}, ...b.where ?? {} }
  };
}
Object.assign(rpc.exports, {
  configure,
  flush() {
    drainLoads();
    state.queue.flush();
    return { ...state.queue.stats(), errors: state.errors };
  },
  stats() {
    return { ...state.queue.stats(), errors: state.errors };
  },
  now() {
    return nowMs();
  }
});
