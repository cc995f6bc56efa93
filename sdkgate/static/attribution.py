"""Code an SDK owns although its package was renamed: classes reachable only from one SDK's manifest
components (R8 keeps component class names, renames what they call).

From every method of each component class, the invoke targets the APK defines are followed (bounded).
A class nobody names (catalogue actor `unknown`) that is reached from the components of exactly one SDK,
and from no first-party component, is that SDK's. `Overlay` applies the result on top of the catalogue,
so inventory, call sites and pre-consent paths all use it.
"""
from __future__ import annotations

from collections import deque

from ..catalogue import FIRST_PARTY, UNKNOWN, Catalogue, is_platform, java_name
from .callsites import instruction_starts
from .dex import DexError
from .opcodes import INVOKE
from .program import Program

MAX_METHODS = 200_000          # per owner (an SDK, or the app itself)


def _desc(name: str) -> str:
    return "L" + name.replace(".", "/") + ";"


def component_owners(amf, program: Program, catalogue: Catalogue, app_packages: tuple[str, ...],
                     signature_components: dict[str, str]) -> dict[str, str]:
    """java class name -> sdk id for unknown classes reached only from one SDK's components."""
    if amf is None:
        return {}
    roots: dict[str, list[str]] = {}
    for c in amf.components:
        owner = signature_components.get(c.name) or catalogue.attribute_class(c.name, app_packages)
        if owner == UNKNOWN or is_platform(c.name) or catalogue.library_of(c.name):
            continue
        roots.setdefault(owner, []).append(_desc(c.name))
    if not any(o != FIRST_PARTY for o in roots):
        return {}
    reached: dict[str, set[str]] = {}
    for owner, classes in roots.items():
        for cls in _walk(program, classes):
            reached.setdefault(cls, set()).add(owner)
    out = {}
    for cls, owners in reached.items():
        if len(owners) != 1:
            continue
        (owner,) = owners
        jn = java_name(cls)
        if owner != FIRST_PARTY and catalogue.attribute_class(jn, app_packages) == UNKNOWN and not is_platform(jn):
            out[jn] = owner
    return out


def _walk(program: Program, classes: list[str]) -> set[str]:
    seen_m: set[tuple[int, int]] = set()
    queue: deque = deque()
    for cls in classes:
        for node in program.methods_of(cls).values():
            if node not in seen_m:
                seen_m.add(node)
                queue.append(node)
    out: set[str] = set()
    while queue and len(seen_m) < MAX_METHODS:
        di, midx = queue.popleft()
        dex = program.dexes[di]
        try:
            units = dex.code_units(midx)
            starts = instruction_starts(units) if units is not None else []
        except DexError:
            continue
        for pos in starts:
            if units[pos] & 0xFF not in INVOKE:
                continue
            c, p, n = dex.method_ref(units[pos + 1])
            cls = dex.type_name(c)
            if cls not in program.classes:
                continue
            out.add(cls)
            callee = program.resolve(cls, f"{dex.string(n)}{dex.proto(p)}")
            if callee and callee not in seen_m:
                seen_m.add(callee)
                queue.append(callee)
    return out


class Overlay:
    """The catalogue, with some classes attributed by reachability (component_owners)."""

    def __init__(self, base: Catalogue, owners: dict[str, str]):
        self._base, self.owners = base, owners

    def __getattr__(self, name):
        return getattr(self._base, name)

    def attribute_class(self, class_name: str, app_packages: tuple[str, ...] = ()) -> str:
        hit = self.owners.get(java_name(class_name)) if self.owners else None
        return hit or self._base.attribute_class(class_name, app_packages)
