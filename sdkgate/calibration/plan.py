"""The probe's calls, derived from the sensitive-API table (data/sensitive_apis.yaml): one source of truth.

Every Java row (method, field, permission request) is called once per overload, with an argument that makes
exactly that row count (the first matching entry of its hook, as the agent's hooks.ts decides) and that is
recognisable (`sdkgate-probe`, `com.sdkgate.probe.absent`, ...). Every side-channel target a Java API can
reach (path, property, command, provider, service, setting) is read once through the first Java call row of
its kind that counts it. Each call runs in its own method (`com.sdkgate.probe.rows.<row>.<o|t|r><n>`), so an
event's stack says which call it was. A subset runs again in the `:probe` process, and two rows are read from
code loaded at run time. Native rows and ioctl targets are not probed (no Android-loadable native library can
be built here: docs/calibration.md).

A row the generator cannot call (an unknown receiver class, an argument no target makes count) is a
PlanError naming the row: the table and the probe are checked against each other at generation time.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..apitable import SensitiveApi, apis, match_target, split_descriptor

PACKAGE = "com.sdkgate.probe"
PROBE_PROCESS = PACKAGE + ":probe"
TOKEN = "sdkgate-probe"                                   # the recognisable part of every argument
OTHER_PACKAGE = PACKAGE + ".absent"                       # "another app" the probe asks about
PROBE_PERMISSION = PACKAGE + ".permission.CALIBRATION"    # undeclared: requests answer at once, no dialog
ROWS_PKG = PACKAGE + ".rows"
LOADED_PKG = PACKAGE + ".loaded"
STUBS_PKG = PACKAGE + ".stubs"
NOOP = PACKAGE + ".Noop"
PLAN_SCHEMA = "sdkgate.probe-plan/1"
# classes the phone provides (boot class path or the vendor's framework); everything else is in the APK
ON_DEVICE = ("android.", "java.", "javax.", "dalvik.", "libcore.", "com.android.")
IN_APK = ("android.support.",)
# the loaded-code payloads: which row each reads (both static, no receiver)
PAYLOADS = {"dex": ("settings.secure.getString", "DexPayload"), "inmemory": ("settings.system.getString", "MemPayload")}
NOT_PROBED_WHY = ("native call: not probed (the probe has no native library: none that Android loads can be "
                  "built without the NDK; see docs/calibration.md)")
# how the probe gets `this` for an instance method of a device class: a method of the probe's Receivers class
RECEIVERS = {
    "android.telephony.TelephonyManager": "telephony", "android.net.wifi.WifiManager": "wifi",
    "android.net.wifi.WifiInfo": "wifiInfo", "android.bluetooth.BluetoothAdapter": "bluetooth",
    "android.content.ClipboardManager": "clipboard", "android.text.ClipboardManager": "clipboard",
    "android.location.LocationManager": "location", "android.content.pm.PackageManager": "packageManager",
    "android.app.ActivityManager": "activityManager", "android.content.ContentResolver": "resolver",
    "android.accounts.AccountManager": "accounts", "android.hardware.SensorManager": "sensors",
    "android.hardware.camera2.CameraManager": "cameraManager", "android.media.AudioRecord": "audioRecord",
    "android.media.MediaRecorder": "mediaRecorder", "java.net.NetworkInterface": "networkInterface",
    "java.lang.Runtime": "runtime", "android.content.Context": "context", "android.app.Activity": "activity",
    "android.content.ContentProviderClient": "providerClient",
}
# parameter types the probe passes a real object for (a null listener would crash the app later)
LISTENERS = ("Landroid/content/ClipboardManager$OnPrimaryClipChangedListener;",)


class PlanError(ValueError):
    """The table holds a row the probe cannot call as generated: the message names the row and why."""


@dataclass(frozen=True)
class Arg:
    type: str                 # smali type of the parameter
    kind: str                 # null int long float bool string strings uri file nio_path intent versioned_package
    value: Any = None         # context activity resolver listener


@dataclass(frozen=True)
class Call:
    id: str                   # telephony.getDeviceId#1, path.net_mac#t, sysprop.get#0~reflection, ...@probe
    row: str                  # the table row the probe calls
    expect: str               # the api_id the agent records for it (another row sharing the hook, same category)
    target: str | None        # the target row the argument names (matched calls)
    overload: int             # index in the row's descriptors
    descriptor: str
    cls: str                  # the class the probe calls through (the row's `class`)
    member: str
    invoke: str               # static | virtual | interface | direct | field
    receiver: str | None      # Receivers method, "new:CLASS", "command" (ProcessBuilder), None
    args: tuple[Arg, ...]
    process: str              # main | probe
    route: str                # direct | reflection | loaded:dex | loaded:inmemory
    method: str               # the probe method making the call: com.sdkgate.probe.rows.X.o1


@dataclass
class Plan:
    table_sha256: str
    calls: list[Call]
    rows: list[dict]                      # every row of the table: id, kind, category, class, probed, why
    checks: list[dict]                    # what else calibration verifies (processes, loaded code, sockets, taps)
    stubs: dict[str, dict] = field(default_factory=dict)   # library class -> {interface, impl, methods}

    def to_dict(self) -> dict:
        return {"schema": PLAN_SCHEMA, "package": PACKAGE, "table_sha256": self.table_sha256,
                "calls": [asdict(c) for c in self.calls], "rows": self.rows, "checks": self.checks}


def on_device(cls: str) -> bool:
    return cls.startswith(ON_DEVICE) and not cls.startswith(IN_APK)


def class_name(row_id: str) -> str:
    """A row id as a Java class name of the probe (`telephony.getDeviceId` -> `telephony_getDeviceId`)."""
    return re.sub(r"[^A-Za-z0-9]", "_", row_id)


def _static(api: SensitiveApi) -> bool:
    from ..dynamic.simruntime import STATIC_APIS, STATIC_CLASSES  # noqa: PLC0415 - one list of static rows
    return api.id in STATIC_APIS or api.cls in STATIC_CLASSES


# --- which row a call counts for (the order hooks.ts checks a hook's entries in) ------------------------

def arg_texts(arg: Arg | None) -> list[str | None]:
    """The text(s) the agent reads from a filtered argument."""
    if arg is None:
        return [None]
    if arg.kind in ("string", "uri", "file", "nio_path"):
        return [arg.value]
    if arg.kind in ("strings", "command"):
        return [" ".join(arg.value)]
    if arg.kind == "intent":
        return list(arg.value)
    if arg.kind == "versioned_package":
        return [f"VersionedPackage[{arg.value}/0]"]
    return [None]


def counts(api: SensitiveApi, arg: Arg | None) -> SensitiveApi | bool:
    """Does a call with `arg` (the filtered argument) count for `api`? A matched call returns its target row."""
    f = api.arg_filter
    if not f or f.get("own_result"):        # judged on the result: the probe's call is observed (as `self_read`)
        return True
    texts = arg_texts(arg)
    if f.get("intent") and f.get("other_package"):
        pkg = texts[1] if len(texts) > 1 else None
        return pkg is not None and pkg != PACKAGE
    m = f.get("match")
    if m:
        for t in texts:
            if t is None:
                continue
            if m == "setting":
                t = f"{f.get('namespace', 'system')}/{t}"
            elif m == "provider" and f.get("authority_prefix") and "://" not in t:
                t = f["authority_prefix"] + t
            hit = match_target(m, t)
            if hit is not None:
                return hit
        return False
    s = texts[0]
    if s is None:
        return False
    if "equals" in f:
        return s in f["equals"]
    if "uri_prefix" in f:
        return any(s.startswith(p) for p in f["uri_prefix"])
    if f.get("other_package"):
        return s != PACKAGE
    return True


def first_entry(api: SensitiveApi, desc: str, arg: Arg | None) -> tuple[SensitiveApi | None, SensitiveApi | None]:
    """The row (and target) the agent records for a call of `api` overload `desc` with `arg`: the first entry
    of the hook (hook class, member, overload) that counts it."""
    for e in apis():
        if e.kind != "method" and e.kind != "permission_request":
            continue
        if e.hook_cls != api.hook_cls or e.member != api.member or desc not in e.descriptors or not e.hookable:
            continue
        hit = counts(e, arg)
        if hit:
            return e, (hit if isinstance(hit, SensitiveApi) else None)
    return None, None


# --- targets as concrete text ---------------------------------------------------------------------------

def _fill(kind: str, pattern: str) -> str:
    if kind == "path":
        head = "/data/local/tmp/" + TOKEN if pattern.startswith("*") else ""
        return head + pattern.lstrip("*").replace("*", TOKEN) if head else pattern.replace("*", TOKEN)
    if kind == "command":
        body = pattern[1:] if pattern.startswith("*") else pattern
        return f"sh -c true {TOKEN} " + body.replace("*", "")       # runs `true`: harmless, and recognisable
    if kind == "provider":
        return pattern[:-1] + "/" + TOKEN if pattern.endswith("*") else pattern.replace("*", TOKEN)
    return pattern.replace("*", "")


def concrete(target: SensitiveApi) -> str:
    """A text that matches `target` (and no earlier target row of its kind)."""
    for p in target.patterns:
        text = _fill(target.kind, p)
        if match_target(target.kind, text) is target:
            return text
    raise PlanError(f"{target.id}: none of its patterns gives a text that matches it before an earlier "
                    f"{target.kind} row (make its patterns distinct)")


# --- arguments -------------------------------------------------------------------------------------------

def _value_arg(t: str, match: str, text: str, index: int) -> Arg:
    """The argument of a matched call that names target text `text`."""
    if index < 0 or t == "[Ljava/lang/String;":
        return Arg(t, "command" if index < 0 else "strings", tuple(text.split(" ")))
    if match == "setting":
        text = text.split("/", 1)[1]
    if t == "Ljava/lang/String;":
        if match == "provider":
            return Arg(t, "string", text.split("://", 1)[-1].split("/", 1)[0])   # acquire*(String): an authority
        return Arg(t, "string", text)
    kinds = {"Landroid/net/Uri;": "uri", "Ljava/io/File;": "file", "Ljava/nio/file/Path;": "nio_path",
             "Landroid/content/Intent;": "intent"}
    if t not in kinds:
        raise PlanError(f"a {match} target cannot be passed as {t}")
    return Arg(t, kinds[t], (text, None) if t == "Landroid/content/Intent;" else text)


def _arg(api: SensitiveApi, t: str, i: int) -> Arg:
    f = api.arg_filter if api.arg_filter.get("index") == i else {}
    if f.get("equals"):
        return Arg(t, "string", f["equals"][0])
    if f.get("uri_prefix"):
        return Arg(t, "uri", f["uri_prefix"][0] + "/" + TOKEN)
    if f.get("intent") and f.get("other_package"):
        return Arg(t, "intent", ("android.intent.action.MAIN", OTHER_PACKAGE))
    if f.get("other_package"):
        if t == "Landroid/content/pm/VersionedPackage;":
            return Arg(t, "versioned_package", OTHER_PACKAGE)
        return Arg(t, "string", OTHER_PACKAGE)
    if t in ("I", "S", "B", "C"):
        return Arg(t, "int", 42 if api.kind == "permission_request" else 0)
    simple = {"J": ("long", 0), "F": ("float", 0), "D": ("double", 0), "Z": ("bool", 0),
              "Ljava/lang/String;": ("string", TOKEN), "Landroid/content/Context;": ("context", None),
              "Landroid/app/Activity;": ("activity", None), "Landroid/content/ContentResolver;": ("resolver", None)}
    if t in simple:
        return Arg(t, *simple[t])
    if t in ("[Ljava/lang/String;", "Ljava/lang/Object;") and api.kind == "permission_request":
        return Arg(t, "strings", (PROBE_PERMISSION,))
    if t in LISTENERS:
        return Arg(t, "listener", NOOP)
    return Arg(t, "null")


def _receiver(api: SensitiveApi) -> tuple[str, str | None]:
    """(invoke kind, receiver) of a call of `api`."""
    if api.kind == "field":
        return "field", None
    if api.member == "<init>":
        return "direct", None
    if _static(api):
        return "static", None
    if api.match and api.arg_filter.get("index") == -1:
        if api.cls != "java.lang.ProcessBuilder":
            raise PlanError(f"{api.id}: a receiver-matched call on {api.cls}: the probe knows how to build "
                            "only a ProcessBuilder (add the case to sdkgate/calibration/plan.py)")
        return "virtual", "command"
    if not on_device(api.cls):
        return ("interface" if api.abstract else "virtual"), f"new:{stub_impl(api.cls) if api.abstract else api.cls}"
    if api.cls in RECEIVERS:
        return "virtual", RECEIVERS[api.cls]
    if api.cls.startswith("com.android."):          # a vendor's framework class (MIUI's IdProviderImpl)
        return "virtual", f"new:{api.cls}"
    raise PlanError(f"{api.id}: the probe does not know how to get an instance of {api.cls} (add it to "
                    "RECEIVERS in sdkgate/calibration/plan.py and to the probe's Receivers class)")


def stub_impl(cls: str) -> str:
    return f"{STUBS_PKG}.Impl_{class_name(cls)}"


# --- the plan ----------------------------------------------------------------------------------------------

def _call(api: SensitiveApi, n: int, *, suffix: str = "", target: SensitiveApi | None = None, text: str | None = None,
          method: str | None = None, process: str = "main", route: str = "direct") -> Call:
    desc = api.descriptors[n]
    params, _ret = split_descriptor(desc) if api.kind != "field" else ([], desc)
    invoke, receiver = _receiver(api)
    idx = api.arg_filter.get("index") if api.arg_filter else None
    args = [_value_arg(t, api.match, text, i) if api.match and idx == i else _arg(api, t, i)
            for i, t in enumerate(params)]
    if receiver == "command":
        args.insert(0, _value_arg("", "command", text, -1))
        filtered = args[0]
    else:
        filtered = args[idx] if idx is not None and 0 <= idx < len(args) else None
    expect = api.id
    if api.kind in ("method", "permission_request") and api.hookable:
        got, hit = first_entry(api, desc, filtered)
        same = got is not None and not api.arg_filter and got.category == api.category and api.category
        if (got is not api and not same) or (target is not None and hit is not target):
            raise PlanError(f"{api.id} {desc}: the probe's argument {arg_texts(filtered)} would count for "
                            f"{got.id if got else 'no row'}{f' / {hit.id}' if hit else ''}, not for this row")
        expect = got.id   # rows sharing one hook without a filter: the agent names the first (same category)
    mid = method or f"{ROWS_PKG}.{class_name(api.id)}.o{n}"
    return Call(id=f"{api.id}#{n}{suffix}", row=api.id, expect=expect, target=target.id if target else None, overload=n,
                descriptor=desc, cls=api.cls, member=api.member, invoke=invoke, receiver=receiver,
                args=tuple(args), process=process, route=route, method=mid)


def _table_sha() -> str:
    from importlib import resources  # noqa: PLC0415
    return hashlib.sha256(resources.files("sdkgate.data").joinpath("sensitive_apis.yaml").read_bytes()).hexdigest()


def build_plan() -> Plan:
    """The probe plan of the table as it is now (raises PlanError for a row it cannot call)."""
    table = apis()
    calls: list[Call] = []
    rows: list[dict] = []
    targets_of: dict[str, list[SensitiveApi]] = {}
    for a in table:
        if a.is_target:
            targets_of.setdefault(a.kind, []).append(a)
    callers: dict[str, list[SensitiveApi]] = {}
    for a in table:
        if a.match and a.kind == "method":
            callers.setdefault(a.match, []).append(a)
    for a in table:
        row = {"id": a.id, "kind": a.kind, "category": a.category, "class": a.cls, "member": a.member,
               "hookable": a.hookable, "match": a.match}
        rows.append(row)
        if a.kind == "native" or (a.is_target and not callers.get(a.kind)):
            row["probed"], row["why"] = False, NOT_PROBED_WHY
            continue
        row["probed"] = True
        if a.is_target:
            calls.append(_target_call(a, callers[a.kind]))
            continue
        for n in range(len(a.descriptors)):
            if a.match:
                calls.append(_matched_call(a, n, targets_of.get(a.match, [])))
            else:
                calls.append(_call(a, n))
        if a.id == "sysprop.get":        # properties are also read through reflection, as SDKs do
            t = targets_of["property"][0]
            calls.append(_call(a, 0, suffix="~reflection", target=t, text=concrete(t), route="reflection",
                               method=f"{ROWS_PKG}.{class_name(a.id)}.r0"))
    calls += _probe_process_calls(table)
    for loader, (rid, cls) in PAYLOADS.items():
        api = next((x for x in table if x.id == rid), None)
        if api is None or not api.hookable or _receiver(api)[0] != "static":
            raise PlanError(f"the loaded-code payload reads {rid}: it must be a hookable static row of the table")
        calls.append(_call(api, 0, suffix=f"~{loader}", route=f"loaded:{loader}", method=f"{LOADED_PKG}.{cls}.run"))
    ids = [c.id for c in calls]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    names = {}
    for a in table:
        other = names.setdefault(class_name(a.id), a.id)
        if other != a.id:
            raise PlanError(f"{a.id} and {other} give the same probe class name {class_name(a.id)}")
    if dup:
        raise PlanError(f"duplicate probe calls: {', '.join(dup)}")
    return Plan(_table_sha(), calls, rows, CHECKS, _stubs(table))


def _matched_call(a: SensitiveApi, n: int, targets: list[SensitiveApi]) -> Call:
    """Overload n of a matched call, with the first target of its kind that this row (not an earlier entry of
    the same hook) records."""
    problems = []
    for t in targets:
        try:
            return _call(a, n, target=t, text=concrete(t))
        except PlanError as exc:
            problems.append(str(exc))
    raise PlanError(f"{a.id} overload {n}: no {a.match} target makes it count ({'; '.join(problems[:3])})")


def _target_call(t: SensitiveApi, callers: list[SensitiveApi]) -> Call:
    """One read of a target through the first Java call row of its kind that records it."""
    text = concrete(t)
    for a in callers:
        for n in range(len(a.descriptors)):
            try:
                return _call(a, n, suffix=f"@{t.id}", target=t, text=text,
                             method=f"{ROWS_PKG}.{class_name(t.id)}.t{n}")
            except PlanError:
                continue
    raise PlanError(f"{t.id}: no Java call row of kind {t.kind} records {text!r} for it")


def _probe_process_calls(table) -> list[Call]:
    """The `:probe` process: the first plain call of each category (no activity there, no permission request)."""
    out, seen = [], set()
    for a in table:
        if a.kind != "method" or not a.hookable or a.match or a.category in seen or a.category is None:
            continue
        c = _call(a, 0, suffix="@probe", process="probe")
        if any(x.kind == "activity" for x in c.args) or c.receiver == "activity":
            continue
        seen.add(a.category)
        out.append(c)
    return out


def _stubs(table) -> dict[str, dict]:
    """Library classes the probe ships (an app gets them from its SDKs): class -> {interface, methods}."""
    out: dict[str, dict] = {}
    for a in table:
        if a.kind not in ("method", "permission_request") or on_device(a.cls):
            continue
        s = out.setdefault(a.cls, {"interface": a.abstract, "methods": []})
        for d in a.descriptors:
            m = {"name": a.member, "descriptor": d, "static": _static(a)}
            if m not in s["methods"]:
                s["methods"].append(m)
        for d in a.descriptors:
            params, ret = split_descriptor(d)
            for t in params + [ret]:
                t = t.lstrip("[")
                if t.startswith("L") and not on_device(t[1:-1].replace("/", ".")):
                    out.setdefault(t[1:-1].replace("/", "."), {"interface": False, "methods": []})
    return out


CHECKS = [
    {"id": "process.probe", "what": f"the `:probe` process ({PROBE_PROCESS}) was instrumented: its calls fired there",
     "category": "secondary processes"},
    {"id": "loaded.dex", "what": "code loaded with DexClassLoader was kept and its read fired", "category": "loaded code"},
    {"id": "loaded.inmemory", "what": "code loaded with InMemoryDexClassLoader was kept and its read fired",
     "category": "loaded code"},
    {"id": "socket.http_proxy", "what": "HTTP through the system proxy: the socket seen by the agent, the request by "
     "the proxy", "category": "network sockets"},
    {"id": "socket.tcp", "what": "a plain TCP connection seen by the agent", "category": "network sockets"},
    {"id": "socket.udp", "what": "a UDP datagram seen by the agent", "category": "network sockets"},
    {"id": "socket.dns", "what": "a DNS query (UDP port 53) seen by the agent", "category": "network sockets"},
    {"id": "tap.ui", "what": "the user's tap on the consent control came out `ui_tap`", "category": "consent taps"},
    {"id": "tap.programmatic", "what": "the app's own click on the consent control came out `programmatic`",
     "category": "consent taps"},
]
