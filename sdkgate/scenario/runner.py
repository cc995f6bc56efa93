"""The scenario runner: plays a scenario's steps on a Backend and leaves an evidence folder.

It owns the run clock (t0), the evidence folder, the step log, the proxy and the verdict:

    events.jsonl   hook events (from the backend) + step events (from here), on one clock, in t_ms order
    net.jsonl, flows.mitm, flows.har   from the proxy (when one runs)
    canaries.json  the planted values (the proxy's canary file)
    manifest.yaml, scenario.yaml, app-model.yaml   the inputs as run (byte copies)
    run.json       schema sdkgate.run/1: inputs with sha256, versions, canaries, clock, status, expectation
    report.json    sdkgate.report/1 from `sdkgate.rules.evaluate` over events.jsonl + net.jsonl

Everything the runner knows about the run's own trouble (a failed step, a dead target, an
interruption) is written as events, so `sdkgate evaluate` on the folder reproduces the verdict.
events.jsonl is appended live (a crash keeps what was collected) and re-sorted by t_ms at the end.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, ContextManager

from .. import __version__
from ..canaries import generate
from ..consent import ConsentState
from ..errors import InputError
from ..events import Event, merge_streams
from ..fileio import loads_bounded, sha256_file
from ..manifest import Manifest
from ..report import Report
from .backend import (CONSENT_ACTIONS, PERMISSION_DECISIONS, Backend, BackendError, BackendUnavailable,
                      ProxyInfo, RunClock, RunContext, StepFailed, StepOutcome, TargetDied)
from .model import DEFAULT_SETTLE_MS, ExpectationResult, Scenario, Step, check_expectation
from ..i18n import exc_text, failure, msg

RUN_SCHEMA = "sdkgate.run/1"
LIFECYCLE_OF = {"fresh_install": "install", "clear_data": "clear_data", "launch": "launch", "kill": "kill",
                "relaunch": "relaunch", "background": "background", "foreground": "foreground"}

# proxy_factory(out_dir, canaries_path, t0_epoch_ms, manifest_path) -> context manager yielding
# an object with .port and .ca_path (sdkgate.net.proxy.ProxyProcess), or None for no proxy
ProxyFactory = Callable[[Path, Path, int, Path], ContextManager[Any]]




class EventLog:
    """events.jsonl for one run: thread-safe; step events get the step source's seq here, hook
    events keep the seq their producer gave them."""

    def __init__(self, path: Path):
        self.path = path
        self._fh = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()
        self._step_seq = 0
        self.counts: dict[str, int] = {}

    def emit(self, ev: Event) -> None:
        line = ev.to_json() + "\n"
        with self._lock:
            self._fh.write(line)
            self._fh.flush()
            self.counts[ev.source] = self.counts.get(ev.source, 0) + 1

    def step_event(self, kind: str, t_ms: float, **fields) -> Event:
        with self._lock:
            seq = self._step_seq
            self._step_seq += 1
        ev = Event(seq=seq, t_ms=round(t_ms, 3), source="step", kind=kind, extra=fields)
        self.emit(ev)
        return ev

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.close()

    def sort_by_time(self) -> None:
        """Rewrite the file in t_ms order (stable: each source keeps its own order) and give each
        (source, pid) one gap-free seq in that order: hook seqs restart with every agent session (the
        agent's number is kept as `agent_seq`; the intake reports its gaps and drops as events).
        Unparseable lines (there should be none) are kept at the end so nothing is dropped."""
        self.close()
        good, bad = [], []
        with self.path.open("rb") as fh:
            for raw in fh:
                if not raw.strip():
                    continue
                try:
                    d = loads_bounded(raw)
                    good.append((float(d["t_ms"]), d))
                except (ValueError, KeyError, TypeError):
                    bad.append(raw if raw.endswith(b"\n") else raw + b"\n")
        good.sort(key=lambda x: x[0])
        seqs: dict[tuple, int] = {}   # (source, pid): gap-free per process
        consent = ConsentState()   # the consent state at each moment, recorded on reads and requests
        tmp = self.path.with_suffix(".jsonl.tmp")
        with tmp.open("wb") as out:
            for _, d in good:
                src = d.get("source")
                n = seqs.get((src, d.get("pid")), 0)
                seqs[(src, d.get("pid"))] = n + 1
                if src == "hook" and "agent_seq" not in d:
                    d["agent_seq"] = d.get("seq")
                d["seq"] = n
                consent.observe(d.get("kind"), d)
                if d.get("kind") in ("read", "permission_request", "code_loaded") and "consent" not in d:
                    d["consent"] = consent.snapshot()
                out.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            for raw in bad:
                out.write(raw)
        os.replace(tmp, self.path)


@dataclass
class RunResult:
    out_dir: Path
    report: Report
    run: dict[str, Any]
    expectation: ExpectationResult | None = None
    steps_done: int = 0

    @property
    def exit_code(self) -> int:
        return self.report.exit_code


@dataclass
class RunOptions:
    app_model: Path | None = None            # copied to the folder and hashed in run.json
    canaries: dict[str, str] | None = None   # default: fresh per run
    proxy_factory: ProxyFactory | None = None
    backend_options: dict[str, Any] = field(default_factory=dict)
    eval: Any = None                         # sdkgate.rules.EvalOptions (suppressions, geoip); recorded in run.json
    settle_ms: int | None = None             # --settle; else the scenario's `settle:`; else DEFAULT_SETTLE_MS
    capture: str = "proxy"                   # net/modes.py: proxy | wireguard | transparent
    allow_quic: bool = False                 # default: the agent refuses UDP/443 so apps fall back to TCP
    unpin: bool = False                      # device runs: the agent disables certificate pinning
    # called once the backend started (device and agent known): on_start(run, emit(kind, **fields)) may add to
    # run.json and write step events (`run`'s calibration, sdkgate/calibration/record.py)
    on_start: Callable[[dict, Callable[..., Any]], None] | None = None


def default_proxy_factory(modes: tuple[str, ...] = ()) -> ProxyFactory | None:
    """The network issue's proxy (sdkgate.net.proxy.ProxyProcess) run offline, when it is installed."""
    try:
        from ..net.proxy import ProxyProcess  # noqa: PLC0415
    except ImportError:
        return None

    def factory(out_dir: Path, canaries_path: Path, t0: int, manifest_path: Path):
        return ProxyProcess(canaries_path, out_dir, offline=True, manifest=manifest_path, t0_ms=t0, modes=modes)

    return factory


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"tool": __version__}
    try:
        import frida  # noqa: PLC0415
        out["frida"] = frida.__version__
    except ImportError:  # pragma: no cover
        out["frida"] = None
    try:
        from mitmproxy.version import VERSION  # noqa: PLC0415
        out["mitmproxy"] = VERSION
    except ImportError:  # pragma: no cover
        out["mitmproxy"] = None
    return out


