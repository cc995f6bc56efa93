"""Every file generated from the sensitive-API table for the probe: its smali and manifest (probe/generated/),
its plan (sdkgate/data/probe/plan.json) and its app model (sdkgate/data/probe/probe-model.yaml). Pure Python:
tools/build_probe.py writes them and builds the APK; tests/calibration checks that regenerating gives the files
that are checked in (a new table row without a rebuilt probe fails there, naming the command to run)."""
from __future__ import annotations

import json

from .plan import build_plan
from .simmodel import model_yaml
from .smali import render

GENERATED_DIR = "probe/generated"
DATA_DIR = "sdkgate/data/probe"
REBUILD = "python tools/build_probe.py"


def generated_files() -> dict[str, str]:
    """Repository path -> text of every generated file."""
    plan = build_plan()
    out = {f"{GENERATED_DIR}/{k}": v for k, v in render(plan).items()}
    out[f"{DATA_DIR}/plan.json"] = json.dumps(plan.to_dict(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    out[f"{DATA_DIR}/probe-model.yaml"] = model_yaml(plan)
    return out
