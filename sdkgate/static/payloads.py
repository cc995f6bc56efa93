"""The zip-magic pass: every entry of the APK is identified by its first bytes, not by its name or folder.

Code can hide anywhere: a DEX renamed `lib/arm64-v8a/libfoo.so`, a jar named `res/raw/a.png`, an OAT file
in `assets/`. Whatever holds DEX (a DEX, or a zip/jar/apk with DEX inside) is scanned as part of the app,
named by its entry path (`res/raw/x.bin!classes.dex`); compiled code we cannot read (OAT, VDEX, compact or
optimised DEX) makes the scan incomplete; high-entropy blobs (encrypted or packed) are listed so that a
code-loading call site with no payload in the APK can name them.
"""
from __future__ import annotations

import math
import struct
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from ..errors import InputError
from .container import DEX_RE, Archive, EntryError
from ..i18n import exc_text, inside, msg

HEAD = 64
ENTROPY_SAMPLE = 4096
# media / data formats known by their first bytes: not code, not an unknown blob
_KNOWN_DATA = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"OggS", b"ID3", b"\x1f\x8b", b"\x00\x01\x00\x00",
               b"OTTO", b"wOFF", b"wOF2", b"fLaC", b"\x03\x00\x08\x00", b"\x02\x00\x0c\x00", b"BZh", b"7z\xbc\xaf",
               b"%PDF", b"<?xml", b"{", b"[")
BLOB_MIN_BYTES = 2048
BLOB_ENTROPY = 7.2          # bits per byte: encrypted or compressed data
KNOWN_DEX_VERSIONS = (b"035", b"036", b"037", b"038", b"039", b"040", b"041")
# entries Android itself reads and whose format is not code
_SKIP = {"AndroidManifest.xml", "resources.arsc"}


@dataclass
class Payload:
    entry: str                  # path in the APK (nested: `assets/a.jar!classes.dex`)
    kind: str                   # dex | zip | elf | oat | vdex | cdex | odex | blob
    size: int
    note: str = ""


@dataclass
class PayloadScan:
    payloads: list[Payload] = field(default_factory=list)
    dex_blobs: list[tuple[str, bytes]] = field(default_factory=list)   # embedded DEX to scan with the app
    problems: list[str] = field(default_factory=list)
    native_libs: list[str] = field(default_factory=list)              # every ELF entry (path in the APK)
    seconds: float = 0.0

    def code_entries(self) -> list[str]:
        """Entries that hold code we read (DEX, archives with DEX)."""
        return [p.entry for p in self.payloads if p.kind in ("dex", "zip")]

    def blobs(self) -> list[Payload]:
        return [p for p in self.payloads if p.kind == "blob"]


def classify(head: bytes) -> str | None:
    if head[:4] == b"dex\n":
        return "dex"
    if head[:4] == b"dey\n":
        return "odex"
    if head[:4] == b"cdex":
        return "cdex"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if head[:4] == b"\x7fELF":
        return "elf"
    if head[:4] == b"vdex":
        return "vdex"
    return None


def entropy(data: bytes) -> float:
    if not data:
        return 0.0
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in Counter(data).values())


def dex_version_problems(name: str, data: bytes) -> list[str]:
    """Unknown DEX versions and DEX 041 containers holding more than one DEX are reported, not guessed."""
    version = data[4:7]
    if version not in KNOWN_DEX_VERSIONS:
        return [msg("{where}: DEX version {version} is unknown to this reader: read as 035-040, code may be missing",
                    where=name, version=repr(version.decode('latin-1')))]
    if version == b"041" and len(data) >= 0x78:
        file_size, header_size = struct.unpack_from("<I", data, 0x20)[0], struct.unpack_from("<I", data, 0x24)[0]
        if header_size >= 0x78:
            container_size = struct.unpack_from("<I", data, 0x70)[0]
            if container_size > file_size or len(data) > file_size:
                return [msg("{where}: DEX 041 container of {n} bytes holds more DEX after the first {first} bytes; only "
                            "the first was read", where=name, n=max(container_size, len(data)), first=file_size)]
    return []


def _head(apk: Archive, info: zipfile.ZipInfo, n: int) -> bytes:
    with apk.zf.open(info) as fh:
        return fh.read(n)


