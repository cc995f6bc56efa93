"""Explore mode (`sdkgate run --package PKG -m M.yaml` without a scenario): a QA engineer drives the app by
hand while sdkgate watches. The installed app is spawned with the agent and the proxy as in any run (or, with
--attach, the running app is attached to), every read and send is printed as it happens (actor, data,
before/after consent), the consent moment comes from the agent's observation of the consent control's tap,
and Ctrl-C ends the session: the evidence is judged and sealed like a scenario run.

It is an ordinary run of the runner with a two-step scenario (launch, then watch until stopped); the
ExploreBackend wraps the device backend so that the watching step ends normally on Ctrl-C (the user's way
to say "done"), not as an interrupted run.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable, TextIO

from ..scenario.backend import RunContext, StepOutcome
from ..i18n import N_, Msg, tr

SCENARIO = ("# explore mode: the app driven by hand; Ctrl-C ends the watch\n"
            "name: explore\nsettle: 0s\nsteps:\n  - launch\n  - wait: 24h\n")
LIVE_STATE = {"granted": N_("after consent"), "declined": N_("after decline"), "withdrawn": N_("after withdrawal"),
              "": N_("BEFORE consent")}
ATTACH_LIMITS = N_("attached to an already running app: what it did before the attach (process start, the consent "
                 "screen, reads in Application.onCreate) and its other processes were not observed")


def write_scenario(folder: Path) -> Path:
    p = folder / "explore.yaml"
    p.write_text(SCENARIO, "utf-8")
    return p


class LivePrinter:
    """One line per read, send and consent moment, as they happen (the consent state is the user's answer)."""

    def __init__(self, stream: TextIO, lang: str = "en"):
        self.stream = stream
        self.lang = lang
        self.consent: str | None = None          # policy scope: granted | declined | withdrawn
        self.lock = threading.Lock()
        self.lines = 0

    def _state(self) -> str:
        return tr(LIVE_STATE.get(self.consent or "", LIVE_STATE[""]), self.lang)

    def event(self, ev) -> None:
        from ..taxonomy import label
        kind = ev.kind
        line = None
        if kind == "consent" and (ev.get("scope") or "policy") == "policy" and ev.get("transition"):
            self.consent = ev.get("transition")
            line = f"CONSENT {self.consent} ({ev.get('evidence') or ev.source})"
        elif kind == "read" and ev.source == "hook":
            line = f"READ  {ev.actor or 'unknown':<18} {label(ev.category, self.lang) if ev.category else '-'} " \
                   f"({ev.get('api_id') or ev.api or ''})  {self._state()}"
        elif kind == "send":
            line = f"SEND  {ev.actor or 'unknown':<18} {label(ev.category, self.lang) if ev.category else '-'} " \
                   f"-> {ev.get('host') or ''} [{ev.get('encoding') or 'plain'}]  {self._state()}"
        elif kind == "lifecycle" and ev.get("what") == "died":
            line = f"DIED  {ev.get('detail') or ''}"
        if line is None:
            return
        with self.lock:
            self.stream.write(f"{ev.t_ms / 1000:8.1f}s  {line}\n")
            self.stream.flush()
            self.lines += 1


class NetTail(threading.Thread):
    """Follows net.jsonl (written by the proxy process) and hands each send to the printer."""

    def __init__(self, path: Path, on_event: Callable[[Any], None], poll_s: float = 0.2):
        super().__init__(name="sdkgate-net-tail", daemon=True)
        self.path, self.on_event, self.poll_s = path, on_event, poll_s
        self.stop = threading.Event()
        self._offset = 0
        self._partial = b""

    def poll(self) -> None:
        from ..events import Event
        try:
            with self.path.open("rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except OSError:
            return
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        from ..fileio import loads_bounded
        for raw in lines:
            try:
                d = loads_bounded(raw)
                if isinstance(d, dict) and d.get("kind") == "send":
                    self.on_event(Event.from_dict(d))
            except (ValueError, TypeError, KeyError):
                continue

    def run(self) -> None:
        while not self.stop.wait(self.poll_s):
            self.poll()
        self.poll()


class ExploreBackend:
    """The device backend, with `launch` spawning (or attaching to) the app and `wait` watching until Ctrl-C."""

    def __init__(self, inner, printer: LivePrinter, attach: bool = False, stop: threading.Event | None = None):
        self.inner = inner
        self.printer = printer
        self.attach = attach
        self.stop_event = stop or threading.Event()
        self.name = getattr(inner, "name", "device")
        self.tail: NetTail | None = None
        self.teardown_log = getattr(inner, "teardown_log", [])

    def __getattr__(self, item):
        return getattr(self.inner, item)

    def start(self, ctx: RunContext) -> None:
        forward = ctx.emit

        def emit(ev):
            forward(ev)
            self.printer.event(ev)

        ctx.emit = emit
        self.inner.start(ctx)
        self.tail = NetTail(Path(ctx.out_dir) / "net.jsonl", self.printer.event)
        self.tail.start()

    def info(self) -> dict[str, Any]:
        out = dict(self.inner.info() or {})
        out["mode"] = "attach" if self.attach else "explore"
        return out

    def launch(self) -> StepOutcome:
        if not self.attach:
            return self.inner.launch()
        out = self.inner.attach_running()
        out.data = {**(out.data or {}), "incomplete": [Msg(ATTACH_LIMITS)]}
        return out

    def wait(self, ms: int) -> StepOutcome:
        """Watch until the user presses Ctrl-C (or stop is set, or the app dies: that ends the step as usual)."""
        try:
            while not self.stop_event.is_set():
                self.inner._check_alive()
                time.sleep(0.1)
        except KeyboardInterrupt:
            pass
        return StepOutcome(detail="watch ended by the user (explore mode)")

    def stop(self) -> None:
        try:
            self.inner.stop()
        finally:
            if self.tail is not None:
                self.tail.stop.set()
                self.tail.join(timeout=2)
