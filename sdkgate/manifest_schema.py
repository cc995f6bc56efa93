"""JSON Schema of `sdkgate.manifest/1`: the shape of a manifest (editors complete fields from it, `manifest
validate` checks it). Meaning-level checks (category ids, scopes, package overlaps) stay in manifest.py.

The schema is written here once; sdkgate/data/manifest.schema.json is generated from it (a test keeps
the two equal) so editors can point `# yaml-language-server: $schema=` at a file.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

ID = "https://sdkgate.invalid/schema/manifest-1.json"
_STR = {"type": "string"}
_STRS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_SOURCE = {"type": "object", "description": "Where the draft read this row: the policy line or the APK evidence.",
           "properties": {"line": {"type": "integer", "minimum": 0}, "apk": _STR}, "additionalProperties": False}
_CONF = {"enum": ["high", "low"], "description": "low: a guess of the draft generator; review it."}


def _obj(props: dict, required: list[str] | None = None, desc: str = "") -> dict:
    d: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        d["required"] = required
    if desc:
        d["description"] = desc
    return d


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": ID,
    "title": "sdkgate manifest (sdkgate.manifest/1)",
    "description": "What an app's privacy policy declares: SDK list, permission table, consent. See docs/manifest.md.",
    **_obj({
        "schema": {"const": "sdkgate.manifest/1"},
        "app": _obj({
            "package": {"type": "string", "minLength": 1, "description": "applicationId of the app"},
            "name": _STR, "policy_version": _STR, "policy_url": _STR,
            "packages": {**_STRS, "description": "the app's own Java package prefixes (first-party code)"},
            "domains": {**_STRS, "description": "the app's own domains (first-party traffic)"},
        }, ["package"], "The app."),
        "features": {**_STRS, "description": "feature names that SDK rows and permission rows bind to"},
        "consent": _obj({
            "scopes": {**_STRS, "description": "consent scopes; must include 'policy'"},
            "accept": _obj({"text": _STRS, "resource_id": _STR}),
            "decline": _obj({"text": _STRS, "resource_id": _STR}),
            "withdraw": _obj({"text": _STRS, "resource_id": _STR}),
            "browse_mode": {"type": "boolean"},
            "dialog": {**_STRS, "description": "the consent dialog: its Dialog class, activity or window title; "
                                                "a control matched by text counts only there"},
            "accept_accessibility": {"type": "boolean", "description": "a click by an accessibility service (e.g. "
                                     "TalkBack) on a consent control is the user's answer (default false: incomplete)"},
            "markers": {"type": "array", "items": _obj({
                "scope": _STR,
                "method": {"type": "string", "description": "Java pkg.Class.method the app calls when consent is given"},
                "shared_prefs": _obj({"file": _STR, "key": _STR, "value": {}}),
            })},
            "tolerance_ms": {"type": "integer", "minimum": 0},
            "check": {**_STRS, "description": "smali methods/fields the app's code tests consent with (drives SG205)"},
        }, None, "How consent is given, declined, withdrawn and recorded."),
        "sdks": {"type": "array", "items": _obj({
            "id": {"type": "string", "minLength": 1, "description": "catalogue id, or your own id with packages"},
            "name": _STR, "vendor": _STR, "purpose": _STR,
            "categories": {**_STRS, "description": "data category ids (sdkgate/data/categories.yaml)"},
            "permissions": _STRS, "domains": _STRS, "packages": _STRS,
            "consent_scope": _STR, "feature": _STR,
            "confidence": _CONF, "source": _SOURCE,
        }, ["id"])},
        "permissions": {"type": "array", "items": _obj({
            "permission": {"type": "string", "minLength": 1},
            "purpose": _STR, "feature": _STR,
            "when": {"enum": ["on_feature", "at_start"]},
            "scope": _STR, "confidence": _CONF, "source": _SOURCE,
        }, ["permission"])},
        "constraints": _obj({"never_transmit": _STRS, "allowed_regions": _STRS}),
        "limits": _obj({"max_reads_per_second": {"type": "number", "exclusiveMinimum": 0},
                        "max_immutable_reads": {"type": "integer", "minimum": 1}}),
        "clauses": {"type": "object", "description": "rule id -> the policy's own clause and the law it cites",
                    "propertyNames": {"pattern": "^SG[0-9]{3}$"},
                    "additionalProperties": {"oneOf": [{"type": "string"},
                                                       _obj({"policy": _STR, "law": _STR})]}},
    }, ["app", "consent"]),
}


def schema_text() -> str:
    return json.dumps(SCHEMA, ensure_ascii=False, indent=2) + "\n"


def schema_path() -> Path:
    """The schema file shipped in the package (for `$schema=` lines)."""
    return (Path(__file__).parent / "data" / "manifest.schema.json").resolve()


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator
    return Draft202012Validator(SCHEMA)


def _plain(obj):
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def _place(data, path) -> str:
    """'line N' of the deepest located node on the error's path."""
    from .yamlio import Located, LocatedList
    node, line = data, getattr(data, "line", 0)
    for key in path:
        if isinstance(node, Located) and key in node:
            line = node.line_of(key)
            node = node[key]
        elif isinstance(node, LocatedList) and isinstance(key, int) and key < len(node):
            line = node.item_lines[key]
            node = node[key]
        else:
            break
    return f"line {line}" if line else ""


_WHAT = {"sdks": "sdk", "permissions": "permission", "markers": "marker"}


def first_error(data) -> tuple[str, str] | None:
    """(place, problem) of the first schema violation, in words a manifest author understands."""
    errors = sorted(_validator().iter_errors(_plain(data)), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return None
    e = errors[0]
    path = list(e.absolute_path)
    field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    what = "manifest"
    for p in reversed(path):
        if isinstance(p, str):
            what = _WHAT.get(p, p)
            break
    if e.validator == "additionalProperties":
        extra = sorted(set(e.instance) - set(e.schema.get("properties", {})))
        bad = extra[0] if extra else "?"
        node = data
        for k in path:
            node = node[k]
        from .yamlio import Located
        place = f"line {node.line_of(bad)}" if isinstance(node, Located) else _place(data, path)
        where = "" if not path else f" in {what}"
        if e.schema.get("propertyNames"):
            return place, f"field {bad!r}{where}: {e.message}"
        return place, f"unknown field {bad!r}{where} (known: {', '.join(sorted(e.schema.get('properties', {})))})"
    if "propertyNames" in e.schema_path:
        from .yamlio import Located
        node = data
        for k in path:
            node = node[k]
        place = f"line {node.line_of(e.instance)}" if isinstance(node, Located) else _place(data, path)
        return place, f"{field_name or what}: key {e.instance!r} is not allowed: {e.message}"
    place = _place(data, path)
    if e.validator == "required":
        missing = e.message.split("'")[1] if "'" in e.message else e.message
        return place, f"missing field {missing!r}"
    if e.validator == "minLength":
        return place, f"missing field {field_name!r} (it is empty)"
    if e.validator in ("enum", "const"):
        allowed = e.schema.get("enum") or [e.schema.get("const")]
        return place, f"field {field_name!r} must be one of {', '.join(map(str, allowed))}"
    if e.validator in ("type", "oneOf"):
        return place, f"field {field_name!r} has the wrong type: {e.message}"
    return place, f"field {field_name!r}: {e.message}"
