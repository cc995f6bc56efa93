"""The probe plan as smali: one class per table row (`com.sdkgate.probe.rows.<row>`, a method per call), the
dispatcher `Calls` the probe's schedule runs, the loaded-code payloads, the library classes the probe ships
(stubs.py) and the generated AndroidManifest.xml. The app shell (activity, schedule, ledger, sockets, loaders)
is hand-written smali in probe/src/; tools/build_probe.py writes these files to probe/generated/ and builds.

Each call method is `static oN(Context, Activity)V`: it gets the receiver (probe/src Receivers), builds the
arguments the plan names, makes the call and closes what it opened. Exceptions go up to the schedule, whose
ledger tells a call that ran (the API may throw: the hook saw it) from one the device does not have.
"""
from __future__ import annotations

import json

from .plan import LOADED_PKG, PACKAGE, PAYLOADS, PROBE_PROCESS, ROWS_PKG, Arg, Call, Plan
from .stubs import render_stubs

CTX, ACT = "Landroid/content/Context;", "Landroid/app/Activity;"
CALL_SIG = f"({CTX}{ACT})V"
RECEIVERS_CLS = "Lcom/sdkgate/probe/Receivers;"
# what the probe closes or releases after a call that returned it (nothing stays open or recording)
CLEANUP = {
    "Ljava/lang/Process;": "invoke-virtual {v0}, Ljava/lang/Process;->destroy()V",
    "Landroid/database/Cursor;": "invoke-interface {v0}, Landroid/database/Cursor;->close()V",
    "Landroid/content/ContentProviderClient;": "invoke-virtual {v0}, Landroid/content/ContentProviderClient;->release()Z",
    "Ljava/io/InputStream;": "invoke-interface {v0}, Ljava/io/Closeable;->close()V",
    "Ljava/io/BufferedReader;": "invoke-interface {v0}, Ljava/io/Closeable;->close()V",
    "Landroid/hardware/Camera;": "invoke-virtual {v0}, Landroid/hardware/Camera;->release()V",
}
MAX_LOCALS = 14          # p0/p1 stay below v16 (4-bit register operands)


def smali_type(java: str) -> str:
    return "L" + java.replace(".", "/") + ";"


def esc(s: str) -> str:
    return json.dumps(s, ensure_ascii=True)      # smali string literals take the JSON escapes


def _width(t: str) -> int:
    return 2 if t in ("J", "D") else 1


def _arg_lines(a: Arg, r: int, s1: int, s2: int) -> list[str]:
    """Instructions leaving argument `a` in register r (s1, s2: scratch registers)."""
    k, v = a.kind, a.value
    if k in ("null", "float", "bool"):
        return [f"const v{r}, 0x0"]
    if k == "int":
        return [f"const v{r}, {int(v):#x}"]
    if k in ("long", "double"):
        return [f"const-wide v{r}, {int(v):#x}"]
    if k == "string":
        return [f"const-string v{r}, {esc(v)}"]
    if k in ("strings", "command"):
        out = [f"const v{s1}, {len(v):#x}", f"new-array v{r}, v{s1}, [Ljava/lang/String;"]
        for i, x in enumerate(v):
            out += [f"const-string v{s2}, {esc(x)}", f"const v{s1}, {i:#x}", f"aput-object v{s2}, v{r}, v{s1}"]
        return out
    if k == "uri":
        return [f"const-string v{r}, {esc(v)}",
                f"invoke-static {{v{r}}}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;",
                f"move-result-object v{r}"]
    if k == "file":
        return [f"new-instance v{r}, Ljava/io/File;", f"const-string v{s1}, {esc(v)}",
                f"invoke-direct {{v{r}, v{s1}}}, Ljava/io/File;-><init>(Ljava/lang/String;)V"]
    if k == "nio_path":
        return [f"const-string v{s1}, {esc(v)}", f"const v{s2}, 0x0", f"new-array v{s2}, v{s2}, [Ljava/lang/String;",
                f"invoke-static {{v{s1}, v{s2}}}, Ljava/nio/file/Paths;->get(Ljava/lang/String;[Ljava/lang/String;)"
                "Ljava/nio/file/Path;", f"move-result-object v{r}"]
    if k == "intent":
        action, pkg = v
        out = [f"new-instance v{r}, Landroid/content/Intent;", f"const-string v{s1}, {esc(action)}",
               f"invoke-direct {{v{r}, v{s1}}}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V"]
        if pkg:
            out += [f"const-string v{s1}, {esc(pkg)}",
                    f"invoke-virtual {{v{r}, v{s1}}}, Landroid/content/Intent;->setPackage(Ljava/lang/String;)"
                    "Landroid/content/Intent;"]
        return out
    if k == "versioned_package":
        return [f"new-instance v{r}, Landroid/content/pm/VersionedPackage;", f"const-string v{s1}, {esc(v)}",
                f"const v{s2}, 0x0",
                f"invoke-direct {{v{r}, v{s1}, v{s2}}}, Landroid/content/pm/VersionedPackage;-><init>(Ljava/lang/String;I)V"]
    if k == "context":
        return [f"move-object/from16 v{r}, p0"]
    if k == "activity":
        return [f"move-object/from16 v{r}, p1"]
    if k == "resolver":
        return [f"invoke-virtual {{p0}}, {CTX}->getContentResolver()Landroid/content/ContentResolver;",
                f"move-result-object v{r}"]
    if k == "listener":
        cls = smali_type(v)
        return [f"new-instance v{r}, {cls}", f"invoke-direct {{v{r}}}, {cls}-><init>()V"]
    raise ValueError(f"unknown argument kind {k}")


