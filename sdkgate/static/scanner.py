"""One app in (an APK, with its splits, or an .apks / .xapk / .aab), static events out: `scan`, `sdk_present`,
`call_site`, `permission_declared`, `component`, `path`, `packer`, `code_load_site` and `incomplete`
(schema in docs/internals.md). The rule engine judges them."""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..apitable import by_id
from ..catalogue import FIRST_PARTY, UNKNOWN, Catalogue, default_catalogue, is_platform, java_name
from ..errors import InputError
from ..events import Event
from ..fileio import sha256_file as _sha256
from ..manifest import Manifest
from ..terminal import phase
from .callsites import SiteScan, TargetIndex, find_sites
from .container import DEX_RE, Archive, Budget, Limits
from .dex import Dex, DexError
from .inventory import take_inventory
from .entries import is_system_broadcast
from .manifest_xml import STARTUP_PROVIDER, ApkManifest, protection_level
from .paths import Bounds, PathSearch, find_paths
from .program import Program
from .hidden import find_hidden_code
from .payloads import dex_version_problems
from .signatures import match_signatures
from .bundles import AppRead, read_app
from .attribution import Overlay, component_owners
from ..i18n import at, exc_text, inside, msg

SOURCE = "static"


@dataclass(frozen=True)
class ScanOptions:
    limits: Limits = Limits()
    bounds: Bounds = Bounds()


@dataclass
class ScanResult:
    events: list[Event]
    apk_manifest: ApkManifest | None = None
    sites: SiteScan | None = None
    paths: PathSearch | None = None
    problems: list[str] = field(default_factory=list)
    program: Program | None = None          # the code read (manifest draft --from-scan proposes consent checks)


class _Emitter:
    def __init__(self):
        self.events: list[Event] = []

    def emit(self, kind: str, **fields) -> Event:
        core = {k: fields.pop(k) for k in ("category", "api", "actor", "stack") if k in fields}
        ev = Event(seq=len(self.events), t_ms=0.0, source=SOURCE, kind=kind, extra=fields, **core)
        self.events.append(ev)
        return ev




def scan_apk(path: str | Path, manifest: Manifest | None = None, options: ScanOptions = ScanOptions(),
             splits: tuple[str, ...] = ()) -> ScanResult:
    """Scan one app: an APK (with its split APKs, if given), an .apks / .xapk / .aab (bundles.py).
    Raises InputError when it is not an app at all; anything less is `incomplete`."""
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise InputError(label, None, "no such file" if not path.exists() else "not a file")
    sha = _sha256(path)
    budget = Budget(options.limits)
    apk = Archive.open(path, label, budget)
    opened: list[Archive] = []
    gc_was = gc.isenabled()
    gc.disable()            # a scan allocates much and frees little until it ends: no cyclic collection meanwhile
    try:
        phase("reading the APK and its DEX files")
        app, opened = read_app(apk, label, options.limits, tuple(str(s) for s in splits))
        return _scan_archive(apk, app, label, sha, manifest, options)
    finally:
        if gc_was:
            gc.enable()
        for a in opened:
            a.close()
        apk.close()


def _evidence_of(signatures: dict, native: dict) -> dict:
    """One SDK's evidence: the signature kinds that matched and its native code (native_libs from both, once)."""
    out = {**native, **signatures}
    if "native_libs" in signatures and "native_libs" in native:      # entry paths; a bare name only if no path has it
        have = {str(p).rsplit("/", 1)[-1] for p in signatures["native_libs"]}
        out["native_libs"] = list(signatures["native_libs"]) + [n for n in native["native_libs"] if n not in have]
    return out


