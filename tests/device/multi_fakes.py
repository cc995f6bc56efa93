"""Picklable stand-ins for `run --devices` (they travel to Dask worker processes): a DeviceBackend on the
fakes of tests/device/fakes.py for the job's serial, and a per-worker survey of 'attached' phones."""
from __future__ import annotations

from pathlib import Path

from sdkgate.device.backend import DeviceBackend, DeviceOptions
from tests.device.fakes import PKG, FakeAdbDevice, FakeFridaDevice, FakeUiDevice, RecordingLoader

AGREE = ("resourceId", "com.example.recruit:id/btn_agree")
BROKEN = "emulator-5558"          # its frida-server is too old: the backend cannot start on it


def fake_backend(job):
    adb = FakeAdbDevice(frida_server="16.5.9" if job.serial == BROKEN else "17.26.2")
    adb.serial = job.serial
    adb.props = {**adb.props, "ro.serialno": f"SER-{job.serial}"}
    return DeviceBackend(DeviceOptions(serial=job.serial, apk=Path(job.apk), package=PKG, ui_timeout_s=0.3,
                                       start_check_s=0.2),
                         adb_device=adb, ui_device=FakeUiDevice(visible={AGREE}), frida_device=FakeFridaDevice(),
                         agent_loader=RecordingLoader())


def survey_by_worker_name(dask_worker=None) -> list[str]:
    """Worker 0's host 'has' emulator-5554, worker 1's has emulator-5556."""
    return {0: ["emulator-5554"], 1: ["emulator-5556"]}.get(dask_worker.name, [])
