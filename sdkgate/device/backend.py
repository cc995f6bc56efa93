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
from ..scenario.backend import BackendUnavailable, RunContext, StepFailed, StepOutcome
from .adb import DeviceGone, shell
from .capture import CaptureSetup
from .connection import DeviceConnection
from .gating import AgentLoader, HostHandle, ProcessControl, default_agent_loader  # noqa: F401 - re-exported
from ..i18n import msg

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


class DeviceBackend(DeviceConnection, CaptureSetup, ProcessControl):
    """The Backend protocol (sdkgate.scenario.backend) on a device reached through adb + frida-server. Reaching the
    device: connection.py; traffic routing and the clipboard canary: capture.py; the app's processes: gating.py."""

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
            raise StepFailed(msg("fresh_install needs the APK (--apk)"))
        self._kill_quietly()
        self._sh(["pm", "uninstall", self.package], check=False)
        try:
            self.adb.push(str(self.opt.apk), REMOTE_APK)
        except Exception as exc:  # noqa: BLE001
            self._gone_or(exc, msg("push of the APK failed: {error}", error=str(exc)))
        try:
            out = self._sh(["pm", "install", "-r", "-t", REMOTE_APK], check=False)
        finally:
            self._sh(["rm", "-f", REMOTE_APK], check=False)
        if "Success" not in out:
            raise StepFailed(msg("pm install failed: {output}", output=out.strip()[:300]))
        return StepOutcome(detail=f"installed {self.package} (no runtime permissions granted)")

    def clear_data(self) -> StepOutcome:
        self._kill_quietly()
        out = self._sh(["pm", "clear", self.package], check=False)
        if "Success" not in out:
            raise StepFailed(msg("pm clear failed: {output}", output=out.strip()[:300]))
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
        raise StepFailed(msg("cannot move the device clock: setting the time needs root "
                             "(an emulator with `adb root`, or a rooted phone with su)"))

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
            tried = ([msg("resource id {id}", id=rid)] if rid else []) + [msg("text {text}", text=repr(t)) for t in texts]
            return StepOutcome(ok=False, detail=msg("consent control for {action} never found (tried {tried}); see {shot}",
                                                    action=repr(action), tried=tried, shot=str(before)),
                               data={"screenshot": before} if before else {})
        try:
            el.click()
        except Exception as exc:  # noqa: BLE001
            self._gone_or(exc, msg("tap on {control} failed: {error}", control=str(how), error=str(exc)))
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
            raise StepFailed(": ".join((f"pm {decision} {permission}", out.strip()[:300])))
        return StepOutcome(t_ms=self._now(), results={permission: result},
                           detail=f"no dialog showing: pm {'grant' if decision == 'grant' else 'revoke'} {permission}")

    def open_feature(self, feature: str) -> StepOutcome:
        self._need_running("open_feature")
        route = self.opt.features.get(feature)
        if not route:
            return StepOutcome(ok=False, detail=msg("no UI route for feature {feature} on a device: give it in the --ui "
                                                    "file (features: {{name: {{text|resource_id|activity|uri: ...}}}})",
                                                    feature=repr(feature)))
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
                return StepOutcome(ok=False, detail=msg("control for feature {feature} never found; see {shot}",
                                                        feature=repr(feature), shot=str(shot)),
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
