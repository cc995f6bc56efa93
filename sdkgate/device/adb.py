"""adb through adbutils (its bundled adb binary): one place that knows the server it starts and stops it.

adbutils starts an adb server on tcp:5037 that outlives Python; whoever starts it here stops it. The port
is adb's own setting, ANDROID_ADB_SERVER_PORT (default 5037), read when used: a CI job (or a test) can keep
its own server apart from one that is already running.
"""
from __future__ import annotations

import os
import shlex
import socket
from dataclasses import dataclass, field
from typing import Any

ADB_PORT = 5037


def adb_port() -> int:
    """The adb server port: ANDROID_ADB_SERVER_PORT as adb itself reads it, else 5037."""
    try:
        return int(os.environ.get("ANDROID_ADB_SERVER_PORT") or ADB_PORT)
    except ValueError:
        return ADB_PORT


class DeviceGone(Exception):
    """The device disconnected (or went offline) while we talked to it."""


def server_running(host: str = "127.0.0.1", port: int | None = None) -> bool:
    try:
        with socket.create_connection((host, port or adb_port()), timeout=0.3):
            return True
    except OSError:
        return False


@dataclass
class AdbServer:
    """Use the adb server; if this process started it, `close()` kills it again."""
    started_here: bool = False
    _client: Any = field(default=None, repr=False)

    @property
    def client(self):
        if self._client is None:
            import adbutils
            was_running = server_running()
            self._client = adbutils.AdbClient(host="127.0.0.1", port=adb_port())
            self._client.server_version()       # starts the server when none runs
            self.started_here = not was_running
        return self._client

    def close(self) -> None:
        if self._client is not None and self.started_here:
            try:
                self._client.server_kill()
            except Exception:  # noqa: BLE001 - a dead server is what we want anyway
                pass
            self.started_here = False
        self._client = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _is_gone(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("not found", "offline", "device unauthorized", "closed", "connection reset",
                                   "broken pipe", "no devices", "connection refused", "eof"))


def shell(dev, args: list[str] | str, timeout: float = 60) -> str:
    """One shell command (argument list, quoted for the device shell); adb trouble -> DeviceGone."""
    cmd = args if isinstance(args, str) else " ".join(shlex.quote(a) for a in args)
    try:
        out = dev.shell(cmd, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - adbutils raises AdbError / AdbTimeout / OSError
        if _is_gone(exc) or isinstance(exc, (OSError, ConnectionError)):
            raise DeviceGone(f"adb: {exc}") from None
        raise
    return out if isinstance(out, str) else str(out)
