"""The APK's AndroidManifest.xml (binary XML, decoded with androguard's AXML parser): package,
permissions, and the components Android starts on its own (providers, startup initializers,
the Application class, receivers for system broadcasts, the launcher activity)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

ANDROID_NS = "{http://schemas.android.com/apk/res/android}"

# broadcasts the system sends without the user opening the app: a receiver for one of them runs
# the SDK's code at (or instead of) process start
AUTOSTART_ACTIONS = (
    "android.intent.action.BOOT_COMPLETED",
    "android.intent.action.LOCKED_BOOT_COMPLETED",
    "android.intent.action.QUICKBOOT_POWERON",
    "com.htc.intent.action.QUICKBOOT_POWERON",
    "android.intent.action.USER_PRESENT",
    "android.intent.action.USER_UNLOCKED",
    "android.net.conn.CONNECTIVITY_CHANGE",
    "android.net.wifi.STATE_CHANGE",
    "android.net.wifi.WIFI_STATE_CHANGED",
    "android.intent.action.MY_PACKAGE_REPLACED",
    "android.intent.action.PACKAGE_ADDED",
    "android.intent.action.PACKAGE_REMOVED",
    "android.intent.action.PACKAGE_REPLACED",
    "android.intent.action.ACTION_POWER_CONNECTED",
    "android.intent.action.ACTION_POWER_DISCONNECTED",
    "android.intent.action.TIME_SET",
    "android.intent.action.TIMEZONE_CHANGED",
    "android.intent.action.SCREEN_ON",
)
STARTUP_PROVIDER = "androidx.startup.InitializationProvider"


class ManifestXmlError(Exception):
    pass


@dataclass
class Component:
    kind: str                  # application | provider | receiver | activity | service
    name: str                  # fully qualified Java class name
    actions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()   # meta-data (name, value)
    process: str | None = None               # android:process (":name" private, "a.b" global)


@dataclass
class ApkManifest:
    package: str
    version_name: str
    version_code: str
    application: str | None
    permissions: list[tuple[str, str, str | None]] = field(default_factory=list)  # (name, tag, maxSdkVersion)
    components: list[Component] = field(default_factory=list)
    # read for the SDK signatures and split handling (static/signatures.py, static/bundles.py)
    app_meta: list[tuple[str, str]] = field(default_factory=list)      # <application><meta-data> (name, value)
    declared_permissions: list[str] = field(default_factory=list)      # <permission android:name>
    split: str | None = None                                           # <manifest split="..."> of a split APK
    split_required: bool = False                                       # isSplitRequired / requiredSplitTypes
    app_process: str | None = None                                     # <application android:process>

    def process_names(self) -> set[str]:
        """Every process the app declares, full names: ":push" -> "package:push"; a global name as it is."""
        raw = [self.app_process] + [c.process for c in self.components]
        return {self.package + p if p.startswith(":") else p for p in raw if p}

    def launcher_activities(self) -> list[str]:
        return [c.name for c in self.components if c.kind in ("activity", "activity-alias")
                and "android.intent.action.MAIN" in c.actions and "android.intent.category.LAUNCHER" in c.categories]


def _attr(el, name: str) -> str | None:
    v = el.get(ANDROID_NS + name)
    if v is None:
        v = el.get(name)
    return v


def _qualify(name: str | None, package: str) -> str | None:
    if not name:
        return None
    if name.startswith("."):
        return package + name
    if "." not in name:
        return f"{package}.{name}"
    return name


def parse_manifest_xml(raw: bytes) -> ApkManifest:
    """Decode the binary manifest; ManifestXmlError when it is not valid binary XML."""
    from androguard.core.axml import AXMLPrinter

    try:
        printer = AXMLPrinter(raw)
        root = printer.get_xml_obj() if printer.is_valid() else None
    except Exception as exc:  # androguard raises assorted errors on garbage
        raise ManifestXmlError(f"not valid binary XML ({type(exc).__name__}: {exc})") from None
    if root is None:
        raise ManifestXmlError("not valid binary XML")
    return manifest_from_root(root)


def manifest_from_root(root) -> ApkManifest:
    """The manifest facts from its element tree (binary XML via androguard, or aapt2 protobuf XML of an .aab)."""
    if root.tag != "manifest":
        raise ManifestXmlError(f"root element is <{root.tag}>, expected <manifest>")
    package = root.get("package") or ""
    m = ApkManifest(package=package, version_name=_attr(root, "versionName") or "",
                    version_code=_attr(root, "versionCode") or "", application=None)
    m.split = root.get("split") or None
    m.split_required = bool(root.get(ANDROID_NS + "requiredSplitTypes") or root.get("requiredSplitTypes"))
    for el in root:
        if el.tag == "permission" and _attr(el, "name"):
            m.declared_permissions.append(_attr(el, "name"))
        if el.tag in ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m"):
            name = _attr(el, "name")
            if name:
                m.permissions.append((name, el.tag, _attr(el, "maxSdkVersion")))
    app = root.find("application")
    if app is None:
        return m
    m.application = _qualify(_attr(app, "name"), package)
    m.split_required = m.split_required or str(_attr(app, "isSplitRequired")).lower() == "true"
    m.app_meta = [(_attr(x, "name") or "", _attr(x, "value") or "") for x in app.findall("meta-data")]
    m.app_process = _attr(app, "process")
    if m.application:
        m.components.append(Component("application", m.application, process=m.app_process))
    for el in app:
        if el.tag not in ("activity", "activity-alias", "provider", "receiver", "service"):
            continue
        name = _qualify(_attr(el, "targetActivity") if el.tag == "activity-alias" else _attr(el, "name"), package)
        if not name:
            continue
        actions, cats = [], []
        for f in el.findall("intent-filter"):
            actions += [a for a in (_attr(x, "name") for x in f.findall("action")) if a]
            cats += [c for c in (_attr(x, "name") for x in f.findall("category")) if c]
        meta = tuple((_attr(x, "name") or "", _attr(x, "value") or "") for x in el.findall("meta-data"))
        m.components.append(Component(el.tag, name, tuple(actions), tuple(cats), meta, _attr(el, "process")))
    return m


@lru_cache(maxsize=1)
def _permission_levels() -> dict[str, str]:
    from androguard.core.api_specific_resources import load_permissions

    for api in (34, 33, 31, 30, 29, 28):
        try:
            perms = load_permissions(api)
        except Exception:
            continue
        return {k: (v.get("protectionLevel") or "unknown") for k, v in perms.items()}
    return {}


def protection_level(permission: str) -> str:
    """The framework's protection level (androguard's permission data), `unknown` for others."""
    return _permission_levels().get(permission, "unknown")
