"""The simulated Android runtime, Python side: the real agent in real Frida, driven by simulated calls
(values on the wire: simwire.py; what the phone returns: simdevice.py; permission, marker and click
calls: simcalls.py).

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
from typing import Any, Callable

from ..apitable import SensitiveApi, by_id, split_descriptor
from ..canaries import generate
from ..errors import InputError
from ..events import Event
from .build import load_bundle
from .host import AgentHost, AgentOptions
from .simcalls import DEFAULT_ACTIVITY, AppCalls
from .simdevice import STATIC_APIS, STATIC_CLASSES, DeviceModel, _overload_levels
from .simui import UiCalls, Window
from .simwire import JavaThrow, SimObject, SimRuntimeError, decode, frida_type, obj, uri
from ..i18n import msg


def _default_clock() -> Callable[[], float]:
    t0 = time.monotonic()
    return lambda: (time.monotonic() - t0) * 1000.0


class SimRuntime(AppCalls, UiCalls):
    def __init__(self, manifest, canaries: dict | None = None, on_event: Callable[[Event], None] | None = None,
                 clock: Callable[[], float] | None = None, *, options: AgentOptions | None = None,
                 device: DeviceModel | None = None, app_classes: dict | None = None,
                 program: tuple[str, ...] = ("/bin/sleep", "86400"), package: str | None = None,
                 process: str | None = None, child_gating: bool = False, stdio: str | None = None,
                 death_event: bool = False, argv: list[str] | None = None, loaded_store=None,
                 env: dict[str, str] | None = None, native_libs: tuple[str, ...] = (), device_layer: bool = True,
                 api_level: int | None = None, classes: dict[str, dict] | None = None, accessibility: tuple[str, ...] = (),
                 consent_window: Window | None = None, loaded_classes: tuple[str, ...] = ()):
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
        # Build.VERSION.SDK_INT of the simulated phone (24..35): which overloads and bionic symbols exist (api_levels)
        self.api_level = api_level if api_level is not None else self.device.api
        self.device.api = self.api_level
        self.classes = dict(classes or {})       # app/SDK classes: {name: {super, interfaces, modifiers, loaded, methods}}
        self.accessibility = tuple(accessibility)   # accessibility services enabled on the phone
        self.consent_window = consent_window or Window("android.app.Dialog", DEFAULT_ACTIVITY)
        self._uptime = 4_200_000                 # SystemClock.uptimeMillis of input events (monotonic, per process)
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
        for name, spec in self.classes.items():
            ex.sim_define_class(name, spec)
        if self.loaded_classes:
            ex.sim_loaded_classes(list(self.loaded_classes))
        ex.sim_set_field("android.os.Build", "SERIAL", self.device.values["device_id.serial"])
        ex.sim_api_level(self.api_level, _overload_levels())       # also Build.VERSION.SDK_INT and RELEASE
        if self.accessibility:
            ex.sim_set_accessibility(list(self.accessibility))
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
                    raise SimRuntimeError(msg("the simulated process died: {error}", error=str(exc))) from None
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

    def call_jni(self, api_id: str, stack: list[str], *, lib: str | None, thread: str = "main",
                 args: list | None = None, this: dict | None = None, sync: bool = True) -> Any:
        """The SDK's native library `lib` calls the Java API through JNI (the call really comes from native
        code in this process: the agent sees the library in the native backtrace); `stack`: the Java frames
        below the API ([] on a native thread attached to the VM)."""
        from .simnative import DEFAULT_LIB  # noqa: PLC0415
        req = self.request(api_id, stack, thread=thread, args=args, this=this)
        self._require()
        with self._call_lock:
            self.host.note_clock()
            res = self.host.script.exports_sync.sim_jni(req, lib or DEFAULT_LIB)
            if sync:
                self.host.flush()
        if "threw" in res:
            raise JavaThrow(res["threw"])
        return decode(res.get("ret"))

    def call_many(self, api_id: str, stack: list[str], count: int, thread: str = "main") -> dict:
        """The same call `count` times inside the process (benchmarks); events flow as usual."""
        self._require()
        self.host.note_clock()
        req = self.request(api_id, stack, thread=thread)
        return self.host.script.exports_sync.sim_invoke_many(req, count)

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
                    raise SimRuntimeError(msg("the simulated process died: {error}", error=str(exc))) from None
                raise
            if sync:
                self.host.flush()
        return res

    def define_class(self, name: str, spec: dict) -> None:
        """A class of the app or an SDK becomes known to the runtime now (`loaded: false` until it loads):
        {super, interfaces, modifiers (0x200 interface, 0x400 abstract), loaded, methods: {member: [[types]]}}."""
        self._require()
        self.classes[name] = spec
        self.host.script.exports_sync.sim_define_class(name, spec)

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
