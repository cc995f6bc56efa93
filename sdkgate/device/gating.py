"""The device backend's process gating: spawning the app under Frida with the agent loaded before any app
code runs, attaching to a running app, and every other process of the package through
dynamic/processes.py's ProcessGate (spawn + child gating)."""
from __future__ import annotations

import time
from typing import Any, Callable

from ..dynamic.processes import call_loader
from ..scenario.backend import BackendUnavailable, RunContext, StepFailed, StepOutcome, TargetDied
from ..i18n import msg

# AgentLoader(frida_session, ctx, package) -> handle with close(); default: sdkgate.dynamic.host
AgentLoader = Callable[[Any, RunContext, str], Any]


class HostHandle:
    """The agent host of one app process: flushed and closed at kill/teardown."""

    def __init__(self, host):
        self.host = host

    def close(self) -> None:
        self.host.close()


def default_agent_loader(session, ctx: RunContext, package: str, *, process: str | None = None,
                         pid: int | None = None):
    """sdkgate.dynamic.host's AgentHost with the shipped device agent: loaded and configured (every hook
    installed) while the process is still suspended, so no app code runs unobserved. Every event it
    delivers carries `process` and `pid`; a secondary process's death is logged by its host."""
    from ..dynamic.build import load_bundle  # noqa: PLC0415
    from ..dynamic.host import AgentHost  # noqa: PLC0415
    from ..dynamic.loaded import store_for  # noqa: PLC0415
    host = AgentHost(session, load_bundle("device"), manifest=ctx.manifest, canaries=ctx.canaries,
                     on_event=ctx.emit, clock=ctx.clock.now_ms, process=process, pid=pid,
                     death_event=process is not None and process != package, loaded_store=store_for(ctx))
    host.load()
    host.configure()
    return HostHandle(host)


def declared_processes(apk, package: str) -> tuple[set[str], str | None]:
    """The global process names (android:process without ':') the APK's manifest declares, which the gate
    holds and checks like `package:*` ones; with a note when they cannot be known (no APK, unreadable)."""
    if apk is None:
        return set(), ("no APK given (--apk): processes with a global android:process name (no 'package:' "
                       "prefix) are not recognised as the app's")
    from ..static.container import Archive, Budget, Limits  # noqa: PLC0415
    from ..static.manifest_xml import parse_manifest_xml  # noqa: PLC0415
    try:
        arc = Archive.open(apk, str(apk), Budget(Limits()))
        try:
            names = parse_manifest_xml(arc.read("AndroidManifest.xml", Limits().max_manifest_bytes)).process_names()
        finally:
            arc.zf.close()
    except Exception as exc:  # noqa: BLE001 - the run goes on; the gap is named
        return set(), f"the APK's manifest could not be read ({exc}): global process names are not recognised"
    return {n for n in names if n != package and not n.startswith(package + ":")}, None


