"""Real clients -> the real proxy (`sdkgate proxy --offline` as a child process) on loopback.

One proxy for the module. Every request gets its own path so its events can be picked out of
net.jsonl while the proxy runs (the addon flushes after every flow).
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import zlib

import brotli
import httpx
import pytest
import zstandard

from sdkgate.events import read_events as read_event_log
from sdkgate.manifest import load_manifest
from sdkgate.net.proxy import ProxyProcess
from sdkgate.rules import evaluate

from .helpers import (ANDROID_ID, APPS, CANARIES, CLIP, IMEI, MAC, MANIFEST, OAID, PHONE, connect_tunnel,
                      flow_events, h2_request, md5, pb_field, read_events, triples, wait_events)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    out = tmp_path_factory.mktemp("net")
    p = ProxyProcess(CANARIES, out / "evidence", offline=True, manifest=MANIFEST)
    p.start()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def client(proxy):
    with httpx.Client(proxy=proxy.proxy_url, verify=proxy.ca_path, trust_env=False, timeout=60) as c:
        yield c


def net(proxy):
    return proxy.out_dir / "net.jsonl"


def sha256_b64(s: str) -> str:
    return base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()


# (id, method, url, httpx kwargs, expected {(category, encoding, where)}, actor)
CASES = [
    ("query", "GET", f"https://alog.umeng.com/c/query?imei={IMEI}&x=1", {},
     {("device_id.imei", "plain", "query:imei")}, "umeng_common"),
    ("query-url", "GET", "https://alog.umeng.com/c/qurl?mac=" + MAC.replace(":", "%3A"), {},
     {("device_id.mac", "url", "query:mac")}, "umeng_common"),
    ("header-upper", "GET", "https://api.jpush.cn/c/hdr", {"headers": {"X-Did": ANDROID_ID.upper()}},
     {("device_id.android_id", "upper", "header:x-did")}, "jpush"),
    ("cookie-b64url", "GET", "https://api.jpush.cn/c/cookie",
     {"headers": {"Cookie": "a=1; did=" + base64.urlsafe_b64encode(CLIP.encode()).decode().rstrip("=")}},
     {("clipboard", "base64-url-nopad", "cookie:did")}, "jpush"),
    ("header-b64", "GET", "https://api.jpush.cn/c/hb64", {"headers": {"X-O": base64.b64encode(OAID.encode()).decode()}},
     {("device_id.oaid", "base64", "header:x-o")}, "jpush"),
    ("query-clip-url", "GET", "https://api.jpush.cn/c/qclip?c=" + CLIP.replace(" ", "%20").replace(">", "%3E").replace("?", "%3F"),
     {}, {("clipboard", "url", "query:c")}, "jpush"),
    ("form-mac", "POST", "https://alog.umeng.com/c/form",
     {"data": {"mac": MAC.replace(":", ""), "m2": MAC.replace(":", "-").upper()}},
     {("device_id.mac", "nosep", "form:mac"), ("device_id.mac", "dash-upper", "form:m2")}, "umeng_common"),
    ("json-escapes", "POST", "https://alog.umeng.com/c/jsonesc",
     {"content": b'{"c": "\\u0073dkgate-clip-7f3a9c \\u003e>?"}', "headers": {"content-type": "application/json"}},
     {("clipboard", "plain", "body.json")}, "umeng_common"),
    ("gzip-md5", "POST", "https://alog.umeng.com/c/gzip",
     {"content": gzip.compress(json.dumps({"h": md5(IMEI).upper()}).encode()),
      "headers": {"content-type": "application/json", "content-encoding": "gzip"}},
     {("device_id.imei", "md5-hex-upper", "body.json")}, "umeng_common"),
    ("br-sha256", "POST", "https://x.bugly.qq.com/c/br",
     {"content": brotli.compress(b"aid=" + sha256_b64(ANDROID_ID).encode()),
      "headers": {"content-type": "text/plain", "content-encoding": "br"}},
     {("device_id.android_id", "sha256-b64", "body")}, "bugly"),
    ("zstd-sha1", "POST", "https://api.jpush.cn/c/zstd",
     {"content": zstandard.ZstdCompressor().compress(
         hashlib.sha1(MAC.replace(":", "").upper().encode()).hexdigest().encode()),
      "headers": {"content-type": "text/plain", "content-encoding": "zstd"}},
     {("device_id.mac", "sha1-hex(nosep-upper)", "body")}, "jpush"),
    ("deflate-hex", "POST", "https://api.jpush.cn/c/deflate",
     {"content": zlib.compress(OAID.encode().hex().encode()),
      "headers": {"content-type": "text/plain", "content-encoding": "deflate"}},
     {("device_id.oaid", "hex", "body")}, "jpush"),
    ("multipart", "POST", "https://alog.umeng.com/c/multipart",
     {"files": {"file": ("log.bin", b"LOG" + base64.b64encode(b"Q" + IMEI.encode()) + b"END")},
      "data": {"phone": hashlib.sha256(PHONE.encode()).hexdigest()}},
     {("device_id.imei", "base64-shift1", "multipart:file"),
      ("device_id.phone_number", "sha256-hex", "multipart:phone")}, "umeng_common"),
    ("protobuf", "POST", "https://api.jpush.cn/c/pb",
     {"content": pb_field(1, 7) + pb_field(2, pb_field(1, ANDROID_ID) + pb_field(2, APPS)),
      "headers": {"content-type": "application/x-protobuf"}},
     {("device_id.android_id", "plain", "body.protobuf"), ("installed_apps", "plain", "body.protobuf")}, "jpush"),
    ("location", "POST", "https://restapi.amap.com/c/loc",
     {"json": {"lat": 39.9123, "lng": 116.3123, "acc": 12}},
     {("location", "latlon-4dp", "body.json")}, "amap_location"),
    ("location-2dp", "GET", "https://restapi.amap.com/c/loc2?l=116.31,39.91", {},
     {("location", "latlon-2dp", "query:l")}, "amap_location"),
    ("md5-upper-input", "GET", "https://alog.umeng.com/c/md5up?u=" + md5(ANDROID_ID.upper()), {},
     {("device_id.android_id", "md5-hex(upper)", "query:u")}, "umeng_common"),
    ("unknown-host", "POST", "https://collect.tracker-example.net/c/unknown", {"content": CLIP.encode()},
     {("clipboard", "plain", "body")}, "unknown"),
    ("first-party-http", "POST", "http://api.recruit.example.com/c/fp", {"json": {"clip": CLIP}},
     {("clipboard", "plain", "body.json")}, "first_party"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_https_and_http_encodings(proxy, client, case):
    cid, method, url, kw, expected, actor = case
    r = client.request(method, url, **kw)
    assert r.status_code == 204 and r.headers.get("x-sdkgate") == "offline"
    path = "/" + url.split("/", 3)[3].split("?")[0]
    flow, sends = flow_events(net(proxy), path)
    assert triples(sends) == expected
    host = url.split("/")[2]
    scheme = url.split(":")[0]
    for e in sends + [flow]:
        assert (e["host"], e["actor"], e["scheme"], e["method"]) == (host, actor, scheme, method)
    assert flow["status"] == 204 and flow["capped"] is False


def test_nothing_found_in_clean_traffic(proxy, client):
    client.post("https://alog.umeng.com/c/clean?lat=39.9123", json={"hello": "world", "n": 39.91})
    flow, sends = flow_events(net(proxy), "/c/clean")
    assert sends == []


def test_http2_with_and_without_content_length(proxy):
    body = json.dumps({"h": md5(IMEI)}).encode()
    status, alpn = h2_request(proxy.port, proxy.ca_path, "alog.umeng.com", "POST", "/h2/len", body=body,
                              headers=[("content-type", "application/json")])
    assert (status, alpn) == (204, "h2")
    flow, sends = flow_events(net(proxy), "/h2/len")
    assert triples(sends) == {("device_id.imei", "md5-hex", "body.json")}
    assert flow["http_version"] == "HTTP/2.0" and sends[0]["actor"] == "umeng_common"
    # no content-length: the body is streamed (offline: into the loopback sink) and still parsed
    status, _ = h2_request(proxy.port, proxy.ca_path, "api.jpush.cn", "POST", "/h2/stream", body=body,
                           headers=[("content-type", "application/json")], content_length=False)
    assert status == 204
    flow, sends = flow_events(net(proxy), "/h2/stream")
    assert triples(sends) == {("device_id.imei", "md5-hex", "body.json")}
    assert flow["host"] == "api.jpush.cn" and flow["actor"] == "jpush"
    # a body-less POST: answered locally too, never sent upstream (that would be a 502 here)
    status, _ = h2_request(proxy.port, proxy.ca_path, "api.jpush.cn", "POST", "/h2/nobody")
    assert status == 204
    flow, sends = flow_events(net(proxy), "/h2/nobody")
    assert flow["status"] == 204 and flow["offline"] is True and sends == []


def test_plain_tcp_payload(proxy):
    s = connect_tunnel(proxy.port, "push.jpush.cn", 3000)
    s.sendall(b"\x00\x01HELLO" + hashlib.md5(IMEI.encode()).hexdigest().encode()[:20])
    s.sendall(hashlib.md5(IMEI.encode()).hexdigest().encode()[20:] + b"\x00\xff")   # split across messages
    s.close()
    evs = wait_events(net(proxy), lambda es: any(e["kind"] == "flow" and e["scheme"] == "tcp" for e in es))
    flow = next(e for e in evs if e["kind"] == "flow" and e["scheme"] == "tcp")
    sends = [e for e in evs if e["kind"] == "send" and e["flow_id"] == flow["flow_id"]]
    assert triples(sends) == {("device_id.imei", "md5-hex", "tcp")}
    assert flow["host"] == "push.jpush.cn" and flow["actor"] == "jpush"


def test_pinning_client_yields_tls_failed_and_incomplete(proxy):
    s = connect_tunnel(proxy.port, "pinned.umeng.com")
    ctx = ssl.create_default_context()            # trusts the system CAs only, not the mitmproxy CA
    with pytest.raises(ssl.SSLError):
        ctx.wrap_socket(s, server_hostname="pinned.umeng.com")
    s.close()
    evs = wait_events(net(proxy), lambda es: any(e["kind"] == "tls_failed" for e in es))
    ev = next(e for e in evs if e["kind"] == "tls_failed")
    assert ev["host"] == "pinned.umeng.com" and ev["actor"] == "umeng_common" and ev["reason"]
    report = evaluate(read_event_log(net(proxy)), load_manifest(MANIFEST))
    # (the shared proxy's log also holds earlier tests' sends: a proven one makes it fail, the gap still listed)
    assert report.verdict == ("fail" if report.confirmed_violations() else "incomplete")
    assert any("pinned.umeng.com" in r for r in report.incomplete)
    assert report.incomplete_kinds.get("tls-intercept-failed", 0) >= 1


# --- bad input ------------------------------------------------------------------------------------

def test_body_claiming_gzip_that_is_not(proxy, client):
    client.post("https://alog.umeng.com/bad/gzip", content=b"imei=" + IMEI.encode(),
                headers={"content-encoding": "gzip", "content-type": "application/x-www-form-urlencoded"})
    flow, sends = flow_events(net(proxy), "/bad/gzip")
    assert triples(sends) == {("device_id.imei", "plain", "form:imei")}
    assert any("gzip" in n for n in flow["notes"])


def test_truncated_chunked_body(proxy):
    s = socket.create_connection(("127.0.0.1", proxy.port))
    s.sendall(b"POST http://alog.umeng.com/bad/chunked HTTP/1.1\r\nHost: alog.umeng.com\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % (len(CLIP) + 5) + b"clip=" + CLIP.encode() + b"\r\n"
              b"400\r\npartial")
    time.sleep(0.3)                                  # the client dies mid-body
    s.close()
    flow, sends = flow_events(net(proxy), "/bad/chunked")
    assert flow["error"] and flow["status"] is None
    assert triples(sends) == {("clipboard", "plain", "body.partial")}


def test_binary_garbage_and_non_utf8_json(proxy, client):
    r = client.post("https://api.jpush.cn/bad/garbage", content=os.urandom(300_000),
                    headers={"content-type": "application/json", "content-encoding": "br"})
    assert r.status_code == 204
    flow, sends = flow_events(net(proxy), "/bad/garbage")
    assert sends == [] and flow["status"] == 204 and flow["notes"]
    gbk = json.dumps({"t": "剪贴板内容 " + CLIP}, ensure_ascii=False).encode("gbk")
    client.post("https://api.jpush.cn/bad/gbk", content=gbk, headers={"content-type": "application/json; charset=gbk"})
    flow, sends = flow_events(net(proxy), "/bad/gbk")
    assert triples(sends) == {("clipboard", "plain", "body.json")}


def _vm_hwm_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def test_200mb_upload_is_streamed_scanned_and_marked(proxy, client):
    chunk = os.urandom(1 << 20)

    def body():
        for i in range(200):
            yield chunk
        yield b"tail:" + md5(IMEI).encode()

    r = client.post("https://api.jpush.cn/bad/big", content=body(), headers={"content-type": "application/octet-stream"})
    assert r.status_code == 204
    flow, sends = flow_events(net(proxy), "/bad/big")
    assert flow["capped"] is True and flow["bytes"] == 200 * (1 << 20) + 5 + 32
    assert triples(sends) == {("device_id.imei", "md5-hex", "body.stream")}
    # memory is bounded by the body cap, not the body size
    assert _vm_hwm_kb(proxy.proc.pid) < 180 * 1024


def test_seq_has_no_gaps_and_time_never_runs_backwards(proxy):
    evs = read_events(net(proxy))
    assert [e["seq"] for e in evs] == list(range(len(evs)))
    ts = [e["t_ms"] for e in evs]
    assert ts == sorted(ts) and ts[0] >= 0
    assert not [e for e in evs if e["kind"] == "incomplete"]


def test_zz_sigint_flushes_flow_file_and_har(proxy):
    assert proxy.stop(signal.SIGINT) == 0
    assert proxy.wait_har() == 0            # flows.har is written by a child once the proxy has exited
    out = proxy.out_dir
    har = json.loads((out / "flows.har").read_text())
    urls = {e["request"]["url"] for e in har["log"]["entries"]}
    assert f"https://alog.umeng.com/c/query?imei={IMEI}&x=1" in urls
    assert "http://api.recruit.example.com/c/fp" in urls
    # a body that claims gzip and is not cannot be decoded, yet its flow is in the HAR, raw
    bad = [e for e in har["log"]["entries"] if e["request"]["url"] == "https://alog.umeng.com/bad/gzip"]
    assert len(bad) == 1
    assert base64.b64decode(bad[0]["request"]["postData"]["text"]) == b"imei=" + IMEI.encode()
    from sdkgate.net.har import iter_flows
    assert sum(1 for _ in iter_flows(out / "flows.mitm")) >= len(CASES)


def test_sigterm_exits_0_with_files_flushed(tmp_path):
    with ProxyProcess(CANARIES, tmp_path, offline=True, t0_ms=1_000) as p:
        with httpx.Client(proxy=p.proxy_url, verify=p.ca_path, trust_env=False, timeout=60) as c:
            c.get(f"http://alog.umeng.com/t?imei={IMEI}")
        flow_events(tmp_path / "net.jsonl", "/t")
        assert p.stop(signal.SIGTERM) == 0
    assert p.wait_har() == 0
    evs = read_events(tmp_path / "net.jsonl")
    assert evs[0]["t_ms"] > 1e9             # relative to an epoch of 1 s: shares the caller's clock
    assert (tmp_path / "flows.har").exists() and (tmp_path / "flows.mitm").stat().st_size > 0


@pytest.mark.parametrize("content,problem", [
    ({"device_id.nope": "866123456789012"}, "unknown category id"),
    ({"clipboard": ""}, "empty or non-string value"),
])
def test_bad_canary_file_exits_2(tmp_path, content, problem):
    f = tmp_path / "canaries.json"
    f.write_text(json.dumps(content))
    r = subprocess.run([sys.executable, "-c", "import sys; from sdkgate.cli import main; main(sys.argv[1:])",
                        "proxy", "--port", "0", "--canaries", str(f), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert str(f) in r.stderr and problem in r.stderr and "Traceback" not in r.stderr
