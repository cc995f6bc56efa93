"""What users hand us, read as ONE app: an APK, an APK with its split APKs, a bundletool `.apks`, an `.xapk`,
an Android App Bundle `.aab`. All DEX, native libraries, assets and manifests of the parts are scanned
together; every part is named (`files`), every entry keeps a path that says which part it came from
(`split_config.arm64_v8a.apk!lib/arm64-v8a/libx.so`, `base/dex/classes.dex`).

A base APK that declares `isSplitRequired` / `requiredSplitTypes` scanned without its splits is incomplete
("required splits missing"); a split scanned alone is incomplete (its base is missing).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .container import DEX_RE, Archive, EntryError, load_dex_blobs
from .manifest_xml import ApkManifest, ManifestXmlError, manifest_from_root, parse_manifest_xml
from .payloads import PayloadScan, scan_payloads
from .proto_xml import ProtoXmlError, parse_proto_xml
from ..i18n import exc_text, msg

APP_SUFFIXES = (".apk", ".apks", ".xapk", ".aab", ".apkm")
_AAB_MANIFEST = re.compile(r"^([^/]+)/manifest/AndroidManifest\.xml$")


class ModuleView(Archive):
    """One module of an .aab laid out like an APK (`base/dex/classes.dex` -> `classes.dex`, `base/root/x` -> `x`)."""

    def __init__(self, parent: Archive, module: str):
        super().__init__(f"{parent.label}!{module}", parent.zf, parent.budget)
        self.real: dict[str, str] = {}
        pre = module + "/"
        for n in parent.names:
            if not n.startswith(pre):
                continue
            rest = n[len(pre):]
            for sub, to in (("dex/", ""), ("root/", ""), ("manifest/", "")):
                if rest.startswith(sub):
                    rest = to + rest[len(sub):]
                    break
            if rest and rest not in self.real:
                self.real[rest] = n
                self.names.append(rest)

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        return self.zf.getinfo(self.real[name])

    def close(self) -> None:            # the parent owns the zip
        pass


@dataclass
class Unit:
    name: str                   # "" for the base APK; the split's file / entry name; the .aab module
    arc: Archive
    manifest_format: str = "axml"   # axml | proto

    def show(self, entry: str) -> str:
        """An entry's path as the user finds it."""
        if isinstance(self.arc, ModuleView):
            return self.arc.real.get(entry.split("!", 1)[0], entry) + (("!" + entry.split("!", 1)[1]) if "!" in entry else "")
        return f"{self.name}!{entry}" if self.name else entry


@dataclass
class AppRead:
    kind: str                                       # apk | splits | apks | xapk | aab
    files: list[str]
    dex_blobs: list[tuple[str, bytes]] = field(default_factory=list)
    primary: set[str] = field(default_factory=set)  # DEX the system loads (classes*.dex of every part)
    amf: ApkManifest | None = None
    payloads: PayloadScan = field(default_factory=PayloadScan)
    names: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    _where: dict[str, tuple[Unit, str]] = field(default_factory=dict)

    def read(self, name: str, cap: int) -> bytes | None:
        got = self._where.get(name)
        if got is None:
            return None
        try:
            return got[0].arc.read(got[1], cap)
        except (EntryError, KeyError):
            return None


def units_of(apk: Archive, label: str, split_paths: tuple[str, ...] = ()) -> tuple[str, list[Unit], list[str], list[Archive]]:
    """(kind, units with the base first, files, archives opened here that the caller must close)."""
    opened: list[Archive] = []
    if apk.has("AndroidManifest.xml") or not any(n.lower().endswith(".apk") for n in apk.names):
        mods = sorted({m.group(1) for n in apk.names for m in [_AAB_MANIFEST.match(n)] if m})
        if mods and not apk.has("AndroidManifest.xml"):
            mods.sort(key=lambda m: (m != "base", m))
            return "aab", [Unit(m, ModuleView(apk, m), "proto") for m in mods], [label], opened
        units = [Unit("", apk)]
        files = [label]
        for sp in split_paths:
            arc = Archive.open(Path(sp), sp, apk.budget)
            opened.append(arc)
            units.append(Unit(Path(sp).name, arc))
            files.append(sp)
        return ("splits" if split_paths else "apk"), units, files, opened
    # a container of APKs: bundletool .apks (splits/, standalones/, universal.apk), .xapk (base + config.*.apk)
    entries = [n for n in apk.names if n.lower().endswith(".apk")]
    if any(n.startswith("splits/") for n in entries):
        entries = [n for n in entries if n.startswith("splits/")]   # standalones/ repeat the same code
    kind = "apks" if any(n.startswith(("splits/", "standalones/")) or n == "universal.apk" for n in entries) else "xapk"
    units: list[Unit] = []
    for n in entries[:apk.budget.limits.max_nested_archives]:
        try:
            arc = Archive.open(apk.read(n), f"{label}!{n}", apk.budget)
        except (EntryError, InputError) as exc:
            raise InputError(label, n, f"APK inside the bundle not readable: {getattr(exc, 'problem', exc)}") from None
        opened.append(arc)
        units.append(Unit(n, arc))
    if not units:
        raise InputError(label, None, "no APK inside")
    return kind, units, [f"{label}!{u.name}" for u in units], opened


