"""`run --zip`: pack an evidence folder (bundle.json and bundle.sig included) into one archive."""
from __future__ import annotations

import zipfile
from pathlib import Path

from .bundle import BUNDLE_FILE, SIG_FILE, list_files


def pack_zip(out_dir: str | Path, zip_path: str | Path | None = None) -> Path:
    """Zip the folder under one top-level directory named like it; returns the zip path.

    Entries are in sorted order; `sdkgate verify` accepts the zip as it accepts the folder.
    """
    root = Path(out_dir)
    dest = Path(zip_path) if zip_path else root.with_name(root.name + ".zip")
    names = list_files(root) + [n for n in (BUNDLE_FILE, SIG_FILE) if (root / n).is_file()]
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in sorted(names):
            zf.write(root / rel, f"{root.name}/{rel}")
    return dest
