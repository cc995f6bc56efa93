"""The probe plan as an app model (dynamic/appmodel.py), so the simulated device plays what the probe does on a
phone: every call from its own probe method (the same frames), on a timer as the probe's schedule runs on the
main looper, the `:probe` subset in that process, the two loaded payloads, the sockets, and the app's own click
on the consent control. `sdkgate calibrate --simulated` plays it; tests/calibration checks it calibrates to 100%.
"""
from __future__ import annotations

import yaml

from .plan import NOOP, PACKAGE, Arg, Call, Plan

SCHEDULE = ["com.sdkgate.probe.rows.Calls.run(Calls.java:1)", "com.sdkgate.probe.Schedule.run(Schedule.java:1)"]
FINISH = ["com.sdkgate.probe.Loaders.run(Loaders.java:1)", "com.sdkgate.probe.Schedule.finish(Schedule.java:1)",
          "com.sdkgate.probe.Schedule.run(Schedule.java:1)"]
LOADER = {"dex": "com.sdkgate.probe.Loaders.dex(Loaders.java:1)",
          "inmemory": "com.sdkgate.probe.Loaders.inMemory(Loaders.java:1)"}
PAYLOAD_FILES = {"dex": "probe-dex.dex", "inmemory": "probe-inmemory.dex"}
SOCKET_HOST = "probe.sdkgate.invalid"
SOCKETS = {
    "http": {"host": SOCKET_HOST, "scheme": "http", "path": "/calibration", "method": "GET", "encoding": "query"},
    "tcp": {"host": SOCKET_HOST, "transport": "tcp", "proxy": False, "port": 7070},
    "udp": {"host": SOCKET_HOST, "transport": "udp", "port": 7071},
    "dns": {"host": SOCKET_HOST, "transport": "dns", "proxy": False},
}


def frame(method: str) -> str:
    cls = method.rsplit(".", 1)[0]
    return f"{method}({cls.rsplit('.', 1)[-1].split('$')[0]}.java:1)"


def _obj(cls: str, **returns) -> dict:
    return {"$obj": cls, "returns": returns} if returns else {"$obj": cls}


def wire(a: Arg):
    """An argument as the simulated device passes it (hooks/sim-bridge wire objects)."""
    k, v = a.kind, a.value
    if k == "null":
        return None
    if k in ("int", "long"):
        return int(v)
    if k in ("float", "double"):
        return 0.0
    if k == "bool":
        return False
    if k in ("string", "uri"):
        return v
    if k == "strings":
        return list(v)
    if k in ("file", "nio_path"):
        return _obj("java.io.File" if k == "file" else "sun.nio.fs.UnixPath", toString=v, getPath=v)
    if k == "intent":
        return _obj("android.content.Intent", getAction=v[0], getPackage=v[1])
    if k == "versioned_package":
        return _obj("android.content.pm.VersionedPackage", toString=f"VersionedPackage[{v}/0]")
    if k == "context":
        return _obj("android.app.ContextImpl")
    if k == "activity":
        return _obj(f"{PACKAGE}.MainActivity")
    if k == "resolver":
        return _obj("android.app.ContextImpl$ApplicationContentResolver")
    if k == "listener":
        return _obj(NOOP)
    raise ValueError(f"unknown argument kind {k}")


def _action(c: Call, plan_rows: dict) -> dict:
    frames = [frame(c.method)]
    if c.route.startswith("loaded:"):
        loader = c.route.split(":", 1)[1]
        frames += ["java.lang.reflect.Method.invoke(Native Method)",
                   "com.sdkgate.probe.Loaders.runPayload(Loaders.java:1)", LOADER[loader], *FINISH]
    elif c.route == "reflection":
        frames = ["java.lang.reflect.Method.invoke(Native Method)", frame(c.method), *SCHEDULE]
    else:
        frames += SCHEDULE
    act: dict = {}
    if plan_rows[c.row]["kind"] == "permission_request":
        perms = next(list(a.value) for a in c.args if a.kind == "strings")
        act = {"request_permission": perms, "api": c.row}
    else:
        args = list(c.args)
        if c.receiver == "command":
            act["this"] = _obj("java.lang.ProcessBuilder", command={"$list": list(args[0].value)})
            args = args[1:]
        act = {"read": c.row, **({"overload": c.overload} if c.overload else {}),
               **({"args": [wire(a) for a in args]} if args else {}), **act}
        if c.invoke == "interface" and c.receiver.startswith("new:"):
            act["impl"] = c.receiver[len("new:"):]        # the probe's stub implementation: ART dispatches there
    if c.process == "probe":
        act["process"] = ":probe"
    act["frames"] = frames
    return act


def model_dict(plan: Plan) -> dict:
    rows = {r["id"]: r for r in plan.rows}
    actions = []
    for c in plan.calls:
        if c.route.startswith("loaded:"):
            loader = c.route.split(":", 1)[1]
            actions.append({"load_code": {"file": PAYLOAD_FILES[loader], "loader": loader},
                            "frames": [LOADER[loader], *FINISH]})
        actions.append(_action(c, rows))
    for kind, spec in SOCKETS.items():
        actions.append({"send": dict(spec), "thread": "sdkgate-probe-net",
                        "frames": [f"com.sdkgate.probe.Sockets.{kind}(Sockets.java:1)",
                                   "com.sdkgate.probe.Sockets.run(Sockets.java:1)"]})
    click = ["com.sdkgate.probe.MainActivity.clicked(MainActivity.java:1)",
             "com.sdkgate.probe.MainActivity$Click.onClick(MainActivity.java:1)"]
    classes = {c.receiver[len("new:"):]: {"implements": [c.cls]} for c in plan.calls
               if c.invoke == "interface" and c.receiver.startswith("new:")}
    return {
        "schema": "sdkgate.appmodel/1",
        "description": "sdkgate calibration probe (GENERATED from sdkgate/data/sensitive_apis.yaml)",
        "app": {"package": PACKAGE, "application": "android.app.Application",
                "main_activity": f"{PACKAGE}.MainActivity", "consent_handler": f"{PACKAGE}.MainActivity"},
        "consent_gated": False,
        "device": {"api_level": 35},       # the newest level: every overload of the table exists there
        "processes": [":probe"],
        **({"classes": dict(sorted(classes.items()))} if classes else {}),
        "features": {"programmatic_consent": {"activity": f"{PACKAGE}.MainActivity$Click"}},
        "behaviour": {"feature": {"programmatic_consent": [{"click_consent": "accept", "frames": click}]}},
        "timers": [{"after": "100ms", "actions": actions}],
    }


def model_yaml(plan: Plan) -> str:
    head = ("# GENERATED by tools/build_probe.py from sdkgate/data/sensitive_apis.yaml (sdkgate/calibration/simmodel.py).\n"
            "# The calibration probe as an app model: the simulated device plays what the probe APK does on a phone.\n")
    return head + yaml.safe_dump(model_dict(plan), sort_keys=False, allow_unicode=True, width=120)
