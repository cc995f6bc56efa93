"""Messages travel with the evidence (issue 24 §2): a reason written by the scanner or the runner keeps its id and
parameters through events.jsonl and report.json and is rendered in the reader's language; what a stranger's log
or report says about a message is checked against its English (never trusted to change what is shown); reports
and event logs of the version before message ids still load, render (their text as recorded, unmarked) and verify."""
from __future__ import annotations

import json
from pathlib import Path

from sdkgate.bundle import write_bundle
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.events import Event, read_events
from sdkgate.formats import get
from sdkgate.i18n import Msg, attach, from_json, msg, tr
from sdkgate.report import Report
from sdkgate.rules import evaluate

from ..bundle.evidence_kit import write_evidence, write_report

OLD_REASON = "step: the agent lost its way (a sentence sdkgate 0.0 wrote, unknown to this version)"


def test_a_message_is_its_english_and_renders_in_chinese():
    m = msg("agent dropped {n} events", n=12)
    assert m == "agent dropped 12 events" and isinstance(m, str)
    assert m.render("zh") == "Hook 代理丢弃了 12 个事件" == tr(m, "zh")
    nested = msg("{source}: {reason}", source="hook", reason=m)
    assert nested.render("zh") == "hook：Hook 代理丢弃了 12 个事件"
    assert from_json(json.loads(json.dumps(nested.to_json())), str(nested)).render("zh") == nested.render("zh")
    import copy
    import pickle                                           # fleet workers and dataclasses.asdict copy reports
    for again in (pickle.loads(pickle.dumps(nested)), copy.deepcopy(nested)):
        assert isinstance(again, Msg) and again == nested and again.render("zh") == nested.render("zh")


def test_a_messages_claim_is_checked_against_its_english():
    text = "agent dropped 12 events"
    assert attach(text, {"id": "agent dropped {n} events", "params": {"n": 12}}).render("zh").startswith("Hook")
    # the English the claim renders must be the recorded text: a forged id cannot make zh say something else
    assert not isinstance(attach(text, {"id": "agent dropped {n} events", "params": {"n": 13}}), Msg)
    assert not isinstance(attach(text, {"id": "no evidence: the event log is empty", "params": {}}), Msg)
    # unknown ids, attribute access in a placeholder, missing parameters, wrong shapes: the text as recorded
    for claim in ({"id": "agent dropped {n.__class__} events", "params": {"n": 12}}, {"id": "x {n}", "params": {}},
                  {"id": "agent dropped {n} events", "params": {}}, {"id": 5}, "agent dropped {n} events",
                  {"id": "agent dropped {n} events", "params": {"n": [[1]]}}, None):
        out = attach(text, claim)
        assert out == text and not isinstance(out, Msg), claim
    deep: dict = {"id": "{source}: {reason}", "params": {"source": "a", "reason": "b"}}
    for _ in range(20):
        deep = {"id": "{source}: {reason}", "params": {"source": "a", "reason": deep}}
    assert from_json(deep) is None                       # a hostile nesting depth is cut, not recursed


def test_a_producers_reason_keeps_its_message_through_the_event_log(tmp_path):
    reason = msg("{where}: no classes.dex: no code to scan", where="x.apk")
    line = Event(seq=0, t_ms=0.0, source="static", kind="incomplete", extra={"reason": reason}).to_json()
    assert json.loads(line)["reason_msg"] == reason.to_json()
    (tmp_path / "events.jsonl").write_text(line + "\n", "utf-8")
    rep = evaluate(read_events(tmp_path / "events.jsonl"), None)
    assert rep.incomplete == ["static: x.apk: no classes.dex: no code to scan"]
    assert rep.say(rep.incomplete[0], "zh") == "static：x.apk：没有 classes.dex：无代码可扫描"
    again = Report.from_dict(json.loads(json.dumps(rep.to_dict())))
    assert isinstance(again.incomplete[0], Msg) and again.say(again.incomplete[0], "zh") == rep.say(rep.incomplete[0], "zh")
    assert isinstance(again.skipped[0], Msg) and "未评估" in again.say(again.skipped[0], "zh")


