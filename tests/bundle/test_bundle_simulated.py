"""A bundle from a real simulated run: verified intact, then caught when its raw evidence is cut."""
from __future__ import annotations

import json

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from tests.bundle.evidence_kit import simulated_run


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    return simulated_run(tmp_path_factory.mktemp("sim") / "demo-noncompliant")


def test_simulated_bundle_lists_every_file_and_verifies(sim, capsys, tmp_path):
    import shutil
    d = tmp_path / "copy"
    shutil.copytree(sim, d)
    meta = json.loads((d / "bundle.json").read_text("utf-8"))
    on_disk = sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()
                     and p.name not in ("bundle.json", "bundle.sig"))
    assert sorted(meta["files"]) == on_disk
    assert {"events.jsonl", "net.jsonl", "run.json", "report.json", "manifest.yaml", "scenario.yaml"} <= set(meta["files"])
    assert meta["canaries"] and meta["agent"]["sha256"] and meta["tools"]["frida"]
    assert run_guarded(cli, ["verify", str(d)]) == 0
    assert "verdict reproduced: fail" in capsys.readouterr().out
    lines = (d / "net.jsonl").read_bytes().splitlines(keepends=True)
    (d / "net.jsonl").write_bytes(b"".join(lines[:-1]))          # one send removed from the evidence
    assert run_guarded(cli, ["verify", str(d)]) == 4
    assert "altered: net.jsonl" in capsys.readouterr().out


def test_resealed_net_evidence_is_checked_against_the_recorded_traffic(sim, capsys, tmp_path):
    """Someone edits net.jsonl and re-seals the bundle: the hashes agree, the traffic does not."""
    import shutil

    from sdkgate.bundle import write_bundle
    d = tmp_path / "copy"
    shutil.copytree(sim, d)
    assert run_guarded(cli, ["verify", str(d)]) == 0
    assert "network matches re-derived from the recorded traffic" in capsys.readouterr().out
    rows = [json.loads(x) for x in (d / "net.jsonl").read_text().splitlines()]
    send = next(r for r in rows if r["kind"] == "send" and r["encoding"] == "md5-hex-upper")
    send["encoding"] = "plain"                    # claims the IMEI went out in clear
    (d / "net.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (d / "bundle.json").unlink()
    write_bundle(d)
    code = run_guarded(cli, ["verify", str(d)])
    out = capsys.readouterr().out
    assert code == 1 and "verdict NOT reproduced" in out
    assert "net.jsonl has a send the recorded traffic does not show: device_id.imei as plain" in out
    assert "the recorded traffic shows a send net.jsonl lacks: device_id.imei as md5-hex-upper" in out


@pytest.mark.parametrize("change", ["deep", "wrong_shape", "removed"])
def test_canaries_that_cannot_be_re_derived_are_incomplete_not_fail(sim, capsys, tmp_path, change):
    """The run's verdict is fail; resealed with a canaries.json nobody can match the traffic with, the
    network evidence cannot be re-derived: verify and report say incomplete (3), never fail."""
    import shutil

    from sdkgate.bundle import write_bundle
    d = tmp_path / "copy"
    shutil.copytree(sim, d)
    if change == "deep":
        (d / "canaries.json").write_text("[" * 100_000 + "]" * 100_000)
    elif change == "wrong_shape":
        (d / "canaries.json").write_text(json.dumps({"device_id.imei": {"nested": ["x"]}}))
    else:
        (d / "canaries.json").unlink()
    write_bundle(d)
    code = run_guarded(cli, ["verify", str(d)])
    out = capsys.readouterr().out
    assert code == 3, out
    assert "network matches" in out and ("could not be re-derived" in out or "canaries.json not in the bundle" in out)
    assert "Traceback" not in out
    page = tmp_path / "r.html"
    code = run_guarded(cli, ["report", str(d), "--html", str(page)])
    err = capsys.readouterr().err
    assert code == 3 and "incomplete: network matches" in err, err
    assert "part of the evidence could not be re-checked" in page.read_text("utf-8")
