"""Small file helpers shared by the runner, the bundle and the reports: one of each."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_json_object(path: str | Path) -> dict[str, Any]:
    """A JSON object from a file, or {} when it is missing, unreadable or not an object.

    For optional metadata (run.json, bundle.json, a HAR) shown in reports; evidence that must be
    there is read strictly elsewhere."""
    try:
        d = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return d if isinstance(d, dict) else {}
