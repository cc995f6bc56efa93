"""Do the consent hooks a manifest names exist in the APK? A `consent.check` method that is not there
makes every path look ungated (SG205); a `markers` method that is not there is never seen calling. Both
are usually a typo or an obfuscated build, so `scan` warns with the name."""
from __future__ import annotations

from ..manifest import Manifest
from .program import Program


def _java_to_desc(cls: str) -> str:
    return "L" + cls.replace(".", "/") + ";"


def missing_consent_refs(program: Program, manifest: Manifest) -> list[str]:
    out: list[str] = []
    for check in manifest.consent.check:
        if "->" not in check:
            out.append(f"consent.check {check!r} is not a smali reference (Lpkg/Cls;->method(args)ret)")
            continue
        cls, member = check.split("->", 1)
        if cls not in program.classes:
            out.append(f"consent.check {check}: class {cls} is not in the APK; SG205 sees every path as ungated")
        elif "(" in member and program.resolve(cls, member) is None:
            out.append(f"consent.check {check}: the class has no such method; SG205 sees every path as ungated")
    for m in manifest.consent.markers:
        if not m.method:
            continue
        cls, _, name = m.method.rpartition(".")
        desc = _java_to_desc(cls)
        if desc not in program.classes:
            out.append(f"consent marker method {m.method}: class {cls} is not in the APK; the marker never fires")
        elif not any(sig.split("(", 1)[0] == name for c in program.superclasses(desc)
                     for sig in program.methods_of(c)):
            out.append(f"consent marker method {m.method}: {cls} has no method {name!r}; the marker never fires")
    return out
