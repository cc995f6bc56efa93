"""SG201-SG205: which SDKs are there, what their code can reach, what runs at process start."""
from __future__ import annotations

from ..catalogue import FIRST_PARTY, UNKNOWN, default_catalogue
from ..events import Event
from ..report import CallSite, SdkEntry
from .findings import short_method
from .reads import declared_category
from .state import RunState
from ..i18n import N_, Msg, attach, attach_all, msg

CALL_SITE_CAP = 100_000
STACK_LOOKS = 8          # stacks per SDK read for its package prefixes (bounded work per event)


MAX_SDKS = 1000
WHERE_RUN_TIME, WHERE_TRAFFIC = N_("at run time"), N_("in traffic")     # "found {where}" (SG201)


class InventoryRules:
    def __init__(self):
        self.sdks: dict[str, SdkEntry] = {}
        self.call_sites: list[CallSite] = []
        self.scanned = False
        self.app: dict = {}
        self._stack_looks: dict[str, int] = {}
        self.libraries: dict[str, int] = {}      # platform / library rows found (scan event): the app's code

    # --- static events --------------------------------------------------------------------
    def scan(self, ev: Event, st: RunState):
        self.scanned = True
        pkg, m = ev.get("package"), st.manifest
        allowed = ev.get("package_mismatch_allowed")
        if allowed:
            st.skipped.append(attach(allowed, ev.get("package_mismatch_allowed_msg")) if isinstance(allowed, str)
                              else str(allowed)[:300])
        elif m and pkg and pkg != m.package:
            st.incomplete_reason(msg("the APK is {apk} but the manifest declares {manifest}: its declarations cannot judge "
                                     "this app", apk=pkg, manifest=m.package), ev, kind="package-mismatch")
        for k in ("package", "version_name", "sha256"):
            if ev.get(k):
                self.app[k] = ev.get(k)
        libs = ev.get("libraries")
        if isinstance(libs, dict):
            self.libraries.update({str(k): v for k, v in list(libs.items())[:1000]})
        bounds = ev.get("bounds")
        if bounds:
            if isinstance(bounds, list):
                shown = attach_all([b if isinstance(b, str) else str(b) for b in bounds[:20]], ev.get("bounds_msgs"))
            else:
                shown = str(bounds)[:1000]
            st.skipped.append(msg("static analysis bound hit: {bounds}", bounds=shown))

    def sdk_present(self, ev: Event, st: RunState):
        actor = ev.actor or "unknown"
        entry = self._entry(actor, st)
        for p in ev.get("packages") or []:
            if p not in entry.packages:
                entry.packages.append(p)
        if ev.get("class_count") is not None:
            entry.class_count = (entry.class_count or 0) + int(ev.get("class_count"))
        for kind in ("components", "meta_data", "native_libs", "permissions", "jni", "assets"):
            got = getattr(entry, kind)
            got += [v for v in ev.get(kind) or [] if v not in got]
        # the evidence that found it, for the auditor (an obfuscated SDK is found by its manifest or libraries)
        shown = [f"{k}: {(ev.get(k) or [])[0]}" for k in ("packages", "components", "meta_data", "native_libs",
                                                          "permissions", "jni", "assets") if ev.get(k)]
        self._undeclared(ev, st, actor, _where(ev), ref="; ".join(shown[:3]))

    def call_site(self, ev: Event, st: RunState):
        actor = ev.actor or "unknown"
        if ev.get("unresolved_uri"):     # issue 11: an unnamed provider query is a finding, not a statistic
            caller = ev.get("caller") or ""
            via = _via(ev)
            st.sink.add("SG206", ev, actor=actor, category=None, key=caller, summary=caller, ref=caller,
                        detail={"caller": caller, "api": ev.api, **({"via": via} if via else {})})
            return
        if len(self.call_sites) < CALL_SITE_CAP:
            self.call_sites.append(CallSite(ev.category or "", ev.api or "", ev.get("caller") or "", actor,
                                            ev.get("origin"), _via(ev)))
        elif "call sites truncated" not in " ".join(st.skipped):
            st.skipped.append(msg("call sites truncated at {n}", n=CALL_SITE_CAP))
        if st.is_sdk(actor):
            self._entry(actor, st)
            self._undeclared(ev, st, actor, _where(ev))
        if ev.category:
            declared_category(ev, st, actor, ev.category, severity="warning", ref=ev.get("caller") or "")

    def component(self, ev: Event, st: RunState):
        actor = ev.actor or "unknown"
        if not st.is_sdk(actor):
            return
        name = ev.get("name") or ""
        st.sink.add("SG204", ev, actor=actor, category=None, key=name,
                    summary=f"{ev.get('component_type', 'component')} {name}", ref=name,
                    detail={"component": name, "component_type": ev.get("component_type"),
                            "reason": attach(ev.get("reason"), ev.get("reason_msg"))})

    def path(self, ev: Event, st: RunState):
        chain = ev.get("chain") or []
        target = ev.get("target") or (chain[-1] if chain else "")
        shown = (chain[-3:] + [target]) if chain and chain[-1] != target else chain[-4:] or [target]
        via = _via(ev)
        summary = " → ".join(short_method(m) for m in shown)
        if via:
            summary = msg("{chain} (via {library})", chain=summary, library=via)
        detail = {"chain": chain, "target": target, **({"via": via} if via else {})}
        if ev.get("entry_kind"):
            detail.update(entry_kind=ev.get("entry_kind"), hops=ev.get("hops"))
        severity, key = None, target
        if ev.get("gate") == "permission":      # only a runtime-permission check guards it: a warning naming the check
            check = str(ev.get("permission_check") or "")
            detail.update(permission=ev.get("permission"), permission_check=check)
            summary = msg("{chain}; guarded only by the permission check {check} ({permission})", chain=summary,
                          check=short_method(check), permission=str(ev.get('permission')))
            severity, key = "warning", f"{target} (permission check)"     # never folded into a violation's finding
        st.sink.add("SG205", ev, actor=ev.actor or "unknown", category=ev.category, key=key,
                    summary=summary, ref=target, detail=detail, severity=severity)

    # --- dynamic and network events ---------------------------------------------------------
    def read(self, ev: Event, st: RunState):
        self._seen(ev, st, WHERE_RUN_TIME)

    def code_loaded(self, ev: Event, st: RunState):
        self._seen(ev, st, N_("loading code at run time"))

    def send(self, ev: Event, st: RunState):
        self._seen(ev, st, WHERE_TRAFFIC)

    def flow(self, ev: Event, st: RunState):
        self._seen(ev, st, WHERE_TRAFFIC)

    def _seen(self, ev, st, where):
        actor = ev.actor or "unknown"
        if actor not in _NOT_SDK:               # st.is_sdk, inline: every read and send comes here
            entry = self.sdks.get(actor)
            if entry is None and len(self.sdks) < MAX_SDKS:     # beyond the cap an entry would not be kept
                entry = self._entry(actor, st)
            m = st.manifest
            if m is not None and actor not in m.sdks and not st.sink.hit(("SG201", actor, None, "", ev.extra.get("process"))):
                st.sink.add("SG201", ev, actor=actor, category=None, summary=lambda: msg("found {where}", where=Msg(where)),
                            ref=ev.api or ev.extra.get("host") or "")
            if ev.stack and actor in self.sdks and self._stack_looks.get(actor, 0) < STACK_LOOKS:
                self._stack_looks[actor] = self._stack_looks.get(actor, 0) + 1
                self._packages_from_stack(ev.stack, actor, entry, st)

    @staticmethod
    def _packages_from_stack(stack: list[str], actor: str, entry: SdkEntry, st: RunState):
        """The package prefixes that attributed a run-time stack to this SDK (as static reports them)."""
        cat = st.manifest.catalogue() if st.manifest else default_catalogue()
        for frame in stack:
            cls = frame.split("(", 1)[0].rsplit(".", 1)[0]
            hit = cat.match_prefix(cls)
            if hit and hit[0] == actor and hit[1] not in entry.packages:
                entry.packages.append(hit[1])

    # --- helpers --------------------------------------------------------------------------
    def _entry(self, actor: str, st: RunState) -> SdkEntry:
        e = self.sdks.get(actor)
        if e is None:
            m = st.manifest
            cat = m.catalogue() if m else None
            sdk = cat.sdks.get(actor) if cat else None
            if sdk is None:
                sdk = default_catalogue().sdks.get(actor)
            e = SdkEntry(id=actor, name=sdk.name if sdk else actor,
                         declared=bool(m and actor in m.sdks),
                         vendor=sdk.vendor if sdk else "", kind=sdk.kind if sdk else "",
                         purpose=sdk.purpose if sdk else "")
            if len(self.sdks) < MAX_SDKS:      # a hostile log naming endless actors stays bounded
                self.sdks[actor] = e
        return e

    def _undeclared(self, ev, st: RunState, actor: str, where: str, ref: str = ""):
        m = st.manifest
        if m is None or not st.is_sdk(actor) or actor in m.sdks:
            return
        st.sink.add("SG201", ev, actor=actor, category=None, summary=lambda: msg("found {where}", where=Msg(where)),
                    ref=ev.api or ev.extra.get("host") or ref)

    def finish(self, st: RunState):
        m = st.manifest
        if m is None:
            st.skipped.append(msg("no manifest: declaration rules (SG2xx, SG3xx, SG404) not judged"))
            return
        if not self.scanned:
            st.skipped.append(msg("SG203 needs a static scan of the APK"))
            return
        for sid in m.sdks:
            if sid in self.libraries:            # declared, present, and acting for the app: not an SDK to find
                st.skipped.append(msg("SG203: {sdk} is declared as an SDK but the catalogue knows it as platform or "
                                      "library code: its code is judged as the app's", sdk=sid))
                continue
            if sid not in self.sdks:
                st.sink.add("SG203", None, actor=sid, category=None, summary=lambda: msg("declared but not in the APK"))


def _via(ev: Event) -> str | None:
    """The platform / library code (catalogue row) a first-party call or read is made in (issue 20)."""
    lib = ev.get("library")
    return lib[:100] if isinstance(lib, str) and lib else None


_NOT_SDK = frozenset({FIRST_PARTY, UNKNOWN})


def _where(ev: Event) -> str:
    """Static evidence comes from the APK or from code the app loaded at run time (dynamic/loaded.py)."""
    return N_("in code loaded at run time") if ev.get("origin") == "runtime_loaded" else N_("in the APK")

