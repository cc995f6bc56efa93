"""Code-loading call sites: class loaders, DexFile, System/Runtime.load and loadLibrary.

Each site is recorded with its caller. Its payload is looked for in the APK: a string the call (or its
method, or its class) uses that names a shipped entry (an embedded DEX/jar/apk the scan read, a native
library in the APK, the APK itself via getPackageCodePath / sourceDir). A site whose payload is not found
there makes the scan incomplete at that call site: the code it runs was never scanned.
"""
from __future__ import annotations

from dataclasses import dataclass

from .callsites import arg_register
from .container import DEX_RE
from .invokes import Invoke, find_invokes, method_strings
from .opcodes import INVOKE
from .payloads import PayloadScan
from .program import Program
from ..i18n import msg

DEX_LOADERS = {
    ("Ldalvik/system/DexClassLoader;", "<init>"): "DexClassLoader",
    ("Ldalvik/system/PathClassLoader;", "<init>"): "PathClassLoader",
    ("Ldalvik/system/DelegateLastClassLoader;", "<init>"): "DelegateLastClassLoader",
    ("Ldalvik/system/BaseDexClassLoader;", "<init>"): "BaseDexClassLoader",
    ("Ldalvik/system/InMemoryDexClassLoader;", "<init>"): "InMemoryDexClassLoader",
    ("Ldalvik/system/DexFile;", "loadDex"): "DexFile.loadDex",
    ("Ldalvik/system/DexFile;", "<init>"): "DexFile",
}
NATIVE_LOADERS = {
    ("Ljava/lang/System;", "load"): "System.load",
    ("Ljava/lang/System;", "loadLibrary"): "System.loadLibrary",
    ("Ljava/lang/Runtime;", "load"): "Runtime.load",
    ("Ljava/lang/Runtime;", "loadLibrary"): "Runtime.loadLibrary",
}
# code of another installed package (issue 20): Context.createPackageContext(pkg, CONTEXT_INCLUDE_CODE)
PACKAGE_CONTEXT = {
    ("Landroid/content/Context;", "createPackageContext"): "createPackageContext",
    ("Landroid/content/ContextWrapper;", "createPackageContext"): "createPackageContext",
}
CONTEXT_INCLUDE_CODE = 0x1
# Google Play services modules: DynamiteModule / Chimera load code from the installed GMS package
_GMS_LOADERS = ("Lcom/google/android/gms/dynamite/", "Lcom/google/android/gms/chimera/")
GMS_PACKAGE = "com.google.android.gms"
# libraries every device has (NDK stable system libraries): System.loadLibrary of one runs no code of the app
SYSTEM_LIBS = frozenset({"android", "log", "z", "m", "dl", "c", "stdc++", "jnigraphics", "EGL", "GLESv1_CM", "GLESv2",
                         "GLESv3", "OpenSLES", "OpenMAXAL", "mediandk", "camera2ndk", "vulkan", "aaudio", "amidi",
                         "nativewindow", "binder_ndk", "neuralnetworks", "sync", "icu"})
# the app's own APK as the path: PathClassLoader(context.getPackageCodePath(), ...)
_SELF_PATH_CALLS = ("getPackageCodePath", "getPackageResourcePath")
_SELF_PATH_FIELDS = ("Landroid/content/pm/ApplicationInfo;->sourceDir", "Landroid/content/pm/ApplicationInfo;->publicSourceDir")
# loaders of the APK's own secondary DEX files (we scan those already)
_MULTIDEX = ("Landroidx/multidex/", "Landroid/support/multidex/")


@dataclass
class LoadSite:
    loader: str                 # DexClassLoader, System.loadLibrary, ...
    api: str                    # smali reference as invoked
    caller: str                 # smali method
    dex: str                    # the DEX (entry path) holding the caller
    argument: str | None        # the path / library name when the bytecode shows it
    payload: str | None         # the shipped entry it loads, when found
    native: bool
    problem: str = ""           # why the site makes the scan incomplete ("" when the payload was found)
    node: tuple[int, int] | None = None     # (dex index, method idx) of the caller
    note: str = ""              # why a site that runs no unseen code is not a reason (issue 20)
    other_package: str | None = None        # the installed package whose code it loads (createPackageContext)


