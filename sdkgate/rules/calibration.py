"""How much of the table the run's agent really saw on this device (issue 26): the `calibration` step event
`sdkgate run` writes after the device is known (sdkgate/calibration/record.py).

Calibrated: the report says "agent calibrated on this device: N/M rows", and every category whose rows did not
fire in calibration is `incomplete` ("not observable on this device: ..."), since a read of it would not have
been seen. Not calibrated: a note, unless the run asked for `--require-calibration` (then `incomplete`).
"""
from __future__ import annotations

from ..events import Event
from .state import RunState
from ..i18n import msg

NOT_OBSERVABLE = "not-observable-on-device"
NOT_CALIBRATED = "agent-not-calibrated"
ROWS_NAMED = 6


class CalibrationRules:
    def __init__(self):
        self.summary: dict | None = None

    def calibration(self, ev: Event, st: RunState):
        status = ev.get("status")
        if status == "calibrated":
            fired, applicable = int(ev.get("rows_fired") or 0), int(ev.get("rows_applicable") or 0)
            note = msg("agent calibrated on this device: {fired}/{applicable} rows", fired=fired, applicable=applicable)
            gaps = ev.get("not_observable") or {}
            for cat, ids in sorted(gaps.items()) if isinstance(gaps, dict) else ():
                ids = [str(i) for i in ids] if isinstance(ids, list) else [str(ids)]
                rows = ", ".join(ids[:ROWS_NAMED])
                if len(ids) > ROWS_NAMED:
                    rows = msg("{rows} and {n} more", rows=rows, n=len(ids) - ROWS_NAMED)
                st.incomplete_reason(msg("not observable on this device: {category} (did not fire in calibration: {rows})",
                                         category=str(cat), rows=rows), ev, kind=NOT_OBSERVABLE)
        else:
            problem = ev.get("problem")
            note = (msg("agent not calibrated on this device ({problem})", problem=problem) if problem
                    else msg("agent not calibrated on this device"))
            if ev.get("required"):
                st.incomplete_reason(msg("{note}: --require-calibration", note=note), ev, kind=NOT_CALIBRATED)
        self.summary = {"note": note, "status": status or "not_calibrated",
                        **{k: ev.get(k) for k in ("rows_fired", "rows_applicable", "sha256", "found") if ev.get(k) is not None}}

    def stats(self) -> dict:
        return {"calibration": self.summary} if self.summary else {}
