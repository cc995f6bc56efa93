"""Code loaded at run time (DexClassLoader & co., hooks/src/loaders.ts): kept, scanned, attributed.

The agent sends the loaded bytes ({type: "code"} message + data) and a `code_loaded` event with the
loader's stack. The host (AgentHost) hands both here:
- `LoadedStore` keeps the bytes as `loaded/<sha256>.dex|.jar|.apk` in the evidence folder (listed in
  bundle.json like every file), within bounds: 64 MB per file, 256 MB per run; beyond that the file
  is not kept and the run is `incomplete`, naming it;
- `scan_loaded` runs the static engine (DEX reader, inventory, call sites) over the bytes; its
  `sdk_present` / `call_site` events join the run's evidence with `origin: runtime_loaded` and
  `loaded_by` (the loader's actor), classes the catalogue does not know being the loader's;
- the classes the file defines are registered with the host's Attributor, so frames of those
  classes are attributed to the loader's actor unless the catalogue knows their package.
"""
from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import UNKNOWN, default_catalogue
from ..events import Event
from ..i18n import at, exc_text, inside, msg

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_RUN_BYTES = 256 * 1024 * 1024
ORIGIN = "runtime_loaded"


def kind_of(data: bytes) -> str:
    """File extension for the loaded bytes: dex, apk (a zip with a manifest), jar (other zips), bin."""
    if data[:4] == b"dex\n":
        return "dex"
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "apk" if "AndroidManifest.xml" in z.namelist() else "jar"
        except zipfile.BadZipFile:
            return "bin"
    return "bin"


def dex_blobs(data: bytes, label: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The DEX files inside loaded bytes (a bare DEX, or the classes*.dex of a JAR/APK), bounded by
    the static engine's container reader; problems name the file."""
    if data[:4] == b"dex\n":
        return [("classes.dex", data)], []
    if data[:2] == b"PK":
        from ..static.container import Archive, Budget, Limits, load_dex_blobs  # noqa: PLC0415
        try:
            arc = Archive.open(data, label, Budget(Limits()))
        except Exception as exc:  # noqa: BLE001 - InputError and friends: named, not fatal
            return [], [msg("{where}: loaded archive unreadable: {problem}", where=label,
                            problem=getattr(exc, "problem", None) or exc_text(exc))]
        try:
            blobs, problems = load_dex_blobs(arc)
            return blobs, list(arc.problems) + problems
        finally:
            arc.close()
    return [], [msg("{where}: loaded code is neither a DEX nor a JAR/APK: not scanned", where=label)]


@dataclass
class LoadedStore:
    """The `loaded/` folder of one run (shared by every process of the run)."""
    out_dir: Path | None
    max_file: int = MAX_FILE_BYTES
    max_run: int = MAX_RUN_BYTES
    used: int = 0
    kept: dict[str, str] = field(default_factory=dict)     # sha256 -> relative path
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep(self, data: bytes, label: str) -> tuple[str, str | None, str | None]:
        """(sha256, relative path or None, problem or None)."""
        sha = hashlib.sha256(data).hexdigest()
        with self.lock:
            if sha in self.kept:
                return sha, self.kept[sha], None
            if len(data) > self.max_file:
                return sha, None, msg("code loaded at run time not kept: {file} is {n} bytes, over the {mb} MB per-file "
                                      "bound", file=label, n=len(data), mb=self.max_file // (1024 * 1024))
            if self.used + len(data) > self.max_run:
                return sha, None, msg("code loaded at run time not kept: {file} ({n} bytes) would pass the {mb} MB per-run "
                                      "bound", file=label, n=len(data), mb=self.max_run // (1024 * 1024))
            if self.out_dir is None:
                return sha, None, None
            rel = f"loaded/{sha}.{kind_of(data)}"
            path = self.out_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.used += len(data)
            self.kept[sha] = rel
            return sha, rel, None


def store_for(ctx) -> LoadedStore:
    """The run's store (one per RunContext, created on first use)."""
    store = getattr(ctx, "_sdkgate_loaded_store", None)
    if store is None:
        store = LoadedStore(getattr(ctx, "out_dir", None))
        try:
            setattr(ctx, "_sdkgate_loaded_store", store)
        except AttributeError:
            pass
    return store


@dataclass
class LoadedScan:
    classes: list[str]                      # dotted names the file defines
    events: list[Event]                     # static events (seq/t_ms set by the caller)
    problems: list[str]


def scan_loaded(data: bytes, label: str, manifest, loader_actor: str, sha256: str) -> LoadedScan:
    """The static engine over loaded bytes: inventory and call sites, attributed like the APK's,
    except that classes the catalogue does not know belong to the loader's actor."""
    from ..static.callsites import TargetIndex, find_sites  # noqa: PLC0415
    from ..static.dex import Dex, DexError  # noqa: PLC0415
    from ..static.inventory import take_inventory  # noqa: PLC0415
    from ..static.program import Program  # noqa: PLC0415

    blobs, problems = dex_blobs(data, label)
    dexes = []
    for name, raw in blobs:
        try:
            dexes.append(Dex(raw, name))
        except DexError as exc:
            problems.append(inside(label, at(name, exc_text(exc))))
    program = Program(dexes)
    problems += [inside(label, p) for p in program.problems]
    catalogue = manifest.catalogue() if manifest is not None else default_catalogue()
    app_packages = manifest.app_packages if manifest is not None else ()
    package = manifest.package if manifest is not None else ""
    base = {"origin": ORIGIN, "loaded_by": loader_actor, "loaded_sha256": sha256}
    events: list[Event] = []

    def ev(kind: str, actor: str | None = None, category: str | None = None, api: str | None = None, **fields):
        events.append(Event(seq=0, t_ms=0.0, source="static", kind=kind, actor=actor, category=category, api=api,
                            extra={**fields, **base}))

    def owner(cls: str) -> str:
        who = catalogue.attribute_class(cls, app_packages)
        return loader_actor if who == UNKNOWN else who

    inv = take_inventory(program.classes.keys(), catalogue, app_packages)
    for sid, pres in sorted(inv.sdks.items()):
        ev("sdk_present", actor=sid, packages=sorted(pres.packages), class_count=pres.class_count)
    unknown_classes = sum(p.class_count for p in inv.unknown.values())
    if unknown_classes:
        ev("sdk_present", actor=loader_actor, packages=sorted({p for g in inv.unknown.values() for p in g.packages}),
           class_count=unknown_classes)
    sites = find_sites(program, TargetIndex.build(), package)
    problems += [inside(label, p) for p in sites.problems]
    grouped: dict[tuple, dict] = {}
    for s in sites.sites:
        dex = program.dexes[s.dex]
        caller = dex.method_sig(s.method)
        g = grouped.setdefault((s.api.id, caller, s.via), {"site": s, "count": 0, "dex": dex.name})
        g["count"] += 1
    for (api_id, caller, via), g in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2] or "")):
        s = g["site"]
        cls = caller.split("->", 1)[0][1:-1].replace("/", ".")
        fields = {"api_id": api_id, "caller": caller, "dex": f"{label}!{g['dex']}", "count": g["count"]}
        if via:
            fields["invoked_as"] = via
        if s.api.permission:
            fields["permission"] = s.api.permission
        ev("call_site", actor=owner(cls), category=s.api.category, api=s.api.smali(s.descriptor), **fields)
    classes = [d.replace("/", ".")[1:-1] for d in program.classes.keys()]
    return LoadedScan(classes, events, problems)


