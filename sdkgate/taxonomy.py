"""The data taxonomy: category ids are a contract (reports, manifests, canary files use them).

A *generic* category (`device_id`, `network`) is the parent of every `<id>.*` child: policies that only say
"设备标识信息" / "device identifiers" declare it, and a generic declaration covers its children — reports say
so ("declared only generically"), so an auditor sees the vagueness instead of a silent match.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .i18n import Msg, tr
from .yamlio import package_data

EXACT, GENERIC = "exact", "generic"


@dataclass(frozen=True)
class Category:
    id: str
    en: str              # its label, a message id: the Chinese is in the catalogue (sdkgate/i18n.py)
    gated: bool          # reads before consent are violations
    immutable: bool      # a fixed device identifier (SG104 counts reads per run)
    generic: bool = False   # a parent declared when the text does not say which child

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]

    def label(self, lang: str = "en") -> str:
        return tr(self.en, lang)


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    raw = package_data("categories.yaml")
    return {row["id"]: Category(**row) for row in raw}


def is_category(cid: str) -> bool:
    return cid in categories()


def is_generic(cid: str | None) -> bool:
    cat = categories().get(cid or "")
    return bool(cat and cat.generic)


def parent(cid: str) -> str | None:
    """The generic parent of a category (`device_id.imei` -> `device_id`), if the taxonomy has one."""
    head = cid.split(".", 1)[0]
    return head if head != cid and is_generic(head) else None


def coverage(declared: Iterable[str], cid: str) -> str | None:
    """How a declaration covers a category: EXACT (listed), GENERIC (only its generic parent is), or None."""
    decl = set(declared)
    if cid in decl:
        return EXACT
    p = parent(cid)
    return GENERIC if p is not None and p in decl else None


def label(cid: str | None, lang: str = "en") -> str:
    if not cid:
        return ""
    cat = categories().get(cid)
    return cat.label(lang) if cat else cid


@lru_cache(maxsize=1024)
def label_msg(cid: str | None) -> str:
    """A category's label as a message (rendered in the report's language); an unknown id stays the id."""
    if not cid:
        return ""
    cat = categories().get(cid)
    return Msg(cat.en) if cat else cid


def is_gated(cid: str | None) -> bool:
    cat = categories().get(cid or "")
    return bool(cat and cat.gated)
