"""HTML: one self-contained page an auditor can open offline (inline CSS and SVG, no script, no network).

`render(report)` works from the report alone (timeline marks come from the findings' evidence);
`render_bundle(dir)` also reads the raw evidence of an evidence folder (events.jsonl, net.jsonl,
run.json, manifest.yaml, bundle.json, flows.har) and draws every read and send.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..events import BadLine, Event, merge_streams, parse_lines
from ..fixhints import hint_text, sdk_hint
from ..i18n import C_, N_, labels, msg, tr
from ..net.harview import HAR_MAX_ENTRIES, HarDrawn, read_har
from ..report import Finding, Report
from ..taxonomy import coverage, label
from . import digest
from .html_flows import HAR_MAX_BYTES, har_entry, highlight_excerpt, wire_form  # noqa: F401 - re-exported
from .html_timeline import MAX_MARKS, PRE_COLOUR, Timeline, draw, short_perm
from .htmlbase import render_page, report_head, severity_text
from .when import relative_to_consent  # noqa: F401 - re-exported (tests, reads sheet)
from .where import where

MAX_ROWS = 200                # actors with a row (and a lane) on the page
MAX_HOSTS_SHOWN = 50          # hosts listed per actor
MAX_PERMISSION_ROWS = 1000

T = {"title": N_("sdkgate report"), "verdict": N_("Verdict"), "pass": N_("PASS"), "fail": N_("FAIL"),
     "incomplete": N_("INCOMPLETE"), "not_judged": N_("NOT JUDGED"), "app": N_("App"), "scenario": N_("Scenario"),
     "device": N_("Device"), "calibration": N_("Calibration"), "tools": N_("Tools"),
     "generated": N_("Bundle sealed"), "timeline": N_("Timeline"),
     "timeline_note": N_("Each mark is a read (circle, from the hooks) or a send (square, seen on the wire), in the lane of the SDK that made it. Red marks happened before consent. Vertical lines are consent moments."),
     "consent": N_("consent"), "read": N_("read"), "send": N_("send"), "pre": N_("before consent"),
     "post": N_("after consent"), "sdk_table": N_("What each SDK read and sent"), "sdk": N_("SDK"),
     "declared_rows": N_("Declared data types"), "read_pre": N_("Read before consent"),
     "read_post": N_("Read after consent"), "sent_pre": N_("Sent before consent"),
     "sent_post": N_("Sent after consent"), "hosts": N_("Hosts"), "not_declared": N_("not on the declared list"),
     "app_itself": N_("the app itself"), "undeclared_cat": N_("not declared for this SDK"),
     "generic_cat": N_("declared only generically (the policy does not say which)"),
     "permissions": N_("Permission requests"), "t": N_("Time"), "permission": N_("Permission"),
     "by": N_("Requested by"), "result": N_("Result"), "in_table": N_("In permission table"),
     "when": N_("Declared when"), "yes": N_("yes"), "no": N_("NO"), "findings": N_("Findings"), "rule": N_("Rule"),
     "severity": N_("Severity"), "actor": N_("Actor"), "category": N_("Data"), "clause": N_("Clause"),
     "evidence": N_("Evidence"), "stack": N_("Stack"), "flow": N_("Flow that proves it"),
     "canary": N_("Planted value"), "wire": N_("On the wire as"), "suppressed": N_("suppressed"),
     "count": C_("count", "events"), "unconfirmed": N_("not confirmed"),
     "unconfirmed_help": N_("rests on evidence that is incomplete (a gap in the consent record): listed, makes the run incomplete, not fail"),
     "incomplete_reasons": N_("Evidence incomplete"), "skipped": N_("Not judged"), "none": N_("none"),
     "fix": N_("How to fix"), "no_findings": N_("No findings."),
     "no_permissions": N_("No permission requests seen."), "more_marks": N_("marks merged where they overlap"),
     "no_events": N_("No reads or sends were recorded."), "request": N_("Request"), "body": N_("Body excerpt"),
     "sdks": N_("SDKs"), "events": N_("events"),
     "legend_lanes": N_("Lane colour: one colour per SDK (named at the left of its lane); red fill: before consent."),
     "violation_mark": N_("red outline: evidence of a violation (also after consent, e.g. a never-transmit value sent)"),
     "violations_label": N_("violations"), "active_label": N_("active findings"), "when_label": N_("When"),
     "process": N_("process"), "event": N_("event"), "marks_one": N_("mark merged where it overlaps"),
     "where": N_("Where"), "not_confirmed": N_("not confirmed"), "kinds": N_("kind(s) of reason"),
     "more_examples": N_("more of this kind"),
     "code_loaded": N_("loaded code"), "in_memory": N_("in-memory DEX"),
     "integrity": N_("Integrity"), "seal_sealed": N_("sealed: every file matches bundle.json"),
     "seal_unsealed": N_("NOT sealed: integrity not checked"),
     "sig_absent": N_("NOT signed: the seal does not show who made the bundle"),
     "sig_unchecked": N_("signature present, NOT checked (no key given)"),
     "sig_valid": N_("signature valid for the given key"),
     "rederived": N_("verdict re-derived from the raw evidence"),
     "not_rederived": N_("no raw evidence: verdict not re-derived"),
     "partly_rederived": N_("verdict re-derived, but part of the evidence could not be re-checked (incomplete)")}


@dataclass
class SdkRowView:
    actor: str
    name: str
    declared: bool | None           # None: first party / unknown
    declared_categories: list[str] = field(default_factory=list)
    read_pre: dict[str, int] = field(default_factory=dict)
    read_post: dict[str, int] = field(default_factory=dict)
    sent_pre: dict[str, int] = field(default_factory=dict)
    sent_post: dict[str, int] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)

    def coverage(self, category: str) -> str | None:
        """exact | generic (only a generic parent such as device_id is declared) | None."""
        return coverage(self.declared_categories, category)



class View:
    """Everything the template shows, built in one pass over the evidence."""

    def __init__(self, report: Report, lang: str, manifest=None, run: dict | None = None,
                 bundle: dict | None = None, har: list[dict] | None = None):
        self.report, self.lang, self.t = report, lang, labels(T, lang)
        self.manifest, self.run, self.bundle = manifest, run or {}, bundle or {}
        self.har = har or []
        self.canaries: dict[str, list[str]] = {k: ([v] if isinstance(v, str) else list(v))
                                               for k, v in (self.run.get("canaries") or {}).items()}
        self.rows: dict[str, SdkRowView] = {}
        self.needed = {(e.source, e.seq) for f in report.findings for e in f.evidence}
        self.violation_refs = {(e.source, e.seq) for f in report.findings if f.severity == "violation"
                               and not f.suppressed for e in f.evidence}
        self.evidence_events: dict[tuple[str, int], Event] = {}
        self.permission_log: list[dict[str, Any]] = []
        self.bad_lines = 0
        self.omitted = 0          # marks/rows beyond the page's bounds (counted, said on the page)
        self.have_events = False
        self.bundle_hash = ""       # SHA-256 of bundle.json (the seal), shown on every page

    def moments(self, tl: "Timeline | None" = None) -> list[dict[str, Any]]:
        """The user's answers (the report's consent moments; while replaying evidence, those seen so far too)."""
        return list(self.report.stats.get("consent") or []) or (tl.moments if tl else [])

    # --- names and labels ----------------------------------------------------------------
    def sdk_name(self, actor: str | None) -> str:
        if actor in (None, ""):
            return "-"
        if actor == FIRST_PARTY:
            return self.t["app_itself"]
        if self.manifest is not None and actor in self.manifest.sdks:
            return self.manifest.sdks[actor].name
        for s in self.report.sdks:
            if s.id == actor:
                return s.name
        cat = (self.manifest.catalogue() if self.manifest else None)
        if cat is None:
            from ..catalogue import default_catalogue
            cat = default_catalogue()
        sdk = cat.sdks.get(actor)
        return sdk.name if sdk else actor

    def row(self, actor: str) -> SdkRowView:
        r = self.rows.get(actor)
        if r is None:
            declared: bool | None = None
            cats: list[str] = []
            if actor not in (FIRST_PARTY, UNKNOWN):
                mrow = self.manifest.sdks.get(actor) if self.manifest else None
                declared = mrow is not None if self.manifest else None
                cats = list(mrow.categories) if mrow else []
            r = self.rows[actor] = SdkRowView(actor, self.sdk_name(actor), declared, cats)
        return r

    # --- evidence --------------------------------------------------------------------------
    def consume(self, events: Iterable[Event | BadLine]) -> Timeline:
        """One pass over the raw evidence, bounded under any log (MAX_MARKS, MAX_ROWS, MAX_HOSTS_SHOWN):
        what is beyond is counted in `omitted` and said on the page; an event of the wrong shape is
        counted as an unreadable line, never a crash."""
        t_end = float(self.report.stats.get("last_t_ms") or 0.0)
        tl = Timeline(self.manifest, t_end)
        for ev in events:
            if isinstance(ev, BadLine):
                self.bad_lines += 1
                continue
            try:
                self._consume_one(ev, tl)
            except (TypeError, ValueError, AttributeError, KeyError) :
                self.bad_lines += 1
        return tl

    def _consume_one(self, ev: Event, tl: Timeline) -> None:
        self.have_events = True
        if (ev.source, ev.seq) in self.needed:
            self.evidence_events[(ev.source, ev.seq)] = ev
        pre = tl.feed(ev)
        if ev.t_ms > tl.t_end:
            tl.t_end = ev.t_ms
        if ev.kind == "permission_request":
            if len(self.permission_log) < MAX_PERMISSION_ROWS:
                self.permission_log.append({"t_ms": ev.t_ms, "permissions": [str(p) for p in ev.get("permissions") or []],
                                            "actor": ev.actor, "pre": not tl.state.consented(ev.actor or UNKNOWN),
                                            "results": {}})
            else:
                self.omitted += 1
        elif ev.kind == "permission_result":
            res = ev.get("results") or {}
            if not isinstance(res, dict):
                raise TypeError("results must be an object")
            for entry in reversed(self.permission_log[-50:]):
                if set(entry["permissions"]) & set(res):
                    entry["results"].update(res)
                    break
            else:
                if len(self.permission_log) < MAX_PERMISSION_ROWS:
                    self.permission_log.append({"t_ms": ev.t_ms, "permissions": list(res), "actor": ev.actor,
                                                "pre": False, "results": dict(res)})
        if ev.kind == "code_loaded":          # code loaded at run time: a diamond in its loader's lane
            actor = ev.actor or UNKNOWN
            if actor not in self.rows and len(self.rows) >= MAX_ROWS:
                self.omitted += 1
                return
            self.row(actor)
            what = str(ev.get("path") or self.t["in_memory"])[:255]
            if len(tl.raw) < MAX_MARKS:
                tl.raw.append((ev.t_ms, actor, "code_loaded", not tl.state.consented(actor),
                               f"{ev.t_ms / 1000:.3f} s {self.sdk_name(actor)} {self.t['code_loaded']} {what} "
                               f"({str(ev.get('sha256') or '')[:12]}, {ev.get('process') or ''}) · "
                               f"{relative_to_consent(ev.t_ms, self.moments(tl), self.lang)}",
                               (ev.source, ev.seq) in self.violation_refs))
            else:
                self.omitted += 1
            return
        if pre is None:
            return
        actor = ev.actor or UNKNOWN
        if actor not in self.rows and len(self.rows) >= MAX_ROWS:
            self.omitted += 1
            return
        r = self.row(actor)
        cat = ev.category or "?"
        if ev.kind == "read":
            bucket = r.read_pre if pre else r.read_post
            title = f"{ev.t_ms / 1000:.3f} s {self.sdk_name(actor)} {self.t['read']} {label(cat, self.lang)} " \
                    f"({ev.get('api_id') or ev.api or ''})"
        else:
            bucket = r.sent_pre if pre else r.sent_post
            host = ev.get("host")
            if host and len(r.hosts) < MAX_HOSTS_SHOWN:
                r.hosts.add(str(host)[:255])
            title = f"{ev.t_ms / 1000:.3f} s {self.sdk_name(actor)} {self.t['send']} {label(cat, self.lang)} " \
                    f"→ {str(host or '')[:255]} [{str(ev.get('encoding', ''))[:40]}]"
        bucket[cat] = bucket.get(cat, 0) + 1
        if len(tl.raw) < MAX_MARKS:
            title += f" · {relative_to_consent(ev.t_ms, self.moments(tl), self.lang)}"
            tl.raw.append((ev.t_ms, actor, ev.kind, pre, title, (ev.source, ev.seq) in self.violation_refs))
        else:
            self.omitted += 1

    def timeline_from_report(self) -> Timeline:
        """Without raw evidence: consent moments from the stats, marks from the findings' evidence refs."""
        tl = Timeline(self.manifest, float(self.report.stats.get("last_t_ms") or 0.0))
        tl.moments = [m for m in self.report.stats.get("consent") or [] if m.get("source", "step") == "step"] \
            or list(self.report.stats.get("consent") or [])
        seen = set()
        for f in self.report.findings:
            for e in f.evidence:
                if e.source not in ("hook", "net") or (e.source, e.seq) in seen:
                    continue
                seen.add((e.source, e.seq))
                pre = f.rule in ("SG101", "SG102", "SG103", "SG401", "SG302")
                kind = "read" if e.source == "hook" else "send"
                tl.raw.append((e.t_ms, f.actor or UNKNOWN, kind, pre,
                               f"{e.t_ms / 1000:.3f} s {f.rule} {e.detail} · "
                               f"{relative_to_consent(e.t_ms, self.moments(tl), self.lang)}",
                               (e.source, e.seq) in self.violation_refs))
                tl.t_end = max(tl.t_end, e.t_ms)
        return tl

    # --- findings ------------------------------------------------------------------------------
    def finding_view(self, f: Finding) -> dict[str, Any]:
        stack = list(f.detail.get("stack") or [])
        flows = []
        for e in f.evidence:
            ev = self.evidence_events.get((e.source, e.seq))
            if ev is None:
                continue
            if not stack and ev.stack:
                stack = list(ev.stack)
            if ev.source == "net" and ev.kind == "send" and len(flows) < 3:
                flows.append(self.flow_view(ev))
        if not flows and f.detail.get("host") and f.rule.startswith("SG4"):
            flows.append({"method": "", "url": f"{f.detail.get('scheme') or 'https'}://{f.detail.get('host')}"
                          f"{f.detail.get('path') or ''}", "encoding": f.detail.get("encoding") or "",
                          "where": f.detail.get("where") or "", "canaries": [], "body": None, "flow_id": f.detail.get("flow_id")})
        return {"f": f, "message": f.text(self.lang), "severity": severity_text(f.severity, self.lang),
                "category": label(f.category, self.lang), "actor": self.sdk_name(f.actor) if f.actor else "-",
                "stack": stack[:24], "flows": flows, "fix": hint_text(f.rule, f.actor, self.lang),
                "where": where(f), "confirmed": digest.confirmed(f),
                "when": (relative_to_consent(f.evidence[0].t_ms, self.moments(), self.lang)
                         if f.evidence and f.evidence[0].source in ("hook", "net", "step") else ""),
                "fix_api": (sdk_hint(f.rule, f.actor).api if sdk_hint(f.rule, f.actor) else "")}

    def flow_view(self, ev: Event) -> dict[str, Any]:
        cat, enc = ev.category or "", ev.get("encoding") or ""
        canaries = []
        wire_forms = []
        for value in self.canaries.get(cat, []):
            wire = wire_form(cat, value, enc)
            canaries.append({"value": value, "wire": wire if wire and wire != value else None})
            wire_forms.append(wire or value)
        url = f"{ev.get('scheme') or 'https'}://{ev.get('host', '')}{ev.get('path') or ''}"
        body = None
        entry = har_entry(self.har, ev.get("flow_id"), ev.get("method"), ev.get("host"), ev.get("path"))
        if entry is not None:
            req = entry.get("request") or {}
            url = req.get("url") or url
            text = ((req.get("postData") or {}).get("text") or "")
            body = highlight_excerpt(text, [w for w in wire_forms if w]) if text else None
            url_parts = highlight_excerpt(url, [w for w in wire_forms if w], width=len(url) + 1)
        else:
            url_parts = highlight_excerpt(url, [w for w in wire_forms if w], width=len(url) + 1)
        return {"method": ev.get("method") or "", "url": url, "url_parts": url_parts, "encoding": enc,
                "where": ev.get("where") or "", "canaries": canaries, "body": body, "flow_id": ev.get("flow_id"),
                "category": label(cat, self.lang)}