def find_load_sites(program: Program, payloads: PayloadScan, entry_names: list[str], label: str,
                    problems: list[str], libs_complete: bool = False) -> list[LoadSite]:
    """`libs_complete`: every native library the app ships was read (no split missing, no unreadable lib/
    entry): then System.loadLibrary can only load one of them or the system's (issue 20)."""
    sites = find_invokes(program, set(DEX_LOADERS) | set(NATIVE_LOADERS) | set(PACKAGE_CONTEXT), problems)
    # payloads the scan read besides the classes*.dex Android loads itself (a path ending in classes.dex
    # names a downloaded or extracted file far more often than the APK's own)
    code_entries = [e for e in payloads.code_entries() if not DEX_RE.match(e.rsplit("!", 1)[-1])]
    code_names = {e.rsplit("/", 1)[-1]: e for e in code_entries}
    blobs = payloads.blobs()
    blob_names = {b.entry.rsplit("/", 1)[-1]: b.entry for b in blobs}
    lib_names = {n.rsplit("/", 1)[-1].rsplit("!", 1)[-1]: n for n in list(payloads.native_libs) +
                 [e for e in entry_names if e.endswith(".so")]}
    class_strings: dict[tuple[int, str], list[str]] = {}
    out = []
    for inv in sites:
        dex = program.dexes[inv.dex]
        caller = dex.method_sig(inv.method)
        key = (inv.target_cls, inv.target_name)
        if key in PACKAGE_CONTEXT:
            site = _package_context(inv, caller, dex.name)
            if site is not None:
                out.append(site)
            continue
        native = key in NATIVE_LOADERS
        loader = NATIVE_LOADERS.get(key) or DEX_LOADERS[key]
        api = f"{inv.target_cls}->{inv.target_name}{inv.target_proto}"
        arg = _argument(inv)
        site = LoadSite(loader, api, caller, dex.name, arg[1] if arg and arg[0] == "string" else None, None, native,
                        node=(inv.dex, inv.method))
        out.append(site)
        if caller.startswith(_MULTIDEX) and not native:
            site.payload = "(the APK's own secondary DEX files)"
            continue
        if not native and (caller.startswith(_GMS_LOADERS) or _calls(inv, PACKAGE_CONTEXT)):
            # another package's code (its getPackageCodePath is not this APK's): one reason per package
            site.other_package = _package_named(inv) or GMS_PACKAGE
            continue
        if arg and arg[0] == "call" and arg[1].rsplit("->", 1)[-1] in _SELF_PATH_CALLS or \
                arg and arg[0] == "field" and arg[1] in _SELF_PATH_FIELDS:
            site.payload = "(the APK itself)"
            continue
        cls = caller.split("->", 1)[0]
        strings = ([site.argument] if site.argument else []) + inv.strings_in_method()
        if (inv.dex, cls) not in class_strings:
            class_strings[(inv.dex, cls)] = _class_strings(program, cls)
        near = strings                                  # the call's own method: for blobs
        strings = strings + class_strings[(inv.dex, cls)]   # its class too: for payloads the scan read
        if native:
            site.payload = _native_payload(loader, site.argument, strings, lib_names)
            if site.payload is None and loader.endswith("loadLibrary") and \
                    ((site.argument is None and libs_complete) or site.argument in SYSTEM_LIBS):
                # the runtime loads a library by name only from the app's own folder or the system: every
                # library the app ships was read, so nothing unseen runs (issue 20)
                site.payload = "(a library the app ships or the system's)"
                site.note = (msg("{caller} loads a native library with {loader} (system library {library}): a library "
                                 "of the device, not the app's code", caller=caller, loader=loader,
                                 library=repr(site.argument)) if site.argument else
                             msg("{caller} loads a native library with {loader} (name not shown): only the app's own "
                                 "libraries ({n}, all read) or the system's can load", caller=caller, loader=loader,
                                 n=len(lib_names)))
                continue
            if site.payload is None:
                what = (msg("library {name}", name=repr(site.argument)) if site.argument else
                        msg("a library whose name the bytecode does not show"))
                site.problem = msg("{where}: {caller} loads native code with {loader} ({what}) that is not shipped in "
                                   "the APK: the code it runs was not scanned; use a device run", where=label,
                                   caller=caller, loader=loader, what=what)
            continue
        site.payload = _named(strings, code_names)
        if site.payload is None and loader in ("DexFile", "DexFile.loadDex") and _lists_only(inv):
            # ActiveAndroid & co. open a DEX (usually the app's own APK) to list its class names: no code runs
            site.payload = "(lists class names: no code is loaded)"
            site.note = msg("{caller} opens a DEX with {loader} only to list its classes (entries(), no loadClass)",
                            caller=caller, loader=loader)
            continue
        if site.payload is None:
            blob = _named(near, blob_names)
            if blob:
                site.problem = msg("{where}: {caller} loads code with {loader} from {blob}, an encrypted or unreadable "
                                   "blob: the code it runs was not scanned; use a device run", where=label, caller=caller,
                                   loader=loader, blob=blob)
                continue
            what = (msg("from {path}", path=repr(site.argument)) if site.argument else
                    msg("from bytes in memory") if loader == "InMemoryDexClassLoader" else
                    msg("from a path the bytecode does not show"))
            p = {"where": label, "caller": caller, "loader": loader, "what": what}
            site.problem = (msg("{where}: {caller} loads code with {loader} {what}: the payload is not found in the APK "
                                "(unreadable blobs in the APK: {blobs}); the code it runs was not scanned; use a device run",
                                blobs=", ".join(b.entry for b in blobs[:5]), **p) if blobs else
                            msg("{where}: {caller} loads code with {loader} {what}: the payload is not found in the APK; "
                                "the code it runs was not scanned; use a device run", **p))
    _other_packages(out, label)
    return out


