"""What the evidence shows an app does, in the terms a manifest declares: SDKs (and where they were
seen), data categories per SDK, permissions, contacted domains. Built from one event stream, whatever
produced it (a scan of an APK, an evidence folder, or a report when only the report is left).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..errors import InputError
from ..events import BadLine, Event, read_events
from ..manifest import Manifest
from ..i18n import attach, failure, msg

WHERE = ("static", "runtime", "network")


@dataclass
class Observed:
    source: str                                                   # what was read (apk / folder / report)
    app: dict = field(default_factory=dict)
    sdks: dict[str, set[str]] = field(default_factory=dict)       # sdk id -> {static, runtime, network}
    sdk_packages: dict[str, set[str]] = field(default_factory=dict)
    categories: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # actor -> category -> where
    permissions: dict[str, set[str]] = field(default_factory=dict)  # permission -> {declared_in_apk, used_by_api, requested}
    domains: dict[str, set[str]] = field(default_factory=dict)     # domain -> actors
    incomplete: list[str] = field(default_factory=list)
    apk_permissions_known: bool = False    # the APK's uses-permission list was read (a scan is in the evidence)

    def saw(self, actor: str | None, where: str) -> None:
        if actor and actor not in (FIRST_PARTY, UNKNOWN):
            self.sdks.setdefault(actor, set()).add(where)

    def cat(self, actor: str | None, category: str | None, where: str) -> None:
        if category:
            self.categories.setdefault(actor or UNKNOWN, {}).setdefault(category, set()).add(where)


def from_events(events: Iterable[Event | BadLine], manifest: Manifest | None, source: str) -> Observed:
    from ..catalogue import default_catalogue
    ob = Observed(source)
    cat = manifest.catalogue() if manifest else default_catalogue()
    app_domains = manifest.app_domains if manifest else ()
    for ev in events:
        if isinstance(ev, BadLine):
            ob.incomplete.append(msg("{file}:line {line}: {problem}", file=str(ev.file), line=ev.line, problem=ev.problem))
            continue
        k = ev.kind
        if k == "scan":
            ob.apk_permissions_known = True
            ob.app.update({"package": ev.get("package"), "version_name": ev.get("version_name"), "apk": ev.get("apk")})
        elif k == "sdk_present":
            ob.saw(ev.actor, "static")
            if ev.actor and ev.actor not in (FIRST_PARTY, UNKNOWN):
                ob.sdk_packages.setdefault(ev.actor, set()).update(ev.get("packages") or [])
        elif k == "call_site":
            ob.saw(ev.actor, "static")
            if ev.get("api_kind") != "permission_request":
                ob.cat(ev.actor, ev.category, "static")
            if ev.get("permission"):
                ob.permissions.setdefault(ev.get("permission"), set()).add("used_by_api")
        elif k == "permission_declared":
            ob.permissions.setdefault(ev.get("permission"), set()).add("declared_in_apk")
        elif k == "read":
            ob.saw(ev.actor, "runtime")
            ob.cat(ev.actor, ev.category, "runtime")
        elif k == "permission_request":
            for p in ev.get("permissions") or []:
                ob.permissions.setdefault(p, set()).add("requested")
            ob.saw(ev.actor, "runtime")
        elif k in ("send", "flow", "tls_failed"):
            host = (ev.get("host") or "").lower()
            actor = ev.actor or (cat.attribute_host(host) if host else None)
            if not actor and host and any(host == d or host.endswith("." + d) for d in app_domains):
                actor = FIRST_PARTY
            if host:
                ob.domains.setdefault(host, set()).add(actor or UNKNOWN)
            ob.saw(actor, "network")
            if k == "send":
                ob.cat(actor, ev.category, "network")
        elif k == "incomplete":
            reason = attach(ev.get("reason"), ev.get("reason_msg"))
            ob.incomplete.append(reason if isinstance(reason, str) and reason else msg("incomplete evidence"))
    return ob


def from_apk(apk: Path, manifest: Manifest) -> Observed:
    from ..static import scan_apk
    try:
        result = scan_apk(apk, manifest)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unforeseen input: incomplete, not a traceback
        ob = Observed(str(apk))
        ob.incomplete.append(msg("{where}: scan failed: {error}", where=str(apk), error=failure(exc)))
        return ob
    return from_events(result.events, manifest, str(apk))


def from_folder(folder: Path, manifest: Manifest) -> Observed:
    logs = [folder / n for n in ("events.jsonl", "net.jsonl", "static.jsonl") if (folder / n).is_file()]
    if not logs:
        if (folder / "report.json").is_file():
            return from_report(folder / "report.json", manifest)
        raise InputError(str(folder), None, "no events.jsonl, net.jsonl or report.json: not an evidence folder")

    def stream():
        for p in logs:
            yield from read_events(p)
    return from_events(stream(), manifest, str(folder))


def from_report(path: Path, manifest: Manifest) -> Observed:
    """Only a report is left: SDKs, call sites and permission requests it lists; traffic is not in a
    report, so the domains column says so (incomplete)."""
    from ..report import Report
    siblings = [path.parent / n for n in ("events.jsonl", "net.jsonl")]
    if any(p.is_file() for p in siblings):
        return from_folder(path.parent, manifest)
    rep = Report.load(path)
    ob = Observed(str(path), app=dict(rep.app))
    for s in rep.sdks:
        ob.saw(s.id, "static" if s.class_count is not None else "runtime")
        if s.packages:
            ob.sdk_packages.setdefault(s.id, set()).update(s.packages)
    for c in rep.call_sites:
        ob.saw(c.actor, "static")
        ob.cat(c.actor, c.category, "static")
    for p in rep.permissions:
        for perm in (p.get("permissions") or ([p["permission"]] if p.get("permission") else [])):
            ob.permissions.setdefault(perm, set()).add("requested")
    for f in rep.findings:
        host = (f.detail or {}).get("host")
        if host:
            ob.domains.setdefault(str(host).lower(), set()).add(f.actor or UNKNOWN)
        if f.rule == "SG301" and (f.detail or {}).get("permission"):
            ob.permissions.setdefault(f.detail["permission"], set()).add("used_by_api")
        if f.category and f.actor:
            ob.cat(f.actor, f.category, "runtime" if f.rule.startswith("SG1") else
                   "network" if f.rule.startswith("SG4") else "static")
    ob.incomplete += list(rep.incomplete)
    ob.incomplete.append(msg("{where}: a report alone lists no contacted domains that were declared, and no "
                             "uses-permission of the APK: give the evidence folder or the APK for those columns",
                             where=str(path)))
    return ob


def observe(target: Path, manifest: Manifest) -> Observed:
    """APK, evidence folder or report.json -> Observed; anything else is bad input."""
    if target.is_dir():
        return from_folder(target, manifest)
    if not target.exists():
        raise InputError(str(target), None, "no such file or folder")
    head = target.read_bytes()[:4]
    if head[:2] == b"PK" or target.suffix.lower() in (".apk", ".apks", ".xapk"):
        return from_apk(target, manifest)
    if target.suffix.lower() == ".json":
        return from_report(target, manifest)
    if target.suffix.lower() == ".jsonl":
        return from_events(read_events(target), manifest, str(target))
    raise InputError(str(target), None, "expected an APK, a report.json or an evidence folder")
