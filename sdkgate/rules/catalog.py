"""Rule ids (a contract: users gate and suppress on them), default severity, titles and clauses."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..i18n import N_, Msg, tr


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    en: str          # the title, a message id (its Chinese is in the catalogue, sdkgate/i18n.py)
    clause: str

    @property
    def zh(self) -> str:
        return tr(self.en, "zh")

    @property
    def title(self) -> Msg:
        return _title(self.en)

    def text(self, lang: str = "en") -> str:
        return tr(self.en, lang)


# Neutral defaults: the law and the regulator's practice. The clauses of an app's own policy come from its
# manifest (`clauses:`, rule id -> policy clause and the law it cites), see `clause_for`.
_PIPL_CONSENT = "PIPL Art. 13-14; App认定方法 (2019) 三.1"
RULES: dict[str, Rule] = {r.id: r for r in [
    Rule("SG101", "violation", N_("Third-party SDK read a gated category before consent"),
         _PIPL_CONSENT + "; PIPL Art. 23"),
    Rule("SG102", "violation", N_("First-party code read a gated category before consent"),
         _PIPL_CONSENT),
    Rule("SG103", "violation", N_("Read after consent was declined (browse mode) or withdrawn"),
         "PIPL Art. 15-16"),
    Rule("SG104", "violation", N_("Over-frequent read of personal data"),
         "App认定方法 (2019) 四; GB/T 35273-2020 5.2"),
    Rule("SG105", "violation", N_("SDK bound to a feature read personal data before that feature was used"),
         "PIPL Art. 6 (minimum necessary)"),
    Rule("SG106", "violation", N_("The app recorded a consent the user did not give"),
         _PIPL_CONSENT + "; PIPL Art. 14 (consent given voluntarily and explicitly)"),
    Rule("SG201", "violation", N_("SDK present but not on the declared third-party SDK list"),
         "PIPL Art. 17, 23"),
    Rule("SG202", "violation", N_("SDK handles a data category its declared row does not list"),
         "PIPL Art. 6, 17"),
    Rule("SG203", "info", N_("Declared SDK not found"),
         "PIPL Art. 17"),
    Rule("SG204", "warning", N_("SDK code runs at process start (ContentProvider, startup initializer, receiver)"),
         _PIPL_CONSENT),
    Rule("SG205", "violation", N_("A path from a process entry point reaches an SDK init or sensitive API with no consent check"),
         _PIPL_CONSENT),
    Rule("SG206", "warning", N_("A content-provider query whose URI the static scan cannot resolve (what it reads is unknown)"),
         "sdkgate static scan"),
    Rule("SG301", "violation", N_("Permission used but not in the declared permission table"),
         "PIPL Art. 17; GB/T 35273-2020 5.3"),
    Rule("SG302", "violation", N_("Permission requested before consent"),
         "App认定方法 (2019) 三"),
    Rule("SG303", "violation", N_("Permission re-requested within 48 hours of a denial"),
         "工信部 App 检测要求 (48 小时)"),
    Rule("SG304", "violation", N_("Permission requested at start though the table says on feature"),
         "App认定方法 (2019) 三; GB/T 35273-2020 5.3"),
    Rule("SG401", "violation", N_("Personal data sent before consent"),
         _PIPL_CONSENT),
    Rule("SG402", "violation", N_("A never-transmit category (e.g. clipboard) was seen in traffic"),
         "PIPL Art. 6-7"),
    Rule("SG403", "violation", N_("Personal data over cleartext HTTP"),
         "PIPL Art. 51"),
    Rule("SG404", "violation", N_("Traffic to a domain not declared for that SDK, or to an unknown third party"),
         "PIPL Art. 23"),
    Rule("SG405", "violation", N_("Destination outside the allowed regions"),
         "PIPL Art. 38-40"),
    Rule("SG900", "warning", N_("Evidence incomplete"),
         "sdkgate fail-closed"),
]}


@lru_cache(maxsize=None)
def _title(en: str) -> Msg:
    return Msg(en)


def clause_for(rid: str, clauses: dict | None = None) -> str:
    """The clause a report shows for a rule: the app's own (manifest `clauses:`) or the neutral default."""
    return (clauses or {}).get(rid) or RULES[rid].clause


def rule(rid: str) -> Rule:
    return RULES[rid]
