"""App-model verbs for side-channel reads (issue 11) and how the simulated device performs them.

Native verbs are real libc calls inside the instrumented process (SimRuntime.native: the SDK's native
library calls open/ioctl/__system_property_get ... on the device's sandbox). The Java-level verbs call
the table's Java APIs through the stand-in bridge, exactly as a hooked method on ART would be reached.
"""
from __future__ import annotations

from typing import Callable

from .simwire import obj

SIDE_VERBS = ("native", "property", "exec", "file_read", "provider", "bind_service", "probe_packages")
FILE_CALLS = ("open", "openat", "fopen", "access", "stat", "readlink", "__open_2", "__openat_2", "faccessat", "lstat",
              "fstatat")
PROP_CALLS = ("__system_property_get", "__system_property_find", "__system_property_read_callback")
OTHER_CALLS = ("ioctl", "getifaddrs", "netlink")
PROVIDER_METHODS = {"query": "resolver.query.provider", "call": "resolver.call.provider",
                    "acquire": "resolver.acquireClient.provider"}


def parse_side_verb(verb: str, val, fail: Callable[[str], None]) -> dict:
    """Check one side-channel verb's value; returns what the simulator needs (fail() raises)."""
    if verb == "native":
        if not isinstance(val, dict) or val.get("call") not in FILE_CALLS + PROP_CALLS + OTHER_CALLS:
            fail(f"native needs 'call' (one of {', '.join(FILE_CALLS + PROP_CALLS + OTHER_CALLS)})")
        call = val["call"]
        for k in val:
            if k not in ("call", "path", "name", "interface", "lib", "java_thread"):
                fail(f"unknown native field {k!r}")
        if call in FILE_CALLS and not isinstance(val.get("path"), str):
            fail(f"native {call} needs 'path'")
        if call in PROP_CALLS and not isinstance(val.get("name"), str):
            fail(f"native {call} needs 'name' (a property name)")
        lib = val.get("lib")
        if lib is not None and (not isinstance(lib, str) or "/" in lib or not lib.endswith(".so")):
            fail("native 'lib' is a library file name such as libjcore.so")
        return {"call": call, "arg": val.get("path") or val.get("name") or val.get("interface") or "wlan0",
                "lib": lib, "java_thread": bool(val.get("java_thread", True))}
    if verb in ("property", "exec", "file_read"):
        if not isinstance(val, str) or not val:
            fail(f"{verb} takes a string")
        return {"arg": val}
    if verb == "provider":
        if not isinstance(val, dict) or not isinstance(val.get("authority"), str):
            fail("provider needs 'authority'")
        method = val.get("method", "query")
        if method not in PROVIDER_METHODS:
            fail(f"provider method must be one of {', '.join(PROVIDER_METHODS)}")
        path = str(val.get("path") or "").lstrip("/")
        return {"uri": f"content://{val['authority']}" + (f"/{path}" if path else ""), "method": method}
    if verb == "bind_service":
        if not isinstance(val, dict) or not (val.get("action") or val.get("package")):
            fail("bind_service needs 'action' and/or 'package'")
        return {"action": val.get("action"), "package": val.get("package")}
    if verb == "probe_packages":
        if not isinstance(val, list) or not val or not all(isinstance(p, str) for p in val):
            fail("probe_packages takes a list of package names")
        return {"packages": list(val)}
    fail(f"unknown verb {verb}")
    return {}


def perform(rt, verb: str, side: dict, stack: list[str], thread: str, sdk_lib: str | None):
    """Play one side-channel verb on the running SimRuntime; returns the value the app got (text) or None."""
    if verb == "native":
        call, arg = side["call"], side["arg"]
        lib = side["lib"] or sdk_lib
        jstack = stack if side["java_thread"] else None
        th = thread if side["java_thread"] else "native"
        if call in FILE_CALLS:
            r = rt.native("file", lib=lib, call=call, arg=arg, stack=jstack, thread=th)
        elif call in PROP_CALLS:
            r = rt.native("property", lib=lib, call=call, arg=arg, stack=jstack, thread=th)
        else:
            r = rt.native(call, lib=lib, arg=arg, stack=jstack, thread=th)
        out = (r or {}).get("out")
        return out.strip() if isinstance(out, str) and out.strip() else None
    if verb == "property":
        return rt.call("sysprop.get", stack, thread=thread, args=[side["arg"]], ret=_prop(rt, side["arg"]))
    if verb == "exec":
        return rt.call("exec.Runtime.exec", stack, thread=thread, args=[side["arg"]], ret=obj("java.lang.Process"))
    if verb == "file_read":
        return rt.call("file.FileInputStream.init", stack, thread=thread, args=[side["arg"]], ret=None,
                       this=obj("java.io.FileInputStream"))
    if verb == "provider":
        return rt.call(PROVIDER_METHODS[side["method"]], stack, thread=thread, args=[side["uri"]])
    if verb == "bind_service":
        intent = obj("android.content.Intent", returns={"getAction": side["action"], "getPackage": side["package"]})
        return rt.call("context.bindService.oaid", stack, thread=thread, args=[intent], ret=True,
                       this=obj("android.app.ContextImpl"))
    if verb == "probe_packages":
        for p in side["packages"]:
            rt.call("pm.getPackageInfo", stack, thread=thread, args=[p, 0])
        return None
    return None


def _prop(rt, name: str) -> str:
    """The device's property value (the same store the native property API serves)."""
    v = rt.device.values
    return {"ro.serialno": v["device_id.serial"], "ro.boot.serialno": v["device_id.serial"],
            "persist.radio.imei": v.get("device_id.imei", "")}.get(name, "")
