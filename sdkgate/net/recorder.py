"""What every part of the sdkgate addon shares: the `sdkgate_*` inputs (canaries -> matcher,
manifest -> attributor), net.jsonl with its run-relative clock, and the end-of-run outputs.

One recorder per proxy; the capture and TLS parts write through it, so there is exactly one
writer, one clock that never runs backwards and one set of event counts.
"""
import logging
import os
import time
import traceback
from pathlib import Path

from mitmproxy import ctx, exceptions

from sdkgate.canaries import load_canary_file
from sdkgate.errors import InputError
from sdkgate.events import EventWriter
from sdkgate.net.attribution import Attributor
from sdkgate.net.matcher import Matcher
from sdkgate.i18n import msg
from sdkgate.net.ready import HAR_AFTER_EXIT_ENV, listen_addr, listeners, write_ready

log = logging.getLogger("sdkgate.net")

T0_ENV = "SDKGATE_T0_MS"


class NetRecorder:
    """Options, matcher/attributor, the event writer and its clock, and flows.har at shutdown.
    Constructor arguments win over the `sdkgate_*` options."""

    def __init__(self, canaries: dict[str, list[str]] | str | Path | None = None, out_dir: str | Path | None = None,
                 manifest=None, t0_ms: float | None = None):
        self._canaries_arg = canaries
        self._out_arg = out_dir
        self._manifest_arg = manifest
        self._t0_arg = t0_ms
        self.matcher: Matcher | None = None
        self.attributor: Attributor | None = None
        self.writer: EventWriter | None = None
        self.out_dir: Path | None = None
        self.t0_ms: float | None = None
        self._last_t = 0.0
        self.counts = {"send": 0, "flow": 0, "tls_failed": 0, "incomplete": 0}
        self._tail = None         # derived.EventsTail over the run's events.jsonl

    # --- mitmproxy events -----------------------------------------------------------------------
    def load(self, loader):
        loader.add_option("sdkgate_canaries", str, "", "sdkgate: canary file (JSON: category id -> value(s)).")
        loader.add_option("sdkgate_out", str, "", "sdkgate: folder receiving net.jsonl (and flows.har).")
        loader.add_option("sdkgate_manifest", str, "", "sdkgate: app manifest (first-party domains, extra SDK rows).")
        loader.add_option("sdkgate_t0", int, 0, "sdkgate: run start, epoch ms (t_ms is relative to it).")

    def configure(self, updated):
        o = ctx.options
        try:
            if self.matcher is None and (self._canaries_arg is not None or o.sdkgate_canaries):
                src = self._canaries_arg if self._canaries_arg is not None else o.sdkgate_canaries
                canaries = src if isinstance(src, dict) else load_canary_file(src)
                self.matcher = Matcher(canaries)
            if self.attributor is None or "sdkgate_manifest" in updated:
                man = self._manifest_arg
                if man is None and o.sdkgate_manifest:
                    from sdkgate.manifest import load_manifest
                    man = load_manifest(o.sdkgate_manifest)
                self.attributor = Attributor.for_manifest(man)
        except InputError as exc:
            raise exceptions.OptionsError(exc.render()) from None
        if self.writer is None and (self._out_arg is not None or o.sdkgate_out):
            self.out_dir = Path(self._out_arg if self._out_arg is not None else o.sdkgate_out)
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.writer = EventWriter(self.out_dir / "net.jsonl")
        if self.t0_ms is None:          # fixed once: every t_ms of the run is relative to it
            t0 = self._t0_arg if self._t0_arg is not None else (o.sdkgate_t0 or os.environ.get(T0_ENV))
            self.t0_ms = float(t0) if t0 else time.time() * 1000

    def running(self):
        if self.out_dir is not None:
            addr = listen_addr(ctx.master)
            servers = listeners(ctx.master)
            if addr:          # the proxy server is listening by now: tell whoever waits (ProxyProcess)
                write_ready(self.out_dir, addr[0], addr[1], ctx.options.confdir, servers)

    def done(self):
        """Close net.jsonl, then export flows.har from the flow file mitmproxy wrote (if any)."""
        if self.writer:
            self.writer.flush()
            self.writer.close()
            self.writer = None
        try:
            stream_file = ctx.options.save_stream_file
        except (AttributeError, KeyError):
            stream_file = ""
        if os.environ.get(HAR_AFTER_EXIT_ENV):
            return          # the parent (ProxyProcess.stop) writes flows.har once this process has exited
        if stream_file and self.out_dir and Path(stream_file).exists():
            from sdkgate.net.har import write_har
            try:
                write_har(stream_file, self.out_dir / "flows.har")
            except Exception as exc:       # never lose net.jsonl over a HAR problem
                log.error("sdkgate: HAR export failed: %r", exc)

    def poll_derived(self) -> None:
        """Add the derived values the agent reported since the last look (the run's events.jsonl, which
        the runner writes live into the same folder) to the matcher, before the next scan."""
        if self.matcher is None or self.out_dir is None:
            return
        from sdkgate.net.derived import DerivedMatcher, EventsTail
        if self._tail is None:
            self._tail = EventsTail(self.out_dir / "events.jsonl")
        new = self._tail.poll()
        if new:
            if self.matcher.derived is None:
                self.matcher.derived = DerivedMatcher()
            for dv in new:
                self.matcher.derived.add(dv)

    # --- writing events -------------------------------------------------------------------------
    def actor(self, host: str) -> str:
        return self.attributor.actor(host) if self.attributor else "unknown"

    def _t(self, ts: float | None = None) -> float:
        t = round((ts if ts is not None else time.time()) * 1000 - (self.t0_ms or 0), 3)
        if t < self._last_t:
            t = self._last_t                # one source's clock never runs backwards
        self._last_t = t
        return t

    def emit(self, kind: str, ts: float | None = None, **fields):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.writer is None:
            return None
        return self.writer.emit("net", kind, self._t(ts), **fields)

    def flush(self):
        if self.writer:
            self.writer.flush()

    def failed(self, what: str, flow, exc: BaseException):
        """Our own code failed on one flow: name it in an `incomplete` event; the proxy goes on.
        Call from inside the `except` block (the traceback is logged)."""
        host = ""
        try:
            host = flow.request.pretty_host if hasattr(flow, "request") else \
                (flow.server_conn.address or ("",))[0]
        except Exception:
            pass
        log.error("sdkgate: %s failed on flow %s (%s): %s", what, getattr(flow, "id", "?"), host,
                  traceback.format_exc())
        self.emit("incomplete", reason=msg("net: {what} failed on flow {flow} ({host}): {error}", what=what,
                                           flow=str(getattr(flow, 'id', '?')), host=host, error=repr(exc)),
                  flow_id=getattr(flow, "id", None), host=host)
        self.flush()
