"""The fixture APKs (tests/fixtures/apks/) hold exactly what tests/fixtures/apks/expected.yaml says.

The static-scanner tests assert against expected.yaml, so this file checks the facts themselves:
the committed APKs are signed zips, androguard reads the manifest facts listed, the dex files hold
the classes listed, every sensitive call site and start path listed is in the dex code (and no
other one is), the actors follow the SDK catalogue, and tools/build_fixtures.py rebuilds the same
dex bytes from tests/fixtures/apk-src/.
"""
from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from loguru import logger

from sdkgate.apitable import apis, match_target
from sdkgate.catalogue import default_catalogue
from sdkgate.manifest import load_manifest

logger.remove()

from androguard.core.apk import APK  # noqa: E402
from androguard.core.dex import DEX  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APKS = ROOT / "tests" / "fixtures" / "apks"
BUILD_SCRIPT = ROOT / "tools" / "build_fixtures.py"
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"


@lru_cache(maxsize=1)
def expected() -> dict:
    return yaml.safe_load((APKS / "expected.yaml").read_text("utf-8"))


NAMES = sorted(expected()["apks"])


@lru_cache(maxsize=None)
def apk(name: str) -> APK:
    return APK(str(APKS / name))


def app_packages() -> tuple[str, ...]:
    return tuple(expected()["app_packages"])


def actor_of(class_name: str) -> str:
    return default_catalogue().attribute_class(class_name, app_packages())


def java(smali_class: str) -> str:
    return smali_class[1:-1].replace("/", ".")


def cls_of(method_sig: str) -> str:
    return method_sig.split("->", 1)[0]


# --- a small model of the dex code, read with androguard -------------------------------------------

@dataclass
class Call:
    caller: str        # Lcls;->m(desc)ret
    ref: str           # Lcls;->m(desc)ret or Lcls;->FIELD:type as written in the instruction
    op: str
    args: list         # per register: the const-string last loaded into it, else None
    gated: bool = False  # inside the `if-eqz` branch taken only when a consent check returned true


@dataclass
class Code:
    supers: dict[str, list[str]] = field(default_factory=dict)     # class -> [super, *interfaces]
    methods: dict[str, set[str]] = field(default_factory=dict)     # class -> {m(desc)ret}
    calls: list[Call] = field(default_factory=list)
    strings: dict[str, set[str]] = field(default_factory=dict)     # method -> its const-strings
    where: dict[str, str] = field(default_factory=dict)            # class -> dex file

    def add_dex(self, data: bytes, where: str) -> None:
        for c in DEX(data).get_classes():
            name = c.get_name()
            self.where[name] = where
            self.supers[name] = [c.get_superclassname(), *c.get_interfaces()]
            self.methods[name] = set()
            for m in c.get_methods():
                sig = m.get_name() + m.get_descriptor().replace(" ", "")
                self.methods[name].add(sig)
                self._read(f"{name}->{sig}", m)

    def _read(self, caller: str, m) -> None:
        consts: dict[int, str] = {}
        addr, checked, result, gates = 0, False, None, []
        for ins in m.get_instructions():
            op, ops = ins.get_name(), ins.get_operands()
            here, addr = addr, addr + ins.get_length()
            # consent check -> move-result vX -> if-eqz vX, +off: the fall-through up to the target is gated
            if op == "move-result":
                result = ops[0][1] if checked else None
            elif op == "if-eqz" and result is not None and ops[0][1] == result:
                gates.append((addr, here + 2 * ops[-1][1]))
            else:
                result = None
            checked = op.startswith("invoke") and ops[-1][-1].replace(" ", "") in consent_checks()
            regs = [o[1] for o in ops if o[0] == 0 and not isinstance(o[1], tuple)]
            if op.startswith("const-string"):
                consts[regs[0]] = ops[-1][-1]
                self.strings.setdefault(caller, set()).add(ops[-1][-1])
                continue
            if op.startswith("invoke-") or op.startswith("sget"):
                ref = ops[-1][-1].replace(" ", "") if op.startswith("invoke") else ops[-1][-1].replace(" ", ":")
                args = [consts.get(r) for r in regs] if op.startswith("invoke") else []
                self.calls.append(Call(caller, ref, op, args, any(a <= here < b for a, b in gates)))
            if regs and not op.startswith(("invoke", "if-", "aput", "iput", "sput", "return", "check-cast")):
                consts.pop(regs[0], None)

    def resolve(self, ref: str) -> list[str]:
        """The refs a call may land on: the ref itself, then, while the class is in the APK and does
        not define the member, its superclasses and interfaces (a call through a subclass counts)."""
        cls, member = ref.split("->", 1)
        out, todo, seen = [], deque([cls]), set()
        while todo:
            c = todo.popleft()
            if c in seen:
                continue
            seen.add(c)
            out.append(f"{c}->{member}")
            if member not in self.methods.get(c, ()):
                todo.extend(s for s in self.supers.get(c, ()) if s)
        return out

    def defined(self, ref: str) -> str | None:
        """The method of the APK a call lands on (walking up to the class that defines it), if any."""
        for r in self.resolve(ref):
            c, member = r.split("->", 1)
            if member in self.methods.get(c, ()):
                return r
        return None