def _render(view: View, tl: Timeline, printing: bool = False) -> str:
    rep = view.report
    for f in rep.findings:                      # every actor with findings gets a table row
        if f.actor and f.rule not in ("SG900",):
            view.row(f.actor)
    if view.manifest is not None:
        for sid in view.manifest.sdks:
            if sid in {s.id for s in rep.sdks} or sid in view.rows:
                view.row(sid)
    rows = sorted(view.rows.values(), key=lambda r: (r.declared is None, r.actor == UNKNOWN, r.actor))
    groups = [{"actor": g.actor, "name": view.sdk_name(g.actor) if g.actor else tr(digest.WHY["app_wide"], view.lang),
               "violations": g.violations, "findings": [view.finding_view(f) for f in g.findings]}
              for g in digest.finding_groups(rep, view.lang, view.sdk_name)]
    perms = view.permission_log or [{"t_ms": p.get("t_ms"), "permissions": p.get("permissions") or [p.get("permission")],
                                     "actor": p.get("actor"), "pre": p.get("pre", False),
                                     "results": p.get("results") or {}} for p in rep.permissions]
    table = view.manifest.permissions if view.manifest is not None else {}
    ctx = {
        "t": view.t, "report": rep, "svg": draw(tl, view.sdk_name, view.lang), "rows": rows,
        "groups": groups, "permissions": perms, "perm_table": table,
        "label": lambda c: label(c, view.lang), "sdk_name": view.sdk_name, "short_perm": short_perm,
        "run": view.run, "bundle": view.bundle, "have_events": view.have_events, "bad_lines": view.bad_lines, "omitted": view.omitted,
        "pre_colour": PRE_COLOUR, "active": len(rep.active_findings()),
        "violations": len(rep.active_findings("violation")), "why": digest.why(rep, view.lang, view.sdk_name),
        "scenario": _scenario_name(view.run, view.bundle), "device": _device_text(view.bundle, view.run),
        "reasons": digest.reason_groups(rep, view.lang), "printing": printing,
        "skipped": [rep.say(r, view.lang) for r in rep.skipped],
        "calibration": _calibration_note(rep, view.lang),
    }
    return render_page("report.html.j2", report_head(rep, view.lang, view.t["title"], view.bundle_hash), view.lang, **ctx)


