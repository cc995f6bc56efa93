"""Values on the wire between the simulated runtime (Python) and the stand-in bridge (JS): fake Java
objects, Uris, arrays and lists, decoded back into Python values (SimObject), and the Java exception
a simulated original throws (JavaThrow)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PRIMITIVES = {"Z": "boolean", "B": "byte", "C": "char", "S": "short", "I": "int", "J": "long", "F": "float",
              "D": "double", "V": "void"}


class JavaThrow(Exception):
    """The simulated original threw a Java exception (e.g. SecurityException without the permission)."""

    def __init__(self, java_class: str):
        self.java_class = java_class
        super().__init__(java_class)


class SimRuntimeError(Exception):
    """The simulated runtime is not usable (not started, process gone)."""


@dataclass
class SimObject:
    cls: str
    fields: dict = field(default_factory=dict)




def frida_type(t: str) -> str:
    if t.startswith("["):
        return t.replace("/", ".")
    if t.startswith("L"):
        return t[1:-1].replace("/", ".")
    return PRIMITIVES[t]


def runtime_types(desc: str) -> list[str]:
    """A smali descriptor's parameters as the runtime's overload() spells them."""
    from ..apitable import split_descriptor  # noqa: PLC0415
    return [frida_type(p) for p in split_descriptor(desc)[0]]


def obj(cls: str, fields: dict | None = None, returns: dict | None = None, extends: str | None = None) -> dict:
    """A fake Java object on the wire; `extends`: the superclass of an app class the stand-in does not know
    (so a cast to a framework class it extends succeeds, and only then, as on ART)."""
    d: dict = {"$obj": cls}
    if fields:
        d["fields"] = fields
    if returns:
        d["returns"] = returns
    if extends:
        d["super"] = extends
    return d


def uri(text: str) -> dict:
    return obj("android.net.Uri", returns={"toString": text})


def decode(v: Any) -> Any:
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        if "$array" in v:
            items = [decode(x) for x in v.get("items", [])]
            if v["$array"] in ("byte", "B"):
                return bytes(b & 0xFF for b in items)
            return items
        if "$list" in v:
            return [decode(x) for x in v["$list"]]
        if "$obj" in v:
            return SimObject(v["$obj"], {k: decode(x) for k, x in (v.get("fields") or {}).items()})
        if "$class" in v:
            return SimObject("java.lang.Class", {"name": v["$class"]})
    return v


def _mac_bytes(mac: str) -> list[int]:
    return [int(h, 16) - 256 if int(h, 16) > 127 else int(h, 16) for h in mac.split(":")]
