"""Where fleet APKs come from: local files and folders (as `scan`), or http(s) URLs every worker can fetch
(an internal mirror, object storage behind HTTP). The coordinator hashes a URL's bytes once to key it; the
worker downloads it again to a temporary file and refuses it if the bytes changed in between."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHUNK = 1 << 20
TIMEOUT_S = 60.0


def is_url(src: str) -> bool:
    return str(src).startswith(("http://", "https://"))


def _unmangle(arg) -> str:
    """`scan` parses its arguments as paths, and pathlib folds 'https://h/x' to 'https:/h/x': undo that."""
    return re.sub(r"^(https?):/(?!/)", r"\1://", str(arg))


def expand(args) -> list[str]:
    """Folders become their .apk files (as `scan` does); URLs stay as given."""
    from ..scanning import expand_inputs as _expand
    out: list[str] = []
    local: list[Path] = []
    for a in map(_unmangle, args):
        if is_url(a):
            out += [str(p) for p in _expand(tuple(local))] if local else []
            local = []
            out.append(str(a))
        else:
            local.append(Path(a))
    if local:
        out += [str(p) for p in _expand(tuple(local))]
    return out


def _stream(url: str):
    import httpx
    return httpx.stream("GET", url, follow_redirects=True, timeout=TIMEOUT_S, trust_env=True)


def source_sha256(src: str) -> tuple[str, int]:
    """sha256 and size of a file or URL, streamed; trouble reading it is an OSError naming it."""
    from .store import file_sha256
    if not is_url(src):
        return file_sha256(src)
    import httpx
    h, n = hashlib.sha256(), 0
    try:
        with _stream(src) as r:
            if r.status_code != 200:
                raise OSError(f"HTTP {r.status_code}")
            for b in r.iter_bytes(CHUNK):
                h.update(b)
                n += len(b)
    except httpx.HTTPError as exc:
        raise OSError(f"{type(exc).__name__}: {exc}") from None
    return h.hexdigest(), n


@contextmanager
def local_copy(src: str, sha256: str | None = None) -> Iterator[Path]:
    """The APK as a local file: the path itself, or a temporary download checked against `sha256`."""
    if not is_url(src):
        yield Path(src)
        return
    fd, tmp = tempfile.mkstemp(prefix="sdkgate-fleet-", suffix=".apk")
    try:
        h = hashlib.sha256()
        with os.fdopen(fd, "wb") as f, _stream(src) as r:
            if r.status_code != 200:
                raise OSError(f"{src}: HTTP {r.status_code}")
            for b in r.iter_bytes(CHUNK):
                h.update(b)
                f.write(b)
        if sha256 and h.hexdigest() != sha256:
            raise OSError(f"{src}: content changed since the coordinator hashed it")
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)
