"""Reflection with constant names (issue 11): `Class.forName("android.telephony.TelephonyManager")
.getMethod("getDeviceId")`, `Build.class.getField("SERIAL")` ... become call sites of the table API,
marked `via: reflection`. Only constants traced within the calling method count; a name built at run
time is left to the dynamic hooks (which see the real call whatever the route)."""
from __future__ import annotations

import re

from ..apitable import SensitiveApi, apis
from .callsites import Site, ValueTracer, _invoke_pattern, instruction_starts
from .opcodes import INVOKE, invoke_registers
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
    table, sites, problems = _table(), [], []
    for di, dex in enumerate(program.dexes):
        try:
            mids = {}
            for midx, (c, _p, n) in enumerate(dex.method_refs()):
                if dex.type_name(c) == "Ljava/lang/Class;" and dex.string(n) in REFLECT:
                    mids[midx] = dex.string(n)
            if not mids:
                continue
            rx = re.compile(_invoke_pattern(dex, mids))
            offsets = sorted({m.start() for m in rx.finditer(dex.data) if not m.start() & 1})
            for midx, positions in dex.owners(offsets).items():
                units = dex.code_units(midx)
                starts = instruction_starts(units)
                where = {p: k for k, p in enumerate(starts)}
                tracer = ValueTracer(dex, units, starts)
                for pos in sorted(set(positions)):
                    k = where.get(pos)
                    if k is None or (units[pos] & 0xFF) not in INVOKE or units[pos + 1] not in mids:
                        continue
                    regs = invoke_registers(units, pos)
                    if len(regs) < 2:
                        continue
                    cls_v, name_v = tracer.value(k, regs[0]), tracer.value(k, regs[1])
                    if not (cls_v and cls_v[0] == "class" and name_v and name_v[0] == "string"):
                        continue
                    kinds = REFLECT[mids[units[pos + 1]]]
                    for api in table.get((cls_v[1], name_v[1]), ()):
                        if api.kind in kinds:
                            sites.append(Site(di, midx, pos, api, api.descriptors[0], None, "via reflection",
                                              {"via": "reflection"}))
                            break
        except (IndexError, ValueError) as exc:
            problems.append(f"{dex.name}: reflection scan stopped: {exc}")
    return sites, problems
