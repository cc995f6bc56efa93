"""Who made a hooked call: attribute a Java stack to an SDK, the app itself, or unknown.

A stack is a list of "class.method(File:line)" strings, most recent frame first (frame 0 is usually
the hooked API itself). The rule, from issue 4 ("first frame outside the framework, JDK, Kotlin and
reflection layers, matched to the SDK catalogue by longest prefix; a call from an SDK into another
SDK is attributed to the caller at the top of the SDK part of the stack"):

1. Skip the API's own frames (leading frames of the hooked class) and every *layer* frame:
   framework/JDK/Kotlin/reflection/proxy/coroutine code (android.*, androidx.*, java.*, javax.*,
   kotlin.*, kotlinx.*, dalvik.*, libcore.*, sun.*, jdk.*, com.android.internal.*, org.json.*,
   org.apache.harmony.*, dynamic proxies `$ProxyN`, ...). The first frame left is the `caller`.
2. If the caller is first-party code (under the manifest's app packages) the actor is `first_party`.
3. Otherwise walk on, outward (towards older frames), through the *SDK part* of the stack: the
   contiguous run of non-first-party frames (layer frames in between are skipped, so reflection,
   proxies, executors and coroutines do not end the run). The run ends at the first first-party
   frame or at the bottom of the stack. The actor is the outermost catalogued SDK in that run: the
   SDK that called into the others is the one that made the call happen. `via` lists every SDK of
   the run, innermost first. E.g. App.onCreate -> Umeng -> MSA OAID SDK -> getOAID: actor umeng,
   via [msa, umeng]. A run without any catalogued SDK is `unknown`.
4. Platform and library code shipped in the APK (catalogue rows of kind platform / library: AndroidX,
   Kotlin, okhttp, glide ...) acts for whoever called it: its frames are walked past like layer frames,
   but remembered. A stack whose code is only such frames (and the app's) is the app's: actor
   `first_party`, `library` the package of the innermost such code (issue 20: TwilightManager reading the location for
   AppCompat's night mode is the app's read, never `unknown`). Unnamed code in the run still makes it
   `unknown`; an SDK in the run still makes it that SDK's.
Class attribution itself is always Catalogue.attribute_class (longest package prefix).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..catalogue import FIRST_PARTY, UNKNOWN, Catalogue, is_platform, is_shipped_platform

# dynamic proxies ($Proxy12, jdk.proxy1.$Proxy3) and reflection/lambda plumbing without a package
_PROXY_RE = re.compile(r"(?:^|\.)\$Proxy\d*$")


def frame_class(frame: str) -> tuple[str, str]:
    """`com.a.B$C.run(B.java:12)` -> (`com.a.B$C`, `run`)."""
    head = frame.split("(", 1)[0].strip()
    cls, _, meth = head.rpartition(".")
    return (cls, meth) if cls else (head, "")


def is_layer_class(cls: str) -> bool:
    return bool(is_platform(cls) or is_shipped_platform(cls) or _PROXY_RE.search(cls) or cls.startswith("$Proxy"))


@dataclass(frozen=True)
class Attribution:
    actor: str                      # SDK id, first_party or unknown
    caller: str | None              # first frame outside the layers (the code that made the call)
    via: tuple[str, ...] = field(default=())   # SDKs of the SDK part of the stack, innermost first
    library: str | None = None      # package of the platform / library code the first-party call was made in (rule 4)


class Attributor:
    """Attribute stacks for one run (one catalogue, the app's packages); results are cached per stack."""

    def __init__(self, catalogue: Catalogue, app_packages: tuple[str, ...] = ()):
        self.catalogue = catalogue
        self.app_packages = tuple(app_packages)
        self._cached = lru_cache(maxsize=8192)(self._attribute)
        self.loaded: dict[str, str] = {}       # class defined by a runtime loader -> the loader's actor

    def add_loaded(self, classes, actor: str) -> None:
        """Classes a runtime class loader defined: their frames belong to the loader's actor unless
        the catalogue knows their package (dynamic/loaded.py)."""
        for c in classes:
            self.loaded.setdefault(c, actor)
        self._cached.cache_clear()

    @classmethod
    def for_manifest(cls, manifest) -> "Attributor":
        if manifest is None:
            from ..catalogue import default_catalogue
            return cls(default_catalogue(), ())
        return cls(manifest.catalogue(), manifest.app_packages)

    def attribute(self, stack: list[str] | tuple[str, ...], api_class: str | None = None) -> Attribution:
        return self._cached(tuple(stack), api_class)

    def _attribute(self, stack: tuple[str, ...], api_class: str | None) -> Attribution:
        i = 0
        if api_class:
            while i < len(stack) and frame_class(stack[i])[0] == api_class:
                i += 1
        caller = None
        via: list[str] = []
        library = lib_frame = None         # the innermost platform / library code, and its first frame
        unnamed = False
        for frame in stack[i:]:
            cls, _ = frame_class(frame)
            if is_platform(cls) or _PROXY_RE.search(cls) or cls.startswith("$Proxy"):
                continue                    # the device's framework, reflection, proxies: never code of anyone's
            lib = self.catalogue.library_of(cls)
            if lib is None and is_shipped_platform(cls):
                continue
            if lib is not None:
                if library is None:
                    library, lib_frame = self.catalogue.via_of(cls), frame
                if caller is None and self.catalogue.sdks[lib].kind == "library":
                    caller = frame           # a library's frame is code that made the call, as before
                continue
            who = self.catalogue.attribute_class(cls, self.app_packages)
            if who == UNKNOWN and self.loaded:
                who = self.loaded.get(cls) or self.loaded.get(cls.split("$", 1)[0]) or UNKNOWN
            if caller is None:
                caller = frame
                if who == FIRST_PARTY:
                    return Attribution(FIRST_PARTY, caller, (), library)
            if who == FIRST_PARTY:
                break
            if who == UNKNOWN:
                unnamed = True
            elif not via or via[-1] != who:
                via.append(who)
        if via:
            return Attribution(via[-1], caller, tuple(via))
        if unnamed or (caller is None and library is None):
            return Attribution(UNKNOWN, caller, ())
        return Attribution(FIRST_PARTY, caller or lib_frame, (), library)


def attribute(stack: list[str], catalogue: Catalogue, app_packages: tuple[str, ...] = (),
              api_class: str | None = None) -> Attribution:
    """One-off attribution (use Attributor for many events)."""
    return Attributor(catalogue, app_packages).attribute(stack, api_class)
