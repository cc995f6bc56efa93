"""The input verbs of an app model (issue 22 §1): what the simulated phone delivers, and what app code
does to fake it.

    click_consent: accept|decline|withdraw      # app code calls performClick() on its consent control
    fake_input: {control: accept|decline|withdraw,
                 via: perform_click|posted_touch|sync_touch|key|accessibility|injected}
        # app code fakes the user's input on its control: posted_touch = its own MotionEvent dispatched to
        # the button (the click is posted as for a finger), sync_touch = the click runs at once under app
        # frames, key = a synthetic Enter, accessibility = performAccessibilityAction(ACTION_CLICK) itself,
        # injected = Instrumentation.sendPointerSync into its own window
    user_input: {control: accept|decline|withdraw, via: touch|sync_touch|key|accessibility,
                 window: consent|other, by_id: true}
        # the system delivers a real input (a finger, adb, uiautomator, or an enabled accessibility service):
        # window other = a button with the same text on another dialog (by_id false: matched by text only)
"""
from __future__ import annotations

CONTROLS = {"accept": "granted", "decline": "declined", "withdraw": "withdrawn"}
FAKE_VIA = ("perform_click", "posted_touch", "sync_touch", "key", "accessibility", "injected")
USER_VIA = ("touch", "sync_touch", "key", "accessibility")


def parse_input_verb(ctx, verb: str, val, at: int) -> dict:
    """`fake_input` / `user_input`: {transition, via, window, by_id} (ctx.fail raises with the line)."""
    known = ("control", "via") + (("window", "by_id") if verb == "user_input" else ())
    if not isinstance(val, dict):
        ctx.fail(at, f"{verb} is a mapping {{{', '.join(known)}}}")
    for k in val:
        if k not in known:
            ctx.fail(val.line_of(k), f"unknown {verb} field {k!r} ({', '.join(known)})")
    control = val.get("control")
    if control not in CONTROLS:
        ctx.fail(val.line_of("control") if "control" in val else at, f"{verb} needs 'control: accept|decline|withdraw'")
    vias = FAKE_VIA if verb == "fake_input" else USER_VIA
    via = val.get("via", vias[0] if verb == "fake_input" else "touch")
    if via not in vias:
        ctx.fail(val.line_of("via"), f"{verb} via is one of {', '.join(vias)}")
    window = val.get("window", "consent")
    if window not in ("consent", "other"):
        ctx.fail(val.line_of("window"), "window is consent (the consent dialog) or other (another dialog)")
    by_id = val.get("by_id", window == "consent")
    if not isinstance(by_id, bool):
        ctx.fail(val.line_of("by_id"), "by_id is true or false")
    return {"transition": CONTROLS[control], "via": via, "window": window, "by_id": by_id}