def call_body(c: Call) -> list[str]:
    """The instructions of one call method (without .method/.end method)."""
    cls = smali_type(c.cls)
    if c.invoke == "field":
        return [".locals 1", f"sget-object v0, {cls}->{c.member}:{c.descriptor}", "return-void"]
    args = list(c.args)
    lines: list[str] = []
    regs = 0
    recv = None
    if c.receiver == "command":
        recv, args = args[0], args[1:]
    if c.invoke == "direct":
        lines.append(f"new-instance v0, {cls}")
        regs = 1
    elif c.invoke != "static":
        regs = 1
    arg_regs = []
    for a in args:
        arg_regs.append(regs)
        regs += _width(a.type)
    s1, s2 = regs, regs + 1
    locals_ = regs + 2
    if locals_ > MAX_LOCALS:
        raise ValueError(f"{c.id}: {locals_} registers, more than the probe's {MAX_LOCALS}")
    if c.receiver == "command":           # ProcessBuilder(String[] command): the receiver is what is matched
        lines += [f"new-instance v0, {cls}", *_arg_lines(Arg("[Ljava/lang/String;", "strings", recv.value), 1, 2, 3),
                  f"invoke-direct {{v0, v1}}, {cls}-><init>([Ljava/lang/String;)V"]
        locals_ = max(locals_, 4)
    elif c.receiver and c.receiver.startswith("new:"):
        impl = smali_type(c.receiver[4:])
        lines += [f"new-instance v0, {impl}", f"invoke-direct {{v0}}, {impl}-><init>()V"]
    elif c.receiver:
        lines += [f"invoke-static {{p0, p1}}, {RECEIVERS_CLS}->{c.receiver}{f'({CTX}{ACT})'}Ljava/lang/Object;",
                  "move-result-object v0", f"check-cast v0, {cls}"]
    for a, r in zip(args, arg_regs):
        lines += _arg_lines(a, r, s1, s2)
    member = c.member
    ref = f"{cls}->{member}{c.descriptor}"
    op = {"static": "invoke-static", "virtual": "invoke-virtual", "interface": "invoke-interface",
          "direct": "invoke-direct"}[c.invoke]
    lines.append(f"{op}/range {{v0 .. v{regs - 1}}}, {ref}" if regs else f"{op} {{}}, {ref}")
    ret = c.descriptor.rsplit(")", 1)[1]
    if c.invoke == "direct" and c.cls.startswith("java.io."):
        lines.append("invoke-interface {v0}, Ljava/io/Closeable;->close()V")
    elif ret in CLEANUP:
        lines += ["move-result-object v0", "if-eqz v0, :done", CLEANUP[ret], ":done"]
    lines.append("return-void")
    return [f".locals {locals_}"] + lines


def reflection_body(c: Call) -> list[str]:
    """SystemProperties.get(name) through reflection, as SDKs call the hidden API."""
    name = c.args[0].value
    return [".locals 6",
            f"const-string v0, {esc(c.cls)}",
            "invoke-static {v0}, Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;",
            "move-result-object v0", f"const-string v1, {esc(c.member)}",
            "const v2, 0x1", "new-array v2, v2, [Ljava/lang/Class;", "const-class v3, Ljava/lang/String;",
            "const v4, 0x0", "aput-object v3, v2, v4",
            "invoke-virtual {v0, v1, v2}, Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)"
            "Ljava/lang/reflect/Method;", "move-result-object v0",
            "const v2, 0x1", "new-array v2, v2, [Ljava/lang/Object;", f"const-string v3, {esc(name)}",
            "aput-object v3, v2, v4", "const v5, 0x0",
            "invoke-virtual {v0, v5, v2}, Ljava/lang/reflect/Method;->invoke(Ljava/lang/Object;[Ljava/lang/Object;)"
            "Ljava/lang/Object;", "return-void"]


