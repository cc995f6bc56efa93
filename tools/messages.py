"""Keep the message catalogue in step with the code: extract every message id (babel.cfg, Babel's extractors),
add new ids to sdkgate/locale/zh_CN/LC_MESSAGES/sdkgate.po (untranslated), drop ids no longer used, and list
what still needs a translation. `--check`: exit 1 when the catalogue is not in step (what the test checks).
`--fill FILE.json`: take translations for untranslated ids from a {msgid: translation} file. Writes the .po and
the compiled .mo the package reads (sdkgate/i18n.py)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sdkgate.msgextract import compiled, extract_ids  # noqa: E402

PO = ROOT / "sdkgate/locale/zh_CN/LC_MESSAGES/sdkgate.po"
MO = PO.with_suffix(".mo")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--fill")
    args = ap.parse_args()
    ids = extract_ids(ROOT)
    if PO.exists():
        with PO.open("rb") as fh:
            old = read_po(fh, locale="zh_CN", domain="sdkgate")
    else:
        old = Catalog(locale="zh_CN", domain="sdkgate")
    fill = json.loads(Path(args.fill).read_text("utf-8")) if args.fill else {}
    new = Catalog(locale="zh_CN", domain="sdkgate", project="sdkgate", header_comment=(
        "# Chinese (Simplified) for sdkgate's reports. Message ids are the English sentences with named\n"
        "# {placeholders} (sdkgate/i18n.py); a translation keeps every placeholder. Regenerate: python tools/messages.py"),
        fuzzy=False, creation_date=old.creation_date, revision_date=old.revision_date,
        last_translator="sdkgate", language_team="sdkgate")
    for ctx, mid in sorted(ids, key=lambda k: (k[1], k[0] or "")):
        prev = old.get(mid, context=ctx)
        key = f"{ctx}\x04{mid}" if ctx else mid
        string = prev.string if prev is not None and prev.string else fill.get(key, "")
        flags = set(prev.flags) if prev is not None and prev.string else set()
        new.add(mid, string, locations=[(w.rsplit(":", 1)[0], 0) for w in ids[(ctx, mid)][:3]], flags=flags,
                context=ctx)
    removed = [m.id for m in old if m.id and (m.context or None, m.id) not in ids]
    untranslated = [(f"{m.context}\x04{m.id}" if m.context else m.id) for m in new if m.id and (not m.string or m.fuzzy)]
    if args.check:
        added = [k for k in ids if old.get(k[1], context=k[0]) is None]
        for m in added:
            print(f"not in the catalogue: {m!r} ({ids[m][0]})")
        for m in removed:
            print(f"no longer used: {m!r}")
        for m in untranslated:
            print(f"untranslated: {m!r}")
        stale = not MO.is_file() or MO.read_bytes() != compiled(old)
        if stale:
            print(f"{MO.name} is not compiled from {PO.name}: run python tools/messages.py")
        return 1 if added or removed or untranslated or stale else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fh:
        write_po(fh, new, width=120, sort_output=True, include_lineno=False)
    with PO.open("rb") as fh:               # compiled from the file as written (what --check compares)
        MO.write_bytes(compiled(read_po(fh, locale="zh_CN", domain="sdkgate")))
    print(f"{len(ids)} ids, {len(removed)} dropped, {len(untranslated)} untranslated")
    for m in untranslated:
        print(json.dumps(m, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
