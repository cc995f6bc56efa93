"""Playing issue 22's app-model verbs on the simulated device (SimulatedDevice mixes this in): the input
verbs (a real input the system delivers, app code faking one), classes loaded after the agent, reads that
dispatch to an interface's implementation, and reads called from native code through JNI."""
from __future__ import annotations

from typing import Any

from .appmodel import Action
from .simui import Control, Window
from .simwire import obj
from .stacks import frame
from .toolkits import TOOLKITS, WEBVIEW

NATIVE_THREAD = "Thread-7"          # what ART names a native thread attached with AttachCurrentThread


class InputPlayer:
    """Mixed into SimulatedDevice: needs `model`, `rt`, `stacks`, `_call`, `_sdk_lib`."""

    def _window(self, which: str) -> Window:
        m = self.model
        if which == "other":
            return Window(f"{m.package}.ui.NoticeDialog", m.main_activity)
        return Window(m.consent_handler, m.main_activity)

    def _control(self, spec: dict) -> Control:
        c = self.rt.consent_control(spec["transition"], self._window(spec["window"]), by_id=spec["by_id"])
        return c

    def _input(self, a: Action, trigger: str, detail: str, thread: str) -> None:
        spec = a.input
        control = self._control(spec)
        if a.verb == "fake_input":
            self.rt.fake(control, spec["via"], self.stacks.build(a, None, trigger, detail, thread), thread)
        elif spec["via"] == "accessibility":
            self.rt.accessibility_click(control)
        else:
            self.rt.tap(control, kind="key" if spec["via"] == "key" else "touch", sync=spec["via"] == "sync_touch")

    def _load_class(self, a: Action, stack: list[str], thread: str) -> None:
        """The SDK loads the class (and the interfaces it implements) explicitly: ClassLoader.loadClass, as
        plugin frameworks and reflection-driven SDKs do; the agent's loadClass hook sees it at once."""
        spec = dict(self.model.classes[a.class_name], loaded=True)
        for iface in spec.get("interfaces", ()):
            if iface in self.model.classes:
                self.rt.define_class(iface, dict(self.model.classes[iface], loaded=True))
        self.rt.define_class(a.class_name, spec)
        self.rt._invoke({"cls": "java.lang.ClassLoader", "member": "loadClass", "types": ["java.lang.String", "boolean"],
                         "self": obj("dalvik.system.PathClassLoader"), "args": [a.class_name, False],
                         "ret": obj("java.lang.Class", {"name": a.class_name}), "stack": stack, "thread": thread}, True)

    def _read(self, a: Action, stack: list[str], thread: str, args: list | None) -> Any:
        """A read: through an interface (dispatched to the implementation, as ART does), from native code
        through JNI (the SDK's library calls the Java method), or a plain call."""
        this = a.this if a.this is not None else (obj(a.impl) if a.impl else None)
        if not a.jni:
            return self._call(a.api_id, stack, thread, args, this=this, overload=a.overload)
        lib = a.jni.get("lib") or self._sdk_lib(a.by)
        if a.jni.get("thread") == "native":
            stack, thread = [], NATIVE_THREAD      # an attached native thread: no Java frame below the API
        else:                                      # a Java thread in the SDK's native method
            first = self.model.sdks[a.by].classes[0] if a.by in self.model.sdks and self.model.sdks[a.by].classes \
                else f"{self.model.package}.jni.Native"
            stack = [f"{first}.nativeCollect(Native Method)"] + stack
        return self.rt.call_jni(a.api_id, stack, lib=lib, thread=thread, args=args, this=this)

    def _jni_libs(self) -> set[str]:
        libs = set()
        for blk in list(self.model.blocks.values()) + list(self.model.feature_blocks.values()) + \
                [list(t.actions) for t in self.model.timers]:
            for a in blk:
                if a.verb == "read" and a.jni:
                    lib = a.jni.get("lib") or self._sdk_lib(a.by)
                    if lib:
                        libs.add(lib)
        return libs

    def _runtime_classes(self) -> dict[str, dict]:
        """The model's classes plus the marker class of each UI toolkit the app ships."""
        out = dict(self.model.classes)
        for name in self.model.ui:
            if name in TOOLKITS:
                out[TOOLKITS[name][0]] = {"super": "java.lang.Object", "loaded": False}
        return out

    def _show_ui(self) -> None:
        """At launch the app shows its UI: a WebView app loads its page (the agent's WebView hook sees it)."""
        if WEBVIEW in self.model.ui:
            self.rt._invoke({"cls": "android.webkit.WebView", "member": "loadUrl", "types": ["java.lang.String"],
                             "self": obj("android.webkit.WebView"), "args": ["https://m.example.com/privacy.html"],
                             "ret": None, "stack": [frame(f"{self.model.main_activity}.onCreate", 40)]
                             + self.stacks.trigger("launch")[1:], "thread": "main"}, True)
