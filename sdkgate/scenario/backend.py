"""The interface one scenario runner uses to drive any target: the simulated device or a real phone.

The runner (sdkgate/scenario/runner.py) owns the run clock, the evidence folder, the step log and
the proxy; a backend only *does* things on the target and reports hook evidence. Scenario files
stay device-neutral: how a consent tap, a permission answer or a clock jump happens on a target
is the backend's business.

Life of a run, as the runner calls it:

    backend.start(ctx)            # connect, compile/load the agent (no app code has run yet)
    backend.info()                # facts for run.json (frida version, agent sha256, device ...)
    for step in scenario.steps:
        outcome = backend.<action>(...)     # one method per step action, see Backend below
    backend.stop()                # always called (success, failure, Ctrl-C); idempotent

Contract for a backend:
- Hook events (source "hook") go to `ctx.emit(event)` as soon as the host intake has them; the
  runner writes them to events.jsonl. `ctx.emit` is thread-safe (Frida delivers on its own thread).
  Their `t_ms` must be on the run clock: `ctx.clock.now_ms()` (ms since run start) or converted
  from epoch ms with `ctx.clock.from_epoch_ms()`. Their `seq` may restart with each agent
  session (each launch is a new process): the runner gives the run's hook events one gap-free
  sequence in t_ms order at the end (the agent's own number is kept as `agent_seq`). So the
  host intake must itself turn any gap or drop it sees in an agent session into an
  `agent_status` event with `dropped` > 0 (or an `incomplete` event): the runner cannot see them.
- Step-log events (source "step": step, consent, lifecycle, feature, permission_result) are
  written by the runner from the returned `StepOutcome`, never by the backend.
- `StepOutcome.t_ms` is when the action landed on the target (e.g. the moment the consent tap
  landed); the runner stamps the step-log event with it. None = "now" as the runner sees it.
- A step that could not be done returns `StepOutcome(ok=False, detail=...)` (or raises
  `StepFailed`): the runner logs it and the run becomes `incomplete`. A target process that died
  raises `TargetDied`: the runner logs lifecycle `died`, stops the scenario, keeps what was
  collected and the verdict is `incomplete`. A problem found before anything ran (agent does not
  compile or load, no device) raises `BackendUnavailable` from `start()`: the command exits 2.
- Network: when `ctx.proxy` is set, the backend routes the target's traffic through it
  (simulated: httpx with `proxy=ctx.proxy.url`, `verify=ctx.proxy.ca_path`, `trust_env=False`;
  device: proxy settings or `adb reverse`, CA installed) and restores everything in `stop()`.
- Canary values (`ctx.canaries`, category id -> value) are planted by the agent (and, where
  possible, on the device, e.g. the clipboard); the runner records them in run.json and gives
  them to the proxy.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from ..events import Event
    from ..manifest import Manifest

# the step actions a scenario may use; the runner maps each to one Backend method
ACTIONS = ("fresh_install", "clear_data", "launch", "wait", "consent", "permission", "open_feature",
           "background", "foreground", "kill", "relaunch", "advance_clock")
CONSENT_ACTIONS = {"accept": "granted", "decline": "declined", "withdraw": "withdrawn"}
PERMISSION_DECISIONS = {"grant": "granted", "deny": "denied"}


class RunClock:
    """One clock for every source of a run: t_ms = ms since the run started.

    `t0_epoch_ms` (wall clock at start) is what the proxy gets as `--t0`; inside this process
    `now_ms()` counts from a monotonic origin taken at the same moment, so it never jumps back.
    The *device* clock (for the 48-hour rule) is t_ms plus every `advance_clock` so far: the
    runner keeps that sum in `advanced_ms`.
    """

    def __init__(self, t0_epoch_ms: int | None = None):
        self._mono0 = time.monotonic()
        self.t0_epoch_ms = int(t0_epoch_ms if t0_epoch_ms is not None else time.time() * 1000)
        self.advanced_ms = 0

    def now_ms(self) -> float:
        return round((time.monotonic() - self._mono0) * 1000.0, 3)

    def from_epoch_ms(self, epoch_ms: float) -> float:
        return round(epoch_ms - self.t0_epoch_ms, 3)

    @property
    def mono0(self) -> float:
        """The run start on `time.monotonic()` (CLOCK_MONOTONIC on Linux, in seconds)."""
        return self._mono0

    def from_monotonic_ms(self, mono_ms: float) -> float:
        """Run-clock t_ms of a CLOCK_MONOTONIC reading in ms (same machine: exact, no estimate)."""
        return round(mono_ms - self._mono0 * 1000.0, 3)

    def device_ms(self, t_ms: float | None = None) -> float:
        """Device clock in ms since run start, counting clock advances (for app-side time logic)."""
        return (self.now_ms() if t_ms is None else t_ms) + self.advanced_ms


@dataclass(frozen=True)
class ProxyInfo:
    """Where the target's traffic goes: an HTTP(S) proxy on loopback and the CA it signs with."""
    host: str
    port: int
    ca_path: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass
