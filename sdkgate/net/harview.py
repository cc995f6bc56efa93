"""The flows of flows.har a report page draws, read bounded: a HAR within the page's limit is read whole
(fileio's bounded reader); a larger one written by sdkgate (one entry per line, net/har.py) is read up to
its first `max_entries` flows, and the page says how much was drawn. A larger HAR in another layout is not
drawn (said too). No mitmproxy import here."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any, Callable

from ..fileio import JsonLimitError, decode_json_line, loads_bounded, read_bounded_bytes

HAR_MAX_BYTES = 50 << 20          # read whole up to this; beyond, the first flows only
HAR_MAX_ENTRIES = 5_000           # flows a page draws at most
HAR_MAX_ENTRY_BYTES = 8 << 20     # one HAR entry (a flow with its bodies); longer: skipped
ENTRIES_OPEN = b'"entries": ['


@dataclass
class HarDrawn:
    entries: list[dict] = field(default_factory=list)
    over: bool = False            # the file is over the byte limit
    cut: bool = False             # not every flow was read (over a bound)
    unread: bool = False          # over the byte limit and not in sdkgate's layout: nothing read
    skipped: int = 0              # entries not drawn because they were malformed or too long


def read_har(open_har: Callable[[], IO[bytes]], *, max_bytes: int = HAR_MAX_BYTES,
             max_entries: int = HAR_MAX_ENTRIES) -> HarDrawn:
    """The flows to draw from the HAR that `open_har()` opens (called once or twice, each a fresh read)."""
    out = HarDrawn()
    try:
        with open_har() as fh:
            doc = loads_bounded(read_bounded_bytes(fh, max_bytes, "flows.har"))
    except JsonLimitError as exc:
        if "larger than" not in str(exc):
            return out                      # nested too deep: not drawn
        out.over = True
    except (ValueError, OSError):
        return out
    else:
        entries = ((doc.get("log") or {}).get("entries") if isinstance(doc, dict) else None) or []
        if isinstance(entries, list):
            out.entries = [e for e in entries[:max_entries] if isinstance(e, dict)]
            out.cut = len(entries) > max_entries
        return out
    with open_har() as fh:
        _read_lines(fh, out, max_bytes, max_entries)
    return out


def _read_lines(fh: IO[bytes], out: HarDrawn, max_bytes: int, max_entries: int) -> None:
    """sdkgate's HAR layout: a header line ending in `"entries": [`, then one entry per line."""
    head = fh.readline(64 << 10)
    if not head.rstrip().endswith(ENTRIES_OPEN):
        out.unread = out.cut = True
        return
    read = len(head)
    while True:
        raw = fh.readline(HAR_MAX_ENTRY_BYTES + 1)
        if not raw or raw.lstrip().startswith(b"]"):
            return
        read += len(raw)
        if len(out.entries) >= max_entries or read > max_bytes:
            out.cut = True
            return
        if len(raw) > HAR_MAX_ENTRY_BYTES and not raw.endswith(b"\n"):
            out.skipped += 1
            while raw and not raw.endswith(b"\n"):          # the rest of an over-long entry, never held whole
                raw = fh.readline(1 << 20)
                read += len(raw)
            continue
        try:
            entry: Any = decode_json_line(raw.rstrip().rstrip(b","))
        except (JsonLimitError, ValueError):
            out.skipped += 1
            continue
        if isinstance(entry, dict):
            out.entries.append(entry)
        else:
            out.skipped += 1
