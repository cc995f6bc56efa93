"""App-model sections about the phone and the app's code (issue 22):

    device:
      api_level: 26                # Build.VERSION.SDK_INT of the simulated phone, 24..35 (default 33)
      accessibility: ["com.google.android.marvin.talkback/.TalkBackService"]   # services the user enabled
    app:
      ui: [compose]                # UI toolkits the app ships besides Android views: compose, flutter,
                                   # react_native, webview (the app loads a page at launch)
    classes:                       # app/SDK classes implementing the table's interface rows
      com.bun.miitmdid.supplier.xiaomi.XiaomiIdSupplier:
        implements: [com.bun.miitmdid.interfaces.IdSupplier]
        loaded: at_start           # at_start (default) | later: a `load_class: NAME` action loads it
      com.google.android.gms.location.FusedLocationProviderClient: {interface: true}   # loaded, no implementation

A read of an interface row dispatches to the implementing class (`impl: NAME`, default the first one listed)
exactly as ART does: hooks on the interface never run, hooks on the implementation do.
"""
from __future__ import annotations

import re

from ...apitable import apis
from ..simwire import runtime_types
from ..toolkits import UI_NAMES
from .types import DeviceSpec

ACC_PUBLIC, ACC_INTERFACE, ACC_ABSTRACT = 0x1, 0x200, 0x400
_CLASS = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$")
_SERVICE = re.compile(r"^[A-Za-z_][\w.]*/[\w.$]+$")


def interface_rows() -> dict[str, list]:
    """Interface/abstract class of the table -> its rows (method rows with `abstract: true`)."""
    out: dict[str, list] = {}
    for a in apis():
        if a.abstract and a.kind == "method":
            out.setdefault(a.cls, []).append(a)
    return out


def _methods(rows) -> dict[str, list[list[str]]]:
    m: dict[str, list[list[str]]] = {}
    for a in rows:
        for d in a.descriptors:
            types = runtime_types(d)
            if types not in m.setdefault(a.member, []):
                m[a.member].append(types)
    return m


def parse_device(data, err) -> DeviceSpec:
    raw = data.get("device")
    if raw is None:
        return DeviceSpec()
    if not isinstance(raw, dict):
        err(data, "device", "'device' is a mapping {api_level, accessibility}")
    for k in raw:
        if k not in ("api_level", "accessibility"):
            err(raw, k, f"unknown device field {k!r} (api_level, accessibility)")
    level = raw.get("api_level", 33)
    if not isinstance(level, int) or isinstance(level, bool) or not 24 <= level <= 35:
        err(raw, "api_level", "api_level is an Android API level 24..35")
    services = raw.get("accessibility") or []
    if not isinstance(services, list) or not all(isinstance(s, str) and _SERVICE.match(s) for s in services):
        err(raw, "accessibility", "accessibility lists services as 'package/.ServiceClass'")
    return DeviceSpec(level, tuple(services))


def parse_ui(app, err) -> tuple[str, ...]:
    ui = app.get("ui") or []
    if isinstance(ui, str):
        ui = [ui]
    if not isinstance(ui, list) or not all(u in UI_NAMES for u in ui):
        err(app, "ui", f"ui lists UI toolkits the app ships: {', '.join(UI_NAMES)}")
    return tuple(ui)


def parse_classes(data, err) -> dict[str, dict]:
    """The `classes:` section as the runtime defines them (sim-bridge classes.js spec)."""
    raw = data.get("classes")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        err(data, "classes", "'classes' is a mapping of class name -> {implements, extends, loaded, interface}")
    ifaces = interface_rows()
    out: dict[str, dict] = {}
    for name, row in raw.items():
        if not isinstance(name, str) or not _CLASS.match(name):
            err(raw, name, f"{name!r} is not a Java class name")
        row = row if row is not None else {}
        if not isinstance(row, dict):
            err(raw, name, "a class is a mapping {implements, extends, loaded, interface}")
        for k in row:
            if k not in ("implements", "extends", "loaded", "interface"):
                err(row, k, f"unknown class field {k!r} (implements, extends, loaded, interface)")
        loaded = row.get("loaded", "at_start")
        if loaded not in ("at_start", "later"):
            err(row, "loaded", "loaded is at_start or later (a load_class action loads it)")
        if row.get("interface") is True:
            if name not in ifaces:
                err(raw, name, f"{name} is not an interface of the sensitive-API table")
            out[name] = {"super": "java.lang.Object", "interfaces": [], "modifiers": ACC_PUBLIC | ACC_INTERFACE | ACC_ABSTRACT,
                         "loaded": loaded == "at_start", "methods": _methods(ifaces[name])}
            continue
        impl = row.get("implements") or []
        if isinstance(impl, str):
            impl = [impl]
        if not isinstance(impl, list) or not impl:
            err(row if "implements" in row else raw, "implements" if "implements" in row else name,
                "a class needs 'implements: [INTERFACE]' (an interface or abstract class of the sensitive-API table)")
        for i in impl:
            if i not in ifaces:
                err(row, "implements", f"{i} is not an interface or abstract class of the sensitive-API table "
                                       f"(known: {', '.join(sorted(ifaces))})")
            # the interface loads with its first implementation
            spec = out.setdefault(i, {"super": "java.lang.Object", "interfaces": [], "loaded": False,
                                      "modifiers": ACC_PUBLIC | ACC_INTERFACE | ACC_ABSTRACT,
                                      "methods": _methods(ifaces[i])})
            spec["loaded"] = spec["loaded"] or loaded == "at_start"
        ext = row.get("extends", "java.lang.Object")
        if not isinstance(ext, str) or not _CLASS.match(ext):
            err(row, "extends", "extends names a class")
        out[name] = {"super": ext, "interfaces": list(impl), "modifiers": ACC_PUBLIC, "loaded": loaded == "at_start",
                     "methods": _methods([a for i in impl for a in ifaces[i]])}
    return out


def implementation_of(classes: dict[str, dict], iface: str) -> str | None:
    """The first class of the model implementing `iface`."""
    return next((n for n, s in classes.items() if iface in s.get("interfaces", ())), None)
