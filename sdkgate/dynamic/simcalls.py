"""What the simulated app does besides calling table APIs (SimRuntime mixes these in): permission
requests and results, consent markers, real sockets and Java crypto sequences in the process (clicks
and input: simui.py)."""
from __future__ import annotations

from typing import Any

from ..apitable import by_id, split_descriptor
from ..errors import InputError
from .simdevice import STATIC_APIS
from .simwire import decode, frida_type, obj

PREFS_EDITOR = "android.app.SharedPreferencesImpl$EditorImpl"
PERMISSION_DISPATCH = ("android.app.Activity", "dispatchRequestPermissionsResult", ["int", "android.content.Intent"])
DEFAULT_ACTIVITY = "com.example.recruit.MainActivity"


class AppCalls:
    """Mixed into SimRuntime: needs `_invoke`, `_rpc`, `manifest`, `_app_class_defs`."""

    def request_permissions(self, permissions: list[str], stack: list[str], *,
                            api_id: str = "perm.activity.requestPermissions", request_code: int = 1,
                            thread: str = "main", sync: bool = True) -> None:
        api = by_id().get(api_id)
        if api is None or api.kind != "permission_request":
            raise InputError(None, f"api {api_id!r}", "not a permission_request entry of the table")
        params, _ = split_descriptor(api.descriptors[0])
        args: list = []
        for p in params:
            if p == "[Ljava/lang/String;":
                args.append(list(permissions))
            elif p == "I":
                args.append(request_code)
            elif p == "Ljava/lang/Object;":
                args.append(list(permissions) if len(permissions) != 1 else permissions[0])
            else:
                args.append(obj(DEFAULT_ACTIVITY if p == "Landroid/app/Activity;" else frida_type(p)))
        this = None if api_id in STATIC_APIS else obj(
            DEFAULT_ACTIVITY if api.cls == "android.app.Activity" else api.cls)
        req = {"cls": api.cls, "member": api.member, "types": [frida_type(p) for p in params], "self": this,
               "args": args, "ret": None, "stack": list(stack), "thread": thread}
        self._invoke(req, sync)

    def permission_result(self, results: dict[str, bool | str], *, request_code: int = 1,
                          stack: list[str] | None = None, sync: bool = True) -> None:
        """The user answered: the system delivers names + grant results to the activity."""
        names = list(results)
        grants = [0 if v is True or v == "granted" else -1 for v in results.values()]
        intent = obj("android.content.Intent", returns={
            "getStringArrayExtra": names, "getIntArrayExtra": {"$array": "int", "items": grants}})
        cls, member, types = PERMISSION_DISPATCH
        stack = stack or ["android.app.Activity.dispatchActivityResult(Activity.java:8382)",
                          "android.app.ActivityThread.deliverResults(ActivityThread.java:5384)",
                          "android.os.Looper.loop(Looper.java:288)",
                          "android.app.ActivityThread.main(ActivityThread.java:7872)"]
        req = {"cls": cls, "member": member, "types": types, "self": obj(DEFAULT_ACTIVITY),
               "args": [request_code, intent], "ret": None, "stack": stack, "thread": "main"}
        self._invoke(req, sync)

    def marker(self, marker, value: Any, stack: list[str] | None = None, *, thread: str = "main",
               sync: bool = True, store: str = "shared_prefs") -> None:
        """The app records a consent decision through a manifest marker (method call or prefs write).

        `value`: for method markers the boolean argument; for prefs markers the value written
        (None = the key is removed). `store`: where a key-value marker really goes (shared_prefs, or an
        app that keeps it in MMKV, a file of its own or Settings: calls the agent's marker hooks do not see)."""
        stack = stack or []
        if not marker.method and store != "shared_prefs":
            self._invoke(_stored(store, marker.prefs_key, value, stack, thread), sync)
            return
        if marker.method:
            cls, _, meth = marker.method.rpartition(".")
            types = self._app_class_defs().get(cls, {}).get(meth, [["boolean"]])[0]
            args = [value if t == "boolean" else obj(t) for t in types]
            req = {"cls": cls, "member": meth, "types": types, "self": obj(cls), "args": args, "ret": None,
                   "stack": stack, "thread": thread}
        else:
            file = (marker.prefs_file or "prefs") + ".xml"
            prefs = obj("android.app.SharedPreferencesImpl", {"mFile": obj("java.io.File", returns={"getName": file})})
            editor = obj(PREFS_EDITOR, {"this$0": prefs})
            if value is None:
                member, types, args = "remove", ["java.lang.String"], [marker.prefs_key]
            elif isinstance(value, bool):
                member, types, args = "putBoolean", ["java.lang.String", "boolean"], [marker.prefs_key, value]
            elif isinstance(value, int):
                member, types, args = "putInt", ["java.lang.String", "int"], [marker.prefs_key, value]
            else:
                member, types, args = "putString", ["java.lang.String", "java.lang.String"], [marker.prefs_key, str(value)]
            req = {"cls": PREFS_EDITOR, "member": member, "types": types, "self": editor, "args": args,
                   "ret": editor, "stack": stack, "thread": thread}
        self._invoke(req, sync)

    def marker_method(self, method: str, value: Any = True, stack: list[str] | None = None, *,
                      thread: str = "main", sync: bool = True) -> None:
        """The app calls its consent method marker `pkg.Class.method(value)`."""
        from ..manifest import Marker
        self.marker(Marker(scope="policy", method=method), value, stack, thread=thread, sync=sync)

    def marker_prefs(self, file: str | None, key: str, value: Any, stack: list[str] | None = None, *,
                     thread: str = "main", sync: bool = True) -> None:
        """The app writes SharedPreferences `file`/`key` = value (None removes the key)."""
        from ..manifest import Marker
        self.marker(Marker(scope="policy", prefs_file=file, prefs_key=key), value, stack, thread=thread, sync=sync)

    def net(self, ops: list[dict], stack: list[str], *, thread: str = "main", sync: bool = True) -> list[dict]:
        """Real libc socket calls inside the process (hooks/sim-bridge/netcrypto.js `simNet`):
        the agent's socket hooks see them. Returns one {value, errno} per op run."""
        return self._rpc("sim_net", {"ops": ops, "stack": list(stack), "thread": thread}, sync)

    def java_run(self, ops: list[dict], stack: list[str], *, thread: str = "main", sync: bool = True) -> list:
        """A sequence of Java calls (Cipher, MessageDigest, Base64 ...) through the hooked method table;
        the originals compute with the process's libcrypto. Returns the decoded results."""
        return [decode(x) for x in self._rpc("sim_run", {"ops": ops, "stack": list(stack), "thread": thread}, sync)]


