"""The frames ART shows for each way a click reaches View.performClick (innermost first, below the
performClick frame itself), on API 28+ and on API 24-27 (no performClickInternal: PerformClick.run
and onTouchEvent/onKeyUp call performClick directly). AOSP frameworks/base, android.view.View,
ViewRootImpl, InputEventReceiver, AccessibilityInteractionController; line numbers of API 33 / 26."""
from __future__ import annotations

from .stacks import LOOPER

LOOPER_33 = LOOPER[1:]          # below Handler.dispatchMessage
LOOPER_26 = [
    "android.os.Looper.loop(Looper.java:164)",
    "android.app.ActivityThread.main(ActivityThread.java:6494)",
    "java.lang.reflect.Method.invoke(Native Method)",
    "com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:438)",
    "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:807)",
]


def looper(api: int) -> list[str]:
    return list(LOOPER_33 if api >= 28 else LOOPER_26)


def from_input_channel(api: int) -> list[str]:
    """Below InputEventReceiver.dispatchInputEvent: ART calls it from the native poll of the looper."""
    return ["android.os.MessageQueue.nativePollOnce(Native Method)",
            "android.os.MessageQueue.next(MessageQueue.java:335)" if api >= 28 else
            "android.os.MessageQueue.next(MessageQueue.java:325)"] + looper(api)


def _internal(api: int) -> list[str]:
    return ["android.view.View.performClickInternal(View.java:7425)"] if api >= 28 else []


def posted(api: int) -> list[str]:
    """View.onTouchEvent posted PerformClick for the ACTION_UP: it runs from the looper."""
    return _internal(api) + ["android.view.View$PerformClick.run(View.java:28305)",
                             "android.os.Handler.handleCallback(Handler.java:938)",
                             "android.os.Handler.dispatchMessage(Handler.java:99)"] + looper(api)


def _window_dispatch(api: int, owner_dispatch: str, kind: str) -> list[str]:
    """From the window's receiver to the decor view's dispatch (touch or key)."""
    stage = "processPointerEvent" if kind == "touch" else "processKeyEvent"
    return [owner_dispatch,
            f"com.android.internal.policy.DecorView.dispatch{'TouchEvent' if kind == 'touch' else 'KeyEvent'}(DecorView.java:458)",
            *(["android.view.View.dispatchPointerEvent(View.java:15109)"] if kind == "touch" else []),
            f"android.view.ViewRootImpl$ViewPostImeInputStage.{stage}(ViewRootImpl.java:6524)",
            "android.view.ViewRootImpl$ViewPostImeInputStage.onProcess(ViewRootImpl.java:6307)",
            "android.view.ViewRootImpl$InputStage.deliver(ViewRootImpl.java:5773)",
            "android.view.ViewRootImpl$InputStage.onDeliverToNext(ViewRootImpl.java:5830)",
            "android.view.ViewRootImpl$InputStage.forward(ViewRootImpl.java:5796)",
            "android.view.ViewRootImpl$AsyncInputStage.forward(ViewRootImpl.java:5961)",
            "android.view.ViewRootImpl$InputStage.apply(ViewRootImpl.java:5804)",
            "android.view.ViewRootImpl$InputStage.deliver(ViewRootImpl.java:5773)",
            "android.view.ViewRootImpl.deliverInputEvent(ViewRootImpl.java:8739)",
            "android.view.ViewRootImpl.doProcessInputEvents(ViewRootImpl.java:8690)",
            "android.view.ViewRootImpl.enqueueInputEvent(ViewRootImpl.java:8659)",
            "android.view.ViewRootImpl$WindowInputEventReceiver.onInputEvent(ViewRootImpl.java:8865)",
            "android.view.InputEventReceiver.dispatchInputEvent(InputEventReceiver.java:259)"] + from_input_channel(api)


def touch_sync(api: int, owner: str = "android.app.Dialog") -> list[str]:
    """The post failed (view not attached yet): onTouchEvent clicks inside the window's input dispatch."""
    return _internal(api) + [
        "android.view.View.onTouchEvent(View.java:16207)",
        "android.view.View.dispatchTouchEvent(View.java:14976)",
        "android.view.ViewGroup.dispatchTransformedTouchEvent(ViewGroup.java:3120)",
        "android.view.ViewGroup.dispatchTouchEvent(ViewGroup.java:2801)",
        "com.android.internal.policy.DecorView.superDispatchTouchEvent(DecorView.java:498)",
        "com.android.internal.policy.PhoneWindow.superDispatchTouchEvent(PhoneWindow.java:1890)",
    ] + _window_dispatch(api, f"{owner}.dispatchTouchEvent(Dialog.java:909)", "touch")


def key_sync(api: int, owner: str = "android.app.Dialog") -> list[str]:
    """A confirming key (Enter, DPAD_CENTER) up: View.onKeyUp clicks inside the key dispatch."""
    return _internal(api) + [
        "android.view.View.onKeyUp(View.java:15530)",
        "android.view.KeyEvent.dispatch(KeyEvent.java:3002)",
        "android.view.View.dispatchKeyEvent(View.java:14897)",
        "android.view.ViewGroup.dispatchKeyEvent(ViewGroup.java:1932)",
        "com.android.internal.policy.DecorView.superDispatchKeyEvent(DecorView.java:453)",
        "com.android.internal.policy.PhoneWindow.superDispatchKeyEvent(PhoneWindow.java:1866)",
    ] + _window_dispatch(api, f"{owner}.dispatchKeyEvent(Dialog.java:785)", "key")


def accessibility_service(api: int) -> list[str]:
    """An accessibility service's ACTION_CLICK: the system relays it to the window's interaction controller."""
    return _internal(api) + [
        "android.view.View.performAccessibilityActionInternal(View.java:14753)",
        "android.view.View.performAccessibilityAction(View.java:14694)",
        "android.view.AccessibilityInteractionController.performAccessibilityActionUiThread(AccessibilityInteractionController.java:1237)",
        "android.view.AccessibilityInteractionController.access$900(AccessibilityInteractionController.java:76)",
        "android.view.AccessibilityInteractionController$PrivateHandler.handleMessage(AccessibilityInteractionController.java:1613)",
        "android.os.Handler.dispatchMessage(Handler.java:106)",
    ] + looper(api)


def app_touch_sync(api: int, app: list[str]) -> list[str]:
    """App code dispatched its own MotionEvent to the button and the click ran at once."""
    return _internal(api) + ["android.view.View.onTouchEvent(View.java:16207)",
                             "android.view.View.dispatchTouchEvent(View.java:14976)"] + app


def app_key(api: int, app: list[str]) -> list[str]:
    """App code dispatched a synthetic Enter key to the button."""
    return _internal(api) + ["android.view.View.onKeyUp(View.java:15530)",
                             "android.view.KeyEvent.dispatch(KeyEvent.java:3002)",
                             "android.view.View.dispatchKeyEvent(View.java:14897)"] + app


def app_accessibility(api: int, app: list[str]) -> list[str]:
    """App code called performAccessibilityAction(ACTION_CLICK) on the button itself."""
    return _internal(api) + ["android.view.View.performAccessibilityActionInternal(View.java:14753)",
                             "android.view.View.performAccessibilityAction(View.java:14694)"] + app


def app_perform_click(app: list[str]) -> list[str]:
    """App code called performClick() on the button."""
    return list(app)


def instrumentation_inject(app: list[str]) -> list[str]:
    """App code injected a touch into its own window (Instrumentation.sendPointerSync, off the main thread)."""
    return ["android.app.Instrumentation.sendPointerSync(Instrumentation.java:1106)"] + app
