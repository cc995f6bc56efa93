"""`report --merge` names each bundle by its full path below the shared folder, and each device with its API level."""
from __future__ import annotations

import json

from sdkgate.bundle import write_bundle
from sdkgate.bundle.merge import describe_device
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded

from .evidence_kit import write_evidence


def test_bundles_with_the_same_leaf_stay_apart(tmp_path, capsys):
    for api in ("api30", "api33"):
        d = write_evidence(tmp_path / "out" / api / "cold-start-accept")
        run = json.loads((d / "run.json").read_text("utf-8"))
        run["backend_info"] = {"device": {"manufacturer": "Google", "model": "sdk_gphone64_x86_64",
                                          "android_release": "11" if api == "api30" else "13", "sdk": api[3:]}}
        (d / "run.json").write_text(json.dumps(run), "utf-8")
        write_bundle(d)
    code = run_guarded(cli, ["report", "--merge", str(tmp_path / "out"), "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert code == 1
    assert sorted(r["bundle"] for r in rows) == ["api30/cold-start-accept", "api33/cold-start-accept"]
    assert {r["device"] for r in rows} == {"Google sdk_gphone64_x86_64 Android 11 API 30",
                                           "Google sdk_gphone64_x86_64 Android 13 API 33"}


def test_device_text():
    assert describe_device({"device": {"model": "Pixel 7", "android_release": "14", "sdk": "34"}}, {}) == \
        "Pixel 7 Android 14 API 34"
    assert describe_device({}, {"backend": "simulated"}) == "simulated"
