"""Every process of the app under the agent from its first instruction: spawn gating + child gating.

One code path for the device and the simulated device. The app's processes are held suspended by
Frida until the agent is loaded and configured in them, then resumed:
- `spawn-added` (spawn gating, device: zygote starts `package`, `package:pushcore`, or a process with a
  global `android:process` name the APK's manifest declares),
- `child-added` (child gating on every gated session: the app forks/execs; the simulated main
  process forks/execs its secondary processes this way).
Processes of other packages are resumed untouched. A process of the package that ran without the
agent (it could not be instrumented, or it shows up in the process list with a pid the gate never
held) is reported through `on_escaped`, which the backends turn into an `incomplete` hook event
naming the process: sdkgate cannot see what it did, so the run cannot pass.

Held processes have a deadline (SUPPORTED_FRIDA): since Frida 17.16 a gated spawn left unresumed for
about 8 s makes frida-server turn spawn gating off for the whole device and resume everything pending
(signal `spawn-gating-disabled`, reason `watchdog-timeout`), and Android kills an app process that has not
attached to the system within about 10 s. So each new process is handled on its own worker (a slow agent
load in one never holds another) and resumed as soon as its agent is configured; the time each was held is
recorded (`held_ms`). When Frida turns gating off, `on_gating_disabled` makes the run incomplete naming the
processes that were still held, and gating is switched on again for the rest of the run. A resume that
fails because Frida already resumed the process is not an escape: its agent is in place.

Frida delivers signals on its own thread, where synchronous Frida calls deadlock: the gate hands
each new process to a worker thread.
"""
from __future__ import annotations

import inspect
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..i18n import failure, msg

# The Frida versions whose gating behaviour this module relies on (pyproject pins the same range; `doctor`
# checks the installed bindings and the device's frida-server against it).
SUPPORTED_FRIDA = (">=17.16", "<18")
WATCHDOG_S = 8.0            # frida-server >= 17.16: unresumed gated spawn -> gating off, everything resumed
ANDROID_START_S = 10.0      # ActivityManager: a process that has not attached within this is killed
WORKERS = 4                 # processes configured at once (each worker is mostly waiting on the device)

# loader(session, name, pid) -> handle with close(); raises when the agent cannot be loaded
Loader = Callable[[Any, str, int], Any]
# on_escaped(name, pid, reason)
Escaped = Callable[[str, int, str], None]


def is_package_process(package: str, name: str | None, declared: Iterable[str] = ()) -> bool:
    """`package` itself, one of its named processes (`package:pushcore`), or a global process name the
    APK's manifest declares (`android:process="com.tencent.push"`: same app, same uid, no `pkg:` prefix)."""
    return bool(name) and (name == package or name.startswith(package + ":") or name in declared)


def full_process_name(package: str, name: str) -> str:
    """`:pushcore` -> `com.example.recruit:pushcore` (a full name stays as it is)."""
    if not name or name == package:
        return package
    return package + name if name.startswith(":") else name


def call_loader(loader: Callable, session, ctx, package: str, name: str, pid: int):
    """The device backend's AgentLoader(session, ctx, package); loaders that take `process`/`pid`
    keyword arguments get them (the real one stamps every event of that process with them)."""
    try:
        params = inspect.signature(loader).parameters
    except (TypeError, ValueError):
        params = {}
    if "process" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return loader(session, ctx, package, process=name, pid=pid)
    return loader(session, ctx, package)


@dataclass
class GatedProcess:
    pid: int
    name: str
    origin: str                 # main | spawn | fork | exec
    instrumented: bool
    session: Any = None
    handle: Any = None
    error: str | None = None
    held_ms: float | None = None        # from Frida's notice to our resume (injected clock)
    resumed_by_frida: bool = False      # Frida resumed it first (gating turned off): our resume found it running

    def as_dict(self) -> dict:
        out = {"pid": self.pid, "name": self.name, "origin": self.origin, "instrumented": self.instrumented}
        if self.held_ms is not None:
            out["held_ms"] = round(self.held_ms, 1)
        if self.resumed_by_frida:
            out["resumed_by_frida"] = True
        if self.error:
            out["error"] = self.error
        return out


