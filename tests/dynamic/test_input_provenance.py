"""Issue 22 §1 / issue 28 §2 on the real agent in real Frida: a click on a consent control is the user's
(`ui_tap`) only when the system delivered the input for it; every way app code fakes one is
`programmatic`; an accessibility service's click is `accessibility` with the services named; a
same-text button outside the consent dialog is no consent control. API 24-27 and 28+ stack shapes.
The stand-in wraps `this` as the hooked class (View has no getText) and casts as ART does."""
from __future__ import annotations

from pathlib import Path

import pytest

from sdkgate.dynamic.simruntime import SimRuntime, obj
from sdkgate.dynamic.simui import ACTION_DOWN, ACTION_UP, Control, Window
from sdkgate.manifest import load_manifest

MANIFEST = load_manifest(Path(__file__).resolve().parents[2] / "manifests" / "demo-recruit.yaml")
DIALOG = Window("com.example.recruit.privacy.PrivacyDialog", "com.example.recruit.ui.MainActivity")
OTHER = Window("com.example.recruit.ui.NoticeDialog", "com.example.recruit.ui.MainActivity")
APP = ["com.example.recruit.privacy.PrivacyDialog.autoAgree(PrivacyDialog.java:88)",
       "com.example.recruit.ui.MainActivity.onResume(MainActivity.java:61)",
       "android.app.Activity.performResume(Activity.java:8250)",
       "android.os.Looper.loop(Looper.java:288)"]


class Run:
    def __init__(self, api_level: int, services=()):
        self.events: list = []
        self.rt = SimRuntime(MANIFEST, {}, on_event=self.events.append, api_level=api_level,
                             accessibility=tuple(services), consent_window=DIALOG)

    def taps(self) -> list:
        self.rt.flush()
        out = [e for e in self.events if e.kind == "consent" and e.source == "hook"]
        self.events.clear()
        return out


@pytest.fixture(scope="module", params=[33, 26], ids=["api33", "api26"])
def run(request):
    r = Run(request.param, services=["com.google.android.marvin.talkback/.TalkBackService"])
    r.rt.start()
    yield r
    r.rt.stop()


def agree(by_id: bool = True, window: Window = DIALOG) -> Control:
    return Control(window, "btn_agree" if by_id else None, "同意")


def test_a_finger_on_the_control_is_the_users_tap_posted_sync_and_by_key(run):
    for kind, sync in (("touch", False), ("touch", True), ("key", False)):
        run.rt.tap(agree(), kind=kind, sync=sync)
        (t,) = run.taps()
        assert (t.get("evidence"), t.get("transition"), t.get("control")) == ("ui_tap", "granted", "id/btn_agree"), t.extra
        assert t.get("input")["kind"] == kind and t.get("input")["action"] == "up"
        assert t.get("window") == DIALOG.owner


def test_text_only_controls_match_through_the_textview_cast(run):
    run.rt.tap(agree(by_id=False))
    (t,) = run.taps()
    assert (t.get("evidence"), t.get("control")) == ("ui_tap", "text:同意")


@pytest.mark.parametrize("how, why", [
    ("perform_click", "performClick called by com.example.recruit.privacy.PrivacyDialog.autoAgree"),
    ("posted_touch", "no input event was delivered"),
    ("sync_touch", "com.example.recruit.privacy.PrivacyDialog.autoAgree between the input dispatch and the click"),
    ("key", "com.example.recruit.privacy.PrivacyDialog.autoAgree between the input dispatch and the click"),
    ("accessibility", "performAccessibilityAction called by com.example.recruit.privacy.PrivacyDialog.autoAgree"),
    ("injected", "injected into itself"),
])
def test_every_way_app_code_fakes_the_tap_is_programmatic(run, how, why):
    run.rt.deliver(OTHER, "touch", ACTION_DOWN, at=(5, 5))    # a finger goes down elsewhere: no UP pending
    run.rt.fake(agree(), how, APP)
    (t,) = run.taps()
    assert t.get("evidence") == "programmatic" and why in t.get("why"), t.extra


