"""One method as the pre-consent walk sees it, computed once and shared by every entry point (paths.py):
what it links to (calls, overrides, tasks, static initializers, started components, registered callbacks,
ServiceLoader providers, reflectively loaded classes, loaded payloads; each with its entry kind), the SDK
calls and sensitive call sites it holds, the reflection it leaves unresolved, and which of its
instructions a consent or permission check gates (gates.py)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from .callsites import arg_register, instruction_starts, param_types
from .cfg import build_cfg
from .dex import DexError
from .dexcode import tries_of
from .entries import (BY_KIND, HANDLER_SENDS, REGISTRATIONS, SERVICE_LOADER, STARTERS, Components, desc_of,
                      system_methods)
from .gates import CONSENT, NO_GATES, PERMISSION_CHECKS, Check, MethodGates, analyse, wrapper_of
from .links import Links
from .opcodes import INVOKE, invoke_registers
from .calls import COMPONENT, INTENT, JOB_INFO
from .values import Evaluator

IGET_SGET = frozenset(range(0x52, 0x59)) | frozenset(range(0x60, 0x67))
HANDLER = "Landroid/os/Handler;"
_HANDLER = frozenset({HANDLER})
STARTED = (INTENT, COMPONENT, JOB_INFO, "Ljava/lang/Class;", "[Landroid/content/Intent;")


@dataclass
class Summary:
    sig: str
    links: list[tuple[int, tuple[int, int], str]] = field(default_factory=list)   # (instruction, callee, hop kind)
    sdk_calls: list[tuple[int, str, str]] = field(default_factory=list)           # (instruction, target, sdk id)
    sites: list[tuple[int, object]] = field(default_factory=list)                 # (instruction, callsites.Site)
    unresolved: list[tuple[int, str]] = field(default_factory=list)               # (instruction, what)
    capped: list[str] = field(default_factory=list)
    gates: MethodGates = field(default_factory=lambda: NO_GATES)
    unresolved_starts: int = 0


class Summaries:
    def __init__(self, program, links: Links, *, site_at: dict, reflection, components: Components,
                 checks: set[str], loaded: dict | None, is_sdk, actor_of):
        self.program, self.links, self.site_at, self.refl = program, links, site_at, reflection
        self.components, self.checks, self.loaded = components, checks, loaded
        self.check_fields = {c.split(":", 1)[0] for c in checks if ":" in c and "(" not in c}
        self.is_sdk, self.actor_of = is_sdk, actor_of
        self._memo: dict[tuple[int, int], Summary] = {}
        self._wrappers: dict[tuple[int, int], Check | None] = {}
        self.problems: list[str] = []
        self.cfgs = 0
        self.cfg_seconds = 0.0           # building control-flow graphs, dominators and gates (bench/bench_scan.py)

    def get(self, node: tuple[int, int]) -> Summary | None:
        got = self._memo.get(node)
        if got is None and node not in self._memo:
            dex = self.program.dexes[node[0]]
            try:
                got = self._build(node)
            except (DexError, IndexError, ValueError) as exc:
                self.problems.append(f"{dex.name}: {exc}")
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
        sig = f"{cls}->{name}{proto}"
        if sig in self.checks:
            return Check(CONSENT, False, sig)
        if (name, proto) in PERMISSION_CHECKS:
            return Check(None, True, sig)
        if proto[-1] in "ZI" and depth < 4 and not cls.startswith("["):
            callee = self.links.resolve(cls, f"{name}{proto}")
            w = self.wrapper(callee, depth + 1) if callee is not None else None
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
        except (DexError, IndexError, ValueError):
            w = None
        self._wrappers[node] = w
        return w

    # --- the summary ---------------------------------------------------------------------------------------
    def _build(self, node: tuple[int, int]) -> Summary:
        program, links = self.program, self.links
        dex = program.dexes[node[0]]
        sig = dex.method_sig(node[1])
        out = Summary(sig)
        units = dex.code_units(node[1])
        if units is None:
            return out
        starts = instruction_starts(units)
        caller_is_sdk = self.is_sdk(sig.split("->", 1)[0])
        for extra in links.loaded_code(node, self.loaded):
            out.links.append((0, extra, "loaded_code"))
        found: list[tuple[int, Check]] = []
        wants: dict[int, tuple[str, str, str]] = {}
        named: list[int] = []                    # const-class / const-string: component names for the fallback
        refl, site_at = self.refl, self.site_at
        for k, pos in enumerate(starts):
            op = units[pos] & 0xFF
            key = (node[0], node[1], pos)
            here = site_at.get(key)
            if here:
                out.sites += [(k, s) for s in here]
            if op in (0x1C, 0x1A, 0x1B):
                named.append(k)
            if op in (0x22, 0x1C, 0x71, 0x77) or 0x60 <= op <= 0x6D:
                out.links += [(k, callee, hop) for callee, hop in links.deferred(dex, units, pos)]
            if op in IGET_SGET:
                if self.check_fields:
                    c, _t, n = dex.field_ref(units[pos + 1])
                    ref = f"{dex.type_name(c)}->{dex.string(n)}"
                    if ref in self.check_fields:
                        found.append((k, Check(CONSENT, False, ref)))
                continue
            if op not in INVOKE:
                continue
            c, p, n = dex.method_ref(units[pos + 1])
            cls = dex.type_name(c)
            if cls.startswith("["):
                continue
            name, proto = dex.string(n), dex.proto(p)
            target = f"{cls}->{name}{proto}"
            chk = self._check_at(dex, units, pos, 0)
            if chk is not None:
                found.append((k, chk))
            if not caller_is_sdk and self.is_sdk(cls):
                out.sdk_calls.append((k, target, self.actor_of(cls)))
            callee = links.resolve(cls, f"{name}{proto}")
            if callee is not None:
                out.links.append((k, callee, "call"))
            if key in refl.unresolved:
                out.unresolved.append((k, refl.unresolved[key]))
            loaded = refl.loaded.get(key)
            if loaded:
                out.links += [(k, m, "reflection") for m in links.class_methods(loaded)]
            if op in (0x6E, 0x72, 0x74, 0x78):
                impls, capped = links.dispatch(cls, f"{name}{proto}")
                out.links += [(k, m, "dispatch") for m in impls]
                if capped:
                    out.capped.append(f"dispatch: more than 64 implementations of {target}, not all followed")
            if name in REGISTRATIONS or name in STARTERS or cls == SERVICE_LOADER or \
                    (name in HANDLER_SENDS and (cls == HANDLER or links.is_a(cls, _HANDLER))):
                wants[k] = (cls, name, proto)
        cfg = None
        if wants:
            cfg = build_cfg(units, starts, tries_of(dex, node[1]))
            states = Evaluator(dex, node[1], units, starts, cfg).run(set(wants))
            for k, (cls, name, proto) in wants.items():
                st = states.get(k)
                if st is not None:
                    self._handed_over(out, dex, units, starts, k, cls, name, proto, st, named)
        if found:
            t0 = time.perf_counter()
            out.gates = analyse(dex, node[1], units, starts, found, cfg)
            self.cfg_seconds += time.perf_counter() - t0
            self.cfgs += 1
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
