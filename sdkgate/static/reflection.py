"""Reflection with constant names (issue 11): `Class.forName("android.telephony.TelephonyManager")
.getMethod("getDeviceId")`, `Build.class.getField("SERIAL")` ... become call sites of the table API,
marked `via: reflection`. Only constants traced within the calling method count; a name built at run
time is left to the dynamic hooks (which see the real call whatever the route)."""
from __future__ import annotations

from ..apitable import SensitiveApi, apis
from .callsites import Site
from .invokes import find_invokes
from .opcodes import invoke_registers
from .program import Program

REFLECT = {"getMethod": ("method",), "getDeclaredMethod": ("method",), "getField": ("field",),
           "getDeclaredField": ("field",)}


def _table() -> dict[tuple[str, str], list[SensitiveApi]]:
    out: dict[tuple[str, str], list[SensitiveApi]] = {}
    for a in apis():
        if a.kind in ("method", "field") and a.match is None:
            out.setdefault((a.cls, a.member), []).append(a)
    return out


def find_reflection_sites(program: Program) -> tuple[list[Site], list[str]]:
    """`Class.getMethod/getField(...)` whose class and name are constants (found by invokes.find_invokes, the
    shared search that callsites.py's reference tables and byte-pattern pass also drive)."""
    table, sites, problems = _table(), [], []
    for inv in find_invokes(program, {("Ljava/lang/Class;", name) for name in REFLECT}, problems):
        regs = invoke_registers(inv.units, inv.pos)
        if len(regs) < 2:
            continue
        cls_v, name_v = inv.tracer.value(inv.k, regs[0]), inv.tracer.value(inv.k, regs[1])
        if not (cls_v and cls_v[0] == "class" and name_v and name_v[0] == "string"):
            continue
        kinds = REFLECT[inv.target_name]
        for api in table.get((cls_v[1], name_v[1]), ()):
            if api.kind in kinds:
                sites.append(Site(inv.dex, inv.method, inv.pos, api, api.descriptors[0], None, "via reflection",
                                  {"via": "reflection"}))
                break
    return sites, problems
