"""Code loaded at run time (`code_loaded`, dynamic/loaded.py) judged under the existing rules: an SDK
bound to a feature must stay idle until that feature is used after consent (policy 1.2.3), so such
an SDK loading a plugin before then is SG105. Loads by other actors are evidence on the timeline;
what the loaded code reads is judged as every read is."""
from __future__ import annotations

from ..events import Event
from .state import RunState


class CodeLoadRules:
    def code_loaded(self, ev: Event, st: RunState):
        actor = ev.actor or "unknown"
        row = st.manifest.sdks.get(actor) if st.manifest and st.is_sdk(actor) else None
        if row is None or not row.feature:
            return
        if st.consented(actor) and row.feature in st.features_open:
            return
        what = ev.get("path") or "an in-memory DEX"
        when = "before consent" if not st.consented(actor) else f"before {row.feature} was opened"
        st.sink.add("SG105", ev, actor=actor, category=None, key=f"code_loaded:{ev.get('sha256') or what}",
                    detail_en=f"loaded code at run time {when}: {what}",
                    detail_zh=f"{'同意前' if not st.consented(actor) else row.feature + ' 功能使用前'}动态加载代码：{what}",
                    ref=str(ev.get("sha256") or what),
                    detail={"path": ev.get("path"), "sha256": ev.get("sha256"), "file": ev.get("file"),
                            "stack": ev.stack[:24]})
