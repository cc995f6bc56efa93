"""The simulated device: plays an app model (appmodel.py) on the real agent in real Frida (SimRuntime),
sends the model's traffic for real through the proxy (sends.py), with realistic stacks (stacks.py), and
implements the scenario Backend protocol.

Sends use the values the agent returned to earlier reads (canaries in canary mode), remembered in
the app's storage like SDKs cache identifiers.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..apitable import by_id
from ..errors import InputError
from ..manifest import Manifest
from ..scenario.backend import (BackendUnavailable, RunContext, StepFailed, StepOutcome, TargetDied)
from .appmodel import Action, AppModel, load_app_model
from .sends import build_request
from .sideverbs import SIDE_VERBS, perform
from .stacks import StackBuilder


# --------------------------------------------------------------------------------------------
# app state the simulated app keeps (storage survives a kill; a fresh install or clear_data wipes it)
# --------------------------------------------------------------------------------------------

@dataclass
class AppStorage:
    consent: dict[str, str] = field(default_factory=dict)        # scope -> granted|declined|withdrawn
    granted: set[str] = field(default_factory=set)               # runtime permissions granted
    denied_at: dict[str, float] = field(default_factory=dict)    # permission -> device clock of denial
    answers: dict[str, str] = field(default_factory=dict)        # user's standing answer: perm -> grant|deny
    values: dict[str, str] = field(default_factory=dict)         # category -> value the app read (cache)


# --------------------------------------------------------------------------------------------
# the backend
# --------------------------------------------------------------------------------------------

class SimulatedDevice:
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
        from .simnet import SimNetwork, model_hosts, nss_wrapper_available  # noqa: PLC0415
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
        if scope == "policy":      # the agent sees the tap on the dialog's control, as on a phone
            self.rt.click(transition, self.stacks.trigger("user_tap"))
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
        return tuple(sorted(libs))

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
            raise StepFailed(f"{what}: the app is not running (launch it first)")
        self._check_alive()

    def _check_alive(self):
        if self.rt is not None and not self.rt.alive:
            pid = self.rt.pid
            self._close_process()
            raise TargetDied("the app process is gone", self._now(), self.model.package, pid)

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
            raise StepFailed(f"agent failed to load into the app process: {exc.render()}") from None
        except Exception as exc:  # noqa: BLE001
            try:
                rt.stop()
            except Exception:  # noqa: BLE001
                pass
            raise StepFailed(f"could not start the simulated app process: {type(exc).__name__}: {exc}") from None
        self.rt = rt
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
        return self._simruntime.SimRuntime(self.ctx.manifest, self.ctx.canaries, on_event=self.ctx.emit,
                                           clock=self.ctx.clock.now_ms, loaded_store=store_for(self.ctx),
                                           options=AgentOptions(**agent) if isinstance(agent, dict) else agent,
                                           env=self.network.env() if self.network is not None else None,
                                           native_libs=self._native_libs(), loaded_classes=self._loaded_classes(), **kw)

    def _loaded_classes(self) -> tuple[str, ...]:
        from .simloading import loaded_classes  # noqa: PLC0415
        return tuple(loaded_classes(self.model))

    def _play(self, block: str, trigger: str, *, scope: str | None = None, detail_name: str = "",
              t_ms: float | None = None, detail: str = "") -> StepOutcome:
        if t_ms is None:
            t_ms = self._now()           # the step lands before the app reacts to it
        actions = (self.model.feature_blocks.get(detail_name, []) if block == "feature"
                   else self.model.blocks.get(block, []))
        notes: list[str] = []
        for a in actions:
            if block.startswith("consent_") and (a.scope or "policy") != scope:
                continue
            self._act(a, trigger, detail_name, notes)
        self._check_alive()
        if self.rt is not None:
            self.rt.flush()
        if self.procs is not None:
            self.procs.flush()
            self.procs.poll()
        return StepOutcome(t_ms=t_ms, detail="; ".join([detail] + notes if detail else notes))

    def _applies(self, a: Action) -> bool:
        st = self.storage.consent
        pol = st.get("policy")
        if a.when == "consented":
            ok = pol == "granted" and (a.scope is None or st.get(a.scope) == "granted")
        elif a.when == "not_consented":
            ok = pol != "granted"
        elif a.when == "declined":
            ok = pol == "declined"
        elif a.when == "withdrawn":
            ok = pol == "withdrawn"
        elif a.when == "refused":
            ok = pol in ("declined", "withdrawn")
        else:
            ok = True
        if ok and a.if_granted:
            ok = a.if_granted in self.storage.granted
        return ok

    def _act(self, a: Action, trigger: str, detail: str, notes: list[str]) -> None:
        if not self._applies(a):
            return
        if self.rt is None:
            raise StepFailed("the app process is gone")
        if a.process and a.process != self.model.package or a.verb == "start_process":
            from .simprocesses import act_in_process  # noqa: PLC0415
            act_in_process(self, a, trigger, detail, notes)
            return
        self._act_here(a, trigger, detail, notes)

    def _act_here(self, a: Action, trigger: str, detail: str, notes: list[str]) -> None:
        thread = a.thread or (self.model.sdks[a.by].thread if a.by in self.model.sdks else "main")
        for _ in range(a.repeat):
            if a.verb == "read":
                api = by_id()[a.api_id]
                # the runtime puts the API's own frame on top, as ART shows a hooked method
                stack = self.stacks.build(a, None, trigger, detail, thread)
                result = self._call(a.api_id, stack, thread, list(a.args) if a.args else None)
                value = value_text(result)
                if api.category and value:
                    self.storage.values[api.category] = value
            elif a.verb == "send":
                self._send(a, notes)
            elif a.verb == "request_permission":
                self._request(a, trigger, detail, thread, notes)
            elif a.verb == "write_marker":
                self._marker(a, trigger, detail, thread)
            elif a.verb == "click_consent":    # app code calls performClick() on its own consent button
                self.rt.click(a.click, self.stacks.build(a, None, trigger, detail, thread), thread=thread)
            elif a.verb in SIDE_VERBS:
                stack = self.stacks.build(a, None, trigger, detail, thread)
                try:
                    value = perform(self.rt, a.verb, a.side, stack, thread, self._sdk_lib(a.by))
                except self._simruntime.JavaThrow:
                    value = None
                cat = side_category(a)
                if cat and isinstance(value, str) and value:
                    self.storage.values[cat] = value
            elif a.verb == "sleep":
                time.sleep(a.sleep_ms / 1000.0)
            elif a.verb == "load_code":
                from .simloading import load_code  # noqa: PLC0415
                load_code(self, a, self.stacks.build(a, None, trigger, detail, thread), thread)
            elif a.verb == "crash":
                t = self._now()
                pid, process = self.rt.pid, self.rt.process
                self.rt.crash()
                self._close_process()
                raise TargetDied(f"app crashed: {a.reason}", t, process, pid)

    def _sdk_lib(self, sdk: str) -> str | None:
        """The SDK's native library name (catalogue `native_libs`), for native verbs without `lib`."""
        row = self.ctx.manifest.catalogue().sdks.get(sdk) if self.ctx and self.ctx.manifest else None
        # a catalogue glob (libjcore*.so) names a family: the simulated library takes its plainest member
        return row.native_libs[0].replace("*", "") if row is not None and row.native_libs else None

    def _call(self, api_id: str, stack: list[str], thread: str, args: list) -> Any:
        try:
            return self.rt.call(api_id, stack, thread=thread, args=args)
        except self._simruntime.JavaThrow:
            return None          # the app catches the SecurityException and goes on
        except Exception as exc:  # noqa: BLE001
            self._check_alive()
            raise StepFailed(f"simulated call {api_id} failed: {type(exc).__name__}: {exc}") from None

    def _send(self, a: Action, notes: list[str]) -> None:
        spec = a.send
        assert spec is not None
        if self._http is None:
            notes.append(f"send to {spec.host} skipped: no proxy")
            return
        from .simnet import needs_socket_path, play_send  # noqa: PLC0415
        if needs_socket_path(spec.net) or self.network is not None:
            # every send goes out of the app process itself (libc sockets, libssl), so the agent's
            # socket hooks see it; without nss_wrapper only plain proxied HTTP(S) falls back to the host
            if self.network is None:
                raise StepFailed(f"send to {spec.host}: {spec.net.transport} sends need nss_wrapper "
                                 "(apt-get install libnss-wrapper) for the simulated resolver")
            try:
                play_send(self, a, notes)
            except OSError as exc:
                raise StepFailed(str(exc)) from None
            return
        url, headers, body, missing = build_request(spec, self.storage.values)
        if missing:
            notes.append(f"send to {spec.host}: the app never read {', '.join(missing)}")
        try:
            resp = self._http.request(spec.method, url, headers=headers, content=body)
        except Exception as exc:  # noqa: BLE001 - the proxy is ours: a failure is lost evidence
            raise StepFailed(f"send to {url} through the proxy failed: {type(exc).__name__}: {exc}") from None
        if resp.status_code >= 500:
            raise StepFailed(f"send to {url}: proxy answered {resp.status_code}")

    def _http_send(self, method: str, url: str, headers: dict, body: bytes | None, http2: bool = False) -> None:
        """An HTTP send through the proxy (simnet.play_send after its transformations)."""
        client = self._http
        if http2:
            import httpx  # noqa: PLC0415
            client = httpx.Client(proxy=self.ctx.proxy.url, verify=str(self.ctx.proxy.ca_path), trust_env=False,
                                  timeout=15.0, http2=True)
        try:
            resp = client.request(method, url, headers=headers, content=body)
        except Exception as exc:  # noqa: BLE001 - the proxy is ours: a failure is lost evidence
            raise StepFailed(f"send to {url} through the proxy failed: {type(exc).__name__}: {exc}") from None
        finally:
            if client is not self._http:
                client.close()
        if resp.status_code >= 500:
            raise StepFailed(f"send to {url}: proxy answered {resp.status_code}")

    def _request(self, a: Action, trigger: str, detail: str, thread: str, notes: list[str]) -> None:
        now_dev = self.ctx.clock.device_ms()
        wanted = [p for p in a.permissions if p not in self.storage.granted]
        if not wanted:
            for t in a.then:
                self._act(t, "permission", detail, notes)
            return
        if a.respect_denial_ms is not None:
            recent = [p for p in wanted if p in self.storage.denied_at
                      and now_dev - self.storage.denied_at[p] < a.respect_denial_ms]
            if recent:
                notes.append(f"not asking again for {', '.join(recent)} (denied recently)")
                return
        stack = self.stacks.build(a, None, trigger, detail, thread)
        self.rt.request_permissions(wanted, stack, api_id="perm.activitycompat.requestPermissions", thread=thread)
        for p in wanted:
            self.pending[p] = (a, trigger, detail)
        # the user's standing answers (a permission step that came before the dialog)
        preset = {p: ("granted" if self.storage.answers[p] == "grant" else "denied")
                  for p in wanted if p in self.storage.answers}
        if preset:
            self._deliver(preset, notes)

    def _deliver(self, results: dict[str, str], notes: list[str] | None = None) -> StepOutcome:
        notes = notes if notes is not None else []
        now_dev = self.ctx.clock.device_ms()
        requests = {}
        for p, r in results.items():
            req = self.pending.pop(p, None)
            if req is not None:
                requests[id(req[0])] = req
            if r == "granted":
                self.storage.granted.add(p)
                self.storage.denied_at.pop(p, None)
            else:
                self.storage.granted.discard(p)
                self.storage.denied_at[p] = now_dev
        self.rt.permission_result(results)
        for a, _trigger, detail in requests.values():
            if all(p in self.storage.granted for p in a.permissions):
                for t in a.then:
                    self._act(t, "permission", detail, notes)
        self._check_alive()
        if self.rt is not None:
            self.rt.flush()
        return StepOutcome(detail="; ".join(notes))

    def _marker(self, a: Action, trigger: str, detail: str, thread: str) -> None:
        """The app records the decision through every marker the manifest names for the scope."""
        scope = a.scope or "policy"
        stack = self.stacks.build(a, None, trigger, detail, thread)
        for mk in self.ctx.manifest.consent.markers:
            if mk.scope != scope:
                continue
            if mk.method:
                value: Any = a.marker_value
            else:
                value = mk.value if a.marker_value else (False if isinstance(mk.value, bool) else None)
            self.rt.marker(mk, value, stack, thread=thread)


