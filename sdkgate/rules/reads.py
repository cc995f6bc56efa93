"""SG101-SG104 and the behavioural SG202: reads of personal data seen by the hooks."""
from __future__ import annotations

from functools import partial

from ..apitable import by_id
from ..catalogue import FIRST_PARTY, UNKNOWN
from ..events import Event
from ..taxonomy import categories, coverage
from .state import RunState
from ..consent import transition_word
from ..i18n import msg


def read_detail(ev: Event, st: RunState, actor: str) -> dict:
    """A read finding's detail (built only when a finding is made: the sink calls it lazily)."""
    detail = {"api": ev.api, "stack": ev.stack[:24], "thread": ev.extra.get("thread")}
    lib = ev.extra.get("library")
    if isinstance(lib, str) and lib:            # platform / library code reading for the app (issue 20)
        detail["via"] = lib[:100]
    if actor == UNKNOWN:       # judged like a third party (issue 9.2): say why nobody was named
        detail["unknown_why"] = unknown_why(ev.stack, st)
    return detail


class ReadRules:
    def __init__(self):
        self._last: dict[tuple, float] = {}
        self._immutable: dict[tuple, int] = {}
        self._probed: dict[tuple, set] = {}     # (rule, actor) -> packages probed (bounded)
        self._probe_rows: dict = {}             # api_id -> its table row when it probes packages, else None
        self._cats = categories()
        self._limits: tuple[float, int] | None = None   # (reads per second, immutable reads): the manifest's
        self._texts: tuple[str, ...] = ()
        self._featured: frozenset | None = None

    def read(self, ev: Event, st: RunState):
        cat = self._cats.get(ev.category or "")
        if cat is None:
            st.incomplete_reason(lambda: msg("hook event seq {seq} has unknown category {category}", seq=ev.seq,
                                             category=repr(ev.category)), ev, kind="unknown-category")
            return
        actor = ev.actor or "unknown"
        extra = ev.extra
        ref = ev.api or extra.get("api_id", "")
        proc = extra.get("process")          # findings and frequency count per process
        if cat.gated and not st.consented(actor):
            refused = st.refused(actor)
            m = st.manifest
            if refused and (actor != FIRST_PARTY or refused == "withdrawn" or (m and m.consent.browse_mode)):
                st.sink.add("SG103", ev, actor=actor, category=cat.id, summary=lambda: msg("after consent was {transition}",
                            transition=transition_word(refused)), ref=ref, detail=partial(read_detail, ev, st, actor))
            elif not refused:
                rid = "SG102" if actor == FIRST_PARTY else "SG101"
                api_id = extra.get("api_id")
                if self._probe_rows.get(api_id, True) is not None:     # probes packages (or not known yet)
                    f = st.sink.add(rid, ev, actor=actor, category=cat.id, summary=api_id or "", ref=ref,
                                    detail=partial(read_detail, ev, st, actor))
                    self._count_probe(ev, f, rid, actor)
                elif not st.sink.hit((rid, actor, cat.id, "", proc)):
                    st.sink.add(rid, ev, actor=actor, category=cat.id, summary=api_id or "", ref=ref,
                                detail=partial(read_detail, ev, st, actor))
        elif cat.gated:
            featured = self._featured
            if featured is None:                 # the SDK rows that name a feature (SG105), found once
                m = st.manifest
                featured = self._featured = frozenset(k for k, row in m.sdks.items() if row.feature) if m else frozenset()
            if actor in featured:
                self._feature_bound(ev, st, actor, cat.id, ref)
            if actor == UNKNOWN and st.manifest is not None:
                # consent covers the declared SDKs only: unnamed code collecting is an undeclared third party
                st.sink.add("SG201", ev, actor=UNKNOWN, category=None, key="run time",
                            summary=lambda: msg("unnamed code read personal data at run time"), ref=ref,
                            detail=partial(read_detail, ev, st, actor))
        self._frequency(ev, st, actor, cat, ref, proc)
        declared_category(ev, st, actor, cat.id, severity="violation", ref=ref)

    def _count_probe(self, ev: Event, f, rid: str, actor: str) -> None:
        """Package probing (rows with arg_filter.probe, issue 11): the finding counts the distinct other
        packages looked up (`probes`) and keeps the first 50 names (`probed`)."""
        api_id = ev.extra.get("api_id") or ""
        try:
            api = self._probe_rows[api_id]
        except (KeyError, TypeError):
            api = by_id().get(api_id) if api_id.__class__ is str else None
            if api is not None and not (api.arg_filter.get("probe") or api.arg_filter.get("other_package")):
                api = None
            if len(self._probe_rows) < 10_000 and api_id.__class__ is str:
                self._probe_rows[api_id] = api
        if api is None:
            return
        args = ev.get("args") or []
        idx = api.arg_filter.get("index", 0)
        pkg = args[idx] if isinstance(args, list) and 0 <= idx < len(args) and isinstance(args[idx], str) else None
        seen = self._probed.setdefault((rid, actor), set())
        if pkg is not None and len(seen) < 100000:
            seen.add(pkg)
        f.detail["probes"] = len(seen)
        f.detail["probed"] = sorted(seen)[:50]

    @staticmethod
    def _feature_bound(ev: Event, st: RunState, actor: str, category: str, ref: str):
        """SG105: an SDK whose row names a feature must stay idle until that feature is opened."""
        row = st.manifest.sdks.get(actor) if st.manifest else None
        if row is not None and row.feature and row.feature not in st.features_open:
            st.sink.add("SG105", ev, actor=actor, category=category,
                        summary=lambda: msg("before {feature} was opened", feature=row.feature), ref=ref,
                        detail=partial(read_detail, ev, st, actor))

    def _frequency(self, ev: Event, st: RunState, actor: str, cat, ref: str, proc):
        if self._limits is None:
            m = st.manifest
            rate, limit = (m.max_reads_per_second, m.max_immutable_reads) if m else (1.0, 3)
            self._limits = (1000.0 / rate if rate > 0 else None, limit)     # (shortest gap in ms, limit)
            self._texts = (msg("more than {rate} per second", rate=format(rate, "g")),
                           msg("immutable identifier read more than {n} times", n=limit))
        min_gap, limit = self._limits
        key = (proc, actor, ev.extra.get("api_id") or ev.api)
        t = ev.t_ms
        last = self._last
        prev = last.get(key)
        if prev is None and len(last) >= 50_000:   # endless distinct APIs: forget, stay flat
            last.clear()
        last[key] = t
        cid = cat.id
        if prev is not None and min_gap is not None and t - prev < min_gap and not st.sink.hit(("SG104", actor, cid, "rate", proc)):
            st.sink.add("SG104", ev, actor=actor, category=cid, key="rate", summary=self._texts[0], ref=ref)
        if cat.immutable:
            ikey = (proc, actor, cid)
            counts = self._immutable
            n = counts.get(ikey)
            if n is None and len(counts) >= 50_000:
                counts.clear()                 # endless distinct actors: forget, stay flat
            n = (n or 0) + 1
            counts[ikey] = n
            if n > limit and not st.sink.hit(("SG104", actor, cid, "immutable", proc)):
                st.sink.add("SG104", ev, actor=actor, category=cid, key="immutable", summary=self._texts[1], ref=ref)


