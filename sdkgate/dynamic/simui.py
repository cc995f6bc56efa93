"""The simulated phone's windows, views and input pipeline (SimRuntime mixes these in, issue 22 §1):
what a real tap, key or accessibility click looks like to the agent on ART, and what app code faking
one looks like, and no more. A window is a DecorView whose PhoneWindow's callback is the Dialog (or
Activity) owning it; a view is a Button in it with a resource id, a text and a place on the screen.
Input the system delivers goes through InputEventReceiver.dispatchInputEvent, called from the looper's
native poll, with an event the dispatcher signed (`$signed`: InputManager.verifyInputEvent verifies it on
API 30+); an event the app built itself is never signed and never passes through the receiver unless
the app injects it (then the injection call is seen in the app process first)."""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from . import inputframes as frames
from .simwire import obj

ACTION_DOWN, ACTION_UP = 0, 1
KEYCODE_ENTER = 66
RECEIVER = ("android.view.InputEventReceiver", "dispatchInputEvent", ["int", "android.view.InputEvent"])


@dataclass(frozen=True)
class Window:
    owner: str                   # the window's callback: the Dialog subclass or the Activity
    activity: str                # the activity the window belongs to
    title: str = ""
    owner_super: str = "android.app.Dialog"

    @property
    def root(self) -> int:
        return zlib.crc32(f"{self.owner}|{self.title}".encode()) & 0x7FFFFFFF

    def decor(self) -> dict:
        """The window's root view as the agent reaches it (getRootView(), ViewRootImpl.getView())."""
        phone = obj("com.android.internal.policy.PhoneWindow",
                    returns={"getCallback": obj(self.owner, extends=self.owner_super)})
        return obj("com.android.internal.policy.DecorView", fields={"mWindow": phone},
                   returns={"hashCode": self.root,
                            "getLayoutParams": obj("android.view.WindowManager$LayoutParams",
                                                   returns={"getTitle": self.title})})

    def label(self) -> str:
        return self.title or self.owner


@dataclass(frozen=True)
class Control:
    """A button in a window: resource id entry name (or None), text, screen rectangle."""
    window: Window
    entry: str | None
    text: str
    at: tuple[int, int] = (360, 1480)
    size: tuple[int, int] = (240, 96)

    def center(self) -> tuple[int, int]:
        return self.at[0] + self.size[0] // 2, self.at[1] + self.size[1] // 2

    def view(self) -> dict:
        w = self.window
        context = obj("android.view.ContextThemeWrapper",
                      returns={"getBaseContext": obj(w.activity, extends="android.app.Activity")})
        return obj("android.widget.Button", fields={"$screen": list(self.at)}, returns={
            "getId": 0x7F0A0042 if self.entry else -1, "getText": self.text,
            "getResources": obj("android.content.res.Resources", returns={"getResourceEntryName": self.entry}),
            "getRootView": w.decor(), "getContext": context, "getWidth": self.size[0], "getHeight": self.size[1]})


