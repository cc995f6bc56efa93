"""Pre-consent paths (SG205): from the process entry points to SDK code and sensitive APIs.

Only the part of the call graph that matters is built: a breadth-first walk from each entry point
(Application.attachBaseContext / onCreate, every ContentProvider.onCreate, androidx.startup
initializers' create, autostart receivers' onReceive, the launcher activity's onCreate) over the
invoke targets the APK itself defines (resolved up the superclass chain, then interface default methods
and their desugared companions; virtual and interface calls also reach the overriding / implementing
methods of the APK's subtypes), plus the task objects a method creates (Runnable, Callable, Thread, TimerTask,
Handler callbacks, Kotlin lambdas and coroutines, D8/R8 lambdas, Workers, startup Initializers: see
links.py). Two kinds of path are
reported, each with its shortest chain (entry first, the caller last) and its target:
  - `sdk_init`: a call from non-SDK code into an SDK class (target: the SDK method as called);
  - `sensitive_api`: a sensitive call site (target: the API), in any code the walk reaches.

Consent gating: a path counts as gated when a method on it invokes (or reads) one of the manifest's
consent checks, tests its result with if-eqz / if-nez, and the call that continues the path lies on
the branch taken when the check returned true (links.gated_span). A check whose result is ignored,
stored or passed on gates nothing. The walk is bounded in depth, visited methods and reported paths;
a depth or node bound that was hit makes the scan incomplete at that entry point.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ..catalogue import FIRST_PARTY, UNKNOWN, Catalogue
from .callsites import Site, instruction_starts
from .dex import DexError
from .opcodes import INVOKE
from .links import Links, gated_span
from .program import Program

IGET_SGET = frozenset(range(0x52, 0x59)) | frozenset(range(0x60, 0x67))


@dataclass(frozen=True)
class Bounds:
    max_depth: int = 48
    max_nodes: int = 50_000
    max_paths: int = 500


@dataclass
class Path:
    entry: str
    chain: list[str]                # smali signatures: the entry first, the caller of the target last
    target: str
    actor: str                      # SDK id for an SDK init, else the caller's actor
    category: str | None = None     # the API's category when the target is a sensitive API
    api_id: str | None = None
    kind: str = "sdk_init"          # sdk_init | sensitive_api


@dataclass
class PathSearch:
    paths: list[Path] = field(default_factory=list)
    gated: int = 0                  # paths found that pass a consent check first
    bounds_hit: list[str] = field(default_factory=list)
    visited: int = 0
    entries: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored_checks: int = 0         # consent checks whose result decides no branch (they gate nothing)
    links: object = None            # links.Links used (its `links` counts deferred / default-method links)


def _java_to_desc(name: str) -> str:
    return "L" + name.replace(".", "/") + ";"


def entry_points(program: Program, apk_manifest) -> list[tuple[int, int]]:
    """(dex, method idx) of every process entry point the APK defines code for."""
    from .manifest_xml import AUTOSTART_ACTIONS

    wanted: list[tuple[str, str]] = []
    if apk_manifest is not None:
        if apk_manifest.application:
            app = _java_to_desc(apk_manifest.application)
            wanted += [(app, "attachBaseContext(Landroid/content/Context;)V"), (app, "onCreate()V")]
        for c in apk_manifest.components:
            if c.kind == "provider":
                wanted.append((_java_to_desc(c.name), "onCreate()Z"))
                for name, value in c.meta:
                    if value == "androidx.startup":
                        wanted.append((_java_to_desc(name), "create(Landroid/content/Context;)Ljava/lang/Object;"))
            elif c.kind == "receiver" and any(a in AUTOSTART_ACTIONS for a in c.actions):
                wanted.append((_java_to_desc(c.name), "onReceive(Landroid/content/Context;Landroid/content/Intent;)V"))
        for act in apk_manifest.launcher_activities():
            wanted.append((_java_to_desc(act), "onCreate(Landroid/os/Bundle;)V"))
    out, seen = [], set()
    for cls, np in wanted:
        hit = program.resolve(cls, np)
        if hit and hit not in seen:
            seen.add(hit)
            out.append(hit)
    return out


def find_paths(program: Program, apk_manifest, sites: list[Site], catalogue: Catalogue,
               app_packages: tuple[str, ...], consent_checks: tuple[str, ...],
               bounds: Bounds = Bounds(), loaded_code: dict | None = None) -> PathSearch:
    """Walk from every entry point; report ungated paths to SDK calls (from non-SDK code) and to call sites."""
    res = PathSearch()
    links = Links(program)
    res.links = links
    site_at: dict[tuple[int, int, int], list[Site]] = {}
    for s in sites:
        site_at.setdefault((s.dex, s.method, s.pos), []).append(s)
    checks = set(consent_checks)
    # consent checks may be methods (`Lc;->m(..)Z`) or fields (`Lc;->f:Z`): fields compare without their type
    check_fields = {c.split(":", 1)[0] for c in checks if ":" in c and "(" not in c}
    actor_memo: dict[str, str] = {}

    def actor_of(desc: str) -> str:
        a = actor_memo.get(desc)
        if a is None:
            a = catalogue.attribute_class(desc, app_packages)
            actor_memo[desc] = a
        return a

    def is_sdk(desc: str) -> bool:
        return actor_of(desc) not in (FIRST_PARTY, UNKNOWN)

    sig_memo: dict[tuple[int, int], str] = {}

    def sig(node: tuple[int, int]) -> str:
        s = sig_memo.get(node)
        if s is None:
            s = program.dexes[node[0]].method_sig(node[1])
            sig_memo[node] = s
        return s

    ungated: set[tuple] = set()
    gated: set[tuple] = set()

    def report(key: tuple, make, is_gated: bool):
        if is_gated:
            gated.add(key)
            return
        if key in ungated:
            return
        ungated.add(key)
        if len(res.paths) >= bounds.max_paths:
            msg = f"paths: more than {bounds.max_paths} pre-consent paths, the rest not listed"
            if msg not in res.bounds_hit:
                res.bounds_hit.append(msg)
            return
        res.paths.append(make())

    for entry in entry_points(program, apk_manifest):
        entry_sig = sig(entry)
        res.entries.append(entry_sig)
        parent: dict[tuple, tuple | None] = {(entry, False): None}
        depth = {(entry, False): 0}
        best: dict[tuple[int, int], bool] = {entry: False}   # node -> reached gated? (False wins)
        queue = deque([(entry, False)])
        for extra in links.entry_extras(entry):        # an Initializer's dependencies() run with its create()
            if extra not in best:
                best[extra] = False
                parent[(extra, False)] = (entry, False)
                depth[(extra, False)] = 1
                queue.append((extra, False))

        def enqueue_from(st, callee, gated_now):
            if callee in best and (best[callee] is False or gated_now):
                return
            if depth[st] + 1 > bounds.max_depth:
                return
            best[callee] = gated_now
            nstate = (callee, gated_now)
            parent[nstate] = st
            depth[nstate] = depth[st] + 1
            queue.append(nstate)

        def chain_of(st) -> list[str]:
            out = []
            while st is not None:
                out.append(sig(st[0]))
                st = parent[st]
            return out[::-1]

        while queue:
            state = queue.popleft()
            node, gated_in = state
            res.visited += 1
            if res.visited > bounds.max_nodes:
                res.bounds_hit.append(f"nodes: stopped after visiting {bounds.max_nodes} methods (entry point {entry_sig}; "
                                      "later entry points not searched)")
                break
            dex = program.dexes[node[0]]
            try:
                units = dex.code_units(node[1])
                starts = instruction_starts(units) if units is not None else []
            except DexError as exc:
                res.problems.append(f"{dex.name}: {exc}")
                continue
            caller_sig = sig(node)
            for extra in links.loaded_code(node, loaded_code):   # code this method loads from a shipped payload
                enqueue_from(state, extra, gated_in)
            caller_cls = caller_sig.split("->", 1)[0]
            caller_actor = actor_of(caller_cls)
            caller_is_sdk = is_sdk(caller_cls)
            spans: list[tuple[int, int]] = []       # links.gated_span: the "agreed" branches of checks seen

            def enqueue(callee, gated_now):
                prev = best.get(callee)
                if prev is not None and (prev is False or gated_now):
                    return                          # already reached at least as ungated
                d = depth[state] + 1
                if d > bounds.max_depth:
                    msg = f"depth: call chains longer than {bounds.max_depth} not followed (entry point {entry_sig})"
                    if msg not in res.bounds_hit:
                        res.bounds_hit.append(msg)
                    return
                best[callee] = gated_now
                nstate = (callee, gated_now)
                parent[nstate] = state
                depth[nstate] = d
                queue.append(nstate)

            for k, pos in enumerate(starts):
                op = units[pos] & 0xFF
                checked = gated_in or any(lo <= pos < hi for lo, hi in spans)
                here = site_at.get((node[0], node[1], pos))
                if here:
                    for s in here:
                        report((entry_sig, caller_sig, s.api.id),
                               lambda s=s, st=state: Path(entry_sig, chain_of(st), s.api.smali(s.descriptor), caller_actor,
                                                          s.api.category, s.api.id, "sensitive_api"),
                               checked)
                if op in (0x22, 0x1C, 0x71, 0x77) or 0x60 <= op <= 0x6D:   # task objects, static initializers
                    for callee in links.deferred(dex, units, pos):
                        enqueue(callee, checked)
                if op in IGET_SGET:
                    if check_fields:
                        c, _t, n = dex.field_ref(units[pos + 1])
                        if f"{dex.type_name(c)}->{dex.string(n)}" in check_fields:
                            span = gated_span(units, starts, k)
                            if span:
                                spans.append(span)
                    continue
                if op not in INVOKE:
                    continue
                c, p, n = dex.method_ref(units[pos + 1])
                cls = dex.type_name(c)
                if cls.startswith("["):
                    continue
                target_np = f"{dex.string(n)}{dex.proto(p)}"
                target_sig = f"{cls}->{target_np}"
                callee = links.resolve(cls, target_np)
                if target_sig in checks or (callee is not None and target_np.endswith(")Z")
                                            and links.is_check_wrapper(callee, checks, check_fields)):
                    span = gated_span(units, starts, k)
                    if span:
                        spans.append(span)
                    else:
                        res.ignored_checks += 1
                    continue
                if not caller_is_sdk and is_sdk(cls):
                    sdk = actor_of(cls)
                    report((entry_sig, caller_sig, target_sig),
                           lambda t=target_sig, a=sdk, st=state: Path(entry_sig, chain_of(st), t, a),
                           checked)
                if callee is not None:
                    enqueue(callee, checked)
                for callee in links.reflected(dex, units, starts, k, cls, target_np.split("(", 1)[0]):
                    enqueue(callee, checked)
                if op in (0x6E, 0x72, 0x74, 0x78):     # invoke-virtual / -interface: overrides, implementations
                    impls, capped = links.dispatch(cls, target_np)
                    for callee in impls:
                        enqueue(callee, checked)
                    if capped:
                        msg = (f"dispatch: more than 64 implementations of {target_sig}, not all followed "
                               f"(entry point {entry_sig})")
                        if msg not in res.bounds_hit:
                            res.bounds_hit.append(msg)
        if res.visited > bounds.max_nodes:
            break
    res.gated = len(gated - ungated)
    return res
