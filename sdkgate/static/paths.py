"""Pre-consent paths (SG205): from every entry point the system runs on its own to SDK code and sensitive APIs.

Roots are the `system` rows of entries.ENTRY_KINDS (the Application's <clinit>/<init>/attachBaseContext/
onCreate, providers, androidx.startup initializers, receivers for system broadcasts, the launcher activity's
whole start). From each root method a breadth-first walk follows the links summary.py finds (calls, overrides,
and the `code` rows of the table: static initializers, tasks, started services/jobs/workers/activities,
registered callbacks, ServiceLoader providers, reflection, loaded payloads). Each method is summarised once and
shared by all roots; the walk itself is iterative, so its depth bound (100,000 calls) is a guard, not a limit
apps meet; the node bound (2,000,000 method visits) is what bounds the time.
Two kinds of path are reported, each with its shortest chain (entry first, the caller last), the entry's
kind and the kind of every hop:
  - `sdk_init`: a call from non-SDK code into an SDK class (target: the SDK method as called);
  - `sensitive_api`: a sensitive call site (target: the API), in any code the walk reaches.

Gates (gates.py, over a control-flow graph and its dominators): a call is consent-gated when every path from
its method's entry passes the granted edge of a consent check, or its caller's call site is gated. A sensitive
call gated only by a runtime-permission check on the permission its API needs is reported with `gate:
permission` (a warning naming the check), unless the manifest has that permission `when: at_start`.
Unresolved reflection on an ungated path is `incomplete` (reason kind `reflection-unresolved`); a depth, node
or dispatch bound that is hit is `incomplete` at that entry point (`path-search-bound`).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ..catalogue import FIRST_PARTY, UNKNOWN, Catalogue, is_platform
from .callsites import Site
from .entries import BY_KIND, Components, roots, system_methods
from .links import Links
from .program import Program
from .reflection import ReflectionScan
from .summary import Summaries
from ..i18n import msg

CHAIN_SHOWN = 64                    # longer chains keep their first 8 and last 55 methods
# a check on one of these permissions grants what an API needing another of the group reads
PERMISSION_GROUPS = ({"android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"},)


@dataclass(frozen=True)
class Bounds:
    max_depth: int = 100_000
    max_nodes: int = 2_000_000
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
    entry_kind: str = ""            # entries.ENTRY_KINDS row of the root
    hops: list[str] = field(default_factory=list)    # kind of each step after the entry (call, dispatch, task ...)
    chain_length: int = 0
    gate: dict | None = None        # {"permission", "check"} when only a permission check guards it


@dataclass
class PathSearch:
    paths: list[Path] = field(default_factory=list)
    gated: int = 0                  # paths found that pass a consent check first
    bounds_hit: list[str] = field(default_factory=list)
    visited: int = 0
    entries: list[str] = field(default_factory=list)
    entry_kinds: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    incomplete: list[tuple[str, str]] = field(default_factory=list)   # (reason, reason kind)
    ignored_checks: int = 0         # consent checks whose result decides no branch (they gate nothing)
    permission_gated: int = 0
    unresolved_starts: int = 0
    cfgs: int = 0
    cfg_seconds: float = 0.0
    links: object = None            # links.Links used (its `links` counts deferred / default-method links)


def entry_points(program: Program, apk_manifest) -> list[tuple[tuple[int, int], str]]:
    """((dex, method idx), entry kind) of every root method the APK defines code for."""
    out, seen = [], set()
    for cls, kind in roots(program, apk_manifest):
        for node in system_methods(program, cls, BY_KIND[kind]):
            if node not in seen:
                seen.add(node)
                out.append((node, kind))
    return out


def _actor_memo(catalogue: Catalogue, app_packages: tuple[str, ...]):
    """Catalogue.attribute_class, memoised per class and, where no catalogue prefix or owner names a single
    class of the package, per package (the walk meets tens of thousands of classes)."""
    by_class: dict[str, str] = {}
    by_package: dict[str, str] = {}
    owners = getattr(catalogue, "owners", None) or {}
    class_level = {p.rsplit(".", 1)[0] for p in catalogue.prefixes()} | {o.rsplit(".", 1)[0] for o in owners}

    def actor_of(desc: str) -> str:
        a = by_class.get(desc)
        if a is None:
            pkg = desc[1:desc.rfind("/")] if "/" in desc else ""
            dotted = pkg.replace("/", ".")
            if dotted in class_level or not pkg:
                a = catalogue.attribute_class(desc, app_packages)
            else:
                a = by_package.get(dotted)
                if a is None:
                    a = by_package[dotted] = catalogue.attribute_class(dotted + ".x", app_packages)
            by_class[desc] = a
        return a
    return actor_of


def _covers(perms: frozenset, needed: str) -> str | None:
    """The check (smali) among (permission, check) pairs that grants `needed`, if any."""
    for perm, check in sorted(perms):
        if perm == needed or any(perm in g and needed in g for g in PERMISSION_GROUPS):
            return check
    return None


def find_paths(program: Program, apk_manifest, sites: list[Site], catalogue: Catalogue,
               app_packages: tuple[str, ...], consent_checks: tuple[str, ...],
               bounds: Bounds = Bounds(), loaded_code: dict | None = None, *, reflection=None,
               components: Components | None = None, at_start: frozenset[str] = frozenset()) -> PathSearch:
    """Walk from every entry point; report ungated paths to SDK calls (from non-SDK code) and to call sites."""
    res = PathSearch()
    links = Links(program)
    res.links = links
    site_at: dict[tuple[int, int, int], list[Site]] = {}
    for s in sites:
        site_at.setdefault((s.dex, s.method, s.pos), []).append(s)
    actor_of = _actor_memo(catalogue, app_packages)

    def is_sdk(desc: str) -> bool:
        return actor_of(desc) not in (FIRST_PARTY, UNKNOWN)

    summaries = Summaries(program, links, site_at=site_at, reflection=reflection or ReflectionScan(),
                          components=components or Components(program, {}, {}), checks=set(consent_checks),
                          loaded=loaded_code, is_sdk=is_sdk, actor_of=actor_of)
    ungated: dict[tuple, Path] = {}
    by_permission: dict[tuple, Path] = {}
    gated: set[tuple] = set()
    unresolved_seen: set[tuple] = set()
    GATED = (True, frozenset())

    def bound(text: str) -> None:
        if text not in res.bounds_hit:
            res.bounds_hit.append(text)

    for entry, entry_kind in entry_points(program, apk_manifest):
        esum = summaries.get(entry)
        entry_sig = esum.sig if esum else program.dexes[entry[0]].method_sig(entry[1])
        res.entries.append(entry_sig)
        res.entry_kinds[entry_sig] = entry_kind
        start = (entry, (False, frozenset()))
        parent: dict[tuple, tuple | None] = {start: None}
        depth = {start: 0}
        seen: dict[tuple[int, int], list] = {entry: [start[1]]}
        queue = deque([start])

        def enqueue(st, callee, label, hop):
            labels = seen.get(callee)
            if labels is not None:
                for g, p in labels:             # reached before with no more gates: nothing new below
                    if (not g and (label[0] or p <= label[1])) or (g and label[0]):
                        return
            d = depth[st] + 1
            if d > bounds.max_depth:
                bound(msg("depth: call chains longer than {n} not followed (entry point {entry})", n=bounds.max_depth,
                          entry=entry_sig))
                return
            seen.setdefault(callee, []).append(label)
            nst = (callee, label)
            parent[nst] = (st, hop)
            depth[nst] = d
            queue.append(nst)

        for extra in links.entry_extras(entry):     # an Initializer's dependencies() run with its create()
            enqueue(start, extra, start[1], "startup_initializer")

        def chain_of(st) -> tuple[list[str], list[str]]:
            sigs, hops = [], []
            while st is not None:
                sm = summaries.get(st[0])
                sigs.append(sm.sig if sm else program.dexes[st[0][0]].method_sig(st[0][1]))
                link = parent[st]
                if link is not None:
                    hops.append(link[1])
                st = link[0] if link is not None else None
            return sigs[::-1], hops[::-1]

        def make(st, target, actor, **kw) -> Path:
            sigs, hops = chain_of(st)
            n = len(sigs)
            if n > CHAIN_SHOWN:
                sigs = sigs[:8] + [f"… {n - 63} calls …"] + sigs[-55:]
                hops = hops[:7] + ["…"] + hops[-55:]
            return Path(entry_sig, sigs, target, actor, entry_kind=entry_kind, hops=hops, chain_length=n, **kw)

        while queue:
            state = queue.popleft()
            node, (gated_in, perms_in) = state
            res.visited += 1
            if res.visited > bounds.max_nodes:
                bound(msg("nodes: stopped after visiting {n} methods (entry point {entry}; later entry points not "
                          "searched)", n=bounds.max_nodes, entry=entry_sig))
                break
            sm = summaries.get(node)
            if sm is None:
                continue
            gates = sm.gates
            caller_actor = actor_of(sm.cls)
            caller = None
            fixed = GATED if gated_in else state[1] if gates.cfg is None else None

            def label_at(k: int, gates=gates, perms_in=perms_in):
                if gates.consent(k):
                    return GATED
                return (False, perms_in | gates.permissions(k)) if gates.perm_blocks else (False, perms_in)

            for k, s in sm.sites:
                g, perms = fixed or label_at(k)
                caller = caller or sm.sig
                key = (entry_sig, caller, s.api.id)
                if g:
                    gated.add(key)
                    continue
                check = _covers(perms, s.api.permission) if s.api.permission and s.api.permission not in at_start else None
                if check:
                    if key not in by_permission:
                        by_permission[key] = make(state, s.api.smali(s.descriptor), caller_actor, category=s.api.category,
                                                  api_id=s.api.id, kind="sensitive_api",
                                                  gate={"permission": s.api.permission, "check": check})
                elif key not in ungated:
                    ungated[key] = make(state, s.api.smali(s.descriptor), caller_actor, category=s.api.category,
                                        api_id=s.api.id, kind="sensitive_api")
            for k, target, sdk in sm.sdk_calls:
                caller = caller or sm.sig
                key = (entry_sig, caller, target)
                if (fixed or label_at(k))[0]:
                    gated.add(key)
                elif key not in ungated:
                    ungated[key] = make(state, target, sdk)
            for k, what in sm.unresolved:
                caller = caller or sm.sig
                if (fixed or label_at(k))[0] or is_platform(sm.cls) or (caller, k) in unresolved_seen:
                    continue
                unresolved_seen.add((caller, k))
                res.incomplete.append((msg("reflection not resolved statically on a path before consent: {what}, in "
                                           "{caller} (entry point {entry})", what=what, caller=caller, entry=entry_sig),
                                       "reflection-unresolved"))
            if not gated_in:                        # below a gated call site nothing is reported anyway
                for capped in sm.capped:
                    bound(msg("{bound} (entry point {entry})", bound=capped, entry=entry_sig))
            for k, callee, hop in sm.links:
                label = fixed or label_at(k)
                if callee not in seen and depth[state] < bounds.max_depth:      # the common case, inline
                    seen[callee] = [label]
                    nst = (callee, label)
                    parent[nst] = (state, hop)
                    depth[nst] = depth[state] + 1
                    queue.append(nst)
                else:
                    enqueue(state, callee, label, hop)
        if res.visited > bounds.max_nodes:
            break
    res.problems += summaries.problems
    res.cfgs, res.cfg_seconds = summaries.cfgs, summaries.cfg_seconds
    res.ignored_checks = sum(s.gates.ignored for node, s in summaries._memo.items()
                             if s is not None and summaries._wrappers.get(node) is None)
    res.unresolved_starts = sum(s.unresolved_starts for s in summaries._memo.values() if s is not None)
    ungated_sites = {(k[1], k[2]) for k in ungated}
    paths = list(ungated.values())
    perm_only = [p for key, p in by_permission.items() if (key[1], key[2]) not in ungated_sites]
    res.permission_gated = len(perm_only)
    paths += perm_only
    if len(paths) > bounds.max_paths:
        res.bounds_hit.append(msg("paths: more than {n} pre-consent paths, the rest not listed", n=bounds.max_paths))
        paths = paths[:bounds.max_paths]
    res.paths = paths
    res.gated = len(gated - set(ungated) - set(by_permission))
    return res