def declared_category(ev: Event, st: RunState, actor: str, category: str, severity: str, ref: str = ""):
    """SG202: a declared SDK handling a category its row does not list."""
    m = st.manifest
    if not m or not st.is_sdk(actor):
        return
    memo = st.undeclared
    bad = memo.get((actor, category))
    if bad is None:
        row = m.sdks.get(actor)
        # a generic declaration ("device_id") covers its children; the audit table says it was only generic
        bad = row is not None and coverage(row.categories, category) is None
        if len(memo) < 10_000:                  # endless actors or categories in a hostile log: stay flat
            memo[(actor, category)] = bad
    if bad:
        st.sink.add("SG202", ev, actor=actor, category=category, severity=severity,
                    key=severity, summary=lambda: msg("not in its declared data types"), ref=ref)


def unknown_why(stack: list[str], st: RunState) -> str:
    """Why a run-time stack named no actor: the reader of the finding needs the frames and the reason."""
    from ..dynamic.attribution import frame_class, is_layer_class  # noqa: PLC0415 - one definition of a layer frame
    if not stack:
        return msg("the event carries no stack")
    code = [f for f in stack if not is_layer_class(frame_class(f)[0])]
    if not code:
        return msg("every frame is a platform layer (framework, JDK, reflection): no app or SDK frame on the stack")
    pkgs = ", ".join(st.manifest.app_packages) if st.manifest else msg("none: no manifest")
    return msg("no frame matched the SDK catalogue or the app's packages (app.packages: {packages}); first code frame "
               "{frame}", packages=pkgs, frame=code[0])
