"""Code loaded at run time (`code_loaded`, dynamic/loaded.py) judged under the existing rules: an SDK
bound to a feature must stay idle until that feature is used after consent (policy 1.2.3), so such
an SDK loading a plugin before then is SG105. Loads by other actors are evidence on the timeline;
what the loaded code reads is judged as every read is."""
from __future__ import annotations

from ..events import Event
from .state import RunState
from ..i18n import msg


class CodeLoadRules:
    def code_loaded(self, ev: Event, st: RunState):
        actor = ev.actor or "unknown"
        row = st.manifest.sdks.get(actor) if st.manifest and st.is_sdk(actor) else None
        if row is None or not row.feature:
            return
        if st.consented(actor) and row.feature in st.features_open:
            return
        what = ev.get("path") or msg("an in-memory DEX")
        summary = (msg("loaded code at run time before consent: {what}", what=what) if not st.consented(actor) else
                   msg("loaded code at run time before {feature} was opened: {what}", feature=row.feature, what=what))
        st.sink.add("SG105", ev, actor=actor, category=None, key=f"code_loaded:{ev.get('sha256') or what}",
                    summary=summary, ref=str(ev.get("sha256") or what),
                    detail={"path": ev.get("path"), "sha256": ev.get("sha256"), "file": ev.get("file"),
                            "stack": ev.stack[:24]})