class UiCalls:
    """Mixed into SimRuntime: needs `_invoke`, `manifest`, `api_level`, `consent_window`, `_uptime` (event clock)."""

    def consent_control(self, transition: str, window: Window | None = None, *, by_id: bool = True) -> Control:
        """The manifest's consent control for `transition` (granted|declined|withdrawn) in `window` (default:
        the consent dialog): its resource id and first text; `by_id=False`: a button with the text only."""
        if self.manifest is None:
            raise ValueError("a consent control needs a manifest")
        c = self.manifest.consent
        rid, texts = {"granted": (c.accept_id, c.accept_text), "declined": (c.decline_id, c.decline_text),
                      "withdrawn": (None, c.withdraw_text)}[transition]
        entry = rid.rsplit("/", 1)[-1] if rid and by_id else None
        return Control(window or self.consent_window, entry, texts[0] if texts else "")

    def click(self, transition: str, stack: list[str], *, thread: str = "main", sync: bool = True) -> None:
        """App code calls performClick() on its consent control (`stack`: its frames below performClick)."""
        self.click_view(self.consent_control(transition), stack, thread=thread, sync=sync)

    def _event(self, kind: str, action: int, at: tuple[int, int], keycode: int, signed: bool) -> tuple[dict, int]:
        self._uptime += 37
        t = self._uptime
        if kind == "key":
            ev = obj("android.view.KeyEvent", fields={"$signed": signed}, returns={
                "getAction": action, "getKeyCode": keycode, "getEventTime": t, "getDownTime": t - 80})
        else:
            ev = obj("android.view.MotionEvent", fields={"$signed": signed}, returns={
                "getAction": action, "getActionMasked": action, "getEventTime": t, "getDownTime": t - 90,
                "getRawX": float(at[0]), "getRawY": float(at[1]), "getX": 12.0, "getY": 9.0})
        return ev, t

    def deliver(self, window: Window, kind: str, action: int, *, at: tuple[int, int] = (0, 0),
                keycode: int = KEYCODE_ENTER, signed: bool = True, event: dict | None = None,
                stack: list[str] | None = None) -> None:
        """The window's input channel delivers one event: dispatchInputEvent from the native poll."""
        ev = event if event is not None else self._event(kind, action, at, keycode, signed)[0]
        vri = obj("android.view.ViewRootImpl", returns={"getView": window.decor(), "getTitle": window.title})
        receiver = obj("android.view.ViewRootImpl$WindowInputEventReceiver", fields={"this$0": vri})
        cls, member, types = RECEIVER
        self._uptime += 1
        self._invoke({"cls": cls, "member": member, "types": types, "self": receiver, "args": [self._uptime, ev],
                      "ret": None, "stack": stack if stack is not None else frames.from_input_channel(self.api_level),
                      "thread": "main"}, True)

    def tap(self, control: Control, *, kind: str = "touch", sync: bool = False) -> None:
        """A real tap (or confirming key) by a finger, adb or uiautomator: the system dispatcher delivers
        DOWN and UP to the control's window, then the click runs (posted from the looper, or at once)."""
        w = control.window
        if kind == "key":
            self.deliver(w, "key", ACTION_DOWN)
            self.deliver(w, "key", ACTION_UP)
            self.click_view(control, frames.key_sync(self.api_level))
            return
        self.deliver(w, "touch", ACTION_DOWN, at=control.center())
        self.deliver(w, "touch", ACTION_UP, at=control.center())
        self.click_view(control, frames.touch_sync(self.api_level) if sync else frames.posted(self.api_level))

    def accessibility_click(self, control: Control) -> None:
        """An enabled accessibility service (sim_set_accessibility) performs ACTION_CLICK on the control."""
        self.click_view(control, frames.accessibility_service(self.api_level))

    def inject(self, control: Control, app: list[str], thread: str) -> None:
        """App code injects a touch into its own window (Instrumentation.sendPointerSync -> injectInputEvent):
        the injection call runs in the app process, then the dispatcher delivers the events (signed: they did
        go through it) and the click is posted as for a finger."""
        cls = "android.hardware.input.InputManagerGlobal" if self.api_level >= 34 else "android.hardware.input.InputManager"
        manager = obj(cls)
        for action in (ACTION_DOWN, ACTION_UP):
            ev, _ = self._event("touch", action, control.center(), KEYCODE_ENTER, True)
            self._invoke({"cls": cls, "member": "injectInputEvent", "types": ["android.view.InputEvent", "int"],
                          "self": manager, "args": [ev, 2], "ret": True, "stack": frames.instrumentation_inject(app),
                          "thread": thread}, True)
            self.deliver(control.window, "touch", action, event=ev)
        self.click_view(control, frames.posted(self.api_level))

    def fake(self, control: Control, how: str, app: list[str], thread: str = "main") -> None:
        """App code fakes the user's input on the control (nothing goes through the input channel):
        perform_click, posted_touch (its own MotionEvent dispatched to the button: the click is posted as for
        a finger), sync_touch, key (a synthetic Enter), accessibility (performAccessibilityAction itself),
        injected (into its own window, see inject)."""
        if how == "injected":
            self.inject(control, app, thread)
            return
        stack = {"perform_click": lambda: frames.app_perform_click(app),
                 "posted_touch": lambda: frames.posted(self.api_level),
                 "sync_touch": lambda: frames.app_touch_sync(self.api_level, app),
                 "key": lambda: frames.app_key(self.api_level, app),
                 "accessibility": lambda: frames.app_accessibility(self.api_level, app)}[how]()
        self.click_view(control, stack, thread="main" if how == "posted_touch" else thread)

    def click_view(self, control: Control, stack: list[str], *, thread: str = "main", sync: bool = True) -> None:
        """View.performClick on the control, with the frames ART shows below it."""
        self._invoke({"cls": "android.view.View", "member": "performClick", "types": [], "self": control.view(),
                      "args": [], "ret": True, "stack": list(stack), "thread": thread}, sync)

    def set_accessibility(self, services: list[str]) -> None:
        """The accessibility services enabled on the simulated phone ("pkg/.Service")."""
        self._require()
        self.host.script.exports_sync.sim_set_accessibility(list(services))
