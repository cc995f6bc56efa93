"""One evidence model for every source (static, hook, net, step): an event, stored as JSON Lines.

Every line is one JSON object with `v` (schema version), `seq` (per-source counter, no gaps),
`t_ms` (ms since run start, one clock for all sources of a run), `source`, `kind` and the fields of
that kind. Readers stream: memory does not grow with the length of the log.
"""
from __future__ import annotations

import heapq
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .fileio import (MAX_LINE_BYTES, JsonLimitError, bounded_lines, decode_json_line, loads_bounded)
from .i18n import Msg

SCHEMA_VERSION = 1
MAX_T_MS = 1e15         # ±31,000 years around the run start: any real clock, epoch ms included
SOURCES = ("static", "hook", "net", "step", "rematch")   # rematch: sends re-derived at evaluation (net/rematch.py)
# kind -> what it means
KINDS = {
    "read": "a sensitive API was called (hook) ",
    "call_site": "a sensitive API is referenced in code (static)",
    "send": "a planted or real personal value was seen in traffic (net)",
    "flow": "one request/response or connection seen by the proxy (net)",
    "tls_failed": "a TLS handshake the proxy could not intercept, e.g. certificate pinning (net)",
    "permission_request": "the app asked for runtime permissions",
    "permission_result": "the user's answer to a permission request",
    "permission_declared": "a uses-permission in the APK manifest (static)",
    "consent": "a consent transition: scope + granted|declined|withdrawn (step log)",
    "consent_marker": "the app recorded a consent decision (marker hook: method or SharedPreferences key)",
    "lifecycle": "process/app lifecycle: spawn, launch, background, foreground, kill, died, clock",
    "feature": "a feature was opened (step)",
    "step": "a scenario step started or ended",
    "sdk_present": "an SDK's code is in the APK (static)",
    "component": "an SDK component that runs at process start (static)",
    "path": "a call path from a process entry point to an SDK init / sensitive API (static)",
    "scan": "a static scan summary (one per APK)",
    "agent_status": "agent health: loaded, dropped event counts, errors",
    "incomplete": "the producer knows its evidence is incomplete (reason in `reason`)",
    "code_loaded": "code loaded at run time by a class loader (hook): path or in-memory, size, sha256, loader stack",
    "net_connect": "the app reached a socket destination: ip, port, protocol, resolved host (hook: libc connect/sendto/sendmsg)",
    "derived": "the app transformed planted values (hash, cipher, base64 ...): categories, chain, output digest + prefix (hook)",
    "capture": "how the run captured traffic: mode, proxy listeners, QUIC policy, unpinning (step)",
    "unpinned": "run --unpin: the agent bypassed a certificate pin check (host, via) (hook)",
}
TRANSITIONS = ("granted", "declined", "withdrawn")
CORE = ("v", "seq", "t_ms", "source", "kind", "category", "api", "actor", "stack", "consent")


@dataclass(slots=True)
class Event:
    seq: int
    t_ms: float
    source: str
    kind: str
    category: str | None = None
    api: str | None = None          # smali signature (or api id where no signature applies)
    actor: str | None = None        # SDK id / first_party / unknown
    stack: list[str] = field(default_factory=list)
    consent: dict[str, str] | None = None   # scope -> state at that moment, as the producer saw it
    extra: dict[str, Any] = field(default_factory=dict)
    v: int = SCHEMA_VERSION

    def get(self, key: str, default=None):
        return self.extra.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"v": self.v, "seq": self.seq, "t_ms": self.t_ms, "source": self.source, "kind": self.kind}
        for k in ("category", "api", "actor"):
            val = getattr(self, k)
            if val is not None:
                d[k] = val
        if self.stack:
            d["stack"] = self.stack
        if self.consent is not None:
            d["consent"] = self.consent
        d.update(self.extra)
        for k, v in self.extra.items():        # a message keeps its id and parameters next to its English text
            if v.__class__ is Msg:
                d[k + "_msg"] = v.to_json()
            elif v.__class__ is list and any(x.__class__ is Msg for x in v):
                d[k + "_msgs"] = [x.to_json() if x.__class__ is Msg else None for x in v]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        """Build from a parsed line (the dict becomes the event's `extra`: callers pass a fresh one).

        Raises ValueError on a missing or mistyped core field."""
        pop = d.pop
        try:
            seq, t_ms, source, kind = pop("seq"), pop("t_ms"), pop("source"), pop("kind")
        except KeyError as exc:
            raise ValueError(f"missing field {exc.args[0]!r}") from None
        if seq.__class__ is not int:
            raise ValueError("seq must be an integer")
        if t_ms.__class__ is not float and t_ms.__class__ is not int:
            raise ValueError("t_ms must be a number")
        if not -MAX_T_MS <= t_ms <= MAX_T_MS:                    # NaN, Infinity, or beyond any run's clock
            raise ValueError(f"t_ms must be a finite number within ±{MAX_T_MS:.0e} ms")
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        if kind.__class__ is not str:
            raise ValueError("kind must be a string")
        v = pop("v", SCHEMA_VERSION)
        if v.__class__ is not int or v > SCHEMA_VERSION:
            raise ValueError(f"event schema version {v!r} is newer than this sdkgate understands ({SCHEMA_VERSION})")
        stack = pop("stack", None) or []
        if stack.__class__ is not list:
            raise ValueError("stack must be a list")
        category, api, actor, consent = pop("category", None), pop("api", None), pop("actor", None), pop("consent", None)
        if category is not None and category.__class__ is not str:
            raise ValueError("category must be a string")
        if api is not None and api.__class__ is not str:
            raise ValueError("api must be a string")
        if actor is not None and actor.__class__ is not str:
            raise ValueError("actor must be a string")
        if consent is not None and consent.__class__ is not dict:
            raise ValueError("consent must be an object")
        for s in stack:
            if s.__class__ is not str:
                raise ValueError("stack must be a list of strings")
        return cls(seq, t_ms, source, kind, category, api, actor, stack, consent, d, v)


