"""Reflection with names the code builds (issues 11, 21). Within the calling method, values.py evaluates the
class and member names handed to `Class.forName` / `ClassLoader.loadClass` / `getMethod` / `getDeclaredMethod`
/ `getField` / `getDeclaredField` (constants, StringBuilder chains, concat, valueOf, `new String(char[])`,
static final fields, String.format, Base64 of a constant), and the arguments of `Method.invoke`.

- `TelephonyManager.getDeviceId`, `Build.SERIAL`... reached so -> call sites of the table API, `via: reflection`;
  `SystemProperties.get*` invoked so -> the property call site with its target (ro.serialno ...).
- A loaded class name -> the walk links the class (paths.py: its <clinit> and its methods).
- A name that stays unknown where it matters (a class to load, a member of a table class, a member name that
  a table API has, a SystemProperties property) -> `unresolved`, which the walk reports as `incomplete`
  (reason kind `reflection-unresolved`) when the site is on a path before consent.
"""
from __future__ import annotations

import struct

from collections import defaultdict
from dataclasses import dataclass, field

from ..apitable import SensitiveApi, apis
from .callsites import Site, instruction_starts, judge_target
from .cfg import build_cfg
from .dex import DexError
from .dexcode import static_strings, tries_of
from .invokes import find_invokes
from .opcodes import invoke_registers
from .program import Program
from .values import Evaluator, as_str
from ..i18n import exc_text, msg

REFLECT = {"getMethod": "method", "getDeclaredMethod": "method", "getField": "field", "getDeclaredField": "field"}
LOADERS = ("Ljava/lang/ClassLoader;", "Ldalvik/system/BaseDexClassLoader;", "Ldalvik/system/PathClassLoader;",
           "Ldalvik/system/DexClassLoader;", "Ldalvik/system/InMemoryDexClassLoader;")
SYSPROP = "Landroid/os/SystemProperties;"


@dataclass
class ReflectionScan:
    sites: list[Site] = field(default_factory=list)
    loaded: dict[tuple[int, int, int], str] = field(default_factory=dict)       # forName/loadClass site -> class desc
    unresolved: dict[tuple[int, int, int], str] = field(default_factory=dict)   # site -> what is not known
    problems: list[str] = field(default_factory=list)


def _table() -> dict[tuple[str, str], list[SensitiveApi]]:
    out: dict[tuple[str, str], list[SensitiveApi]] = {}
    for a in apis():
        if a.kind in ("method", "field"):
            out.setdefault((a.smali_class, a.member), []).append(a)
    return out


class _Statics:
    """field idx (in one DEX) -> the String an APK class's static field starts with: its class-definition value
    (`static final String`), else what its <clinit> stores there (a constant, or one it builds)."""

    def __init__(self, program: Program, di: int):
        self.program, self.dex = program, program.dexes[di]

    def __call__(self, fidx: int) -> str | None:
        c, _t, n = self.dex.field_ref(fidx)
        return static_value(self.program, self.dex.type_name(c), self.dex.string(n))


def static_value(program: Program, cls: str, fname: str) -> str | None:
    memo = program.__dict__.setdefault("_static_str", {})
    got = memo.get(cls)
    if got is None:
        memo[cls] = got = {}
        info = program.classes.get(cls)
        if info is not None:
            owner = program.dexes[info.dex]
            index = program.__dict__.setdefault("_cdef_index", {})
            if info.dex not in index:
                index[info.dex] = {cd.type_idx: i for i, cd in enumerate(owner.class_defs())}
            try:
                vals = static_strings(owner, index[info.dex][info.cdef.type_idx])
                got.update({owner.string(owner.field_ref(f)[2]): v for f, v in vals.items()})
                init = program.methods_of(cls).get("<clinit>()V")
                if init is not None:
                    units = owner.code_units(init[1])
                    starts = instruction_starts(units)
                    ev = Evaluator(owner, init[1], units, starts, build_cfg(units, starts, tries_of(owner, init[1])))
                    ev.run(set())
                    for f, v in ev.puts.items():
                        fc, _t, fn = owner.field_ref(f)
                        if v is not None and owner.type_name(fc) == cls:
                            got.setdefault(owner.string(fn), v)
            except (DexError, IndexError, KeyError, ValueError):
                pass
    return got.get(fname)


