"""What changed since the last release: a scan compared with a baseline (the last release's report.json, or its APK
scanned the same way). New and removed SDKs, permissions, call sites and findings; `--fail-on-new` fails only on
violations the baseline did not have, the way linters' baselines work. A finding is the same finding when its
fingerprint (rule, SDK, data category, where: `fingerprint`) is; SARIF carries it and `baselineState`.

The comparison goes in the report as `stats.baseline` (bounded lists, full counts)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .report import Finding, Report

LISTED = 200            # items named per list in stats.baseline (the counts are always complete)


def fingerprint(f: Finding) -> str:
    """Stable across releases: what a finding is about, never when it was seen or how often."""
    d = f.detail or {}
    key = d.get("target") or d.get("caller") or d.get("component") or d.get("permission") or d.get("host") or ""
    parts = (f.rule, f.actor or "", f.category or "", key) + ((f.process,) if f.process else ())
    return "/".join(str(x) for x in parts)


def _permissions(r: Report) -> set[str]:
    return {str((p.get("permissions") or [""])[0]) for p in r.permissions if p.get("kind") == "declared"}


def _sites(r: Report) -> set[tuple[str, str, str, str]]:
    return {(c.actor, c.category, c.api, c.caller) for c in r.call_sites}


@dataclass
class BaselineDiff:
    source: str
    package: str = ""
    version_name: str = ""
    new: dict[str, list] = field(default_factory=dict)
    removed: dict[str, list] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    unchanged_findings: int = 0
    new_findings: list[str] = field(default_factory=list)        # fingerprints (SARIF baselineState "new")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "package": self.package, "version_name": self.version_name,
                "new": self.new, "removed": self.removed, "counts": self.counts,
                "unchanged_findings": self.unchanged_findings, "new_findings": self.new_findings}


def compare(new: Report, old: Report, source: str) -> BaselineDiff:
    out = BaselineDiff(source, str(old.app.get("package") or ""), str(old.app.get("version_name") or ""))
    pairs = {
        "sdks": ({s.id for s in new.sdks}, {s.id for s in old.sdks}),
        "permissions": (_permissions(new), _permissions(old)),
        "call_sites": (_sites(new), _sites(old)),
    }
    old_prints = {fingerprint(f) for f in old.findings if not f.suppressed}
    new_prints = {fingerprint(f): f for f in new.findings if not f.suppressed}
    for name, (now, before) in pairs.items():
        added, gone = sorted(now - before), sorted(before - now)
        if name == "call_sites":
            added = [dict(zip(("actor", "category", "api", "caller"), x)) for x in added]
            gone = [dict(zip(("actor", "category", "api", "caller"), x)) for x in gone]
        out.new[name], out.removed[name] = added[:LISTED], gone[:LISTED]
        out.counts[name] = {"new": len(now - before), "removed": len(before - now)}
    added_f = sorted(set(new_prints) - old_prints)
    gone_f = sorted(old_prints - set(new_prints))
    out.new["findings"] = [_finding_item(new_prints[k], k) for k in added_f[:LISTED]]
    by_print = {fingerprint(f): f for f in old.findings}
    out.removed["findings"] = [_finding_item(by_print[k], k) for k in gone_f[:LISTED]]
    out.counts["findings"] = {"new": len(added_f), "removed": len(gone_f)}
    out.unchanged_findings = len(set(new_prints) & old_prints)
    out.new_findings = added_f
    return out


def _finding_item(f: Finding, key: str) -> dict[str, Any]:
    return {"fingerprint": key, "rule": f.rule, "severity": f.severity, "actor": f.actor, "category": f.category,
            "where": key.split("/", 3)[3] if key.count("/") >= 3 else "", "message": f.message}


def new_violations(report: Report) -> list[Finding]:
    """The active violations the baseline did not have (all of them when there is no baseline)."""
    base = report.stats.get("baseline")
    news = set(base.get("new_findings") or []) if isinstance(base, dict) else None
    return [f for f in report.active_findings("violation") if news is None or fingerprint(f) in news]


def baseline_state(report: Report, f: Finding) -> str | None:
    """SARIF `baselineState` of a finding: new | unchanged (None without a baseline)."""
    base = report.stats.get("baseline")
    if not isinstance(base, dict):
        return None
    return "new" if fingerprint(f) in set(base.get("new_findings") or []) else "unchanged"


def load_baseline(path: Path, scan) -> Report:
    """The baseline report: a report.json (read with the bounded reader) or an APK, which `scan(path)` turns into a
    report the same way the new one was made."""
    from .static.bundles import APP_SUFFIXES
    if not path.exists():
        raise InputError(str(path), None, "baseline not found (give the last release's report.json or its APK)")
    if path.suffix.lower() in APP_SUFFIXES:
        return scan(path)
    if path.is_dir():
        path = path / "report.json"
    return Report.load(path)


def fail_on_new_exit(report: Report) -> int:
    """--fail-on-new: 1 only for a violation the baseline did not have; evidence that could hide one stays 3."""
    if new_violations(report):
        return 1
    return 3 if report.verdict in ("incomplete", "not_judged") else 0