def _native_code(apk: Archive, dexes: list, catalogue: Catalogue, app_packages) -> dict[str, dict]:
    """Per actor: `native_methods` (smali signatures, first 50, and their count) and `native_libs`
    (lib/<abi>/ files the catalogue's native_libs attribute to it; the rest under `unattributed`)."""
    from .natives import native_libraries, native_methods  # noqa: PLC0415
    out: dict[str, dict] = {}
    for d in dexes:
        for sig in native_methods(d):
            who = catalogue.attribute_class(sig.split("->", 1)[0], app_packages)
            row = out.setdefault(who, {})
            row.setdefault("native_methods", []).append(sig)
    for row in out.values():
        row["native_method_count"] = len(row["native_methods"])
        row["native_methods"] = sorted(row["native_methods"])[:50]
    for abi, lib in native_libraries(list(apk.names)):
        who = catalogue.attribute_native_lib(lib) or "unattributed"
        libs = out.setdefault(who, {}).setdefault("native_libs", [])
        if lib not in libs:
            libs.append(lib)
        out[who].setdefault("native_abis", [])
        if abi not in out[who]["native_abis"]:
            out[who]["native_abis"].append(abi)
    return out


def _scan_archive(apk: Archive, app: AppRead, label: str, sha: str, manifest: Manifest | None,
                  options: ScanOptions) -> ScanResult:
    problems = app.problems
    dex_blobs, amf, payloads = app.dex_blobs, app.amf, app.payloads
    if not any(u.arc.has("AndroidManifest.xml") for u in app.units) and not dex_blobs and \
            not any(DEX_RE.match(n.rsplit("!", 1)[-1]) for n in app.names):
        raise InputError(label, None, "not an APK: no AndroidManifest.xml and no classes.dex")

    dexes: list[Dex] = []
    primary_dexes: set[int] = set()
    for name, data in dex_blobs:
        problems += [inside(label, p) for p in dex_version_problems(name, data)]
        try:
            dexes.append(Dex(data, name))
            if name in app.primary:
                primary_dexes.add(len(dexes) - 1)
        except DexError as exc:
            problems.append(inside(label, exc_text(exc)) if str(exc).startswith(name) else
                            inside(label, at(name, exc_text(exc))))
    program = Program(dexes)
    problems += [inside(label, p) for p in program.problems]
    program_problems = len(program.problems)        # more may come as methods are looked up (a corrupt table)

    package = (amf.package if amf else "") or (manifest.package if manifest else "")
    app_packages = manifest.app_packages if manifest else ((package,) if package else ())
    catalogue = manifest.catalogue() if manifest else default_catalogue()

    em = _Emitter()
    scan_ev = em.emit("scan", apk=label, sha256=sha, package=package,
                      version_name=amf.version_name if amf else "", dex_count=len(dexes),
                      dex_files=[d.name for d in dexes], class_count=len(program.classes), bounds=[],
                      input_kind=app.kind, files=app.files)

    # --- inventory ---------------------------------------------------------------------------
    phase(f"SDK inventory of {len(program.classes)} classes")
    # SDKs known by their manifest components, app keys, permissions, native libraries (signatures.py);
    # renamed code reached only from one SDK's components is that SDK's (attribution.py)
    sigs = match_signatures(catalogue, amf, app.names, payloads.native_libs, app.read)
    inv = take_inventory(program.classes.keys(), catalogue, app_packages)
    owners = component_owners(amf, program, catalogue, app_packages,
                              {c: sid for sid, kinds in sigs.items() for c in kinds.get("components", ())}) \
        if inv.unknown else {}
    if owners:
        inv = take_inventory(program.classes.keys(), catalogue, app_packages, owners)
    catalogue = Overlay(catalogue, owners) if owners else catalogue
    natives = _native_code(apk, dexes, catalogue, app_packages)
    for sid in sorted(set(inv.sdks) | set(sigs)):
        pres = inv.sdks.get(sid)
        em.emit("sdk_present", actor=sid, packages=sorted(pres.packages) if pres else [],
                class_count=pres.class_count if pres else 0, **_evidence_of(sigs.get(sid, {}), natives.pop(sid, {})),
                **({"attributed_classes": pres.attributed[:50]} if pres and pres.attributed else {}))
    for group, pres in sorted(inv.unknown.items()):
        em.emit("sdk_present", actor=UNKNOWN, packages=pres.packages, class_count=pres.class_count)
    scan_ev.extra.update(first_party_classes=inv.first_party, platform_classes=inv.platform,
                         libraries=dict(sorted(inv.libraries.items())))
    if natives:       # native code of the app, of unknown code, or libraries no catalogue row names
        scan_ev.extra["native_code"] = {k: v for k, v in sorted(natives.items())}

    # --- code the scan cannot see: packers, absent component classes, code loading (hidden.py) ----------
    # every shipped .so was read: no unreadable lib/ entry, no split the app needs left out
    libs_complete = not any("!lib/" in p or "required splits missing" in p or "this is split APK" in p
                            for p in problems)
    hidden = find_hidden_code(label, app.names, amf, program, payloads, primary_dexes, libs_complete)
    problems += hidden.problems
    if hidden.notes:
        scan_ev.extra["notes"] = hidden.notes[:200]
    scan_ev.extra.update(zip_magic_seconds=round(payloads.seconds, 4), payloads=[
        {"entry": p.entry, "kind": p.kind, "size": p.size, **({"note": p.note} if p.note else {})}
        for p in payloads.payloads if p.note or p.kind not in ("dex", "elf")][:200])
    for h in hidden.packers:
        em.emit("packer", packer=h.packer.id, name=h.packer.name, matched=list(h.matched))
    for ls in hidden.load_sites:
        em.emit("code_load_site", actor=catalogue.attribute_class(ls.caller.split("->", 1)[0], app_packages),
                api=ls.api, loader=ls.loader, caller=ls.caller, dex=ls.dex, argument=ls.argument,
                payload=ls.payload, native=ls.native, found=not ls.problem and not ls.other_package,
                **({"other_package": ls.other_package} if ls.other_package else {}),
                **_library(catalogue, ls.caller), **({"note": ls.note} if ls.note else {}))

    # --- call sites ----------------------------------------------------------------------------
    phase("sensitive call sites")
    sites = find_sites(program, TargetIndex.build(), package)
    problems += [inside(label, p) for p in sites.problems]
    from .reflection import find_reflection  # noqa: PLC0415  (issues 11, 21)
    refl = find_reflection(program)
    sites.sites += refl.sites
    problems += [inside(label, p) for p in refl.problems]
    declared_perms = {p for p, _tag, _max in amf.permissions} if amf else None
    grouped: dict[tuple, dict] = {}
    for s in list(sites.sites):
        dex = program.dexes[s.dex]
        try:
            caller = dex.method_sig(s.method)
        except DexError as exc:         # code owned by a method the corrupt tables do not name
            problems.append(inside(label, msg("{where}: a call site's method is not readable: {problem}", where=dex.name,
                                              problem=exc_text(exc))))
            sites.sites.remove(s)
            continue
        key = (s.api.id, caller, s.via, s.extra.get("target") or "")
        g = grouped.get(key)
        if g is None:
            caller_cls = caller.split("->", 1)[0]
            g = grouped[key] = {"site": s, "caller": caller, "actor": catalogue.attribute_class(caller_cls, app_packages),
                                "count": 0, "dex": dex.name, "notes": []}
        g["count"] += 1
        if s.note and s.note not in g["notes"]:
            g["notes"].append(s.note)
    undeclared: dict[str, list[str]] = {}
    for (api_id, caller, via, _target), g in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2] or "", kv[0][3])):
        s = g["site"]
        fields = {"api_id": api_id, "caller": caller, "dex": g["dex"], "count": g["count"],
                  **_library(catalogue, caller)}
        if via:
            fields["invoked_as"] = via
        if s.extra:
            fields.update(s.extra)
        if g["notes"]:
            fields["note"] = g["notes"][0] if len(g["notes"]) == 1 else "; ".join(g["notes"])
        if s.api.kind == "permission_request":
            fields["api_kind"] = "permission_request"
        if s.api.permission:
            fields["permission"] = s.api.permission
            if declared_perms is not None:
                fields["permission_declared"] = s.api.permission in declared_perms
                if s.api.permission not in declared_perms:
                    undeclared.setdefault(s.api.permission, [])
                    if api_id not in undeclared[s.api.permission]:
                        undeclared[s.api.permission].append(api_id)
        category = s.api.category
        if s.extra.get("target"):     # a matched call (path, command, property ...): the target's category
            category = by_id()[s.extra["target"]].category
        em.emit("call_site", category=category, api=s.api.smali(s.descriptor), actor=g["actor"], **fields)
    scan_ev.extra["unresolved_uri_queries"] = sites.unresolved_queries
    seen_unresolved: set = set()
    for s in sites.unresolved:       # a provider query the scan cannot name: a finding with its caller
        dex = program.dexes[s.dex]
        caller = dex.method_sig(s.method)
        if caller in seen_unresolved:
            continue
        seen_unresolved.add(caller)
        em.emit("call_site", category=None, api=s.api.smali(s.descriptor),
                actor=catalogue.attribute_class(caller.split("->", 1)[0], app_packages),
                api_id="resolver.query.unresolved", caller=caller, dex=dex.name, count=1,
                note=msg("content URI not resolved statically"), unresolved_uri=True, **_library(catalogue, caller))
    scan_ev.extra["undeclared_api_permissions"] = undeclared

    # --- permissions and components ----------------------------------------------------------------
    if amf is not None:
        for perm, tag, max_sdk in amf.permissions:
            em.emit("permission_declared", permission=perm, protection_level=protection_level(perm),
                    max_sdk=int(max_sdk) if max_sdk and str(max_sdk).isdigit() else None, tag=tag)
        _components(em, amf, program, catalogue, app_packages)

    if manifest is not None:
        from .consent_refs import missing_consent_refs
        scan_ev.extra["manifest_warnings"] = manifest.warnings() + missing_consent_refs(program, manifest)

    # --- pre-consent paths -------------------------------------------------------------------------
    phase("pre-consent paths from the entry points")
    search = None
    kinded: list[tuple[str, str]] = []          # incomplete reasons with their kind slug
    if manifest is None:
        scan_ev.extra["paths"] = msg("not searched: no manifest, so no consent check to look for")
    elif amf is None:
        scan_ev.extra["paths"] = msg("not searched: the APK manifest is unreadable, so the entry points are unknown")
    else:
        t_paths = time.perf_counter()
        loaded: dict = {}
        for ls in hidden.load_sites:
            if ls.payload and ls.node and not ls.native and not ls.payload.startswith("("):
                loaded.setdefault(ls.node, []).append(ls.payload)
        from .entries import Components  # noqa: PLC0415
        at_start = frozenset(p for p, row in manifest.permissions.items() if row.when == "at_start")
        try:
            search = find_paths(program, amf, sites.sites, catalogue, app_packages, manifest.consent.check,
                                options.bounds, loaded, reflection=refl,
                                components=Components.build(program, amf, app.names, app.read), at_start=at_start)
        except DexError as exc:         # a table every method needs is corrupt: nothing searched is a bound
            search = PathSearch(bounds_hit=[msg("the DEX tables could not be read ({problem})", problem=exc_text(exc))])
        scan_ev.extra["path_search_seconds"] = round(time.perf_counter() - t_paths, 4)
        problems += [inside(label, p) for p in search.problems]
        scan_ev.extra.update(entry_points=search.entries, entry_point_kinds=search.entry_kinds, gated_paths=search.gated,
                             permission_gated_paths=search.permission_gated, visited_methods=search.visited,
                             consent_checks=list(manifest.consent.check), control_flow_graphs=search.cfgs,
                             control_flow_seconds=round(search.cfg_seconds, 4),
                             unresolved_component_starts=search.unresolved_starts)
        scan_ev.extra["bounds"] = list(search.bounds_hit)
        # a search bound hit leaves code unsearched: incomplete at that entry point (the paths cap only truncates the list)
        kinded += [(msg("{where}: pre-consent path search stopped: {bound}", where=label, bound=b), "path-search-bound")
                   for b in search.bounds_hit if not b.startswith("paths:")]
        kinded += [(at(label, reason), kind) for reason, kind in search.incomplete]
        scan_ev.extra.update(ignored_consent_checks=search.ignored_checks,
                             call_graph_links=search.links.links if search.links else 0)
        for p in search.paths:
            fields = {"chain": p.chain, "target": p.target, "entry": p.entry, "caller": p.chain[-1] if p.chain else None,
                      "path_kind": p.kind, "entry_kind": p.entry_kind, "hops": p.hops}
            if p.chain_length > len(p.chain):
                fields["chain_length"] = p.chain_length
            if p.gate:
                fields["gate"] = "permission"
                fields["permission"] = p.gate["permission"]
                fields["permission_check"] = p.gate["check"]
            if p.kind == "sensitive_api" and p.chain:       # a call inside platform / library code: the app's, via it
                fields.update(_library(catalogue, p.chain[-1]))
            if p.api_id:
                fields["api_id"] = p.api_id
            em.emit("path", actor=p.actor, category=p.category,
                    **({"api": p.target} if p.kind == "sensitive_api" else {}), **fields)

    problems += [inside(label, p) for p in program.problems[program_problems:]]
    if apk.tampered:              # BadPack-style entries: read as Android reads them, and said so
        scan_ev.extra["tampered_entries"] = list(apk.tampered)
    for reason in problems:
        em.emit("incomplete", reason=reason)
    for reason, kind in kinded:
        em.emit("incomplete", reason=reason, reason_kind=kind)
    return ScanResult(em.events, amf, sites, search, problems + [r for r, _k in kinded], program)