def _calibration_note(rep: Report, lang: str) -> str:
    """"agent calibrated on this device: N/M rows" (or not calibrated) of a device run (issue 26)."""
    cal = rep.stats.get("calibration")
    note = cal.get("note") if isinstance(cal, dict) else None
    return rep.say(note, lang) if isinstance(note, str) else ""


def _scenario_name(run: dict, bundle: dict) -> str:
    s = run.get("scenario")
    if isinstance(s, dict):
        s = s.get("name") or s.get("file")
    return str(s or (bundle.get("scenario") or {}).get("name") or "")


def _device_text(bundle: dict, run: dict) -> str:
    d = bundle.get("device") or run.get("device") or {}
    if isinstance(d, str):
        return d
    parts = [str(d.get(k)) for k in ("manufacturer", "model") if d.get(k)]
    if d.get("android_release"):
        parts.append(f"Android {d['android_release']}")
    if d.get("sdk"):
        parts.append(f"API {d['sdk']}")
    return " ".join(parts) or str(d.get("kind") or "")


class HtmlFormat:
    name = "html"
    binary = False

    def render(self, report: Report, lang: str = "en", printing: bool = False) -> str:
        from . import html_scan
        if html_scan.is_static(report):             # a scan: SDKs, call sites, paths, permissions (no timeline)
            return html_scan.render(report, lang, printing)
        view = View(report, lang)
        return _render(view, view.timeline_from_report(), printing)


