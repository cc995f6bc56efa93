"""The app model: its dataclasses, and parsing that rejects bad input with
the file and line, so a model is checked before a run starts. The simulator (simulator.py) plays it.

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
    timers:                      # time-driven behaviour, per process start (SDKs read on timers)
      - {after: 5s, every: 30s, actions: [ACTION, ...]}   # `every` optional (one shot without it)
    The simulated device plays timers during `wait` steps and the settle period after the last step.

An ACTION is a mapping with one verb:
    read: API_ID                 # an id of sdkgate/data/sensitive_apis.yaml; args: [...] optional; overload: N
                                 # (index in the row's descriptors); this: {$obj: CLASS, returns: {...}}
    send: {host, scheme: https, path: /, method: POST, data: [categories], encoding: md5-hex-upper+json,
           fields: {category: name}, extra: {name: value}}
    request_permission: [PERMISSION, ...]    # respect_denial: 48h (skip while a denial is that recent)
                                             # api: a permission_request row (default ActivityCompat's)
                                             # then: [ACTIONS] played once all are granted
    write_marker: true|false     # the app records consent (the manifest's markers for `scope`)
    click_consent: accept|decline|withdraw   # app code calls performClick() on its consent control (never consent)
    crash: REASON                # the process dies here (fail-closed tests)
    sleep: 300ms                 # real time passes inside the app
    native: {call: open, path: /sys/class/net/wlan0/address, lib: libjcore.so, java_thread: true}
                                 # a REAL libc call from the SDK's native library (sideverbs.py: calls)
    property: ro.serialno        # SystemProperties.get (reflection) on the device's property store
    exec: "pm list packages"     # Runtime.exec of a command
    file_read: /proc/net/arp     # FileInputStream on a path
    provider: {authority: com.vivo.vms.IdProvider, method: query|call|acquire, path: IdentifierId/OAID}
    bind_service: {action: ..., package: ...}
    probe_packages: [com.tencent.mm, ...]    # PackageManager.getPackageInfo on other packages
and modifiers: by: SDK_ID|first_party (default first_party), when: always|consented|not_consented|
declined|withdrawn|refused, scope: SCOPE, if_granted: PERMISSION, thread: NAME, frames: [extra
frames], repeat: N.

Sends use the values the agent returned to earlier reads (canaries in canary mode), remembered in
the app's storage like SDKs cache identifiers; `encoding` is value transforms (md5-hex[-upper],
sha1-hex[-upper], sha256-hex[-upper], base64, base64url, hex, upper, lower, nosep, plain) and at
most one body container (json, gzip-json, base64-json, protobuf, form, query, text), joined by `+`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..apitable import by_id
from ..catalogue import FIRST_PARTY
from ..errors import InputError
from ..manifest import Manifest
from ..scenario.model import normalise_permission, parse_duration
from ..taxonomy import categories
from ..yamlio import Located, LocatedList, load_yaml
from .netspec import NET_KEYS, NetSpec, parse_net

from .sideverbs import SIDE_VERBS, parse_side_verb  # noqa: E402  (issue 11: native and side-channel reads)

SCHEMA = "sdkgate.appmodel/1"
BLOCKS = ("launch", "foreground", "background", "consent_granted", "consent_declined", "consent_withdrawn")
VERBS = ("read", "send", "request_permission", "write_marker", "crash", "sleep", "click_consent", "start_process",
         "load_code") + SIDE_VERBS
MODIFIERS = ("by", "when", "scope", "if_granted", "thread", "frames", "repeat", "args", "respect_denial", "process",
             "frames_from_loaded",
             "then", "note", "overload", "this", "api")
WHENS = ("always", "consented", "not_consented", "declined", "withdrawn", "refused")
VALUE_ENCODINGS = ("plain", "upper", "lower", "nosep", "md5-hex", "md5-hex-upper", "sha1-hex", "sha1-hex-upper",
                   "sha256-hex", "sha256-hex-upper", "base64", "base64url", "hex")
CONTAINERS = ("json", "gzip-json", "base64-json", "protobuf", "form", "query", "text")


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
    net: NetSpec = field(default_factory=NetSpec)     # transport, proxy, pinning, hash, encrypt (netspec.py)


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
    click: str = ""                  # click_consent: granted|declined|withdrawn
    process: str | None = None           # full process name (package:name); None = the main process
    code: "LoadCode | None" = None        # load_code
    frames_from_loaded: bool = False      # frames from classes the action's SDK loaded at run time
    side: dict = field(default_factory=dict, hash=False, compare=False)   # side-channel verbs (sideverbs.py)
    overload: int = 0                     # read: which of the row's descriptors is called
    this: Any = field(default=None, hash=False, compare=False)   # read: the receiver (wire object), default a plain one
    api: str | None = None                # request_permission: the permission_request row called


@dataclass(frozen=True)
class Timer:
    """Actions a process plays `after_ms` after it starts, then every `every_ms` (if set)."""
    after_ms: int
    every_ms: int | None
    actions: tuple[Action, ...]
    line: int


@dataclass(frozen=True)
class ProcessModel:
    """A secondary process of the app (`package:name`): started at launch or on demand (a component
    or an action runs in it, or `start_process`); `instrumented: false` = the simulation starts it
    outside spawn/child gating on purpose (the run must become incomplete)."""
    name: str                            # full name, e.g. com.example.recruit:pushcore
    start: str = "on_demand"             # launch | on_demand
    instrumented: bool = True


@dataclass(frozen=True)
class LoadCode:
    """`load_code: {file, by, loader}`: an SDK loads a DEX/JAR/APK at run time (DexClassLoader, ...)."""
    file: Path
    loader: str                          # dex | inmemory | path
    classes: tuple[str, ...] = ()        # classes defined in the file (read from the DEX at parse time)


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
    timers: list[Timer] = field(default_factory=list)
    processes: dict[str, ProcessModel] = field(default_factory=dict)   # full name -> secondary process


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
                     "processes"):
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
    from .appmodel_ext import parse_processes  # noqa: PLC0415
    processes = parse_processes(data, package, err)
    ctx = _ParseCtx(name, sdks, scopes)
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
                    blocks, feature_blocks, timers, processes)


def _timers(data, ctx: "_ParseCtx", err) -> list[Timer]:
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
        elif verb == "click_consent":
            tr = {"accept": "granted", "decline": "declined", "withdraw": "withdrawn"}.get(val)
            if tr is None:
                self.fail(at, "click_consent is accept, decline or withdraw")
            kw["click"] = tr
        elif verb == "sleep":
            try:
                kw["sleep_ms"] = parse_duration(val)
            except ValueError as exc:
                self.fail(at, f"sleep: {exc}")
        elif verb in SIDE_VERBS:
            kw["side"] = parse_side_verb(verb, val, lambda problem: self.fail(at, problem))
        from .appmodel_ext import parse_action_ext  # noqa: PLC0415
        parse_action_ext(self, raw, verb, val, at, kw)
        if "then" in raw and verb != "request_permission":
            self.fail(raw.line_of("then"), "'then' belongs to request_permission")
        return Action(**kw)

    def send(self, val, at: int) -> SendSpec:
        if not isinstance(val, Located):
            self.fail(at, "send is a mapping {host, scheme, path, method, data, encoding}")
        for k in val:
            if k not in ("host", "scheme", "path", "method", "data", "encoding", "fields", "extra") + NET_KEYS:
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
                        {str(k): str(v) for k, v in extra.items()}, parse_net(val, self.fail, self.cats))