def prepare_out_dir(out_dir: Path) -> Path:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InputError(str(out_dir), None, "output folder exists and is not empty (evidence is never overwritten)")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def run_scenario(scenario: Scenario, manifest: Manifest, backend: Backend, out_dir: Path,
                 options: RunOptions | None = None) -> RunResult:
    """Play `scenario` on `backend`, write the evidence folder `out_dir`, judge it.

    Raises InputError for bad input and BackendUnavailable when the backend cannot start (agent
    does not compile or load): nothing ran, run.json says so. Anything that goes wrong later ends
    in an `incomplete` verdict with everything collected so far kept.
    """
    options = options or RunOptions()
    scenario.check_manifest(manifest)
    out_dir = prepare_out_dir(Path(out_dir))
    clock = RunClock()
    started = datetime.fromtimestamp(clock.t0_epoch_ms / 1000, tz=timezone.utc).isoformat(timespec="milliseconds")
    canaries = dict(options.canaries or generate())
    from ..rules import EvalOptions  # noqa: PLC0415
    eval_opts = options.eval or EvalOptions()
    if eval_opts.today is None:
        eval_opts.today = datetime.now(timezone.utc).date()   # suppressions expire: the run's day is kept
    eval_opts.app.setdefault("scenario", scenario.name)       # names the run in SARIF (automationDetails)

    # inputs as run
    manifest_src = Path(manifest.path)
    shutil.copyfile(manifest_src, out_dir / "manifest.yaml")
    (out_dir / "scenario.yaml").write_bytes(scenario.path.read_bytes())
    if options.app_model:
        shutil.copyfile(options.app_model, out_dir / "app-model.yaml")
    canaries_path = out_dir / "canaries.json"
    canaries_path.write_text(json.dumps(canaries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    run: dict[str, Any] = {
        "schema": RUN_SCHEMA,
        "backend": getattr(backend, "name", type(backend).__name__),
        "scenario": {"name": scenario.name, "path": str(scenario.path), "sha256": scenario.sha256 or sha256_file(scenario.path)},
        "app_model": ({"path": str(options.app_model), "sha256": sha256_file(options.app_model)}
                      if options.app_model else None),
        "manifest": {"path": str(manifest_src), "sha256": sha256_file(manifest_src)},
        "versions": _versions(),
        "agent_sha256": None,
        "canaries": canaries,
        "started": started,
        "t0_epoch_ms": clock.t0_epoch_ms,
        "status": "starting",
        "eval_options": eval_opts.to_record(),
    }
    _write_json(out_dir / "run.json", run)

    log = EventLog(out_dir / "events.jsonl")
    from ..net.modes import capture_record, listener_modes  # noqa: PLC0415
    simulated = getattr(backend, "name", "") == "simulated"
    factory = options.proxy_factory if options.proxy_factory is not None else \
        default_proxy_factory(listener_modes(options.capture, simulated))
    steps_done = 0
    interrupted: BaseException | None = None
    with contextlib.ExitStack() as stack:
        proxy_info = None
        try:
            proxy = stack.enter_context(factory(out_dir, canaries_path, clock.t0_epoch_ms, manifest_src)) if factory else None
        except Exception as exc:  # noqa: BLE001 - the proxy is an environment problem, not evidence
            run.update(status="error", error=f"proxy did not start: {exc}", ended=_now_iso())
            _write_json(out_dir / "run.json", run)
            log.close()
            raise BackendUnavailable(f"the proxy did not start: {exc}") from None
        if proxy is not None:
            proxy_info = ProxyInfo(str(getattr(proxy, "listen_host", "127.0.0.1")), int(proxy.port), Path(proxy.ca_path))
            run["proxy"] = {"host": proxy_info.host, "port": proxy_info.port,
                            "mode": "offline" if getattr(proxy, "offline", True) else "upstream"}
        else:
            run["proxy"] = None
        listeners = ([{"mode": "regular", "type": "regular", "host": proxy_info.host, "port": proxy_info.port}]
                     if proxy_info else []) + [x for x in getattr(proxy, "listeners", []) if x.get("type") != "regular"]
        run["capture"] = capture_record(options.capture, allow_quic=options.allow_quic, unpin=options.unpin,
                                        listeners=listeners)
        log.step_event("capture", clock.now_ms(), **run["capture"])
        raw_agent = options.backend_options.get("agent")
        agent_opts = dict(raw_agent) if isinstance(raw_agent, dict) else dict(vars(raw_agent)) if raw_agent else {}
        agent_opts.update(block_quic=not options.allow_quic, unpin=options.unpin)
        ctx = RunContext(out_dir=out_dir, clock=clock, manifest=manifest, canaries=canaries, emit=log.emit,
                         proxy=proxy_info, scenario_name=scenario.name,
                         options={"app_model": options.app_model, **options.backend_options, "agent": agent_opts,
                                  "capture": run["capture"]})
        stack.callback(backend.stop)
        try:
            backend.start(ctx)
        except BackendUnavailable as exc:
            run.update(status="error", error=str(exc), ended=_now_iso())
            _write_json(out_dir / "run.json", run)
            log.close()
            raise
        info = backend.info() or {}
        run["agent_sha256"] = info.pop("agent_sha256", None)
        if "frida_version" in info:
            run["versions"]["frida"] = info.pop("frida_version")
        run["backend_info"] = info
        if options.on_start is not None:
            options.on_start(run, lambda kind, **fields: log.step_event(kind, clock.now_ms(), **fields))
        run["status"] = "running"
        _write_json(out_dir / "run.json", run)
        settle_ms = options.settle_ms if options.settle_ms is not None else (
            scenario.settle_ms if scenario.settle_ms is not None else DEFAULT_SETTLE_MS)
        run["settle_ms"] = settle_ms
        try:
            steps_done = play_steps(scenario, backend, log, clock, _StepProgress(out_dir, log, len(scenario.steps)))
            if steps_done == len(scenario.steps):
                settle(backend, log, clock, settle_ms)
        except KeyboardInterrupt as exc:
            log.step_event("incomplete", clock.now_ms(), reason=msg("run interrupted by the user (Ctrl-C)"))
            interrupted = exc
    # backend stopped, proxy flushed (ExitStack closed)
    if proxy is None:
        log.step_event("incomplete", clock.now_ms(),
                       reason=msg("network not observed (run without the proxy): SG401-SG405 could not be judged"))
    else:
        # fail closed: a proxy that died, or left no net.jsonl, means the wire was not watched
        rc = getattr(proxy, "returncode", 0)
        if rc not in (0, None) or not (out_dir / "net.jsonl").is_file():
            log.step_event("incomplete", clock.now_ms(),
                           reason=msg("network evidence missing: the proxy exited with code {rc}", rc=str(rc))
                           if (out_dir / "net.jsonl").is_file() else
                           msg("network evidence missing: the proxy exited with code {rc} and wrote no net.jsonl", rc=str(rc)))
    log.sort_by_time()
    report = judge(out_dir, manifest, eval_opts)
    _write_json(out_dir / "report.json", report.to_dict())
    exp = scenario.expectation_for(options.app_model)
    result_exp = check_expectation(exp, report) if exp else None
    run.update(status="interrupted" if interrupted else "done", ended=_now_iso(), steps_run=steps_done,
               steps_total=len(scenario.steps), verdict=report.verdict, events=dict(log.counts),
               expectation=result_exp.to_dict() if result_exp else None)
    _write_json(out_dir / "run.json", run)
    from ..bundle import write_bundle  # noqa: PLC0415 - the seal comes last, over every final file
    write_bundle(out_dir)
    if interrupted:
        raise interrupted
    return RunResult(out_dir, report, run, result_exp, steps_done)


def judge(out_dir: Path, manifest: Manifest | None, options=None) -> Report:
    """The report of an evidence folder: events.jsonl + net.jsonl merged on the run clock."""
    from ..rules import evaluate  # noqa: PLC0415

    from ..net.rematch import streams_with_rematch  # noqa: PLC0415
    files = [out_dir / "events.jsonl"] + ([out_dir / "net.jsonl"] if (out_dir / "net.jsonl").exists() else [])
    return evaluate(merge_streams(streams_with_rematch(files, manifest)), manifest, options)


class _StepProgress:
    """Progress line per step (terminal only, see sdkgate.terminal): step, run time, events and flows so far."""

    def __init__(self, out_dir: Path, log: "EventLog", total: int):
        self.net = out_dir / "net.jsonl"
        self.log, self.total = log, total
        self._flows, self._offset = 0, 0

    def flows(self) -> int:
        """Flows the proxy recorded so far (counted incrementally: net.jsonl only grows during a run)."""
        try:
            with self.net.open("rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except OSError:
            return self._flows
        self._offset += len(chunk)
        self._flows += chunk.count(b'"kind": "flow"') + chunk.count(b'"kind":"flow"')
        return self._flows

    def __call__(self, step, clock: "RunClock") -> None:
        from .. import terminal
        if not terminal.enabled():
            return
        events = sum(self.log.counts.values())
        terminal.phase(f"step {step.index + 1}/{self.total} {step.action}  t={clock.now_ms() / 1000:.1f}s  "
                       f"events {events}  flows {self.flows()}")


def play_steps(scenario: Scenario, backend: Backend, log: EventLog, clock: RunClock, progress=None) -> int:
    """Run every step; stop at a dead target. Returns the number of steps that ran."""
    for step in scenario.steps:
        if progress is not None:
            progress(step, clock)
        started = clock.now_ms()
        try:
            outcome = _do(step, backend)
        except TargetDied as exc:
            t = exc.t_ms if exc.t_ms is not None else clock.now_ms()
            # the process that died (its pid is on its hook events; step events keep one seq per source)
            who = {"process": exc.process} if getattr(exc, "process", None) else {}
            log.step_event("lifecycle", t, what="died", detail=exc.detail, **who)
            log.step_event("step", max(t, clock.now_ms()), index=step.index, action=step.action, status="failed",
                           detail=msg("target process died: {detail}", detail=exc.detail), started_ms=started, line=step.line,
                           **step.fields())
            return step.index + 1
        except (StepFailed, BackendError) as exc:
            outcome = StepOutcome(ok=False, detail=exc_text(exc) or type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - a backend bug must not lose the evidence
            outcome = StepOutcome(ok=False, detail=msg("backend error: {error}", error=failure(exc)))
        unseen = list(outcome.data.pop("incomplete", None) or [])
        if outcome.ok:
            _effects(step, outcome, log, clock)
        for reason in unseen:                  # what the backend could not observe in this step
            log.step_event("incomplete", clock.now_ms(), reason=reason)
        log.step_event("step", clock.now_ms(), index=step.index, action=step.action,
                       status="ok" if outcome.ok else "failed", detail=outcome.detail or step.describe(),
                       started_ms=started, line=step.line, **step.fields(), **outcome.data)
        if not outcome.ok and step.action in ("launch", "relaunch"):
            # the app is not running: no later step can mean anything (the report says which failed)
            return step.index + 1
    return len(scenario.steps)


def settle(backend: Backend, log: EventLog, clock: RunClock, ms: int) -> None:
    """After the last step the process stays observed (SDKs read on timers): a wait nobody asked for
    in the steps, recorded in run.json; a death or failure in it is evidence like any other."""
    if ms <= 0:
        return
    try:
        backend.wait(ms)
    except TargetDied as exc:
        t = exc.t_ms if exc.t_ms is not None else clock.now_ms()
        log.step_event("lifecycle", t, what="died", detail=msg("during the settle period: {detail}", detail=exc.detail))
    except (StepFailed, BackendError) as exc:
        log.step_event("incomplete", clock.now_ms(), reason=msg("settle period failed: {problem}", problem=exc_text(exc)))


def _do(step: Step, backend: Backend) -> StepOutcome:
    a = step.action
    if a in ("wait", "advance_clock"):
        return getattr(backend, a)(step.ms) or StepOutcome()
    if a == "consent":
        return backend.consent(step.consent, step.scope) or StepOutcome()
    if a == "permission":
        return backend.permission(step.decision, step.permission) or StepOutcome()
    if a == "open_feature":
        return backend.open_feature(step.feature) or StepOutcome()
    return getattr(backend, a)() or StepOutcome()


def _effects(step: Step, out: StepOutcome, log: EventLog, clock: RunClock) -> None:
    """The step-log events a successful step leaves (before its `step` event)."""
    t = out.t_ms if out.t_ms is not None else clock.now_ms()
    a = step.action
    if a in LIFECYCLE_OF:
        log.step_event("lifecycle", t, what=LIFECYCLE_OF[a])
    elif a == "advance_clock":
        clock.advanced_ms += step.ms or 0
        log.step_event("lifecycle", t, what="clock", advance_ms=step.ms)
    elif a == "consent":
        log.step_event("consent", t, scope=step.scope, transition=CONSENT_ACTIONS[step.consent])
    elif a == "permission":
        if out.results or not out.data.get("answer_kept"):
            results = out.results or {step.permission: PERMISSION_DECISIONS[step.decision]}
            log.step_event("permission_result", t, results=results)
        # answer_kept: no dialog was showing; the answer is delivered (and hooked) at the next request
    elif a == "open_feature":
        log.step_event("feature", t, feature=step.feature)


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)
