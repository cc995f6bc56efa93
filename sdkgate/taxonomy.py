"""The data taxonomy: category ids are a contract (reports, manifests, canary files use them)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .yamlio import package_data


@dataclass(frozen=True)
class Category:
    id: str
    en: str
    zh: str
    gated: bool          # reads before consent are violations
    immutable: bool      # a fixed device identifier (SG104 counts reads per run)

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]

    def label(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    raw = package_data("categories.yaml")
    return {row["id"]: Category(**row) for row in raw}


def is_category(cid: str) -> bool:
    return cid in categories()


def label(cid: str | None, lang: str = "en") -> str:
    if not cid:
        return ""
    cat = categories().get(cid)
    return cat.label(lang) if cat else cid


def is_gated(cid: str | None) -> bool:
    cat = categories().get(cid or "")
    return bool(cat and cat.gated)
