"""Which SDKs' code is in the APK: every defined class attributed through the catalogue.

Platform and library rows of the catalogue (AndroidX, Kotlin, okhttp ...) are counted per row in
`libraries`: their code is the app's. Classes that are neither the app's, nor a catalogued SDK's, nor
platform / library code are never dropped: they are grouped by their first three package segments and reported
with actor `unknown`, so an auditor sees code nobody has named yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue import FIRST_PARTY, UNKNOWN, Catalogue, is_platform, is_shipped_platform, java_name

@dataclass
class SdkPresence:
    actor: str                      # sdk id, or `unknown` for a group of unattributed packages
    packages: list[str] = field(default_factory=list)
    class_count: int = 0
    attributed: list[str] = field(default_factory=list)   # renamed classes reached only from its components


@dataclass
class Inventory:
    sdks: dict[str, SdkPresence] = field(default_factory=dict)
    unknown: dict[str, SdkPresence] = field(default_factory=dict)   # group -> presence
    first_party: int = 0
    platform: int = 0
    libraries: dict[str, int] = field(default_factory=dict)   # platform / library row id -> classes (the app's)


def package_of(jname: str) -> str:
    return jname.rsplit(".", 1)[0] if "." in jname else ""


def unknown_group(pkg: str) -> str:
    return ".".join(pkg.split(".")[:3]) if pkg else "(default package)"


def take_inventory(class_descs, catalogue: Catalogue, app_packages: tuple[str, ...],
                   owners: dict[str, str] | None = None) -> Inventory:
    inv = Inventory()
    by_pkg: dict[str, tuple[str, str | None]] = {}     # package -> (actor, matched prefix)
    for desc in class_descs:
        jn = java_name(desc)
        if owners and jn in owners:                     # attribution.py: reached only from one SDK's components
            entry = inv.sdks.setdefault(owners[jn], SdkPresence(owners[jn]))
            entry.class_count += 1
            entry.attributed.append(jn)
            continue
        pkg = package_of(jn)
        got = by_pkg.get(pkg)
        if got is None:
            hit = catalogue.match_prefix(jn if not pkg else pkg + ".X")
            if hit:
                got = hit
            elif is_platform(jn) or is_shipped_platform(jn):
                got = ("platform", None)
            else:
                actor = catalogue.attribute_class(jn, app_packages)
                got = (actor, None)
            by_pkg[pkg] = got
        actor, prefix = got
        if actor == "platform":
            inv.platform += 1
        elif catalogue.acting_for_app(actor):        # AndroidX, Kotlin, okhttp ...: code acting for the app
            inv.libraries[actor] = inv.libraries.get(actor, 0) + 1
            if catalogue.sdks[actor].kind == "platform":
                inv.platform += 1
        elif actor == FIRST_PARTY:
            inv.first_party += 1
        elif actor == UNKNOWN:
            g = unknown_group(pkg)
            entry = inv.unknown.setdefault(g, SdkPresence(UNKNOWN, [g]))
            entry.class_count += 1
        else:
            entry = inv.sdks.setdefault(actor, SdkPresence(actor))
            if prefix and prefix not in entry.packages:
                entry.packages.append(prefix)
            entry.class_count += 1
    return inv
