"""Where a bundle's files come from: a folder or a `run --zip` archive, read without trusting either.

`verify`, `report` and `report --merge` read a stranger's bundle only through a BundleSource:
- only entries found inside the bundle are readable (`open`, `read_bytes`): a name taken from
  bundle.json or run.json that climbs out, is absolute or is not an entry is refused (`confined`);
- symlinks and special files are listed (so they can be reported) but never opened or followed;
- a zip is never unpacked: each entry is hashed while it is inflated, with the same checks as an
  APK (entry count, total size, compression ratio, CRC, declared vs actual size), and problems name
  the entry inside the archive, never a temporary path.
"""
from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..fileio import MAX_DOC_BYTES, read_bounded_bytes

BUNDLE_FILE = "bundle.json"
FILE, SYMLINK, SPECIAL = "file", "symlink", "special"


@dataclass(frozen=True)
class BundleLimits:
    max_entries: int = 10_000            # files in one bundle (folder or zip)
    max_total_bytes: int = 4 << 30       # everything a zip inflates to
    max_ratio: int = 200                 # inflated / compressed, for zip entries over ratio_floor bytes
    ratio_floor: int = 1 << 20


LIMITS = BundleLimits()


class EntryProblem(Exception):
    """One entry cannot be trusted (corrupt, lying about its size, not a plain file): exit 4, named."""


ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


class _CheckedEntry:
    """A zip entry being read: a bad CRC or a short stream found half-way is an EntryProblem naming it."""

    def __init__(self, fh, where: str):
        self._fh, self.where = fh, where

    def _guard(self, fn, *args):
        try:
            return fn(*args)
        except ZIP_ERRORS as exc:
            raise EntryProblem(f"{self.where}: corrupt entry: {exc}") from None

    def read(self, n: int = -1) -> bytes:
        return self._guard(self._fh.read, n)

    def readline(self, limit: int = -1) -> bytes:
        return self._guard(self._fh.readline, limit)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def unsafe_name(rel: object) -> str | None:
    """Why a path taken from bundle metadata cannot name a file inside the bundle (None when it can)."""
    if not isinstance(rel, str) or not rel:
        return "not a file name"
    if "\0" in rel or "\\" in rel:
        return "not a portable relative path"
    if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        return "absolute path, outside the bundle"
    parts = rel.split("/")
    if ".." in parts or posixpath.normpath(rel).startswith(".."):
        return "climbs out of the bundle"
    if posixpath.normpath(rel) != rel:
        return "not a normalised relative path"
    return None


