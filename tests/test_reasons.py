"""Every incomplete reason has a stable kind (issue 20.4): the documented list in docs/ci.md is the code's,
the engine names a known kind wherever it records a reason, and reasons of producers that only write text
(older logs, hosts, the scanner) are classified to their kind, never to `other`."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sdkgate.reasons import BY_SLUG, KINDS, classify

ROOT = Path(__file__).resolve().parents[1]


def test_every_kind_is_documented_with_what_it_could_hide():
    doc = (ROOT / "docs" / "ci.md").read_text("utf-8")
    doc = doc.split("## Why a verdict is incomplete", 1)[1].split("\n## ", 1)[0]
    table = dict(re.findall(r"^\| `([a-z_-]+)` \| (.+) \|$", doc, re.M))
    assert set(table) == set(BY_SLUG)
    assert all(k.unseen for k in KINDS)


def test_the_engine_records_only_known_kinds():
    for path in (ROOT / "sdkgate").rglob("*.py"):
        text = path.read_text("utf-8")
        for m in re.finditer(r"incomplete_reason\(", text):
            call = text[m.end():m.end() + 600].split("\n\n", 1)[0]
            for kind in re.findall(r'\bkind="([^"]+)"', call):
                assert kind in BY_SLUG, f"{path.relative_to(ROOT)}: kind {kind!r} is not in sdkgate/reasons.py"


@pytest.mark.parametrize("reason,kind", [
    ("agent event seq gap: expected 12, batch starts at 20", "seq-gap"),
    ("agent batch 1..9 holds 3 events and 0 drops: seq numbers do not add up", "seq-gap"),
    ("the agent dropped 7 events (queue full): evidence is missing", "agent-dropped"),
    ("error inside an agent hook: TypeError", "agent-error"),
    ("agent script error: ReferenceError at agent.js:1", "agent-error"),
    ("the agent found no Java runtime in the target: no hooks installed", "agent-not-loaded"),
    ("target process died mid-run (session detached: process-terminated); events not yet flushed", "process-died"),
    ("process com.x:remote (pid 4) ran without the agent: spawned before gating; what it did is not observed",
     "process-not-instrumented"),
    ("attached to an already running app: what it did before the attach (process start) were not observed",
     "attached-late"),
    ("run interrupted by the user (Ctrl-C)", "run-interrupted"),
    ("network not observed (run without the proxy): SG401-SG405 could not be judged", "network-not-observed"),
    ("network evidence missing: the proxy exited with code -9", "network-not-observed"),
    ("settle period failed: adb gone", "step-failed"),
    ("net: request failed on flow f1 (a.com): ValueError()", "proxy-error"),
    ("code loaded at run time not kept: loaded/x.dex is 99 bytes, over the cap", "loaded-code-not-kept"),
    ("a.apk: packed by 360 Jiagu (com.stub.StubApp): the code that runs is not in the APK's DEX", "packer"),
    ("a.apk: code not in the APK: the class of 2 manifest component(s) is defined in no DEX: x", "component-class-missing"),
    ("a.apk: Lcom/a/App;->x()V loads code with DexClassLoader from a path the bytecode does not show", "code-loading"),
    ("a.apk: Lcom/a/App;->x()V loads native code with System.load (library '/data/x.so') that is not shipped",
     "code-loading"),
    ("a.apk: Lcom/a/App;->x()V names dalvik.system.DexClassLoader as a string (reflective code loading)", "code-loading"),
    ("a.apk: code from another installed package com.google.android.gms runs in the app (...)", "other-package-code"),
    ("a.apk: pre-consent path search stopped: depth: call chains longer than 48 not followed", "path-search-bound"),
    ("a.apk: required splits missing: the APK declares isSplitRequired", "split-missing"),
    ("a.apk: no classes.dex: no code to scan", "no-code"),
    ("a.apk!assets/app.vdex: VDEX (verified/compact DEX container): code this reader does not decode",
     "precompiled-code"),
    ("a.apk!classes2.dex: not a readable DEX (encrypted or packed?)", "dex-unreadable"),
    ("a.apk: entry 'x' appears twice; which one Android uses is ambiguous", "archive-unreadable"),
    ("a.apk: scan failed: KeyError: 'x'", "scan-failed"),
    ("events.jsonl:12: not JSON", "broken-lines"),
])
def test_text_only_reasons_get_their_kind(reason, kind):
    assert classify(reason) == kind
