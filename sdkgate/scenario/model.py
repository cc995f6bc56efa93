"""Scenario files: a reproducible, device-neutral list of steps, with optional expectations.

    name: accept-then-withdraw
    description: ...
    app-model: models/recruit-compliant.yaml     # default app model for `sdkgate simulate`
    manifest: ../manifests/demo-recruit.yaml     # default manifest
    settle: 10s                      # observe this long after the last step (default 10s; 0 allowed)
    steps:
      - fresh_install
      - launch
      - wait: 500ms
      - consent: accept              # accept|decline|withdraw; `scope:` defaults to policy
      - permission: {deny: android.permission.ACCESS_FINE_LOCATION}
      - open_feature: location_job_search
      - advance_clock: 49h
    expect:                          # a mapping, or a list of mappings each naming its app-model
      verdict: pass
      rules: [SG101, "SG101:umeng_common"]    # must fire (optionally against that actor)
      absent_rules: [SG103]                   # must not fire

Paths are relative to the scenario file, else to any folder above it (the repo root), else cwd.
Every problem is an InputError naming the file and the line.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..yamlio import Located, LocatedList, loads_yaml
from .backend import ACTIONS, CONSENT_ACTIONS, PERMISSION_DECISIONS

SIMPLE = ("fresh_install", "clear_data", "launch", "background", "foreground", "kill", "relaunch")
VERDICTS = ("pass", "fail", "incomplete")
_UNITS = {"ms": 1, "s": 1000, "m": 60_000, "min": 60_000, "h": 3_600_000, "d": 86_400_000}
_DUR_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)")


def parse_duration(value: Any) -> int:
    """`500` (ms), `500ms`, `3s`, `2m`, `49h`, `1d`, `1h30m` -> milliseconds. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of ms or a string like 500ms, 3s, 49h")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return int(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a duration is a number of ms or a string like 500ms, 3s, 49h")
    text = value.strip().lower().replace(" ", "")
    if text.isdigit():
        return int(text)
    pos, total = 0, 0.0
    for m in _DUR_PART.finditer(text):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if pos != len(text) or pos == 0:
        raise ValueError(f"bad duration {value!r} (use e.g. 500ms, 3s, 2m, 49h, 1d)")
    return int(round(total))


def normalise_permission(name: str) -> str:
    """`CAMERA` -> `android.permission.CAMERA`; full names pass unchanged."""
    return name if "." in name else f"android.permission.{name}"


@dataclass(frozen=True)
class Step:
    index: int
    action: str
    line: int
    ms: int | None = None              # wait / advance_clock
    consent: str | None = None         # accept | decline | withdraw
    scope: str | None = None           # consent scope (default policy)
    decision: str | None = None        # grant | deny
    permission: str | None = None
    feature: str | None = None
    note: str = ""

    def describe(self) -> str:
        if self.action in ("wait", "advance_clock"):
            return f"{self.action} {self.ms} ms"
        if self.action == "consent":
            return f"consent {self.consent} ({self.scope})"
        if self.action == "permission":
            return f"permission {self.decision} {self.permission}"
        if self.action == "open_feature":
            return f"open_feature {self.feature}"
        return self.action

    def fields(self) -> dict[str, Any]:
        """The step's arguments, for the `step` event."""
        out: dict[str, Any] = {}
        # `consent` is a core event field (scope -> state): the step's answer goes in `answer`
        for k, name in (("ms", "ms"), ("consent", "answer"), ("scope", "scope"), ("decision", "decision"),
                        ("permission", "permission"), ("feature", "feature")):
            v = getattr(self, k)
            if v is not None:
                out[name] = v
        return out


@dataclass(frozen=True)
class Expectation:
    verdict: str | None = None
    rules: tuple[str, ...] = ()          # "SG101" or "SG101:actor"
    absent_rules: tuple[str, ...] = ()
    app_model: Path | None = None        # which app model it is for (None: any)
    line: int = 0


@dataclass
class Scenario:
    path: Path
    name: str
    description: str
    steps: list[Step]
    app_model: Path | None = None
    manifest: Path | None = None
    expectations: list[Expectation] = field(default_factory=list)
    text: str = ""
    sha256: str = ""
    settle_ms: int | None = None       # `settle:`; None: the command's --settle or DEFAULT_SETTLE_MS

    def expectation_for(self, app_model: Path | None) -> Expectation | None:
        """The expectation for this app model: one naming it, else one naming no model when the model
        run is the scenario's default (expectations describe the scenario as written)."""
        target = app_model.resolve() if app_model else None
        generic = None
        for e in self.expectations:
            if e.app_model is None:
                generic = generic or e
            elif target is not None and e.app_model.resolve() == target:
                return e
        # an expectation naming no model is for the scenario's own app model (or any, if it names none)
        if generic is not None and (target is None or self.app_model is None or self.app_model.resolve() == target):
            return generic
        return None

    def check_manifest(self, manifest) -> None:
        """Steps that name things the manifest must declare (consent scopes, features)."""
        for s in self.steps:
            if s.action == "consent" and s.scope not in manifest.consent.scopes:
                raise InputError(str(self.path), f"line {s.line}",
                                 f"consent scope {s.scope!r} is not declared in manifest {manifest.path} "
                                 f"(scopes: {', '.join(manifest.consent.scopes)})")
            if s.action == "open_feature" and manifest.features and s.feature not in manifest.features:
                raise InputError(str(self.path), f"line {s.line}",
                                 f"feature {s.feature!r} is not in the features of manifest {manifest.path} "
                                 f"({', '.join(manifest.features)})")