def scan_payloads(apk: Archive, loaded: set[str]) -> PayloadScan:
    """Identify every entry by magic; load the DEX hidden in entries `load_dex_blobs` did not read."""
    t0 = time.perf_counter()
    out = PayloadScan()
    nested_left = apk.budget.limits.max_nested_archives
    for name in apk.names:
        if name.endswith("/") or name in _SKIP:
            continue
        try:
            info = apk.getinfo(name)
        except KeyError:
            continue
        if info.file_size == 0:
            continue
        if info.flag_bits & 0x1:
            out.payloads.append(Payload(name, "blob", info.file_size, "encrypted zip entry"))
            continue
        try:
            head = _head(apk, info, HEAD)
        except Exception as exc:  # noqa: BLE001 - corrupt entry: say so, go on
            out.problems.append(msg("{where}: entry not readable ({error}): whether it holds code is unknown",
                                    where="!".join((apk.label, name)), error=type(exc).__name__))
            continue
        kind = classify(head)
        root_dex = bool(DEX_RE.match(name))
        if kind == "dex":
            out.payloads.append(Payload(name, "dex", info.file_size, "" if root_dex else "DEX outside classes*.dex"))
            if root_dex or name in loaded:
                continue
            try:
                out.dex_blobs.append((name, apk.read(name)))
            except EntryError as exc:
                out.problems.append(exc_text(exc))
        elif kind == "zip":
            if name in loaded:
                out.payloads.append(Payload(name, "zip", info.file_size))
                continue
            if nested_left <= 0:
                out.problems.append(msg("{where}: nested archive not opened (more than {max}): whether it holds code is "
                                        "unknown", where="!".join((apk.label, name)), max=apk.budget.limits.max_nested_archives))
                continue
            nested_left -= 1
            _nested(apk, name, info, out)
        elif kind == "elf":
            oat = name.endswith((".oat", ".odex")) or _has_oatdata(apk, info)
            if oat:
                out.payloads.append(Payload(name, "oat", info.file_size))
                out.problems.append(msg("{where}: precompiled OAT code: its DEX is not among the APK's DEX and is not "
                                        "read", where="!".join((apk.label, name))))
            else:
                out.native_libs.append(name)
                out.payloads.append(Payload(name, "elf", info.file_size,
                                            "" if name.startswith("lib/") else "native code outside lib/"))
        elif kind in ("vdex", "cdex", "odex"):
            out.payloads.append(Payload(name, kind, info.file_size))
            what = {"vdex": msg("VDEX (verified/compact DEX container)"), "cdex": msg("compact DEX"),
                    "odex": msg("optimised DEX (dey)")}[kind]
            out.problems.append(msg("{where}: {what}: code this reader does not decode", where="!".join((apk.label, name)),
                                    what=what))
        elif info.file_size >= BLOB_MIN_BYTES and not head.startswith(_KNOWN_DATA) and \
                (not name.startswith(("res/", "META-INF/")) or name.startswith("res/raw/")):
            try:
                sample = _head(apk, info, ENTROPY_SAMPLE)
            except Exception:  # noqa: BLE001
                continue
            if entropy(sample) >= BLOB_ENTROPY:
                out.payloads.append(Payload(name, "blob", info.file_size, "high-entropy data (encrypted or packed?)"))
    out.seconds = time.perf_counter() - t0
    return out


def _has_oatdata(apk: Archive, info: zipfile.ZipInfo) -> bool:
    try:
        return b"oatdata\x00" in _head(apk, info, 256 * 1024)
    except Exception:  # noqa: BLE001
        return False


def _nested(apk: Archive, name: str, info: zipfile.ZipInfo, out: PayloadScan) -> None:
    """A zip/jar/apk anywhere: every DEX inside it (by magic) is code of the app."""
    try:
        data = apk.read(name)
    except EntryError as exc:
        out.problems.append(msg("{problem}: whether this archive holds code is unknown", problem=exc_text(exc)))
        return
    try:
        inner = Archive.open(data, name, apk.budget)
    except InputError as exc:
        out.payloads.append(Payload(name, "blob", info.file_size, f"zip header but unreadable: {exc.problem}"))
        return
    found = 0
    try:
        out.problems.extend(inside(apk.label, p) for p in inner.problems)
        for dn in inner.names:
            if dn.endswith("/"):
                continue
            try:
                ii = inner.zf.getinfo(dn)
                if ii.flag_bits & 0x1:
                    out.payloads.append(Payload(f"{name}!{dn}", "blob", ii.file_size, "encrypted zip entry"))
                    continue
                head = _head(inner, ii, HEAD) if ii.file_size else b""
            except Exception:  # noqa: BLE001
                out.problems.append(msg("{where}: entry not readable: whether it holds code is unknown",
                                        where="!".join((apk.label, name, dn))))
                continue
            k = classify(head)
            if k == "dex":
                try:
                    out.dex_blobs.append((f"{name}!{dn}", inner.read(dn)))
                    found += 1
                except EntryError as exc:
                    out.problems.append(exc_text(exc))
            elif k in ("vdex", "cdex", "odex"):
                out.problems.append(msg("{where}: {kind} code this reader does not decode", where="!".join((apk.label, name, dn)),
                                        kind=k))
            elif k == "elf":
                out.native_libs.append(f"{name}!{dn}")
            elif k == "zip":
                out.problems.append(msg("{where}: archive nested two levels deep: not opened, whether it holds code is "
                                        "unknown", where="!".join((apk.label, name, dn))))
    finally:
        inner.close()
    out.payloads.append(Payload(name, "zip" if found else "archive", info.file_size,
                                f"{found} DEX inside" if found else "no DEX inside"))
