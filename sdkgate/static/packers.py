"""Packers (app protectors): the table in data/packers.yaml and its match against one APK.

A packed APK's DEX holds only the packer's stub; the app's and its SDKs' code is decrypted at run time,
so a static scan of it can never pass: it ends `incomplete` naming the packer, whatever the manifest says.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

from ..yamlio import package_data
from ..i18n import msg


@dataclass(frozen=True)
class Packer:
    id: str
    name: str
    classes: tuple[str, ...]
    native_libs: tuple[str, ...]
    assets: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class PackerHit:
    packer: Packer
    matched: tuple[str, ...]        # "class com.stub.StubApp", "native lib lib/arm64-v8a/libjiagu.so", ...

    def reason(self, label: str) -> str:
        return msg("{where}: packed by {packer} ({matched}): the code that runs is not in the APK's DEX; use a device run",
                   where=label, packer=self.packer.name, matched=list(self.matched[:4]))


@lru_cache(maxsize=1)
def packers() -> tuple[Packer, ...]:
    raw = package_data("packers.yaml")
    out = []
    for row in raw:
        out.append(Packer(row["id"], row["name"], tuple(row.get("classes") or ()), tuple(row.get("native_libs") or ()),
                          tuple(row.get("assets") or ()), tuple(row.get("evidence") or ())))
    return tuple(out)


def _glob_hit(patterns: tuple[str, ...], value: str) -> bool:
    return any(fnmatchcase(value, p) for p in patterns)


def detect_packers(entry_names, component_classes, defined_classes) -> list[PackerHit]:
    """Match every packer row against the zip entry names, the manifest's component classes and the
    classes the DEX defines (Java names). A row matches on any one signature."""
    entries = list(entry_names)
    basenames = [(n, n.rsplit("/", 1)[-1]) for n in entries]
    comps = list(component_classes)
    all_prefixes = tuple(c.split("*", 1)[0] for p in packers() for c in p.classes if "*" in c)
    candidates = [c for c in defined_classes if c.startswith(all_prefixes)]
    hits = []
    for p in packers():
        matched: list[str] = []
        exact = [c for c in p.classes if "*" not in c]
        globs = tuple(c for c in p.classes if "*" in c)
        for c in comps:
            if c in exact or _glob_hit(globs, c):
                matched.append(msg("manifest component {name}", name=c))
        for c in exact:
            if c in defined_classes and f"manifest component {c}" not in matched:
                matched.append(msg("class {name}", name=c))
        if globs:
            prefixes = tuple(g.split("*", 1)[0] for g in globs)
            for c in candidates:
                if c.startswith(prefixes) and _glob_hit(globs, c):
                    matched.append(msg("class {name}", name=c))
                    break
        for full, base in basenames:
            if p.native_libs and _glob_hit(p.native_libs, base):
                matched.append(msg("native library {name}", name=full))
            elif p.assets and _glob_hit(p.assets, full):
                matched.append(msg("asset {name}", name=full))
        if matched:
            hits.append(PackerHit(p, tuple(matched)))
    return hits