def _stored(store: str, key: str, value: Any, stack: list[str], thread: str) -> dict:
    """The call that records `key` = `value` in MMKV, a file of the app's or Settings.System."""
    if store == "mmkv":
        t = "boolean" if isinstance(value, bool) else "int" if isinstance(value, int) else "java.lang.String"
        return {"cls": "com.tencent.mmkv.MMKV", "member": "encode", "types": ["java.lang.String", t],
                "self": obj("com.tencent.mmkv.MMKV"), "args": [key, value if value is not None else ""], "ret": True,
                "stack": stack, "thread": thread}
    if store == "file":
        data = f"{key}={value}\n".encode("utf-8")
        return {"cls": "java.io.FileOutputStream", "member": "write", "types": ["[B"],
                "self": obj("java.io.FileOutputStream", {"path": f"files/{key}"}),
                "args": [{"$array": "byte", "items": [b - 256 if b > 127 else b for b in data]}], "ret": None,
                "stack": stack, "thread": thread}
    return {"cls": "android.provider.Settings$System", "member": "putInt",
            "types": ["android.content.ContentResolver", "java.lang.String", "int"], "self": None,
            "args": [obj("android.content.ContentResolver"), key, 1 if value else 0], "ret": True,
            "stack": stack, "thread": thread}