class ProcessControl:
    """Mixin of DeviceBackend: the app's processes (state lives on the backend)."""

    def _spawn(self) -> StepOutcome:
        self._died = None
        self._open_gate()
        self.gate.begin_main_spawn()
        held_since = self.gate.clock()
        try:
            pid = self.frida.spawn([self.package])
            self.gate.claim(pid)
        except Exception as exc:  # noqa: BLE001 - frida.ExecutableNotFoundError, NotSupportedError ...
            self.gate.claim(None)
            from .adb import _is_gone
            if _is_gone(exc) or "device" in str(exc).lower() and "lost" in str(exc).lower():
                raise TargetDied(msg("device disconnected: {error}", error=str(exc)), self._now()) from None
            raise StepFailed(msg("frida could not spawn {package}: {error}", package=self.package, error=str(exc))) from None
        self.pid = pid
        try:
            self.session = self.frida.attach(pid)
            self.session.on("detached", self._on_detached)
            if hasattr(self.session, "enable_child_gating"):
                self.session.enable_child_gating()      # what the app forks/execs is held for the gate
            self.handle = call_loader(self.agent_loader, self.session, self.ctx, self.package, self.package, pid)
            self.gate.register(pid, self.package, self.handle, self.session)
        except BackendUnavailable:
            self._kill_quietly()
            raise
        except Exception as exc:  # noqa: BLE001
            self._kill_quietly()
            raise StepFailed(msg("agent could not be loaded into {package}: {error}", package=self.package,
                                 error=str(exc))) from None
        t = self._now()
        main = self.gate.procs.get(pid)
        self.gate.resume(pid, main)                 # a process Frida resumed already is not an error
        if main is not None:
            main.held_ms = (self.gate.clock() - held_since) * 1000.0
        # an app that crashes at start: dead within the first moments
        end = time.monotonic() + self.opt.start_check_s
        while time.monotonic() < end and self._died is None:
            time.sleep(0.05)
        if self._died is not None:
            shot = self._screenshot("crash")
            raise TargetDied(msg("app died right after launch ({detail}); see {shot}", detail=str(self._died), shot=str(shot))
                             if shot else msg("app died right after launch ({detail})", detail=str(self._died)), self._now())
        self._poll_processes()
        return StepOutcome(t_ms=t, detail=f"spawned pid {pid} with the agent loaded before app code")

    def attach_running(self) -> StepOutcome:
        """`run --attach`: load the agent into the app's running main process. What ran before the attach is
        not seen; the explore mode records that as an incomplete reason."""
        pids = [p for p in self._sh(["pidof", self.package], check=False).split() if p.isdigit()]
        if not pids:
            raise StepFailed(msg("{package} is not running on the device: start it first, or run without --attach",
                                 package=self.package))
        self._died = None
        self.pid = int(pids[0])
        try:
            self.session = self.frida.attach(self.pid)
            self.session.on("detached", self._on_detached)
            self.handle = self.agent_loader(self.session, self.ctx, self.package, process=self.package, pid=self.pid)
        except Exception as exc:  # noqa: BLE001 - frida refused (no root, process gone)
            self.pid = None
            raise StepFailed(msg("could not attach to {package} (pid {pid}): {error}", package=self.package, pid=pids[0],
                                 error=str(exc))) from None
        return StepOutcome(t_ms=self._now(), detail=f"attached to the running app (pid {self.pid})")

    def _on_detached(self, reason, crash=None) -> None:
        text = str(reason)
        if crash is not None:
            summary = getattr(crash, "summary", None) or str(crash)
            text += f": {summary}"
        self._died = text

    def _detach(self) -> None:
        handle, session = self.handle, self.session
        self.handle = self.session = None
        err = None
        if handle is not None and hasattr(handle, "close"):
            try:
                handle.close()
            except Exception as exc:  # noqa: BLE001
                err = exc
        if session is not None:
            session.detach()
        if err is not None:
            raise err

    def _kill_quietly(self) -> None:
        try:
            self._detach()
        except Exception:  # noqa: BLE001
            pass
        self._close_secondaries()
        if self.pid is not None:
            try:
                self.frida.kill(self.pid)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self._sh(["am", "force-stop", self.package], check=False)
        self.pid = None
        self._died = None

    def _need_running(self, what: str) -> None:
        if self.pid is None:
            raise StepFailed(msg("{step}: the app is not running (launch it first)", step=what))
        self._check_alive()

    def _check_alive(self) -> None:
        if self._died is not None and self.pid is not None:
            reason = self._died
            self.pid = None
            if "device-lost" in reason or "connection-terminated" in reason:
                raise TargetDied(msg("device disconnected ({reason})", reason=reason), self._now())
            raise TargetDied(msg("app process ended ({reason})", reason=reason), self._now(), self.package)

    # --- every process of the package (dynamic/processes.py) ------------------------------------
    def _open_gate(self) -> None:
        """Spawn gating for the whole run: zygote starts of `package:*` wait for the agent; other
        packages are resumed untouched."""
        if self.gate is not None:
            return
        from ..dynamic.processes import ProcessGate  # noqa: PLC0415

        def load(session, name, pid):
            return call_loader(self.agent_loader, session, self.ctx, self.package, name, pid)
        declared, note = declared_processes(self.opt.apk, self.package)
        if note:
            self._info.setdefault("warnings", []).append(note)
        self.gate = ProcessGate(self.frida, self.package, load, on_escaped=self._escaped, declared=declared,
                                on_gating_disabled=self._gating_off)
        self.gate.start(spawn_gating=True)

    def _escaped(self, name: str, pid: int, reason: str) -> None:
        from ..events import Event  # noqa: PLC0415
        self.ctx.emit(Event(seq=0, t_ms=round(self._now(), 3), source="hook", kind="incomplete",
                            extra={"reason": reason, "process": name, "pid": pid, "reason_kind": "process-not-instrumented"}))

    def _gating_off(self, reason: str) -> None:
        from ..events import Event  # noqa: PLC0415
        self.ctx.emit(Event(seq=0, t_ms=round(self._now(), 3), source="hook", kind="incomplete",
                            extra={"reason": reason, "reason_kind": "spawn-gating-disabled"}))

    def _poll_processes(self) -> None:
        if self.gate is not None:
            self.gate.poll()

    def _close_secondaries(self) -> None:
        """Force-stop ends every process of the app: flush and close their agent hosts."""
        if self.gate is None:
            return
        self.gate.settle(2.0)
        for p in list(self.gate.procs.values()):
            if p.origin == "main" or p.handle is None:
                continue
            try:
                if hasattr(p.handle, "close"):
                    p.handle.close()
                if p.session is not None:
                    p.session.detach()
            except Exception:  # noqa: BLE001 - a process already gone
                pass
            p.handle = None
        self.process_log.extend(self.gate.info())
        with self.gate._lock:
            self.gate.procs.clear()

    def _close_gate(self) -> None:
        if self.gate is not None:
            self._close_secondaries()
            self.gate.close()
            self.gate = None