def on_code_message(host, payload: dict, data: bytes | None) -> None:
    """The bytes of one load arrive before its `code_loaded` event (same message order)."""
    host.loaded_blobs[int(payload.get("id", 0))] = {"data": bytes(data or b""), "path": payload.get("path"),
                                                   "size": payload.get("size")}


def finish_code_loaded(host, ev: Event) -> list[Event]:
    """Complete a `code_loaded` event (sha256, kept file) and add what the bytes show: the static
    scan's events and, where the bytes could not be kept or read, an `incomplete` naming the file."""
    blob = host.loaded_blobs.pop(int(ev.extra.pop("blob", 0) or 0), None)
    label = ev.get("path") or f"in-memory DEX #{ev.get('index', 0)} ({ev.get('loader')})"
    actor = ev.actor or UNKNOWN
    out: list[Event] = []
    problems: list[str] = []
    if ev.get("too_large"):
        problems.append(msg("code loaded at run time not kept: {file} is {n} bytes, over the {mb} MB per-file bound",
                            file=label, n=str(ev.get('size')), mb=MAX_FILE_BYTES // (1024 * 1024)))
    elif ev.get("read_error"):
        problems.append(msg("code loaded at run time could not be read: {file}: {error}", file=label,
                            error=str(ev.get('read_error'))))
    elif blob is None:
        problems.append(msg("code loaded at run time: the bytes of {file} never reached the host", file=label))
    else:
        data = blob["data"]
        sha, rel, problem = host.loaded_store.keep(data, label)
        ev.extra.update(sha256=sha, size=len(data))
        if rel:
            ev.extra["file"] = rel
        if problem:
            problems.append(problem)
        else:
            scan = scan_loaded(data, label, host.manifest, actor, sha)
            host.attributor.add_loaded(scan.classes, actor)
            ev.extra["classes"] = len(scan.classes)
            for s in scan.events:
                s.t_ms = ev.t_ms
                out.append(s)
            problems += scan.problems
    for p in problems:
        out.append(Event(seq=0, t_ms=ev.t_ms, source="hook", kind="incomplete", extra={"reason": p}))
    return out