def test_findings_keep_their_message_in_report_json(tmp_path):
    rep = Report.load(write_evidence(tmp_path / "ev") / "report.json")
    f = next(f for f in rep.findings if f.rule == "SG101")
    assert isinstance(f.message, Msg) and f.text("zh") == f.message_zh and "第三方 SDK" in f.text("zh")
    d = json.loads((tmp_path / "ev" / "report.json").read_text("utf-8"))
    raw = next(x for x in d["findings"] if x["rule"] == "SG101")
    assert raw["message"] == f.message and raw["message_msg"]["id"] == "{rule}: {actor} / {category} ({detail})"


def test_a_scan_findings_details_keep_their_messages(tmp_path):
    """SG204's `detail.reason` (why the component runs at start) is Chinese on a page rendered from report.json."""
    from sdkgate.scanning import build_report
    from sdkgate.manifest import load_manifest
    repo = Path(__file__).resolve().parents[2]
    rep, _ = build_report(repo / "tests/fixtures/apks/sdk-autoinit.apk", load_manifest(repo / "manifests/demo-recruit.yaml"))
    again = Report.from_dict(json.loads(json.dumps(rep.to_dict())))
    reasons = [f.detail["reason"] for f in again.findings if f.rule == "SG204" and f.detail.get("reason")]
    assert reasons and all(isinstance(r, Msg) for r in reasons)
    html = get("html").render(again, "zh")
    assert any(r.render("zh") in html for r in reasons) and not any(str(r) in html for r in reasons)


def _strip_messages(value):
    """What the version before message ids wrote: the same JSON without any *_msg / *_msgs / msg field."""
    if isinstance(value, dict):
        return {k: _strip_messages(v) for k, v in value.items()
                if not (k == "msg" or k.endswith("_msg") or k.endswith("_msgs"))}
    if isinstance(value, list):
        return [_strip_messages(v) for v in value]
    return value


def _old_bundle(tmp_path) -> Path:
    """An evidence folder as the previous version wrote it: plain-text reasons in the log and the report."""
    d = write_evidence(tmp_path / "old")
    lines = (d / "events.jsonl").read_text("utf-8").splitlines()
    step_seq = max(json.loads(x)["seq"] for x in lines if json.loads(x)["source"] == "step") + 1
    lines.append(json.dumps({"v": 1, "seq": step_seq, "t_ms": 5000.0, "source": "step", "kind": "incomplete",
                             "reason": OLD_REASON.split(": ", 1)[1]}))
    (d / "events.jsonl").write_text("".join(json.dumps(_strip_messages(json.loads(x))) + "\n" for x in lines), "utf-8")
    write_report(d)
    report = _strip_messages(json.loads((d / "report.json").read_text("utf-8")))
    (d / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    write_bundle(d)
    return d


def test_an_old_report_renders_its_text_as_recorded_unmarked(tmp_path):
    d = _old_bundle(tmp_path)
    rep = Report.load(d / "report.json")
    assert OLD_REASON in rep.incomplete and not any(isinstance(r, Msg) for r in rep.incomplete)
    f = next(f for f in rep.findings if f.rule == "SG101")
    assert not isinstance(f.message, Msg) and f.text("zh") == f.message_zh      # the Chinese the old version wrote
    for fmt in ("console", "html"):
        zh = get(fmt).render(rep, "zh")
        assert OLD_REASON.split(": ", 1)[1] in zh and "（原文）" not in zh
        assert "第三方 SDK 在用户同意前读取了受保护的个人信息" in zh     # labels and rule titles: the catalogue
    # the engine's own sentences are re-derived from the old log with their message ids
    again = evaluate((e for e in read_events(d / "events.jsonl")), None)
    assert any(isinstance(r, Msg) and r.id == "{source}: {reason}" for r in again.incomplete)


def test_verify_reproduces_an_old_bundle(tmp_path, capsys):
    d = _old_bundle(tmp_path)
    code = run_guarded(cli, ["verify", str(d)])
    out = capsys.readouterr().out
    assert code == 0 and "verdict reproduced: fail" in out, out
