"""App-model parts for multi-process apps and code loaded at run time (kept apart from the rest of the model):

    processes:                   # secondary processes of the app (android:process=":pushcore")
      - ":pushcore"              # started on demand: an action with `process: ":pushcore"` or start_process
      - {name: ":channel", start: launch}          # started with every launch of the app
      - {name: ":remote", instrumented: false}     # started outside spawn/child gating on purpose
      - com.example.remote       # a global process name (android:process without ':'): same app, same uid
    actions:
      process: ":pushcore"       # modifier: the action runs in that process (started on demand)
      start_process: ":pushcore" # verb: the app starts that process (a component / bindService)
      load_code: {file: plugin.dex, by: SDK_ID, loader: dex|inmemory|path}
                                 # verb: the SDK loads a real DEX/JAR/APK (path relative to the model)
      frames_from_loaded: true   # modifier: the action's frames are classes of the code its SDK loaded
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...yamlio import Located
from .types import LoadCode, ProcessModel

LOADERS = ("dex", "inmemory", "path")


_GLOBAL = re.compile(r"[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+")     # android:process without ':' (global)


def parse_processes(data: Any, package: str, err) -> dict[str, ProcessModel]:
    raw = data.get("processes")
    if raw is None:
        return {}
    if not isinstance(raw, list):
        err(data, "processes", "'processes' is a list of process names (\":pushcore\") or {name, start, instrumented}")
    out: dict[str, ProcessModel] = {}
    for item in raw:
        row = item if isinstance(item, dict) else {"name": item}
        if isinstance(row, dict):
            for k in row:
                if k not in ("name", "start", "instrumented"):
                    err(data, "processes", f"unknown process field {k!r} (name, start, instrumented)")
        name = row.get("name") if isinstance(row, dict) else None
        if not isinstance(name, str) or not (_GLOBAL.fullmatch(name) or name.startswith(":") and len(name) >= 2) \
                or any(c in name for c in " /\n"):
            err(data, "processes", f"process {name!r}: a secondary process is named like ':pushcore' (private) "
                                   "or 'com.example.remote' (a global android:process name)")
        start = row.get("start", "on_demand")
        if start not in ("launch", "on_demand"):
            err(data, "processes", f"process {name}: start must be launch or on_demand")
        inst = row.get("instrumented", True)
        if not isinstance(inst, bool):
            err(data, "processes", f"process {name}: instrumented is true or false")
        full = package + name if name.startswith(":") else name
        if full in out or full == package:
            err(data, "processes", f"process {name} listed twice")
        out[full] = ProcessModel(full, start, inst)
    return out


def _process_name(ctx, raw, key: str, val) -> str:
    if not isinstance(val, str):
        ctx.fail(raw.line_of(key), f"'{key}' names a process listed under 'processes' (e.g. \":pushcore\")")
    full = ctx.package + val if val.startswith(":") else val
    if full == ctx.package:
        return full
    if full not in ctx.processes:
        ctx.fail(raw.line_of(key), f"process {val!r} is not listed under 'processes'")
    return full


def dex_classes(path: Path) -> tuple[str, ...]:
    """Dotted names of the classes a DEX (or the DEXes of a JAR/APK) defines."""
    from ...static.dex import Dex  # noqa: PLC0415
    blobs: list[bytes] = []
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(path) as z:
            blobs = [z.read(n) for n in z.namelist() if n.endswith(".dex")]
    else:
        blobs = [data]
    out = []
    for b in blobs:
        d = Dex(b, path.name)
        for cd in d.class_defs():
            out.append(d.type_name(cd.type_idx)[1:-1].replace("/", "."))
    return tuple(out)


def parse_action_ext(ctx, raw: Located, verb: str, val, at: int, kw: dict) -> None:
    """Fill the multi-process / loaded-code parts of one action into `kw` (Action fields)."""
    if "process" in raw:
        kw["process"] = _process_name(ctx, raw, "process", raw["process"])
    if "frames_from_loaded" in raw:
        if not isinstance(raw["frames_from_loaded"], bool):
            ctx.fail(raw.line_of("frames_from_loaded"), "frames_from_loaded is true or false")
        kw["frames_from_loaded"] = bool(raw["frames_from_loaded"])
    if verb == "start_process":
        kw["process"] = _process_name(ctx, raw, "start_process", val)
    elif verb == "load_code":
        if not isinstance(val, Located):
            ctx.fail(at, "load_code is a mapping {file: PATH.dex, by: SDK_ID, loader: dex|inmemory|path}")
        for k in val:
            if k not in ("file", "by", "loader"):
                ctx.fail(val.line_of(k), f"unknown load_code field {k!r} (file, by, loader)")
        f = val.get("file")
        if not isinstance(f, str) or not f:
            ctx.fail(val.line_of("file") if "file" in val else at, "load_code needs 'file: PATH' (.dex, .jar or .apk)")
        path = Path(f) if Path(f).is_absolute() else (ctx.base / f)
        if not path.is_file():
            ctx.fail(val.line_of("file"), f"load_code file {f} not found (looked at {path})")
        loader = val.get("loader", "dex")
        if loader not in LOADERS:
            ctx.fail(val.line_of("loader"), f"loader must be one of {', '.join(LOADERS)}")
        by = val.get("by", raw.get("by", "first_party"))
        if by != "first_party" and by not in ctx.sdks:
            ctx.fail(val.line_of("by"), f"'by: {by}' is neither first_party nor an SDK listed under 'sdks'")
        kw["by"] = by
        try:
            classes = dex_classes(path)
        except Exception as exc:  # noqa: BLE001 - DexError, BadZipFile ...
            raise InputError(str(path), None, f"not a DEX/JAR/APK the runtime could load: {exc}") from None
        kw["code"] = LoadCode(path, loader, classes)
