"""The simulated device's gating deadline: what frida-server (>= 17.16) does to a process held too long.

On a phone, a gated spawn left unresumed for about 8 s (processes.WATCHDOG_S) makes frida-server turn spawn
gating off for the whole device, resume every pending process and emit `spawn-gating-disabled` with reason
`watchdog-timeout`; a later `resume()` of one of them fails (it is no longer pending). The simulated device
models this around its local Frida device (`GatingWatchdog`), on an injected clock (`DeviceTime`) that moves
only by modelled costs, never by wall time: each agent load + configure costs what it would on a phone
(`configure_cost_s`, or what a test injects). The deadline is evaluated whenever the gate talks to the device
(resume, attach, process list): no timers, no sleeps, the same outcome on a busy CI machine.

Not modelled: Android's own kill of a process that has not attached within ~10 s (the 8 s watchdog resumes
first), and gating staying off (ProcessGate switches it on again at once).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .processes import WATCHDOG_S

HOOK_COST_S = 0.002         # installing one Java hook on a mid-range phone (class lookup, ArtMethod patch)
LOAD_COST_S = 0.25          # creating and loading the agent script in the process


def configure_cost_s(install: dict | None) -> float:
    """Modelled device time of loading + configuring the agent, from its install report."""
    rep = install or {}
    return LOAD_COST_S + HOOK_COST_S * (len(rep.get("hooked") or []) + len(rep.get("missing") or []))


@dataclass
class DeviceTime:
    """The simulated device's clock for gating deadlines, in seconds: advances by modelled costs only."""
    now_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self) -> float:
        return self.now_s

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.now_s += max(0.0, seconds)


def _not_pending(pid: int) -> Exception:
    try:
        import frida  # noqa: PLC0415
        return frida.InvalidArgumentError(f"unable to find process with pid {pid}")
    except (ImportError, AttributeError):  # pragma: no cover
        return RuntimeError(f"unable to find process with pid {pid}")


class GatingWatchdog:
    """A Frida device (the simulated device's local one, or a test's stand-in) with frida-server's watchdog."""

    def __init__(self, device, clock: Callable[[], float], limit_s: float = WATCHDOG_S,
                 scope: Callable[[], set[int]] | None = None):
        self.device = device
        self.clock = clock
        self.scope = scope              # the simulated device's own pids (the host's other processes are not on it)
        self.limit_s = limit_s
        self.fired: list[str] = []
        self._lock = threading.RLock()
        self._held: dict[int, float] = {}            # pid -> held since (clock)
        self._released: set[int] = set()             # resumed by the watchdog
        self._listeners: dict[str, list[Callable]] = {}
        self._relay = {sig: self._relayer(sig) for sig in ("child-added", "spawn-added")}
        for sig, cb in self._relay.items():
            device.on(sig, cb)

    def __getattr__(self, name: str) -> Any:            # everything else: the device itself
        return getattr(self.device, name)

    def _relayer(self, sig: str):
        def relay(item) -> None:
            with self._lock:
                self._held[int(item.pid)] = self.clock()
            for cb in list(self._listeners.get(sig, [])):
                cb(item)
        return relay

    def on(self, signal: str, cb: Callable) -> None:
        if signal in self._relay or signal == "spawn-gating-disabled":
            self._listeners.setdefault(signal, []).append(cb)
        else:
            self.device.on(signal, cb)

    def off(self, signal: str, cb: Callable) -> None:
        if signal in self._relay or signal == "spawn-gating-disabled":
            if cb in self._listeners.get(signal, []):
                self._listeners[signal].remove(cb)
        else:
            self.device.off(signal, cb)

    def tick(self) -> None:
        """Everything the watchdog would have done by now (the clock's now)."""
        now = self.clock()
        with self._lock:
            if not any(now - t >= self.limit_s for t in self._held.values()):
                return
            pending, self._held = list(self._held), {}
            self._released.update(pending)
            self.fired.append("watchdog-timeout")
        for pid in pending:
            try:
                self.device.resume(pid)
            except Exception:  # noqa: BLE001 - gone already
                pass
        for cb in list(self._listeners.get("spawn-gating-disabled", [])):
            cb("watchdog-timeout")

    def resume(self, pid: int) -> None:
        self.tick()
        with self._lock:
            if pid in self._released:
                self._released.discard(pid)
                raise _not_pending(pid)
            self._held.pop(pid, None)
        self.device.resume(pid)

    def attach(self, pid: int):
        self.tick()
        return self.device.attach(pid)

    def enumerate_processes(self):
        self.tick()
        listing = self.device.enumerate_processes()
        if self.scope is None:
            return listing
        own = self.scope()
        return [p for p in listing if int(getattr(p, "pid", -1)) in own]

    def close(self) -> None:
        for sig, cb in self._relay.items():
            try:
                self.device.off(sig, cb)
            except Exception:  # noqa: BLE001
                pass