FORMAT = HtmlFormat()



def _scalars(d: Any) -> dict:
    return {k: v for k, v in d.items() if isinstance(v, (str, int, float, bool))} if isinstance(d, dict) else {}


def _shown_meta(d: dict) -> dict:
    """The fields of run.json / bundle.json the page shows, each in the shape it is drawn in (a hostile
    bundle's metadata of another shape is left out rather than crashing the page)."""
    from ..canaries import validate_canaries
    from ..errors import InputError
    out: dict[str, Any] = {}
    for k in ("created", "backend"):
        if isinstance(d.get(k), str):
            out[k] = d[k]
    if isinstance(d.get("tools"), dict):
        out["tools"] = _scalars(d["tools"])
    if isinstance(d.get("agent"), dict) and isinstance(d["agent"].get("sha256"), str):
        out["agent"] = {"sha256": d["agent"]["sha256"]}
    if isinstance(d.get("files"), dict):
        out["files"] = d["files"]
    for k in ("scenario", "device"):
        v = d.get(k)
        if isinstance(v, str):
            out[k] = v
        elif isinstance(v, dict):
            out[k] = _scalars(v)
    if d.get("canaries"):
        try:
            out["canaries"] = validate_canaries(d["canaries"], "run.json")
        except InputError:
            pass
    return out


