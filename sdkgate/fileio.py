"""Small file helpers shared by the runner, the bundle and the reports: one of each.

Every JSON or JSON Lines file sdkgate reads as evidence goes through the bounded readers here
(`loads_bounded`, `read_json_document`, `read_json_object`, `bounded_lines`): a file shaped by a
hostile app or bundle author cannot make them recurse, build an unbounded string, or raise anything
but ValueError (documents) / a bad line (JSON Lines). The bounds are listed in docs/internals.md.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import IO, Any, Iterator

MAX_LINE_BYTES = 1 << 20        # one JSON Lines record (an event): longer is a bad line, skipped unread
MAX_JSON_DEPTH = 64             # nesting of any JSON value sdkgate reads: deeper is refused before parsing
MAX_DOC_BYTES = 64 << 20        # one whole JSON document (report.json, run.json, bundle.json, canaries, HAR)

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


class JsonLimitError(ValueError):
    """A JSON text beyond sdkgate's bounds (too long, too deep): refused before json.loads sees it."""


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_depth(raw: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise JsonLimitError when brackets (outside strings) nest deeper than `limit`.

    Linear and recursion-free: brackets are peeled innermost-first, one level per pass, at most
    `limit` passes. Unbalanced brackets deep enough to matter are refused as well (json would
    recurse into them before noticing)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:       # the common case: cannot be deeper
        return
    skel = _STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    passes = 0
    while skel and passes < limit:
        shorter = _INNERMOST.sub(b"", skel)
        if len(shorter) == len(skel):   # unbalanced: only unmatched brackets are left
            break
        skel, passes = shorter, passes + 1
    if not skel:
        return
    # what json.loads could recurse into: the levels peeled so far plus every opener left
    if passes + skel.count(b"[") + skel.count(b"{") > limit:
        raise JsonLimitError(f"nested deeper than {limit} levels (the limit for evidence JSON)")


def loads_bounded(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH, unicode_errors: bool = False) -> Any:
    """json.loads with the depth bound checked first; raises ValueError (JsonLimitError for bounds).
    `unicode_errors`: bytes that are not UTF-8/16/32 raise UnicodeDecodeError (to try another encoding)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    check_depth(data, max_depth)
    try:
        return json.loads(data)
    except RecursionError:              # pragma: no cover - check_depth makes this unreachable
        raise JsonLimitError(f"nested deeper than {max_depth} levels") from None
    except UnicodeDecodeError as exc:
        if unicode_errors:
            raise
        raise ValueError(f"not UTF-8: {exc.reason} at byte {exc.start}") from None


_DECODER = json.JSONDecoder()
_DECODE = _DECODER.decode                      # str in: skips json.loads' per-call encoding sniffing
_SCAN = _DECODER.scan_once                     # the C scanner itself: one value at an index


def decode_json_line(raw: bytes) -> Any:
    """One JSON Lines record whose length the caller has bounded (`MAX_LINE_BYTES`): the depth bound is
    checked only when the brackets could nest that deep. Raises JsonLimitError, UnicodeDecodeError or
    ValueError. The hot path of every judgement: a line as sdkgate writes it (a value, then a newline)
    goes straight to the C scanner; anything else gets json's own checks and messages."""
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH:
        check_depth(raw)
    s = raw.decode("utf-8")
    try:
        obj, end = _SCAN(s, 0)
    except StopIteration:
        return _DECODE(s)
    n = len(s)
    if end == n or (end == n - 1 and s[end] == "\n"):
        return obj
    return _DECODE(s)


def read_bounded_bytes(fh: IO[bytes], max_bytes: int, what: str = "file") -> bytes:
    """Read a whole (small) file object, refusing it once it passes max_bytes (never reads more)."""
    chunks, got = [], 0
    while True:                         # in chunks: read(max_bytes) would allocate max_bytes up front
        chunk = fh.read(min(1 << 20, max_bytes + 1 - got))
        if not chunk:
            return b"".join(chunks)
        got += len(chunk)
        if got > max_bytes:
            raise JsonLimitError(f"{what} larger than {max_bytes} bytes (the limit for one document)")
        chunks.append(chunk)


def read_json_document(path: str | Path, *, max_bytes: int = MAX_DOC_BYTES) -> Any:
    """One JSON document from a file, bounded in size and depth. Raises OSError or ValueError."""
    with open(path, "rb") as fh:
        return loads_bounded(read_bounded_bytes(fh, max_bytes, "file"))


def read_json_object(path: str | Path, *, max_bytes: int = MAX_DOC_BYTES) -> dict[str, Any]:
    """A JSON object from a file, or {} when it is missing, unreadable, out of bounds or not an object.

    For optional metadata (run.json, bundle.json, a HAR) shown in reports; evidence that must be
    there is read strictly elsewhere. Symlinks are not followed."""
    p = Path(path)
    try:
        if p.is_symlink():
            return {}
        d = read_json_document(p, max_bytes=max_bytes)
    except (OSError, ValueError):
        return {}
    return d if isinstance(d, dict) else {}


def bounded_lines(fh: IO[bytes], max_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, raw line or None when longer than max_bytes, its length) for each line.

    A line over the bound is skipped in chunks without ever being held whole."""
    readline = fh.readline
    n = 0
    cap = max_bytes + 1
    while True:
        raw = readline(cap)
        if not raw:
            return
        n += 1
        if len(raw) < cap or raw[-1:] == b"\n":
            yield n, raw, len(raw)
            continue
        size = len(raw)
        while raw and raw[-1:] != b"\n":
            raw = readline(1 << 20)
            size += len(raw)
        yield n, None, size
