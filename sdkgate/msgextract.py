"""Babel extraction for the catalogue (sdkgate/i18n.py): the extractor for the data tables whose labels are
message ids (`en:` values of categories.yaml and fix_hints.yaml, named in babel.cfg, so `pybabel extract` finds
them with the code's), every id of the tree (tools/messages.py and the catalogue test) and the compiled .mo."""
from __future__ import annotations

from typing import Any, BinaryIO, Iterator

import yaml


def _walk(node: Any) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == "en" and isinstance(v, yaml.ScalarNode) and v.value:
                yield v.start_mark.line + 1, v.value
            else:
                yield from _walk(v)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            yield from _walk(v)


def extract_yaml(fileobj: BinaryIO, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """(line, funcname, message, comments) for every `en:` value, Babel's extractor protocol."""
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)
    for line, text in _walk(root):
        yield line, "N_", text, []


KEYWORDS = {"msg": None, "N_": None, "_": None, "C_": ((1, "c"), 2)}


def extract_ids(root) -> dict[tuple[str | None, str], list[str]]:
    """Every (msgctxt, message id) of the source tree at `root` (babel.cfg's mapping, Babel's extractors) -> where."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    root = Path(root)
    with open(root / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    out: dict[tuple[str | None, str], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True):
        text = message[0] if isinstance(message, tuple) else message
        if text:
            out.setdefault((context or None, text), []).append(f"{filename}:{lineno}")
    return out


def compiled(catalog) -> bytes:
    """The .mo of a catalogue: translations only (fuzzy and untranslated entries are left out)."""
    import io

    from babel.messages.mofile import write_mo
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()
