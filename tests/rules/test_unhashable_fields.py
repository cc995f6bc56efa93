"""A hook event whose `process` or `pid` is a list or an object (a hostile or broken agent): the event is
judged as wrong-shaped (incomplete), the run goes on, nothing crashes (it used to end in exit 70)."""
from __future__ import annotations

import json

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded


def test_unhashable_process_and_pid_are_incomplete_not_a_crash(tmp_path, capsys):
    lines = [{"v": 1, "seq": 0, "t_ms": 0, "source": "step", "kind": "lifecycle", "what": "launch"}]
    for i, (field, value) in enumerate([("process", ["com.app"]), ("process", {"name": "x"}), ("pid", [1, 2]),
                                        ("pid", {"p": 1}), ("process", ["com.app"])]):
        lines.append({"v": 1, "seq": i, "t_ms": 10 + i, "source": "hook", "kind": "read", "category": "device_id.imei",
                      "actor": "umeng_common", "api_id": "telephony.getDeviceId", field: value})
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(x) + "\n" for x in lines))
    code = run_guarded(cli, ["evaluate", str(log), "--format", "json"])
    cap = capsys.readouterr()
    assert code == 3, cap.err
    assert "internal error" not in cap.err and "Traceback" not in cap.err
    report = json.loads(cap.out)
    assert report["verdict"] == "incomplete"
    assert any("wrong shape" in r for r in report["incomplete"]), report["incomplete"]
