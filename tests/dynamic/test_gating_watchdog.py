"""Spawn gating under Frida's watchdog (issue 28 §3): every new process is configured on its own worker and
resumed as soon as its agent is ready; frida-server's watchdog (gating off after ~8 s unresumed, modelled by
dynamic/watchdog.py on an injected clock: no real sleeps) makes the run incomplete naming the held processes,
and the resume Frida already did is not an escape; global android:process names are the app's processes."""
from __future__ import annotations

import threading
from types import SimpleNamespace

from lxml import etree

from sdkgate.device.gating import declared_processes
from sdkgate.dynamic.processes import ProcessGate
from sdkgate.dynamic.watchdog import DeviceTime, GatingWatchdog
from sdkgate.static.manifest_xml import manifest_from_root

PKG = "com.example.recruit"
GUARD_S = 20.0        # failure guard only: a correct gate gets there at once


class Device:
    """A frida.core.Device at the boundary the gate uses (signals, attach, resume, process list)."""

    def __init__(self):
        self.listeners: dict[str, list] = {}
        self.calls: list[tuple] = []
        self.processes: list = []
        self.cond = threading.Condition()
        self.pending: set[int] = set()
        self.next_pid = 5000

    def on(self, sig, cb):
        self.listeners.setdefault(sig, []).append(cb)

    def off(self, sig, cb):
        self.listeners.get(sig, []).remove(cb)

    def enable_spawn_gating(self):
        self.calls.append(("enable_spawn_gating",))

    def disable_spawn_gating(self):
        self.calls.append(("disable_spawn_gating",))

    def announce(self, name: str) -> int:
        self.next_pid += 1
        pid = self.next_pid
        self.pending.add(pid)
        self.processes.append(SimpleNamespace(pid=pid, name=name))
        for cb in list(self.listeners.get("spawn-added", [])):
            cb(SimpleNamespace(pid=pid, identifier=name))
        return pid

    def attach(self, pid):
        self.calls.append(("attach", pid))
        return SimpleNamespace(pid=pid, enable_child_gating=lambda: None, detach=lambda: None)

    def resume(self, pid):
        with self.cond:
            if pid not in self.pending:
                raise RuntimeError(f"unable to find process with pid {pid}")
            self.pending.discard(pid)
            self.calls.append(("resume", pid))
            self.cond.notify_all()

    def enumerate_processes(self):
        return list(self.processes)

    def resumed(self, pid) -> bool:
        return ("resume", pid) in self.calls

    def wait_resumed(self, pid) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: self.resumed(pid), GUARD_S)


def _gate(device, loader, **kw):
    escaped, off = [], []
    gate = ProcessGate(device, PKG, lambda session, name, pid: loader(name, pid),
                       on_escaped=lambda n, p, r: escaped.append((n, p, r)), on_gating_disabled=off.append, **kw)
    gate.start(spawn_gating=True)
    return gate, escaped, off


def test_a_slow_agent_load_never_holds_another_process():
    dev = Device()
    release = threading.Event()

    def loader(name, pid):
        if name.endswith(":pushcore"):
            assert release.wait(GUARD_S)
        return object()

    gate, escaped, _ = _gate(dev, loader)
    slow = dev.announce(f"{PKG}:pushcore")
    fast = dev.announce(f"{PKG}:channel")
    try:
        assert dev.wait_resumed(fast)               # resumed as soon as its own agent is configured
        assert not dev.resumed(slow)
    finally:
        release.set()
    assert gate.settle(GUARD_S) and dev.resumed(slow) and not escaped
    gate.close()


def test_frida_s_watchdog_makes_the_run_incomplete_and_its_resume_is_no_escape():
    clock = DeviceTime()
    dev = Device()
    wd = GatingWatchdog(dev, clock)

    def slow_configure(name, pid):
        clock.advance(9.0)                          # a configure past frida-server's ~8 s limit
        return object()

    gate, escaped, off = _gate(wd, slow_configure, clock=clock)
    pid = wd.device.announce(f"{PKG}:pushcore")
    assert gate.settle(GUARD_S)
    assert wd.fired == ["watchdog-timeout"] and dev.resumed(pid)            # Frida resumed it, not us
    assert len(off) == 1 and "watchdog-timeout" in off[0] and f"{PKG}:pushcore (pid {pid})" in off[0]
    assert not escaped                                                      # its agent is in place
    p = gate.procs[pid]
    assert p.instrumented and p.resumed_by_frida
    assert dev.calls.count(("enable_spawn_gating",)) == 2                   # gating switched on again
    gate.close()


def test_a_configure_within_the_limit_is_resumed_by_the_gate_with_its_held_time():
    clock = DeviceTime()
    dev = Device()
    wd = GatingWatchdog(dev, clock)

    def configure(name, pid):
        clock.advance(1.5)
        return object()

    gate, escaped, off = _gate(wd, configure, clock=clock)
    pid = wd.device.announce(f"{PKG}:pushcore")
    assert gate.settle(GUARD_S)
    assert not off and not escaped and not wd.fired
    assert gate.procs[pid].held_ms == 1500.0 and not gate.procs[pid].resumed_by_frida
    gate.close()


def test_a_global_process_name_of_the_manifest_is_gated_and_checked():
    dev = Device()
    loads = []
    gate, escaped, _ = _gate(dev, lambda name, pid: loads.append(name) or object(), declared={"com.tencent.push.service"})
    pid = dev.announce("com.tencent.push.service")
    other = dev.announce("com.tencent.mm")
    assert gate.settle(GUARD_S)
    assert loads == ["com.tencent.push.service"] and ("attach", pid) in dev.calls
    assert dev.resumed(other) and ("attach", other) not in dev.calls
    dev.processes.append(SimpleNamespace(pid=9100, name="com.tencent.push.service"))   # started outside gating
    gate.poll()
    assert [(n, p) for n, p, _ in escaped] == [("com.tencent.push.service", 9100)]
    gate.close()


def test_the_manifest_names_its_processes():
    a = "http://schemas.android.com/apk/res/android"
    root = etree.fromstring(
        f'<manifest xmlns:android="{a}" package="{PKG}"><application android:name=".App">'
        f'<service android:name=".Push" android:process=":pushcore"/>'
        f'<service android:name="com.tencent.android.tpush.XGPushService" android:process="com.tencent.push.service"/>'
        f'<receiver android:name=".R"/></application></manifest>')
    assert manifest_from_root(root).process_names() == {f"{PKG}:pushcore", "com.tencent.push.service"}
    declared, note = declared_processes(None, PKG)
    assert declared == set() and "global android:process" in note


def test_doctor_names_the_supported_frida_range():
    from sdkgate.device.checks import host_checks, unsupported_frida, version_problem
    assert unsupported_frida("17.10.3") and unsupported_frida("18.0.0") and not unsupported_frida("17.26.2")
    msg = version_problem("17.10.3", "/data/local/tmp/frida-server (running)")
    assert ">=17.16,<18" in msg and "spawn-gating-disabled" in msg
    frida = next(c for c in host_checks() if c.name == "python: frida")
    assert frida.status == "ok" and ">=17.16,<18" in frida.detail


def test_the_apks_manifest_is_read_for_global_process_names():
    from pathlib import Path
    apk = Path(__file__).resolve().parents[1] / "fixtures" / "apks" / "recruit-compliant.apk"
    assert declared_processes(apk, PKG) == (set(), None)            # an app with no android:process at all
    declared, note = declared_processes(apk.with_name("missing.apk"), PKG)
    assert declared == set() and "could not be read" in note
