"""The simulated device: plays an app model (appmodel/) on the real agent in real Frida (SimRuntime),
sends the model's traffic for real through the proxy (sends.py), with realistic stacks (stacks.py), and
implements the scenario Backend protocol; the actions themselves are played by simactions.py, the
app's own storage is simstate.py.

Sends use the values the agent returned to earlier reads (canaries in canary mode), remembered in
the app's storage like SDKs cache identifiers.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..manifest import Manifest
from ..scenario.backend import BackendUnavailable, RunContext, StepFailed, StepOutcome, TargetDied
from .appmodel import Action, AppModel, load_app_model
from .simactions import ActionPlayer
from .siminput import InputPlayer
from .simstate import AppStorage
from .stacks import StackBuilder
from ..i18n import failure, msg

# --------------------------------------------------------------------------------------------
# the backend
# --------------------------------------------------------------------------------------------

class SimulatedDevice(ActionPlayer, InputPlayer):
    """Backend "simulated": one SimRuntime process per app launch, the app model played on it."""

    name = "simulated"

    def __init__(self, model: AppModel, runtime_factory=None):
        self.model = model
        self.stacks = StackBuilder(model)
        self._runtime_factory = runtime_factory
        self.ctx: RunContext | None = None
        self.rt = None                         # the running app process (SimRuntime) or None
        self.storage = AppStorage()
        self.pending: dict[str, tuple[Action, str, str]] = {}   # perm -> (request action, trigger, detail)
        self.foreground_now = False
        self.warnings: list[str] = []
        self._http = None
        self._lock = threading.RLock()
        self._info: dict[str, Any] = {}
        self.process_stats: list[dict] = []      # intake stats of each app process (one per launch)
        self.timers_due: list[tuple[float, int]] = []   # (monotonic time due, timer index) of the running process
        self.procs = None                        # SimProcesses: secondary processes of the running app
        self.process_log: list[dict] = []        # every process the gate saw (run.json)
        self.network = None                      # simnet.SimNetwork: resolver + loopback sinks (one per run)
        self.listeners: list[dict] = []          # the proxy's extra listeners (socks5, dns)
        self.allow_quic = False

    # --- Backend: setup --------------------------------------------------------------------
    def start(self, ctx: RunContext) -> None:
        """Check that the simulated runtime and the shipped agent bundle are there; no process yet."""
        self.ctx = ctx
        try:
            from . import build, simruntime  # noqa: PLC0415
        except ImportError as exc:
            raise BackendUnavailable(f"the simulated Android runtime is not available: {exc}") from None
        self._simruntime = simruntime
        try:
            build.load_bundle("sim")
            self._info = {"agent_sha256": build.bundle_sha256("sim"), "agent_bundle": "agent-sim.js"}
        except InputError as exc:
            raise BackendUnavailable(f"agent bundle unusable: {exc.render()}") from None
        import frida  # noqa: PLC0415
        self._info["frida_version"] = frida.__version__
        if ctx.proxy is not None:
            import httpx  # noqa: PLC0415
            self._http = httpx.Client(proxy=ctx.proxy.url, verify=str(ctx.proxy.ca_path), trust_env=False,
                                      timeout=15.0, follow_redirects=False)
        from .simnet import SimNetwork, nss_wrapper_available  # noqa: PLC0415
        from .simsend import model_hosts  # noqa: PLC0415
        if nss_wrapper_available():
            self.network = SimNetwork(model_hosts(self.model))
        self.listeners = list((ctx.options.get("capture") or {}).get("listeners") or [])
        self.allow_quic = bool((ctx.options.get("capture") or {}).get("allow_quic"))

    def info(self) -> dict[str, Any]:
        out = dict(self._info)
        out["app_model"] = {"path": str(self.model.path), "sha256": self.model.sha256, "package": self.model.package}
        out["processes"] = self.process_stats
        if self.process_log or self.procs is not None:
            out["process_list"] = self.process_log + (self.procs.info() if self.procs is not None else [])
        return out

    def stop(self) -> None:
        with self._lock:
            self._close_process()
            if self._http is not None:
                self._http.close()
                self._http = None
            if self.network is not None:
                self.network.close()
                self.network = None

    # --- Backend: install state ------------------------------------------------------------
    def fresh_install(self) -> StepOutcome:
        self._kill_quietly()
        self.storage = AppStorage()
        self.pending.clear()
        return StepOutcome(detail="installed (no data, no permissions)")

    def clear_data(self) -> StepOutcome:
        self._kill_quietly()
        self.storage = AppStorage()
        self.pending.clear()
        return StepOutcome(detail="app data cleared")

    # --- Backend: lifecycle ----------------------------------------------------------------
    def launch(self) -> StepOutcome:
        if self.rt is not None:
            self.foreground_now = True
            return self._play("foreground", "foreground", detail="already running: brought to front")
        t = self._spawn()
        out = self._play("launch", "launch", t_ms=t)
        self.foreground_now = True
        return out

    def relaunch(self) -> StepOutcome:
        self._kill_quietly()
        t = self._spawn()
        out = self._play("launch", "launch", t_ms=t)
        self.foreground_now = True
        return out

    def kill(self) -> StepOutcome:
        if self.rt is None:
            return StepOutcome(detail="not running")
        t = self._now()
        self._kill_quietly()
        return StepOutcome(t_ms=t, detail="process killed")

    def background(self) -> StepOutcome:
        self._need_running("background")
        self.foreground_now = False
        return self._play("background", "background")

    def foreground(self) -> StepOutcome:
        self._need_running("foreground")
        self.foreground_now = True
        return self._play("foreground", "foreground")

    def wait(self, ms: int) -> StepOutcome:
        """Time passes: the app model's timers that fall due are played (waits and the settle period)."""
        end = time.monotonic() + ms / 1000.0
        notes: list[str] = []
        while self.rt is not None and self.timers_due:
            due, idx = min(self.timers_due)
            if due > end:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            self.timers_due.remove((due, idx))
            timer = self.model.timers[idx]
            if timer.every_ms:
                self.timers_due.append((due + timer.every_ms / 1000.0, idx))
            for a in timer.actions:
                self._act(a, "timer", "", notes)
            self._check_alive()
            if self.rt is not None:
                self.rt.flush()
        time.sleep(max(0.0, end - time.monotonic()))
        self._check_alive()
        return StepOutcome(detail="; ".join(notes))

    def advance_clock(self, ms: int) -> StepOutcome:
        # the runner adds `ms` to the run's device clock; the app's time logic reads ctx.clock.device_ms()
        return StepOutcome(detail=f"device clock +{ms} ms")

    # --- Backend: user actions -------------------------------------------------------------
    def consent(self, action: str, scope: str) -> StepOutcome:
        self._need_running("consent")
        transition = {"accept": "granted", "decline": "declined", "withdraw": "withdrawn"}[action]
        t = self._now()                                  # the tap lands now
        if scope == "policy":      # a finger on the dialog's control: the system delivers it, the agent sees it
            self.rt.tap(self.rt.consent_control(transition))
        self.storage.consent[scope] = transition
        if scope == "policy" and transition != "granted":
            for other in list(self.storage.consent):
                self.storage.consent[other] = transition
        return self._play(f"consent_{transition}", f"consent_{transition}", scope=scope, t_ms=t)

    def permission(self, decision: str, permission: str) -> StepOutcome:
        t = self._now()
        result = "granted" if decision == "grant" else "denied"
        if permission not in self.pending:
            # no dialog showing: this is the user's answer to the app's next request
            self.storage.answers[permission] = decision
            return StepOutcome(t_ms=t, data={"answer_kept": True},
                               detail=f"no pending request for {permission}: answer kept for the next one")
        self._need_running("permission")
        out = self._deliver({permission: result})
        out.t_ms = t
        out.results = {permission: result}
        return out

    def open_feature(self, feature: str) -> StepOutcome:
        self._need_running("open_feature")
        if feature not in self.model.feature_blocks:
            return StepOutcome(detail=f"the app model has no behaviour for feature {feature!r}")
        return self._play("feature", "feature", detail_name=feature)

    # --- playing actions -------------------------------------------------------------------
    def _native_libs(self) -> tuple[str, ...]:
        """Every SDK library the model's native verbs load (named, or the SDK's catalogue `native_libs`)."""
        libs = set()
        timers = [list(t.actions) for t in getattr(self.model, "timers", [])]
        for blk in list(self.model.blocks.values()) + list(self.model.feature_blocks.values()) + timers:
            for a in blk:
                if a.verb == "native":
                    lib = a.side.get("lib") or self._sdk_lib(a.by)
                    if lib:
                        libs.add(lib)
        return tuple(sorted(libs | self._jni_libs()))

    def _now(self) -> float:
        """Run-clock ms of "now" as the app process itself stamps it (the agent's clock, mapped the
        same way as its hook events), like a device stamps a tap: a step and the hook events it
        causes are then ordered exactly, whatever small error the clock sync has.
        Without a running process: the runner's clock."""
        assert self.ctx is not None
        host = getattr(self.rt, "host", None) if self.rt is not None else None
        if host is not None and self.rt.alive:
            try:
                return host.to_run_ms(float(host.script.exports_sync.now()))
            except Exception:  # noqa: BLE001 - the process went away: fall back to the run clock
                pass
        return self.ctx.clock.now_ms()

    def _need_running(self, what: str):
        if self.rt is None:
            raise StepFailed(msg("{step}: the app is not running (launch it first)", step=what))
        self._check_alive()

    def _check_alive(self):
        if self.rt is not None and not self.rt.alive:
            pid = self.rt.pid
            self._close_process()
            raise TargetDied(msg("the app process is gone"), self._now(), self.model.package, pid)

    def _close_process(self):
        """Orderly end of the app process: flush the agent, unload, kill (the host logs no death)."""
        self.timers_due = []
        if self.rt is not None:
            rt, self.rt = self.rt, None
            try:
                stats = rt.stop()
            except Exception as exc:  # noqa: BLE001 - teardown goes on
                stats = {"error": str(exc)}
            self.process_stats.append(stats)
        if self.procs is not None:              # force-stop ends every process of the app
            procs, self.procs = self.procs, None
            try:
                self.process_stats.extend(procs.close())
                self.process_log.extend(procs.info())
            except Exception as exc:  # noqa: BLE001 - teardown goes on
                self.process_stats.append({"error": f"secondary processes: {exc}"})

    def _kill_quietly(self):
        self._close_process()
        self.pending.clear()
        self.foreground_now = False

    def _spawn(self) -> float:
        assert self.ctx is not None
        t = self._now()
        rt = self._new_runtime(process=self.model.package, main=True)
        try:
            rt.start()
        except InputError as exc:       # AgentLoadError: the agent does not load into the process
            try:
                rt.stop()
            except Exception:  # noqa: BLE001
                pass
            raise StepFailed(msg("agent failed to load into the app process: {problem}", problem=exc.render())) from None
        except Exception as exc:  # noqa: BLE001
            try:
                rt.stop()
            except Exception:  # noqa: BLE001
                pass
            raise StepFailed(msg("could not start the simulated app process: {error}",
                                 error=failure(exc))) from None
        self.rt = rt
        self._show_ui()
        started = time.monotonic()
        self.timers_due = [(started + tm.after_ms / 1000.0, i) for i, tm in enumerate(self.model.timers)]
        if self.model.processes:
            from .simprocesses import SimProcesses  # noqa: PLC0415
            self.procs = SimProcesses(self, rt)
            for name, pm in self.model.processes.items():
                if pm.start == "launch":
                    self.procs.ensure(name)
        return t

    def _new_runtime(self, process: str, main: bool = False, death_event: bool = False):
        """A SimRuntime for one process of the app; the main one of a multi-process app is the
        launcher that forks/execs the others under child gating (simprocesses.py)."""
        kw: dict = {"process": process, "death_event": death_event}
        if main and self.model.processes:
            from .simprocesses import launcher  # noqa: PLC0415
            program, argv = launcher(self.model.package)
            kw.update(program=(program,), argv=argv, stdio="pipe", child_gating=True)
        from .host import AgentOptions  # noqa: PLC0415
        from .loaded import store_for  # noqa: PLC0415
        agent = self.ctx.options.get("agent")          # the run's agent options (QUIC refusal ...) for every process
        from .simui import Window  # noqa: PLC0415
        m = self.model
        kw.update(api_level=m.device.api_level, accessibility=m.device.accessibility, classes=self._runtime_classes(),
                  consent_window=Window(m.consent_handler, m.main_activity))
        return self._simruntime.SimRuntime(self.ctx.manifest, self.ctx.canaries, on_event=self.ctx.emit,
                                           clock=self.ctx.clock.now_ms, loaded_store=store_for(self.ctx),
                                           options=AgentOptions(**agent) if isinstance(agent, dict) else agent,
                                           env=self.network.env() if self.network is not None else None,
                                           native_libs=self._native_libs(), loaded_classes=self._loaded_classes(), **kw)

    def _loaded_classes(self) -> tuple[str, ...]:
        from .simloading import loaded_classes  # noqa: PLC0415
        return tuple(loaded_classes(self.model))


def make_backend(app_model: str | Path, manifest: Manifest) -> SimulatedDevice:
    return SimulatedDevice(load_app_model(app_model, manifest))
