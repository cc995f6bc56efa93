"""Do the consent hooks a manifest names exist in the APK? A `consent.check` method that is not there
makes every path look ungated (SG205); a `markers` method that is not there is never seen calling. Both
are usually a typo or an obfuscated build, so `scan` warns with the name."""
from __future__ import annotations

from ..manifest import Manifest
from .program import Program
from ..i18n import msg


def _java_to_desc(cls: str) -> str:
    return "L" + cls.replace(".", "/") + ";"


def missing_consent_refs(program: Program, manifest: Manifest) -> list[str]:
    out: list[str] = []
    for check in manifest.consent.check:
        if "->" not in check:
            out.append(msg("consent.check {check} is not a smali reference (Lpkg/Cls;->method(args)ret)", check=repr(check)))
            continue
        cls, member = check.split("->", 1)
        if cls not in program.classes:
            out.append(msg("consent.check {check}: class {cls} is not in the APK; SG205 sees every path as ungated",
                           check=check, cls=cls))
        elif "(" in member and program.resolve(cls, member) is None:
            out.append(msg("consent.check {check}: the class has no such method; SG205 sees every path as ungated",
                           check=check))
    for m in manifest.consent.markers:
        if not m.method:
            continue
        cls, _, name = m.method.rpartition(".")
        desc = _java_to_desc(cls)
        if desc not in program.classes:
            out.append(msg("consent marker method {method}: class {cls} is not in the APK; the marker never fires",
                           method=m.method, cls=cls))
        elif not any(sig.split("(", 1)[0] == name for c in program.superclasses(desc)
                     for sig in program.methods_of(c)):
            out.append(msg("consent marker method {method}: {cls} has no method {name}; the marker never fires",
                           method=m.method, cls=cls, name=repr(name)))
    return out
