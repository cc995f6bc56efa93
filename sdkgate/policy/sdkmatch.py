"""Names as policies write them -> catalogue SDK ids (sdkgate/data/sdk_aliases.yaml + sdks.yaml).

A row maps by its package (surest), then by its name (longest alias found in it), then by its
vendor (legal name or brand; a vendor with several SDKs is resolved by the row's purpose words).
Anything but a package or an exact name is a guess and says so (`confidence: low`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..catalogue import Catalogue, default_catalogue
from ..yamlio import package_data
from .names import is_data_term
from .terms import automaton, fixed_part, kinds_in, phrase_regex

_NOISE = re.compile(r"(?i)(sdk|软件开发工具包|插件|组件|服务|平台|模块|库|for\s*android|android|安卓版?)")
_PUNCT = re.compile(r"[\s·•．.、,，:：;；'\"“”‘’()（）\[\]【】《》<>/\\|_-]+")


def norm(name: str) -> str:
    """Comparable form of a name: NFKC, lower case, no spaces or punctuation, no 'SDK'/'插件'."""
    t = unicodedata.normalize("NFKC", name).lower()
    t = _PUNCT.sub("", t)
    stripped = _NOISE.sub("", t)
    return stripped or t


def _contains(text: str, key: str) -> bool:
    """key inside text; an ASCII key only as a whole word (no 'meta' inside 'acmemessaging')."""
    if not key.isascii():
        return key in text
    return len(key) >= 3 and re.search(r"(?<![a-z0-9])" + re.escape(key) + r"(?![a-z0-9])", text) is not None


@dataclass(frozen=True)
class Match:
    sdk_id: str
    how: str            # package | name | vendor | context | name_in_text
    confidence: str     # high | low
    alias: str = ""
    note: str = ""


@dataclass
class AliasIndex:
    catalogue: Catalogue
    names: dict[str, str]                 # normalised name -> sdk id
    rows_only: set[str]                   # normalised names never matched in prose
    vendors: dict[str, str]               # normalised vendor name -> base sdk id
    context: list[tuple[str, str, tuple[str, ...]]]   # (short name, sdk id, words)
    patterns: list = field(default_factory=list)       # (name, sdk id, regex) for prose, longest first
    data_like: set[str] = field(default_factory=set)   # names that are a data term without "SDK" ("OAID SDK")
    vendor_words: dict[str, set[str]] = field(default_factory=dict)   # sdk id -> words of its vendor and names

    # ------------------------------------------------------------------------------------
    def by_package(self, pkg: str) -> Match | None:
        pkg = pkg.strip().strip(".*")
        if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+", pkg):
            return None
        hit = self.catalogue.match_prefix(pkg + ".X")
        if hit:
            return Match(hit[0], "package", "high", pkg)
        owned = [sid for p, sid in self.catalogue.prefixes().items() if p.startswith(pkg + ".")]
        if len(set(owned)) == 1:
            return Match(owned[0], "package", "low", pkg, f"package {pkg} covers {owned[0]}'s packages")
        return None

    def by_artifact(self, text: str) -> Match | None:
        """A Maven coordinate or artifact ("com.umeng.umsdk:common:9.4", "play-services-auth", "firebase-messaging")."""
        t = text.strip().strip("'\"`")
        m = re.fullmatch(r"([a-z][\w.]*\.[\w.]+):([\w.\-]+)(?::[\w.\-+]+)?", t)
        if m:
            return self.by_package(m.group(1)) or self.by_artifact(m.group(2))
        m = re.fullmatch(r"(play-services|firebase)-([a-z][a-z0-9\-]*?)(?:-ktx|-lite)?", t.lower())
        if m:
            base = "com.google.android.gms." if m.group(1) == "play-services" else "com.google.firebase."
            parts = m.group(2).split("-")
            for k in range(len(parts), 0, -1):
                hit = self.by_package(base + ".".join(parts[:k])) or self.by_package(base + "".join(parts[:k]))
                if hit:
                    return Match(hit.sdk_id, "package", hit.confidence, t, hit.note)
        return None

    def by_name(self, name: str, purpose: str = "") -> Match | None:
        n = norm(name)
        if not n:
            return None
        if n in self.data_like and not re.search(r"(?i)sdk|插件|组件", name):
            return None             # "OAID" is data; "OAID SDK" is the MSA SDK
        if n in self.names:
            return Match(self.names[n], "name", "high", name)
        # the longest known name inside the written one ("极光推送SDK（JPush）" holds "极光推送"); SDK names are
        # short, a sentence that happens to hold a short name is not one
        if len(n) > 40:
            return None
        key = (name, n)
        if key in self._cache:
            return self._cache[key]
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[key] = m = self._by_name_inside(name, n)
        return m

    def _by_name_inside(self, name: str, n: str) -> Match | None:
        best = None
        for _end, (alias, sid) in self._names_ac.iter(n) if len(self._names_ac) else ():
            if len(alias) >= (2 if len(n) <= 12 else 4) and (best is None or len(alias) > len(best[0])):
                if alias.isascii() and not re.search(r"(?<![a-z0-9])" + re.escape(alias) + r"(?![a-z0-9])", n) \
                        and len(alias) < 5:
                    continue
                best = (alias, sid)
        if best:
            extra = self._other_words(name, best[0], best[1])
            if extra and best[0].isascii() and best[0] in self.single_words:
                return None         # "Web Beacon" is not Tencent Beacon: a common word inside another term
            conf = "high" if len(best[0]) >= max(3, len(n) // 3) and not (extra and best[0].isascii()) else "low"
            return Match(best[1], "name", conf, best[0],
                         "" if conf == "high" else f"the name holds '{best[0]}'")
        return None

    def _other_words(self, written: str, alias: str, sid: str) -> list[str]:
        """Latin words of a written name beyond the alias, its SDK's vendor and names, and noise words."""
        words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", written).lower())
        own = self.vendor_words.get(sid, set())
        out, joined = [], ""
        for w in words:
            joined += w
            if w in _NOISE_WORDS or w in own or w in alias:
                continue
            out.append(w)
        return out

    @property
    def single_words(self) -> set[str]:
        return self._single

    def by_vendor(self, vendor: str, hint: str = "") -> Match | None:
        v = norm(vendor)
        if not v:
            return None
        base = self.vendors.get(v)
        if base is None:
            key = ("vendor", v)
            if key not in self._cache:
                self._cache[key] = [(k, sid) for k, sid in self.vendors.items() if len(k) >= 2 and _contains(v, k)]
            cands = self._cache[key]
            if not cands:
                return None
            base = max(cands, key=lambda c: len(c[0]))[1]
        return self._resolve_vendor(base, hint, vendor)

    def _resolve_vendor(self, base: str, hint: str, written: str) -> Match:
        vendor = self.catalogue.sdks[base].vendor
        family = [s for s in self.catalogue.sdks.values()
                  if s.vendor.split(" (")[0] == vendor.split(" (")[0] and s.source == "sdkgate"]
        kinds = kinds_in(hint)
        for k in kinds:
            pick = [s for s in family if s.purpose == k]
            if pick:
                conf = "high" if len(pick) == 1 and len(family) == 1 else "low"
                return Match(pick[0].id, "vendor", conf, written,
                             f"vendor '{written}' with purpose '{k}' -> {pick[0].id}")
        return Match(base, "vendor", "high" if len(family) == 1 else "low", written,
                     f"vendor '{written}' has {len(family)} SDKs in the catalogue; {base} chosen")

    def in_text(self, sentence: str) -> list[tuple[Match, int]]:
        """Catalogue SDKs a prose sentence names (with the position), longest names first, no overlaps."""
        found: list[tuple[Match, int]] = []
        taken: list[tuple[int, int]] = []
        low = sentence.lower()
        # only the names whose fixed part occurs in the sentence are tried (one Aho-Corasick pass)
        cand = {k for _end, ks in (self._patterns_ac.iter(low) if len(self._patterns_ac) else ()) for k in ks}
        for k in sorted(cand):
            alias, sid, rx = self.patterns[k]
            for m in rx.finditer(sentence):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                if self._compound(sentence, m.start(), alias, sid):
                    continue
                found.append((Match(sid, "name_in_text", "high", m.group(0)), m.start()))
        for short, sid, words in self.context:
            for m in re.finditer(re.escape(short), sentence):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                rest = sentence.replace(short, "")
                if any(w.lower() in rest.lower() for w in words):
                    taken.append((m.start(), m.end()))
                    found.append((Match(sid, "context", "low", short,
                                        f"'{short}' read as {sid} from the words around it"), m.start()))
        seen, out = set(), []
        for mt, pos in sorted(found, key=lambda x: x[1]):
            if mt.sdk_id not in seen:
                seen.add(mt.sdk_id)
                out.append((mt, pos))
        return out


    def _compound(self, sentence: str, start: int, alias: str, sid: str) -> bool:
        """A one-word Latin name right after another content word ("Web Beacon", "mobile Segment") is part of
        another term, unless that word is the SDK's vendor ("Tencent Beacon")."""
        if not (alias.isascii() and norm(alias) in self._single):
            return False
        m = re.search(r"([A-Za-z]+)[\s-]+$", sentence[max(0, start - 40):start])
        if not m:
            return False
        w = m.group(1).lower()
        return w not in _NOISE_WORDS and w not in _FUNCTION_WORDS and w not in self.vendor_words.get(sid, set())

    _single: set[str] = field(default_factory=set)
    _cache: dict = field(default_factory=dict)
    _names_ac: object = None
    _patterns_ac: object = None
    _vendors_ac: object = None

    def vendors_in(self, normalised: str):
        """(normalised vendor legal name, base sdk id) of the company names inside a normalised sentence."""
        if not len(self._vendors_ac):
            return []
        return list(dict.fromkeys(v for _end, v in self._vendors_ac.iter(normalised)))