def test_a_fake_event_posted_right_after_a_real_tap_elsewhere_is_programmatic(run):
    other = Control(DIALOG, None, "查看隐私政策", at=(100, 300))     # the user taps the policy link...
    run.rt.deliver(DIALOG, "touch", ACTION_DOWN, at=other.center())
    run.rt.deliver(DIALOG, "touch", ACTION_UP, at=other.center())
    run.rt.fake(agree(), "posted_touch", APP)                      # ...and the app clicks "agree" at once
    (t,) = run.taps()
    assert t.get("evidence") == "programmatic" and "was not on the control" in t.get("why")


def test_a_real_up_in_another_window_does_not_authorise_a_click_here(run):
    run.rt.tap(agree(by_id=False, window=OTHER))           # not the consent control: nothing recorded
    run.rt.fake(agree(), "posted_touch", APP)
    (t,) = run.taps()
    assert t.get("evidence") == "programmatic" and "the input went to another window" in t.get("why")


def test_one_real_up_makes_one_click(run):
    run.rt.tap(agree())
    run.rt.click_view(agree(), __import__("sdkgate.dynamic.inputframes", fromlist=["posted"]).posted(run.rt.api_level))
    a, b = run.taps()
    assert a.get("evidence") == "ui_tap" and b.get("evidence") == "programmatic"
    assert "already produced a click" in b.get("why")


def test_the_app_calling_dispatch_input_event_itself_is_not_input(run):
    run.rt.deliver(DIALOG, "touch", ACTION_DOWN, at=agree().center(), signed=False, stack=APP)
    run.rt.deliver(DIALOG, "touch", ACTION_UP, at=agree().center(), signed=False, stack=APP)
    run.rt.click_view(agree(), __import__("sdkgate.dynamic.inputframes", fromlist=["posted"]).posted(run.rt.api_level))
    (t,) = run.taps()
    assert t.get("evidence") == "programmatic" and "dispatchInputEvent called by com.example.recruit" in t.get("why")


def test_an_accessibility_service_click_names_the_service(run):
    run.rt.accessibility_click(agree())
    (t,) = run.taps()
    assert t.get("evidence") == "accessibility"
    assert t.get("services") == ["com.google.android.marvin.talkback/.TalkBackService"]


def test_a_same_text_button_on_another_dialog_is_not_the_consent_control(run):
    run.rt.tap(agree(by_id=False, window=OTHER))
    assert run.taps() == []
    run.rt.tap(agree(by_id=True, window=OTHER))          # a resource id names the control wherever it is
    (t,) = run.taps()
    assert t.get("evidence") == "ui_tap"


def test_api30_plus_unsigned_events_from_the_channel_are_not_the_users():
    """On API 30+ InputManager.verifyInputEvent is null for an event the system did not sign."""
    r = Run(33)
    r.rt.start()
    try:
        r.rt.deliver(DIALOG, "touch", ACTION_DOWN, at=agree().center(), signed=False)
        r.rt.deliver(DIALOG, "touch", ACTION_UP, at=agree().center(), signed=False)
        r.rt.click_view(agree(), __import__("sdkgate.dynamic.inputframes", fromlist=["posted"]).posted(33))
        (t,) = r.taps()
        assert t.get("evidence") == "programmatic" and "verifyInputEvent" in t.get("why")
    finally:
        r.rt.stop()


def test_this_is_wrapped_as_the_hooked_class_and_casts_check_the_class(run):
    wrapped = run.rt.host.script.exports_sync.sim_wrapped
    button = agree().view()
    assert wrapped(button, "android.view.View", ["getText", "getId", "getRootView"]) == ["getId", "getRootView"]
    assert wrapped(button, "android.widget.TextView", ["getText", "getId"]) == ["getText", "getId"]
    image = obj("android.widget.ImageView")
    assert wrapped(image, "android.view.View", ["getText"]) == []
