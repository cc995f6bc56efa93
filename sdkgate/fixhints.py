"""How to fix a finding: one hint per rule, and the SDK's own privacy-compliant initialisation API where its
vendor documents one (sdkgate/data/fix_hints.yaml, the one source for console, HTML and SARIF)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .i18n import tr
from .yamlio import package_data

# rules next to which an SDK's compliant-initialisation API is worth naming
SDK_HINT_RULES = frozenset({"SG101", "SG204", "SG205", "SG401"})


@dataclass(frozen=True)
class Hint:
    en: str              # a message id: the translations are in the catalogue (sdkgate/i18n.py)
    api: str = ""

    @property
    def zh(self) -> str:
        return tr(self.en, "zh")

    def text(self, lang: str) -> str:
        return tr(self.en, lang)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Hint], dict[str, Hint]]:
    data = package_data("fix_hints.yaml") or {}
    rules = {rid: Hint(v["en"]) for rid, v in (data.get("rules") or {}).items()}
    sdks = {sid: Hint(v["en"], v.get("api", "")) for sid, v in (data.get("sdks") or {}).items()}
    return rules, sdks


def rule_hint(rule: str) -> Hint | None:
    return _table()[0].get(rule)


def sdk_hint(rule: str, actor: str | None) -> Hint | None:
    """The SDK's compliant-init API, for the rules where starting the SDK early is the problem."""
    if rule not in SDK_HINT_RULES or not actor:
        return None
    return _table()[1].get(actor)


def hint_text(rule: str, actor: str | None, lang: str = "en") -> str:
    """The whole hint for one finding: the SDK's API when it has one, else the rule's general advice."""
    sdk = sdk_hint(rule, actor)
    if sdk is not None:
        return sdk.text(lang)
    general = rule_hint(rule)
    return general.text(lang) if general else ""