def _package_context(inv: Invoke, caller: str, dex_name: str) -> LoadSite | None:
    """createPackageContext(pkg, flags): code of another package when the flags include CONTEXT_INCLUDE_CODE
    (or are not constant); resources only otherwise (not a load site)."""
    reg = arg_register(inv.units, inv.pos, inv.target_proto, 1)
    flags = inv.tracer.value(inv.k, reg) if reg is not None else None
    if flags and flags[0] == "int" and not int(flags[1]) & CONTEXT_INCLUDE_CODE:
        return None
    arg = _argument(inv)
    pkg = arg[1] if arg and arg[0] == "string" else None
    return LoadSite("createPackageContext", f"{inv.target_cls}->{inv.target_name}{inv.target_proto}", caller,
                    dex_name, pkg, None, False, node=(inv.dex, inv.method), other_package=pkg or "(a package the "
                    "bytecode does not show)")


def _other_packages(sites: list[LoadSite], label: str) -> None:
    """One reason per installed package whose code the app loads, with its call sites counted (issue 20)."""
    by_pkg: dict[str, list[LoadSite]] = {}
    for s in sites:
        if s.other_package:
            by_pkg.setdefault(s.other_package, []).append(s)
    for pkg, group in by_pkg.items():
        group[0].problem = msg("{where}: code from another installed package {package} runs in the app ({loaders} at {n} "
                               "call site(s), first {caller}): it is not in the APK and was not scanned; use a device run",
                               where=label, package=pkg, loaders=", ".join(sorted({s.loader for s in group})),
                               n=len(group), caller=group[0].caller)
        for s in group[1:]:
            s.note = msg("code of {package}: counted in one reason", package=pkg)


def _calls(inv: Invoke, wanted: dict) -> bool:
    """Does the method holding this invoke also invoke one of `wanted` ((class, name) pairs)?"""
    dex, units = inv.tracer.dex, inv.units
    for p in inv.starts:
        if units[p] & 0xFF in INVOKE:
            c, _p, n = dex.method_ref(units[p + 1])
            if (dex.type_name(c), dex.string(n)) in wanted:
                return True
    return False


def _lists_only(inv: Invoke) -> bool:
    """The method reads the DEX's class names (DexFile.entries) and never loads a class from it."""
    return _calls(inv, {("Ldalvik/system/DexFile;", "entries"): 1}) and \
        not _calls(inv, {("Ldalvik/system/DexFile;", "loadClass"): 1})


