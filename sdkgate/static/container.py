"""Reading an APK (a zip) without trusting it: bounded entry count, bounded inflation, no extraction.

Nothing is written to disk, so entry names that climb out (`../`) cannot escape; they are still
reported, because a well-formed APK never has them. Every read is capped per entry and in total,
checked against the declared size before inflating and against the actual size while inflating.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..i18n import exc_text, failure, msg


@dataclass(frozen=True)
class Limits:
    max_entries: int = 200_000               # central directory entries of the APK
    max_entry_bytes: int = 96 * 2**20         # one inflated DEX / manifest / nested archive
    max_total_bytes: int = 768 * 2**20        # everything the scan inflates, nested archives included
    max_manifest_bytes: int = 8 * 2**20
    max_nested_archives: int = 64


class EntryError(Exception):
    """One entry could not be read (too big, corrupt, encrypted): the scan goes on, marked incomplete."""


DEX_RE = re.compile(r"^classes\d*\.dex$")
NESTED_DEX_RE = re.compile(r"^assets/.+\.dex$", re.IGNORECASE)
NESTED_ARCHIVE_RE = re.compile(r"^assets/.+\.(jar|zip|apk)$", re.IGNORECASE)


def _dex_order(name: str) -> int:
    m = re.match(r"^classes(\d*)\.dex$", name.rsplit("!", 1)[-1])
    return int(m.group(1) or 1) if m else 10_000


def _climbs_out(name: str) -> bool:
    n = name.replace("\\", "/")
    if n.startswith("/") or re.match(r"^[A-Za-z]:", n):
        return True
    return ".." in posixpath.normpath(n).split("/") or ".." in n.split("/")


@dataclass
class Budget:
    limits: Limits
    used: int = 0

    def take(self, name: str, size: int) -> None:
        if self.used + size > self.limits.max_total_bytes:
            raise EntryError(msg("{where}: reading it would inflate more than {n} bytes in total", where=name,
                                 n=self.limits.max_total_bytes))
        self.used += size


@dataclass
class Archive:
    """One zip (the APK or a nested archive). `problems` collects what makes the evidence incomplete."""
    label: str
    zf: zipfile.ZipFile
    budget: Budget
    problems: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    tampered: list[str] = field(default_factory=list)    # entries read the Android way (BadPack-style tampering)

    @classmethod
    def open(cls, source: str | Path | bytes, label: str, budget: Budget) -> "Archive":
        limits = budget.limits
        fh = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
        try:
            try:
                end = zipfile._EndRecData(fh)  # type: ignore[attr-defined]
            except OSError as exc:
                raise InputError(label, None, f"cannot read: {exc}") from None
            if not end:
                fh.seek(0)
                head = fh.read(4)
                if head[:2] != b"PK":
                    raise InputError(label, None, "not a zip archive, so not an APK")
                raise InputError(label, None, "truncated or corrupt zip: no end-of-central-directory record")
            total = end[zipfile._ECD_ENTRIES_TOTAL]  # type: ignore[attr-defined]
            if total > limits.max_entries:
                raise InputError(label, "central directory",
                                 f"{total} entries, more than the limit of {limits.max_entries}")
            fh.seek(0)
            try:
                zf = zipfile.ZipFile(fh)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
                raise InputError(label, None, f"truncated or corrupt zip: {exc}") from None
        except BaseException:
            fh.close()
            raise
        arc = cls(label, zf, budget)
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            zf.close()
            raise InputError(label, "central directory", f"{len(infos)} entries, more than the limit of {limits.max_entries}")
        seen: set[str] = set()
        for info in infos:
            name = info.filename
            if _climbs_out(name):
                arc.problems.append(msg("{where}: entry name {name} climbs out of the archive; not read", where=label,
                                        name=repr(name)))
                continue
            if name in seen:
                arc.problems.append(msg("{where}: entry {name} appears twice; which one Android uses is ambiguous",
                                        where=label, name=repr(name)))
                continue
            seen.add(name)
            arc.names.append(name)
        return arc

    def has(self, name: str) -> bool:
        return name in self.names

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        return self.zf.getinfo(name)

    def read(self, name: str, cap: int | None = None) -> bytes:
        """Inflate one entry, bounded by `cap` (default: max_entry_bytes) and the total budget."""
        cap = min(cap or self.budget.limits.max_entry_bytes, self.budget.limits.max_entry_bytes)
        where = f"{self.label}!{name}"
        try:
            info = self.getinfo(name)
        except KeyError:
            raise EntryError(msg("{where}: no such entry", where=where)) from None
        if info.flag_bits & 0x1:
            raise EntryError(msg("{where}: encrypted entry; not readable", where=where))
        if info.file_size > cap:
            raise EntryError(msg("{where}: declares {n} bytes inflated, more than the limit of {cap}", where=where,
                                 n=info.file_size, cap=cap))
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise EntryError(msg("{where}: stored entry whose sizes disagree ({compressed} vs {size})", where=where,
                                 compressed=info.compress_size, size=info.file_size))
        self.budget.take(where, info.file_size)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return self._read_like_android(name, info, cap, where)
        chunks, got = [], 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > info.file_size or got > cap:
                        raise EntryError(msg("{where}: inflates beyond its declared size of {n} bytes", where=where,
                                             n=info.file_size))
                    chunks.append(chunk)
        except EntryError:
            raise
        except zipfile.BadZipFile as exc:
            if "header" in str(exc).lower():     # a tampered local header: Android reads the central directory
                return self._read_like_android(name, info, cap, where)
            raise EntryError(msg("{where}: corrupt entry: {error}", where=where, error=str(exc))) from None
        except (zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise EntryError(msg("{where}: corrupt entry: {error}", where=where, error=str(exc))) from None
        if got != info.file_size:
            raise EntryError(msg("{where}: inflated to {n} bytes, the header says {size}", where=where, n=got,
                                 size=info.file_size))
        return b"".join(chunks)

    def _read_like_android(self, name: str, info: zipfile.ZipInfo, cap: int, where: str) -> bytes:
        """An entry Python's zipfile refuses but Android installs (BadPack-style tampering: an unknown
        compression method, local-header fields that disagree with the central directory), read the way
        Android reads it, through apkInspector; the same size bounds apply, and the tampering is noted."""
        try:
            from apkInspector.headers import ZipEntry, extract_file_based_on_header_info
            fp = self.zf.fp
            if getattr(self, "_android", None) is None:
                fp.seek(0)
                self._android = ZipEntry.parse(fp)
            ze = self._android
            data, how = extract_file_based_on_header_info(ze.zip, ze.get_local_header_dict(name),
                                                          ze.get_central_directory_entry_dict(name))
        except EntryError:
            raise
        except Exception as exc:  # noqa: BLE001 - apkInspector on hostile bytes: unreadable, said so
            raise EntryError(msg("{where}: corrupt entry (not readable the way Android reads it either): {error}",
                                 where=where, error=failure(exc, 200))) from None
        if len(data) > min(cap, max(info.file_size, 0) or cap):
            raise EntryError(msg("{where}: inflates beyond its declared size of {n} bytes", where=where, n=info.file_size))
        note = msg("{where}: tampered zip entry ({how}): read the way Android reads it", where=where, how=str(how))
        if note not in self.problems and note not in self.tampered:
            self.tampered.append(note)
        return data

    def dex_names(self) -> list[str]:
        return sorted((n for n in self.names if DEX_RE.match(n)), key=_dex_order)

    def nested_names(self) -> tuple[list[str], list[str]]:
        """(assets/*.dex, assets/*.jar|zip|apk)."""
        return ([n for n in self.names if NESTED_DEX_RE.match(n)],
                [n for n in self.names if NESTED_ARCHIVE_RE.match(n)])

    def close(self) -> None:
        fp = self.zf.fp
        self.zf.close()
        if fp is not None:
            try:
                fp.close()
            except Exception:  # pragma: no cover
                pass


def load_dex_blobs(apk: Archive) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Every DEX to scan as (name, bytes): classes*.dex, assets/*.dex, classes*.dex inside assets archives.

    Returns the blobs and the problems (unreadable entries) to report as `incomplete`.
    """
    blobs: list[tuple[str, bytes]] = []
    problems: list[str] = []
    for name in apk.dex_names():
        try:
            blobs.append((name, apk.read(name)))
        except EntryError as exc:
            problems.append(exc_text(exc))
    nested_dex, nested_arcs = apk.nested_names()
    for name in nested_dex:
        try:
            data = apk.read(name)
        except EntryError as exc:
            problems.append(exc_text(exc))
            continue
        if data[:4] == b"dex\n":
            blobs.append((name, data))
        else:
            problems.append(msg("{where}: not a readable DEX (encrypted or packed?)", where="!".join((apk.label, name))))
    for name in nested_arcs[:apk.budget.limits.max_nested_archives]:
        try:
            data = apk.read(name)
        except EntryError as exc:
            problems.append(exc_text(exc))
            continue
        try:
            inner = Archive.open(data, f"{name}", apk.budget)
        except InputError as exc:
            problems.append(msg("{where}: nested archive not readable: {problem}", where="!".join((apk.label, name)),
                                problem=exc.problem))
            continue
        try:
            problems.extend(inner.problems)
            for dn in inner.dex_names():
                try:
                    blobs.append((f"{name}!{dn}", inner.read(dn)))
                except EntryError as exc:
                    problems.append(exc_text(exc))
        finally:
            inner.close()
    if len(nested_arcs) > apk.budget.limits.max_nested_archives:
        problems.append(msg("{where}: {n} nested archives, only the first {max} were read", where=apk.label,
                            n=len(nested_arcs), max=apk.budget.limits.max_nested_archives))
    return blobs, problems
