"""`fleet report`: the fleet's answers, read from the documented views (schema.VIEWS_V2), so a report
and an ad-hoc `fleet query` on the same view always agree. Renderers: json, csv, xlsx, html (SVG)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import __version__
from .db import Database
from .schema import now_iso

SCHEMA = "sdkgate.fleet/1"
APPS_PER_SDK_LIMIT = 500          # rows per SDK in the report (the view has them all)


@dataclass
class SdkRow:
    sdk_id: str
    name: str
    vendor: str
    apps: int
    share: float
    undeclared_apps: int = 0
    rules: dict[str, dict[str, float]] = field(default_factory=dict)   # rule -> {apps, share}


@dataclass
class FleetReport:
    generated_at: str
    database: str
    apps: int                              # distinct APKs (latest row per sha256)
    scanned: int                           # of which scanned without error
    errors: int
    verdicts: dict[str, int]
    sdks: list[SdkRow]
    apps_per_sdk: dict[str, list[dict[str, Any]]]
    incomplete_reasons: list[dict[str, Any]]
    undeclared: list[dict[str, Any]]
    error_rows: list[dict[str, Any]]
    tool_version: str = __version__

    def rules(self) -> list[str]:
        return sorted({r for s in self.sdks for r in s.rules})

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["schema"] = SCHEMA
        return d


def _rows(db: Database, sql: str, params=()) -> list[dict[str, Any]]:
    cols, rows = _q(db, sql, params)
    return [dict(zip(cols, r)) for r in rows]


def _q(db: Database, sql: str, params=()):
    cur = db.execute(sql, params)
    return [d[0] for d in cur.description], cur.fetchall()


def _num(v) -> float:
    return float(v) if v is not None else 0.0


def build(db: Database, top: int = 20) -> FleetReport:
    verdicts = {r["verdict"]: int(r["apps"]) for r in _rows(db, "SELECT verdict, apps FROM fleet_verdicts ORDER BY verdict")}
    errors = verdicts.get("error", 0)
    total = sum(verdicts.values())
    undeclared = {r["sdk_id"]: int(r["apps"]) for r in _rows(db, "SELECT sdk_id, apps FROM fleet_undeclared_sdks")}
    sdks = [SdkRow(r["sdk_id"], r["name"] or r["sdk_id"], r["vendor"] or "", int(r["apps"]), round(_num(r["share"]), 4),
                   undeclared.get(r["sdk_id"], 0))
            for r in _rows(db, "SELECT sdk_id, name, vendor, apps, share FROM fleet_sdk_prevalence "
                               "ORDER BY apps DESC, sdk_id")]
    by_id = {s.sdk_id: s for s in sdks}
    for r in _rows(db, "SELECT sdk_id, rule, apps, share FROM fleet_rules_per_sdk ORDER BY sdk_id, rule"):
        if r["sdk_id"] in by_id:
            by_id[r["sdk_id"]].rules[r["rule"]] = {"apps": int(r["apps"]), "share": round(_num(r["share"]), 4)}
    per_sdk: dict[str, list[dict[str, Any]]] = {}
    for r in _rows(db, "SELECT sdk_id, package, version_name, sha256, verdict, declared, evidence_kind "
                       "FROM fleet_sdk_apps ORDER BY sdk_id, package, sha256"):
        lst = per_sdk.setdefault(r.pop("sdk_id"), [])
        if len(lst) < APPS_PER_SDK_LIMIT:
            r["declared"] = bool(r["declared"])
            lst.append(r)
    reasons = [{"reason_class": r["reason_class"], "apps": int(r["apps"]), "example": r["example"]}
               for r in _rows(db, "SELECT reason_class, apps, example FROM fleet_incomplete_reasons "
                                  "ORDER BY apps DESC, reason_class")]
    top_undeclared = [{"sdk_id": r["sdk_id"], "name": r["name"], "apps": int(r["apps"])}
                      for r in _rows(db, "SELECT sdk_id, name, apps FROM fleet_undeclared_sdks ORDER BY apps DESC, sdk_id")][:top]
    err = _rows(db, "SELECT sha256, apk_path, error_kind, error FROM fleet_errors ORDER BY apk_path")
    return FleetReport(generated_at=now_iso(), database=db.url.redacted(), apps=total, scanned=total - errors,
                       errors=errors, verdicts=verdicts, sdks=sdks, apps_per_sdk=per_sdk, incomplete_reasons=reasons,
                       undeclared=top_undeclared, error_rows=err)


# --- renderers ------------------------------------------------------------------------------------

def render_json(rep: FleetReport) -> str:
    return json.dumps(rep.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_csv(rep: FleetReport) -> str:
    """One row per SDK: prevalence, undeclared apps, then apps and share per rule (the other tables: json/xlsx).
    Every cell through the one cell writer (formats/cells.py): names from catalogues and manifests are never formulas."""
    from ..formats.cells import csv_text
    rules = rep.rules()
    return csv_text(["sdk_id", "name", "vendor", "apps", "share", "undeclared_apps"]
                    + [c for r in rules for c in (f"{r}_apps", f"{r}_share")],
                    ([s.sdk_id, s.name, s.vendor, s.apps, s.share, s.undeclared_apps]
                     + [c for r in rules for c in (s.rules.get(r, {}).get("apps", 0), s.rules.get(r, {}).get("share", 0.0))]
                     for s in rep.sdks), bom=False, lineterminator="\n")


def render_xlsx(rep: FleetReport, path: str) -> None:
    """The summary first, then one sheet per table, each with a frozen header and an autofilter."""
    from pathlib import Path

    from ..formats.cells import Sheet, workbook
    summary = [["database", rep.database], ["generated_at", rep.generated_at], ["tool_version", rep.tool_version],
               ["apps", rep.apps], ["scanned", rep.scanned], ["errors", rep.errors]]
    summary += [[f"verdict:{v}", n] for v, n in rep.verdicts.items()]
    rules = rep.rules()
    sheets = [
        Sheet("summary", ["field", "value"], summary, [20, 60]),
        Sheet("sdks", ["sdk_id", "name", "vendor", "apps", "share", "undeclared_apps"],
              [[s.sdk_id, s.name, s.vendor, s.apps, s.share, s.undeclared_apps] for s in rep.sdks], [22, 40, 24]),
        Sheet("rules_per_sdk", ["sdk_id", "rule", "apps", "apps_with_sdk", "share"],
              [[s.sdk_id, r, s.rules[r]["apps"], s.apps, s.rules[r]["share"]] for s in rep.sdks for r in rules if r in s.rules]),
        Sheet("apps_per_sdk", ["sdk_id", "package", "version_name", "sha256", "verdict", "declared", "evidence_kind"],
              [[sid, a["package"], a["version_name"], a["sha256"], a["verdict"], a["declared"], a["evidence_kind"]]
               for sid, apps in rep.apps_per_sdk.items() for a in apps], [22, 30, 14, 66]),
        Sheet("undeclared", ["sdk_id", "name", "apps"], [[u["sdk_id"], u["name"], u["apps"]] for u in rep.undeclared]),
        Sheet("incomplete_reasons", ["reason_class", "apps", "example"],
              [[r["reason_class"], r["apps"], r["example"]] for r in rep.incomplete_reasons], [50, 8, 80]),
        Sheet("errors", ["sha256", "apk_path", "error_kind", "error"],
              [[e["sha256"], e["apk_path"], e["error_kind"], e["error"]] for e in rep.error_rows], [66, 40, 14, 80]),
    ]
    Path(path).write_bytes(workbook(sheets))


def render_html(rep: FleetReport, lang: str = "en") -> str:
    from ..formats.htmlbase import page_head, render_page
    from .charts import bar_chart
    from ..formats.labels import verdict_text
    from ..i18n import N_, msg, tr
    from ..reasons import unseen
    top = rep.sdks[:25]
    charts = {
        "prevalence": bar_chart([(f"{s.name}", s.share, f"{s.apps}/{rep.scanned}") for s in top],
                                title=tr(N_("SDK prevalence (share of apps)"), lang)),
        "verdicts": bar_chart([(verdict_text(v, lang), n / rep.apps if rep.apps else 0.0, str(n))
                               for v, n in rep.verdicts.items()], title=tr(N_("Verdicts"), lang)),
        "undeclared": bar_chart([(u["name"] or u["sdk_id"], u["apps"] / rep.scanned if rep.scanned else 0.0, str(u["apps"]))
                                 for u in rep.undeclared], title=tr(N_("Top undeclared SDKs (apps)"), lang)),
    }
    from ..rules.catalog import RULES
    title = tr(N_("sdkgate fleet report"), lang)
    head = page_head(lang, kind=title, app=msg("{n} app(s)", n=rep.apps).render(lang))
    return render_page("fleet.html.j2", head, lang, rep=rep, charts=charts, rules=rep.rules(),
                       rule_titles=_rule_titles(RULES, lang), unseen=lambda kind: unseen(kind, lang))


def _rule_titles(rules, lang: str) -> dict[str, str]:
    return {rid: r.text(lang) for rid, r in rules.items()}
