"""Inventory facts and enum values as a person reads them, the same in every format and language (message ids,
sdkgate/i18n.py): a verdict, a severity, an SDK's catalogue category, whether a permission is one Android calls
dangerous (a runtime prompt guards it)."""
from __future__ import annotations

from ..i18n import N_, tr

VERDICTS = {"pass": N_("PASS"), "fail": N_("FAIL"), "incomplete": N_("INCOMPLETE"), "not_judged": N_("NOT JUDGED")}
SEVERITIES = {"violation": N_("violation"), "warning": N_("warning"), "info": N_("info")}
KINDS = {"analytics": N_("analytics"), "push": N_("push"), "ads": N_("ads"), "crash": N_("crash"),
         "login": N_("login"), "payment": N_("payment"), "map_location": N_("map location"),
         "face_identity": N_("face identity"), "oaid": N_("oaid"), "utility": N_("utility"), "share": N_("share"),
         "social": N_("social"), "attribution": N_("attribution")}


def verdict_text(verdict: str, lang: str = "en") -> str:
    return tr(VERDICTS[verdict], lang) if verdict in VERDICTS else str(verdict)


def severity_text(severity: str, lang: str = "en") -> str:
    return tr(SEVERITIES[severity], lang) if severity in SEVERITIES else str(severity)


def kind_label(kind: str, lang: str = "en") -> str:
    return tr(KINDS[kind], lang) if kind in KINDS else str(kind).replace("_", " ")


def is_dangerous(level: str | None) -> bool:
    """`dangerous` among the protection level's flags (`dangerous`, `dangerous|instant`, ...)."""
    return "dangerous" in str(level or "").split("|")


def website(sdk_id: str) -> str:
    from ..catalogue import default_catalogue
    sdk = default_catalogue().sdks.get(sdk_id)
    return sdk.website if sdk is not None else ""
