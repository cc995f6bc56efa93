"""The simulated app's secondary processes, each a real local process under real Frida.

The simulated main process is a small launcher (LAUNCHER) that forks and execs one `/bin/sleep`
per secondary process with argv[0] = the process name (`com.example.recruit:pushcore`), as zygote
names an Android process. The main session has child gating on, so the fork and the exec are held
by Frida and reach the same ProcessGate the device backend uses (processes.py): the agent is loaded
into `package:*` processes before they resume. A process the model marks `instrumented: false` is
started by the simulation outside any gated session; the gate's process-list check finds it and the
run becomes incomplete, naming it. Processes with a global name (`com.example.remote`, no `pkg:` prefix) are
gated like `pkg:` ones. The device's gating deadline (frida-server's watchdog) applies on the simulated
device's own clock (watchdog.py): an agent too slow to configure there makes the run incomplete, naming it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

from ..events import Event
from ..i18n import msg
from .processes import GatedProcess, ProcessGate
from .watchdog import DeviceTime, GatingWatchdog, configure_cost_s

if TYPE_CHECKING:  # pragma: no cover
    from .simruntime import SimRuntime

LAUNCHER_CODE = (
    "import os,sys\n"
    "for line in sys.stdin:\n"
    "    n = line.strip()\n"
    "    if n and os.fork() == 0:\n"
    "        os.execv('/bin/sleep', [n, '86400'])\n"
)
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def launcher(package: str) -> tuple[str, list[str]]:
    """(program, argv) of the simulated main process: argv[0] is the package, as on Android."""
    return PYTHON, [package, "-I", "-S", "-c", LAUNCHER_CODE]
START_TIMEOUT_S = 15.0


class SimProcesses:
    """Secondary processes of one run of the simulated app (one main process at a time)."""

    def __init__(self, sim, main: "SimRuntime"):
        self.sim = sim                        # the SimulatedDevice
        self.main = main
        self.package = sim.model.package
        self.runtimes: dict[str, "SimRuntime"] = {}
        self.outside: dict[str, subprocess.Popen] = {}
        self._started = threading.Condition()
        # the device's deadline for held processes, on a clock moved by modelled costs (a test may inject
        # `sim.gate_timing`: {clock: DeviceTime, configure_cost: report -> seconds})
        timing = getattr(sim, "gate_timing", None) or {}
        self.clock = timing.get("clock") or DeviceTime()
        self.configure_cost = timing.get("configure_cost") or configure_cost_s
        self.device = GatingWatchdog(main._dev, self.clock, scope=self._own_pids)
        declared = [n for n in sim.model.processes if not n.startswith(self.package + ":")]
        self.gate = ProcessGate(self.device, self.package, self._load, on_escaped=self._escaped,
                                on_session=self._ready, declared=declared, clock=self.clock,
                                on_gating_disabled=self._gating_off)
        self.gate.start(spawn_gating=False)
        self.gate.register(main.pid, self.package, main)

    # ------------------------------------------------------------------ gate callbacks
    def _load(self, session, name: str, pid: int):
        rt = self.sim._new_runtime(process=name, death_event=True)
        try:
            rt.load_into(self.main._dev, pid, session)
        finally:
            self.clock.advance(self.configure_cost(rt.host.install if rt.host is not None else None))
        return rt

    def _ready(self, p: GatedProcess) -> None:
        with self._started:
            self.runtimes[p.name] = p.handle
            self._started.notify_all()

    def _escaped(self, name: str, pid: int, reason: str) -> None:
        ctx = self.sim.ctx
        ctx.emit(Event(seq=0, t_ms=round(ctx.clock.now_ms(), 3), source="hook", kind="incomplete",
                       extra={"reason": reason, "process": name, "pid": pid, "reason_kind": "process-not-instrumented"}))

    def _gating_off(self, reason: str) -> None:
        ctx = self.sim.ctx
        ctx.emit(Event(seq=0, t_ms=round(ctx.clock.now_ms(), 3), source="hook", kind="incomplete",
                       extra={"reason": reason, "reason_kind": "spawn-gating-disabled"}))

    def _own_pids(self) -> set[int]:
        """The simulated device's process list: the main process, what it forked/exec'd, and what the
        simulation started outside gating (other processes of this machine, e.g. parallel runs, are not on it)."""
        own = {self.main.pid} if self.main.pid else set()
        own |= {p.pid for p in self.outside.values()}
        return own | _descendants(own)

    # ------------------------------------------------------------------ processes
    def ensure(self, name: str) -> "SimRuntime | None":
        """The running runtime of process `name`, started now if needed (a component starts it);
        None for a process the model leaves uninstrumented (its actions run unobserved)."""
        pm = self.sim.model.processes[name]
        if not pm.instrumented:
            if name not in self.outside or self.outside[name].poll() is not None:
                # started outside every gated session, like a process that escaped instrumentation
                self.outside[name] = subprocess.Popen([name, "86400"], executable="/bin/sleep",
                                                      stdin=subprocess.DEVNULL, start_new_session=True)
                _wait_exec(self.outside[name].pid, name)
            return None
        rt = self.runtimes.get(name)
        if rt is not None and rt.alive():
            return rt
        self.runtimes.pop(name, None)
        self.main._dev.input(self.main.pid, (name + "\n").encode())
        end = time.monotonic() + START_TIMEOUT_S
        with self._started:
            while name not in self.runtimes and time.monotonic() < end:
                self._started.wait(0.05)
        rt = self.runtimes.get(name)
        if rt is None:
            from ..scenario.backend import StepFailed  # noqa: PLC0415
            raise StepFailed(msg("process {process} did not start (child gating never reported it)", process=name))
        return rt

    def flush(self) -> None:
        for rt in list(self.runtimes.values()):
            if rt.alive():
                try:
                    rt.flush()
                except Exception:  # noqa: BLE001 - a dead process reports itself (host)
                    pass

    def poll(self) -> None:
        self.gate.poll()

    def close(self) -> list[dict]:
        """Force-stop: flush and end every secondary process; returns their intake stats."""
        self.gate.poll()
        stats = []
        for name, rt in list(self.runtimes.items()):
            try:
                st = rt.stop()
            except Exception as exc:  # noqa: BLE001
                st = {"error": str(exc)}
            stats.append({"process": name, "pid": rt.pid, **st})
        self.runtimes.clear()
        for p in self.outside.values():
            if p.poll() is None:
                p.kill()
                p.wait(5)
        self.gate.close()
        self.device.close()
        for p in self.gate.procs.values():      # forks on their way to exec, native helpers
            if not p.instrumented:
                try:
                    self.main._dev.kill(p.pid)
                except Exception:  # noqa: BLE001 - already gone
                    pass
        return stats

    def info(self) -> list[dict]:
        return self.gate.info() + [{"name": n, "pid": p.pid, "instrumented": False, "origin": "outside"}
                                   for n, p in self.outside.items()]


def _descendants(roots: set[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out: set[int] = set()
    todo = list(roots)
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _wait_exec(pid: int, name: str, timeout: float = 2.0) -> None:
    """Until the process runs under its name (the exec is done), so the process list shows it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if fh.read().split(b"\0", 1)[0] == name.encode():
                    return
        except OSError:
            return
        time.sleep(0.005)


def act_in_process(sim, a, trigger: str, detail: str, notes: list[str]) -> None:
    """Play action `a` in its secondary process (started on demand, as a component would start it).
    A crash there ends that process only (its host logs `lifecycle died`); the app goes on."""
    from ..scenario.backend import TargetDied  # noqa: PLC0415
    rt = sim.procs.ensure(a.process)
    if a.verb == "start_process":
        return
    if rt is None:
        if a.verb == "send":          # the proxy still sees its traffic: only the hooks are blind
            sim._send(a, notes)
            return
        notes.append(f"{a.verb} in {a.process}: the process runs without the agent (not observed)")
        return
    main, procs = sim.rt, sim.procs
    if main.host is not None and rt.host is not None:
        main.host.note_clock()
        rt.host.align_to(main.host)
    sim.rt, sim.procs = rt, None          # inside, "the app process" is this one (a crash ends only it)
    try:
        sim._act_here(a, trigger, detail, notes)
        if rt.alive():
            rt.flush()
    except TargetDied as exc:
        notes.append(f"process {a.process} ended: {exc.detail}")
    finally:
        sim.rt, sim.procs = main, procs
        if not rt.alive():
            procs.runtimes.pop(a.process, None)
