"""Declared (manifest) vs observed (evidence), cell by cell: match, undeclared, declared_not_seen.

Exit code of `manifest diff`: 0 when everything observed is declared, 1 when something is not,
3 when nothing undeclared was seen but the evidence is incomplete (what could not be seen is listed).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..manifest import Manifest
from ..taxonomy import GENERIC, coverage, is_generic, label, parent
from .observed import Observed
from ..i18n import N_

MATCH, UNDECLARED, NOT_SEEN = "match", "undeclared", "declared_not_seen"
STATUS_TEXT = {MATCH: N_("match"), UNDECLARED: N_("undeclared"), NOT_SEEN: N_("declared, not seen")}
SCHEMA = "sdkgate.manifest-diff/1"


def _status(declared: bool, seen: bool) -> str:
    return MATCH if declared and seen else UNDECLARED if seen else NOT_SEEN


@dataclass
class SdkCell:
    sdk: str
    name: str
    status: str
    where: list[str]
    packages: list[str] = field(default_factory=list)


@dataclass
class CategoryCell:
    sdk: str
    category: str
    status: str
    where: list[str]
    declared_as: str = ""       # the generic parent that covers it when the row lists only that ("declared only generically")


@dataclass
class PermissionCell:
    permission: str
    status: str
    seen_as: list[str]          # declared_in_apk | used_by_api | requested


@dataclass
class DomainCell:
    domain: str
    status: str
    actors: list[str]
    declared_for: str = ""


@dataclass
class Diff:
    manifest: str
    evidence: str
    app: dict
    sdks: list[SdkCell]
    categories: list[CategoryCell]
    permissions: list[PermissionCell]
    domains: list[DomainCell]
    incomplete: list[str]

    def undeclared(self) -> int:
        return sum(1 for group in (self.sdks, self.categories, self.permissions, self.domains)
                   for c in group if c.status == UNDECLARED)

    @property
    def exit_code(self) -> int:
        if self.undeclared():
            return 1
        return 3 if self.incomplete else 0

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "manifest": self.manifest, "evidence": self.evidence, "app": self.app,
                "summary": {s: sum(1 for g in (self.sdks, self.categories, self.permissions, self.domains)
                                   for c in g if c.status == s) for s in (MATCH, UNDECLARED, NOT_SEEN)},
                "exit_code": self.exit_code,
                "sdks": [asdict(c) for c in self.sdks], "categories": [asdict(c) for c in self.categories],
                "permissions": [asdict(c) for c in self.permissions], "domains": [asdict(c) for c in self.domains],
                "incomplete": self.incomplete}

    def label(self, category: str, lang: str) -> str:
        return label(category, lang)


def _where(found) -> list[str]:
    return [w for w in ("static", "runtime", "network") if w in found]


def _under(host: str, domains) -> str | None:
    host = host.lower().rstrip(".")
    for d in domains:
        d = d.lower().lstrip(".")
        if host == d or host.endswith("." + d):
            return d
    return None


def compute(manifest: Manifest, ob: Observed) -> Diff:
    cat = manifest.catalogue()
    ids = list(manifest.sdks) + sorted(s for s in ob.sdks if s not in manifest.sdks)
    sdks = []
    for sid in ids:
        row = manifest.sdks.get(sid)
        sdk = cat.sdks.get(sid)
        name = row.name if row else (sdk.name if sdk else sid)
        sdks.append(SdkCell(sid, name, _status(row is not None, sid in ob.sdks),
                            [w for w in ("static", "runtime", "network") if w in ob.sdks.get(sid, ())],
                            sorted(ob.sdk_packages.get(sid, ()))))
    cats = []
    for sid in ids + [FIRST_PARTY, UNKNOWN]:
        declared = set(manifest.sdks[sid].categories) if sid in manifest.sdks else set()
        seen = ob.categories.get(sid, {})
        if sid in (FIRST_PARTY,):
            continue          # the app's own reads are judged by the consent rules, not the SDK list
        for c in manifest.sdks[sid].categories if sid in manifest.sdks else ():
            if is_generic(c):
                # a generic row is seen when any of its children is
                where = {w for k, ws in seen.items() if parent(k) == c for w in ws}
                cats.append(CategoryCell(sid, c, _status(True, bool(where)), _where(where), declared_as=c))
            else:
                cats.append(CategoryCell(sid, c, _status(True, c in seen), _where(seen.get(c, ()))))
        for c in sorted(set(seen) - declared):
            generic = coverage(declared, c) == GENERIC
            cats.append(CategoryCell(sid, c, _status(generic, True), _where(seen[c]),
                                     declared_as=parent(c) or "" if generic else ""))
    perms = []
    declared_p = list(manifest.permissions)
    seen_p = {p: how for p, how in ob.permissions.items()
              # an API whose permission the APK does not hold cannot be granted it (the scan lists those APIs)
              if not (ob.apk_permissions_known and how == {"used_by_api"})}
    for p in declared_p + sorted(set(seen_p) - set(declared_p)):
        perms.append(PermissionCell(p, _status(p in manifest.permissions, p in seen_p),
                                    sorted(seen_p.get(p, ()))))
    doms = []
    declared_d: dict[str, str] = {d: "app" for d in manifest.app_domains}
    for sid, row in manifest.sdks.items():
        for d in row.domains:
            declared_d.setdefault(d, sid)
    seen_under: dict[str, list[str]] = {}
    for host, actors in sorted(ob.domains.items()):
        owners = {a for a in actors}
        match = None
        for a in owners:
            allowed = manifest.app_domains if a == FIRST_PARTY else manifest.sdk_domains(a) if a in manifest.sdks else ()
            match = match or _under(host, allowed)
        if match is None:
            # a host of a declared domain contacted by code not attributed to its owner is still declared
            match = _under(host, declared_d)
        if match:
            seen_under.setdefault(match, []).append(host)
        doms.append(DomainCell(host, MATCH if match else UNDECLARED, sorted(owners), declared_d.get(match, "") if match else ""))
    for d, owner in declared_d.items():
        if d not in seen_under:
            doms.append(DomainCell(d, NOT_SEEN, [], owner))
    return Diff(manifest.path, ob.source, {**{"package": manifest.package, "name": manifest.name}, **ob.app},
                sdks, cats, perms, doms, list(dict.fromkeys(ob.incomplete)))
