"""SDKs known by more than their Java package: the catalogue's signature kinds matched against one APK.

Obfuscation renames an SDK's packages but not what Android or the vendor's backend needs by name: the
manifest components (the system instantiates them by class name), the `<meta-data>` app keys the SDK
reads, its custom permissions, its native libraries (`System.loadLibrary` names), their exported JNI
symbols, its asset files. Any one of them is evidence that the SDK is in the APK.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from ..catalogue import SIGNATURE_KINDS, Catalogue

JNI_RE = re.compile(rb"Java_[A-Za-z0-9_]{3,200}")
MAX_LIB_BYTES = 16 * 2**20          # per native library read for JNI symbols
MAX_JNI_TOTAL = 64 * 2**20


@dataclass
class _Index:
    exact: dict[str, list[str]] = field(default_factory=dict)     # value -> sdk ids
    globs: list[tuple[str, str]] = field(default_factory=list)    # (pattern, sdk id)

    def add(self, pattern: str, sid: str) -> None:
        if any(ch in pattern for ch in "*?["):
            self.globs.append((pattern, sid))
        else:
            self.exact.setdefault(pattern, []).append(sid)

    def match(self, value: str) -> list[str]:
        out = list(self.exact.get(value, ()))
        out += [sid for pat, sid in self.globs if sid not in out and fnmatchcase(value, pat)]
        return out


def _indexes(catalogue: Catalogue) -> dict[str, _Index]:
    idx = {k: _Index() for k in SIGNATURE_KINDS}
    for sdk in catalogue.sdks.values():
        for kind, patterns in sdk.signature_kinds().items():
            for p in patterns:
                idx[kind].add(p, sdk.id)
    return idx


def match_signatures(catalogue: Catalogue, amf, entry_names: list[str], native_libs: list[str],
                     read_entry=None) -> dict[str, dict[str, list[str]]]:
    """sdk id -> {kind: [what matched]} for every signature kind found in the APK.

    `native_libs`: the entries that are ELF (zip-magic pass) plus any `*.so` entry; `read_entry(name)`
    returns an entry's bytes (for JNI symbols), or None to skip them."""
    idx = _indexes(catalogue)
    found: dict[str, dict[str, list[str]]] = {}

    def hit(kind: str, value: str, shown: str | None = None):
        for sid in idx[kind].match(value):
            lst = found.setdefault(sid, {}).setdefault(kind, [])
            if (shown or value) not in lst:
                lst.append(shown or value)

    if amf is not None:
        for c in amf.components:
            if c.kind != "application":
                hit("components", c.name)
            for key, v in c.meta:
                hit("components" if v == "androidx.startup" else "meta_data", key)
        for key, _v in amf.app_meta:
            hit("meta_data", key)
        for perm in list(amf.declared_permissions) + [p for p, _t, _m in amf.permissions]:
            hit("permissions", perm)
    libs = sorted(set(native_libs) | {e for e in entry_names if e.endswith(".so")})
    for lib in libs:
        hit("native_libs", lib.rsplit("/", 1)[-1].rsplit("!", 1)[-1], lib)
    for e in entry_names:
        if e.startswith("assets/"):
            hit("assets", e)
    if idx["jni"].exact or idx["jni"].globs:
        if read_entry is not None:
            total = 0
            for lib in libs:
                if "!" in lib or total > MAX_JNI_TOTAL:
                    continue
                data = read_entry(lib, MAX_LIB_BYTES)
                if not data:
                    continue
                total += len(data)
                for sym in set(JNI_RE.findall(data)):
                    hit("jni", sym.decode("ascii"))
    return found
