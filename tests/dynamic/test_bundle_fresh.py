"""The shipped agent bundles (sdkgate/agent/) must match hooks/ sources and the sensitive-API table."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from sdkgate.dynamic import build

REBUILD = "rebuild with `python -m sdkgate.dynamic.build` (needs `npm ci --prefix hooks` once)"


def test_recorded_inputs_match_sources():
    rec = build.recorded_sources()
    assert rec, f"sdkgate/agent/{build.SOURCES_FILE} is missing: {REBUILD}"
    now = build.inputs_digest()
    changed = sorted(k for k in set(now["files"]) | set(rec["files"])
                     if now["files"].get(k) != rec["files"].get(k))
    assert now["inputs_sha256"] == rec["inputs_sha256"] and not changed, \
        f"shipped agent is stale, changed inputs: {', '.join(changed)}; {REBUILD}"


def test_shipped_bundles_are_the_recorded_ones():
    rec = build.recorded_sources()
    for target, name in build.TARGETS.items():
        assert build.shipped_bundle_path(target).exists(), f"{name} missing: {REBUILD}"
        assert build.bundle_sha256(target) == rec["bundles"][name], f"{name} was edited by hand: {REBUILD}"


def test_generated_table_covers_every_api():
    from sdkgate.apitable import apis
    ts = build.generate_table_ts()
    for a in apis():
        assert f'"id": "{a.id}"' in ts
        assert f'"cls": "{a.hook_cls}"' in ts
        if not a.hookable:      # no class to name: hooked on the implementations found at run time, said so
            assert f'"{a.id}: {a.cls} is abstract or an interface: hooked on the implementations' in ts


@pytest.fixture(scope="module")
def toolchain():
    bridge = build.HOOKS / "node_modules" / "frida-java-bridge"
    if not bridge.is_dir():
        if shutil.which("node") is None or shutil.which("npm") is None:
            pytest.skip("node/npm not installed: the shipped bundle cannot be recompiled here")
        pytest.fail("hooks/node_modules is missing: run `npm ci --prefix hooks` (make does it)")
    return bridge


def test_recompiled_bundles_equal_shipped(toolchain):
    for target in build.TARGETS:
        fresh = build.compile_agent(target).bundle
        assert hashlib.sha256(fresh.encode()).hexdigest() == build.bundle_sha256(target), \
            f"{build.TARGETS[target]} differs from a fresh build: {REBUILD}"


def test_stand_in_types_are_the_real_bridge_types(toolchain):
    real = (toolchain / "index.d.ts").read_text()
    stand_in = (build.HOOKS / "sim-bridge" / "index.d.ts").read_text()
    body = "\n".join(line for line in stand_in.splitlines(keepends=False) if not line.startswith("// "))
    assert body.strip() == "\n".join(l for l in real.splitlines() if not l.startswith("// ")).strip(), \
        "hooks/sim-bridge/index.d.ts no longer matches frida-java-bridge's index.d.ts: copy it again"
