"""Code the static scan cannot see, turned into `incomplete` reasons: a packer's stub, manifest components
defined in no DEX, code-loading call sites whose payload is not in the APK (see packers.py, absent.py,
loaders.py). Each is independent: declaring a packer or an SDK in the manifest does not lift any of them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue import java_name
from .absent import absent_components, absent_reason
from .loaders import LoadSite, find_load_sites, find_reflective_loaders
from .packers import PackerHit, detect_packers
from .payloads import PayloadScan
from .dex import DexError
from .program import Program


@dataclass
class HiddenCode:
    packers: list[PackerHit] = field(default_factory=list)
    absent: list[tuple[str, str]] = field(default_factory=list)
    load_sites: list[LoadSite] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def find_hidden_code(label: str, entry_names: list[str], amf, program: Program, payloads: PayloadScan,
                     primary_dexes: set[int]) -> HiddenCode:
    out = HiddenCode()
    comps = [c.name for c in amf.components] if amf is not None else []
    defined = [java_name(d) for d in program.classes]
    out.packers = detect_packers(entry_names, comps, set(defined))
    out.problems += [h.reason(label) for h in out.packers]
    if amf is not None:
        out.absent = absent_components(amf, program, primary_dexes)
        if out.absent:
            out.problems.append(absent_reason(label, out.absent, amf.launcher_activities()))
    out.load_sites = find_load_sites(program, payloads, entry_names, label, out.problems)
    try:
        out.load_sites += find_reflective_loaders(program, label)
    except DexError as exc:             # a corrupt string table: what loads code by reflection is not known
        out.problems.append(f"{label}: class loaders named by reflection not searched: {exc}")
    out.problems += [s.problem for s in out.load_sites if s.problem]
    return out