def find_reflection(program: Program) -> ReflectionScan:
    table = _table()
    names = {m for (_c, m) in table}
    classes = {c for (c, _m) in table}
    out = ReflectionScan()
    wanted = {("Ljava/lang/Class;", n) for n in REFLECT} | {("Ljava/lang/Class;", "forName"),
                                                           ("Ljava/lang/reflect/Method;", "invoke")}
    wanted |= {(c, "loadClass") for c in LOADERS}
    wanted |= {(c, "loadClass") for c in program.classes if c.endswith("ClassLoader;")}
    by_method = defaultdict(list)
    for inv in find_invokes(program, wanted, out.problems):
        by_method[(inv.dex, inv.method)].append(inv)
    for (di, midx), invs in by_method.items():
        dex = program.dexes[di]
        units, starts = invs[0].units, invs[0].starts
        try:
            cfg = build_cfg(units, starts, tries_of(dex, midx))
            states = Evaluator(dex, midx, units, starts, cfg, _Statics(program, di)).run({i.k for i in invs})
        except (DexError, IndexError, ValueError, struct.error) as exc:
            out.problems.append(msg("{where}: reflection values not evaluated in method #{index}: {problem}",
                                    where=dex.name, index=midx, problem=exc_text(exc)))
            continue
        for inv in invs:
            st = states.get(inv.k)
            if st is None:          # unreachable code
                continue
            _one(inv, st, table, names, classes, out)
    return out


def _one(inv, st, table, names, classes, out: ReflectionScan) -> None:
    regs = invoke_registers(inv.units, inv.pos)
    key = (inv.dex, inv.method, inv.pos)
    name = inv.target_name
    if name in ("forName", "loadClass"):
        arg = regs[0] if name == "forName" else (regs[1] if len(regs) > 1 else None)
        s = as_str(st.get(arg), st) if arg is not None else None
        if s:
            out.loaded[key] = "L" + s.replace(".", "/") + ";" if not s.startswith("[") else s
        else:
            out.unresolved[key] = msg("{call} with a class name not known statically",
                                      call='Class.forName' if name == 'forName' else 'ClassLoader.loadClass')
        return
    if name in REFLECT:
        if len(regs) < 2:
            return
        owner = st.get(regs[0])
        owner = owner[1] if owner and owner[0] == "class" else None
        member = as_str(st.get(regs[1]), st)
        if owner and member:
            for api in table.get((owner, member), ()):
                if api.kind == REFLECT[name] and api.match is None:
                    out.sites.append(Site(inv.dex, inv.method, inv.pos, api, api.descriptors[0], None, "via reflection",
                                          {"via": "reflection"}))
                    break
            return
        if owner and owner in classes and owner != SYSPROP:
            out.unresolved[key] = msg("{call} on {owner} with a member name not known statically", call=inv.target_name,
                                      owner=owner)
        elif not owner and (member is None or member in names):
            what = msg("member {name}", name=repr(member)) if member else msg("a member name not known statically")
            out.unresolved[key] = msg("{call} for {what} on a class not known statically", call=inv.target_name, what=what)
        return
    if name == "invoke" and len(regs) >= 3:          # Method.invoke(receiver, Object[] args)
        m = st.get(regs[0])
        if not (m and m[0] == "member" and m[1] == SYSPROP and m[2]):
            return
        arr = st.obj(st.get(regs[2]))
        prop = as_str(arr[1][0], st) if arr and arr[1] else None
        for api in table.get((SYSPROP, m[2]), ()):
            if api.match and prop:
                target, text = judge_target(api, ("string", prop))
                if target is not None:
                    out.sites.append(Site(inv.dex, inv.method, inv.pos, api, api.descriptors[0], None, "via reflection",
                                          {"via": "reflection", "target": target.id, "target_value": text}))
                return
        if not prop:
            out.unresolved[key] = msg("{call} by reflection with a property not known statically",
                                      call="SystemProperties." + str(m[2]))


def find_reflection_sites(program: Program) -> tuple[list[Site], list[str]]:
    """Call sites of table APIs reached by reflection (the scan's call_site events)."""
    r = find_reflection(program)
    return r.sites, r.problems


__all__ = ["ReflectionScan", "find_reflection", "find_reflection_sites", "instruction_starts"]
