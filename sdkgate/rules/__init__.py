"""The rule engine: pure functions from (manifest, events) to findings.

`evaluate(events, manifest)` streams the events once through every rule and returns a Report.
"""
from .engine import EvalOptions, evaluate  # noqa: F401