def _manifest(unit: Unit, label: str, limits, problems: list[str]) -> ApkManifest | None:
    if not unit.arc.has("AndroidManifest.xml"):
        return None
    try:
        raw = unit.arc.read("AndroidManifest.xml", limits.max_manifest_bytes)
        if unit.manifest_format == "proto":
            return manifest_from_root(parse_proto_xml(raw))
        return parse_manifest_xml(raw)
    except EntryError as exc:
        problems.append(msg("{problem}: permissions, components and entry points unknown", problem=exc_text(exc)))
    except (ManifestXmlError, ProtoXmlError) as exc:
        problems.append(msg("{where}: {problem}: permissions, components and entry points unknown",
                            where="!".join((label, unit.show("AndroidManifest.xml"))), problem=exc_text(exc)))
    return None


def read_app(apk: Archive, label: str, limits, split_paths: tuple[str, ...] = ()) -> tuple[AppRead, list[Archive]]:
    """Every part's DEX (classes*.dex, assets archives, and whatever the zip-magic pass finds), manifests
    merged (base first), payloads and entry names; the problems that make the scan incomplete."""
    kind, units, files, opened = units_of(apk, label, split_paths)
    app = AppRead(kind, files, units=units)
    manifests: list[tuple[Unit, ApkManifest | None]] = []
    app.problems += apk.problems
    for u in units:
        if u.arc is not apk and not isinstance(u.arc, ModuleView):
            app.problems += u.arc.problems
        blobs, probs = load_dex_blobs(u.arc)
        app.problems += probs
        pay = scan_payloads(u.arc, {n for n, _ in blobs} | {n for ns in u.arc.nested_names() for n in ns})
        app.problems += pay.problems
        for n, data in blobs + pay.dex_blobs:
            shown = u.show(n)
            app.dex_blobs.append((shown, data))
            if DEX_RE.match(n):
                app.primary.add(shown)
        for p in pay.payloads:
            p.entry = u.show(p.entry)
            app.payloads.payloads.append(p)
        app.payloads.native_libs += [u.show(n) for n in pay.native_libs]
        app.payloads.seconds += pay.seconds
        for n in u.arc.names:
            shown = u.show(n)
            app.names.append(shown)
            app._where[shown] = (u, n)
        manifests.append((u, _manifest(u, label, limits, app.problems)))
    # the base: the part whose manifest names no split (an .aab: the `base` module)
    base_i = next((i for i, (u, m) in enumerate(manifests) if m is not None and not m.split), 0)
    base_u, base_m = manifests[base_i]
    if base_m is None and not base_u.arc.has("AndroidManifest.xml"):
        app.problems.append(msg("{where}: no AndroidManifest.xml: permissions, components and entry points unknown",
                                where=label))
    app.amf = base_m
    if base_m is not None:
        for u, m in manifests:
            if m is None or m is base_m:
                continue
            base_m.components += m.components
            base_m.permissions += [p for p in m.permissions if p not in base_m.permissions]
            base_m.app_meta += m.app_meta
            base_m.declared_permissions += m.declared_permissions
        if base_m.split:
            app.problems.append(msg("{where}: this is split APK {split} of {package}: its base APK and other splits are "
                                    "missing, so the app's code was not all scanned; scan them together", where=label,
                                    split=repr(base_m.split), package=base_m.package))
        elif base_m.split_required and len(units) == 1:
            app.problems.append(msg("{where}: required splits missing: the APK declares isSplitRequired / "
                                    "requiredSplitTypes and was scanned without its split APKs; their code and manifests "
                                    "were not scanned (give the base APK and its splits, or the .apks / .xapk / .aab)",
                                    where=label))
    if not app.dex_blobs and not any("DEX" in p or ".dex" in p for p in app.problems):
        app.problems.append(msg("{where}: no classes.dex: no code to scan", where=label))
    return app, opened


def split_manifest(path: Path) -> tuple[str, str | None] | None:
    """(package, split name or None) of an APK file, or None when it is not readable as one."""
    try:
        with zipfile.ZipFile(path) as z:
            raw = z.read("AndroidManifest.xml")
        m = parse_manifest_xml(raw)
    except Exception:  # noqa: BLE001 - not an APK: scanned (and rejected) on its own
        return None
    return m.package, m.split


def group_splits(files: list[Path]) -> list[list[Path]]:
    """Base APKs with the split APKs of the same package given alongside them: one group per app."""
    info = {f: split_manifest(f) if f.suffix.lower() == ".apk" else None for f in files}
    bases = {i[0]: f for f, i in info.items() if i and i[1] is None}
    groups: dict[Path, list[Path]] = {}
    out: list[list[Path]] = []
    for f in files:
        i = info[f]
        if i and i[1] is not None and i[0] in bases:
            groups.setdefault(bases[i[0]], []).append(f)
    for f in files:
        i = info[f]
        if i and i[1] is not None and i[0] in bases:
            continue
        out.append([f] + groups.get(f, []))
    return out
