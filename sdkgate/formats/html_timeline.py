"""The run page's timeline: consent state replayed with the rule engine's own lifecycle handler, one lane per
SDK, reads and sends as marks bucketed per pixel (bounded under any log), consent moments as lines."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..catalogue import FIRST_PARTY, UNKNOWN
from ..events import Event
from ..consent import TRANSITION_WORDS, transition_word

# SDK colours: none of them red (red is reserved for pre-consent marks)
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#393b79",
           "#637939", "#e7ba52", "#5254a3", "#6b6ecf", "#3182bd", "#31a354", "#756bb1", "#636363")
PRE_COLOUR = "#d62728"
TRANSITION_COLOUR = {"granted": "#2e7d32", "declined": "#ef6c00", "withdrawn": "#6a1b9a"}
SVG_W, LABEL_W, LANE_H, TOP, BOTTOM = 1000, 170, 24, 34, 30
MAX_MARKS = 20_000            # timeline marks kept before bucketing per pixel



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



def draw(tl: Timeline, sdk_name: Callable[[str], str], lang: str) -> dict[str, Any]:
    """The SVG's shapes: lanes (declared SDKs first), marks merged per pixel, one line per consent answer."""
    order: list[str] = []
    for _t, actor, *_rest in tl.raw:
        if actor not in order:
            order.append(actor)
    declared_first = sorted(order, key=lambda a: (a in (FIRST_PARTY, UNKNOWN), a == UNKNOWN))
    lanes = []
    for i, actor in enumerate(declared_first):
        lanes.append(Lane(actor, sdk_name(actor), PALETTE[i % len(PALETTE)], TOP + i * LANE_H + LANE_H / 2))
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
        text = transition_word(tr).render(lang) if tr in TRANSITION_WORDS else str(tr)
        moments.append({"x": _x(float(mo["t_ms"]), tl.t_end), "colour": TRANSITION_COLOUR.get(tr, "#000"),
                        "label": f"{mo.get('scope', 'policy')}: {text}",
                        "title": f"{float(mo['t_ms']) / 1000:.3f} s {mo.get('scope', 'policy')} {tr}"})
    return {"width": SVG_W, "height": height, "lanes": lanes, "marks": marks, "moments": moments,
            "ticks": _ticks(tl.t_end), "label_w": LABEL_W, "lane_h": LANE_H, "top": TOP,
            "perm_y": perm_y, "perm_ticks": [{"x": _x(t, tl.t_end), "title": f"{t / 1000:.3f} s {p}"}
                                             for t, p in tl.perm_ticks],
            "merged": sum(m.count - 1 for m in marks), "axis_y": height - BOTTOM + 4}

