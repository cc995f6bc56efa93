"""One method as the pre-consent walk sees it, computed once and shared by every entry point (paths.py):
what it links to (calls, overrides, tasks, static initializers, started components, registered callbacks,
ServiceLoader providers, reflectively loaded classes, loaded payloads; each with its entry kind), the SDK
calls and sensitive call sites it holds, the reflection it leaves unresolved, and which of its
instructions a consent or permission check gates (gates.py)."""
from __future__ import annotations

import struct

import time
from dataclasses import dataclass, field, replace

from .callsites import arg_register, instruction_starts, param_types
from .cfg import build_cfg
from .dex import DexError
from .dexcode import tries_of
from .entries import (BY_KIND, HANDLER_SENDS, REGISTRATIONS, SERVICE_LOADER, STARTERS, Components, desc_of,
                      system_methods)
from . import gates as _gates
from .gates import CONSENT, NO_GATES, PERMISSION_CHECKS, Check, MethodGates, analyse, wrapper_of
from .links import Links
from .opcodes import INVOKE, LENGTH, invoke_registers, payload_length
from .calls import COMPONENT, INTENT, JOB_INFO
from .values import Evaluator
from ..i18n import at, exc_text, msg

IGET_SGET = frozenset(range(0x52, 0x59)) | frozenset(range(0x60, 0x67))
_VIRTUAL = frozenset({0x6E, 0x72, 0x74, 0x78})          # invoke-virtual / -interface (and /range): overrides too
_INTERESTING_NO_FIELDS = frozenset({0x1A, 0x1B, 0x1C, 0x22}) | frozenset(range(0x60, 0x6E)) | INVOKE
_INTERESTING = _INTERESTING_NO_FIELDS | frozenset(range(0x52, 0x59))
HANDLER = "Landroid/os/Handler;"
_HANDLER = frozenset({HANDLER})
STARTED = (INTENT, COMPONENT, JOB_INFO, "Ljava/lang/Class;", "[Landroid/content/Intent;")


@dataclass(slots=True)
class Summary:
    cls: str                                                                      # the method's class (smali)
    dex: object
    midx: int
    links: list[tuple[int, tuple[int, int], str]] = field(default_factory=list)   # (instruction, callee, hop kind)
    sdk_calls: list[tuple[int, str, str]] = field(default_factory=list)           # (instruction, target, sdk id)
    sites: list[tuple[int, object]] = field(default_factory=list)                 # (instruction, callsites.Site)
    unresolved: list[tuple[int, str]] = field(default_factory=list)               # (instruction, what)
    capped: list[str] = field(default_factory=list)
    gates: MethodGates = field(default_factory=lambda: NO_GATES)
    unresolved_starts: int = 0

    @property
    def sig(self) -> str:
        return self.dex.method_sig(self.midx)


