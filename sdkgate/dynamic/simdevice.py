"""What the simulated phone returns for a table API (DeviceModel: fresh realistic values, never the run's
canaries) and which table entries are static (no `this`)."""
from __future__ import annotations

from typing import Any

from ..apitable import SensitiveApi, apis, split_descriptor
from ..canaries import generate
from .simwire import _mac_bytes, frida_type, obj, uri

# static methods among the table's entries (the device model needs to know what `this` is)
STATIC_APIS = frozenset({
    "settings.secure.getString", "settings.system.getString", "build.getSerial",
    "perm.activitycompat.requestPermissions", "perm.supportcompat.requestPermissions", "camera.open",
    "gms.adid.getAdvertisingIdInfo", "hms.adid.getAdvertisingIdInfo",
})
# classes whose table methods are all static (side-channel rows, issue 11)
STATIC_CLASSES = frozenset({"android.os.SystemProperties", "java.nio.file.Files", "android.provider.Settings$System",
                            "android.provider.Settings$Global", "android.provider.Settings$Secure"})


class DeviceModel:
    """What the simulated phone really returns (fresh, realistic values, never the run's canaries)."""

    def __init__(self, values: dict[str, str] | None = None, installed: tuple[str, ...] | None = None, api: int = 35):
        self.values = values or generate()
        self.installed = installed or ("com.tencent.mm", "com.eg.android.AlipayGphone", "com.ss.android.ugc.aweme")
        self.api = api                  # Android API level: which overloads and bionic symbols exist (api_levels)

    def ret(self, api: SensitiveApi, ret_desc: str) -> Any:
        v, cat = self.values, api.category or ""
        if ret_desc == "V":
            return None
        if ret_desc == "Z":
            return True
        if ret_desc == "I":
            return 0x6401A8C0 if cat == "network.ip" else 0
        if ret_desc == "Ljava/lang/String;":
            if cat in v:
                return v[cat]
            if cat == "network.carrier":
                return "46000"
            if api.member == "getSSID":
                return '"recruit-office"'
            if api.member == "getBSSID":
                return "3c:46:d8:12:34:56"
            return "sim-value"
        if ret_desc == "Ljava/lang/CharSequence;":
            return v.get("clipboard", "")
        if ret_desc == "[B":
            return {"$array": "byte", "items": _mac_bytes(v["device_id.mac"])}
        if ret_desc == "Landroid/content/ClipData;":
            item = obj("android.content.ClipData$Item", {"text": v["clipboard"]})
            return obj("android.content.ClipData", {"label": "text", "items": [item]})
        if ret_desc == "Landroid/location/Location;":
            lat, lon = (float(x) for x in v["location"].split(","))
            return obj("android.location.Location", {"provider": "gps", "latitude": lat, "longitude": lon})
        if ret_desc == "Ljava/util/List;":
            if cat == "installed_apps" and api.member == "getInstalledApplications":
                return {"$list": [obj("android.content.pm.ApplicationInfo", {"packageName": p}) for p in self.installed]}
            if cat == "installed_apps":
                return {"$list": [obj("android.content.pm.PackageInfo", {"packageName": p}) for p in self.installed]}
            return {"$list": []}
        if ret_desc.startswith("["):
            return []
        return obj(frida_type(ret_desc))

    def args(self, api: SensitiveApi, params: list[str], package: str) -> list:
        out: list = []
        for i, p in enumerate(params):
            f = api.arg_filter if api.arg_filter.get("index") == i else {}
            if f.get("equals"):
                out.append(f["equals"][0])
            elif f.get("uri_prefix"):
                out.append(uri(f["uri_prefix"][0] + "/1"))
            elif f.get("other_package") and f.get("intent"):
                out.append(obj("android.content.Intent", returns={"getPackage": self.installed[0]}))
            elif f.get("other_package"):
                out.append(self.installed[0])
            elif p == "Ljava/lang/String;":
                out.append("gps" if api.category == "location" else "0")
            elif p in ("I", "J", "S", "B"):
                out.append(0)
            elif p in ("F", "D"):
                out.append(0.0)
            elif p == "Z":
                out.append(False)
            elif p.startswith("["):
                out.append([])
            elif p == "Landroid/net/Uri;":
                out.append(uri("content://settings/system"))
            else:
                out.append(obj(frida_type(p)))
        return out


def _overload_levels() -> dict[str, int]:
    """"cls|member|frida types" -> first API level, for the overloads the table says are not on every level."""
    out: dict[str, int] = {}
    for a in apis():
        if a.kind not in ("method", "permission_request"):
            continue
        for d in a.descriptors:
            if a.api_level(d) > 1:
                member = "$init" if a.member == "<init>" else a.member
                out[f"{a.hook_cls}|{member}|{','.join(frida_type(t) for t in split_descriptor(d)[0])}"] = a.api_level(d)
    return out
