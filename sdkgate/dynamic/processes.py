"""Every process of the app under the agent from its first instruction: spawn gating + child gating.

One code path for the device and the simulated device. The app's processes are held suspended by
Frida until the agent is loaded and configured in them, then resumed:
- `spawn-added` (spawn gating, device: zygote starts `package` or `package:pushcore`),
- `child-added` (child gating on every gated session: the app forks/execs; the simulated main
  process forks/execs its secondary processes this way).
Processes of other packages are resumed untouched. A process of the package that ran without the
agent (it could not be instrumented, or it shows up in the process list with a pid the gate never
held) is reported through `on_escaped`, which the backends turn into an `incomplete` hook event
naming the process: sdkgate cannot see what it did, so the run cannot pass.

Frida delivers signals on its own thread, where synchronous Frida calls deadlock: the gate hands
each new process to one worker thread, in arrival order.
"""
from __future__ import annotations

import inspect
import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable

from ..i18n import failure, msg

# loader(session, name, pid) -> handle with close(); raises when the agent cannot be loaded
Loader = Callable[[Any, str, int], Any]
# on_escaped(name, pid, reason)
Escaped = Callable[[str, int, str], None]


def is_package_process(package: str, name: str | None) -> bool:
    """`package` itself or one of its named processes (`package:pushcore`)."""
    return bool(name) and (name == package or name.startswith(package + ":"))


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

    def as_dict(self) -> dict:
        return {"pid": self.pid, "name": self.name, "origin": self.origin, "instrumented": self.instrumented,
                **({"error": self.error} if self.error else {})}


class ProcessGate:
    def __init__(self, device, package: str, loader: Loader, *, on_escaped: Escaped | None = None,
                 on_session: Callable[[GatedProcess], None] | None = None):
        self.device = device
        self.package = package
        self.loader = loader
        self.on_escaped = on_escaped or (lambda name, pid, reason: None)
        self.on_session = on_session            # called with each instrumented process (after resume)
        self.procs: dict[int, GatedProcess] = {}
        self.others_resumed: list[tuple[int, str]] = []
        self.escaped: dict[int, str] = {}
        self.spawn_gating = False
        self._q: queue.Queue = queue.Queue()
        self._lock = threading.RLock()
        self._idle = threading.Event()
        self._idle.set()
        self._worker: threading.Thread | None = None
        self._closed = False
        self._child_cb, self._spawn_cb = self._on_child_added, self._on_spawn_added   # one object each (off())
        self._main_spawn: threading.Event | None = None   # the backend is spawning the main process itself
        self._claimed: set[int] = set()

    # ------------------------------------------------------------------ setup
    def start(self, spawn_gating: bool) -> None:
        """Listen for new processes; with spawn_gating (device) hold every new app process suspended."""
        on = getattr(self.device, "on", None)
        if on is not None:
            on("child-added", self._child_cb)
            if spawn_gating:
                on("spawn-added", self._spawn_cb)
        self._worker = threading.Thread(target=self._work, name="sdkgate-process-gate", daemon=True)
        self._worker.start()
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
        for sig, cb in (("child-added", self._child_cb), ("spawn-added", self._spawn_cb)):
            try:
                self.device.off(sig, cb)
            except Exception:  # noqa: BLE001
                pass
        self._q.put(None)

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
            self.device.resume(pid)
            if p.instrumented and self.on_session is not None:
                self.on_session(p)
        return p

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
        self._idle.clear()
        self._q.put(("spawn", int(spawn.pid), getattr(spawn, "identifier", None), None))

    def _on_child_added(self, child) -> None:
        self._idle.clear()
        argv = getattr(child, "argv", None) or []
        name = getattr(child, "identifier", None) or (argv[0] if argv else None)
        self._q.put((getattr(child, "origin", "fork") or "fork", int(child.pid), name,
                     getattr(child, "parent_pid", None)))

    def _work(self) -> None:
        while True:
            item = self._q.get()
            if item is None:
                return
            try:
                self._handle(*item)
            except Exception as exc:  # noqa: BLE001 - never leave a process suspended silently
                origin, pid, name, _ = item
                self._escape(pid, name or f"pid {pid}", msg("gate error: {error}", error=failure(exc)))
                try:
                    self.device.resume(pid)
                except Exception:  # noqa: BLE001
                    pass
            finally:
                if self._q.empty():
                    self._idle.set()

    def _handle(self, origin: str, pid: int, name: str | None, parent: int | None) -> None:
        if origin == "spawn":
            if name == self.package and self._main_spawn is not None:
                self._main_spawn.wait(10.0)
            if pid in self._claimed:
                return                  # the backend's own spawn: it loads the agent and resumes
            if is_package_process(self.package, name):
                self.attach_gated(pid, name, "spawn")
            else:
                self.others_resumed.append((pid, name or ""))
                self.device.resume(pid)
            return
        with self._lock:
            par = self.procs.get(parent) if parent is not None else None
            prev = self.procs.get(pid)
        if origin == "exec" and is_package_process(self.package, name):
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
        self.device.resume(pid)

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
            if not is_package_process(self.package, name):
                continue
            with self._lock:
                p = self.procs.get(pid)
                known = pid in self.escaped
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
