"""Adversarial but valid logs (shaped by the app under test): findings, reasons and the report stay bounded."""
from __future__ import annotations

import json
import tracemalloc

from sdkgate.events import read_events
from sdkgate.manifest import load_manifest
from sdkgate.rules import evaluate
from sdkgate.rules.findings import KEYS_PER_GROUP, MAX_FINDINGS
from sdkgate.rules.state import INCOMPLETE_EXAMPLES
from tests.bundle.evidence_kit import DEMO_MANIFEST


def _write(path, events):
    with path.open("w") as fh:
        for e in events:
            fh.write(json.dumps(e) + "\n")
    return path


def _sends(n, host=lambda i: f"h{i}.tracker{i % 50}.example.com"):
    yield {"v": 1, "seq": 0, "t_ms": 0, "source": "step", "kind": "lifecycle", "what": "launch"}
    for i in range(n):
        yield {"v": 1, "seq": i, "t_ms": i + 1, "source": "net", "kind": "send", "category": "device_id.imei",
               "actor": "umeng_common", "host": host(i), "scheme": "https", "path": "/c", "encoding": "plain"}


def test_distinct_hosts_are_aggregated_with_the_full_count(tmp_path):
    n = 5000
    log = _write(tmp_path / "net.jsonl", _sends(n))
    tracemalloc.start()
    rep = evaluate(read_events(log), load_manifest(DEMO_MANIFEST))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    sg401 = [f for f in rep.findings if f.rule == "SG401"]
    assert sum(f.evidence_count for f in sg401) == n           # every event still counted
    assert KEYS_PER_GROUP < len(sg401) <= KEYS_PER_GROUP + 21  # the first hosts one by one, then per domain
    agg = [f for f in sg401 if f.detail.get("aggregated")]
    assert agg and all("aggregated" in f.message for f in agg)
    assert any("more under example.com" in f.message for f in agg)
    assert all(len(f.evidence) <= 20 for f in rep.findings)
    assert rep.stats["summarised"]["finding_events_aggregated"] > 0
    assert len(json.dumps(rep.to_dict())) < 2_000_000
    assert peak < 40 << 20


def test_report_wide_cap_on_findings(tmp_path):
    def events():
        for i in range(3000):     # a new actor per event: one group each
            yield {"v": 1, "seq": i, "t_ms": i, "source": "net", "kind": "send", "category": "device_id.imei",
                   "actor": f"sdk{i}", "host": "x.example.com", "scheme": "http"}
    rep = evaluate(read_events(_write(tmp_path / "n.jsonl", events())), None)
    assert len(rep.findings) <= MAX_FINDINGS + 10
    assert sum(f.evidence_count for f in rep.findings if f.rule == "SG403") == 3000


def test_seq_gaps_and_unknown_categories_are_reasons_by_kind(tmp_path):
    def events():
        yield {"v": 1, "seq": 0, "t_ms": 0, "source": "hook", "kind": "agent_status", "status": "loaded"}
        for i in range(1, 4000):
            yield {"v": 1, "seq": i * 2, "t_ms": i, "source": "hook", "kind": "read", "category": f"cat{i}",
                   "actor": "jpush", "api_id": "x"}
    rep = evaluate(read_events(_write(tmp_path / "e.jsonl", events())), None)
    assert rep.verdict == "incomplete"
    assert len(rep.incomplete) <= 4 * INCOMPLETE_EXAMPLES
    assert any("more reason(s) of kind seq-gap" in r for r in rep.incomplete)
    assert any("more reason(s) of kind unknown-category" in r for r in rep.incomplete)
    assert rep.incomplete_kinds["seq-gap"] == 3999 and rep.incomplete_kinds["unknown-category"] == 3999
    assert {r["kind"] for r in rep.incomplete_reasons} == {"seq-gap", "unknown-category"}
    sg900 = [f for f in rep.findings if f.rule == "SG900"]
    assert len(sg900) <= 4 and sum(f.evidence_count for f in sg900) >= 2 * 3999 - 1


def test_malformed_fields_are_incomplete_not_a_crash(tmp_path):
    evs = [{"v": 1, "seq": 0, "t_ms": 0, "source": "static", "kind": "sdk_present", "actor": "jpush",
            "class_count": "many"},
           {"v": 1, "seq": 1, "t_ms": 1, "source": "static", "kind": "finish"},
           {"v": 1, "seq": 2, "t_ms": 2, "source": "static", "kind": "_destination"},
           {"v": 1, "seq": 0, "t_ms": 3, "source": "step", "kind": "feature", "feature": ["a"]}]
    rep = evaluate(read_events(_write(tmp_path / "e.jsonl", evs)), None)
    assert rep.verdict == "incomplete"
    assert any("wrong shape" in r for r in rep.incomplete)


def test_evaluate_cli_on_deep_and_overlong_lines(tmp_path, capsys):
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    p = tmp_path / "events.jsonl"
    with p.open("wb") as fh:
        fh.write(b'{"v":1,"seq":0,"t_ms":0,"source":"step","kind":"lifecycle","what":"launch"}\n')
        fh.write(b"[" * 200_000 + b"\n")
        fh.write(b'{"v":1,"seq":1,"t_ms":1,"source":"step","kind":"x","pad":"' + b"a" * (3 << 20) + b'"}\n')
        fh.write(b'{"v":1,"seq":2,"t_ms":2,"source":"step","kind":"feature","feature":' + b"[" * 5000 + b"]" * 5000 + b"}\n")
    code = run_guarded(cli, ["evaluate", str(p), "--format", "json"])
    cap = capsys.readouterr()
    assert code == 3 and "Traceback" not in cap.err
    d = json.loads(cap.out)
    text = " ".join(d["incomplete"])
    assert f"{p}:2: nested deeper than 64" in text
    assert f"{p}:3: line of" in text and "longer than the limit" in text
    assert f"{p}:4: nested deeper than 64" in text


def test_evaluate_cli_first_line_deep_is_judged_not_a_crash(tmp_path, capsys):
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    p = tmp_path / "events.jsonl"
    p.write_bytes(b"{" * 100_000 + b"\n")
    code = run_guarded(cli, ["evaluate", str(p)])
    cap = capsys.readouterr()
    assert code in (2, 3) and "Traceback" not in cap.out + cap.err
    assert str(p) in cap.out + cap.err


def test_clock_values_beyond_any_run_are_bad_lines(tmp_path, capsys):
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    p = tmp_path / "net.jsonl"
    p.write_text('{"v":1,"seq":0,"t_ms":1e308,"source":"net","kind":"send","host":"a.example.com"}\n'
                 '{"v":1,"seq":1,"t_ms":NaN,"source":"net","kind":"flow"}\n', "utf-8")
    code = run_guarded(cli, ["evaluate", str(p), "--format", "json"])
    cap = capsys.readouterr()
    assert code == 3 and "Traceback" not in cap.err
    text = " ".join(json.loads(cap.out)["incomplete"])
    assert f"{p}:1: t_ms must be a finite number" in text and f"{p}:2:" in text
