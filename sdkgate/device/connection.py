"""The device backend's connections: adb (adbutils), Frida and uiautomator2, the adb shell, and the
screen (element lookup, screenshots). Real libraries unless stand-ins were injected (tests/device/fakes.py)."""
from __future__ import annotations

import time

from ..scenario.backend import BackendUnavailable, StepFailed, TargetDied
from .adb import DeviceGone, shell
from ..i18n import msg


class DeviceConnection:
    """Mixin of DeviceBackend: reaching the device and talking to it (state lives on the backend)."""

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
                raise StepFailed(msg("uiautomator2 cannot drive the screen: {error}", error=str(exc))) from None
        if not self._ui_used:
            self._ui_used = True
            self._undo.append(("stop uiautomator", self._stop_ui))
        return self._ui


    def _now(self) -> float:
        return self.ctx.clock.now_ms() if self.ctx else 0.0

    def _sh(self, args: list[str], check: bool = True) -> str:
        try:
            return shell(self.adb, args)
        except DeviceGone as exc:
            raise TargetDied(msg("device disconnected: {error}", error=str(exc)), self._now()) from None
        except Exception as exc:  # noqa: BLE001 - adb said no
            if check:
                raise StepFailed(f"{' '.join(args)}: {exc}") from None
            return str(exc)

    def _gone_or(self, exc: BaseException, detail: str):
        from .adb import _is_gone
        if _is_gone(exc):
            raise TargetDied(msg("device disconnected: {error}", error=str(exc)), self._now()) from None
        raise StepFailed(detail) from None

    def _prop(self, name: str) -> str:
        try:
            return (self.adb.getprop(name) or "").strip()
        except Exception:  # noqa: BLE001
            return ""


    def _stop_ui(self) -> None:
        if self._ui is not None and hasattr(self._ui, "stop_uiautomator"):
            self._ui.stop_uiautomator()

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
