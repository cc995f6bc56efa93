"""Issue 22 in the engine: who gave the answer (ui_tap, accessibility, programmatic), fake accepts around
the user's decline (SG106, everything between judged as before consent), UIs whose taps the agent
cannot see, and interface rows with no hookable implementation."""
from __future__ import annotations

import dataclasses

from sdkgate.rules import evaluate

from .conftest import rules_of


def tap(log, t, transition, evidence, **kw):
    return log.add("hook", "consent", t, scope="policy", transition=transition, evidence=evidence,
                   control="id/btn_agree", **kw)


def sg106(r):
    return [f for f in r.findings if f.rule == "SG106" and not f.suppressed]


def test_an_accessibility_click_is_incomplete_unless_the_manifest_accepts_it(log, demo_manifest):
    log.agent()
    tap(log, 100, "granted", "accessibility", services=["com.google.android.marvin.talkback/.TalkBackService"])
    log.marker(105, "granted")
    log.read(200, "umeng_common", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert r.verdict == "incomplete"
    assert any("accessibility service (com.google.android.marvin.talkback/.TalkBackService)" in x
               and "consent.accept_accessibility" in x for x in r.incomplete)
    assert ("SG101", "umeng_common", "device_id.imei") not in rules_of(r)      # not judged as before consent
    accepting = dataclasses.replace(demo_manifest, consent=dataclasses.replace(demo_manifest.consent,
                                                                              accept_accessibility=True))
    r = evaluate(log.events, accepting)
    assert r.verdict == "pass", (r.incomplete, r.findings)


def test_a_fake_accept_then_the_users_decline_is_SG106_and_reads_between_are_before_consent(log, demo_manifest):
    log.agent()
    tap(log, 100, "granted", "programmatic", why="no input event was delivered to the app before the click")
    log.marker(105, "granted")
    log.read(200, "umeng_common", "device_id.imei")                  # between the fake accept and the decline
    log.consent(5000, "declined")
    r = evaluate(log.events, demo_manifest)
    assert ("SG101", "umeng_common", "device_id.imei") in rules_of(r)
    found = sg106(r)
    assert found and any("the user then declined" in f.message for f in found)
    assert any("no input event was delivered" in f.message for f in found)


def test_a_decline_then_a_fake_accept_is_SG106_and_reads_after_are_after_the_decline(log, demo_manifest):
    log.agent()
    log.consent(100, "declined")
    tap(log, 300, "granted", "programmatic", why="performClick called by com.example.recruit.ui.MainActivity.onResume")
    log.marker(305, "granted")
    log.read(400, "umeng_common", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert ("SG103", "umeng_common", "device_id.imei") in rules_of(r)
    assert any("after the user declined" in f.message for f in sg106(r))


def test_ui_toolkits_without_an_observation_need_consent_steps(log, demo_manifest):
    log.agent()
    log.add("hook", "agent_status", 1, status="loaded", ui={"toolkits": ["views", "compose"],
            "unobserved": ["Jetpack Compose: Modifier.clickable never calls View.performClick"]})
    log.read(200, "umeng_common", "device_id.imei")
    r = evaluate(log.events, demo_manifest)
    assert any(x.startswith("consent answer not observable by the agent: Jetpack Compose") for x in r.incomplete)
    log.consent(100, "granted")             # a consent step is the user's answer: observation needs no tap
    log.marker(100, "granted")
    r = evaluate(log.events, demo_manifest)
    assert not any("not observable" in x for x in r.incomplete)


def test_an_interface_loaded_without_a_hookable_implementation_is_incomplete(log, demo_manifest):
    log.consented(0)
    iface = "com.google.android.gms.location.FusedLocationProviderClient"
    log.add("hook", "agent_status", 10, status="impl", api_id="fused.getLastLocation", iface=iface,
            iface_loaded=True, hooked=[], failed={"com.google.android.gms.internal.location.zzbi": "no overload"})
    r = evaluate(log.events, demo_manifest)
    assert r.incomplete == [f"fused.getLastLocation: {iface} implementation not hookable: "
                            "com.google.android.gms.internal.location.zzbi: no overload"]
    # the next scan hooked one: the last state counts
    log.add("hook", "agent_status", 20, status="impl", api_id="fused.getLastLocation", iface=iface,
            iface_loaded=True, hooked=["com.google.android.gms.internal.location.zzbi"], failed={})
    assert evaluate(log.events, demo_manifest).verdict == "pass"
