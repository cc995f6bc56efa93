"""The app model's types: the dataclasses a parsed model is made of and the words it accepts."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...catalogue import FIRST_PARTY
from ..netspec import NetSpec
from ..sideverbs import SIDE_VERBS

SCHEMA = "sdkgate.appmodel/1"
BLOCKS = ("launch", "foreground", "background", "consent_granted", "consent_declined", "consent_withdrawn")
VERBS = ("read", "send", "request_permission", "write_marker", "crash", "sleep", "click_consent", "start_process",
         "load_code", "fake_input", "user_input", "load_class") + SIDE_VERBS
MODIFIERS = ("by", "when", "scope", "if_granted", "thread", "frames", "repeat", "args", "respect_denial", "process",
             "frames_from_loaded", "impl", "jni", "store",
             "then", "note", "overload", "this", "api")
STORES = ("shared_prefs", "mmkv", "file", "settings")      # where write_marker records the decision
WHENS = ("always", "consented", "not_consented", "declined", "withdrawn", "refused")
VALUE_ENCODINGS = ("plain", "upper", "lower", "nosep", "md5-hex", "md5-hex-upper", "sha1-hex", "sha1-hex-upper",
                   "sha256-hex", "sha256-hex-upper", "base64", "base64url", "hex")
CONTAINERS = ("json", "gzip-json", "base64-json", "protobuf", "form", "query", "text", "multipart")


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
    headers: dict = field(default_factory=dict, hash=False, compare=False)   # name -> category id or literal
    transform: tuple[tuple[str, str], ...] = ()      # body transforms before the send: (step, argument)


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
    input: dict = field(default_factory=dict, hash=False, compare=False)  # fake_input / user_input (inputs.py)
    impl: str | None = None               # read of an interface row: the class the call dispatches to
    jni: dict = field(default_factory=dict, hash=False, compare=False)    # read called from native code (JNI)
    store: str = "shared_prefs"           # write_marker: where the app records the decision
    class_name: str = ""                  # load_class
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


@dataclass(frozen=True)
class DeviceSpec:
    """`device:` the simulated phone's API level and the accessibility services the user enabled."""
    api_level: int = 33
    accessibility: tuple[str, ...] = ()


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
    device: DeviceSpec = field(default_factory=DeviceSpec)
    ui: tuple[str, ...] = ()                     # UI toolkits the app ships (toolkits.py) besides Android views
    classes: dict[str, dict] = field(default_factory=dict)   # app/SDK classes for the runtime (classes.py)
