"""The runner's step logic on a stand-in backend (the Backend protocol is ours; no Frida here):
step-log events, one clock, seq numbering, fail-closed paths, the evidence folder."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkgate.errors import InputError
from sdkgate.events import Event, read_events
from sdkgate.scenario.backend import (Backend, BackendUnavailable, StepFailed, StepOutcome, TargetDied)
from sdkgate.scenario.model import load_scenario
from sdkgate.scenario.runner import RunOptions, run_scenario

from .conftest import MANIFEST


class _NoProxy:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


NO_PROXY = RunOptions(proxy_factory=lambda *a: _NoProxy(), canaries={"clipboard": "sdkgate-clip-test1"})


class StandIn:
    """Records calls; each launch is a new 'agent session' whose hook seq restarts at 0."""

    name = "stand-in"

    def __init__(self, fail=(), die=(), unavailable=False, interrupt=None):
        self.calls: list[tuple] = []
        self.fail, self.die, self.unavailable, self.interrupt = set(fail), set(die), unavailable, interrupt
        self.ctx = None
        self.session_seq = 0
        self.stopped = 0

    def start(self, ctx):
        if self.unavailable:
            raise BackendUnavailable("agent bundle unusable: test")
        self.ctx = ctx

    def info(self):
        return {"agent_sha256": "ab" * 32, "frida_version": "17.x-test"}

    def stop(self):
        self.stopped += 1

    def _hook(self, kind, **fields):
        ev = Event(seq=self.session_seq, t_ms=self.ctx.clock.now_ms(), source="hook", kind=kind, extra=fields)
        self.session_seq += 1
        self.ctx.emit(ev)

    def _do(self, name, *args):
        self.calls.append((name, *args))
        if name == self.interrupt:
            raise KeyboardInterrupt
        if name in self.die:
            raise TargetDied("segfault in test", self.ctx.clock.now_ms())
        if name in self.fail:
            raise StepFailed(f"{name} control not found")
        return StepOutcome(t_ms=self.ctx.clock.now_ms())

    def fresh_install(self): return self._do("fresh_install")
    def clear_data(self): return self._do("clear_data")

    def launch(self):
        out = self._do("launch")
        self.session_seq = 0
        self._hook("agent_status", status="loaded", dropped=0)
        return out

    def relaunch(self): return self.launch()
    def kill(self): return self._do("kill")
    def background(self): return self._do("background")
    def foreground(self): return self._do("foreground")
    def wait(self, ms): return self._do("wait", ms)
    def advance_clock(self, ms): return self._do("advance_clock", ms)

    def consent(self, action, scope):
        out = self._do("consent", action, scope)
        self._hook("read", category="clipboard", api_id="clipboard.getPrimaryClip", actor="first_party")
        return out

    def permission(self, decision, permission):
        out = self._do("permission", decision, permission)
        out.results = {permission: "granted" if decision == "grant" else "denied"}
        return out

    def open_feature(self, feature): return self._do("open_feature", feature)


SCEN = """name: unit
manifest: {manifest}
steps:
  - fresh_install
  - launch
  - wait: 10ms
  - consent: accept
  - consent: accept
    scope: sensitive
  - permission: {{deny: CAMERA}}
  - open_feature: face_verification
  - background
  - foreground
  - kill
  - advance_clock: 49h
  - relaunch
  - clear_data