@lru_cache(maxsize=None)
def code(name: str, nested: bool) -> Code:
    a, model = apk(name), Code()
    for dex_name in sorted(a.get_dex_names()):
        model.add_dex(a.get_file(dex_name), dex_name)
    if nested:
        for n in expected()["apks"][name].get("nested_dex", []):
            container, entry = n.split("!")
            with zipfile.ZipFile(io.BytesIO(a.get_file(container))) as z:
                model.add_dex(z.read(entry), n)
    return model


def table() -> dict[str, list]:
    out: dict[str, list] = {}
    for api in apis():
        if api.kind == "native" or api.is_target:
            continue
        for d in api.descriptors:
            out.setdefault(api.smali(d), []).append(api)
    return out


def sensitive_calls(model: Code) -> list[dict]:
    """Every call of a sensitive API of the table (argument filters on constant keys applied)."""
    tab, found = table(), []
    for call in model.calls:
        for r in model.resolve(call.ref):
            hits = tab.get(r)
            if not hits:
                continue
            for api in hits:
                if api.kind == "permission_request":
                    continue
                flt = api.arg_filter
                if "equals" in flt:
                    idx = flt["index"] + (0 if call.op.startswith("invoke-static") else 1)
                    if call.args[idx] not in flt["equals"]:
                        continue
                if "match" in flt:      # side-channel reads: the constant argument must name a target row
                    idx = flt["index"] + (0 if call.op.startswith("invoke-static") else 1)
                    val = call.args[idx] if 0 <= idx < len(call.args) else None
                    text = f"{flt['namespace']}/{val}" if flt["match"] == "setting" else val
                    if not isinstance(val, str) or match_target(flt["match"], text) is None:
                        continue
                found.append({"api_id": api.id, "api": r, "caller": call.caller, "invoked_as": call.ref})
            break
    return found


def edges(model: Code) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for call in model.calls:
        if call.op.startswith("invoke"):
            target = model.defined(call.ref)
            if target:
                out.setdefault(call.caller, []).append(target)
    return out


def shortest(model: Code, entry: str) -> tuple[dict[str, int], dict[str, int]]:
    """BFS from an entry method: distance to, and number of shortest chains to, each reachable method."""
    g, dist, count, todo = edges(model), {entry: 0}, {entry: 1}, deque([entry])
    while todo:
        m = todo.popleft()
        for n in set(g.get(m, ())):
            if n not in dist:
                dist[n], count[n] = dist[m] + 1, 0
                todo.append(n)
            if dist[n] == dist[m] + 1:
                count[n] += count[m]
    return dist, count


@lru_cache(maxsize=1)
def consent_checks() -> frozenset[str]:
    return frozenset(load_manifest(ROOT / expected()["demo_manifest"]).consent.check)


