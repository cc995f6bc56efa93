"""Calibration: a probe app generated from the sensitive-API table, `sdkgate calibrate`, and runs that know how
much of the table their agent really saw on that device.

    plan.py      the probe's calls, derived from data/sensitive_apis.yaml (one source of truth)
    smali.py     the plan as smali (one class per row); stubs.py the library classes the probe ships
    simmodel.py  the plan as an app model and scenario, so the simulated device plays the probe
    matrix.py    what the agent reported vs what the probe did: one status per table row, plus checks
    record.py    calibration.json (schema sdkgate.calibration/1), its cache, and `run --calibration`
    views.py     console and HTML views; flow.py the calibrate flow (same runner as `run`)
"""
