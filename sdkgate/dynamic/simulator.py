"""The simulated device: plays an app model on the real agent in real Frida (SimRuntime), sends
the model's traffic for real through the proxy, and implements the scenario Backend protocol.

An app model (scenarios/models/*.yaml) describes what an app does, not how a phone works:

    schema: sdkgate.appmodel/1
    app:
      package: com.example.recruit
      application: com.example.recruit.App              # Application.onCreate frame
      main_activity: com.example.recruit.ui.MainActivity
      consent_handler: com.example.recruit.privacy.PrivacyDialog   # onAgree / onDisagree / onWithdraw frames
    consent_gated: true          # the app promises: no SDK action at launch before consent (checked here)
    sdks:                        # catalogue ids; class names build the stacks (the catalogue must attribute them)
      umeng_common:
        entry: com.umeng.commonsdk.UMConfigure.init
        classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]
        thread: main             # default thread of this SDK's actions
    features:
      location_job_search: {activity: com.example.recruit.ui.NearbyJobsActivity}
    behaviour:
      launch: [ACTION, ...]      # each new process: Application.onCreate + first screen
      foreground: [...]
      background: [...]
      consent_granted: [...]     # a consent step; each action's `scope:` (default policy) must match the step's
      consent_declined: [...]
      consent_withdrawn: [...]
      feature:
        location_job_search: [...]

An ACTION is a mapping with one verb:
    read: API_ID                 # an id of sdkgate/data/sensitive_apis.yaml; args: [...] optional
    send: {host, scheme: https, path: /, method: POST, data: [categories], encoding: md5-hex-upper+json,
           fields: {category: name}, extra: {name: value}}
    request_permission: [PERMISSION, ...]    # respect_denial: 48h (skip while a denial is that recent)
                                             # then: [ACTIONS] played once all are granted
    write_marker: true|false     # the app records consent (the manifest's markers for `scope`)
    crash: REASON                # the process dies here (fail-closed tests)
    sleep: 300ms                 # real time passes inside the app
and modifiers: by: SDK_ID|first_party (default first_party), when: always|consented|not_consented|
declined|withdrawn|refused, scope: SCOPE, if_granted: PERMISSION, thread: NAME, frames: [extra
frames], repeat: N.

Sends use the values the agent returned to earlier reads (canaries in canary mode), remembered in
the app's storage like SDKs cache identifiers; `encoding` is value transforms (md5-hex[-upper],
sha1-hex[-upper], sha256-hex[-upper], base64, base64url, hex, upper, lower, nosep, plain) and at
most one body container (json, gzip-json, base64-json, protobuf, form, query, text), joined by `+`.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..apitable import by_id
from ..catalogue import FIRST_PARTY
from ..errors import InputError
from ..manifest import Manifest
from ..net.protobuf import field as pb_field
from ..scenario.backend import (BackendUnavailable, RunContext, StepFailed, StepOutcome, TargetDied)
from ..scenario.model import normalise_permission, parse_duration
from ..taxonomy import categories
from ..yamlio import Located, LocatedList, load_yaml

SCHEMA = "sdkgate.appmodel/1"
BLOCKS = ("launch", "foreground", "background", "consent_granted", "consent_declined", "consent_withdrawn")
VERBS = ("read", "send", "request_permission", "write_marker", "crash", "sleep")
MODIFIERS = ("by", "when", "scope", "if_granted", "thread", "frames", "repeat", "args", "respect_denial",
             "then", "note")
WHENS = ("always", "consented", "not_consented", "declined", "withdrawn", "refused")
VALUE_ENCODINGS = ("plain", "upper", "lower", "nosep", "md5-hex", "md5-hex-upper", "sha1-hex", "sha1-hex-upper",
                   "sha256-hex", "sha256-hex-upper", "base64", "base64url", "hex")
CONTAINERS = ("json", "gzip-json", "base64-json", "protobuf", "form", "query", "text")


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SdkModel:
    id: str
    entry: str                       # pkg.Class.method the app calls
    classes: tuple[str, ...]         # the SDK's internal classes (reads happen in the first)
    thread: str = "main"


@dataclass(frozen=True)
class SendSpec:
    host: str
    scheme: str
    path: str
    method: str
    data: tuple[str, ...]
    values: tuple[str, ...]          # value transforms, in order
    container: str
    fields: dict = field(default_factory=dict, hash=False, compare=False)
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Action:
    verb: str
    line: int
    by: str = FIRST_PARTY
    when: str = "always"
    scope: str | None = None
    if_granted: str | None = None
    thread: str | None = None
    frames: tuple[str, ...] = ()
    repeat: int = 1
    api_id: str | None = None
    args: tuple = ()
    send: SendSpec | None = None
    permissions: tuple[str, ...] = ()
    respect_denial_ms: int | None = None
    then: tuple["Action", ...] = ()
    marker_value: bool = True
    reason: str = ""
    sleep_ms: int = 0


@dataclass
class AppModel:
    path: Path
    sha256: str
    package: str
    application: str
    main_activity: str
    consent_handler: str
    consent_gated: bool
    sdks: dict[str, SdkModel]
    features: dict[str, str]                     # feature -> activity class
    blocks: dict[str, list[Action]]
    feature_blocks: dict[str, list[Action]]


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
        if k not in ("schema", "app", "consent_gated", "sdks", "features", "behaviour", "description"):
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
        from ..catalogue import default_catalogue  # noqa: PLC0415
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
    ctx = _ParseCtx(name, sdks, scopes)
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

    consent_gated = bool(data.get("consent_gated", False))
    if consent_gated:
        for a in _walk(blocks["launch"] + blocks["foreground"] + blocks["background"]):
            if a.by != FIRST_PARTY and a.when not in ("consented",):
                raise InputError(name, f"line {a.line}",
                                 f"consent_gated is true but this {a.verb} by {a.by} runs without 'when: consented'")
    return AppModel(path, "", package, application, main_activity, handler, consent_gated, sdks, features,
                    blocks, feature_blocks)


def _walk(actions):
    for a in actions:
        yield a
        yield from _walk(a.then)


class _ParseCtx:
    def __init__(self, name: str, sdks: dict[str, SdkModel], scopes):
        self.name, self.sdks, self.scopes = name, sdks, scopes
        self.apis = by_id()
        self.cats = categories()

    def fail(self, line_no: int, problem: str):
        raise InputError(self.name, f"line {line_no}", problem)

    def actions(self, raw, line_no: int) -> list[Action]:
        if raw is None:
            return []
        if not isinstance(raw, LocatedList):
            self.fail(line_no, "expected a list of actions")
        return [self.action(item, raw.item_lines[i]) for i, item in enumerate(raw)]

    def action(self, raw, line_no: int) -> Action:
        if not isinstance(raw, Located):
            self.fail(line_no, f"an action is a mapping with one of {', '.join(VERBS)}")
        verbs = [k for k in raw if k in VERBS]
        for k in raw:
            if k not in VERBS and k not in MODIFIERS:
                self.fail(raw.line_of(k), f"unknown action field {k!r} (verbs: {', '.join(VERBS)})")
        if len(verbs) != 1:
            self.fail(line_no, f"an action needs exactly one verb of {', '.join(VERBS)}")
        verb = verbs[0]
        at = raw.line_of(verb)
        val = raw[verb]
        by = raw.get("by", FIRST_PARTY)
        if by != FIRST_PARTY and by not in self.sdks:
            self.fail(raw.line_of("by"), f"'by: {by}' is neither first_party nor an SDK listed under 'sdks'")
        when = raw.get("when", "always")
        if when not in WHENS:
            self.fail(raw.line_of("when"), f"'when' must be one of {', '.join(WHENS)}")
        scope = raw.get("scope")
        if scope is not None and self.scopes is not None and scope not in self.scopes:
            self.fail(raw.line_of("scope"), f"scope {scope!r} is not a consent scope of the manifest")
        repeat = raw.get("repeat", 1)
        if not isinstance(repeat, int) or repeat < 1 or repeat > 10000:
            self.fail(raw.line_of("repeat"), "'repeat' must be an integer 1..10000")
        frames = raw.get("frames") or []
        if not isinstance(frames, list) or not all(isinstance(f, str) for f in frames):
            self.fail(raw.line_of("frames"), "'frames' must be a list of stack frames")
        kw: dict[str, Any] = dict(verb=verb, line=at, by=by, when=when, scope=scope, repeat=repeat,
                                  frames=tuple(frames), thread=raw.get("thread"),
                                  if_granted=normalise_permission(raw["if_granted"]) if raw.get("if_granted") else None)
        if verb == "read":
            if not isinstance(val, str) or val not in self.apis:
                self.fail(at, f"unknown API {val!r}: not an id of the sensitive-API table (sdkgate/data/sensitive_apis.yaml)")
            if self.apis[val].kind == "permission_request":
                self.fail(at, f"{val} is a permission request: use 'request_permission'")
            args = raw.get("args") or []
            if not isinstance(args, list):
                self.fail(raw.line_of("args"), "'args' must be a list")
            kw.update(api_id=val, args=tuple(args))
        elif verb == "send":
            kw["send"] = self.send(val, at)
        elif verb == "request_permission":
            perms = [val] if isinstance(val, str) else val
            if not isinstance(perms, list) or not perms or not all(isinstance(p, str) for p in perms):
                self.fail(at, "request_permission takes a permission or a list of them")
            rd = raw.get("respect_denial")
            if rd is not None:
                try:
                    kw["respect_denial_ms"] = parse_duration(rd)
                except ValueError as exc:
                    self.fail(raw.line_of("respect_denial"), f"respect_denial: {exc}")
            kw.update(permissions=tuple(normalise_permission(p) for p in perms),
                      then=tuple(self.actions(raw.get("then"), raw.line_of("then"))))
        elif verb == "write_marker":
            if not isinstance(val, bool):
                self.fail(at, "write_marker is true (consent granted) or false (revoked)")
            kw["marker_value"] = val
        elif verb == "crash":
            kw["reason"] = str(val or "crash")
        elif verb == "sleep":
            try:
                kw["sleep_ms"] = parse_duration(val)
            except ValueError as exc:
                self.fail(at, f"sleep: {exc}")
        if "then" in raw and verb != "request_permission":
            self.fail(raw.line_of("then"), "'then' belongs to request_permission")
        return Action(**kw)

    def send(self, val, at: int) -> SendSpec:
        if not isinstance(val, Located):
            self.fail(at, "send is a mapping {host, scheme, path, method, data, encoding}")
        for k in val:
            if k not in ("host", "scheme", "path", "method", "data", "encoding", "fields", "extra"):
                self.fail(val.line_of(k), f"unknown send field {k!r}")
        host = val.get("host")
        if not isinstance(host, str) or not host or "/" in host:
            self.fail(val.line_of("host"), "send needs 'host' (a host name)")
        scheme = val.get("scheme", "https")
        if scheme not in ("http", "https"):
            self.fail(val.line_of("scheme"), "scheme must be http or https")
        method = str(val.get("method", "POST")).upper()
        if method not in ("GET", "POST", "PUT"):
            self.fail(val.line_of("method"), "method must be GET, POST or PUT")
        data = val.get("data") or []
        if isinstance(data, str):
            data = [data]
        if not isinstance(data, list):
            self.fail(val.line_of("data"), "data is a list of category ids")
        for c in data:
            if c not in self.cats:
                self.fail(val.line_of("data"), f"unknown category id {c!r}")
        tokens = [t for t in str(val.get("encoding", "plain")).split("+") if t]
        values, container = [], None
        for t in tokens:
            if t in VALUE_ENCODINGS:
                values.append(t)
            elif t in CONTAINERS:
                if container:
                    self.fail(val.line_of("encoding"), "at most one body container (json, form, protobuf ...)")
                container = t
            else:
                self.fail(val.line_of("encoding"), f"unknown encoding {t!r} (values: {', '.join(VALUE_ENCODINGS)}; "
                                                   f"bodies: {', '.join(CONTAINERS)})")
        if container is None:
            container = "query" if method == "GET" else "json"
        if method == "GET" and container != "query":
            self.fail(val.line_of("encoding"), "a GET carries its data in the query: use the 'query' container")
        fields = val.get("fields") or {}
        extra = val.get("extra") or {}
        if not isinstance(fields, dict) or not isinstance(extra, dict):
            self.fail(at, "'fields' and 'extra' are mappings")
        path = str(val.get("path") or "/")
        return SendSpec(host, scheme, path if path.startswith("/") else "/" + path, method, tuple(data),
                        tuple(v for v in values if v != "plain"), container, dict(fields),
                        {str(k): str(v) for k, v in extra.items()})


# --------------------------------------------------------------------------------------------
# stacks
# --------------------------------------------------------------------------------------------

LOOPER = [
    "android.os.Handler.dispatchMessage(Handler.java:106)",
    "android.os.Looper.loopOnce(Looper.java:201)",
    "android.os.Looper.loop(Looper.java:288)",
    "android.app.ActivityThread.main(ActivityThread.java:7872)",
    "java.lang.reflect.Method.invoke(Native Method)",
    "com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:548)",
    "com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)",
]
WORKER = [
    "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1167)",
    "java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:641)",
    "java.lang.Thread.run(Thread.java:920)",
]


def _file(cls: str, obfuscated: bool) -> str:
    if obfuscated:
        return "SourceFile"
    return cls.rsplit(".", 1)[-1].split("$")[0] + ".java"


def frame(cls_method: str, line_no: int, obfuscated: bool = False) -> str:
    cls = cls_method.rsplit(".", 1)[0]
    return f"{cls_method}({_file(cls, obfuscated)}:{line_no})"


class StackBuilder:
    """Realistic Java stacks (innermost first) for a call made by an actor from a trigger."""

    def __init__(self, model: AppModel):
        self.m = model

    def trigger(self, trigger: str, detail: str = "") -> list[str]:
        m = self.m
        if trigger == "launch":
            return [frame(f"{m.application}.onCreate", 22),
                    "android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)",
                    "android.app.ActivityThread.handleBindApplication(ActivityThread.java:6759)",
                    "android.app.ActivityThread.access$1500(ActivityThread.java:256)",
                    "android.app.ActivityThread$H.handleMessage(ActivityThread.java:2091)", *LOOPER]
        if trigger in ("foreground", "background"):
            cb = "onResume" if trigger == "foreground" else "onStop"
            return [frame(f"{m.main_activity}.{cb}", 61),
                    f"android.app.Instrumentation.callActivityOn{cb[2:]}(Instrumentation.java:1456)",
                    f"android.app.Activity.perform{cb[2:]}(Activity.java:8250)", *LOOPER]
        if trigger.startswith("consent_"):
            cb = {"consent_granted": "onAgree", "consent_declined": "onDisagree",
                  "consent_withdrawn": "onWithdraw"}[trigger]
            return [frame(f"{m.consent_handler}.{cb}", 48), frame(f"{m.consent_handler}.onClick", 35),
                    "android.view.View.performClick(View.java:7448)",
                    "android.view.View.performClickInternal(View.java:7425)",
                    "android.view.View$PerformClick.run(View.java:28305)", *LOOPER]
        if trigger == "feature":
            act = m.features.get(detail) or f"{m.package}.ui.FeatureActivity"
            return [frame(f"{act}.onClick", 77),
                    "android.view.View.performClick(View.java:7448)",
                    "android.view.View.performClickInternal(View.java:7425)",
                    "android.view.View$PerformClick.run(View.java:28305)", *LOOPER]
        if trigger == "permission":
            act = m.features.get(detail) or m.main_activity
            return [frame(f"{act}.onRequestPermissionsResult", 90),
                    "android.app.Activity.dispatchRequestPermissionsResult(Activity.java:8598)",
                    "android.app.Activity.dispatchActivityResult(Activity.java:8448)", *LOOPER]
        return list(LOOPER)

    def actor_frames(self, a: Action) -> list[str]:
        if a.frames:
            return list(a.frames)
        if a.by == FIRST_PARTY:
            return [frame(f"{self.m.package}.util.DeviceHelper.collect", 31)]
        sdk = self.m.sdks[a.by]
        inner = [frame(f"{c}.a", 12 + i, obfuscated=True) for i, c in enumerate(sdk.classes[:2])]
        return inner + [frame(sdk.entry, 40, obfuscated=True)]

    def build(self, a: Action, api_frame: str | None, trigger: str, detail: str, thread: str) -> list[str]:
        top = [api_frame] if api_frame else []
        if thread != "main":
            # asynchronous SDK work: the app's frames are not on this thread's stack
            return top + self.actor_frames(a) + WORKER
        return top + self.actor_frames(a) + self.trigger(trigger, detail)


def api_frame(api_id: str) -> str:
    api = by_id()[api_id]
    cls = api.cls
    return f"{cls}.{api.member}({cls.rsplit('.', 1)[-1].split('$')[0]}.java:{zlib.crc32(api_id.encode()) % 900 + 100})"


# --------------------------------------------------------------------------------------------
# request bodies
# --------------------------------------------------------------------------------------------

def transform_value(value: str, steps: tuple[str, ...]) -> str:
    v = value
    for t in steps:
        if t == "upper":
            v = v.upper()
        elif t == "lower":
            v = v.lower()
        elif t == "nosep":
            v = v.replace(":", "").replace("-", "")
        elif t.startswith(("md5", "sha1", "sha256")):
            algo, _, rest = t.partition("-hex")
            d = hashlib.new(algo, v.encode("utf-8")).hexdigest()
            v = d.upper() if rest == "-upper" else d
        elif t == "base64":
            v = base64.b64encode(v.encode("utf-8")).decode("ascii")
        elif t == "base64url":
            v = base64.urlsafe_b64encode(v.encode("utf-8")).decode("ascii").rstrip("=")
        elif t == "hex":
            v = v.encode("utf-8").hex()
    return v


def protobuf_fields(items: list[tuple[str, str]]) -> bytes:
    """Field i+1 (wire type 2) per item, in order: what a protobuf string field looks like on the wire."""
    return b"".join(pb_field(i, v) for i, (_, v) in enumerate(items, 1))


def build_request(spec: SendSpec, values: dict[str, str]) -> tuple[str, dict[str, str], bytes | None, list[str]]:
    """(url, headers, body, missing categories) for a send with the values the app holds."""
    items: list[tuple[str, str]] = list(spec.extra.items())
    missing = []
    for cat in spec.data:
        if cat not in values:
            missing.append(cat)
            continue
        key = spec.fields.get(cat) or cat.rsplit(".", 1)[-1]
        items.append((key, transform_value(values[cat], spec.values)))
    url = f"{spec.scheme}://{spec.host}{spec.path}"
    headers = {"User-Agent": "okhttp/4.9.3"}
    c = spec.container
    body: bytes | None
    if c == "query":
        sep = "&" if "?" in url else "?"
        return url + sep + urllib.parse.urlencode(items), headers, None, missing
    if c in ("json", "gzip-json", "base64-json"):
        body = json.dumps(dict(items), ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
        if c == "gzip-json":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        elif c == "base64-json":
            body = base64.b64encode(body)
            headers["Content-Type"] = "text/plain"
    elif c == "protobuf":
        body = protobuf_fields(items)
        headers["Content-Type"] = "application/x-protobuf"
    elif c == "form":
        body = urllib.parse.urlencode(items).encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:  # text
        body = "\n".join(f"{k}={v}" for k, v in items).encode("utf-8")
        headers["Content-Type"] = "text/plain; charset=utf-8"
    return url, headers, body, missing


# --------------------------------------------------------------------------------------------
# app state the simulated app keeps (storage survives a kill; a fresh install or clear_data wipes it)
# --------------------------------------------------------------------------------------------

@dataclass
class AppStorage:
    consent: dict[str, str] = field(default_factory=dict)        # scope -> granted|declined|withdrawn
    granted: set[str] = field(default_factory=set)               # runtime permissions granted
    denied_at: dict[str, float] = field(default_factory=dict)    # permission -> device clock of denial
    answers: dict[str, str] = field(default_factory=dict)        # user's standing answer: perm -> grant|deny
    values: dict[str, str] = field(default_factory=dict)         # category -> value the app read (cache)


# --------------------------------------------------------------------------------------------
# the backend
# --------------------------------------------------------------------------------------------

class SimulatedDevice:
    """Backend "simulated": one SimRuntime process per app launch, the app model played on it."""

    name = "simulated"

    def __init__(self, model: AppModel, runtime_factory=None):
        self.model = model
        self.stacks = StackBuilder(model)
        self._runtime_factory = runtime_factory
        self.ctx: RunContext | None = None
        self.rt = None                         # the running app process (SimRuntime) or None
        self.storage = AppStorage()
        self.pending: dict[str, tuple[Action, str, str]] = {}   # perm -> (request action, trigger, detail)
        self.foreground_now = False
        self.warnings: list[str] = []
        self._http = None
        self._lock = threading.RLock()
        self._info: dict[str, Any] = {}
        self.process_stats: list[dict] = []      # intake stats of each app process (one per launch)

    # --- Backend: setup --------------------------------------------------------------------
    def start(self, ctx: RunContext) -> None:
        """Check that the simulated runtime and the shipped agent bundle are there; no process yet."""
        self.ctx = ctx
        try:
            from . import build, simruntime  # noqa: PLC0415
        except ImportError as exc:
            raise BackendUnavailable(f"the simulated Android runtime is not available: {exc}") from None
        self._simruntime = simruntime
        try:
            build.load_bundle("sim")
            self._info = {"agent_sha256": build.bundle_sha256("sim"), "agent_bundle": "agent-sim.js"}
        except InputError as exc:
            raise BackendUnavailable(f"agent bundle unusable: {exc.render()}") from None
        import frida  # noqa: PLC0415
        self._info["frida_version"] = frida.__version__
        if ctx.proxy is not None:
            import httpx  # noqa: PLC0415
            self._http = httpx.Client(proxy=ctx.proxy.url, verify=str(ctx.proxy.ca_path), trust_env=False,
                                      timeout=15.0, follow_redirects=False)

    def info(self) -> dict[str, Any]:
        out = dict(self._info)
        out["app_model"] = {"path": str(self.model.path), "sha256": self.model.sha256, "package": self.model.package}
        out["processes"] = self.process_stats
        return out

    def stop(self) -> None:
        with self._lock:
            self._close_process()
            if self._http is not None:
                self._http.close()
                self._http = None

    # --- Backend: install state ------------------------------------------------------------
    def fresh_install(self) -> StepOutcome:
        self._kill_quietly()
        self.storage = AppStorage()
        self.pending.clear()
        return StepOutcome(detail="installed (no data, no permissions)")

    def clear_data(self) -> StepOutcome:
        self._kill_quietly()
        self.storage = AppStorage()
        self.pending.clear()
        return StepOutcome(detail="app data cleared")

    # --- Backend: lifecycle ----------------------------------------------------------------
    def launch(self) -> StepOutcome:
        if self.rt is not None:
            self.foreground_now = True
            return self._play("foreground", "foreground", detail="already running: brought to front")
        t = self._spawn()
        out = self._play("launch", "launch", t_ms=t)
        self.foreground_now = True
        return out

    def relaunch(self) -> StepOutcome:
        self._kill_quietly()
        t = self._spawn()
        out = self._play("launch", "launch", t_ms=t)
        self.foreground_now = True
        return out

    def kill(self) -> StepOutcome:
        if self.rt is None:
            return StepOutcome(detail="not running")
        t = self._now()
        self._kill_quietly()
        return StepOutcome(t_ms=t, detail="process killed")

    def background(self) -> StepOutcome:
        self._need_running("background")
        self.foreground_now = False
        return self._play("background", "background")

    def foreground(self) -> StepOutcome:
        self._need_running("foreground")
        self.foreground_now = True
        return self._play("foreground", "foreground")

    def wait(self, ms: int) -> StepOutcome:
        time.sleep(ms / 1000.0)
        self._check_alive()
        return StepOutcome()

    def advance_clock(self, ms: int) -> StepOutcome:
        # the runner adds `ms` to the run's device clock; the app's time logic reads ctx.clock.device_ms()
        return StepOutcome(detail=f"device clock +{ms} ms")

    # --- Backend: user actions -------------------------------------------------------------
    def consent(self, action: str, scope: str) -> StepOutcome:
        self._need_running("consent")
        transition = {"accept": "granted", "decline": "declined", "withdraw": "withdrawn"}[action]
        t = self._now()                                  # the tap lands now
        self.storage.consent[scope] = transition
        if scope == "policy" and transition != "granted":
            for other in list(self.storage.consent):
                self.storage.consent[other] = transition
        return self._play(f"consent_{transition}", f"consent_{transition}", scope=scope, t_ms=t)

    def permission(self, decision: str, permission: str) -> StepOutcome:
        t = self._now()
        result = "granted" if decision == "grant" else "denied"
        if permission not in self.pending:
            # no dialog showing: this is the user's answer to the app's next request
            self.storage.answers[permission] = decision
            return StepOutcome(t_ms=t, data={"answer_kept": True},
                               detail=f"no pending request for {permission}: answer kept for the next one")
        self._need_running("permission")
        out = self._deliver({permission: result})
        out.t_ms = t
        out.results = {permission: result}
        return out

    def open_feature(self, feature: str) -> StepOutcome:
        self._need_running("open_feature")
        if feature not in self.model.feature_blocks:
            return StepOutcome(detail=f"the app model has no behaviour for feature {feature!r}")
        return self._play("feature", "feature", detail_name=feature)

    # --- playing actions -------------------------------------------------------------------
    def _now(self) -> float:
        """Run-clock ms of "now" as the app process itself stamps it (the agent's clock, mapped the
        same way as its hook events), like a device stamps a tap: a step and the hook events it
        causes are then ordered exactly, whatever small error the clock sync has.
        Without a running process: the runner's clock."""
        assert self.ctx is not None
        host = getattr(self.rt, "host", None) if self.rt is not None else None
        if host is not None and self.rt.alive:
            try:
                return host.to_run_ms(float(host.script.exports_sync.now()))
            except Exception:  # noqa: BLE001 - the process went away: fall back to the run clock
                pass
        return self.ctx.clock.now_ms()

    def _need_running(self, what: str):
        if self.rt is None:
            raise StepFailed(f"{what}: the app is not running (launch it first)")
        self._check_alive()

    def _check_alive(self):
        if self.rt is not None and not self.rt.alive:
            self._close_process()
            raise TargetDied("the app process is gone", self._now())

    def _close_process(self):
        """Orderly end of the app process: flush the agent, unload, kill (the host logs no death)."""
        if self.rt is not None:
            rt, self.rt = self.rt, None
            try:
                stats = rt.stop()
            except Exception as exc:  # noqa: BLE001 - teardown goes on
                stats = {"error": str(exc)}
            self.process_stats.append(stats)

    def _kill_quietly(self):
        self._close_process()
        self.pending.clear()
        self.foreground_now = False

    def _spawn(self) -> float:
        assert self.ctx is not None
        t = self._now()
        rt = self._simruntime.SimRuntime(self.ctx.manifest, self.ctx.canaries, on_event=self.ctx.emit,
                                         clock=self.ctx.clock.now_ms)
        try:
            rt.start()
        except InputError as exc:       # AgentLoadError: the agent does not load into the process
            try:
                rt.stop()
            except Exception:  # noqa: BLE001
                pass
            raise StepFailed(f"agent failed to load into the app process: {exc.render()}") from None
        except Exception as exc:  # noqa: BLE001
            try:
                rt.stop()
            except Exception:  # noqa: BLE001
                pass
            raise StepFailed(f"could not start the simulated app process: {type(exc).__name__}: {exc}") from None
        self.rt = rt
        return t

    def _play(self, block: str, trigger: str, *, scope: str | None = None, detail_name: str = "",
              t_ms: float | None = None, detail: str = "") -> StepOutcome:
        if t_ms is None:
            t_ms = self._now()           # the step lands before the app reacts to it
        actions = (self.model.feature_blocks.get(detail_name, []) if block == "feature"
                   else self.model.blocks.get(block, []))
        notes: list[str] = []
        for a in actions:
            if block.startswith("consent_") and (a.scope or "policy") != scope:
                continue
            self._act(a, trigger, detail_name, notes)
        self._check_alive()
        if self.rt is not None:
            self.rt.flush()
        return StepOutcome(t_ms=t_ms, detail="; ".join([detail] + notes if detail else notes))

    def _applies(self, a: Action) -> bool:
        st = self.storage.consent
        pol = st.get("policy")
        if a.when == "consented":
            ok = pol == "granted" and (a.scope is None or st.get(a.scope) == "granted")
        elif a.when == "not_consented":
            ok = pol != "granted"
        elif a.when == "declined":
            ok = pol == "declined"
        elif a.when == "withdrawn":
            ok = pol == "withdrawn"
        elif a.when == "refused":
            ok = pol in ("declined", "withdrawn")
        else:
            ok = True
        if ok and a.if_granted:
            ok = a.if_granted in self.storage.granted
        return ok

    def _act(self, a: Action, trigger: str, detail: str, notes: list[str]) -> None:
        if not self._applies(a):
            return
        if self.rt is None:
            raise StepFailed("the app process is gone")
        thread = a.thread or (self.model.sdks[a.by].thread if a.by in self.model.sdks else "main")
        for _ in range(a.repeat):
            if a.verb == "read":
                api = by_id()[a.api_id]
                # the runtime puts the API's own frame on top, as ART shows a hooked method
                stack = self.stacks.build(a, None, trigger, detail, thread)
                result = self._call(a.api_id, stack, thread, list(a.args) if a.args else None)
                value = value_text(result)
                if api.category and value:
                    self.storage.values[api.category] = value
            elif a.verb == "send":
                self._send(a, notes)
            elif a.verb == "request_permission":
                self._request(a, trigger, detail, thread, notes)
            elif a.verb == "write_marker":
                self._marker(a, trigger, detail, thread)
            elif a.verb == "sleep":
                time.sleep(a.sleep_ms / 1000.0)
            elif a.verb == "crash":
                t = self._now()
                self.rt.crash()
                self._close_process()
                raise TargetDied(f"app crashed: {a.reason}", t)

    def _call(self, api_id: str, stack: list[str], thread: str, args: list) -> Any:
        try:
            return self.rt.call(api_id, stack, thread=thread, args=args)
        except self._simruntime.JavaThrow:
            return None          # the app catches the SecurityException and goes on
        except Exception as exc:  # noqa: BLE001
            self._check_alive()
            raise StepFailed(f"simulated call {api_id} failed: {type(exc).__name__}: {exc}") from None

    def _send(self, a: Action, notes: list[str]) -> None:
        spec = a.send
        assert spec is not None
        if self._http is None:
            notes.append(f"send to {spec.host} skipped: no proxy")
            return
        url, headers, body, missing = build_request(spec, self.storage.values)
        if missing:
            notes.append(f"send to {spec.host}: the app never read {', '.join(missing)}")
        try:
            resp = self._http.request(spec.method, url, headers=headers, content=body)
        except Exception as exc:  # noqa: BLE001 - the proxy is ours: a failure is lost evidence
            raise StepFailed(f"send to {url} through the proxy failed: {type(exc).__name__}: {exc}") from None
        if resp.status_code >= 500:
            raise StepFailed(f"send to {url}: proxy answered {resp.status_code}")

    def _request(self, a: Action, trigger: str, detail: str, thread: str, notes: list[str]) -> None:
        now_dev = self.ctx.clock.device_ms()
        wanted = [p for p in a.permissions if p not in self.storage.granted]
        if not wanted:
            for t in a.then:
                self._act(t, "permission", detail, notes)
            return
        if a.respect_denial_ms is not None:
            recent = [p for p in wanted if p in self.storage.denied_at
                      and now_dev - self.storage.denied_at[p] < a.respect_denial_ms]
            if recent:
                notes.append(f"not asking again for {', '.join(recent)} (denied recently)")
                return
        stack = self.stacks.build(a, None, trigger, detail, thread)
        self.rt.request_permissions(wanted, stack, api_id="perm.activitycompat.requestPermissions", thread=thread)
        for p in wanted:
            self.pending[p] = (a, trigger, detail)
        # the user's standing answers (a permission step that came before the dialog)
        preset = {p: ("granted" if self.storage.answers[p] == "grant" else "denied")
                  for p in wanted if p in self.storage.answers}
        if preset:
            self._deliver(preset, notes)

    def _deliver(self, results: dict[str, str], notes: list[str] | None = None) -> StepOutcome:
        notes = notes if notes is not None else []
        now_dev = self.ctx.clock.device_ms()
        requests = {}
        for p, r in results.items():
            req = self.pending.pop(p, None)
            if req is not None:
                requests[id(req[0])] = req
            if r == "granted":
                self.storage.granted.add(p)
                self.storage.denied_at.pop(p, None)
            else:
                self.storage.granted.discard(p)
                self.storage.denied_at[p] = now_dev
        self.rt.permission_result(results)
        for a, _trigger, detail in requests.values():
            if all(p in self.storage.granted for p in a.permissions):
                for t in a.then:
                    self._act(t, "permission", detail, notes)
        self._check_alive()
        if self.rt is not None:
            self.rt.flush()
        return StepOutcome(detail="; ".join(notes))

    def _marker(self, a: Action, trigger: str, detail: str, thread: str) -> None:
        """The app records the decision through every marker the manifest names for the scope."""
        scope = a.scope or "policy"
        stack = self.stacks.build(a, None, trigger, detail, thread)
        for mk in self.ctx.manifest.consent.markers:
            if mk.scope != scope:
                continue
            if mk.method:
                value: Any = a.marker_value
            else:
                value = mk.value if a.marker_value else (False if isinstance(mk.value, bool) else None)
            self.rt.marker(mk, value, stack, thread=thread)


def value_text(result: Any) -> str | None:
    """The personal value inside what an API returned (string, ClipData text, Location, MAC bytes)."""
    if result is None or isinstance(result, bool):
        return None
    if isinstance(result, (str, int, float)):
        return str(result) if str(result) else None
    if isinstance(result, (bytes, bytearray)):
        return ":".join(f"{b:02x}" for b in result) if len(result) == 6 else result.hex()
    fields = getattr(result, "fields", None)
    if isinstance(fields, dict):
        if "latitude" in fields and "longitude" in fields:
            return f"{float(fields['latitude']):.6f},{float(fields['longitude']):.6f}"
        for key in ("text", "value", "packageName"):
            if isinstance(fields.get(key), str) and fields[key]:
                return fields[key]
        for v in fields.values():
            found = value_text(v[0] if isinstance(v, list) and v else v) if not isinstance(v, (str, int, float)) else None
            if found:
                return found
    if isinstance(result, list) and result:
        return value_text(result[-1])
    return None


def make_backend(app_model: str | Path, manifest: Manifest) -> SimulatedDevice:
    return SimulatedDevice(load_app_model(app_model, manifest))
