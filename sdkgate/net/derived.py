"""Derived values: what the app made from planted values (a hash of several identifiers, an AES
envelope, base64 of either). The agent records each transformation as a `derived` event (hooks/src/
derive.ts: categories, chain, output SHA-256 and a prefix of up to 48 output bytes); here those
outputs become search patterns (the prefix as raw bytes, hex, HEX and base64 at every alignment),
kept in an automaton of their own next to the canary automaton.

During a run the proxy tails the run's events.jsonl (`EventsTail`, agent -> host -> file -> proxy)
and adds each new output before it scans the next message. `evaluate`/`verify` re-match the
recorded traffic (flows.mitm) with the derived values of events.jsonl (`rematch_sends`), so the
same report comes out months later; a send found this way has `encoding: derived:<chain>`.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from sdkgate.fileio import MAX_LINE_BYTES, bounded_lines, loads_bounded
from sdkgate.net.matcher import MIN_CORE, Match, base64_cores

MIN_OUTPUT = 8            # shorter outputs are too common to be evidence
ENCODING_PREFIX = "derived:"


@dataclass(frozen=True)
class DerivedValue:
    categories: tuple[str, ...]
    chain: str
    sha256: str
    prefix: bytes


def from_fields(fields: dict) -> DerivedValue | None:
    """A DerivedValue from a `derived` event's fields; None without a usable output."""
    hexp = fields.get("out_prefix")
    cats = fields.get("categories") or []
    if not isinstance(hexp, str) or not isinstance(cats, list) or not cats:
        return None
    try:
        prefix = bytes.fromhex(hexp)
    except ValueError:
        return None
    if len(prefix) < MIN_OUTPUT:
        return None
    return DerivedValue(tuple(str(c) for c in cats), str(fields.get("chain") or "?"), str(fields.get("out_sha256") or ""),
                        prefix)


def patterns(dv: DerivedValue) -> list[tuple[str, str]]:
    """(latin-1 pattern, form name) of one output."""
    p = dv.prefix
    out = [(p.decode("latin-1"), "raw"), (p.hex(), "hex"), (p.hex().upper(), "hex-upper")]
    out.append((base64.b64encode(p).decode().rstrip("="), "base64"))
    for urlsafe in (False, True):
        for shift, core in base64_cores(p, urlsafe):
            if len(core) >= MIN_CORE:
                out.append((core, f"base64{'-url' if urlsafe else ''}-shift{shift}"))
    return [(pat, name) for pat, name in out if len(pat) >= MIN_OUTPUT]


class DerivedMatcher:
    """The derived outputs of one run in one automaton (rebuilt when values are added)."""

    def __init__(self):
        self.values: list[DerivedValue] = []
        self._keys: set[tuple[str, bytes]] = set()
        self._auto = None
        self._dirty = False
        self.max_len = 1

    def add(self, dv: DerivedValue) -> bool:
        key = (dv.chain, dv.prefix)
        if key in self._keys:
            return False
        self._keys.add(key)
        self.values.append(dv)
        self._dirty = True
        return True

    def _build(self):
        auto = ahocorasick.Automaton()
        by_pat: dict[str, list[int]] = {}
        for i, dv in enumerate(self.values):
            for pat, _ in patterns(dv):
                by_pat.setdefault(pat, []).append(i)
        for pat, idx in by_pat.items():
            auto.add_word(pat, (pat, tuple(idx)))
        if by_pat:
            auto.make_automaton()
            self.max_len = max(len(p) for p in by_pat)
        self._auto = auto if by_pat else None
        self._dirty = False

    def scan(self, data: bytes | str) -> list[Match]:
        if self._dirty:
            self._build()
        if self._auto is None:
            return []
        if isinstance(data, bytes):
            data = data.decode("latin-1")
        found: dict[tuple[str, str], Match] = {}
        for _, (_, idx) in self._auto.iter(data):
            for i in idx:
                dv = self.values[i]
                for cat in dv.categories:
                    found.setdefault((cat, dv.chain), Match(cat, dv.sha256 or dv.prefix.hex(), ENCODING_PREFIX + dv.chain))
        return list(found.values())

    def __len__(self) -> int:
        return len(self.values)


class EventsTail:
    """Follow a growing events.jsonl and return the derived values of lines appended since last time."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.offset = 0
        self._partial = b""

    def poll(self) -> list[DerivedValue]:
        try:
            size = self.path.stat().st_size
        except OSError:
            return []
        if size < self.offset:                     # rewritten (sorted at the end of a run): start over
            self.offset, self._partial = 0, b""
        if size == self.offset:
            return []
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            chunk = fh.read(size - self.offset)
        self.offset = size
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        return values_in_lines(lines)


def values_in_lines(lines) -> list[DerivedValue]:
    """The derived values of raw JSON Lines: only lines naming `"derived"` are parsed (the rest of a log of
    millions of reads costs a substring test, not a second JSON pass)."""
    out = []
    for line in lines:
        if b'"derived"' not in line:
            continue
        try:
            ev = loads_bounded(line) if len(line) <= MAX_LINE_BYTES else None
        except ValueError:
            continue
        if isinstance(ev, dict) and ev.get("kind") == "derived":
            dv = from_fields(ev)
            if dv is not None:
                out.append(dv)
    return out


def values_in_file(path: Path) -> list[DerivedValue]:
    """The derived values of an events.jsonl, read line by line with the line bound (fileio)."""
    with Path(path).open("rb") as fh:
        return values_in_lines(raw for _, raw, _ in bounded_lines(fh) if raw is not None)

