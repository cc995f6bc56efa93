"""Process-aware judging (seq per process, findings per process, frequency per process) and code
loaded at run time under the existing rules (SG105 for an SDK that must stay idle)."""
from __future__ import annotations

from sdkgate.rules import evaluate

from .conftest import rule_ids

PKG = "com.example.recruit"


def _read(log, t, actor, process, pid, seq_src="hook"):
    ev = log.read(t, actor, "device_id.imei")
    ev.extra.update(process=process, pid=pid)
    return ev


def test_seq_runs_per_process(log, demo_manifest):
    log.agent()
    log.events[-1].extra.update(process=PKG, pid=10)
    # a second process numbers its own hook events from 0: no gap, no repeat
    second = log.add("hook", "agent_status", 1, status="loaded")
    second.seq = 0
    second.extra.update(process=f"{PKG}:pushcore", pid=11)
    rep = evaluate(log.events, demo_manifest)
    assert not [r for r in rep.incomplete if "seq" in r]
    gap = log.add("hook", "read", 2, actor="jpush", category="device_id.imei", api_id="telephony.getDeviceId")
    gap.seq = 5
    gap.extra.update(process=f"{PKG}:pushcore", pid=11)
    rep = evaluate(log.events, demo_manifest)
    assert any(f"process {PKG}:pushcore, pid 11" in r and "4 missing" in r for r in rep.incomplete)


def test_findings_and_frequency_are_per_process(log, demo_manifest):
    log.agent()
    a = _read(log, 10, "jpush", f"{PKG}:pushcore", 11)
    b = _read(log, 20, "jpush", f"{PKG}:pushcore", 11)
    c = _read(log, 30, "jpush", PKG, 10)
    for ev in (a, b, c):
        ev.seq = log.events.index(ev)
    log.events[0].seq = 0
    rep = evaluate(log.events, demo_manifest)
    sg101 = {f.process for f in rep.findings if f.rule == "SG101"}
    assert sg101 == {PKG, f"{PKG}:pushcore"}
    assert {f.process for f in rep.findings if f.rule == "SG104"} == {f"{PKG}:pushcore"}


def test_consent_is_app_wide(log, demo_manifest):
    log.agent()
    log.consented(5)
    ev = _read(log, 10, "jpush", f"{PKG}:pushcore", 11)
    rep = evaluate(log.events, demo_manifest)
    assert "SG101" not in rule_ids(rep)


def test_feature_bound_sdk_loading_code_before_its_feature_is_sg105(log, demo_manifest):
    log.agent()
    log.add("hook", "code_loaded", 10, actor="cmic_login", path="/data/user/0/x/cache/auth.dex",
            sha256="ab" * 32, stack=["dalvik.system.DexClassLoader.<init>(DexClassLoader.java:1)"])
    log.add("hook", "code_loaded", 12, actor="umeng_common", path="/data/user/0/x/cache/u.dex", sha256="cd" * 32)
    rep = evaluate(log.events, demo_manifest)
    sg105 = [f for f in rep.findings if f.rule == "SG105"]
    assert [f.actor for f in sg105] == ["cmic_login"] and "before consent" in sg105[0].message
    assert sg105[0].detail["path"] == "/data/user/0/x/cache/auth.dex"


def test_an_undeclared_sdk_loading_code_is_seen(log, demo_manifest):
    log.agent()
    log.add("hook", "code_loaded", 10, actor="pangle", path="/data/p.jar", sha256="ef" * 32)
    log.add("static", "sdk_present", 10, actor="pangle", packages=["com.bytedance.sdk"], class_count=3,
            origin="runtime_loaded", loaded_by="pangle")
    rep = evaluate(log.events, demo_manifest)
    sg201 = [f for f in rep.findings if f.rule == "SG201" and f.actor == "pangle"]
    assert sg201 and any("loaded at run time" in f.message or "run time" in str(f.detail) for f in sg201)
