"""Every process of the package under the agent before it runs (spawn gating), on the device backend
with the fakes at the frida boundary: order of attach / agent load / resume, other packages left
alone, and a process that escaped instrumentation making the run incomplete."""
from __future__ import annotations

from sdkgate.rules import evaluate
from tests.device.fakes import PKG, FakeFridaDevice, FakeProcess
from tests.device.test_device_backend import context, make, manifest, apk  # noqa: F401 - fixtures


def _start(tmp_path, manifest, apk, frida=None):  # noqa: F811
    frida = frida or FakeFridaDevice()
    be, adb, ui, frida, loader = make(apk, frida=frida)
    loader.log = frida.calls                     # one ordered log: frida calls and agent loads
    events: list = []
    be.start(context(tmp_path, manifest, events, proxy=False))
    be.launch()
    return be, frida, loader, events


def test_every_package_process_gets_the_agent_before_it_resumes(tmp_path, manifest, apk):  # noqa: F811
    be, frida, loader, events = _start(tmp_path, manifest, apk)
    assert frida.calls[0] == ("enable_spawn_gating",)
    push = frida.announce(f"{PKG}:pushcore")
    other = frida.announce("com.tencent.mm")
    remote = frida.announce(f"{PKG}:remote")
    assert be.gate.settle(5.0)
    for pid in (push, remote):
        i_attach, i_load, i_resume = (frida.calls.index(("attach", pid)), frida.calls.index(("load", pid)),
                                      frida.calls.index(("resume", pid)))
        assert i_attach < i_load < i_resume                      # agent loaded while still suspended
    assert (push, f"{PKG}:pushcore") in loader.processes and (remote, f"{PKG}:remote") in loader.processes
    assert ("resume", other) in frida.calls                      # another package: resumed untouched
    assert ("attach", other) not in frida.calls and ("load", other) not in frida.calls
    sessions = {s.pid: s for s in frida.sessions}
    assert sessions[push].child_gating and sessions[remote].child_gating   # their forks/execs are caught too
    be.wait(1)
    assert not [e for e in events if e.kind == "incomplete"]
    assert [pid for pid, _ in loader.loads].count(4242) == 1      # the main spawn, announced too, got one agent
    procs = {p["name"]: p for p in be.info()["processes"]}
    assert procs[f"{PKG}:pushcore"]["instrumented"] and procs["com.tencent.mm"].get("other_package")
    be.stop()
    assert ("disable_spawn_gating",) in frida.calls
    assert all(s.detached for s in frida.sessions)


def test_a_package_process_seen_without_the_agent_makes_the_run_incomplete(tmp_path, manifest, apk):  # noqa: F811
    be, frida, loader, events = _start(tmp_path, manifest, apk)
    frida.processes.append(FakeProcess(9001, f"{PKG}:channel"))    # started outside spawn gating
    frida.processes.append(FakeProcess(9002, "com.other.app:push"))
    be.wait(1)
    inc = [e for e in events if e.kind == "incomplete"]
    assert len(inc) == 1 and inc[0].get("process") == f"{PKG}:channel" and inc[0].get("pid") == 9001
    be.wait(1)
    assert len([e for e in events if e.kind == "incomplete"]) == 1      # reported once
    be.stop()
    events.sort(key=lambda e: e.t_ms)
    rep = evaluate(events, manifest)
    assert rep.verdict == "incomplete"
    assert any(f"{PKG}:channel" in r and "without the agent" in r for r in rep.incomplete)


def test_a_process_that_cannot_be_instrumented_is_named(tmp_path, manifest, apk):  # noqa: F811
    frida = FakeFridaDevice(attach_fails={4243})
    be, frida, loader, events = _start(tmp_path, manifest, apk, frida)
    pid = frida.announce(f"{PKG}:pushcore")
    assert pid == 4243 and be.gate.settle(5.0)
    assert ("resume", pid) in frida.calls and ("load", pid) not in frida.calls
    inc = [e for e in events if e.kind == "incomplete"]
    assert len(inc) == 1 and inc[0].get("process") == f"{PKG}:pushcore"
    assert "could not be instrumented" in inc[0].get("reason")
    be.stop()


def test_frida_turning_gating_off_makes_the_device_run_incomplete_and_gating_comes_back(tmp_path, manifest, apk):  # noqa: F811
    be, frida, loader, events = _start(tmp_path, manifest, apk)
    for cb in list(frida.handlers.get("spawn-gating-disabled", [])):
        cb("watchdog-timeout")                       # frida-server's watchdog (Frida >= 17.16)
    be.wait(1)
    off = [e for e in events if e.kind == "incomplete" and e.get("reason_kind") == "spawn-gating-disabled"]
    assert len(off) == 1 and "watchdog-timeout" in off[0].get("reason")
    assert frida.calls.count(("enable_spawn_gating",)) == 2
    be.stop()
    events.sort(key=lambda e: e.t_ms)
    rep = evaluate(events, manifest)
    assert rep.verdict == "incomplete" and any("spawn gating off" in r for r in rep.incomplete)
    assert be.info()["processes"][0]["held_ms"] >= 0                                # the main spawn's held time