def resolve_path(ref: str, base: Path) -> Path | None:
    """A path named in a file: relative to that file's folder, else any folder above it, else cwd."""
    p = Path(ref)
    if p.is_absolute():
        return p if p.exists() else None
    for folder in [base.parent, *base.resolve().parent.parents]:
        cand = folder / p
        if cand.exists():
            return cand
    cand = Path.cwd() / p
    return cand if cand.exists() else None


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), None, "file not found") from None
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), None, f"not UTF-8: {exc}") from None
    sc = parse_scenario(loads_yaml(text, str(path)), path)
    sc.text, sc.sha256 = text, hashlib.sha256(raw).hexdigest()
    return sc


_TOP = {"name", "description", "app-model", "app_model", "manifest", "steps", "expect", "settle"}
DEFAULT_SETTLE_MS = 10_000      # the process stays observed this long after the last step (SDK timers)


def parse_scenario(data: Any, path: Path) -> Scenario:
    name = str(path)
    if not isinstance(data, Located):
        raise InputError(name, None, "a scenario is a YAML mapping with 'steps'")
    for k in data:
        if k not in _TOP:
            raise InputError(name, f"line {data.line_of(k)}", f"unknown field {k!r} (known: {', '.join(sorted(_TOP))})")
    steps_raw = data.get("steps")
    if not isinstance(steps_raw, LocatedList) or not steps_raw:
        raise InputError(name, f"line {data.line_of('steps')}", "'steps' must be a non-empty list")
    steps = [_parse_step(item, i, steps_raw.item_lines[i], name) for i, item in enumerate(steps_raw)]

    def ref(key: str) -> Path | None:
        val = data.get(key)
        if val is None:
            return None
        if not isinstance(val, str) or not val:
            raise InputError(name, f"line {data.line_of(key)}", f"field {key!r} must be a path")
        found = resolve_path(val, path)
        if found is None:
            raise InputError(name, f"line {data.line_of(key)}", f"{key} {val!r} not found (relative to the scenario or the repo root)")
        return found

    model_key = "app-model" if "app-model" in data else "app_model"
    sc_name = data.get("name") or path.stem
    if not isinstance(sc_name, str):
        raise InputError(name, f"line {data.line_of('name')}", "field 'name' must be a string")
    settle = None
    if "settle" in data:
        try:
            settle = parse_duration(data.get("settle"))
        except ValueError as exc:
            raise InputError(name, f"line {data.line_of('settle')}", f"settle: {exc}") from None
    return Scenario(path=path, name=sc_name, description=str(data.get("description") or ""), steps=steps,
                    app_model=ref(model_key), manifest=ref("manifest"),
                    expectations=_parse_expect(data, path), settle_ms=settle)


