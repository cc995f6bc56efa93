"""`report --merge`: one table over many bundles (one per device x scenario), for device farms and CI matrices."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..fileio import read_json_object
from ..report import Report
from .bundle import BUNDLE_FILE
from ..i18n import N_, msg, tr
from ..formats.labels import verdict_text

VERDICT_ORDER = {"fail": 0, "incomplete": 1, "not_judged": 2, "pass": 3}
MERGE_COLUMNS = (N_("Bundle"), N_("Device"), N_("Scenario"), N_("Verdict"), N_("Seal"))


@dataclass
class MergeRow:
    bundle: str
    device: str
    scenario: str
    verdict: str
    seal: str                                   # sealed | TAMPERED | unsealed
    counts: dict[str, int] = field(default_factory=dict)   # rule id -> active findings


@dataclass
class MergeTable:
    rows: list[MergeRow]

    @property
    def rules(self) -> list[str]:
        return sorted({r for row in self.rows for r in row.counts})

    @property
    def exit_code(self) -> int:
        """1 if any bundle fails, else 3 if any is incomplete, not judged (or anything but a pass) or tampered,
        else 0: a merge is never a silent pass."""
        verdicts = {r.verdict for r in self.rows}
        if "fail" in verdicts:
            return 1
        if verdicts - {"pass"} or any(r.seal == "TAMPERED" for r in self.rows):
            return 3
        return 0

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "sdkgate.merge/1", "rules": self.rules,
                "rows": [{"bundle": r.bundle, "device": r.device, "scenario": r.scenario, "verdict": r.verdict,
                          "seal": r.seal, "counts": r.counts} for r in self.rows],
                "totals": {rule: sum(r.counts.get(rule, 0) for r in self.rows) for rule in self.rules}}


def find_bundles(paths: list[str | Path]) -> list[Path]:
    """Each path is an evidence folder (has report.json) or a folder of them (searched two levels deep)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            raise InputError(str(p), None, "not a folder")
        if (p / "report.json").is_file():
            out.append(p)
            continue
        found = sorted({r.parent for r in list(p.glob("*/report.json")) + list(p.glob("*/*/report.json"))})
        if not found:
            raise InputError(str(p), None, "no evidence folder here (no report.json in it or below it)")
        out.extend(found)
    seen, uniq = set(), []
    for p in out:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            uniq.append(p)
    return uniq


def seal_state(root: Path) -> str:
    """sealed | TAMPERED | unsealed, checked as `verify` and `report` do (bounded, confined, symlinks not
    followed), and report.json must be what the raw evidence gives (bundle/trust.py), else TAMPERED."""
    from .source import FolderSource
    from .trust import check_reproduced, check_seal
    with FolderSource(root) as src:
        res, meta = check_seal(src)
        if not res.intact or not src.is_file("report.json"):
            return "TAMPERED"
        check_reproduced(src, res, meta)
        if res.differences:
            return "TAMPERED"
    return "sealed" if meta is not None else "unsealed"


def describe_device(bundle: dict, run: dict) -> str:
    try:
        return _describe_device(bundle, run)[:200]
    except (AttributeError, TypeError, KeyError, IndexError):   # hostile metadata shapes: shown as unknown
        return ""


def _describe_device(bundle: dict, run: dict) -> str:
    d = bundle.get("device") or (run.get("backend_info") or {}).get("device") or run.get("backend") or ""
    if isinstance(d, str):
        return d
    parts = [str(d[k]) for k in ("manufacturer", "model") if d.get(k)]
    if d.get("android_release"):
        parts.append(f"Android {d['android_release']}")
    if d.get("sdk"):
        parts.append(f"API {d['sdk']}")
    if d.get("endpoint"):
        parts.append(f"@{d['endpoint']}")
    if not parts and (d.get("ids") or {}).get("serial"):
        parts.append(d["ids"]["serial"][7:19])
    return " ".join(parts) or str(d.get("kind") or "")


def bundle_labels(roots: list[Path]) -> dict[Path, str]:
    """Each bundle by its full name: its path below the folder all bundles share (`api30/cold-start-accept`),
    so bundles whose folders end alike (one per device) stay apart."""
    import os
    resolved = [r.resolve() for r in roots]
    if len(resolved) == 1:
        return {roots[0]: roots[0].name}
    base = Path(os.path.commonpath(resolved))
    return {r: (rr.relative_to(base).as_posix() or r.name) for r, rr in zip(roots, resolved)}


def merge(paths: list[str | Path]) -> MergeTable:
    rows = []
    roots = find_bundles(paths)
    labels = bundle_labels(roots)
    for root in roots:
        seal = seal_state(root)
        if seal == "TAMPERED":      # nothing is drawn from an altered or forged bundle: its row says so
            rows.append(MergeRow(bundle=labels[root], device="", scenario="", verdict="incomplete", seal=seal))
            continue
        if (root / "report.json").is_symlink():
            raise InputError(str(root / "report.json"), None, "a symlink: not followed")
        report = Report.load(root / "report.json")
        run, bundle = read_json_object(root / "run.json"), read_json_object(root / BUNDLE_FILE)
        scen = run.get("scenario")
        scen = scen.get("name") if isinstance(scen, dict) else scen
        if not isinstance(scen, str) and not isinstance(bundle.get("scenario"), dict):
            bundle.pop("scenario", None)
        counts: dict[str, int] = {}
        for f in report.active_findings():
            counts[f.rule] = counts.get(f.rule, 0) + 1
        rows.append(MergeRow(bundle=labels[root], device=describe_device(bundle, run),
                             scenario=str(scen or (bundle.get("scenario") or {}).get("name") or ""),
                             verdict=report.verdict, seal=seal, counts=counts))
    rows.sort(key=lambda r: (r.scenario, r.device, r.bundle))
    return MergeTable(rows)


def render_console(table: MergeTable, lang: str = "en") -> str:
    import io

    from rich.console import Console
    from rich.table import Table
    buf = io.StringIO()
    con = Console(file=buf, width=160, force_terminal=False, color_system=None)
    head = ("bundle", "device", "scenario", "verdict", "seal") if lang == "en" else \
        tuple(tr(h, lang) for h in MERGE_COLUMNS)
    tb = Table(title="sdkgate merge" if lang == "en" else tr(N_("sdkgate merged report"), lang))
    for h in head:
        tb.add_column(h, overflow="fold")
    for rule in table.rules:
        tb.add_column(rule, justify="right")
    for r in table.rows:
        tb.add_row(r.bundle, r.device, r.scenario, r.verdict if lang == "en" else verdict_text(r.verdict, lang), r.seal,
                   *[str(r.counts.get(x, 0) or "") for x in table.rules])
    con.print(tb)
    return buf.getvalue()


def render_html(table: MergeTable, lang: str = "en") -> str:
    from ..formats.htmlbase import page_head, render_page
    verdict = {1: "fail", 3: "incomplete"}.get(table.exit_code, "pass")
    title = tr(N_("sdkgate merged report"), lang)
    app = msg("{n} bundle(s)", n=len(table.rows)).render(lang)
    return render_page("merge.html.j2", page_head(lang, kind=title, app=app, verdict=verdict), lang, table=table, title=title,
                       columns=[tr(h, lang) for h in MERGE_COLUMNS], verdict_text=lambda v: verdict_text(v, lang))