class Summaries:
    def __init__(self, program, links: Links, *, site_at: dict, reflection, components: Components,
                 checks: set[str], loaded: dict | None, is_sdk, actor_of):
        self.program, self.links, self.site_at, self.refl = program, links, site_at, reflection
        self.components, self.checks, self.loaded = components, checks, loaded
        self.check_fields = {c.split(":", 1)[0] for c in checks if ":" in c and "(" not in c}
        self.is_sdk, self.actor_of = is_sdk, actor_of
        self._memo: dict[tuple[int, int], Summary] = {}
        self._wrappers: dict[tuple[int, int], Check | None] = {}
        self._refs: dict[int, dict[int, tuple]] = {}       # per DEX: 4 * method ref + how -> _ref()
        self._owners: dict[int, tuple[list[int], list[int]]] = {}
        self.by_method: dict[tuple[int, int], tuple[dict, dict, dict]] = {}
        for (d, m, pos), ss in site_at.items():
            self.by_method.setdefault((d, m), ({}, {}, {}))[0][pos] = ss
        for i, table in ((1, reflection.unresolved), (2, reflection.loaded)):
            for (d, m, pos), v in table.items():
                self.by_method.setdefault((d, m), ({}, {}, {}))[i][pos] = v
        self.problems: list[str] = []
        self.cfgs = 0
        self.cfg_seconds = 0.0           # building control-flow graphs, dominators and gates (bench/bench_scan.py)

    def get(self, node: tuple[int, int]) -> Summary | None:
        got = self._memo.get(node)
        if got is None and node not in self._memo:
            dex = self.program.dexes[node[0]]
            try:
                got = self._build(node)
            except (DexError, IndexError, ValueError, struct.error) as exc:
                self.problems.append(at(dex.name, exc_text(exc)))
                got = None
            self._memo[node] = got
        return got

    # --- checks --------------------------------------------------------------------------------------------
    def _checks(self, dex, units, starts, depth: int) -> list[tuple[int, Check]]:
        found = []
        for k, pos in enumerate(starts):
            op = units[pos] & 0xFF
            if op in IGET_SGET and self.check_fields:
                c, _t, n = dex.field_ref(units[pos + 1])
                ref = f"{dex.type_name(c)}->{dex.string(n)}"
                if ref in self.check_fields:
                    found.append((k, Check(CONSENT, False, ref)))
            elif op in INVOKE:
                got = self._check_at(dex, units, pos, depth)
                if got is not None:
                    found.append((k, got))
        return found

    def _check_at(self, dex, units, pos: int, depth: int) -> Check | None:
        c, p, n = dex.method_ref(units[pos + 1])
        cls, name, proto = dex.type_name(c), dex.string(n), dex.proto(p)
        callee = self.links.resolve(cls, f"{name}{proto}") if not cls.startswith("[") else None
        return self._check_of(cls, name, proto, f"{cls}->{name}{proto}", callee, depth)

    def _check_of(self, cls, name, proto, sig, callee, depth: int) -> Check | None:
        if sig in self.checks:
            return Check(CONSENT, False, sig)
        if proto[-1] == "Z" and callee is not None and self.checks and \
                self.program.dexes[callee[0]].method_sig(callee[1]) in self.checks:
            return Check(CONSENT, False, sig)       # the check called through a subclass or an interface
        if (name, proto) in PERMISSION_CHECKS:
            return Check(None, True, sig)
        if proto[-1] in "ZI" and depth < 4 and callee is not None:
            w = self.wrapper(callee, depth + 1)
            if w is not None:
                return replace(w, sig=sig)
        return None

    def wrapper(self, node: tuple[int, int], depth: int = 1) -> Check | None:
        """The check a method wraps (gates.wrapper_of), memoised; a cycle reads as no wrapper."""
        if node in self._wrappers:
            return self._wrappers[node]
        self._wrappers[node] = None
        dex = self.program.dexes[node[0]]
        try:
            units = dex.code_units(node[1])
            if units is None or len(units) > 4096:
                return None
            starts = instruction_starts(units)
            found = self._checks(dex, units, starts, depth)
            if not found:
                return None
            t0 = time.perf_counter()
            gates = analyse(dex, node[1], units, starts, found)
            self.cfg_seconds += time.perf_counter() - t0
            self.cfgs += 1
            ret = dex.proto(dex.method_ref(node[1])[1]).rsplit(")", 1)[1]
            w = wrapper_of(gates, units, starts, found, ret)
        except (DexError, IndexError, ValueError, struct.error):
            w = None
        self._wrappers[node] = w
        return w

    # --- the summary ---------------------------------------------------------------------------------------
    def _refs_of(self, di: int) -> dict[int, tuple]:
        got = self._refs.get(di)
        if got is None:
            got = self._refs[di] = {}
        return got

    def _ref(self, di: int, dex, ref: int, how: int, units, pos: int):
        """What an invoke of method_ids[ref] links to, memoised per DEX, reference and `how` (0 direct / super,
        1 virtual / interface: overrides too, 2 static on another class: its static initializers first):
        (target, check, sdk id, links, dispatch-cap message, (cls, name, proto) when it hands something over)."""
        memo = self._refs_of(di)
        key = 4 * ref + how
        virtual = how == 1
        got = memo.get(key)
        if got is not None:
            return got
        c, p, n = dex.method_ref(ref)
        cls = dex.type_name(c)
        if cls.startswith("["):
            got = memo[key] = ("", None, None, (), None, None)
            return got
        name, proto = dex.string(n), dex.proto(p)
        np = name + proto
        target = f"{cls}->{np}"
        info = self.program.classes.get(cls)
        if info is not None and info.dex == di and ref in dex.code_offsets:
            callee = (di, ref)                      # defined right there: no lookup up the hierarchy
        else:
            callee = self.links.resolve(cls, np)
        chk = self._check_of(cls, name, proto, target, callee, 0)
        sdk = self.actor_of(cls) if self.is_sdk(cls) else None
        links = list(self.links.deferred(dex, units, pos)) if how == 2 else []
        if callee is not None:
            links.append((callee, "call"))
        capped = None
        if virtual:
            impls, cap = self.links.dispatch(cls, np)
            links += [(m, "dispatch") for m in impls]
            if cap:
                capped = msg("dispatch: more than 64 implementations of {target}, not all followed", target=target)
        hands = name in REGISTRATIONS or name in STARTERS or cls == SERVICE_LOADER or \
            (name in HANDLER_SENDS and (cls == HANDLER or self.links.is_a(cls, _HANDLER)))
        got = memo[key] = (target, chk, sdk, tuple(links), capped, (cls, name, proto) if hands else None)
        return got

    def _build(self, node: tuple[int, int]) -> Summary:
        program, links = self.program, self.links
        di, midx = node
        dex = program.dexes[di]
        caller_idx = dex.method_ref(midx)[0]
        out = Summary(dex.type_name(caller_idx), dex, midx)
        units = dex.code_units(midx)
        if units is None:
            return out
        caller_is_sdk = self.is_sdk(out.cls)
        owners = self._owners.get(di)
        if owners is None:
            owners = self._owners[di] = (links.owner_index(dex, "m"), links.owner_index(dex, "f"))
        m_owner, f_owner = owners
        refs, ref_info = self._refs_of(di), self._ref
        out_links = out.links
        for extra in links.loaded_code(node, self.loaded):
            out.links.append((0, extra, "loaded_code"))
        found: list[tuple[int, Check]] = []
        wants: dict[int, tuple[str, str, str]] = {}
        named: list[int] = []                    # const-class / const-string: component names for the fallback
        here = self.by_method.get(node)          # (pos -> sites, pos -> unresolved, pos -> loaded class)
        interesting = _INTERESTING if self.check_fields else _INTERESTING_NO_FIELDS
        deferred = links.deferred
        starts: list[int] = []
        nxt, n_units, length, k = 0, len(units), LENGTH, -1
        while nxt < n_units:                      # instruction_starts and the scan, in one pass
            pos = nxt
            k += 1
            starts.append(pos)
            op = units[pos] & 0xFF
            if op == 0 and units[pos]:            # switch / array payload: skipped whole
                nxt = pos + (payload_length(units, pos) or 1)
                continue
            nxt = pos + length[op]
            if op not in interesting:
                continue
            if op <= 0x1C:                                            # const-string(/jumbo), const-class
                named.append(k)
                if op != 0x1C:
                    continue
            if op == 0x22 or op == 0x1C or 0x60 <= op <= 0x6D:
                own = op >= 0x60 and op != 0x62 and f_owner[units[pos + 1]] == caller_idx   # its own statics: nothing
                got = None if own else deferred(dex, units, pos, caller_idx)
                if got:
                    for callee, hop in got:
                        out_links.append((k, callee, hop))
                if here and op <= 0x6D and pos in here[0]:
                    out.sites += [(k, s) for s in here[0][pos]]
            if op < 0x6E:
                if 0x52 <= op <= 0x58 or 0x60 <= op <= 0x66:
                    if self.check_fields:
                        c, _t, n = dex.field_ref(units[pos + 1])
                        ref = f"{dex.type_name(c)}->{dex.string(n)}"
                        if ref in self.check_fields:
                            found.append((k, Check(CONSENT, False, ref)))
                continue
            how = 1 if op in _VIRTUAL else 2 if (op == 0x71 or op == 0x77) and m_owner[units[pos + 1]] != caller_idx else 0
            ref = units[pos + 1]
            info = refs.get(4 * ref + how) or ref_info(di, dex, ref, how, units, pos)
            target, chk, sdk, linked, capped, hands = info
            if not target:
                continue
            if chk is not None:
                found.append((k, chk))
            if sdk is not None and not caller_is_sdk:
                out.sdk_calls.append((k, target, sdk))
            for callee, hop in linked:
                out_links.append((k, callee, hop))
            if capped:
                out.capped.append(capped)
            if hands:
                wants[k] = hands
            if here:
                if pos in here[0]:
                    out.sites += [(k, s) for s in here[0][pos]]
                if pos in here[1]:
                    out.unresolved.append((k, here[1][pos]))
                if pos in here[2]:
                    out.links += [(k, m, "reflection") for m in links.class_methods(here[2][pos])]
        cfg = None
        if wants:
            cfg = build_cfg(units, starts, tries_of(dex, midx))
            states = Evaluator(dex, midx, units, starts, cfg).run(set(wants))
            for k, (cls, name, proto) in wants.items():
                st = states.get(k)
                if st is not None:
                    self._handed_over(out, dex, units, starts, k, cls, name, proto, st, named)
        if found:
            t0 = time.perf_counter()
            out.gates = analyse(dex, midx, units, starts, found, cfg)
            self.cfg_seconds += time.perf_counter() - t0
            self.cfgs += 1
            if out.gates.capped:
                out.capped.append(msg("control flow: more than {n} basic blocks in {method}, its consent checks not "
                                      "evaluated (taken as no gate)", n=_gates.MAX_BLOCKS, method=out.sig))
        return out

    def _handed_over(self, out: Summary, dex, units, starts, k, cls, name, proto, st, named) -> None:
        """Links for a registration, a handler message, a component start or a ServiceLoader lookup at k."""
        pos = starts[k]
        params = param_types(proto)
        program, comps = self.program, self.components
        if cls == SERVICE_LOADER:
            if name not in ("load", "loadInstalled"):
                return
            v = st.get(invoke_registers(units, pos)[0])
            wanted = comps.providers.get(v[1], ()) if v and v[0] == "class" and v[1] else \
                tuple(c for cs in comps.providers.values() for c in cs)
            for impl in wanted:
                nodes = self.links.static_inits(impl) + [m for m in [program.methods_of(impl).get("<init>()V")] if m]
                out.links += [(k, m, "service_loader") for m in nodes]
            return
        if name in REGISTRATIONS:
            kind = BY_KIND[REGISTRATIONS[name]]
            if kind.bases[0] not in params:
                return
            reg = arg_register(units, pos, proto, params.index(kind.bases[0]))
            self._callback(out, k, st.get(reg) if reg is not None else None, st, kind)
            return
        if name in HANDLER_SENDS:
            self._callback(out, k, st.get(invoke_registers(units, pos)[0]), st, BY_KIND["handler_message"])
            return
        kinds = STARTERS[name]
        if not any(t in STARTED for t in params):
            return
        classes, actions = set(), set()
        for i, t in enumerate(params):
            if t not in STARTED:
                continue
            reg = arg_register(units, pos, proto, i)
            v = st.get(reg) if reg is not None else None
            if v and v[0] == "class" and v[1]:
                classes.add(v[1])
            o = st.obj(v)
            if o is not None and isinstance(o[1], tuple) and len(o[1]) == 2:
                classes |= set(o[1][0])
                actions |= set(o[1][1])
        started = self._components(classes, actions, kinds)
        if not started:                      # the Intent is built elsewhere: the names this method holds
            for j in named:
                q = starts[j]
                op = units[q] & 0xFF
                if op == 0x1C:
                    classes.add(dex.type_name(units[q + 1]))
                else:
                    text = dex.string(units[q + 1] if op == 0x1A else units[q + 1] | (units[q + 2] << 16))
                    actions.add(text)
                    classes.add(desc_of(text))
            started = self._components(classes, actions, kinds)
        if not started:
            out.unresolved_starts += 1
        for desc, kind in started:
            out.links += [(k, m, kind) for m in system_methods(program, desc, BY_KIND[kind])]

    def _components(self, classes, actions, kinds) -> list[tuple[str, str]]:
        comps, out = self.components, []
        for desc in classes:
            if desc in self.program.classes:
                kind = comps.kind_of(desc, kinds, self.links.is_a)
                if kind:
                    out.append((desc, kind))
        for a in actions:
            out += [(d, kind) for d, kind in comps.actions.get(a, ()) if kind in kinds]
        return list(dict.fromkeys(out))

    def _callback(self, out: Summary, k: int, v, st, kind) -> None:
        """The registered object's class (allocated here: exactly it; else its declared APK type and subtypes)."""
        if not v:
            return
        o = st.obj(v)
        if o is not None:
            classes = [o[0]]
        elif v[0] == "type" and v[1] in self.program.classes:
            subs, _capped = self.links.subtypes(v[1])
            classes = [v[1]] + subs
        else:
            return
        for c in classes:
            if c in self.program.classes and self.links.is_a(c, frozenset(kind.bases)):
                out.links += [(k, m, kind.kind) for m in system_methods(self.program, c, kind)]
