"""Shape check of a report.json read from a bundle, before any format renders it.

A report.json in a stranger's bundle is input like any other: every field the formats use must have
the type the `sdkgate.report/1` contract gives it. The first wrong one is named (`findings[3].detail`)
as a ValueError; `Report.from_report_dict` turns it into bad input (exit 2).
"""
from __future__ import annotations

from typing import Any

SCALAR = (str, int, float, bool, type(None))
NUM = (int, float)


def _t(value: Any, types, where: str, *, none_ok: bool = False) -> Any:
    if value is None and none_ok:
        return value
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise ValueError(f"{where}: must be {_name(types)}, not a boolean")
    if not isinstance(value, types):
        raise ValueError(f"{where}: must be {_name(types)}, not {type(value).__name__}")
    return value


def _name(types) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", dict: "an object",
             list: "a list", type(None): "null"}
    ts = types if isinstance(types, tuple) else (types,)
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in ts))


def _strs(value: Any, where: str) -> None:
    for i, v in enumerate(_t(value, list, where)):
        _t(v, str, f"{where}[{i}]")


def _flat(value: Any, where: str) -> None:
    for k, v in _t(value, dict, where).items():
        _t(v, SCALAR, f"{where}.{k}")


# app fields that hold a small mapping: where the declarations live (file and line of each row, for SARIF)
# and the app's own clauses per rule
APP_NESTED = ("manifest", "clauses")


def _nested(value: Any, where: str, depth: int = 2) -> None:
    """A mapping of scalars, or of mappings of scalars, at most `depth` levels deep."""
    for k, v in _t(value, dict, where).items():
        if isinstance(v, dict) and depth > 1:
            _nested(v, f"{where}.{k}", depth - 1)
        else:
            _t(v, SCALAR, f"{where}.{k}")


def _app(value: Any, where: str) -> None:
    for k, v in _t(value, dict, where).items():
        if k in APP_NESTED and isinstance(v, dict):
            _nested(v, f"{where}.{k}")
        else:
            _t(v, SCALAR, f"{where}.{k}")


def check_report_dict(d: Any) -> None:
    """Raise ValueError naming the first field whose type breaks the report contract."""
    _t(d, dict, "report")
    if d.get("verdict") not in ("pass", "fail", "incomplete", "not_judged"):
        raise ValueError(f"verdict: {str(d.get('verdict'))[:40]!r} is not pass, fail, incomplete or not_judged")
    _app(d.get("app") or {}, "app")
    for i, s in enumerate(_t(d.get("sdks") or [], list, "sdks")):
        w = f"sdks[{i}]"
        _t(s, dict, w)
        for k in ("id", "name"):
            _t(s.get(k), str, f"{w}.{k}")
        for k in ("vendor", "kind", "purpose"):
            _t(s.get(k, ""), str, f"{w}.{k}")
        _t(s.get("declared"), bool, f"{w}.declared", none_ok=True)
        _t(s.get("class_count"), int, f"{w}.class_count", none_ok=True)
        _strs(s.get("packages") or [], f"{w}.packages")
    for i, c in enumerate(_t(d.get("call_sites") or [], list, "call_sites")):
        _t(c, dict, f"call_sites[{i}]")
        for k in ("category", "api", "caller", "actor"):
            _t(c.get(k), str, f"call_sites[{i}].{k}")
        for k in ("origin", "via"):
            _t(c.get(k), str, f"call_sites[{i}].{k}", none_ok=True)
    for i, f in enumerate(_t(d.get("findings") or [], list, "findings")):
        _check_finding(f, f"findings[{i}]")
    _strs(d.get("incomplete") or [], "incomplete")
    for i, r in enumerate(_t(d.get("incomplete_reasons") or [], list, "incomplete_reasons")):
        _t(r, dict, f"incomplete_reasons[{i}]")
        for k in ("kind", "reason"):
            _t(r.get(k), str, f"incomplete_reasons[{i}].{k}")
    for k, v in _t(d.get("incomplete_kinds") or {}, dict, "incomplete_kinds").items():
        _t(v, int, f"incomplete_kinds.{k}")
    _strs(d.get("skipped") or [], "skipped")
    for i, p in enumerate(_t(d.get("permissions") or [], list, "permissions")):
        w = f"permissions[{i}]"
        _t(p, dict, w)
        _t(p.get("t_ms"), NUM, f"{w}.t_ms", none_ok=True)
        if p.get("permissions") is not None:
            _strs(p.get("permissions"), f"{w}.permissions")
        if p.get("results") is not None:
            _flat(p.get("results"), f"{w}.results")
    stats = _t(d.get("stats") or {}, dict, "stats")
    for k, v in _t(stats.get("events") or {}, dict, "stats.events").items():
        _t(v, int, f"stats.events.{k}")
    for k in ("first_t_ms", "last_t_ms"):
        _t(stats.get(k), NUM, f"stats.{k}", none_ok=True)
    for i, m in enumerate(_t(stats.get("consent") or [], list, "stats.consent")):
        w = f"stats.consent[{i}]"
        _t(m, dict, w)
        _t(m.get("t_ms"), NUM, f"{w}.t_ms")
        for k in ("scope", "transition", "source"):
            _t(m.get(k, ""), str, f"{w}.{k}")
    static = _t(stats.get("static") or {}, dict, "stats.static")
    for k, v in _t(static.get("undeclared_api_permissions") or {}, dict, "stats.static.undeclared_api_permissions").items():
        _t(v, (list, str, int, float), f"stats.static.undeclared_api_permissions.{k}")


def _check_finding(f: Any, w: str) -> None:
    _t(f, dict, w)
    for k in ("rule", "severity", "message", "message_zh", "clause"):
        _t(f.get(k), str, f"{w}.{k}")
    for k in ("actor", "category"):
        _t(f.get(k), str, f"{w}.{k}", none_ok=True)
    _t(f.get("evidence_count", 0), int, f"{w}.evidence_count")
    _t(f.get("suppressed", False), bool, f"{w}.suppressed")
    _t(f.get("confirmed", True), bool, f"{w}.confirmed")
    _t(f.get("suppression_reason", ""), str, f"{w}.suppression_reason")
    detail = _t(f.get("detail") or {}, dict, f"{w}.detail")
    for k in ("summary", "summary_zh", "host", "scheme", "path", "encoding", "where", "flow_id", "api", "thread"):
        _t(detail.get(k), SCALAR, f"{w}.detail.{k}")
    for k in ("stack", "chain"):
        if detail.get(k) is not None:
            _strs(detail[k], f"{w}.detail.{k}")
    for j, e in enumerate(_t(f.get("evidence") or [], list, f"{w}.evidence")):
        ew = f"{w}.evidence[{j}]"
        _t(e, dict, ew)
        _t(e.get("source"), str, f"{ew}.source")
        _t(e.get("seq"), int, f"{ew}.seq")
        _t(e.get("t_ms"), NUM, f"{ew}.t_ms")
        _t(e.get("detail", ""), str, f"{ew}.detail")