def _parse_step(item: Any, index: int, line_no: int, name: str) -> Step:
    where = f"line {line_no}"
    if isinstance(item, str):
        if item in SIMPLE:
            return Step(index, item, line_no)
        if item in ACTIONS:
            raise InputError(name, where, f"step {item!r} needs a value (e.g. '{item}: ...')")
        raise InputError(name, where, f"unknown step {item!r} (known: {', '.join(ACTIONS)})")
    if not isinstance(item, Located) or not item:
        raise InputError(name, where, f"a step is an action name or a mapping (known: {', '.join(ACTIONS)})")
    actions = [k for k in item if k in ACTIONS]
    unknown = [k for k in item if k not in ACTIONS and k not in ("scope", "note")]
    if unknown:
        k = unknown[0]
        raise InputError(name, f"line {item.line_of(k)}", f"unknown step {k!r} (known: {', '.join(ACTIONS)})")
    if len(actions) != 1:
        raise InputError(name, where, "a step mapping needs exactly one action" +
                         (f" (found {', '.join(actions)})" if actions else ""))
    action = actions[0]
    val = item[action]
    at = f"line {item.line_of(action)}"
    note = str(item.get("note") or "")
    if "scope" in item and action != "consent":
        raise InputError(name, f"line {item.line_of('scope')}", "'scope' only applies to a consent step")
    if action in SIMPLE:
        if val not in (None, True):
            raise InputError(name, at, f"step {action!r} takes no value")
        return Step(index, action, line_no, note=note)
    if action in ("wait", "advance_clock"):
        try:
            ms = parse_duration(val)
        except ValueError as exc:
            raise InputError(name, at, f"{action}: {exc}") from None
        return Step(index, action, line_no, ms=ms, note=note)
    if action == "consent":
        if val not in CONSENT_ACTIONS:
            raise InputError(name, at, f"consent must be one of {', '.join(CONSENT_ACTIONS)} (got {val!r})")
        scope = item.get("scope", "policy")
        if not isinstance(scope, str) or not scope:
            raise InputError(name, f"line {item.line_of('scope')}", "consent 'scope' must be a scope name")
        return Step(index, action, line_no, consent=val, scope=scope, note=note)
    if action == "permission":
        if not isinstance(val, dict) or len(val) != 1 or next(iter(val)) not in PERMISSION_DECISIONS:
            raise InputError(name, at, "permission step is {grant: PERMISSION} or {deny: PERMISSION}")
        decision, perm = next(iter(val.items()))
        if not isinstance(perm, str) or not perm.strip():
            raise InputError(name, at, f"permission {decision}: needs a permission name")
        return Step(index, action, line_no, decision=decision, permission=normalise_permission(perm.strip()), note=note)
    # open_feature
    if not isinstance(val, str) or not val.strip():
        raise InputError(name, at, "open_feature needs a feature name")
    return Step(index, action, line_no, feature=val.strip(), note=note)


def _parse_expect(data: Located, path: Path) -> list[Expectation]:
    name = str(path)
    raw = data.get("expect")
    if raw is None:
        return []
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise InputError(name, f"line {data.line_of('expect')}", "'expect' is a mapping or a list of mappings")
    from ..rules.catalog import RULES

    out = []
    for i, e in enumerate(items):
        eline = getattr(e, "line", data.line_of("expect"))
        if not isinstance(e, Located):
            raise InputError(name, f"line {eline}", f"expect[{i}] must be a mapping")
        for k in e:
            if k not in ("verdict", "rules", "absent_rules", "app-model", "app_model"):
                raise InputError(name, f"line {e.line_of(k)}", f"unknown expectation field {k!r}")
        verdict = e.get("verdict")
        if verdict is not None and verdict not in VERDICTS:
            raise InputError(name, f"line {e.line_of('verdict')}", f"verdict must be one of {', '.join(VERDICTS)}")
        lists = {}
        for key in ("rules", "absent_rules"):
            vals = e.get(key) or []
            if isinstance(vals, str):
                vals = [vals]
            if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
                raise InputError(name, f"line {e.line_of(key)}", f"{key} must be a list of rule ids")
            for v in vals:
                rid = v.split(":", 1)[0]
                if rid not in RULES:
                    raise InputError(name, f"line {e.line_of(key)}", f"unknown rule id {rid!r} in {key}")
            lists[key] = tuple(vals)
        model = None
        mkey = "app-model" if "app-model" in e else ("app_model" if "app_model" in e else None)
        if mkey:
            model = resolve_path(str(e[mkey]), path)
            if model is None:
                raise InputError(name, f"line {e.line_of(mkey)}", f"app-model {e[mkey]!r} not found")
        out.append(Expectation(verdict, lists["rules"], lists["absent_rules"], model, e.line))
    return out


@dataclass
class ExpectationResult:
    expectation: Expectation
    mismatches: list[str]

    @property
    def met(self) -> bool:
        return not self.mismatches

    def to_dict(self) -> dict[str, Any]:
        e = self.expectation
        return {"verdict": e.verdict, "rules": list(e.rules), "absent_rules": list(e.absent_rules),
                "app_model": str(e.app_model) if e.app_model else None, "met": self.met,
                "mismatches": list(self.mismatches)}


def check_expectation(exp: Expectation, report) -> ExpectationResult:
    """Compare a report (sdkgate.report.Report) with an expectation; list every mismatch."""
    active = report.active_findings()
    fired = {(f.rule, f.actor) for f in active}
    rules_fired = {r for r, _ in fired}
    miss = []
    if exp.verdict and report.verdict != exp.verdict:
        miss.append(f"verdict {report.verdict!r}, expected {exp.verdict!r}")
    for spec in exp.rules:
        rid, _, actor = spec.partition(":")
        ok = (rid, actor) in fired if actor else rid in rules_fired
        if not ok:
            miss.append(f"rule {spec} did not fire")
    for spec in exp.absent_rules:
        rid, _, actor = spec.partition(":")
        ok = (rid, actor) not in fired if actor else rid not in rules_fired
        if not ok:
            actors = sorted({a or "-" for r, a in fired if r == rid})
            miss.append(f"rule {spec} fired ({', '.join(actors)}) but should not")
    return ExpectationResult(exp, miss)