def _method(name: str, body: list[str], sig: str = CALL_SIG) -> str:
    return "\n".join([f".method public static {name}{sig}", *("    " + x for x in body), ".end method", ""])


def _class(cls: str, methods: list[str], header: str) -> str:
    return "\n".join([f".class public final {smali_type(cls)}", ".super Ljava/lang/Object;", f"# {header}", "",
                      *methods])


def render(plan: Plan) -> dict[str, str]:
    """Every generated file: path under probe/generated/ -> text."""
    out: dict[str, str] = {}
    by_class: dict[str, list[str]] = {}
    payloads: dict[str, str] = {}
    for c in plan.calls:
        cls, name = c.method.rsplit(".", 1)
        if c.route.startswith("loaded:"):
            payloads[c.route.split(":", 1)[1]] = _class(
                cls, [_method(name, call_body(c))], f"GENERATED: code the probe loads at run time ({c.route}) "
                f"reads {c.row}")
            continue
        body = reflection_body(c) if c.route == "reflection" else call_body(c)
        meths = by_class.setdefault(cls, [])
        text = _method(name, body)
        if text not in meths:
            meths.append(text)
    for cls, meths in sorted(by_class.items()):
        out[f"smali/{cls.replace('.', '/')}.smali"] = _class(cls, meths, "GENERATED by tools/build_probe.py from "
                                                                     "sdkgate/data/sensitive_apis.yaml. Do not edit.")
    out[f"smali/{ROWS_PKG.replace('.', '/')}/Calls.smali"] = _dispatcher(plan.calls)
    for loader, text in payloads.items():
        cls = f"{LOADED_PKG}.{PAYLOADS[loader][1]}"
        out[f"payload-{loader}/{cls.replace('.', '/')}.smali"] = text
    for path, text in render_stubs(plan.stubs).items():
        out[f"smali/{path}"] = text
    out["AndroidManifest.xml"] = manifest_xml(plan)
    return out


def _dispatcher(calls: list[Call]) -> str:
    """Calls.ids(): every call id in schedule order; Calls.run(i, ctx, activity): call i."""
    runnable = [c for c in calls if not c.route.startswith("loaded:")]
    ids = [".locals 3", f"const v0, {len(runnable):#x}", "new-array v0, v0, [Ljava/lang/String;"]
    for i, c in enumerate(runnable):
        ids += [f"const-string v1, {esc(c.id)}", f"const v2, {i:#x}", "aput-object v1, v0, v2"]
    ids.append("return-object v0")
    run = [".locals 0", "packed-switch p0, :table", "return-void"]
    for i, c in enumerate(runnable):
        cls, name = c.method.rsplit(".", 1)
        run += [f":c{i}", f"invoke-static {{p1, p2}}, {smali_type(cls)}->{name}{CALL_SIG}", "return-void"]
    run += [":table", ".packed-switch 0x0", *(f"    :c{i}" for i in range(len(runnable))), ".end packed-switch"]
    return _class(f"{ROWS_PKG}.Calls", [_method("ids", ids, "()[Ljava/lang/String;"),
                                        _method("run", run, f"(I{CTX}{ACT})V")],
                  "GENERATED by tools/build_probe.py: the probe's calls in schedule order (`@probe`: the :probe process)")


def manifest_xml(plan: Plan) -> str:
    proc = PROBE_PROCESS.split(":", 1)[1]
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- GENERATED by tools/build_probe.py. The sdkgate calibration probe: it asks for no dangerous permission, so
     every sensitive call it makes fails (or returns nothing) on the phone, while the agent's hook sees it. -->
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="{PACKAGE}"
    android:versionCode="1" android:versionName="1-{plan.table_sha256[:12]}">
    <uses-sdk android:minSdkVersion="24" android:targetSdkVersion="33"/>
    <uses-permission android:name="android.permission.INTERNET"/>
    <application android:label="sdkgate probe" android:allowBackup="false" android:usesCleartextTraffic="true">
        <meta-data android:name="sdkgate.probe.table_sha256" android:value="{plan.table_sha256}"/>
        <activity android:name="{PACKAGE}.MainActivity" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.MAIN"/>
                <category android:name="android.intent.category.LAUNCHER"/>
            </intent-filter>
        </activity>
        <service android:name="{PACKAGE}.ProbeService" android:process=":{proc}" android:exported="false"/>
    </application>
</manifest>
"""