def gated_edge(model: Code, a: str, b: str) -> bool:
    """Every call from a that lands on b sits in a consent-gated branch."""
    calls = [c for c in model.calls if c.caller == a and c.op.startswith("invoke") and model.defined(c.ref) == b]
    return bool(calls) and all(c.gated for c in calls)


def entries(facts: dict) -> list[str]:
    return [e for comp in facts["process_start"] for e in comp.get("entry", [])]


# --- the committed APKs ----------------------------------------------------------------------------

def test_expected_lists_every_committed_apk():
    assert sorted(p.name for p in APKS.glob("*.apk")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_apk_is_a_signed_zip(name):
    path = APKS / name
    assert path.stat().st_size < 64 * 1024, "fixture APKs must stay small"
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert any(n.startswith("META-INF/") and n.endswith(".RSA") for n in z.namelist())
    if shutil.which("apksigner") is None:
        pytest.skip("apksigner (Debian package apksigner) is not installed")
    proc = subprocess.run(["apksigner", "verify", "--verbose", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Verified using v2 scheme (APK Signature Scheme v2): true" in proc.stdout


@pytest.mark.parametrize("name", NAMES)
def test_manifest_facts_read_by_androguard(name):
    facts, a = expected()["apks"][name], apk(name)
    assert a.get_package() == facts["package"]
    assert a.get_app_name() == facts["app_name"]
    assert a.get_androidversion_code() == str(facts["version_code"])
    assert a.get_androidversion_name() == facts["version_name"]
    assert a.get_min_sdk_version() == str(facts["min_sdk"])
    assert a.get_target_sdk_version() == str(facts["target_sdk"])
    assert sorted(a.get_permissions()) == sorted(facts["uses_permissions"])
    xml = a.get_android_manifest_xml()
    assert sorted(e.get(ANDROID_NS + "name") for e in xml.iter("uses-permission-sdk-23")) == \
        sorted(facts["uses_permissions_sdk23"])
    assert a.get_attribute_value("application", "name") == facts["application"]
    assert a.get_main_activity() == facts["launcher"]
    by_type = {"activity": a.get_activities(), "provider": a.get_providers(),
               "receiver": a.get_receivers(), "service": a.get_services()}
    for kind, names in by_type.items():
        assert sorted(names) == sorted(c["name"] for c in facts["components"] if c["type"] == kind), kind
    exported = {e.get(ANDROID_NS + "name"): e.get(ANDROID_NS + "exported")
                for kind in by_type for e in xml.iter(kind)}
    for comp in facts["components"]:
        assert exported[comp["name"]] == str(comp["exported"]).lower(), comp["name"]
        filters = a.get_intent_filters(comp["type"], comp["name"])
        assert sorted(filters.get("action", [])) == sorted(comp.get("actions", [])), comp["name"]
    meta = sorted((e.getparent().get(ANDROID_NS + "name"), e.get(ANDROID_NS + "name")) for e in xml.iter("meta-data"))
    starts = sorted((c["provider"], c["name"]) for c in facts["process_start"] if c["type"] == "startup_initializer")
    assert meta == starts


@pytest.mark.parametrize("name", NAMES)
def test_dex_files_hold_the_listed_classes(name):
    facts, a = expected()["apks"][name], apk(name)
    assert sorted(a.get_dex_names()) == sorted(facts["dex"])
    assert len(facts["dex"]) > 1 or not a.is_multidex()
    model = code(name, nested=True)
    held: dict[str, list[str]] = {}
    for cls, where in model.where.items():
        held.setdefault(where, []).append(java(cls))
    assert {k: sorted(v) for k, v in held.items()} == {k: sorted(v) for k, v in facts["classes"].items()}


@pytest.mark.parametrize("name", NAMES)
def test_sdks_and_actors_follow_the_catalogue(name):
    facts = expected()["apks"][name]
    classes = [c for cs in facts["classes"].values() for c in cs]
    present: dict[str, list[str]] = {}
    for c in classes:
        who = actor_of(c)
        if who not in ("first_party", "unknown"):
            present.setdefault(who, []).append(c)
    assert {k: sorted(v) for k, v in present.items()} == {k: sorted(v["classes"]) for k, v in facts["sdks_present"].items()}
    for sid, row in facts["sdks_present"].items():
        assert sorted({default_catalogue().match_prefix(c)[1] for c in row["classes"]}) == sorted(row["prefixes"])
    for site in facts["call_sites"] + facts.get("nested_call_sites", []) + facts["permission_requests"]:
        assert site["actor"] == actor_of(java(cls_of(site["caller"]))), site
    for comp in facts["components"] + facts["process_start"]:
        assert comp["actor"] == actor_of(comp["name"]), comp
    for p in facts["init_paths"]:
        assert p["sdk"] == actor_of(java(cls_of(p["target"]))), p


@pytest.mark.parametrize("name", NAMES)
def test_differences_from_the_demo_manifest(name):
    facts, vs = expected()["apks"][name], expected()["apks"][name]["vs_demo_manifest"]
    demo = load_manifest(ROOT / expected()["demo_manifest"])
    assert facts["package"] == demo.package
    assert sorted(vs["undeclared_sdks"]) == sorted(set(facts["sdks_present"]) - set(demo.sdks))
    assert sorted(vs["declared_sdks_absent"]) == sorted(set(demo.sdks) - set(facts["sdks_present"]))
    used = facts["uses_permissions"] + facts["uses_permissions_sdk23"]
    assert sorted(vs["permissions_not_in_table"]) == sorted(set(used) - set(demo.permissions))


@pytest.mark.parametrize("name", NAMES)
def test_call_sites_are_exactly_those_in_the_code(name):
    facts = expected()["apks"][name]
    by_id = {a.id: a for a in apis()}

    def key(s):
        return (s["api_id"], s["api"], s["caller"], s.get("invoked_as", s["api"]))

    for nested, listed in ((False, facts["call_sites"]),
                           (True, facts["call_sites"] + facts.get("nested_call_sites", []))):
        found = sensitive_calls(code(name, nested))
        assert sorted(map(key, found)) == sorted(map(key, listed))
    for site in facts["call_sites"] + facts.get("nested_call_sites", []):
        assert site["category"] == by_id[site["api_id"]].category
    # the negative examples are in the code, and are not call sites
    model = code(name, nested=False)
    for neg in facts.get("not_call_sites", []):
        hits = [c for c in model.calls if c.caller == neg["caller"] and c.ref == neg["api"]]
        assert hits and all(neg["key"] in c.args for c in hits), neg


@pytest.mark.parametrize("name", NAMES)
def test_permission_requests_are_in_the_code(name):
    facts, model = expected()["apks"][name], code(name, nested=False)
    req_apis = {a.smali(d): a for a in apis() if a.kind == "permission_request" for d in a.descriptors}
    found = []
    for call in model.calls:
        for r in model.resolve(call.ref):
            if r in req_apis:
                found.append((req_apis[r].id, r, call.caller, call.ref))
                break
    assert sorted(found) == sorted((p["api_id"], p["api"], p["caller"], p["invoked_as"]) for p in facts["permission_requests"])
    starts = entries(facts)
    reach = set().union(*(shortest(model, e)[0] for e in starts)) if starts else set()
    for p in facts["permission_requests"]:
        assert set(p["permissions"]) <= model.strings.get(p["caller"], set()), p
        assert p["at_start"] == (p["caller"] in reach), p


@pytest.mark.parametrize("name", NAMES)
def test_start_paths_exist_and_are_shortest(name):
    facts = expected()["apks"][name]
    model = code(name, nested=False)
    starts = entries(facts)
    for e in starts:
        c, m = e.split("->", 1)
        assert m in model.methods.get(c, ()), f"entry {e} is not in the dex"
    bfs = {e: shortest(model, e) for e in starts}
    dist = {e: d for e, (d, _) in bfs.items()}
    g = edges(model)
    sites = facts["call_sites"]

    def check(chain, last):
        assert chain[0] in starts and chain[-1] == last
        for a, b in zip(chain, chain[1:]):
            assert b in g.get(a, ()), f"{a} does not call {b}"
        assert dist[chain[0]][last] == len(chain) - 1, chain
        assert bfs[chain[0]][1][last] == 1, f"more than one shortest chain to {last}"
        return any(gated_edge(model, a, b) for a, b in zip(chain, chain[1:]))

    listed = set()
    for p in facts["call_paths"]:
        assert p["consent_gated"] == check(p["chain"], p["chain"][-1]), p
        assert any(s["caller"] == p["chain"][-1] and s["api"] == p["target"] for s in sites), p
        listed.add((p["chain"][0], p["target"], p["chain"][-1]))
    reachable = {(e, s["api"], s["caller"]) for e in starts for s in sites if s["caller"] in dist[e]}
    assert listed == reachable
    for s in sites:
        ungated = [p for p in facts["call_paths"] if p["chain"][-1] == s["caller"] and p["target"] == s["api"]
                   and not p["consent_gated"]]
        assert s["at_start"] == bool(ungated), s

    listed_init = set()
    sdk_calls = {(c["caller"], c["callee"]) for c in facts["sdk_calls"]}
    for p in facts["init_paths"]:
        assert p["consent_gated"] == check(p["chain"] + [p["target"]], p["target"]), p
        assert (p["chain"][-1], p["target"]) in sdk_calls, p
        listed_init.add((p["chain"][0], p["target"]))
    assert listed_init == {(e, callee) for e in starts for caller, callee in sdk_calls if caller in dist[e]}


@pytest.mark.parametrize("name", NAMES)
def test_sdk_calls_are_all_first_party_calls_into_sdks(name):
    facts, model = expected()["apks"][name], code(name, nested=False)
    found = set()
    for call in model.calls:
        if not call.op.startswith("invoke") or actor_of(java(cls_of(call.caller))) != "first_party":
            continue
        target = model.defined(call.ref)
        if target and actor_of(java(cls_of(target))) not in ("first_party", "unknown"):
            found.add((call.caller, target, actor_of(java(cls_of(target)))))
    assert found == {(c["caller"], c["callee"], c["sdk"]) for c in facts["sdk_calls"]}


# --- the build script ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _builder():
    """tools/build_fixtures.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("sdkgate_tools_build_fixtures", BUILD_SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_build_script_names_missing_tools(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))   # no smali, aapt, ... on PATH
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert "missing Debian Android tools" in proc.stderr and "smali" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_build_script_covers_every_fixture():
    assert sorted(f"{s.name}.apk" for s in _builder().SPECS) == NAMES


@pytest.mark.timeout(180)
def test_rebuild_gives_identical_dex(tmp_path):
    missing = _builder().missing_tools()
    if missing:
        pytest.skip(f"Debian Android tools not installed: {', '.join(missing)}")
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=170)
    assert proc.returncode == 0, proc.stderr
    for name in NAMES:
        with zipfile.ZipFile(APKS / name) as old, zipfile.ZipFile(tmp_path / name) as new:
            before, after = _payload(old), _payload(new)
        assert sorted(before) == sorted(after), name
        differ = sorted(n for n in before if before[n] != after[n])
        assert not differ, f"{name}: rebuilt {differ} differ from the committed APK (run tools/build_fixtures.py)"
        proc = subprocess.run(["apksigner", "verify", str(tmp_path / name)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    for spec in _builder().GATE_SPECS:           # tests/fixtures/apks-gates (test_entry_gates.py)
        committed = ROOT / "tests" / "fixtures" / spec.subdir / f"{spec.name}.apk"
        with zipfile.ZipFile(committed) as old, zipfile.ZipFile(tmp_path.parent / spec.subdir / f"{spec.name}.apk") as new:
            assert _payload(old) == _payload(new), f"{spec.name}: rebuilt entries differ (run tools/build_fixtures.py)"


def _payload(z: zipfile.ZipFile) -> dict[str, bytes]:
    """Every entry but the signature (a fresh throwaway key signs each build)."""
    return {n: z.read(n) for n in z.namelist() if not n.startswith("META-INF/")}
