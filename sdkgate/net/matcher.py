"""Find planted values in traffic in every form SDKs send them, with one Aho-Corasick automaton.

SDKs rarely send an identifier as is: they upper-case it, strip a MAC's colons, hash it, base64 it.
For every canary we precompute all those forms (see `forms_for`) and put them into ONE
pyahocorasick automaton, so a part of a request is scanned once whatever the number of patterns.
Bytes are scanned as latin-1 text (one char per byte), so patterns are built the same way: the
UTF-8 bytes of each form, read as latin-1. Decoded text (JSON strings) is scanned as its UTF-8 bytes.

Locations ("lat,lon") are matched at the precisions SDKs round or truncate to (2..6 decimals);
latitude and longitude are patterns of their own and count only when BOTH appear in the same part
(a lone "39.91" is too common to be evidence). The reported encoding is `latlon-<N>dp`, N the lower
of the two precisions found.
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

import ahocorasick

MIN_CORE = 8            # shortest base64 core (shifted alignment) worth searching for
LOC_PRECISIONS = range(2, 7)
_SEP_RE = re.compile(r"[:\-\s]")
_LOC_RE = re.compile(r"^\s*(-?\d{1,3}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)\s*$")


@dataclass(frozen=True)
class Form:
    """One searchable form of one planted value."""
    category: str
    value: str
    encoding: str       # which transform: plain, upper, nosep, url, hex, base64-url-nopad, md5-hex-upper, ...
    loc: str = ""       # "lat" / "lon" for location halves, else ""
    precision: int = 0


@dataclass(frozen=True)
class Match:
    category: str
    value: str
    encoding: str


def _b(s: str) -> bytes:
    return s.encode("utf-8")


def _l1(b: bytes) -> str:
    return b.decode("latin-1")


def base64_cores(data: bytes, urlsafe: bool) -> list[tuple[int, str]]:
    """The stable base64 characters of `data` at each of the 3 byte alignments inside a longer string.

    A base64 char covers 6 bits; when `data` starts at byte offset s (mod 3) of a longer blob, the
    chars whose 6 bits come only from `data` are the same whatever surrounds it.
    """
    out = []
    n = len(data)
    for s in range(3):
        enc = base64.b64encode(b"\0" * s + data + b"\0\0")
        if urlsafe:
            enc = enc.translate(bytes.maketrans(b"+/", b"-_"))
        first = -(-8 * s // 6)                   # ceil(8s/6): first char fully inside data
        last = (8 * (s + n)) // 6                 # exclusive: chars ending at or before data's end
        core = enc[first:last].decode("ascii")
        out.append((s, core))
    return out


def _value_bases(v: str) -> list[tuple[str, str]]:
    """Textual variants of a value: (name, text), the plain one first."""
    bases = [("plain", v), ("lower", v.lower()), ("upper", v.upper())]
    if _SEP_RE.search(v):
        ns = _SEP_RE.sub("", v)
        bases += [("nosep", ns), ("nosep-lower", ns.lower()), ("nosep-upper", ns.upper())]
    if ":" in v:
        d = v.replace(":", "-")
        bases += [("dash", d), ("dash-upper", d.upper())]
    seen, out = set(), []
    for name, text in bases:
        if text not in seen:
            seen.add(text)
            out.append((name, text))
    return out


def _named(base: str, enc: str) -> str:
    return enc if base == "plain" else f"{enc}({base})"


def forms_for(category: str, value: str) -> list[tuple[str, Form]]:
    """All (pattern, Form) pairs for one planted value; pattern is latin-1 text of the wire bytes."""
    out: list[tuple[str, Form]] = []

    def add(pattern: str, enc: str, **kw):
        if pattern:
            out.append((pattern, Form(category, value, enc, **kw)))

    for bname, text in _value_bases(value):
        raw = _b(text)
        add(_l1(raw), bname)
        for q in {quote(text, safe=""), quote_plus(text, safe=""), quote(text, safe="/:")}:
            if q != text:
                add(q, _named(bname, "url"))
        add(raw.hex(), _named(bname, "hex"))
        add(raw.hex().upper(), _named(bname, "hex-upper"))
        std = base64.b64encode(raw).decode()
        url = base64.urlsafe_b64encode(raw).decode()
        add(std, _named(bname, "base64"))
        add(std.rstrip("="), _named(bname, "base64-nopad"))
        add(url, _named(bname, "base64-url"))
        add(url.rstrip("="), _named(bname, "base64-url-nopad"))
        for urlsafe in (False, True):
            for shift, core in base64_cores(raw, urlsafe):
                if len(core) >= MIN_CORE:
                    add(core, _named(bname, f"base64{'-url' if urlsafe else ''}-shift{shift}"))
        for hname in ("md5", "sha1", "sha256"):
            dig = hashlib.new(hname, raw).digest()
            add(dig.hex(), _named(bname, f"{hname}-hex"))
            add(dig.hex().upper(), _named(bname, f"{hname}-hex-upper"))
            b64 = base64.b64encode(dig).decode()
            add(b64, _named(bname, f"{hname}-b64"))
            add(b64.rstrip("="), _named(bname, f"{hname}-b64-nopad"))
            add(base64.urlsafe_b64encode(dig).decode().rstrip("="), _named(bname, f"{hname}-b64-url"))
    if category == "location":
        out += location_forms(value)
    return out


def _coord_strings(x: float, p: int) -> set[str]:
    """x rounded and truncated to p decimals, with and without trailing zeros (JSON floats drop them)."""
    rounded = f"{x:.{p}f}"
    scale = 10 ** p
    t = int(abs(x) * scale) / scale
    truncated = f"{'-' if x < 0 else ''}{t:.{p}f}"
    out = {rounded, truncated}
    for s in list(out):
        stripped = s.rstrip("0")
        if len(stripped.split(".")[1]) >= 2:
            out.add(stripped)
    return out


def location_forms(value: str) -> list[tuple[str, Form]]:
    m = _LOC_RE.match(value)
    if not m:
        return []
    out = []
    for half, txt in (("lat", m.group(1)), ("lon", m.group(2))):
        x = float(txt)
        for p in LOC_PRECISIONS:
            for s in _coord_strings(x, p):
                out.append((s, Form("location", value, f"latlon-{p}dp", loc=half, precision=p)))
    return out


def _fold(text: str) -> str:
    """ASCII lower-case, one char per char (bytes.lower): the automaton runs on folded text."""
    return text.encode("latin-1").lower().decode("latin-1")


class Matcher:
    """All canaries' forms in one automaton; `scan` returns the distinct matches of one part.

    The automaton holds the patterns ASCII-lower-cased and runs over the lower-cased text (a
    smaller alphabet makes pyahocorasick's transitions markedly faster); each hit is then checked
    against the original text, so `md5-hex` and `md5-hex-upper` stay distinct.
    """

    def __init__(self, canaries: dict[str, list[str]]):
        self.forms: list[Form] = []
        self._auto = ahocorasick.Automaton()
        by_pattern: dict[str, list[int]] = {}
        claimed: set[tuple[str, str, str]] = set()    # (pattern, category, value): first form wins
        for category, values in canaries.items():
            for value in values:
                for pattern, form in forms_for(category, value):
                    key = (pattern, category, value)
                    if key in claimed:
                        continue
                    claimed.add(key)
                    self.forms.append(form)
                    by_pattern.setdefault(pattern, []).append(len(self.forms) - 1)
        by_key: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for pattern, idxs in by_pattern.items():
            by_key.setdefault(_fold(pattern), []).append((pattern, tuple(idxs)))
        for key, cands in by_key.items():
            self._auto.add_word(key, (len(key), tuple(cands)))
        self.pattern_count = len(by_pattern)
        self.max_len = max((len(p) for p in by_pattern), default=1)
        self.derived = None     # derived.DerivedMatcher: outputs the app made from planted values
        if by_pattern:
            self._auto.make_automaton()

    @classmethod
    def patterns_of(cls, canaries: dict[str, list[str]]) -> list[str]:
        """Every distinct pattern (for benchmarks comparing against a naive search)."""
        pats = {p for c, vs in canaries.items() for v in vs for p, _ in forms_for(c, v)}
        return sorted(pats)

    def raw_hits(self, data: bytes) -> list[tuple[int, int, int]]:
        """(start, end_exclusive, form index) of every pattern occurrence in data."""
        if not self.pattern_count:
            return []
        text = None
        hits = []
        for end, (length, cands) in self._auto.iter(data.lower().decode("latin-1")):
            start = end + 1 - length
            if text is None:
                text = data.decode("latin-1")
            window = text[start:end + 1]
            for pattern, idxs in cands:
                if window == pattern:
                    for i in idxs:
                        hits.append((start, end + 1, i))
        return hits

    def scan(self, data: bytes | str) -> list[Match]:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        found = self.resolve(self.raw_hits(bytes(data)))
        if self.derived is not None and len(self.derived):
            found += self.derived.scan(bytes(data))
        return found

    def kept(self, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Drop every hit lying inside a longer (or equal, earlier) hit of the same planted value."""
        forms = self.forms
        per_value: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
        for h in hits:
            f = forms[h[2]]
            per_value.setdefault((f.category, f.value), []).append(h)
        out: list[tuple[int, int, int]] = []
        for hs in per_value.values():
            hs.sort(key=lambda h: (h[0], -(h[1] - h[0]), h[2]))
            max_end = -1
            for h in hs:                      # sorted by start, longest first: containment is a sweep
                if h[1] <= max_end:
                    continue
                out.append(h)
                max_end = h[1]
        return out

    def resolve(self, hits: list[tuple[int, int, int]]) -> list[Match]:
        """Turn raw hits into distinct matches; a location counts when latitude and longitude both appear."""
        found: dict[tuple[str, str, str], Match] = {}
        lat: dict[tuple[str, str], int] = {}
        lon: dict[tuple[str, str], int] = {}
        for _, _, i in self.kept(hits):
            _record(self.forms[i], found, lat, lon)
        return _finish(found, lat, lon)

    def stream(self) -> "StreamScan":
        return StreamScan(self)


def _record(f: Form, found: dict, lat: dict, lon: dict) -> None:
    key = (f.category, f.value)
    if f.loc == "lat":
        lat[key] = max(lat.get(key, 0), f.precision)
    elif f.loc == "lon":
        lon[key] = max(lon.get(key, 0), f.precision)
    else:
        found.setdefault((f.category, f.value, f.encoding), Match(f.category, f.value, f.encoding))


def _finish(found: dict, lat: dict, lon: dict) -> list[Match]:
    out = list(found.values())
    for key, p in lat.items():
        if key in lon:
            out.append(Match(key[0], key[1], f"latlon-{min(p, lon[key])}dp"))
    return out


class StreamScan:
    """Scan a body chunk by chunk with bounded memory (for streamed uploads beyond the body cap).

    Keeps the last max_len-1 chars so a form split across two chunks is still found; the
    result is the set of distinct matches over the whole stream.
    """

    def __init__(self, matcher: Matcher):
        self.m = matcher
        self._tail = b""
        self._found: dict[tuple, Match] = {}
        self._lat: dict[tuple[str, str], int] = {}
        self._lon: dict[tuple[str, str], int] = {}
        self.bytes = 0

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.bytes += len(chunk)
        text = self._tail + bytes(chunk)
        offset = len(self._tail)
        for _, end, i in self.m.kept(self.m.raw_hits(text)):
            if end > offset:                  # hits wholly inside the tail were seen with the last chunk
                _record(self.m.forms[i], self._found, self._lat, self._lon)
        keep = self.m.max_len - 1
        d = self.m.derived
        if d is not None and len(d):
            for match in d.scan(text):
                self._found.setdefault((match.category, match.value, match.encoding), match)
            keep = max(keep, d.max_len - 1)
        self._tail = text[-keep:] if keep > 0 else b""

    def matches(self) -> list[Match]:
        return _finish(self._found, self._lat, self._lon)
