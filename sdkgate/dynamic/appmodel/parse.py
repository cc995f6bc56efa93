"""Parsing an app model file: the top-level sections (app, sdks, features, behaviour, timers) and
the consent_gated promise; actions are parsed per verb in actions.py, sends in sendspec.py,
processes and loaded code in processes.py."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ...catalogue import FIRST_PARTY
from ...errors import InputError
from ...manifest import Manifest
from ...scenario.model import parse_duration
from ...yamlio import Located, LocatedList, load_yaml
from .actions import ParseCtx
from .classes import parse_classes, parse_device, parse_ui
from .processes import parse_processes
from .types import BLOCKS, SCHEMA, Action, AppModel, SdkModel, Timer

def load_app_model(path: str | Path, manifest: Manifest | None = None) -> AppModel:
    path = Path(path)
    data = load_yaml(path)
    model = parse_app_model(data, path, manifest)
    model.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return model


def parse_app_model(data: Any, path: Path, manifest: Manifest | None = None) -> AppModel:
    name = str(path)

    def err(obj, key, problem):
        place = f"line {obj.line_of(key)}" if isinstance(obj, Located) and key else (
            f"line {obj.line}" if isinstance(obj, (Located, LocatedList)) else None)
        raise InputError(name, place, problem)

    if not isinstance(data, Located):
        raise InputError(name, None, "an app model is a YAML mapping")
    for k in data:
        if k is True:   # YAML 1.1 reads a bare `on:` key as the boolean true
            err(data, k, "write 'behaviour:' (a bare 'on:' key is read by YAML as the boolean true)")
        if k not in ("schema", "app", "consent_gated", "sdks", "features", "behaviour", "description", "timers",
                     "processes", "device", "classes"):
            err(data, k, f"unknown field {k!r}")
    if data.get("schema", SCHEMA) != SCHEMA:
        err(data, "schema", f"unsupported schema {data.get('schema')!r} (expected {SCHEMA})")
    app = data.get("app")
    if not isinstance(app, Located) or not isinstance(app.get("package"), str):
        err(data, "app" if "app" in data else None, "'app' must be a mapping with 'package'")
    package = app["package"]
    if manifest is not None and manifest.package != package:
        err(app, "package", f"app package {package!r} differs from the manifest's {manifest.package!r} ({manifest.path})")
    application = str(app.get("application") or f"{package}.App")
    main_activity = str(app.get("main_activity") or f"{package}.MainActivity")
    handler = str(app.get("consent_handler") or f"{package}.privacy.PrivacyDialog")
    catalogue = manifest.catalogue() if manifest is not None else None
    if catalogue is None:
        from ...catalogue import default_catalogue  # noqa: PLC0415
        catalogue = default_catalogue()
    app_pkgs = manifest.app_packages if manifest is not None else (package,)

    sdks: dict[str, SdkModel] = {}
    raw_sdks = data.get("sdks") or {}
    if not isinstance(raw_sdks, dict):
        err(data, "sdks", "'sdks' is a mapping of SDK id -> {entry, classes, thread}")
    for sid, row in raw_sdks.items():
        if sid not in catalogue.sdks:
            err(raw_sdks, sid, f"SDK {sid!r} is not in the catalogue (nor in the manifest with its packages)")
        if not isinstance(row, Located) or not isinstance(row.get("entry"), str) or "." not in row["entry"]:
            err(raw_sdks, sid, f"SDK {sid!r} needs 'entry: pkg.Class.method'")
        classes = row.get("classes") or []
        if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
            err(row, "classes", "'classes' must be a list of class names")
        for cls in [row["entry"].rsplit(".", 1)[0], *classes]:
            got = catalogue.attribute_class(cls, app_pkgs)
            if got != sid:
                err(row, "entry" if cls == row["entry"].rsplit(".", 1)[0] else "classes",
                    f"class {cls} is attributed to {got!r}, not {sid!r}, by the catalogue: stacks would lie")
        sdks[sid] = SdkModel(sid, row["entry"], tuple(classes), str(row.get("thread") or "main"))

    features: dict[str, str] = {}
    raw_feat = data.get("features") or {}
    if not isinstance(raw_feat, dict):
        err(data, "features", "'features' is a mapping of feature -> {activity}")
    for fname, row in raw_feat.items():
        if manifest is not None and manifest.features and fname not in manifest.features:
            err(raw_feat, fname, f"feature {fname!r} is not in the manifest's features ({', '.join(manifest.features)})")
        act = row.get("activity") if isinstance(row, dict) else None
        features[fname] = str(act or f"{package}.ui.{''.join(p.title() for p in fname.split('_'))}Activity")

    scopes = manifest.consent.scopes if manifest is not None else None
    on = data.get("behaviour") or Located()
    if not isinstance(on, Located):
        err(data, "behaviour", "'behaviour' is a mapping of event -> list of actions")
    blocks: dict[str, list[Action]] = {b: [] for b in BLOCKS}
    feature_blocks: dict[str, list[Action]] = {}
    processes = parse_processes(data, package, err)
    classes = parse_classes(data, err)
    ctx = ParseCtx(name, sdks, scopes, classes)
    ctx.package, ctx.processes, ctx.base = package, processes, path.parent
    for key, val in on.items():
        if key == "feature":
            if not isinstance(val, Located):
                err(on, key, "'feature' is a mapping of feature name -> list of actions")
            for fname, acts in val.items():
                if fname not in features and not (manifest and fname in manifest.features):
                    err(val, fname, f"feature {fname!r} is not declared under 'features'")
                feature_blocks[fname] = ctx.actions(acts, val.line_of(fname))
            continue
        if key not in BLOCKS:
            err(on, key, f"unknown event {key!r} (known: {', '.join(BLOCKS)}, feature)")
        blocks[key] = ctx.actions(val, on.line_of(key))

    timers = _timers(data, ctx, err)
    consent_gated = bool(data.get("consent_gated", False))
    if consent_gated:
        for a in _walk(blocks["launch"] + blocks["foreground"] + blocks["background"]
                       + [a for t in timers for a in t.actions]):
            if a.by != FIRST_PARTY and a.when not in ("consented",):
                raise InputError(name, f"line {a.line}",
                                 f"consent_gated is true but this {a.verb} by {a.by} runs without 'when: consented'")
    return AppModel(path, "", package, application, main_activity, handler, consent_gated, sdks, features,
                    blocks, feature_blocks, timers, processes, parse_device(data, err), parse_ui(app, err), classes)


def _timers(data, ctx: "ParseCtx", err) -> list[Timer]:
    raw = data.get("timers")
    if raw is None:
        return []
    if not isinstance(raw, LocatedList):
        err(data, "timers", "'timers' is a list of {after, every, actions}")
    out = []
    for i, t in enumerate(raw):
        at = raw.item_lines[i]
        if not isinstance(t, Located):
            ctx.fail(at, "a timer is a mapping {after: 5s, every: 30s, actions: [...]}")
        for k in t:
            if k not in ("after", "every", "actions", "note"):
                ctx.fail(t.line_of(k), f"unknown timer field {k!r} (known: after, every, actions)")
        durations = {}
        for k in ("after", "every"):
            if t.get(k) is None:
                continue
            try:
                durations[k] = parse_duration(t[k])
            except ValueError as exc:
                ctx.fail(t.line_of(k), f"{k}: {exc}")
        if "after" not in durations:
            ctx.fail(at, "a timer needs 'after' (time since the process started)")
        if durations.get("every") == 0:
            ctx.fail(t.line_of("every"), "'every' must be more than 0")
        if not t.get("actions"):
            ctx.fail(at, "a timer needs 'actions'")
        out.append(Timer(durations["after"], durations.get("every"),
                         tuple(ctx.actions(t.get("actions"), t.line_of("actions"))), at))
    return out

def _walk(actions):
    for a in actions:
        yield a
        yield from _walk(a.then)
