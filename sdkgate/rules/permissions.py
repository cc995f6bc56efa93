"""SG301-SG304: permissions against the declared permission table."""
from __future__ import annotations

from ..events import Event
from .state import RunState
from ..i18n import msg

HOURS_48_MS = 48 * 3600 * 1000


class PermissionRules:
    def __init__(self):
        self.denied_at: dict[str, float] = {}   # permission -> device clock of the last denial
        self.log: list[dict] = []

    def permission_declared(self, ev: Event, st: RunState):
        perm = ev.get("permission") or ""
        if len(self.log) < 1000:
            self.log.append({"t_ms": ev.t_ms, "kind": "declared", "permissions": [perm], "source": ev.source,
                             "seq": ev.seq, "protection_level": ev.get("protection_level"),
                             "in_table": bool(st.manifest and perm in st.manifest.permissions)})
        m = st.manifest
        if m and perm and perm not in m.permissions:
            st.sink.add("SG301", ev, actor=None, category=None, key=perm, summary=perm, ref=perm,
                        detail={"permission": perm, "protection_level": ev.get("protection_level")})

    def permission_request(self, ev: Event, st: RunState):
        perms = [p for p in (ev.get("permissions") or []) if isinstance(p, str)]
        if len(self.log) < 1000:
            self.log.append({"t_ms": ev.t_ms, "kind": "request", "permissions": perms, "actor": ev.actor,
                             "source": ev.source, "seq": ev.seq})
        m = st.manifest
        if m is None:
            return
        now = st.device_clock(ev)
        for perm in perms:
            row = m.permissions.get(perm)
            if row is None:
                st.sink.add("SG301", ev, actor=ev.actor, category=None, key=perm, summary=perm, ref=perm,
                            detail={"permission": perm})
            scope = row.scope if row else "policy"
            if not (st.scope_state("policy") == "granted" and st.scope_state(scope) == "granted"):
                st.sink.add("SG302", ev, actor=ev.actor, category=None, key=perm, summary=perm, ref=perm,
                            detail={"permission": perm})
            denied = self.denied_at.get(perm)
            if denied is not None and now - denied < HOURS_48_MS:
                hours = (now - denied) / 3_600_000
                st.sink.add("SG303", ev, actor=ev.actor, category=None, key=perm,
                            summary=lambda: msg("{permission} again {hours} h after a denial", permission=perm, hours=format(hours, ".1f")),
                            ref=perm, detail={"permission": perm})
            if row and row.when == "on_feature":
                opened = st.features_open if row.feature is None else st.features_open & {row.feature}
                if not opened:
                    st.sink.add("SG304", ev, actor=ev.actor, category=None, key=perm,
                                summary=lambda: msg("{permission} (table: on feature {feature})", permission=perm, feature=row.feature)
                                if row.feature else msg("{permission} (table: on feature)", permission=perm), ref=perm,
                                detail={"permission": perm, "feature": row.feature})

    def permission_result(self, ev: Event, st: RunState):
        results = ev.get("results") or {}
        if not isinstance(results, dict):
            st.incomplete_reason(msg("{source} event seq {seq}: permission_result without a results mapping",
                                     source=ev.source, seq=ev.seq), ev, kind="malformed-event")
            return
        if len(self.log) < 1000:
            self.log.append({"t_ms": ev.t_ms, "kind": "result", "results": results, "source": ev.source, "seq": ev.seq})
        now = st.device_clock(ev)
        for perm, res in results.items():
            if res == "denied":
                self.denied_at[perm] = now
            elif res == "granted":
                self.denied_at.pop(perm, None)