def integrity_parts(integrity: dict, t: dict) -> list[tuple[str, str]]:
    """(text, css class) of the integrity facts (bundle/trust.py): only a checked signature is green."""
    parts = [(t["seal_sealed"], "") if integrity.get("seal") == "sealed" else (t["seal_unsealed"], "bad")]
    sig = integrity.get("signature")
    if sig == "valid":
        parts.append((t["sig_valid"], "ok"))
    elif sig == "unchecked":
        parts.append((t["sig_unchecked"], "bad"))
    elif integrity.get("seal") == "sealed":
        parts.append((t["sig_absent"], "bad"))
    if not integrity.get("evidence"):
        parts.append((t["not_rederived"], "bad"))
    else:
        parts.append((t["partly_rederived"], "bad") if integrity.get("unverified") else (t["rederived"], ""))
    return parts


def render_bundle(out_dir, lang: str = "en", report: Report | None = None, printing: bool = False,
                  integrity: dict | None = None) -> str:
    """The HTML report of an evidence folder (or a BundleSource), drawing every read and send of its raw
    evidence. Only plain files inside the bundle are read, each with the bounded readers. `integrity`:
    what `report` checked (seal, signature, re-derivation), shown among the facts."""
    from ..bundle.source import BundleSource, FolderSource
    from ..fileio import loads_bounded
    src = out_dir if isinstance(out_dir, BundleSource) else FolderSource(out_dir)
    if report is None:
        report = Report.load(Path(src.where("report.json")))

    def meta(rel: str, cap: int | None = None) -> dict:
        if not src.is_file(rel):
            return {}
        try:
            d = loads_bounded(src.read_bytes(rel, cap) if cap else src.read_bytes(rel))
        except Exception:  # noqa: BLE001 - optional metadata: unreadable is shown as absent
            return {}
        return d if isinstance(d, dict) else {}

    from .reads import manifest_of
    manifest = manifest_of(src)
    drawn = read_har(lambda: src.open("flows.har")) if src.is_file("flows.har") else HarDrawn()
    shown = _shown_meta(meta("bundle.json"))
    if drawn.cut:
        shown["har_note"] = tr(msg("flows.har is over this page's {limit} MB limit and not in sdkgate's layout: no flow is "
                                   "drawn from it (see flows.har / flows.mitm)", limit=HAR_MAX_BYTES >> 20) if drawn.unread
                               else msg("flows.har holds more than this page draws ({limit} MB or {max} flows): the first "
                                        "{n} flows are drawn, the rest only in flows.har / flows.mitm",
                                        limit=HAR_MAX_BYTES >> 20, n=len(drawn.entries), max=HAR_MAX_ENTRIES), lang)
    if integrity:
        shown["integrity"] = {**integrity, "parts": integrity_parts(integrity, labels(T, lang))}
    view = View(report, lang, manifest=manifest, run=_shown_meta(meta("run.json")), bundle=shown, har=drawn.entries)
    if src.is_file("bundle.json"):
        import hashlib
        view.bundle_hash = hashlib.sha256(src.read_bytes("bundle.json")).hexdigest()
    names = [n for n in ("events.jsonl", "net.jsonl") if src.is_file(n)]
    if not names:
        return _render(view, view.timeline_from_report(), printing)
    handles = [src.open(n) for n in names]
    try:
        return _render(view, view.consume(merge_streams([parse_lines(fh, src.where(n)) for n, fh in zip(names, handles)])),
                       printing)
    finally:
        for fh in handles:
            fh.close()