def _library(catalogue, caller: str) -> dict:
    """`library`: the platform / library row (AndroidX, okhttp ...) whose code makes the call for the app."""
    lib = catalogue.via_of(caller.split("->", 1)[0]) if caller else None
    return {"library": lib} if lib else {}


def _components(em: _Emitter, amf: ApkManifest, program: Program, catalogue: Catalogue,
                app_packages: tuple[str, ...]) -> None:
    """Process-start code: providers, startup initializers, an SDK Application base class, autostart receivers."""

    def actor(name: str) -> str:
        return catalogue.attribute_class(name, app_packages)

    def third_party(a: str, name: str) -> bool:
        return a != FIRST_PARTY and not is_platform(name)

    for c in amf.components:
        if c.kind == "provider":
            for meta_name, value in c.meta:
                if value == "androidx.startup" and third_party(actor(meta_name), meta_name):
                    em.emit("component", actor=actor(meta_name), component_type="startup_initializer", name=meta_name,
                            reason=msg("androidx.startup initializer run by {provider} at process start", provider=c.name))
            if c.name != STARTUP_PROVIDER and third_party(actor(c.name), c.name):
                em.emit("component", actor=actor(c.name), component_type="provider", name=c.name,
                        reason=msg("ContentProvider: created at process start, before Application.onCreate"))
        elif c.kind == "application":
            for anc in program.superclasses("L" + c.name.replace(".", "/") + ";"):
                jn = java_name(anc)
                a = actor(jn)
                if a not in (FIRST_PARTY, UNKNOWN) and not is_platform(jn):
                    em.emit("component", actor=a, component_type="application", name=c.name,
                            reason=msg("Application class is or extends SDK class {cls}", cls=jn))
                    break
        elif c.kind == "receiver":
            autos = [a for a in c.actions if is_system_broadcast(a)]      # entries.py: the walk's roots too
            if autos and third_party(actor(c.name), c.name):
                em.emit("component", actor=actor(c.name), component_type="receiver", name=c.name,
                        reason=msg("receiver started by system broadcasts: {actions}", actions=", ".join(autos)))