@dataclass
class BadLine:
    """A line that could not be read; the engine turns it into an `incomplete` reason."""
    file: str
    line: int
    problem: str


def check_event_log(path: str | Path) -> None:
    """Bad input, before judging: a file that is not a JSON Lines event log at all (a flow file,
    an APK, a report) is named with exit 2 rather than judged as thousands of broken lines."""
    from .errors import InputError
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), None, "event log not found")
    with path.open("rb") as fh:
        for n, raw, _size in bounded_lines(fh):
            if raw is None:
                return       # an over-long first line: judged as a broken line
            if raw.strip():
                try:
                    first = loads_bounded(raw)
                except JsonLimitError:
                    return   # too deep: judged as a broken line
                except ValueError:
                    cut_short = not raw.endswith(b"\n") and raw.lstrip().startswith(b'{"') and b"\0" not in raw
                    if not cut_short:
                        hint = "a mitmproxy flow file? give net.jsonl" if raw[:12].split(b":")[0].isdigit() else \
                            "binary or other text"
                        raise InputError(str(path), f"line {n}", f"not a JSON Lines event log ({hint})") from None
                    return       # a single line cut short while writing: judged as a broken line
                if not isinstance(first, dict) or "kind" not in first or "source" not in first:
                    raise InputError(str(path), f"line {n}", "not an sdkgate event (no 'source'/'kind'): "
                                     "is this a report or another JSON file?")
                return


def read_events(path: str | Path) -> Iterator[Event | BadLine]:
    """Stream events from a JSONL file; broken lines come out as BadLine (never an exception)."""
    path = Path(path)
    with path.open("rb") as fh:
        yield from parse_lines(fh, str(path))


def parse_lines(fh: IO[bytes] | Iterable[bytes], name: str) -> Iterator[Event | BadLine]:
    """Events of a JSON Lines stream, bounded: a line over MAX_LINE_BYTES or nested deeper than
    MAX_JSON_DEPTH (fileio) is a BadLine, never read whole and never handed to the recursive parser."""
    decode, from_dict = decode_json_line, Event.from_dict
    for n, raw, size in (bounded_lines(fh) if hasattr(fh, "readline") else _numbered(fh)):
        if raw is None:
            yield BadLine(name, n, f"line of {size} bytes, longer than the limit of {MAX_LINE_BYTES}: not read")
            continue
        try:
            d = decode(raw)
        except UnicodeDecodeError as exc:
            yield BadLine(name, n, f"not UTF-8: {exc.reason} at byte {exc.start}")
            continue
        except JsonLimitError as exc:
            yield BadLine(name, n, str(exc))
            continue
        except (ValueError, RecursionError) as exc:
            if raw.strip():
                cut = not raw.endswith(b"\n")        # the last line of a file cut short while writing
                yield BadLine(name, n, "truncated line (no newline, not valid JSON)" if cut else f"not valid JSON: {exc}")
            continue
        if d.__class__ is not dict:
            yield BadLine(name, n, "not a JSON object")
            continue
        try:
            yield from_dict(d)
        except (ValueError, TypeError, AttributeError) as exc:
            yield BadLine(name, n, str(exc)[:200])


def _numbered(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes | None, int]]:
    for n, raw in enumerate(lines, 1):
        yield (n, raw, len(raw)) if len(raw) <= MAX_LINE_BYTES + 1 else (n, None, len(raw))


def merge_streams(streams: list[Iterator[Event | BadLine]]) -> Iterator[Event | BadLine]:
    """Merge several time-ordered streams on the one run clock (t_ms); bad lines pass straight through."""
    if len(streams) == 1:
        yield from streams[0]
        return

    def keyed(i: int, it: Iterator[Event | BadLine]):
        last = 0.0
        for item in it:
            if isinstance(item, BadLine):
                yield (last, i, 0, item)
            else:
                last = item.t_ms
                yield (item.t_ms, i, item.seq, item)

    for _, _, _, item in heapq.merge(*(keyed(i, s) for i, s in enumerate(streams))):
        yield item


class EventWriter:
    """Append events as JSON Lines, assigning per-source seq numbers when the producer did not."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._fh = self.path.open("a", encoding="utf-8")
        self._next: dict[str, int] = {}

    def next_seq(self, source: str) -> int:
        n = self._next.get(source, 0)
        self._next[source] = n + 1
        return n

    def write(self, ev: Event) -> Event:
        self._fh.write(ev.to_json() + "\n")
        return ev

    def emit(self, source: str, kind: str, t_ms: float, **fields) -> Event:
        core = {k: fields.pop(k) for k in ("category", "api", "actor", "stack", "consent") if k in fields}
        ev = Event(seq=self.next_seq(source), t_ms=t_ms, source=source, kind=kind, extra=fields, **core)
        return self.write(ev)

    def flush(self):
        self._fh.flush()

    def close(self):
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
