"""HTML: one self-contained page an auditor can open offline (inline CSS and SVG, no script, no network).

`render(report)` works from the report alone (timeline marks come from the findings' evidence);
`render_bundle(dir)` also reads the raw evidence of an evidence folder (events.jsonl, net.jsonl,
run.json, manifest.yaml, bundle.json, flows.har) and draws every read and send.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import jinja2

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..events import BadLine, Event, merge_streams, parse_lines, read_events
from ..fileio import read_json_object
from ..fixhints import hint_text, sdk_hint
from ..i18n import localise
from ..net.harview import HAR_MAX_BYTES, HAR_MAX_ENTRIES, HarDrawn, read_har
from ..report import Finding, Report
from ..taxonomy import label

# SDK colours: none of them red (red is reserved for pre-consent marks)
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#393b79",
           "#637939", "#e7ba52", "#5254a3", "#6b6ecf", "#3182bd", "#31a354", "#756bb1", "#636363")
PRE_COLOUR = "#d62728"
TRANSITION_COLOUR = {"granted": "#2e7d32", "declined": "#ef6c00", "withdrawn": "#6a1b9a"}
SVG_W, LABEL_W, LANE_H, TOP, BOTTOM = 1000, 170, 24, 34, 30
MAX_MARKS = 20_000            # timeline marks kept before bucketing per pixel
MAX_ROWS = 200                # actors with a row (and a lane) on the page
MAX_HOSTS_SHOWN = 50          # hosts listed per actor
MAX_PERMISSION_ROWS = 1000
BODY_EXCERPT = 600

T = {
    "en": {
        "title": "sdkgate report", "verdict": "Verdict", "pass": "PASS", "fail": "FAIL", "incomplete": "INCOMPLETE", "not_judged": "NOT JUDGED",
        "app": "App", "scenario": "Scenario", "device": "Device", "tools": "Tools", "generated": "Sealed at",
        "timeline": "Timeline", "timeline_note": "Each mark is a read (circle, from the hooks) or a send "
                    "(square, seen on the wire), in the lane of the SDK that made it. Red marks happened "
                    "before consent. Vertical lines are consent moments.",
        "consent": "consent", "read": "read", "send": "send", "pre": "before consent", "post": "after consent",
        "sdk_table": "What each SDK read and sent", "sdk": "SDK", "declared_rows": "Declared data types",
        "read_pre": "Read before consent", "read_post": "Read after consent", "sent_pre": "Sent before consent",
        "sent_post": "Sent after consent", "hosts": "Hosts", "not_declared": "not on the declared list",
        "app_itself": "the app itself", "undeclared_cat": "not declared for this SDK",
        "permissions": "Permission requests", "t": "Time", "permission": "Permission", "by": "Requested by",
        "result": "Result", "in_table": "In permission table", "when": "Declared when", "yes": "yes", "no": "NO",
        "findings": "Findings", "rule": "Rule", "severity": "Severity", "actor": "Actor", "category": "Data",
        "clause": "Clause", "evidence": "Evidence", "stack": "Stack", "flow": "Flow that proves it",
        "canary": "Planted value", "wire": "On the wire as", "suppressed": "suppressed", "count": "events",
        "incomplete_reasons": "Evidence incomplete", "skipped": "Not judged", "none": "none",
        "fix": "How to fix", "no_findings": "No findings.", "no_permissions": "No permission requests seen.",
        "more_marks": "marks merged where they overlap", "no_events": "No reads or sends were recorded.",
        "request": "Request", "body": "Body excerpt", "sdks": "SDKs", "events": "events",
        "legend_lanes": "Lane colour: one colour per SDK (named at the left of its lane); red fill: before consent.",
        "violation_mark": "red outline: evidence of a violation (also after consent, e.g. a never-transmit value sent)",
        "violations_label": "violations", "active_label": "active findings", "when_label": "When", "process": "process",
        "event": "event", "marks_one": "mark merged where it overlaps",
        "integrity": "Integrity", "seal_sealed": "sealed: every file matches bundle.json",
        "seal_unsealed": "NOT sealed: integrity not checked", "sig_absent": "NOT signed: the seal does not show who made the bundle",
        "sig_unchecked": "signature present, NOT checked (no key given)", "sig_valid": "signature valid for the given key",
        "rederived": "verdict re-derived from the raw evidence", "not_rederived": "no raw evidence: verdict not re-derived",
        "partly_rederived": "verdict re-derived, but part of the evidence could not be re-checked (incomplete)",
        "har_cut": "flows.har holds more than this page draws ({limit} MB or {max} flows): the first {n} flows "
                   "are drawn, the rest only in flows.har / flows.mitm",
        "har_unread": "flows.har is over this page's {limit} MB limit and not in sdkgate's layout: no flow is drawn "
                      "from it (see flows.har / flows.mitm)",
    },
    "zh": {
        "title": "sdkgate 检测报告", "verdict": "结论", "pass": "通过", "fail": "不通过", "incomplete": "证据不完整", "not_judged": "未评估",
        "app": "应用", "scenario": "场景", "device": "设备", "tools": "工具版本", "generated": "证据封存时间",
        "timeline": "时间线", "timeline_note": "每个标记是一次读取（圆形，来自 Hook）或一次发送（方形，来自网络流量），"
                    "位于对应 SDK 的泳道。红色标记发生在用户同意之前。竖线为同意/拒绝/撤回的时刻。",
        "consent": "同意", "read": "读取", "send": "发送", "pre": "同意前", "post": "同意后",
        "sdk_table": "各 SDK 读取与发送的信息", "sdk": "SDK", "declared_rows": "声明的信息类型",
        "read_pre": "同意前读取", "read_post": "同意后读取", "sent_pre": "同意前发送", "sent_post": "同意后发送",
        "hosts": "域名", "not_declared": "未在共享清单中声明", "app_itself": "应用自身",
        "undeclared_cat": "该 SDK 未声明此类信息",
        "permissions": "权限申请", "t": "时间", "permission": "权限", "by": "申请方", "result": "结果",
        "in_table": "在权限清单中", "when": "声明的申请时机", "yes": "是", "no": "否",
        "findings": "问题", "rule": "规则", "severity": "级别", "actor": "主体", "category": "信息类型",
        "clause": "依据条款", "evidence": "证据", "stack": "调用栈", "flow": "证明该问题的网络请求",
        "canary": "植入的值", "wire": "在流量中的形式", "suppressed": "已豁免", "count": "次",
        "incomplete_reasons": "证据不完整", "skipped": "未评估", "none": "无",
        "fix": "修复建议", "no_findings": "未发现问题。", "no_permissions": "未观察到权限申请。",
        "more_marks": "个重叠标记已合并", "no_events": "未记录到读取或发送。",
        "request": "请求", "body": "请求体片段", "sdks": "SDK", "events": "事件",
        "legend_lanes": "泳道颜色：每个 SDK 一种颜色（名称在泳道左侧）；红色填充：同意前。",
        "violation_mark": "红色描边：违规证据（包括同意后的违规，如发送了承诺不上传的信息）",
        "violations_label": "违规", "active_label": "有效问题", "when_label": "时间", "process": "进程",
        "event": "次", "marks_one": "个重叠标记已合并",
        "integrity": "完整性", "seal_sealed": "已封存：所有文件与 bundle.json 一致", "seal_unsealed": "未封存：未校验完整性",
        "sig_absent": "未签名：封存不能证明证据包由谁生成", "sig_unchecked": "有签名，但未校验（未提供公钥）",
        "sig_valid": "签名有效（已用给定公钥校验）", "rederived": "结论已由原始证据重新推导", "not_rederived": "无原始证据：结论未重新推导",
        "partly_rederived": "结论已重新推导，但部分证据无法复核（证据不完整）",
        "har_cut": "flows.har 超出本页面可展示的范围（{limit} MB 或 {max} 个请求）：仅展示前 {n} 个请求，其余请查看 flows.har / flows.mitm",
        "har_unread": "flows.har 超过本页面 {limit} MB 的上限且不是 sdkgate 的格式：未展示其中的请求（请查看 flows.har / flows.mitm）",
    },
}
SEVERITY_ZH = {"violation": "违规", "warning": "警告", "info": "提示"}
REL = {"en": {"before": "{d} before consent", "after": "{d} after consent", "declined": "{d} after decline",
              "withdrawn": "{d} after withdrawal", "none": "no consent given in this run", "at": "at the consent moment"},
       "zh": {"before": "同意前 {d}", "after": "同意后 {d}", "declined": "拒绝后 {d}", "withdrawn": "撤回后 {d}",
              "none": "本次运行中用户未同意", "at": "在同意的时刻"}}


def _dur(ms: float) -> str:
    s = abs(ms) / 1000.0
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def relative_to_consent(t_ms: float, moments: list[dict[str, Any]], lang: str = "en", scope: str = "policy") -> str:
    """How a moment stands to the user's answer: "1.8 s before consent", "after decline", ... (the policy scope's
    answers in time order; the last answer before the moment decides, else the first accept after it)."""
    words = REL["zh" if lang == "zh" else "en"]
    ms = sorted((m for m in moments if (m.get("scope") or "policy") == scope), key=lambda m: float(m.get("t_ms") or 0))
    last = None
    for m in ms:
        if float(m["t_ms"]) <= t_ms:
            last = m
    if last is not None:
        d = _dur(t_ms - float(last["t_ms"]))
        tr = last.get("transition")
        if tr == "granted":
            return words["after"].format(d=d) if t_ms > float(last["t_ms"]) else words["at"]
        if tr in ("declined", "withdrawn"):
            return words[tr].format(d=d)
    later = next((m for m in ms if float(m["t_ms"]) > t_ms and m.get("transition") == "granted"), None)
    if later is not None:
        return words["before"].format(d=_dur(float(later["t_ms"]) - t_ms))
    return words["none"]
TRANSITION_ZH = {"granted": "同意", "declined": "拒绝", "withdrawn": "撤回"}


@dataclass
class Lane:
    actor: str
    name: str
    colour: str
    y: float = 0.0


@dataclass
class Mark:
    x: float
    y: float
    kind: str            # read | send
    pre: bool
    actor: str
    colour: str
    title: str
    count: int = 1
    violation: bool = False      # evidence of an unsuppressed violation (also after consent, e.g. SG402)


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


class Timeline:
    """Consent state replayed with the rule engine's own lifecycle handler, marks bucketed per pixel."""

    def __init__(self, manifest, t_end: float):
        from ..rules.engine import LifecycleState
        from ..rules.state import RunState
        self.state = RunState(manifest=manifest)
        self.life = LifecycleState()
        self.t_end = max(t_end, 1.0)
        self.raw: list[tuple[float, str, str, bool, str, bool]] = []    # t, actor, kind, pre, title, violation
        self.moments: list[dict[str, Any]] = []
        self.perm_ticks: list[tuple[float, str]] = []

    def feed(self, ev: Event) -> bool | None:
        """Update state; for a read/send return whether it was before consent."""
        h = getattr(self.life, ev.kind, None)
        if h is not None and ev.kind in ("consent", "consent_marker", "lifecycle", "feature"):
            h(ev, self.state)
        if ev.kind == "consent" and isinstance(ev.get("transition"), str) and isinstance(ev.get("scope") or "", str) \
                and len(self.moments) < 2000:
            self.moments.append({"t_ms": ev.t_ms, "scope": ev.get("scope") or "policy",
                                 "transition": ev.get("transition"), "source": "step"})
        if ev.kind == "permission_request" and len(self.perm_ticks) < 2000:
            self.perm_ticks.append((ev.t_ms, ", ".join(short_perm(p) for p in ev.get("permissions") or [])))
        if (ev.source == "hook" and ev.kind == "read") or (ev.source == "net" and ev.kind == "send"):
            return not self.state.consented(ev.actor or UNKNOWN)
        return None


