"""One action of an app model: its verb, its modifiers, checked with the file and line."""
from __future__ import annotations

from typing import Any

from ...apitable import by_id
from ...catalogue import FIRST_PARTY
from ...errors import InputError
from ...scenario.model import normalise_permission, parse_duration
from ...taxonomy import categories
from ...yamlio import Located, LocatedList
from ..sideverbs import SIDE_VERBS, parse_side_verb
from .classes import implementation_of
from .inputs import CONTROLS, parse_input_verb
from .processes import parse_action_ext
from .sendspec import parse_send
from .types import MODIFIERS, STORES, VERBS, WHENS, Action, SdkModel

class ParseCtx:
    def __init__(self, name: str, sdks: dict[str, SdkModel], scopes, classes: dict | None = None):
        self.name, self.sdks, self.scopes = name, sdks, scopes
        self.classes = classes or {}
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
            self._read_extras(raw, val, at, kw)
        elif verb == "send":
            kw["send"] = parse_send(self, val, at)
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
            tr = CONTROLS.get(val)
            if tr is None:
                self.fail(at, "click_consent is accept, decline or withdraw")
            kw["click"] = tr
        elif verb in ("fake_input", "user_input"):
            kw["input"] = parse_input_verb(self, verb, val, at)
        elif verb == "load_class":
            if val not in self.classes or self.classes[val].get("loaded"):
                self.fail(at, f"load_class names a class listed under 'classes' with 'loaded: later' ({val!r} is not)")
            kw["class_name"] = val
        elif verb == "sleep":
            try:
                kw["sleep_ms"] = parse_duration(val)
            except ValueError as exc:
                self.fail(at, f"sleep: {exc}")
        elif verb in SIDE_VERBS:
            kw["side"] = parse_side_verb(verb, val, lambda problem: self.fail(at, problem))
        _parse_call(self, raw, verb, val, kw)
        parse_action_ext(self, raw, verb, val, at, kw)
        if "then" in raw and verb != "request_permission":
            self.fail(raw.line_of("then"), "'then' belongs to request_permission")
        for mod, owner in (("impl", "read"), ("jni", "read"), ("store", "write_marker")):
            if mod in raw and verb != owner:
                self.fail(raw.line_of(mod), f"'{mod}' belongs to {owner}")
        if "store" in raw:
            if raw["store"] not in STORES:
                self.fail(raw.line_of("store"), f"store is one of {', '.join(STORES)}")
            kw["store"] = raw["store"]
        return Action(**kw)

    def _read_extras(self, raw, api_id: str, at: int, kw: dict) -> None:
        """A read through an interface (the implementation it lands on) or from native code (JNI)."""
        api = self.apis[api_id]
        if "impl" in raw:
            impl = raw["impl"]
            if impl not in self.classes or api.cls not in self.classes[impl].get("interfaces", ()):
                self.fail(raw.line_of("impl"), f"impl names a class under 'classes' that implements {api.cls}")
            kw["impl"] = impl
        elif not api.hookable:
            impl = implementation_of(self.classes, api.cls)
            if impl is None:
                self.fail(at, f"{api_id} is called through the interface {api.cls}: list the class the call lands on "
                              "under 'classes' (implements: [...])")
            kw["impl"] = impl
        if "jni" in raw:
            j = raw["jni"]
            if not isinstance(j, dict) or set(j) - {"lib", "thread"}:
                self.fail(raw.line_of("jni"), "jni is {lib: libxx.so, thread: java|native}")
            lib = j.get("lib")
            if lib is not None and (not isinstance(lib, str) or "/" in lib or not lib.endswith(".so")):
                self.fail(raw.line_of("jni"), "jni 'lib' is a library file name such as libjcore.so")
            thread = j.get("thread", "native")
            if thread not in ("java", "native"):
                self.fail(raw.line_of("jni"), "jni thread is java (a Java thread calling a native method) or native "
                                              "(a native thread attached to the VM)")
            kw["jni"] = {"lib": lib, "thread": thread}


def _parse_call(ctx, raw: Located, verb: str, val, kw: dict) -> None:
    """`read` with `overload: N` / `this: {$obj ...}`; `request_permission` with `api: ROW` (the calibration probe's
    model calls every overload of every row, issue 26)."""
    for key, ok in (("overload", verb == "read"), ("this", verb == "read"), ("api", verb == "request_permission")):
        if key in raw and not ok:
            ctx.fail(raw.line_of(key), f"'{key}' belongs to {'read' if key != 'api' else 'request_permission'}")
    if verb == "read":
        ov, n = raw.get("overload", 0), len(ctx.apis[val].descriptors)
        if not isinstance(ov, int) or isinstance(ov, bool) or not 0 <= ov < n:
            ctx.fail(raw.line_of("overload"), f"overload is an index of {val}'s descriptors (0..{n - 1})")
        this = raw.get("this")
        if this is not None and not (isinstance(this, dict) and isinstance(this.get("$obj"), str)):
            ctx.fail(raw.line_of("this"), "this is a mapping {$obj: CLASS, returns: {method: value}}")
        kw.update(overload=ov, this=this)
    elif "api" in raw:
        api = raw["api"]
        if api not in ctx.apis or ctx.apis[api].kind != "permission_request":
            ctx.fail(raw.line_of("api"), f"api {api!r} is not a permission_request row of the table")
        kw["api"] = api
