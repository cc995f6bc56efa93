"""Import of Exodus Privacy tracker exports into the SDK catalogue (as extra rows, `source: exodus`).

Exodus describes a tracker by regexes (code signature over class names, network signature over
hosts). The catalogue attributes by plain package prefixes and domains, so only the alternatives that
are plain prefixes / host names are kept; the rest are counted, never guessed at.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .catalogue import Catalogue, Sdk
from .errors import InputError
from .fileio import read_json_document

# Exodus category -> catalogue kind. A tracker with several categories takes the first in this order.
CATEGORY_KIND = (
    ("Crash reporting", "crash"),
    ("Advertisement", "ads"),
    ("Location", "map_location"),
    ("Identification", "login"),
    ("Analytics", "analytics"),
    ("Profiling", "analytics"),
)
DEFAULT_KIND = "utility"

_JAVA_PREFIX = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


@dataclass(frozen=True)
class Tracker:
    key: str            # the export's key (Exodus id) or list index, for messages
    name: str
    code_signature: str
    network_signature: str
    website: str
    categories: tuple[str, ...]


@dataclass
class ImportResult:
    added: list[Sdk] = field(default_factory=list)
    skipped_known: list[str] = field(default_factory=list)        # every prefix already attributed
    skipped_unusable: list[str] = field(default_factory=list)     # no plain prefix in the code signature
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (tracker, prefix, owner sdk id)
    code_parts_skipped: int = 0
    network_parts_skipped: int = 0


def _unescape(part: str) -> str:
    part = part.strip()
    part = re.sub(r"\\(.)", r"\1", part)
    return part


def code_signature_to_prefixes(sig: str) -> tuple[list[str], int]:
    """`com.umeng.|com\\.tencent\\.bugly\\.` -> (['com.umeng', 'com.tencent.bugly'], skipped parts)."""
    out, skipped = [], 0
    for raw in (sig or "").split("|"):
        if not raw.strip():
            continue
        part = _unescape(raw).lstrip("^").replace("/", ".").rstrip(".")
        if part.startswith("L") and "/" in raw:          # smali form Lcom/foo/
            part = part[1:]
        if _JAVA_PREFIX.fullmatch(part):
            if part not in out:
                out.append(part)
        else:
            skipped += 1
    return out, skipped


def network_signature_to_domains(sig: str) -> tuple[list[str], int]:
    """`umeng\\.com|bugly\\.qq\\.com` -> (['umeng.com', 'bugly.qq.com'], skipped parts)."""
    out, skipped = [], 0
    for raw in (sig or "").split("|"):
        if not raw.strip():
            continue
        part = _unescape(raw).lower().lstrip("^").rstrip("$").strip(".")
        if _HOST.fullmatch(part):
            if part not in out:
                out.append(part)
        else:
            skipped += 1
    return out, skipped


def kind_for(categories: tuple[str, ...]) -> str:
    names = {c.strip().lower() for c in categories}
    for exodus_name, kind in CATEGORY_KIND:
        if exodus_name.lower() in names:
            return kind
    return DEFAULT_KIND


def slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return s or "tracker"


def load_export(path: str | Path) -> list[Tracker]:
    """Parse an Exodus export: {"trackers": {id: {...}}}, {"trackers": [...]} or a plain list."""
    path = Path(path)
    name = str(path)
    try:
        data = read_json_document(path)
    except FileNotFoundError:
        raise InputError(name, None, "file not found") from None
    except OSError as exc:
        raise InputError(name, None, f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:                   # too large, too deep, not UTF-8
        raise InputError(name, None, f"cannot read: {exc}") from None
    if isinstance(data, dict):
        if "trackers" not in data:
            raise InputError(name, None, "expected an Exodus tracker export: an object with 'trackers', or a list of trackers")
        data = data["trackers"]
    if isinstance(data, dict):
        items = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(f"#{i + 1}", v) for i, v in enumerate(data)]
    else:
        raise InputError(name, "trackers", "expected an object keyed by tracker id, or a list of trackers")
    out = []
    for key, t in items:
        place = f"tracker {key}"
        if not isinstance(t, dict):
            raise InputError(name, place, "expected an object")
        tname = t.get("name")
        if not isinstance(tname, str) or not tname.strip():
            raise InputError(name, place, "missing field 'name'")
        place = f"tracker {key} ({tname})"
        fields = {}
        for fld in ("code_signature", "network_signature", "website"):
            v = t.get(fld) or ""
            if not isinstance(v, str):
                raise InputError(name, place, f"field {fld!r} must be a string")
            fields[fld] = v
        cats = t.get("categories") or []
        if isinstance(cats, str):
            cats = [cats]
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise InputError(name, place, "field 'categories' must be a list of strings")
        out.append(Tracker(key, tname.strip(), fields["code_signature"], fields["network_signature"],
                           fields["website"], tuple(cats)))
    return out


def _vendor(website: str) -> str:
    host = re.sub(r"^[a-z]+://", "", website.strip().lower()).split("/", 1)[0]
    host = host.removeprefix("www.")
    return host or "unknown"


def convert(trackers: list[Tracker], base: Catalogue, reserved_ids: set[str] = frozenset()) -> ImportResult:
    """Rows to add for the trackers the catalogue does not attribute yet (base is left unchanged)."""
    res = ImportResult()
    taken_ids = set(base.sdks) | set(reserved_ids)
    claimed: dict[str, str] = {}          # prefixes of rows added in this import -> row id
    for t in trackers:
        prefixes, skipped = code_signature_to_prefixes(t.code_signature)
        domains, nskipped = network_signature_to_domains(t.network_signature)
        res.code_parts_skipped += skipped
        res.network_parts_skipped += nskipped
        if not prefixes:
            res.skipped_unusable.append(t.name)
            continue
        new, known = [], []
        for p in prefixes:
            owner = _owner(p, base, claimed)
            (known if owner else new).append((p, owner))
        if not new:
            res.skipped_known.append(t.name)
            continue
        sid = "exodus_" + slug(t.name)
        n = 2
        while sid in taken_ids:
            sid = f"exodus_{slug(t.name)}_{n}"
            n += 1
        taken_ids.add(sid)
        for p, owner in known:
            res.conflicts.append((t.name, p, owner))
        for p, _ in new:
            claimed[p] = sid
        fresh_domains = tuple(d for d in domains if base.attribute_host(d) is None)
        res.added.append(Sdk(sid, f"{t.name} (Exodus)", _vendor(t.website), "sdk",
                             tuple(p for p, _ in new), fresh_domains, "exodus", purpose=kind_for(t.categories),
                             website=t.website or ""))
    return res


def _owner(prefix: str, base: Catalogue, claimed: dict[str, str]) -> str | None:
    """The SDK that already attributes classes under `prefix` (same prefix or a shorter one), if any."""
    hit = base.match_prefix(prefix)
    if hit:
        return hit[0]
    parts = prefix.split(".")
    for n in range(len(parts), 0, -1):
        sid = claimed.get(".".join(parts[:n]))
        if sid:
            return sid
    return None


def sdk_to_row(s: Sdk) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "vendor": s.vendor, "kind": s.kind, "purpose": s.purpose,
            "packages": list(s.packages), "domains": list(s.domains), "source": s.source,
            **({"website": s.website} if s.website else {})}


HEADER = ("# sdkgate user catalogue: rows added by `sdkgate catalogue import-exodus` (source: exodus).\n"
          "# Same format as sdkgate/data/sdks.yaml; bundled rows win over these on any shared prefix.\n")


def write_rows(path: Path, rows: list[Sdk]) -> None:
    """Write the user catalogue atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER + yaml.safe_dump([sdk_to_row(s) for s in rows], allow_unicode=True, sort_keys=False,
                                   default_flow_style=None, width=120)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
