"""flows.har over the page's limit (a 30k-flow, 60 MB HAR): the first flows are drawn and the page says so;
a large HAR not in sdkgate's layout is not drawn, said too; a small one is drawn whole."""
from __future__ import annotations

import io
import json

from sdkgate.bundle import write_bundle
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.net.harview import HAR_MAX_BYTES, HAR_MAX_ENTRIES, read_har
from tests.bundle.evidence_kit import write_evidence


def entry(i: int, url: str = "", body: str = "") -> dict:
    return {"startedDateTime": "2026-01-01T00:00:00+00:00", "time": 1,
            "request": {"method": "POST", "url": url or f"https://h{i}.example.com/p{i}", "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "x-pad", "value": "p" * 1500}], "queryString": [], "cookies": [],
                        "headersSize": -1, "bodySize": len(body), "postData": {"mimeType": "text/plain", "text": body}},
            "response": {"status": 204, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                         "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}


def sdkgate_layout(entries) -> bytes:
    """As net/har.write_har writes it: a header line, one entry per line."""
    head = '{"log": {"version": "1.2", "creator": {"name": "mitmproxy"}, "pages": [], "entries": [\n'
    return (head + ",\n".join(json.dumps(e) for e in entries) + '\n], "comment": ""}}\n').encode()


def test_first_flows_of_a_large_har_only(tmp_path):
    data = sdkgate_layout(entry(i) for i in range(3000))
    drawn = read_har(lambda: io.BytesIO(data), max_bytes=len(data) // 3, max_entries=10_000)
    assert drawn.over and drawn.cut and not drawn.unread
    assert 0 < len(drawn.entries) < 3000
    assert [e["request"]["url"] for e in drawn.entries[:2]] == ["https://h0.example.com/p0", "https://h1.example.com/p1"]
    drawn = read_har(lambda: io.BytesIO(data), max_bytes=len(data) * 2, max_entries=100)
    assert len(drawn.entries) == 100 and drawn.cut and not drawn.over
    foreign = json.dumps({"log": {"entries": [entry(i) for i in range(300)]}}).encode()     # one line
    drawn = read_har(lambda: io.BytesIO(foreign), max_bytes=len(foreign) // 2)
    assert drawn.unread and drawn.entries == []
    deep = b'{"log": {"entries": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    assert read_har(lambda: io.BytesIO(deep)).entries == []


def test_a_30k_flow_har_is_drawn_up_to_its_first_flows(tmp_path, capsys):
    d = write_evidence(tmp_path / "run1")
    first = entry(0, url="https://alog.umeng.com/app_logs", body="did=PLANTED-BODY-MARK")
    data = sdkgate_layout([first] + [entry(i) for i in range(1, 30_000)])
    assert len(data) > HAR_MAX_BYTES                                # as a real 30k-flow capture: ~60 MB
    (d / "flows.har").write_bytes(data)
    write_bundle(d)
    page = tmp_path / "r.html"
    assert run_guarded(cli, ["report", str(d), "--html", str(page)]) == 1
    capsys.readouterr()
    html = page.read_text("utf-8")
    assert f"the first {HAR_MAX_ENTRIES} flows are drawn" in html and 'id="har-note"' in html
    assert "PLANTED-BODY-MARK" in html                              # the finding's flow, from the HAR
    zh = tmp_path / "zh.html"
    assert run_guarded(cli, ["report", str(d), "--html", str(zh), "--lang", "zh"]) == 1
    assert f"仅展示前 {HAR_MAX_ENTRIES} 个请求" in zh.read_text("utf-8")


def test_a_small_har_is_drawn_whole_without_a_note(tmp_path, capsys):
    d = write_evidence(tmp_path / "run1")
    (d / "flows.har").write_bytes(sdkgate_layout([entry(0, url="https://alog.umeng.com/app_logs", body="SMALL-HAR")]))
    write_bundle(d)
    page = tmp_path / "r.html"
    assert run_guarded(cli, ["report", str(d), "--html", str(page)]) == 1
    html = page.read_text("utf-8")
    assert "SMALL-HAR" in html and 'id="har-note"' not in html