class RunContext:
    """What a backend gets from the runner at start."""
    out_dir: Path
    clock: RunClock
    manifest: "Manifest"
    canaries: dict[str, str]
    emit: Callable[["Event"], None]            # thread-safe sink for hook events
    proxy: ProxyInfo | None = None
    scenario_name: str = ""
    options: dict[str, Any] = field(default_factory=dict)   # backend-specific (app model, serial, apk ...)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass
class StepOutcome:
    """What a backend reports for one step."""
    ok: bool = True
    detail: str = ""
    t_ms: float | None = None                  # when the action landed on the target (run clock)
    results: dict[str, str] = field(default_factory=dict)   # permission step: {perm: granted|denied}
    # (permission step with no dialog showing: results={} and data={"answer_kept": True}: the runner
    # then logs no permission_result; the answer is delivered, and hooked, at the app's next request)
    data: dict[str, Any] = field(default_factory=dict)      # extra facts for the step event (screenshot path ...)


class BackendError(Exception):
    """Base class of backend problems."""


class BackendUnavailable(BackendError):
    """The backend cannot run at all (agent does not compile/load, no device): nothing ran yet."""


class StepFailed(BackendError):
    """One step could not be performed (control not found, adb error): the run is incomplete."""


class TargetDied(BackendError):
    """The target process died during a step; `t_ms` is when it was noticed (run clock)."""

    def __init__(self, detail: str, t_ms: float | None = None, process: str | None = None, pid: int | None = None):
        super().__init__(detail)
        self.detail, self.t_ms = detail, t_ms
        self.process, self.pid = process, pid      # the app process that died (None: not known)


@runtime_checkable
class Backend(Protocol):
    """One target (simulated device, emulator, phone). Every step method returns a StepOutcome."""

    name: str                                   # "simulated" | "device" (recorded in run.json)

    def start(self, ctx: RunContext) -> None:
        """Connect and prepare the agent; no app code runs yet. Raise BackendUnavailable on failure."""

    def info(self) -> dict[str, Any]:
        """Facts for run.json: frida_version, agent_sha256, device/model/os, app model path+sha256 ..."""

    # --- install state -------------------------------------------------------------------
    def fresh_install(self) -> StepOutcome:
        """App installed anew: no data, no permissions granted, no consent stored."""

    def clear_data(self) -> StepOutcome:
        """`pm clear`: stored data (consent, denial records) wiped; the process is stopped."""

    # --- process lifecycle ---------------------------------------------------------------
    def launch(self) -> StepOutcome:
        """Spawn the app with the agent loaded before any app code, bring up its first screen."""

    def kill(self) -> StepOutcome:
        """Stop the app process (force-stop)."""

    def relaunch(self) -> StepOutcome:
        """kill (if running) then launch: a new process, stored data kept."""

    def background(self) -> StepOutcome:
        """Send the app to the background (home)."""

    def foreground(self) -> StepOutcome:
        """Bring the app back to the front."""

    def wait(self, ms: int) -> StepOutcome:
        """Let the app run for `ms` milliseconds of real time."""

    def advance_clock(self, ms: int) -> StepOutcome:
        """Move the device clock forward by `ms` (48-hour rule); the runner logs it."""

    # --- user actions --------------------------------------------------------------------
    def consent(self, action: str, scope: str) -> StepOutcome:
        """action accept|decline|withdraw for a consent scope; `t_ms` = when the tap landed."""

    def permission(self, decision: str, permission: str) -> StepOutcome:
        """decision grant|deny for an Android permission: answers the pending system dialog for it,
        or (none pending) sets the user's answer for the app's next request of it.
        `results` = {permission: granted|denied} as delivered."""

    def open_feature(self, feature: str) -> StepOutcome:
        """Open a feature named in the manifest's `features` (the backend knows how to reach it)."""

    def stop(self) -> None:
        """Teardown always: stop processes and sessions, restore settings. Idempotent."""
