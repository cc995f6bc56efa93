"""Every device test gets an adb server port of its own (ANDROID_ADB_SERVER_PORT, as adb reads it): a server
another process runs on 5037 (a developer's, another test run's) neither changes what a test sees nor is
touched by it. A server a test leaves behind on its port is stopped afterwards."""
from __future__ import annotations

import socket

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def private_adb_port(monkeypatch):
    port = _free_port()
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    yield port
    from sdkgate.device.adb import server_running
    if server_running(port=port):
        import adbutils
        try:
            adbutils.AdbClient(host="127.0.0.1", port=port).server_kill()
        except Exception:  # noqa: BLE001 - gone already
            pass