def value_text(result: Any) -> str | None:
    """The personal value inside what an API returned (string, ClipData text, Location, MAC bytes)."""
    if result is None or isinstance(result, bool):
        return None
    if isinstance(result, (str, int, float)):
        return str(result) if str(result) else None
    if isinstance(result, (bytes, bytearray)):
        return ":".join(f"{b:02x}" for b in result) if len(result) == 6 else result.hex()
    fields = getattr(result, "fields", None)
    if isinstance(fields, dict):
        if "latitude" in fields and "longitude" in fields:
            return f"{float(fields['latitude']):.6f},{float(fields['longitude']):.6f}"
        for key in ("text", "value", "packageName"):
            if isinstance(fields.get(key), str) and fields[key]:
                return fields[key]
        for v in fields.values():
            found = value_text(v[0] if isinstance(v, list) and v else v) if not isinstance(v, (str, int, float)) else None
            if found:
                return found
    if isinstance(result, list) and result:
        return value_text(result[-1])
    return None


def make_backend(app_model: str | Path, manifest: Manifest) -> SimulatedDevice:
    return SimulatedDevice(load_app_model(app_model, manifest))


def side_category(a: Action) -> str | None:
    """The category a side-channel verb's value belongs to (what the app caches for later sends)."""
    from ..apitable import match_target  # noqa: PLC0415
    kind_text = {"native": None, "property": ("property", a.side.get("arg")), "exec": ("command", a.side.get("arg")),
                 "file_read": ("path", a.side.get("arg")), "provider": ("provider", a.side.get("uri")),
                 "bind_service": ("service", a.side.get("action") or a.side.get("package"))}.get(a.verb)
    if a.verb == "native":
        call = a.side.get("call", "")
        from .sideverbs import FILE_CALLS  # noqa: PLC0415
        kind = "path" if call in FILE_CALLS else (
            "property" if call.startswith("__system_property") else None)
        if kind is None:
            return "device_id.mac" if call in ("ioctl", "getifaddrs", "netlink") else None
        kind_text = (kind, a.side.get("arg"))
    if not kind_text or not kind_text[1]:
        return None
    t = match_target(*kind_text)
    return t.category if t is not None else None
