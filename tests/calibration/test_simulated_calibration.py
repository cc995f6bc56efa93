"""`sdkgate calibrate --simulated`: the probe's app model on the simulated device (the real agent in real Frida)
calibrates to 100%, in a sealed bundle; an agent build that cannot hook a row drops exactly that row (and the rows
sharing its hook) from the matrix."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sdkgate.bundle.verify import verify_bundle
from sdkgate.calibration.flow import calibrate, probe_file
from sdkgate.calibration.matrix import FIRED, NOT_FIRED
from sdkgate.cli import cli
from sdkgate.dynamic import simruntime
from sdkgate.dynamic.appmodel import load_app_model
from sdkgate.dynamic.simulator import SimulatedDevice
from sdkgate.manifest import load_manifest
from sdkgate.scenario.runner import RunOptions


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    out = tmp_path_factory.mktemp("cal") / "run"
    res = CliRunner().invoke(cli, ["calibrate", "--simulated", "--out", str(out)])
    return out, res


def test_simulated_device_calibrates_to_every_applicable_row(simulated):
    out, res = simulated
    assert res.exit_code == 0, res.output
    assert "Calibration COMPLETE" in res.output
    rec = json.loads((out / "calibration.json").read_text("utf-8"))
    assert rec["schema"] == "sdkgate.calibration/1" and rec["backend"] == "simulated"
    s = rec["summary"]
    assert s["complete"] and s["rows_fired"] == s["rows_applicable"] > 100 and s["rows_not_fired"] == 0
    assert s["checks_passed"] == s["checks_total"] == 9
    status = {r["id"]: r["status"] for r in rec["rows"]}
    # an interface row fires on the implementation the agent hooks at run time; a static field read never can
    assert status["fused.getLastLocation"] == "fired" and status["build.SERIAL"] == "not hookable"
    assert status["native.open"] == "not probed" and status["path.net_mac"] == FIRED
    assert rec["agent"]["sha256"] and rec["frida"]["client"] and rec["not_observable"] == {}
    assert {p["process"] for p in rec["processes"]} == {"com.sdkgate.probe", "com.sdkgate.probe:probe"}
    assert {t["evidence"] for t in rec["taps"] if t["evidence"]} == {"ui_tap", "programmatic"}
    html = (out / "calibration.html").read_text("utf-8")
    assert 'id="state" class="state complete"' in html and "socket.dns" in html


def test_the_calibration_is_sealed_in_its_bundle(simulated):
    out, _ = simulated
    meta = json.loads((out / "bundle.json").read_text("utf-8"))
    assert {"calibration.json", "calibration.html", "events.jsonl"} <= set(meta["files"])
    assert meta["calibration"]["summary"]["complete"]
    res = verify_bundle(out)
    assert res.exit_code == 0, res.lines()
    (out / "calibration.json").write_text((out / "calibration.json").read_text("utf-8").replace('"complete": true',
                                                                                             '"complete": false'))
    assert verify_bundle(out).exit_code == 4                     # an edited matrix is tampering


def test_an_agent_that_cannot_hook_a_row_drops_it_from_the_matrix(tmp_path, monkeypatch):
    bundle = simruntime.load_bundle("sim")
    assert bundle.count('"member": "getImei",') == 1
    # an agent build that hooks a method no phone has instead of getImei (same length: the bundle's header
    # counts the bytes of each module)
    broken = bundle.replace('"member": "getImei",', '"member": "getImeQ",')
    monkeypatch.setattr(simruntime, "load_bundle", lambda target: broken)
    manifest = load_manifest(probe_file("manifest.yaml"))
    backend = SimulatedDevice(load_app_model(probe_file("probe-model.yaml"), manifest))
    res = calibrate(backend, tmp_path / "out", simulated=True, cache=False,
                    options=RunOptions(proxy_factory=False, settle_ms=0))
    rows = {r["id"]: r for r in res.record["rows"]}
    assert rows["telephony.getImei"]["status"] == NOT_FIRED
    assert "telephony.getImei#0: no hook event" in rows["telephony.getImei"]["detail"]
    assert [r for r, v in rows.items() if v["status"] == NOT_FIRED] == ["telephony.getImei"]
    assert res.record["not_observable"]["device_id.imei"] == ["telephony.getImei"]
    assert res.exit_code == 3 and not res.record["summary"]["complete"]


def test_views_treat_the_record_as_hostile_text(simulated):
    from sdkgate.calibration.views import render_console, render_html
    out, _ = simulated
    rec = json.loads((out / "calibration.json").read_text("utf-8"))
    rec["rows"][0].update(status=NOT_FIRED, detail="<script>alert(1)</script> [bold red]x[/bold red]")
    rec["device"] = {"model": "<img src=x onerror=alert(1)>"}
    html = render_html(rec)
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;script&gt;" in html
    text = render_console(rec, width=200)
    assert "[bold red]x[/bold red]" in text and "<script>alert(1)</script>" in text     # shown as text, not markup


def test_the_calibration_page_stands_on_the_shared_base_in_either_language(simulated, tmp_path):
    """One base for every page (issue 27): the shared header and footer, the page's words in its language, and
    evidence text (a row detail an app could shape) escaped."""
    from sdkgate.calibration.views import render_html
    out, _ = simulated
    en = (out / "calibration.html").read_text("utf-8")
    assert 'id="page-foot"' in en and "Rows of the sensitive-API table" in en and 'lang="en"' in en
    rec = json.loads((out / "calibration.json").read_text("utf-8"))
    rec["rows"][0]["detail"] = '<script>alert(1)</script>'
    zh = render_html(rec, "zh")
    assert 'lang="zh-CN"' in zh and "敏感 API 表的各行" in zh and 'id="page-foot"' in zh
    assert ("校准完整：" if rec["summary"]["complete"] else "校准不完整：") in zh
    assert "Rows of the sensitive-API table" not in zh and "<script>alert(1)" not in zh and "&lt;script&gt;" in zh
    res = CliRunner().invoke(cli, ["calibrate", "--help"])
    assert "--lang" in res.output
