"""The simulated Android runtime, Python side: the real agent in real Frida, driven by simulated calls.

SimRuntime spawns a real local process (/bin/sleep) suspended, attaches Frida, loads the shipped
agent-sim.js (the unchanged agent compiled against hooks/sim-bridge, the stand-in for
frida-java-bridge), configures it exactly as on a device (AgentHost) and resumes. Each simulated
call goes into the stand-in, which runs the hook the agent installed with a fake `this`; the
"original" method returns what this device model says the phone would return. The real hook code
records the event, applies canaries and hands back the (possibly planted) value.

API (everything the simulator / scenario runner needs)::

    with SimRuntime(manifest, canaries, on_event, clock) as rt:        # start() on enter, stop() on exit
        v = rt.call("telephony.getDeviceId", stack)                    # -> "86..." (canary or device value)
        rt.call("settings.secure.getString", stack, args=[None, "android_id"])
        rt.request_permissions(["android.permission.CAMERA"], stack)   # perm.activity.requestPermissions
        rt.permission_result({"android.permission.CAMERA": True})
        rt.marker(manifest.consent.markers[0], True, stack)            # app writes its consent marker
        rt.flush()                                                     # (call(..., sync=True) flushes itself)
        rt.kill()                                                      # scenario kill: flushed, nothing lost
        rt.kill(expected=False) / rt.crash()                           # process dies: host reports incomplete
    stats = rt.stop()                                                  # {"events", "batches", "dropped", ...}

- `stack`: the caller's Java frames, most recent first, "class.method(File:line)"; the stand-in adds
  the API's own frame on top, like ART shows a hooked method.
- `on_event(Event)`: called (with rt.host.lock held) for every hook event, on Frida's thread while
  the caller waits in call()/flush(); with sync=True (default) a call's events have been delivered
  when call() returns.
- `clock()`: run-clock ms; may jump forward (virtual time): every call re-syncs the agent clock.
- Return values: str/int/float/bool/None, `bytes` for byte[], lists for arrays and java.util.List,
  SimObject(cls, fields) for other objects (ClipData: fields["items"][0].fields["text"]; Location:
  fields["latitude"/"longitude"]; PackageInfo: fields["packageName"]). A Java exception thrown by
  the original (`throws="java.lang.SecurityException"`) is raised as JavaThrow.
- Field entries (Build.SERIAL): real Frida cannot observe a static field read, so call() returns the
  field value (the canary when planted) and no read event is produced, exactly as on a device.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ..apitable import SensitiveApi, apis, by_id, split_descriptor
from ..canaries import generate
from ..errors import InputError
from ..events import Event
from .build import load_bundle
from .host import AgentHost, AgentOptions

PRIMITIVES = {"Z": "boolean", "B": "byte", "C": "char", "S": "short", "I": "int", "J": "long", "F": "float",
              "D": "double", "V": "void"}
# static methods among the table's entries (the device model needs to know what `this` is)
STATIC_APIS = frozenset({
    "settings.secure.getString", "settings.system.getString", "build.getSerial",
    "perm.activitycompat.requestPermissions", "perm.supportcompat.requestPermissions", "camera.open",
    "gms.adid.getAdvertisingIdInfo", "hms.adid.getAdvertisingIdInfo",
})
# classes whose table methods are all static (side-channel rows, issue 11)
STATIC_CLASSES = frozenset({"android.os.SystemProperties", "java.nio.file.Files", "android.provider.Settings$System",
                            "android.provider.Settings$Global", "android.provider.Settings$Secure"})
PREFS_EDITOR = "android.app.SharedPreferencesImpl$EditorImpl"
PERMISSION_DISPATCH = ("android.app.Activity", "dispatchRequestPermissionsResult", ["int", "android.content.Intent"])
DEFAULT_ACTIVITY = "com.example.recruit.MainActivity"


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


def obj(cls: str, fields: dict | None = None, returns: dict | None = None) -> dict:
    """A fake Java object on the wire."""
    d: dict = {"$obj": cls}
    if fields:
        d["fields"] = fields
    if returns:
        d["returns"] = returns
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


class DeviceModel:
    """What the simulated phone really returns (fresh, realistic values, never the run's canaries)."""

    def __init__(self, values: dict[str, str] | None = None, installed: tuple[str, ...] | None = None, api: int = 35):
        self.values = values or generate()
        self.installed = installed or ("com.tencent.mm", "com.eg.android.AlipayGphone", "com.ss.android.ugc.aweme")
        self.api = api                  # Android API level: which overloads and bionic symbols exist (api_levels)

    def ret(self, api: SensitiveApi, ret_desc: str) -> Any:
        v, cat = self.values, api.category or ""
        if ret_desc == "V":
            return None
        if ret_desc == "Z":
            return True
        if ret_desc == "I":
            return 0x6401A8C0 if cat == "network.ip" else 0
        if ret_desc == "Ljava/lang/String;":
            if cat in v:
                return v[cat]
            if cat == "network.carrier":
                return "46000"
            if api.member == "getSSID":
                return '"recruit-office"'
            if api.member == "getBSSID":
                return "3c:46:d8:12:34:56"
            return "sim-value"
        if ret_desc == "Ljava/lang/CharSequence;":
            return v.get("clipboard", "")
        if ret_desc == "[B":
            return {"$array": "byte", "items": _mac_bytes(v["device_id.mac"])}
        if ret_desc == "Landroid/content/ClipData;":
            item = obj("android.content.ClipData$Item", {"text": v["clipboard"]})
            return obj("android.content.ClipData", {"label": "text", "items": [item]})
        if ret_desc == "Landroid/location/Location;":
            lat, lon = (float(x) for x in v["location"].split(","))
            return obj("android.location.Location", {"provider": "gps", "latitude": lat, "longitude": lon})
        if ret_desc == "Ljava/util/List;":
            if cat == "installed_apps" and api.member == "getInstalledApplications":
                return {"$list": [obj("android.content.pm.ApplicationInfo", {"packageName": p}) for p in self.installed]}
            if cat == "installed_apps":
                return {"$list": [obj("android.content.pm.PackageInfo", {"packageName": p}) for p in self.installed]}
            return {"$list": []}
        if ret_desc.startswith("["):
            return []
        return obj(frida_type(ret_desc))

    def args(self, api: SensitiveApi, params: list[str], package: str) -> list:
        out: list = []
        for i, p in enumerate(params):
            f = api.arg_filter if api.arg_filter.get("index") == i else {}
            if f.get("equals"):
                out.append(f["equals"][0])
            elif f.get("uri_prefix"):
                out.append(uri(f["uri_prefix"][0] + "/1"))
            elif f.get("other_package") and f.get("intent"):
                out.append(obj("android.content.Intent", returns={"getPackage": self.installed[0]}))
            elif f.get("other_package"):
                out.append(self.installed[0])
            elif p == "Ljava/lang/String;":
                out.append("gps" if api.category == "location" else "0")
            elif p in ("I", "J", "S", "B"):
                out.append(0)
            elif p in ("F", "D"):
                out.append(0.0)
            elif p == "Z":
                out.append(False)
            elif p.startswith("["):
                out.append([])
            elif p == "Landroid/net/Uri;":
                out.append(uri("content://settings/system"))
            else:
                out.append(obj(frida_type(p)))
        return out


def _overload_levels() -> dict[str, int]:
    """"cls|member|frida types" -> first API level, for the overloads the table says are not on every level."""
    out: dict[str, int] = {}
    for a in apis():
        if a.kind not in ("method", "permission_request"):
            continue
        for d in a.descriptors:
            if a.api_level(d) > 1:
                member = "$init" if a.member == "<init>" else a.member
                out[f"{a.hook_cls}|{member}|{','.join(frida_type(t) for t in split_descriptor(d)[0])}"] = a.api_level(d)
    return out


def _default_clock() -> Callable[[], float]:
    t0 = time.monotonic()
    return lambda: (time.monotonic() - t0) * 1000.0


class SimRuntime:
    def __init__(self, manifest, canaries: dict | None = None, on_event: Callable[[Event], None] | None = None,
                 clock: Callable[[], float] | None = None, *, options: AgentOptions | None = None,
                 device: DeviceModel | None = None, app_classes: dict | None = None,
                 program: tuple[str, ...] = ("/bin/sleep", "86400"), package: str | None = None,
                 process: str | None = None, child_gating: bool = False, stdio: str | None = None,
                 death_event: bool = False, argv: list[str] | None = None, loaded_store=None,
                 env: dict[str, str] | None = None, native_libs: tuple[str, ...] = (), device_layer: bool = True,
                 loaded_classes: tuple[str, ...] = ()):
        self.manifest = manifest
        self.canaries = canaries
        self.on_event = on_event or (lambda ev: None)
        self.clock = clock or _default_clock()
        self.options = options or AgentOptions()
        self.device = device or DeviceModel()
        self.app_classes = dict(app_classes or {})
        self.program = list(program)
        self.package = package
        self.process = process              # process name stamped on every event (with the pid)
        self.child_gating = child_gating    # catch the processes it forks/execs (processes.ProcessGate)
        self.stdio = stdio
        self.death_event = death_event
        self.argv = argv                    # argv (argv[0] = the process name) for program[0]
        self.loaded_store = loaded_store    # where code loaded at run time is kept (dynamic/loaded.py)
        self.env = env              # extra environment of the process (the simulator's resolver: nss_wrapper)
        self.host: AgentHost | None = None
        self.pid: int | None = None
        self.bundle = load_bundle("sim")
        self._dev = None
        self._session = None
        self._stats: dict | None = None
        self._call_lock = threading.Lock()
        self.native_libs = tuple(native_libs)      # SDK native library names the app loads (simnative.py)
        self._sandbox: str | None = None
        self.device_layer = device_layer         # False (benchmarks): no sandbox redirection of file access
        self.loaded_classes = tuple(loaded_classes)   # classes of code loaded at run time: not in the app's loader

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> dict:
        """Spawn the process suspended, load + configure the agent (hooks in place), then resume."""
        import frida

        self._dev = frida.get_local_device()
        kw = {"stdio": self.stdio} if self.stdio else {}
        if self.argv:
            kw["argv"] = list(self.argv)
        if self.env:
            import os
            kw["env"] = {**os.environ, **self.env}
        self.pid = self._dev.spawn(self.program[0] if self.argv else self.program, **kw)
        try:
            self._session = self._dev.attach(self.pid)
            if self.child_gating:
                self._session.enable_child_gating()
            report = self.load_into(self._dev, self.pid, self._session)
            self._dev.resume(self.pid)
        except BaseException:
            self._kill_quietly()
            raise
        return report

    def load_into(self, dev, pid: int, session) -> dict:
        """Load + configure the agent in a process held suspended (spawned here, or caught by the
        process gate's spawn/child gating); the caller resumes it."""
        self._dev, self.pid, self._session = dev, pid, session
        self.host = AgentHost(self._session, self.bundle, manifest=self.manifest, canaries=self.canaries,
                              on_event=self.on_event, clock=self.clock, options=self.options,
                              package=self.package, process=self.process, pid=pid if self.process else None,
                              death_event=self.death_event, loaded_store=self.loaded_store)
        self.host.load()
        ex = self.host.script.exports_sync
        ex.sim_define(self._app_class_defs())
        if self.loaded_classes:
            ex.sim_loaded_classes(list(self.loaded_classes))
        ex.sim_set_field("android.os.Build", "SERIAL", self.device.values["device_id.serial"])
        ex.sim_api_level(self.device.api, _overload_levels())
        self._native_setup(ex)
        return self.host.configure()

    def _native_setup(self, ex) -> None:
        """The device's sandbox and native libraries, in place before the agent hooks (issue 11)."""
        if self.child_gating:
            # the multi-process launcher (simprocesses.py) only forks/execs its secondary processes: the
            # device layer's JS replacements of libc file calls would run in its forked children too
            return
        import tempfile  # noqa: PLC0415
        from . import simnative  # noqa: PLC0415
        try:
            libs = simnative.build_libs()
        except simnative.NativeBuildError:
            if self.native_libs:
                raise            # the model plays native reads: it cannot run without them
            return               # no native side: the agent reports the property API as missing
        self._sandbox = tempfile.mkdtemp(prefix="sdkgate-device-")
        from pathlib import Path  # noqa: PLC0415
        setup = simnative.prepare_sandbox(Path(self._sandbox), self.device.values, self.device.installed, libs,
                                          self.native_libs)
        setup["redirect"] = self.device_layer
        ex.sim_native_setup(setup)

    def native(self, op: str, *, lib: str | None = None, call: str | None = None, arg: str | None = None,
               stack: list[str] | None = None, thread: str = "main", count: int = 0, sync: bool = True) -> dict:
        """A real native call from the SDK library `lib` inside the process (ops: file, property, ioctl,
        getifaddrs, netlink, exec, bench_open, bench_connect). `stack`: the Java frames when called through JNI on a
        Java thread; None for a native thread. Returns {ret, out}."""
        from .simnative import DEFAULT_LIB  # noqa: PLC0415
        self._require()
        with self._call_lock:
            self.host.note_clock()
            r = self.host.script.exports_sync.sim_native({"op": op, "lib": lib or DEFAULT_LIB, "call": call, "arg": arg,
                                                          "stack": stack, "thread": thread, "count": count})
        if sync:
            self.flush()
        return r

    def _app_class_defs(self) -> dict:
        defs: dict = {}
        for m in (self.manifest.consent.markers if self.manifest is not None else ()):
            if m.method:
                cls, _, meth = m.method.rpartition(".")
                defs.setdefault(cls, {}).setdefault(meth, [["boolean"]])
        for cls, members in self.app_classes.items():
            defs.setdefault(cls, {}).update(members)
        return defs

    def stop(self) -> dict:
        """Flush, unload, end the process; returns intake stats (events, batches, dropped, incomplete...)."""
        if self._stats is not None:
            return self._stats
        if self.host is None:
            return {}
        alive = not self.host.detached.is_set()
        if alive and self._sandbox is not None:
            try:
                self.host.script.exports_sync.sim_native_teardown()
            except Exception:  # noqa: BLE001 - the process is going away anyway
                pass
        stats = self.host.close().as_dict()
        if alive:
            try:
                self._session.detach()
            except Exception:
                pass
        self._kill_quietly()
        if self._sandbox is not None:
            import shutil  # noqa: PLC0415
            shutil.rmtree(self._sandbox, ignore_errors=True)
        self._stats = stats
        return stats

    def _kill_quietly(self) -> None:
        if self._dev is not None and self.pid is not None:
            try:
                self._dev.kill(self.pid)
            except Exception:
                pass

    def kill(self, expected: bool = True, timeout: float = 5.0) -> None:
        """End the app process.

        expected=True (a scenario `kill`/`relaunch`, like `am force-stop`): the agent is flushed first
        and the session closed, so nothing is lost and no `incomplete` is reported.
        expected=False (killed from outside without warning, SIGKILL mid-run): events still queued in
        the agent are lost and the host reports `incomplete`, keeping what it had collected."""
        self._require()
        if expected and self.alive():
            self.stop()
            return
        self._dev.kill(self.pid)
        self.host.wait_detached(timeout)

    def crash(self, reason: str = "", timeout: float = 5.0) -> None:
        """The process dies abruptly mid-run (the stand-in calls _exit(134), the status of an abort);
        `reason` is for the caller's log only."""
        self._require()
        try:
            self.host.script.exports_sync.sim_crash()
        except Exception:
            pass
        self.host.wait_detached(timeout)

    def alive(self) -> bool:
        """Is the simulated process still running (not killed, crashed, or stopped)?"""
        return self.host is not None and not self.host.detached.is_set() and self._stats is None

    def exit_detail(self) -> str:
        if self.host is not None and self.host.stats.detached:
            return f"process exited ({self.host.stats.detached})"
        return "process stopped" if self._stats is not None else "process running"

    def close(self) -> dict:
        """Same as stop()."""
        return self.stop()

    def __enter__(self) -> "SimRuntime":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _require(self) -> None:
        if self.host is None:
            raise SimRuntimeError("SimRuntime not started")

    # ------------------------------------------------------------------ calls
    def flush(self) -> dict:
        self._require()
        return self.host.flush()

    def _invoke(self, req: dict, sync: bool) -> Any:
        self._require()
        if not self.alive():
            raise SimRuntimeError("the simulated process is not running")
        with self._call_lock:
            self.host.note_clock()
            try:
                res = self.host.script.exports_sync.sim_invoke(req)
            except Exception as exc:
                if self.host.wait_detached(2.0):
                    raise SimRuntimeError(f"the simulated process died: {exc}") from None
                raise
            if sync:
                self.host.flush()
        if "threw" in res:
            raise JavaThrow(res["threw"])
        return decode(res.get("ret"))

    def request(self, api_id: str, stack: list[str], *, thread: str = "main", args: list | None = None,
                ret: Any = ..., throws: str | None = None, overload: int | str = 0, this: dict | None = None) -> dict:
        """The wire request for one simulated call of a table entry (see hooks/sim-bridge/index.js)."""
        api = by_id().get(api_id)
        if api is None:
            raise InputError(None, f"api {api_id!r}", "not in the sensitive-API table")
        desc = api.descriptors[overload] if isinstance(overload, int) else overload
        if desc not in api.descriptors:
            raise InputError(None, f"api {api_id!r}", f"no overload {desc!r}")
        params, ret_desc = split_descriptor(desc)
        pkg = self.manifest.package if self.manifest is not None else ""
        # virtual dispatch, as on ART: a call through an abstract class or interface lands in the
        # concrete class's method (hook_class), the only place a hook can see it
        member = "$init" if api.member == "<init>" else api.member
        return {
            "cls": api.hook_cls, "member": member, "types": [frida_type(p) for p in params],
            "self": this if this is not None else (None if api_id in STATIC_APIS or api.cls in STATIC_CLASSES
                                                   else obj(api.hook_cls)),
            "args": self._coerce_args(api, params, args, pkg),
            "ret": self.device.ret(api, ret_desc) if ret is ... else ret,
            "throws": throws, "stack": list(stack), "thread": thread,
        }

    def _coerce_args(self, api: SensitiveApi, params: list[str], args: list | None, pkg: str) -> list:
        """Given args (possibly fewer than the parameters) completed with the device model's defaults;
        a plain string for a Uri parameter becomes a Uri, for another object type a fake object."""
        out = self.device.args(api, params, pkg)
        for i, v in enumerate(list(args or [])[:len(params)]):
            p = params[i]
            if isinstance(v, str) and p == "Landroid/net/Uri;":
                v = uri(v)
            elif isinstance(v, str) and p.startswith("L") and p not in (
                    "Ljava/lang/String;", "Ljava/lang/CharSequence;", "Ljava/lang/Object;"):
                v = obj(frida_type(p))
            out[i] = v
        return out

    def call(self, api_id: str, stack: list[str], thread: str = "main", args: list | None = None, *,
             ret: Any = ..., throws: str | None = None, overload: int | str = 0, this: dict | None = None,
             sync: bool = True) -> Any:
        """The app (code at `stack`) calls a sensitive API; returns what the app gets back."""
        api = by_id().get(api_id)
        if api is None:
            raise InputError(None, f"api {api_id!r}", "not in the sensitive-API table")
        if api.kind == "field":
            self._require()
            return decode(self.host.script.exports_sync.sim_field(api.cls, api.member))
        if api.kind == "permission_request":
            raise InputError(None, f"api {api_id!r}", "use request_permissions() for permission requests")
        req = self.request(api_id, stack, thread=thread, args=args, ret=ret, throws=throws, overload=overload,
                           this=this)
        return self._invoke(req, sync)

    def call_many(self, api_id: str, stack: list[str], count: int, thread: str = "main") -> dict:
        """The same call `count` times inside the process (benchmarks); events flow as usual."""
        self._require()
        self.host.note_clock()
        req = self.request(api_id, stack, thread=thread)
        return self.host.script.exports_sync.sim_invoke_many(req, count)

    def request_permissions(self, permissions: list[str], stack: list[str], *,
                            api_id: str = "perm.activity.requestPermissions", request_code: int = 1,
                            thread: str = "main", sync: bool = True) -> None:
        api = by_id().get(api_id)
        if api is None or api.kind != "permission_request":
            raise InputError(None, f"api {api_id!r}", "not a permission_request entry of the table")
        params, _ = split_descriptor(api.descriptors[0])
        args: list = []
        for p in params:
            if p == "[Ljava/lang/String;":
                args.append(list(permissions))
            elif p == "I":
                args.append(request_code)
            elif p == "Ljava/lang/Object;":
                args.append(list(permissions) if len(permissions) != 1 else permissions[0])
            else:
                args.append(obj(DEFAULT_ACTIVITY if p == "Landroid/app/Activity;" else frida_type(p)))
        this = None if api_id in STATIC_APIS else obj(
            DEFAULT_ACTIVITY if api.cls == "android.app.Activity" else api.cls)
        req = {"cls": api.cls, "member": api.member, "types": [frida_type(p) for p in params], "self": this,
               "args": args, "ret": None, "stack": list(stack), "thread": thread}
        self._invoke(req, sync)

    def permission_result(self, results: dict[str, bool | str], *, request_code: int = 1,
                          stack: list[str] | None = None, sync: bool = True) -> None:
        """The user answered: the system delivers names + grant results to the activity."""
        names = list(results)
        grants = [0 if v is True or v == "granted" else -1 for v in results.values()]
        intent = obj("android.content.Intent", returns={
            "getStringArrayExtra": names, "getIntArrayExtra": {"$array": "int", "items": grants}})
        cls, member, types = PERMISSION_DISPATCH
        stack = stack or ["android.app.Activity.dispatchActivityResult(Activity.java:8382)",
                          "android.app.ActivityThread.deliverResults(ActivityThread.java:5384)",
                          "android.os.Looper.loop(Looper.java:288)",
                          "android.app.ActivityThread.main(ActivityThread.java:7872)"]
        req = {"cls": cls, "member": member, "types": types, "self": obj(DEFAULT_ACTIVITY),
               "args": [request_code, intent], "ret": None, "stack": stack, "thread": "main"}
        self._invoke(req, sync)

    def marker(self, marker, value: Any, stack: list[str] | None = None, *, thread: str = "main",
               sync: bool = True) -> None:
        """The app records a consent decision through a manifest marker (method call or prefs write).

        `value`: for method markers the boolean argument; for prefs markers the value written
        (None = the key is removed)."""
        stack = stack or []
        if marker.method:
            cls, _, meth = marker.method.rpartition(".")
            types = self._app_class_defs().get(cls, {}).get(meth, [["boolean"]])[0]
            args = [value if t == "boolean" else obj(t) for t in types]
            req = {"cls": cls, "member": meth, "types": types, "self": obj(cls), "args": args, "ret": None,
                   "stack": stack, "thread": thread}
        else:
            file = (marker.prefs_file or "prefs") + ".xml"
            prefs = obj("android.app.SharedPreferencesImpl", {"mFile": obj("java.io.File", returns={"getName": file})})
            editor = obj(PREFS_EDITOR, {"this$0": prefs})
            if value is None:
                member, types, args = "remove", ["java.lang.String"], [marker.prefs_key]
            elif isinstance(value, bool):
                member, types, args = "putBoolean", ["java.lang.String", "boolean"], [marker.prefs_key, value]
            elif isinstance(value, int):
                member, types, args = "putInt", ["java.lang.String", "int"], [marker.prefs_key, value]
            else:
                member, types, args = "putString", ["java.lang.String", "java.lang.String"], [marker.prefs_key, str(value)]
            req = {"cls": PREFS_EDITOR, "member": member, "types": types, "self": editor, "args": args,
                   "ret": editor, "stack": stack, "thread": thread}
        self._invoke(req, sync)

    def click(self, transition: str, stack: list[str], *, thread: str = "main", sync: bool = True) -> None:
        """A click on the manifest's consent control for `transition` (granted|declined|withdrawn):
        View.performClick on a button with that control's resource id and text. `stack` says who
        clicked: the input system (a user's tap) or app code (a programmatic click)."""
        if self.manifest is None:
            raise InputError(None, "click", "a consent control click needs a manifest")
        c = self.manifest.consent
        rid, texts = {"granted": (c.accept_id, c.accept_text), "declined": (c.decline_id, c.decline_text),
                      "withdrawn": (None, c.withdraw_text)}[transition]
        entry = rid.rsplit("/", 1)[-1] if rid else None
        view = obj("android.widget.Button", returns={
            "getId": 0x7f0a0042 if entry else -1, "getText": texts[0] if texts else "",
            "getResources": obj("android.content.res.Resources", returns={"getResourceEntryName": entry})})
        req = {"cls": "android.view.View", "member": "performClick", "types": [], "self": view, "args": [],
               "ret": True, "stack": stack, "thread": thread}
        self._invoke(req, sync)

    def marker_method(self, method: str, value: Any = True, stack: list[str] | None = None, *,
                      thread: str = "main", sync: bool = True) -> None:
        """The app calls its consent method marker `pkg.Class.method(value)`."""
        from ..manifest import Marker
        self.marker(Marker(scope="policy", method=method), value, stack, thread=thread, sync=sync)

    def marker_prefs(self, file: str | None, key: str, value: Any, stack: list[str] | None = None, *,
                     thread: str = "main", sync: bool = True) -> None:
        """The app writes SharedPreferences `file`/`key` = value (None removes the key)."""
        from ..manifest import Marker
        self.marker(Marker(scope="policy", prefs_file=file, prefs_key=key), value, stack, thread=thread, sync=sync)

    def net(self, ops: list[dict], stack: list[str], *, thread: str = "main", sync: bool = True) -> list[dict]:
        """Real libc socket calls inside the process (hooks/sim-bridge/netcrypto.js `simNet`):
        the agent's socket hooks see them. Returns one {value, errno} per op run."""
        return self._rpc("sim_net", {"ops": ops, "stack": list(stack), "thread": thread}, sync)

    def java_run(self, ops: list[dict], stack: list[str], *, thread: str = "main", sync: bool = True) -> list:
        """A sequence of Java calls (Cipher, MessageDigest, Base64 ...) through the hooked method table;
        the originals compute with the process's libcrypto. Returns the decoded results."""
        return [decode(x) for x in self._rpc("sim_run", {"ops": ops, "stack": list(stack), "thread": thread}, sync)]

    def _rpc(self, name: str, req: dict, sync: bool):
        self._require()
        if not self.alive():
            raise SimRuntimeError("the simulated process is not running")
        with self._call_lock:
            self.host.note_clock()
            try:
                res = getattr(self.host.script.exports_sync, name)(req)
            except Exception as exc:
                if self.host.wait_detached(2.0):
                    raise SimRuntimeError(f"the simulated process died: {exc}") from None
                raise
            if sync:
                self.host.flush()
        return res

    def hooks(self) -> list[str]:
        """Keys of the hooks the agent installed in the stand-in ("cls|member|types")."""
        self._require()
        return self.host.script.exports_sync.sim_hooks()


def prepare(ctx=None) -> dict:
    """Check the shipped sim agent is there and describe it for run.json (frida version, bundle sha256)."""
    import frida

    from .build import bundle_sha256, recorded_sources, shipped_bundle_path
    load_bundle("sim")
    return {"frida": frida.__version__, "agent_bundle": shipped_bundle_path("sim").name,
            "agent_sha256": bundle_sha256("sim"),
            "agent_sources_sha256": recorded_sources().get("inputs_sha256")}


def spawn(ctx, package: str | None = None, **kw) -> SimRuntime:
    """A started SimRuntime for a scenario run context (sdkgate.scenario.backend.RunContext):
    ctx.manifest, ctx.canaries (canary mode when non-empty), ctx.emit (hook events), ctx.clock.now_ms.
    `ctx.options["agent"]` may hold AgentOptions fields (batch_max, flush_ms, queue_max, stack_limit)."""
    opts = (getattr(ctx, "options", None) or {}).get("agent") or {}
    rt = SimRuntime(ctx.manifest, ctx.canaries or None, ctx.emit, ctx.clock.now_ms,
                    options=AgentOptions(**opts) if isinstance(opts, dict) else opts, package=package, **kw)
    rt.start()
    return rt


def new_canaries() -> dict[str, str]:
    """Fresh canary values for a run (sdkgate.canaries.generate)."""
    return generate()


__all__ = ["SimRuntime", "SimObject", "JavaThrow", "SimRuntimeError", "DeviceModel", "obj", "uri", "new_canaries",
           "prepare", "spawn"]