class ProcessGate:
    def __init__(self, device, package: str, loader: Loader, *, on_escaped: Escaped | None = None,
                 on_session: Callable[[GatedProcess], None] | None = None, declared: Iterable[str] = (),
                 on_gating_disabled: Callable[[str], None] | None = None, clock: Callable[[], float] | None = None):
        self.device = device
        self.package = package
        self.loader = loader
        self.declared = frozenset(declared)     # global process names of the APK's manifest
        self.on_escaped = on_escaped or (lambda name, pid, reason: None)
        self.on_session = on_session            # called with each instrumented process (after resume)
        self.on_gating_disabled = on_gating_disabled or (lambda reason: None)
        self.clock = clock or time.monotonic    # seconds; tests inject one (no real-time tolerances)
        self.procs: dict[int, GatedProcess] = {}
        self.others_resumed: list[tuple[int, str]] = []
        self.escaped: dict[int, str] = {}
        self.gating_disabled: list[str] = []    # reasons Frida gave, in order
        self.spawn_gating = False
        self._lock = threading.RLock()
        self._held: dict[int, tuple[str, float]] = {}     # pid -> (name, noticed at): not resumed yet
        self._resuming: dict[int, tuple[str, float]] = {}
        self._inflight = 0
        self._idle = threading.Event()
        self._idle.set()
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="sdkgate-process-gate")
        self._closed = False
        self._child_cb, self._spawn_cb = self._on_child_added, self._on_spawn_added   # one object each (off())
        self._off_cb = self._on_gating_disabled
        self._main_spawn: threading.Event | None = None   # the backend is spawning the main process itself
        self._claimed: set[int] = set()

    def is_ours(self, name: str | None) -> bool:
        return is_package_process(self.package, name, self.declared)

    # ------------------------------------------------------------------ setup
    def start(self, spawn_gating: bool) -> None:
        """Listen for new processes; with spawn_gating (device) hold every new app process suspended."""
        on = getattr(self.device, "on", None)
        if on is not None:
            on("child-added", self._child_cb)
            on("spawn-gating-disabled", self._off_cb)
            if spawn_gating:
                on("spawn-added", self._spawn_cb)
        if spawn_gating and hasattr(self.device, "enable_spawn_gating"):
            self.device.enable_spawn_gating()
            self.spawn_gating = True
            for sp in list(getattr(self.device, "enumerate_pending_spawn", lambda: [])()):
                self._on_spawn_added(sp)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.spawn_gating:
            try:
                self.device.disable_spawn_gating()
            except Exception:  # noqa: BLE001 - device gone: nothing stays gated
                pass
        for sig, cb in (("child-added", self._child_cb), ("spawn-added", self._spawn_cb),
                        ("spawn-gating-disabled", self._off_cb)):
            try:
                self.device.off(sig, cb)
            except Exception:  # noqa: BLE001
                pass
        self._pool.shutdown(wait=False)

    # ------------------------------------------------------------------ gating
    def attach_gated(self, pid: int, name: str, origin: str, *, resume: bool = True) -> GatedProcess:
        """Attach, keep catching its children, load the agent, then (optionally) resume."""
        p = GatedProcess(pid, name, origin, instrumented=False)
        with self._lock:
            self.procs[pid] = p
        try:
            p.session = self.device.attach(pid)
            enable = getattr(p.session, "enable_child_gating", None)
            if enable is not None:
                enable()
            p.handle = self.loader(p.session, name, pid)
            p.instrumented = True
        except Exception as exc:  # noqa: BLE001 - the process will run: it runs unobserved
            p.error = failure(exc)
            self._escape(pid, name, msg("could not be instrumented ({error})", error=p.error))
        if resume:
            self.resume(pid, p)
            if p.instrumented and self.on_session is not None:
                self.on_session(p)
        return p

    def resume(self, pid: int, p: GatedProcess | None = None) -> None:
        """Resume a held process as soon as its agent is ready. A process Frida already resumed (gating was
        turned off meanwhile, or it was never pending) is running with the agent: noted, not an escape."""
        with self._lock:        # still named while resuming (a watchdog firing meanwhile); an exec may reuse the pid
            held = self._held.pop(pid, None)
            if held is not None:
                self._resuming[pid] = held
        try:
            self.device.resume(pid)
        except Exception as exc:  # noqa: BLE001 - frida.InvalidArgumentError ("not found" / not pending) ...
            if p is not None:
                p.resumed_by_frida = True
                p.error = p.error or f"resume: {type(exc).__name__}: {exc}"
        finally:
            with self._lock:
                self._resuming.pop(pid, None)
        if p is not None and held is not None:
            p.held_ms = (self.clock() - held[1]) * 1000.0

    def begin_main_spawn(self) -> None:
        """The backend is about to spawn() the main process itself: a `spawn-added` for it (frida may
        announce it) must not get a second agent."""
        self._main_spawn = threading.Event()

    def claim(self, pid: int | None) -> None:
        """The pid the backend's own spawn() returned (None: the spawn failed)."""
        if pid is not None:
            self._claimed.add(pid)
        if self._main_spawn is not None:
            self._main_spawn.set()

    def register(self, pid: int, name: str, handle=None, session=None) -> GatedProcess:
        """The main process, spawned and instrumented by the backend itself (frida spawn())."""
        p = GatedProcess(pid, name, "main", instrumented=True, session=session, handle=handle)
        with self._lock:
            self.procs[pid] = p
        return p

    def _on_spawn_added(self, spawn) -> None:
        self._submit(("spawn", int(spawn.pid), getattr(spawn, "identifier", None), None))

    def _on_child_added(self, child) -> None:
        argv = getattr(child, "argv", None) or []
        name = getattr(child, "identifier", None) or (argv[0] if argv else None)
        self._submit((getattr(child, "origin", "fork") or "fork", int(child.pid), name,
                      getattr(child, "parent_pid", None)))

    def _on_gating_disabled(self, *args) -> None:
        """Frida turned spawn gating off (its watchdog, or someone else's request) and resumed every pending
        process: those still held by us ran their first instructions without the agent."""
        reason = (getattr(args[0], "value_nick", None) or str(args[0])) if args else msg("unknown")
        with self._lock:
            held = [f"{name} (pid {pid})" for pid, (name, _) in sorted({**self._held, **self._resuming}.items())
                    if self.is_ours(name)]
            self.gating_disabled.append(reason)
        held_text = (msg("{processes} started before its agent was ready", processes=", ".join(held)) if held
                     else msg("no process of the app was held"))
        text = msg("Frida turned spawn gating off ({reason}; frida-server does so when a gated process stays suspended "
                   "for about {seconds} s) and resumed every held process: {held}; processes started while gating was "
                   "off ran unobserved", reason=reason, seconds=format(WATCHDOG_S, ".0f"), held=held_text)
        self.on_gating_disabled(text)
        if self.spawn_gating and not self._closed:
            threading.Thread(target=self._regate, name="sdkgate-regate", daemon=True).start()

    def _regate(self) -> None:
        try:
            self.device.enable_spawn_gating()
        except Exception:  # noqa: BLE001 - the device is gone: the backend reports that
            pass

    def _submit(self, item: tuple) -> None:
        origin, pid, name, _ = item
        with self._lock:
            self._held[pid] = (name or f"pid {pid}", self.clock())
            self._inflight += 1
            self._idle.clear()
        if self._closed:
            self._done(item, None)
            return
        self._pool.submit(self._work, item)

    def _work(self, item: tuple) -> None:
        err = None
        try:
            self._handle(*item)
        except Exception as exc:  # noqa: BLE001 - never leave a process suspended silently
            err = exc
        self._done(item, err)

    def _done(self, item: tuple, err: BaseException | None) -> None:
        origin, pid, name, _ = item
        try:
            if err is not None or self._closed:
                if err is not None:
                    self._escape(pid, name or f"pid {pid}", msg("gate error: {error}", error=failure(err)))
                self.resume(pid)
        finally:
            with self._lock:            # `_held` is cleared by resume() (an exec may reuse the pid meanwhile)
                self._inflight -= 1
                if self._inflight == 0:
                    self._idle.set()

    def _handle(self, origin: str, pid: int, name: str | None, parent: int | None) -> None:
        if origin == "spawn":
            if name == self.package and self._main_spawn is not None:
                self._main_spawn.wait(10.0)
            if pid in self._claimed:
                with self._lock:
                    self._held.pop(pid, None)
                return                  # the backend's own spawn: it loads the agent and resumes
            if self.is_ours(name):
                self.attach_gated(pid, name, "spawn")
            else:
                self.others_resumed.append((pid, name or ""))
                self.resume(pid)
            return
        with self._lock:
            par = self.procs.get(parent) if parent is not None else None
            prev = self.procs.get(pid)
        if origin == "exec" and self.is_ours(name):
            # a process of the package exec'd into being (the app's own launcher, or our simulation)
            self.attach_gated(pid, name, "exec")
            return
        # a fork of a package process (ART cannot run Java after fork: only exec matters) or a
        # native helper it exec'd: keep catching its children, resume it, record it
        owner = (par or prev).name if (par or prev) else (name or f"pid {pid}")
        gp = GatedProcess(pid, owner if origin == "fork" else f"{owner} (exec {name or '?'})", origin, False)
        try:
            gp.session = self.device.attach(pid)
            enable = getattr(gp.session, "enable_child_gating", None)
            if enable is not None:
                enable()
        except Exception as exc:  # noqa: BLE001
            gp.error = str(exc)
        if origin == "fork":                 # remembered so its exec is named after its owner
            with self._lock:
                self.procs.setdefault(pid, gp)
        self.resume(pid)

    def settle(self, timeout: float = 5.0) -> bool:
        """Wait until every process the gate heard of has been handled (True) or timeout."""
        return self._idle.wait(timeout)

    # ------------------------------------------------------------------ escapes
    def poll(self) -> list[tuple[int, str]]:
        """Compare the device's process list with the gated processes: a process of the package with
        a pid the gate never instrumented ran without the agent. Returns the new escapes."""
        self.settle(2.0)
        try:
            listing = self.device.enumerate_processes()
        except Exception:  # noqa: BLE001 - device gone: the backend reports that itself
            return []
        new = []
        for proc in listing:
            name, pid = getattr(proc, "name", None), int(getattr(proc, "pid", -1))
            if not self.is_ours(name):
                continue
            with self._lock:
                p = self.procs.get(pid)
                known = pid in self.escaped or pid in self._held
            if (p is not None and p.instrumented) or known:
                continue
            if p is not None and p.origin in ("fork",):
                continue        # a fork still on its way to exec: caught by child gating
            new.append((pid, name))
            self._escape(pid, name, msg("is in the device's process list but was never instrumented "
                                        "(started outside spawn/child gating)"))
        return new

    def _escape(self, pid: int, name: str, why: str) -> None:
        with self._lock:
            if pid in self.escaped:
                return
            self.escaped[pid] = name
        self.on_escaped(name, pid, msg("process {process} (pid {pid}) ran without the agent: {why}; what it did is not "
                                       "observed", process=name, pid=pid, why=why))

    def info(self) -> list[dict]:
        with self._lock:
            out = [p.as_dict() for p in self.procs.values()]
        out += [{"pid": pid, "name": n, "origin": "spawn", "instrumented": False, "other_package": True}
                for pid, n in self.others_resumed]
        return out