class BundleSource:
    """The files of one bundle, by posix relative name."""

    label: str
    bad_names: list[str]                 # entries whose very name is hostile (zip only)

    def entries(self) -> dict[str, str]:
        raise NotImplementedError

    def where(self, rel: str) -> str:
        raise NotImplementedError

    def digest(self, rel: str) -> str:
        raise NotImplementedError

    def open(self, rel: str) -> IO[bytes]:
        raise NotImplementedError

    def local_path(self, rel: str) -> Path:
        """A real file holding the entry, for readers that need a path (flows.mitm)."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def scrub(self, text: str) -> str:
        return text

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- shared -----------------------------------------------------------------------------
    def is_file(self, rel: str) -> bool:
        return self.entries().get(rel) == FILE

    def symlinks(self) -> list[str]:
        return sorted(r for r, k in self.entries().items() if k != FILE)

    def confined(self, rel: object, what: str) -> str:
        """rel when it names a plain file inside the bundle, else EntryProblem naming it."""
        why = unsafe_name(rel)
        if why:
            raise EntryProblem(f"{what} {rel!r}: {why}; not read")
        kind = self.entries().get(rel)  # type: ignore[arg-type]
        if kind is None:
            raise EntryProblem(f"{what} {rel!r}: no such file in the bundle")
        if kind != FILE:
            raise EntryProblem(f"{what} {rel!r}: a {kind}, not a plain file; not followed")
        return rel  # type: ignore[return-value]

    def read_bytes(self, rel: str, max_bytes: int = MAX_DOC_BYTES) -> bytes:
        self.confined(rel, "file")
        with self.open(rel) as fh:
            try:
                return read_bounded_bytes(fh, max_bytes, self.where(rel))
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise EntryProblem(f"{self.where(rel)}: corrupt: {exc}") from None


class FolderSource(BundleSource):
    def __init__(self, root: str | Path, limits: BundleLimits = LIMITS):
        self.root = Path(root)
        self.label = str(root)
        self.limits = limits
        self.bad_names = []
        self._entries: dict[str, str] | None = None

    def entries(self) -> dict[str, str]:
        if self._entries is None:
            out: dict[str, str] = {}
            for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
                dirnames.sort()
                for d in list(dirnames):
                    if os.path.islink(os.path.join(dirpath, d)):
                        dirnames.remove(d)
                        filenames.append(d)
                for name in filenames:
                    p = os.path.join(dirpath, name)
                    rel = Path(p).relative_to(self.root).as_posix()
                    try:
                        mode = os.lstat(p).st_mode
                    except OSError:
                        continue
                    out[rel] = SYMLINK if stat.S_ISLNK(mode) else FILE if stat.S_ISREG(mode) else SPECIAL
                    if len(out) > self.limits.max_entries:
                        raise InputError(self.label, None, f"more than {self.limits.max_entries} files: "
                                         "not an evidence bundle sdkgate reads")
            self._entries = out
        return self._entries

    def where(self, rel: str) -> str:
        return str(self.root / rel)

    def open(self, rel: str) -> IO[bytes]:
        self.confined(rel, "file")
        try:
            fd = os.open(self.root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            raise EntryProblem(f"{rel}: cannot open: {exc.strerror}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise EntryProblem(f"{rel}: not a plain file; not read")
        return os.fdopen(fd, "rb")

    def digest(self, rel: str) -> str:
        h = hashlib.sha256()
        with self.open(rel) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()

    def local_path(self, rel: str) -> Path:
        self.confined(rel, "file")
        return self.root / rel


class ZipSource(BundleSource):
    """A `run --zip` archive read in place: names relative to its single top folder (if any)."""

    def __init__(self, path: str | Path, limits: BundleLimits = LIMITS):
        self.path = Path(path)
        self.label = str(path)
        self.limits = limits
        self.bad_names = []
        self._tmp: Path | None = None
        try:
            self.zf = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(self.label, None, f"truncated or corrupt zip: {exc}") from None
        infos = self.zf.infolist()
        if len(infos) > limits.max_entries:
            self.zf.close()
            raise InputError(self.label, "central directory",
                             f"{len(infos)} entries, more than the limit of {limits.max_entries} for a bundle")
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_total_bytes:
            self.zf.close()
            raise InputError(self.label, None, f"entries declare {declared} bytes inflated, more than the "
                             f"limit of {limits.max_total_bytes}; not read")
        files = [i for i in infos if not i.is_dir()]
        tops = {i.filename.split("/", 1)[0] for i in files}
        self.prefix = ""
        if len(tops) == 1 and all("/" in i.filename for i in files):
            self.prefix = next(iter(tops)) + "/"
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._entries: dict[str, str] = {}
        for info in files:
            name = info.filename
            rel = name[len(self.prefix):] if name.startswith(self.prefix) else name
            why = unsafe_name(rel)
            mode = info.external_attr >> 16
            if why:
                self.zf.close()
                raise InputError(self.label, name, f"zip entry escapes the bundle folder ({why}); not read")
            if stat.S_ISLNK(mode):
                self.zf.close()
                raise InputError(self.label, name, "zip entry is a symlink; not followed")
            if rel in self._entries:
                self.bad_names.append(f"zip entry {name!r} appears twice: which one is evidence is ambiguous")
                continue
            ftype = stat.S_IFMT(mode)              # 0: no type recorded (writestr, DOS zips): a file
            self._entries[rel] = FILE if ftype in (0, stat.S_IFREG) else SPECIAL
            self._infos[rel] = info

    def entries(self) -> dict[str, str]:
        return self._entries

    def where(self, rel: str) -> str:
        return f"{self.label}!{self.prefix}{rel}"

    def _info(self, rel: str) -> zipfile.ZipInfo:
        self.confined(rel, "file")
        info = self._infos[rel]
        where = self.where(rel)
        if info.flag_bits & 0x1:
            raise EntryProblem(f"{where}: encrypted entry; not readable")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise EntryProblem(f"{where}: stored entry whose sizes disagree ({info.compress_size} vs {info.file_size})")
        if info.file_size > self.limits.ratio_floor and info.file_size > info.compress_size * self.limits.max_ratio:
            raise EntryProblem(f"{where}: inflates {info.file_size // max(info.compress_size, 1)}:1, more than the "
                               f"limit of {self.limits.max_ratio}:1 (a zip bomb?); not read")
        return info

    def open(self, rel: str) -> IO[bytes]:
        info = self._info(rel)
        try:
            return _CheckedEntry(self.zf.open(info), self.where(rel))  # type: ignore[return-value]
        except ZIP_ERRORS as exc:
            raise EntryProblem(f"{self.where(rel)}: corrupt entry: {exc}") from None

    def _stream(self, rel: str, sink) -> None:
        """Inflate one entry into sink(chunk), checking the declared size and the CRC."""
        info = self._info(rel)
        where, got = self.where(rel), 0
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > info.file_size:
                        raise EntryProblem(f"{where}: inflates beyond its declared size of {info.file_size} bytes")
                    sink(chunk)
        except EntryProblem:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise EntryProblem(f"{where}: corrupt entry: {exc}") from None
        if got != info.file_size:
            raise EntryProblem(f"{where}: inflated to {got} bytes, its header says {info.file_size}")

    def digest(self, rel: str) -> str:
        h = hashlib.sha256()
        self._stream(rel, h.update)
        return h.hexdigest()

    def local_path(self, rel: str) -> Path:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="sdkgate-bundle-"))
        dest = self._tmp / rel
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            with dest.open("wb") as out:
                self._stream(rel, out.write)
        return dest

    def scrub(self, text: str) -> str:
        """A message with the temporary extraction folder replaced by the entry's name in the archive."""
        if self._tmp is None:
            return text
        return text.replace(str(self._tmp) + os.sep, f"{self.label}!{self.prefix}").replace(str(self._tmp), self.label)

    def close(self) -> None:
        self.zf.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def open_source(path: str | Path) -> BundleSource:
    """A bundle folder or `run --zip` archive; anything else is bad input (exit 2)."""
    p = Path(path)
    if p.is_dir():
        return FolderSource(p)
    if not p.exists():
        raise InputError(str(p), None, "bundle not found")
    try:
        with p.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputError(str(p), None, f"cannot read: {exc.strerror}") from None
    if head[:2] != b"PK":
        raise InputError(str(p), None, "not a bundle folder or a bundle zip")
    return ZipSource(p)
