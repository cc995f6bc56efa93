"""Code the static scan cannot see, turned into `incomplete` reasons: a packer's stub, manifest components
defined in no DEX, code-loading call sites whose payload is not in the APK (see packers.py, absent.py,
loaders.py). Each is independent: declaring a packer or an SDK in the manifest does not lift any of them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue import java_name
from .absent import absent_components, absent_note, absent_reason, runs_without_user
from .loaders import LoadSite, find_load_sites, find_reflective_loaders
from .packers import PackerHit, detect_packers
from .payloads import PayloadScan
from .dex import DexError
from .program import Program
from ..i18n import exc_text, msg


@dataclass
class HiddenCode:
    packers: list[PackerHit] = field(default_factory=list)
    absent: list[tuple[str, str]] = field(default_factory=list)
    load_sites: list[LoadSite] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # what was looked at and is not a blind spot (issue 20)


def find_hidden_code(label: str, entry_names: list[str], amf, program: Program, payloads: PayloadScan,
                     primary_dexes: set[int], libs_complete: bool = False) -> HiddenCode:
    out = HiddenCode()
    comps = [c.name for c in amf.components] if amf is not None else []
    defined = [java_name(d) for d in program.classes]
    out.packers = detect_packers(entry_names, comps, set(defined))
    out.problems += [h.reason(label) for h in out.packers]
    if amf is not None:
        out.absent = absent_components(amf, program, primary_dexes)
        launcher = amf.launcher_activities()
        auto = [(k, n) for k, n in out.absent if runs_without_user(k, n, launcher)]
        by_user = [(k, n) for k, n in out.absent if not runs_without_user(k, n, launcher)]
        if auto:          # runs without the user (Application, providers, receivers, services, the launcher)
            out.problems.append(absent_reason(label, auto, launcher))
        if by_user:
            out.notes.append(absent_note(label, by_user))
    out.load_sites = find_load_sites(program, payloads, entry_names, label, out.problems, libs_complete)
    try:
        out.load_sites += find_reflective_loaders(program, label)
    except DexError as exc:             # a corrupt string table: what loads code by reflection is not known
        out.problems.append(msg("{where}: class loaders named by reflection not searched: {problem}", where=label,
                                problem=exc_text(exc)))
    out.problems += [s.problem for s in out.load_sites if s.problem]
    out.notes += [s.note for s in out.load_sites if s.note and not s.other_package]   # those: one reason per package
    return out