_NOISE_WORDS = {"sdk", "sdks", "android", "for", "the", "library", "kit", "plugin", "api", "apis", "module", "version",
                "v", "and", "by", "of", "inc", "ltd", "llc", "co", "corp", "limited", "service", "services", "platform",
                "client", "lib", "framework", "component", "open", "mobile"}
_FUNCTION_WORDS = {"use", "uses", "using", "used", "integrate", "integrates", "integrated", "with", "or", "a", "an",
                   "our", "we", "via", "from", "to", "including", "include", "includes", "such", "as", "like", "is",
                   "are", "called", "named", "through", "namely", "e", "g", "eg", "ie", "by", "on", "in", "at", "its",
                   "their", "your", "this", "that", "these", "those", "not", "no", "nor", "both", "either", "also",
                   "provided", "powered", "embed", "embeds", "embedded", "adopt", "adopts", "which", "if", "when"}


@lru_cache(maxsize=1)
def aliases_raw() -> dict:
    return package_data("sdk_aliases.yaml") or {}


def alias_index(catalogue: Catalogue | None = None) -> AliasIndex:
    cat = catalogue or default_catalogue()
    raw = aliases_raw()
    names: dict[str, str] = {}
    rows_only: set[str] = set()
    vendors: dict[str, str] = {}
    context: list[tuple[str, str, tuple[str, ...]]] = []
    prose: list[tuple[str, str]] = []
    for sid, row in raw.items():
        if sid not in cat.sdks:
            continue
        for n in row.get("names") or ():
            names.setdefault(norm(str(n)), sid)
            if str(n) not in (row.get("rows_only") or ()):
                prose.append((str(n), sid))
        for n in row.get("rows_only") or ():
            rows_only.add(norm(str(n)))
        for v in row.get("vendors") or ():
            vendors.setdefault(norm(str(v)), sid)
        for c in row.get("context") or ():
            context.append((str(c["name"]), sid, tuple(c.get("words") or ())))
    for sdk in cat.sdks.values():
        # the catalogue's own names: "Tencent Bugly (腾讯 Bugly)" -> both halves
        for part in re.split(r"\s*[()]\s*", sdk.name):
            if len(norm(part)) >= 3:
                names.setdefault(norm(part), sdk.id)
    idx = AliasIndex(cat, names, rows_only, vendors, context)
    for sid, row in raw.items():
        for n in row.get("names") or ():
            bare = re.sub(r"(?i)\s*(sdk|插件|组件)\s*", " ", str(n)).strip()
            if bare and is_data_term(bare):
                idx.data_like.add(norm(str(n)))
    for sdk in cat.sdks.values():
        words = set(re.findall(r"[a-z0-9]+", f"{sdk.vendor} {sdk.name}".lower()))
        idx.vendor_words[sdk.id] = words
    for sid, row in raw.items():
        for v in row.get("vendors") or ():
            idx.vendor_words.setdefault(sid, set()).update(re.findall(r"[a-z0-9]+", str(v).lower()))
    idx._single = {k for k in names if k.isascii() and k.isalpha() and
                   any(str(n).isascii() and " " not in str(n).strip() and norm(str(n)) == k
                       for n in (raw.get(names[k], {}).get("names") or ()))}
    pats = []
    for n, sid in sorted(prose, key=lambda x: -len(x[0])):
        if len(norm(n)) < 2 or (n.isascii() and len(n) < 4):     # "GMS", "OSS", "TIM": SDK lists only
            continue
        flags = 0 if (n.isascii() and n.upper() == n) else re.I
        rx = phrase_regex(n)
        if n.isascii():
            rx = r"(?<![A-Za-z0-9])" + rx.removeprefix(r"(?<![A-Za-z0-9])")
        pats.append((n, sid, re.compile(rx, flags)))
    idx.patterns = pats
    idx._names_ac = automaton((k, (k, sid)) for k, sid in names.items())
    lits: dict[str, list[int]] = {}
    for k, (n, _sid, _rx) in enumerate(pats):
        lits.setdefault(fixed_part(n), []).append(k)
    idx._patterns_ac = automaton(lits.items())
    idx._vendors_ac = automaton((v, (v, base)) for v, base in vendors.items()
                                 if len(v) >= 6 and re.search(r"公司|inc|ltd|llc|gmbh|有限", v))
    return idx


def kind_of(sdk_id: str, catalogue: Catalogue | None = None) -> str:
    cat = catalogue or default_catalogue()
    s = cat.sdks.get(sdk_id)
    return s.purpose if s else ""
