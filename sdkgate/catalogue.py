"""The SDK catalogue: one table that attributes code (package prefixes) and traffic (domains) to SDKs.

Static call sites, hook stacks and network flows are all attributed here, so the three sources
agree on who did what. Longest package prefix wins, matched on whole package segments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import InputError
from .yamlio import package_data

FIRST_PARTY = "first_party"
UNKNOWN = "unknown"
# The device's own layers: framework and runtime classes the device provides (boot class path), never in
# the APK. Never an actor: static inventory does not list them, stack attribution walks past their frames.
# Code the APK ships that acts for the app (AndroidX, the support library, Kotlin, Material; okhttp, glide...)
# is a catalogue row of kind `platform` / `library` instead: the app's own (first_party, named `via`).
PLATFORM_PREFIXES = (
    "android", "java", "javax", "dalvik", "libcore", "sun",
    "jdk", "com.android.internal", "com.android.okhttp", "com.android.org.conscrypt", "com.android.server",
    "org.json", "org.apache.harmony", "org.apache.http", "org.xmlpull", "org.w3c", "org.xml",
    "com.google.android.collect", "com.google.android.gles_jni",
    "org.intellij.lang.annotations", "org.jetbrains.annotations",
)
_PLATFORM_RE = re.compile(r"^(?:%s)(?:\.|$)" % "|".join(re.escape(p) for p in PLATFORM_PREFIXES))


def is_platform(class_name: str) -> bool:
    """True for a class of the device's framework / runtime layers (dotted or smali name). Platform and
    library code shipped in the APK (AndroidX, Kotlin, ...) is a catalogue row: see `Catalogue.acting_for_app`."""
    name = java_name(class_name)
    if _SHIPPED_RE.match(name):       # under `android.` but shipped in the APK: the support library
        return False
    return bool(_PLATFORM_RE.match(name))


_SHIPPED_RE = re.compile(r"^android\.(?:support|arch)(?:\.|$)")
# platform code shipped in the APK: the bundled catalogue names it in `platform` rows; a catalogue that does
# not (a test's, a hand-made one) still never makes it an actor (is_shipped_platform)
SHIPPED_PLATFORM_PREFIXES = ("androidx", "android.support", "android.arch", "kotlin", "kotlinx",
                             "com.google.android.material", "_COROUTINE")
_SHIPPED_PLATFORM_RE = re.compile(r"^(?:%s)(?:\.|$)" % "|".join(re.escape(p) for p in SHIPPED_PLATFORM_PREFIXES))


def is_shipped_platform(class_name: str) -> bool:
    return bool(_SHIPPED_PLATFORM_RE.match(java_name(class_name)))

# catalogue row kinds: `sdk` collects data for a third party; `platform` (AndroidX/Jetpack, the support
# library, Kotlin, Material) and `library` (okhttp, glide, gson, ...: no data collection of their own) act for
# the app: what their code does is the app's (actor first_party, `via` the row), never an SDK's
ROW_KINDS = ("sdk", "platform", "library")
SDK, PLATFORM, LIBRARY = ROW_KINDS
# what an SDK does (row `purpose`; before issue 20 this was the row's `kind`)
PURPOSES = ("analytics", "push", "ads", "crash", "login", "payment", "map_location", "face_identity",
            "oaid", "utility", "share", "social", "attribution")
KINDS = PURPOSES          # the old name of the purpose list (catalogue import-exodus, catalogue list --kind)


@dataclass(frozen=True)
class Sdk:
    id: str
    name: str
    vendor: str
    kind: str                            # sdk | platform | library (ROW_KINDS)
    packages: tuple[str, ...]
    domains: tuple[str, ...] = ()
    source: str = "sdkgate"   # "sdkgate" or "exodus" for imported rows
    # signature kinds beyond the Java package (static/signatures.py matches them; globs allowed):
    components: tuple[str, ...] = ()     # manifest component classes (services, receivers, providers, activities)
    meta_data: tuple[str, ...] = ()      # <meta-data android:name> keys (UMENG_APPKEY, JPUSH_APPKEY, ...)
    permissions: tuple[str, ...] = ()    # custom permissions declared or used (*.permission.JPUSH_MESSAGE)
    native_libs: tuple[str, ...] = ()    # shared-object basenames (libjcore*.so)
    jni: tuple[str, ...] = ()            # JNI symbols exported by its native libraries (Java_cn_jiguang_*)
    assets: tuple[str, ...] = ()         # entry paths in the APK (assets/umeng_*.json)
    evidence: tuple[str, ...] = ()       # where the signatures come from
    website: str = ""                    # the vendor's page of the SDK (data/sdk_websites.yaml; Exodus rows: theirs)
    purpose: str = ""                    # analytics | push | ... (PURPOSES); what an `sdk` row does

    @property
    def acts_for_app(self) -> bool:
        """Platform and library code: its reads and calls are the app's."""
        return self.kind in (PLATFORM, LIBRARY)

    def signature_kinds(self) -> dict[str, tuple[str, ...]]:
        return {k: getattr(self, k) for k in SIGNATURE_KINDS if getattr(self, k)}