"""


@pytest.fixture
def scenario(write):
    return load_scenario(write("unit.yaml", SCEN.format(manifest=MANIFEST)))


def _events(out: Path):
    return [e for e in read_events(out / "events.jsonl")]


def test_steps_map_to_backend_calls_and_step_log(scenario, manifest, tmp_path):
    be = StandIn()
    assert isinstance(be, Backend)
    res = run_scenario(scenario, manifest, be, tmp_path / "out", NO_PROXY)
    assert [c[0] for c in be.calls] == ["fresh_install", "launch", "wait", "consent", "consent", "permission",
                                        "open_feature", "background", "foreground", "kill", "advance_clock",
                                        "launch", "clear_data", "wait"]
    assert be.calls[-1] == ("wait", 10_000)      # the default settle period after the last step
    assert ("consent", "accept", "sensitive") in be.calls and ("advance_clock", 49 * 3600_000) in be.calls
    assert be.stopped == 1
    evs = _events(res.out_dir)
    step = [e for e in evs if e.source == "step"]
    kinds = [(e.kind, e.get("what") or e.get("transition") or e.get("action")) for e in step]
    assert ("lifecycle", "install") in kinds and ("lifecycle", "clear_data") in kinds
    assert ("lifecycle", "relaunch") in kinds and ("lifecycle", "kill") in kinds
    consent = [e for e in step if e.kind == "consent"]
    assert [(e.get("scope"), e.get("transition")) for e in consent] == [("policy", "granted"), ("sensitive", "granted")]
    clock = next(e for e in step if e.get("what") == "clock")
    assert clock.get("advance_ms") == 49 * 3600_000
    perm = next(e for e in step if e.kind == "permission_result")
    assert perm.get("results") == {"android.permission.CAMERA": "denied"}
    assert next(e for e in step if e.kind == "feature").get("feature") == "face_verification"
    steps = [e for e in step if e.kind == "step"]
    assert [e.get("index") for e in steps] == list(range(13))
    assert all(e.get("status") == "ok" for e in steps)
    assert steps[3].get("line") == 7 and steps[3].get("answer") == "accept" and steps[3].consent is None
    # one clock, in order; every source's seq runs from 0 without gaps (hook seqs restarted per launch)
    assert [e.t_ms for e in evs] == sorted(e.t_ms for e in evs)
    for src in ("hook", "step"):
        assert [e.seq for e in evs if e.source == src] == list(range(sum(e.source == src for e in evs)))
    hooks = [e for e in evs if e.source == "hook"]
    assert [e.get("agent_seq") for e in hooks] == [0, 1, 2, 0]   # kept for the auditor
    # the effect of a step comes before its `step` event
    i_consent = evs.index(consent[0])
    assert evs[i_consent + 1:].index(next(e for e in steps if e.get("action") == "consent")) >= 0


def test_evidence_folder_and_run_json(scenario, manifest, tmp_path):
    res = run_scenario(scenario, manifest, StandIn(), tmp_path / "out", NO_PROXY)
    out = res.out_dir
    for name in ("events.jsonl", "run.json", "report.json", "manifest.yaml", "scenario.yaml", "canaries.json"):
        assert (out / name).is_file(), name
    assert (out / "manifest.yaml").read_bytes() == MANIFEST.read_bytes()
    assert (out / "scenario.yaml").read_bytes() == scenario.path.read_bytes()
    run = json.loads((out / "run.json").read_text())
    assert run["schema"] == "sdkgate.run/1" and run["backend"] == "stand-in" and run["status"] == "done"
    assert run["scenario"]["sha256"] == scenario.sha256 and len(run["manifest"]["sha256"]) == 64
    assert run["agent_sha256"] == "ab" * 32 and run["versions"]["frida"] == "17.x-test"
    assert run["versions"]["mitmproxy"] and run["versions"]["tool"]
    assert run["canaries"] == {"clipboard": "sdkgate-clip-test1"}
    assert isinstance(run["t0_epoch_ms"], int) and run["started"].endswith("+00:00")
    assert run["steps_run"] == run["steps_total"] == 13
    assert run["settle_ms"] == 10_000
    report = json.loads((out / "report.json").read_text())
    assert report["schema"] == "sdkgate.report/1" and report["verdict"] == res.report.verdict


def test_failed_step_makes_the_run_incomplete(scenario, manifest, tmp_path):
    res = run_scenario(scenario, manifest, StandIn(fail={"open_feature"}), tmp_path / "out", NO_PROXY)
    assert res.report.verdict == "fail" and res.report.incomplete_kinds.get("step-failed") == 1  # proven reads: fail, the gap still listed (issue 20)
    assert any("open_feature" in r and "control not found" in r for r in res.report.incomplete)
    evs = _events(res.out_dir)
    failed = [e for e in evs if e.kind == "step" and e.get("status") == "failed"]
    assert len(failed) == 1 and failed[0].get("action") == "open_feature"
    assert not any(e.kind == "feature" for e in evs)            # a failed step leaves no effect event
    assert res.steps_done == 13                                  # later steps still ran


def test_dead_target_stops_the_scenario_and_keeps_evidence(scenario, manifest, tmp_path):
    be = StandIn(die={"background"})
    res = run_scenario(scenario, manifest, be, tmp_path / "out", NO_PROXY)
    assert res.report.verdict == "fail" and res.steps_done == 8  # proven reads: fail, the gap still listed (issue 20)
    assert "foreground" not in [c[0] for c in be.calls]
    evs = _events(res.out_dir)
    died = [e for e in evs if e.get("what") == "died"]
    assert len(died) == 1 and "segfault" in died[0].get("detail")
    assert any("died" in r for r in res.report.incomplete)
    assert any(e.kind == "read" for e in evs)                    # what came before is kept
    assert be.stopped == 1


def test_failed_launch_ends_the_scenario(scenario, manifest, tmp_path):
    be = StandIn(fail={"launch"})
    res = run_scenario(scenario, manifest, be, tmp_path / "out", NO_PROXY)
    assert res.steps_done == 2 and res.report.verdict == "incomplete"
    assert [c[0] for c in be.calls] == ["fresh_install", "launch"]


def test_backend_unavailable_records_the_error(scenario, manifest, tmp_path):
    with pytest.raises(BackendUnavailable):
        run_scenario(scenario, manifest, StandIn(unavailable=True), tmp_path / "out", NO_PROXY)
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["status"] == "error" and "agent bundle unusable" in run["error"]
    assert not (tmp_path / "out" / "report.json").exists()


def test_interrupt_still_leaves_a_judged_folder(scenario, manifest, tmp_path):
    be = StandIn(interrupt="kill")
    with pytest.raises(KeyboardInterrupt):
        run_scenario(scenario, manifest, be, tmp_path / "out", NO_PROXY)
    out = tmp_path / "out"
    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "interrupted" and run["verdict"] == "fail"  # proven reads: fail, the gap still listed (issue 20)
    assert be.stopped == 1
    assert any(e.kind == "incomplete" and "interrupted" in e.get("reason") for e in _events(out))


def test_out_dir_must_be_new_or_empty(scenario, manifest, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "events.jsonl").write_text("{}\n")
    with pytest.raises(InputError, match="not empty"):
        run_scenario(scenario, manifest, StandIn(), tmp_path / "used", NO_PROXY)


def test_scope_the_manifest_lacks_is_bad_input_before_anything_runs(write, manifest, tmp_path):
    sc = load_scenario(write("s.yaml", f"manifest: {MANIFEST}\nsteps:\n  - launch\n  - {{consent: accept, scope: ads}}\n"))
    be = StandIn()
    with pytest.raises(InputError) as ei:
        run_scenario(sc, manifest, be, tmp_path / "out", NO_PROXY)
    assert ei.value.place == "line 4" and be.calls == [] and not (tmp_path / "out").exists()


def test_proxy_that_does_not_start_is_reported(scenario, manifest, tmp_path):
    class Broken:
        def __enter__(self):
            raise RuntimeError("proxy exited with 1 before listening")

        def __exit__(self, *exc):
            return False

    be = StandIn()
    with pytest.raises(BackendUnavailable, match="proxy did not start"):
        run_scenario(scenario, manifest, be, tmp_path / "out", RunOptions(proxy_factory=lambda *a: Broken()))
    assert be.calls == []
    assert json.loads((tmp_path / "out" / "run.json").read_text())["status"] == "error"


def test_proxy_that_dies_mid_run_makes_the_run_incomplete(scenario, manifest, tmp_path):
    """The real proxy, killed once it listens: the wire was not watched, so never `pass`."""
    import signal

    from sdkgate.net.proxy import ProxyProcess

    class DyingProxy(ProxyProcess):
        def __enter__(self):
            started = super().__enter__()
            started.proc.send_signal(signal.SIGKILL)
            started.proc.wait(10)
            return started

    def factory(out_dir, canaries_path, t0, manifest_path):
        return DyingProxy(canaries_path, out_dir, offline=True, manifest=manifest_path, t0_ms=t0)

    res = run_scenario(scenario, manifest, StandIn(), tmp_path / "out",
                       RunOptions(proxy_factory=factory, canaries={"clipboard": "sdkgate-clip-test1"}))
    assert res.report.verdict == "fail" and res.report.incomplete_kinds.get("network-not-observed") == 1  # proven reads: fail, the gap still listed (issue 20)
    assert any("network evidence missing" in r and "-9" in r for r in res.report.incomplete)


def test_settle_comes_from_the_scenario_or_the_option(write, manifest, tmp_path):
    text = SCEN.format(manifest=MANIFEST).replace("steps:", "settle: 1500ms\nsteps:", 1)
    sc = load_scenario(write("settle.yaml", text))
    be = StandIn()
    res = run_scenario(sc, manifest, be, tmp_path / "a", NO_PROXY)
    assert be.calls[-1] == ("wait", 1500) and res.run["settle_ms"] == 1500
    be = StandIn()
    opts = RunOptions(proxy_factory=NO_PROXY.proxy_factory, canaries=NO_PROXY.canaries, settle_ms=0)
    res = run_scenario(sc, manifest, be, tmp_path / "b", opts)
    assert be.calls[-1] == ("clear_data",) and res.run["settle_ms"] == 0


def test_bad_settle_is_named(write):
    with pytest.raises(InputError) as exc:
        load_scenario(write("bad.yaml", SCEN.format(manifest=MANIFEST).replace("steps:", "settle: soon\nsteps:", 1)))
    assert "settle" in str(exc.value.render()) and "line" in exc.value.render()
