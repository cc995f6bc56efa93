"""Backend "device": a real phone or emulator, driven by the same scenario runner as the simulator.

adb (adbutils) installs, clears, grants, launches, kills, routes traffic (`adb reverse` + the
global `http_proxy` setting) and takes screenshots; uiautomator2 taps the consent / decline
controls and the system permission dialog; Frida spawns the app with the agent loaded before any
app code runs, then resumes it. Everything changed on the device is undone in `stop()`, which the
runner calls on success, failure and Ctrl-C, so a second run on the same device starts clean.

Real device identifiers never leave here in clear: `info()` gives them hashed with a per-run salt
(`id_salt`, which `write_bundle` reuses).
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..bundle.bundle import apk_info, salted_hash
from ..scenario.backend import (BackendUnavailable, RunContext, StepFailed, StepOutcome, TargetDied)
from ..dynamic.processes import call_loader
from .adb import DeviceGone, shell

REMOTE_APK = "/data/local/tmp/sdkgate-under-test.apk"
# system permission dialog controls (AOSP permission controller, older package installer, OEM skins)
PERM_ALLOW_IDS = ("com.android.permissioncontroller:id/permission_allow_button",
                  "com.android.permissioncontroller:id/permission_allow_foreground_only_button",
                  "com.android.packageinstaller:id/permission_allow_button")
PERM_DENY_IDS = ("com.android.permissioncontroller:id/permission_deny_button",
                 "com.android.permissioncontroller:id/permission_deny_and_dont_ask_again_button",
                 "com.android.packageinstaller:id/permission_deny_button")
PERM_ALLOW_TEXT = ("Allow", "While using the app", "Only this time", "允许", "始终允许", "仅在使用中允许", "仅使用期间允许")
PERM_DENY_TEXT = ("Don't allow", "Deny", "Don’t allow", "拒绝", "禁止", "不允许")

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


def agent_sha256() -> str | None:
    try:
        from ..dynamic.build import bundle_sha256  # noqa: PLC0415
        return bundle_sha256("device")
    except Exception:  # noqa: BLE001 - reported as missing by doctor
        return None


@dataclass
class DeviceOptions:
    serial: str | None = None
    apk: Path | None = None
    package: str | None = None                  # default: the APK's package, else the manifest's
    ui_timeout_s: float = 10.0                  # how long to look for a consent control
    start_check_s: float = 2.0                  # an app that dies this soon after launch "crashed at start"
    proxy_route: str = "reverse"                # reverse: adb reverse + http_proxy=127.0.0.1:P; settings: http_proxy=HOST:P
    proxy_host: str | None = None               # for proxy_route=settings (the host's LAN address)
    features: dict[str, dict[str, Any]] = field(default_factory=dict)  # feature -> {text|resource_id|activity|uri}
    frida_timeout_s: float = 5.0


class DeviceBackend:
    """The Backend protocol (sdkgate.scenario.backend) on a device reached through adb + frida-server."""

    name = "device"

    def __init__(self, options: DeviceOptions | None = None, *, adb_device=None, ui_device=None, frida_device=None,
                 agent_loader: AgentLoader | None = None, adb_server=None):
        self.opt = options or DeviceOptions()
        self.adb = adb_device
        self._ui = ui_device
        self.frida = frida_device
        self.agent_loader = agent_loader or default_agent_loader
        self.adb_server = adb_server
        self.ctx: RunContext | None = None
        self.package = self.opt.package
        self.salt = secrets.token_hex(16)
        self.pid: int | None = None
        self.session = None
        self.handle = None
        self._died: str | None = None
        self._lock = threading.RLock()
        self._info: dict[str, Any] = {}
        self._stopped = False
        self._undo: list[tuple[str, Callable[[], None]]] = []      # teardown, newest first
        self._shots = 0
        self._ui_used = False
        self._proxy_set = False
        self._reverse: str | None = None
        self._auto_time: str | None = None
        self._clock_advanced_ms = 0
        self.teardown_log: list[str] = []
        self.gate = None                            # dynamic.processes.ProcessGate (spawn + child gating)
        self.process_log: list[dict] = []

    # --- connections (real libraries unless stand-ins were injected) ------------------------
    def _connect_adb(self):
        if self.adb is None:
            from .adb import AdbServer
            self.adb_server = self.adb_server or AdbServer()
            client = self.adb_server.client
            if self.opt.serial and ":" in self.opt.serial:      # a device farm's remote adb endpoint
                try:
                    client.connect(self.opt.serial, timeout=10)
                except Exception as exc:  # noqa: BLE001
                    raise BackendUnavailable(f"adb connect {self.opt.serial} failed: {exc}") from None
            devices = client.device_list()
            if self.opt.serial:
                match = [d for d in devices if d.serial == self.opt.serial]
                if not match:
                    raise BackendUnavailable(f"device {self.opt.serial} not found by adb "
                                             f"(connected: {', '.join(d.serial for d in devices) or 'none'}); "
                                             "check `adb devices` or `adb connect HOST:PORT`")
                self.adb = match[0]
            elif len(devices) == 1:
                self.adb = devices[0]
            else:
                raise BackendUnavailable("no device connected: plug one in with USB debugging on, start an emulator, "
                                         "or `adb connect HOST:PORT`" if not devices else
                                         f"{len(devices)} devices connected: choose one with --device SERIAL")
        try:
            state = self.adb.get_state()
        except Exception as exc:  # noqa: BLE001
            raise BackendUnavailable(f"adb cannot reach the device: {exc}") from None
        if state != "device":
            raise BackendUnavailable(f"device state is {state!r} (need 'device'): unlock it and accept the "
                                     "USB debugging prompt")

    def _connect_frida(self):
        if self.frida is None:
            import frida
            try:
                self.frida = frida.get_device(self.adb.serial, timeout=self.opt.frida_timeout_s)
            except Exception as exc:  # noqa: BLE001 - frida.InvalidArgumentError, TimedOutError ...
                raise BackendUnavailable(f"frida cannot reach the device: {exc}") from None
        from .checks import frida_server_problem
        problem = frida_server_problem(self.adb, self.frida)
        if problem:
            raise BackendUnavailable(problem)

    @property
    def ui(self):
        if self._ui is None:
            import uiautomator2
            try:
                self._ui = uiautomator2.connect(self.adb.serial)
            except Exception as exc:  # noqa: BLE001
                raise StepFailed(f"uiautomator2 cannot drive the screen: {exc}") from None
        if not self._ui_used:
            self._ui_used = True
            self._undo.append(("stop uiautomator", self._stop_ui))
        return self._ui

    # --- Backend: setup -------------------------------------------------------------------------
    def start(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self._connect_adb()
        if self.opt.apk is not None and not Path(self.opt.apk).is_file():
            raise BackendUnavailable(f"{self.opt.apk}: APK not found")
        apk = apk_info(self.opt.apk) if self.opt.apk else None
        self.package = self.package or (apk or {}).get("package") or ctx.manifest.package
        self._connect_frida()
        props = {k: self._prop(p) for k, p in (("manufacturer", "ro.product.manufacturer"),
                                                 ("model", "ro.product.model"),
                                                 ("android_release", "ro.build.version.release"),
                                                 ("sdk", "ro.build.version.sdk"), ("abi", "ro.product.cpu.abi"),
                                                 ("build", "ro.build.fingerprint"))}
        ids = {"adb_serial": self.adb.serial, "serial": self._prop("ro.serialno")}
        try:
            ids["android_id"] = shell(self.adb, ["settings", "get", "secure", "android_id"]).strip()
        except DeviceGone as exc:
            raise BackendUnavailable(str(exc)) from None
        device = {"kind": "emulator" if (self.adb.serial or "").startswith("emulator-") or
                  props.get("model", "").startswith("sdk_gphone") else "android", **props}
        device["ids"] = {k: salted_hash(self.salt, v) for k, v in ids.items() if v and v != "null"}
        if ":" in (self.adb.serial or ""):
            device["remote_adb"] = True                   # device farm endpoint (host:port); the address is hashed
        self._info = {"device": device, "id_salt": self.salt, "package": self.package, "apk": apk,
                      "frida_server": getattr(self, "_frida_server_version", None)}
        if ctx.proxy is not None:
            self._route_proxy(ctx.proxy.port)
            self._setup_capture(ctx)
        self._plant_clipboard()

    def info(self) -> dict[str, Any]:
        out = dict(self._info)
        out.setdefault("agent_sha256", agent_sha256())
        if self.gate is not None or self.process_log:
            out["processes"] = self.process_log + (self.gate.info() if self.gate is not None else [])
        try:
            import frida
            out["frida_version"] = frida.__version__
        except ImportError:  # pragma: no cover
            pass
        return out

    # --- Backend: install state -----------------------------------------------------------------
    def fresh_install(self) -> StepOutcome:
        if self.opt.apk is None:
            raise StepFailed("fresh_install needs the APK (--apk)")
        self._kill_quietly()
        self._sh(["pm", "uninstall", self.package], check=False)
        try:
            self.adb.push(str(self.opt.apk), REMOTE_APK)
        except Exception as exc:  # noqa: BLE001
            self._gone_or(exc, f"push of the APK failed: {exc}")
        try:
            out = self._sh(["pm", "install", "-r", "-t", REMOTE_APK], check=False)
        finally:
            self._sh(["rm", "-f", REMOTE_APK], check=False)
        if "Success" not in out:
            raise StepFailed(f"pm install failed: {out.strip()[:300]}")
        return StepOutcome(detail=f"installed {self.package} (no runtime permissions granted)")

    def clear_data(self) -> StepOutcome:
        self._kill_quietly()
        out = self._sh(["pm", "clear", self.package], check=False)
        if "Success" not in out:
            raise StepFailed(f"pm clear failed: {out.strip()[:300]}")
        return StepOutcome(detail="app data cleared")

    # --- Backend: lifecycle ----------------------------------------------------------------
    def launch(self) -> StepOutcome:
        if self.pid is not None and self._died is None:
            self._sh(["monkey", "-p", self.package, "-c", "android.intent.category.LAUNCHER", "1"], check=False)
            return StepOutcome(detail="already running: brought to front")
        return self._spawn()

    def relaunch(self) -> StepOutcome:
        self._kill_quietly()
        return self._spawn()

    def kill(self) -> StepOutcome:
        t = self._now()
        self._kill_quietly()
        return StepOutcome(t_ms=t, detail="am force-stop")

    def background(self) -> StepOutcome:
        self._need_running("background")
        self._sh(["input", "keyevent", "KEYCODE_HOME"])
        return StepOutcome()

    def foreground(self) -> StepOutcome:
        self._need_running("foreground")
        self._sh(["monkey", "-p", self.package, "-c", "android.intent.category.LAUNCHER", "1"])
        return StepOutcome()

    def wait(self, ms: int) -> StepOutcome:
        end = time.monotonic() + ms / 1000.0
        while time.monotonic() < end:
            self._check_alive()
            time.sleep(min(0.1, max(0.0, end - time.monotonic())))
        self._check_alive()
        self._poll_processes()
        return StepOutcome()

    def advance_clock(self, ms: int) -> StepOutcome:
        """Needs root (an emulator's `adb root`, or `su`): Android lets only the system set the clock."""
        now_s = int(self._sh(["date", "+%s"]).strip() or "0")
        target = now_s + ms // 1000
        if self._auto_time is None:
            self._auto_time = self._sh(["settings", "get", "global", "auto_time"], check=False).strip() or "1"
            self._undo.append(("restore auto_time", self._restore_clock))
        self._sh(["settings", "put", "global", "auto_time", "0"], check=False)
        for cmd in (["date", "-u", f"@{target}"], ["su", "0", "date", "-u", f"@{target}"]):
            self._sh(cmd, check=False)
            got = int(self._sh(["date", "+%s"]).strip() or "0")
            if got >= target - 5:
                self._clock_advanced_ms += ms
                self._sh(["am", "broadcast", "-a", "android.intent.action.TIME_SET"], check=False)
                return StepOutcome(detail=f"device clock +{ms} ms")
        raise StepFailed("cannot move the device clock: setting the time needs root "
                         "(an emulator with `adb root`, or a rooted phone with su)")

    # --- Backend: user actions -------------------------------------------------------------
    def consent(self, action: str, scope: str) -> StepOutcome:
        self._need_running("consent")
        c = self.ctx.manifest.consent
        rid, texts = {"accept": (c.accept_id, c.accept_text), "decline": (c.decline_id, c.decline_text),
                      "withdraw": (None, c.withdraw_text)}[action]
        before = self._screenshot(f"consent-{action}")
        el, how = self._find(rid, texts, self.opt.ui_timeout_s)
        if el is None:
            self._check_alive()
            tried = ([f"resource id {rid}"] if rid else []) + [f"text {t!r}" for t in texts]
            return StepOutcome(ok=False, detail=f"consent control for {action!r} never found (tried {', '.join(tried)}); "
                               f"see {before}", data={"screenshot": before} if before else {})
        try:
            el.click()
        except Exception as exc:  # noqa: BLE001
            self._gone_or(exc, f"tap on {how} failed: {exc}")
        t = self._now()                         # the tap has landed when click() returns
        return StepOutcome(t_ms=t, detail=f"tapped {how}", data={"screenshot": before} if before else {})

    def permission(self, decision: str, permission: str) -> StepOutcome:
        ids, texts = (PERM_ALLOW_IDS, PERM_ALLOW_TEXT) if decision == "grant" else (PERM_DENY_IDS, PERM_DENY_TEXT)
        result = "granted" if decision == "grant" else "denied"
        el, how = (None, "")
        if self.pid is not None and self._died is None:
            el, how = self._find_any([(i, None) for i in ids] + [(None, t) for t in texts], 1.5)
        if el is not None:
            shot = self._screenshot("permission")
            el.click()
            return StepOutcome(t_ms=self._now(), results={permission: result}, detail=f"tapped {how} in the system dialog",
                               data={"screenshot": shot} if shot else {})
        # no dialog showing: set the answer the app's next request will get
        out = self._sh(["pm", "grant" if decision == "grant" else "revoke", self.package, permission], check=False)
        if out.strip() and ("Exception" in out or "Error" in out):
            raise StepFailed(f"pm {decision} {permission}: {out.strip()[:300]}")
        return StepOutcome(t_ms=self._now(), results={permission: result},
                           detail=f"no dialog showing: pm {'grant' if decision == 'grant' else 'revoke'} {permission}")

    def open_feature(self, feature: str) -> StepOutcome:
        self._need_running("open_feature")
        route = self.opt.features.get(feature)
        if not route:
            return StepOutcome(ok=False, detail=f"no UI route for feature {feature!r} on a device: give it in the "
                               "--ui file (features: {name: {text|resource_id|activity|uri: ...}})")
        if route.get("activity"):
            self._sh(["am", "start", "-n", route["activity"]])
        elif route.get("uri"):
            self._sh(["am", "start", "-a", "android.intent.action.VIEW", "-d", route["uri"], self.package])
        else:
            texts = route.get("text") or ()
            el, how = self._find(route.get("resource_id"), (texts,) if isinstance(texts, str) else tuple(texts),
                                 self.opt.ui_timeout_s)
            if el is None:
                shot = self._screenshot(f"feature-{feature}")
                return StepOutcome(ok=False, detail=f"control for feature {feature!r} never found; see {shot}",
                                   data={"screenshot": shot} if shot else {})
            el.click()
        return StepOutcome(t_ms=self._now())

    # --- Backend: teardown ---------------------------------------------------------------------
    def stop(self) -> None:
        """Undo everything, newest first; each undo runs even if an earlier one fails. Idempotent."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            steps = [("check the process list", self._poll_processes), ("detach frida session", self._detach),
                     ("end spawn gating", self._close_gate)]
            if self.pid is not None:
                steps.append(("force-stop the app", lambda: self._sh(["am", "force-stop", self.package], check=False)))
            steps += list(reversed(self._undo))
            for what, fn in steps:
                try:
                    fn()
                    self.teardown_log.append(f"ok: {what}")
                except BaseException as exc:  # noqa: BLE001 - teardown always goes on, even on Ctrl-C
                    self.teardown_log.append(f"failed: {what}: {exc}")
            self._undo.clear()
            if self.adb_server is not None:
                try:
                    self.adb_server.close()
                except Exception:  # noqa: BLE001
                    pass

    # --- helpers ---------------------------------------------------------------------------------
    def _now(self) -> float:
        return self.ctx.clock.now_ms() if self.ctx else 0.0

    def _sh(self, args: list[str], check: bool = True) -> str:
        try:
            return shell(self.adb, args)
        except DeviceGone as exc:
            raise TargetDied(f"device disconnected: {exc}", self._now()) from None
        except Exception as exc:  # noqa: BLE001 - adb said no
            if check:
                raise StepFailed(f"{' '.join(args)}: {exc}") from None
            return str(exc)

    def _gone_or(self, exc: BaseException, detail: str):
        from .adb import _is_gone
        if _is_gone(exc):
            raise TargetDied(f"device disconnected: {exc}", self._now()) from None
        raise StepFailed(detail) from None

    def _prop(self, name: str) -> str:
        try:
            return (self.adb.getprop(name) or "").strip()
        except Exception:  # noqa: BLE001
            return ""

    def _route_proxy(self, port: int) -> None:
        prev = self._sh(["settings", "get", "global", "http_proxy"], check=False).strip()
        if self.opt.proxy_route == "settings":
            if not self.opt.proxy_host:
                raise BackendUnavailable("proxy_route=settings needs the host address the device can reach")
            target = f"{self.opt.proxy_host}:{port}"
        else:
            try:
                self.adb.reverse(f"tcp:{port}", f"tcp:{port}")
            except Exception as exc:  # noqa: BLE001
                raise BackendUnavailable(f"adb reverse tcp:{port} failed: {exc}") from None
            self._reverse = f"tcp:{port}"
            self._undo.append((f"adb reverse --remove tcp:{port}", self._remove_reverse))
            target = f"127.0.0.1:{port}"
        self._undo.append(("restore http_proxy", lambda: self._restore_proxy(prev)))
        self._sh(["settings", "put", "global", "http_proxy", target])
        self._proxy_set = True

    def _restore_proxy(self, prev: str) -> None:
        value = prev if prev and prev not in ("null", ":0") else ":0"
        shell(self.adb, ["settings", "put", "global", "http_proxy", value])
        if value == ":0":
            shell(self.adb, ["settings", "delete", "global", "http_proxy"])

    def _setup_capture(self, ctx) -> None:
        """--capture wireguard: push the client config and bring the tunnel up (device/capture.py).
        --capture transparent: the uid routing rules are recorded (applied by the operator as root)."""
        mode = getattr(self, "capture", "proxy")
        if mode == "transparent":
            from .capture import EMULATOR_HOST, transparent_rules
            rules = transparent_rules("APP_UID", self.opt.proxy_host or EMULATOR_HOST)   # type: ignore[arg-type]
            self._info["capture"] = ["transparent: on the device as root (APP_UID = the app's uid): " + "; ".join(rules)]
            return
        if mode != "wireguard":
            return
        from .capture import EMULATOR_HOST, setup_wireguard, wireguard_commands
        wg = next((x for x in (ctx.options.get("capture") or {}).get("listeners", []) if x.get("type") == "wireguard"),
                  None)
        if wg is None:
            raise BackendUnavailable("--capture wireguard: the proxy has no WireGuard listener")
        try:
            notes = setup_wireguard(lambda a: self._sh(a), self.adb.sync.push, ctx.proxy.ca_path.parent,
                                    self.opt.proxy_host or EMULATOR_HOST, int(wg["port"]), ctx.out_dir)
        except Exception as exc:  # noqa: BLE001 - any failure here means the capture mode cannot be used
            raise BackendUnavailable(f"--capture wireguard could not be set up: {exc} (see `sdkgate doctor`)") from None
        self._info["capture"] = notes
        self._undo.append(("WireGuard tunnel down", lambda: self._sh(wireguard_commands()["down"], check=False)))

    def _remove_reverse(self) -> None:
        if self._reverse:
            self.adb.reverse_remove(self._reverse)
            self._reverse = None

    def _restore_clock(self) -> None:
        if self._clock_advanced_ms:
            import time as _t
            now = int(_t.time())
            for cmd in (["date", "-u", f"@{now}"], ["su", "0", "date", "-u", f"@{now}"]):
                shell(self.adb, cmd)
                if abs(int(shell(self.adb, ["date", "+%s"]).strip() or "0") - now) < 60:
                    break
            self._clock_advanced_ms = 0
        shell(self.adb, ["settings", "put", "global", "auto_time", self._auto_time or "1"])

    def _plant_clipboard(self) -> None:
        value = (self.ctx.canaries if self.ctx else {}).get("clipboard")
        if not value:
            return
        try:
            ui = self.ui
            setter = getattr(ui, "set_clipboard", None)
            if setter is not None:
                setter(value)
            else:
                ui.clipboard = value
            self._info["clipboard_planted"] = True
            self._undo.append(("clear the clipboard", lambda: self._clear_clipboard()))
        except Exception as exc:  # noqa: BLE001 - the agent still plants it in the app
            self._info["clipboard_planted"] = False
            self._info.setdefault("warnings", []).append(f"could not plant the clipboard canary on the device: {exc}")

    def _clear_clipboard(self) -> None:
        setter = getattr(self._ui, "set_clipboard", None)
        if setter is not None:
            setter("")

    def _stop_ui(self) -> None:
        if self._ui is not None and hasattr(self._ui, "stop_uiautomator"):
            self._ui.stop_uiautomator()

    def _spawn(self) -> StepOutcome:
        self._died = None
        self._open_gate()
        self.gate.begin_main_spawn()
        try:
            pid = self.frida.spawn([self.package])
            self.gate.claim(pid)
        except Exception as exc:  # noqa: BLE001 - frida.ExecutableNotFoundError, NotSupportedError ...
            self.gate.claim(None)
            from .adb import _is_gone
            if _is_gone(exc) or "device" in str(exc).lower() and "lost" in str(exc).lower():
                raise TargetDied(f"device disconnected: {exc}", self._now()) from None
            raise StepFailed(f"frida could not spawn {self.package}: {exc}") from None
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
            raise StepFailed(f"agent could not be loaded into {self.package}: {exc}") from None
        t = self._now()
        self.frida.resume(pid)
        # an app that crashes at start: dead within the first moments
        end = time.monotonic() + self.opt.start_check_s
        while time.monotonic() < end and self._died is None:
            time.sleep(0.05)
        if self._died is not None:
            shot = self._screenshot("crash")
            raise TargetDied(f"app died right after launch ({self._died})" + (f"; see {shot}" if shot else ""), self._now())
        self._poll_processes()
        return StepOutcome(t_ms=t, detail=f"spawned pid {pid} with the agent loaded before app code")

    def attach_running(self) -> StepOutcome:
        """`run --attach`: load the agent into the app's running main process. What ran before the attach is
        not seen; the explore mode records that as an incomplete reason."""
        pids = [p for p in self._sh(["pidof", self.package], check=False).split() if p.isdigit()]
        if not pids:
            raise StepFailed(f"{self.package} is not running on the device: start it first, or run without --attach")
        self._died = None
        self.pid = int(pids[0])
        try:
            self.session = self.frida.attach(self.pid)
            self.session.on("detached", self._on_detached)
            self.handle = self.agent_loader(self.session, self.ctx, self.package, process=self.package, pid=self.pid)
        except Exception as exc:  # noqa: BLE001 - frida refused (no root, process gone)
            self.pid = None
            raise StepFailed(f"could not attach to {self.package} (pid {pids[0]}): {exc}") from None
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
            raise StepFailed(f"{what}: the app is not running (launch it first)")
        self._check_alive()

    def _check_alive(self) -> None:
        if self._died is not None and self.pid is not None:
            reason = self._died
            self.pid = None
            if "device-lost" in reason or "connection-terminated" in reason:
                raise TargetDied(f"device disconnected ({reason})", self._now())
            raise TargetDied(f"app process ended ({reason})", self._now(), self.package)

    def _find(self, rid: str | None, texts, timeout: float):
        sels = ([(rid, None)] if rid else []) + [(None, t) for t in texts]
        return self._find_any(sels, timeout)

    def _find_any(self, selectors: list[tuple[str | None, str | None]], timeout: float):
        """First selector whose element exists within `timeout` seconds: (element, description)."""
        ui = self.ui
        end = time.monotonic() + timeout
        while True:
            for rid, text in selectors:
                try:
                    el = ui(resourceId=rid) if rid else ui(text=text)
                    if el.exists:
                        return el, (f"resource id {rid}" if rid else f"text {text!r}")
                except Exception as exc:  # noqa: BLE001
                    self._gone_or(exc, f"uiautomator2: {exc}")
            if time.monotonic() >= end:
                return None, ""
            self._check_alive()
            time.sleep(0.25)

    def _screenshot(self, what: str) -> str | None:
        """Save a screenshot into the evidence folder; returns its path relative to the folder."""
        if self.ctx is None:
            return None
        self._shots += 1
        rel = f"screenshots/{self._shots:03d}-{what}.png"
        path = self.ctx.out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            img = self.adb.screenshot()
            img.save(str(path), format="PNG")
        except Exception:  # noqa: BLE001 - try uiautomator2's way before giving up
            try:
                self.ui.screenshot(str(path))
            except Exception:  # noqa: BLE001
                return None
        return rel if path.is_file() else None

    # --- every process of the package (dynamic/processes.py) ------------------------------------
    def _open_gate(self) -> None:
        """Spawn gating for the whole run: zygote starts of `package:*` wait for the agent; other
        packages are resumed untouched."""
        if self.gate is not None:
            return
        from ..dynamic.processes import ProcessGate  # noqa: PLC0415

        def load(session, name, pid):
            return call_loader(self.agent_loader, session, self.ctx, self.package, name, pid)
        self.gate = ProcessGate(self.frida, self.package, load, on_escaped=self._escaped)
        self.gate.start(spawn_gating=True)

    def _escaped(self, name: str, pid: int, reason: str) -> None:
        from ..events import Event  # noqa: PLC0415
        self.ctx.emit(Event(seq=0, t_ms=round(self._now(), 3), source="hook", kind="incomplete",
                            extra={"reason": reason, "process": name, "pid": pid}))

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
