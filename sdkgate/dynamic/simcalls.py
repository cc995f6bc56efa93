"""What the simulated app does besides calling table APIs (SimRuntime mixes these in): permission
requests and results, consent markers, clicks on the consent controls, real sockets and Java crypto
sequences in the process."""
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
               sync: bool = True) -> None:
        """The app records a consent decision through a manifest marker (method call or prefs write).

        `value`: for method markers the boolean argument; for prefs markers the value written
        (None = the key is removed)."""
        stack = stack or []
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

    def click(self, transition: str, stack: list[str], *, thread: str = "main", sync: bool = True) -> None:
        """A click on the manifest's consent control for `transition` (granted|declined|withdrawn):
        View.performClick on a button with that control's resource id and text. `stack` says who
        clicked: the input system (a user's tap) or app code (a programmatic click)."""
        if self.manifest is None:
            raise InputError(None, "click", "a consent control click needs a manifest")
        c = self.manifest.consent
        rid, texts = {"granted": (c.accept_id, c.accept_text), "declined": (c.decline_id, c.decline_text),
                      "withdrawn": (None, c.withdraw_text)}[transition]
        entry = rid.rsplit("/", 1)[-1] if rid else None
        view = obj("android.widget.Button", returns={
            "getId": 0x7f0a0042 if entry else -1, "getText": texts[0] if texts else "",
            "getResources": obj("android.content.res.Resources", returns={"getResourceEntryName": entry})})
        req = {"cls": "android.view.View", "member": "performClick", "types": [], "self": view, "args": [],
               "ret": True, "stack": stack, "thread": thread}
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
