"""How much of the table the run's agent really saw on this device (issue 26): the `calibration` step event
`sdkgate run` writes after the device is known (sdkgate/calibration/record.py).

Calibrated: the report says "agent calibrated on this device: N/M rows", and every category whose rows did not
fire in calibration is `incomplete` ("not observable on this device: ..."), since a read of it would not have
been seen. Not calibrated: a note, unless the run asked for `--require-calibration` (then `incomplete`).
"""
from __future__ import annotations

from ..events import Event
from .state import RunState

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
            note = f"agent calibrated on this device: {fired}/{applicable} rows"
            gaps = ev.get("not_observable") or {}
            for cat, ids in sorted(gaps.items()) if isinstance(gaps, dict) else ():
                ids = [str(i) for i in ids] if isinstance(ids, list) else [str(ids)]
                more = f" and {len(ids) - ROWS_NAMED} more" if len(ids) > ROWS_NAMED else ""
                st.incomplete_reason(f"not observable on this device: {cat} (did not fire in calibration: "
                                     f"{', '.join(ids[:ROWS_NAMED])}{more})", ev, kind=NOT_OBSERVABLE)
        else:
            problem = ev.get("problem")
            note = "agent not calibrated on this device" + (f" ({problem})" if problem else "")
            if ev.get("required"):
                st.incomplete_reason(note + ": --require-calibration", ev, kind=NOT_CALIBRATED)
        self.summary = {"note": note, "status": status or "not_calibrated",
                        **{k: ev.get(k) for k in ("rows_fired", "rows_applicable", "sha256", "found") if ev.get(k) is not None}}

    def stats(self) -> dict:
        return {"calibration": self.summary} if self.summary else {}