def _package_named(inv: Invoke) -> str | None:
    """A package name the method passes to createPackageContext, when it is a constant."""
    import re as _re
    names = [s for s in inv.strings_in_method() if _re.fullmatch(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+", s)]
    return GMS_PACKAGE if GMS_PACKAGE in names else (names[0] if names else None)


REFLECTED_LOADERS = tuple(f"dalvik.system.{c}" for c in (
    "DexClassLoader", "PathClassLoader", "InMemoryDexClassLoader", "BaseDexClassLoader", "DelegateLastClassLoader",
    "DexFile"))


def find_reflective_loaders(program: Program, label: str) -> list[LoadSite]:
    """Methods that name a class loader as a string (`Class.forName("dalvik.system.DexClassLoader")`):
    reflective code loading, whose payload the bytecode never shows."""
    import re as _re

    from .callsites import instruction_starts
    out = []
    for dex in program.dexes:
        ids = {}
        for name in REFLECTED_LOADERS:
            i = dex.find_string(name)
            if i is not None:
                ids[i] = name
        if not ids:
            continue
        small = [i for i in ids if i < 0x10000]
        alts = [b"\x1a[\x00-\xff]" + _re.escape(i.to_bytes(2, "little")) for i in small]
        alts += [b"\x1b[\x00-\xff]" + _re.escape(i.to_bytes(4, "little")) for i in ids]
        rx = _re.compile(b"|".join(alts))
        offsets = sorted({m.start() for m in rx.finditer(dex.data) if not m.start() & 1})
        for midx, positions in dex.owners(offsets).items():
            try:
                units = dex.code_units(midx)
                starts = set(instruction_starts(units))
            except Exception:  # noqa: BLE001
                continue
            caller = dex.method_sig(midx)
            if caller.startswith(_MULTIDEX):
                continue
            for pos in sorted(set(positions)):
                if pos not in starts:
                    continue
                op = units[pos] & 0xFF
                idx = units[pos + 1] if op == 0x1A else units[pos + 1] | (units[pos + 2] << 16)
                name = ids.get(idx)
                if name is None:
                    continue
                out.append(LoadSite(f"reflection on {name}", name, caller, dex.name, name, None, False,
                                    msg("{where}: {caller} names {name} as a string (reflective code loading): the code "
                                        "it loads was not scanned; use a device run", where=label, caller=caller, name=name)))
                break
    return out


def _argument(inv: Invoke):
    """What the path / name argument (the first parameter) holds, when the bytecode shows it."""
    if inv.target_name == "<init>" and inv.target_cls == "Ldalvik/system/InMemoryDexClassLoader;":
        return None
    reg = arg_register(inv.units, inv.pos, inv.target_proto, 0)
    if reg is None:
        return None
    try:
        return inv.tracer.value(inv.k, reg)
    except Exception:  # noqa: BLE001 - a trace is best effort
        return None


def _class_strings(program: Program, cls: str) -> list[str]:
    out: list[str] = []
    info = program.classes.get(cls)
    if info is None:
        return out
    dex = program.dexes[info.dex]
    from .callsites import instruction_starts
    for _np, (_di, midx) in program.methods_of(cls).items():
        try:
            units = dex.code_units(midx)
            if units is not None:
                out += method_strings(dex, units, instruction_starts(units))
        except Exception:  # noqa: BLE001
            continue
    return out


def _base(s: str) -> str:
    return s.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _named(strings: list[str], names: dict[str, str]) -> str | None:
    for s in strings:
        b = _base(s)
        if b in names:
            return names[b]
        if s in names.values():
            return s
    return None


def _native_payload(loader: str, arg: str | None, strings: list[str], libs: dict[str, str]) -> str | None:
    if loader.endswith("loadLibrary"):
        if arg is not None:
            return libs.get(f"lib{arg}.so")
        for s in strings:      # the name kept in a field or built nearby: a shipped library it names
            hit = libs.get(f"lib{s}.so")
            if hit:
                return hit
        return None
    if arg is not None:
        return libs.get(_base(arg))
    for s in strings:          # System.load(getApplicationInfo().nativeLibraryDir + "/libx.so")
        hit = libs.get(_base(s))
        if hit:
            return hit
    return None