def short_perm(p: str) -> str:
    return p.rsplit(".", 1)[-1]


def _x(t: float, t_end: float) -> float:
    return round(LABEL_W + 10 + (t / t_end) * (SVG_W - LABEL_W - 30), 1)


def _ticks(t_end: float) -> list[tuple[float, str]]:
    s = t_end / 1000.0
    step = next((c for c in (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600) if s / c <= 10), 7200)
    step = max(step, s / 20)          # a clock of years (hostile t_ms) still gets ~20 ticks, not millions
    out, v = [], 0.0
    while v <= s + 1e-9:
        out.append((_x(v * 1000, t_end), f"{v:g} s"))
        v += step
    return out


class View:
    """Everything the template shows, built in one pass over the evidence."""

    def __init__(self, report: Report, lang: str, manifest=None, run: dict | None = None,
                 bundle: dict | None = None, har: list[dict] | None = None):
        self.report, self.lang, self.t = report, lang, T[lang]
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
            what = str(ev.get("path") or "in-memory DEX")[:255]
            if len(tl.raw) < MAX_MARKS:
                tl.raw.append((ev.t_ms, actor, "code_loaded", not tl.state.consented(actor),
                               f"{ev.t_ms / 1000:.3f} s {self.sdk_name(actor)} code_loaded {what} "
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

    def svg(self, tl: Timeline) -> dict[str, Any]:
        order: list[str] = []
        for _t, actor, *_rest in tl.raw:
            if actor not in order:
                order.append(actor)
        declared_first = sorted(order, key=lambda a: (a in (FIRST_PARTY, UNKNOWN), a == UNKNOWN))
        lanes = []
        for i, actor in enumerate(declared_first):
            lanes.append(Lane(actor, self.sdk_name(actor), PALETTE[i % len(PALETTE)], TOP + i * LANE_H + LANE_H / 2))
        by_actor = {ln.actor: ln for ln in lanes}
        perm_y = TOP + len(lanes) * LANE_H + LANE_H / 2
        height = TOP + (len(lanes) + (1 if tl.perm_ticks else 0)) * LANE_H + BOTTOM
        buckets: dict[tuple, Mark] = {}
        for t, actor, kind, pre, title, violation in tl.raw:
            ln = by_actor[actor]
            x = _x(t, tl.t_end)
            key = (actor, round(x), kind, pre, violation)
            m = buckets.get(key)
            if m is None:
                buckets[key] = Mark(x, ln.y, kind, pre, actor, PRE_COLOUR if pre else ln.colour, title,
                                    violation=violation)
            else:
                m.count += 1
        marks = list(buckets.values())
        for m in marks:
            if m.count > 1:
                m.title += f" (+{m.count - 1})"
        moments = []
        drawn: dict[tuple, float] = {}
        for mo in tl.moments:
            tr = mo.get("transition", "granted")
            key, t = (mo.get("scope", "policy"), tr), float(mo["t_ms"])
            if key in drawn and abs(t - drawn[key]) < 1000:
                continue            # one answer seen twice (the scenario step and the agent's tap): one line
            drawn[key] = t
            text = TRANSITION_ZH.get(tr, tr) if self.lang == "zh" else tr
            moments.append({"x": _x(float(mo["t_ms"]), tl.t_end), "colour": TRANSITION_COLOUR.get(tr, "#000"),
                            "label": f"{mo.get('scope', 'policy')}: {text}",
                            "title": f"{float(mo['t_ms']) / 1000:.3f} s {mo.get('scope', 'policy')} {tr}"})
        return {"width": SVG_W, "height": height, "lanes": lanes, "marks": marks, "moments": moments,
                "ticks": _ticks(tl.t_end), "label_w": LABEL_W, "lane_h": LANE_H, "top": TOP,
                "perm_y": perm_y, "perm_ticks": [{"x": _x(t, tl.t_end), "title": f"{t / 1000:.3f} s {p}"}
                                                 for t, p in tl.perm_ticks],
                "merged": sum(m.count - 1 for m in marks), "axis_y": height - BOTTOM + 4}

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
        return {"f": f, "message": f.message_zh if self.lang == "zh" else f.message,
                "severity": SEVERITY_ZH.get(f.severity, f.severity) if self.lang == "zh" else f.severity,
                "category": label(f.category, self.lang), "actor": self.sdk_name(f.actor) if f.actor else "-",
                "stack": stack[:24], "flows": flows, "fix": hint_text(f.rule, f.actor, self.lang),
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
        entry = self.har_entry(ev.get("flow_id"), ev.get("method"), ev.get("host"), ev.get("path"))
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

    def har_entry(self, flow_id, method, host, path) -> dict | None:
        if not self.har:
            return None
        for e in self.har:
            if flow_id and flow_id in (e.get("_flow_id"), e.get("_sdkgate_flow_id"), e.get("comment"), e.get("_id")):
                return e
        for e in self.har:
            req = e.get("request") or {}
            u = req.get("url") or ""
            if host and host in u and (not path or path.split("?")[0] in u) and (not method or req.get("method") == method):
                return e
        return None


def wire_form(category: str, value: str, encoding: str) -> str | None:
    """The exact text the matcher found on the wire for this canary and encoding (for highlighting)."""
    if not encoding:
        return value
    try:
        from ..net.matcher import forms_for
    except ImportError:        # pragma: no cover - the net module is part of the package
        return None
    for pattern, form in forms_for(category, value):
        if form.encoding == encoding:
            return pattern
    return None


def highlight_excerpt(text: str, needles: list[str], width: int = BODY_EXCERPT) -> list[tuple[str, bool]]:
    """(text, highlighted) parts of an excerpt centred on the first needle found."""
    hits = []
    for n in needles:
        if not n:
            continue
        start = 0
        while True:
            i = text.find(n, start)
            if i < 0:
                break
            hits.append((i, i + len(n)))
            start = i + len(n)
    hits.sort()
    lo = max(0, hits[0][0] - width // 3) if hits else 0
    hi = min(len(text), lo + width)
    parts: list[tuple[str, bool]] = []
    pos = lo
    for a, b in hits:
        if a < pos or a >= hi:
            continue
        parts.append((text[pos:a], False))
        parts.append((text[a:min(b, hi)], True))
        pos = min(b, hi)
    parts.append((text[pos:hi], False))
    if lo > 0:
        parts.insert(0, ("…", False))
    if hi < len(text):
        parts.append(("…", False))
    return [p for p in parts if p[0]]


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: resources.files("sdkgate.templates").joinpath(name).read_text("utf-8")),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined)


def _render(view: View, tl: Timeline) -> str:
    rep = view.report
    for f in rep.findings:                      # every actor with findings gets a table row
        if f.actor and f.rule not in ("SG900",):
            view.row(f.actor)
    if view.manifest is not None:
        for sid in view.manifest.sdks:
            if sid in {s.id for s in rep.sdks} or sid in view.rows:
                view.row(sid)
    rows = sorted(view.rows.values(), key=lambda r: (r.declared is None, r.actor == UNKNOWN, r.actor))
    findings = sorted(rep.findings, key=lambda f: (f.suppressed, {"violation": 0, "warning": 1, "info": 2}.get(f.severity, 3), f.rule))
    perms = view.permission_log or [{"t_ms": p.get("t_ms"), "permissions": p.get("permissions") or [p.get("permission")],
                                     "actor": p.get("actor"), "pre": p.get("pre", False),
                                     "results": p.get("results") or {}} for p in rep.permissions]
    table = view.manifest.permissions if view.manifest is not None else {}
    ctx = {
        "t": view.t, "lang": view.lang, "report": rep, "svg": view.svg(tl), "rows": rows,
        "findings": [view.finding_view(f) for f in findings], "permissions": perms, "perm_table": table,
        "label": lambda c: label(c, view.lang), "sdk_name": view.sdk_name, "short_perm": short_perm,
        "run": view.run, "bundle": view.bundle, "have_events": view.have_events, "bad_lines": view.bad_lines, "omitted": view.omitted,
        "pre_colour": PRE_COLOUR, "active": len(rep.active_findings()),
        "violations": len(rep.active_findings("violation")),
        "scenario": _scenario_name(view.run, view.bundle), "device": _device_text(view.bundle, view.run),
        "incomplete": [localise(r, view.lang) for r in rep.incomplete],
        "skipped": [localise(r, view.lang) for r in rep.skipped],
    }
    return _env().get_template("report.html.j2").render(**ctx)


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

    def render(self, report: Report, lang: str = "en") -> str:
        from . import html_scan
        if html_scan.is_static(report):             # a scan: SDKs, call sites, paths, permissions (no timeline)
            return html_scan.render(report, lang)
        view = View(report, lang)
        return _render(view, view.timeline_from_report())


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


def render_bundle(out_dir, lang: str = "en", report: Report | None = None, integrity: dict | None = None) -> str:
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

    manifest = None
    if src.is_file("manifest.yaml"):
        from ..manifest import parse_manifest
        from ..yamlio import MAX_YAML_BYTES, loads_yaml
        name = src.where("manifest.yaml")
        manifest = parse_manifest(loads_yaml(src.read_bytes("manifest.yaml", MAX_YAML_BYTES).decode("utf-8", "replace"),
                                             name), name)
    drawn = read_har(lambda: src.open("flows.har")) if src.is_file("flows.har") else HarDrawn()
    shown = _shown_meta(meta("bundle.json"))
    if drawn.cut:
        shown["har_note"] = T[lang]["har_unread" if drawn.unread else "har_cut"].format(
            limit=HAR_MAX_BYTES >> 20, n=len(drawn.entries), max=HAR_MAX_ENTRIES)
    if integrity:
        shown["integrity"] = {**integrity, "parts": integrity_parts(integrity, T[lang])}
    view = View(report, lang, manifest=manifest, run=_shown_meta(meta("run.json")), bundle=shown, har=drawn.entries)
    names = [n for n in ("events.jsonl", "net.jsonl") if src.is_file(n)]
    if not names:
        return _render(view, view.timeline_from_report())
    handles = [src.open(n) for n in names]
    try:
        return _render(view, view.consume(merge_streams([parse_lines(fh, src.where(n)) for n, fh in zip(names, handles)])))
    finally:
        for fh in handles:
            fh.close()