SIGNATURE_KINDS = ("components", "meta_data", "permissions", "native_libs", "jni", "assets")


def java_name(name: str) -> str:
    """`Lcom/a/B;` or `com/a/B` or `com.a.B` -> `com.a.B`."""
    if name.startswith("L") and name.endswith(";"):
        name = name[1:-1]
    return name.replace("/", ".")


def _segments_prefixes(name: str):
    """Yield package prefixes of a dotted class name, longest first (`a.b.C` -> `a.b.C`, `a.b`, `a`)."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        yield ".".join(parts[:n])


@dataclass
class Catalogue:
    sdks: dict[str, Sdk]
    _by_prefix: dict[str, str] = field(default_factory=dict, repr=False)
    _by_domain: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._by_prefix, self._by_domain = {}, {}
        for sdk in self.sdks.values():
            for p in sdk.packages:
                other = self._by_prefix.get(p)
                if other and other != sdk.id:
                    raise ValueError(f"package prefix {p} claimed by both {other} and {sdk.id}")
                self._by_prefix[p] = sdk.id
            for d in sdk.domains:
                self._by_domain.setdefault(d.lower().lstrip("."), sdk.id)

    def prefixes(self) -> dict[str, str]:
        """Every claimed package prefix -> SDK id."""
        return self._by_prefix

    # --- code attribution -------------------------------------------------------------
    def match_prefix(self, class_name: str) -> tuple[str, str] | None:
        """(sdk id, matched prefix) by longest package prefix, or None."""
        for prefix in _segments_prefixes(java_name(class_name)):
            sid = self._by_prefix.get(prefix)
            if sid:
                return sid, prefix
        return None

    def attribute_class(self, class_name: str, app_packages: tuple[str, ...] = ()) -> str:
        """SDK id, `first_party` (under one of the app's own packages, or platform / library code acting
        for the app: `library_of` names it) or `unknown`."""
        hit = self.match_prefix(class_name)
        if hit:
            return FIRST_PARTY if self.sdks[hit[0]].acts_for_app else hit[0]
        jn = java_name(class_name)
        for p in app_packages:
            if jn == p or jn.startswith(p + "."):
                return FIRST_PARTY
        return UNKNOWN

    def library_of(self, class_name: str) -> str | None:
        """The platform / library row whose code this class is, else None."""
        hit = self.match_prefix(class_name)
        return hit[0] if hit and self.sdks[hit[0]].acts_for_app else None

    def via_of(self, class_name: str) -> str | None:
        """What a report names as the `via` of a first-party call made in platform / library code: the
        package the row matched (`androidx.appcompat`, `okhttp3`), else None."""
        hit = self.match_prefix(class_name)
        return hit[1] if hit and self.sdks[hit[0]].acts_for_app else None

    def acting_for_app(self, sid: str | None) -> bool:
        row = self.sdks.get(sid or "")
        return bool(row and row.acts_for_app)

    def attribute_native_lib(self, lib: str) -> str | None:
        """SDK id whose `native_libs` names this library file (libjcore236.so against `libjcore*.so`), else None."""
        from fnmatch import fnmatchcase
        lib = lib.rsplit("/", 1)[-1]
        for sdk in self.sdks.values():
            if any(lib == pat or fnmatchcase(lib, pat) for pat in sdk.native_libs):
                return sdk.id
        return None

    # --- traffic attribution ----------------------------------------------------------
    def attribute_host(self, host: str) -> str | None:
        """SDK id owning the host (exact host or any parent domain listed), else None."""
        host = host.lower().rstrip(".")
        parts = host.split(".")
        for i in range(len(parts)):
            sid = self._by_domain.get(".".join(parts[i:]))
            if sid:
                return sid
        return None

    def merged(self, extra: list[Sdk]) -> "Catalogue":
        """A catalogue with rows added (rows whose id exists already are skipped, as are prefixes already claimed)."""
        sdks = dict(self.sdks)
        claimed = set(self._by_prefix)
        for sdk in extra:
            if sdk.id in sdks:
                continue
            pk = tuple(p for p in sdk.packages if p not in claimed)
            if not pk and not sdk.domains:
                continue
            claimed.update(pk)
            sdks[sdk.id] = replace(sdk, packages=pk)
        return Catalogue(sdks)


def parse_rows(raw, name: str) -> list[Sdk]:
    if not isinstance(raw, list):
        raise InputError(name, None, "expected a list of SDK entries")
    out, seen = [], set()
    for i, row in enumerate(raw):
        place = f"entry {i + 1}" + (f" ({row.get('id')})" if isinstance(row, dict) and row.get("id") else "")
        if not isinstance(row, dict):
            raise InputError(name, place, "expected a mapping")
        for key in ("id", "name", "vendor", "kind", "packages"):
            if not row.get(key):
                raise InputError(name, place, f"missing field {key!r}")
        kind, purpose = row["kind"], row.get("purpose") or ""
        if kind in PURPOSES and not purpose:          # a row written before issue 20: kind was the purpose
            kind, purpose = SDK, kind
        if kind not in ROW_KINDS:
            raise InputError(name, place, f"unknown kind {kind!r} (one of {', '.join(ROW_KINDS)})")
        if purpose and purpose not in PURPOSES:
            raise InputError(name, place, f"unknown purpose {purpose!r} (one of {', '.join(PURPOSES)})")
        if kind == SDK and not purpose:
            raise InputError(name, place, f"an sdk row needs a purpose (one of {', '.join(PURPOSES)})")
        if row["id"] in seen:
            raise InputError(name, place, f"duplicate SDK id {row['id']!r}")
        seen.add(row["id"])
        sigs = {}
        for key in SIGNATURE_KINDS + ("evidence",):
            v = row.get(key) or ()
            if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) for x in v):
                raise InputError(name, place, f"{key!r} must be a list of strings")
            sigs[key] = tuple(v)
        website = row.get("website") or ""
        if not isinstance(website, str):
            raise InputError(name, place, "'website' must be a string")
        out.append(Sdk(row["id"], row["name"], row["vendor"], kind, tuple(row["packages"]),
                       tuple(row.get("domains") or ()), row.get("source", "sdkgate"), **sigs, purpose=purpose,
                       website=website))
    return out


USER_CATALOGUE_ENV = "SDKGATE_CATALOGUE_EXTRA"


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def bundled_catalogue() -> Catalogue:
    """The catalogue shipped in the package (sdkgate/data/sdks.yaml)."""
    raw = package_data("sdks.yaml")
    websites = package_data("sdk_websites.yaml") or {}
    return Catalogue({s.id: (replace(s, website=str(websites[s.id])) if not s.website and s.id in websites else s)
                      for s in parse_rows(raw, "sdks.yaml")})


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The bundled catalogue plus rows imported by `sdkgate catalogue import-exodus` (user data dir).

    Imported rows never take a prefix a bundled row already claims."""
    cat = bundled_catalogue()
    extra = user_catalogue_path()
    if extra.exists():
        try:
            rows = yaml.load(extra.read_text("utf-8"), Loader=_Loader) or []  # noqa: S506
        except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
            raise InputError(str(extra), None, f"user catalogue unreadable: {exc}") from None
        cat = cat.merged(parse_rows(rows, str(extra)))
    return cat


def user_catalogue_path() -> Path:
    import os
    base = os.environ.get(USER_CATALOGUE_ENV)
    if base:
        return Path(base)
    root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return root / "sdkgate" / "catalogue-extra.yaml"
