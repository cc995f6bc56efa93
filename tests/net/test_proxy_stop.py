"""Stopping the proxy: flows.har is written by the parent after the proxy exited, so a proxy killed with
SIGKILL still leaves net.jsonl complete up to its last flow and a HAR of the flows it recorded."""
from __future__ import annotations

import json
import signal

import httpx

from sdkgate.net.proxy import ProxyProcess

from .helpers import CANARIES, IMEI, flow_events, read_events


def test_sigkilled_proxy_leaves_net_jsonl_and_a_har(tmp_path):
    with ProxyProcess(CANARIES, tmp_path, offline=True, t0_ms=1_000) as p:
        with httpx.Client(proxy=p.proxy_url, verify=p.ca_path, trust_env=False) as c:
            for i in range(3):
                c.get(f"http://alog.umeng.com/k{i}?imei={IMEI}")
        flow_events(tmp_path / "net.jsonl", "/k2")
        rc = p.stop(signal.SIGKILL)
    assert rc == -signal.SIGKILL
    evs = read_events(tmp_path / "net.jsonl")
    paths = " ".join(str(e.get("path")) for e in evs if e["kind"] == "flow")
    assert all(f"/k{i}" in paths for i in range(3)), paths
    har = json.loads((tmp_path / "flows.har").read_text())
    assert len(har["log"]["entries"]) >= 1            # what mitmproxy had written to flows.mitm
    assert not (tmp_path / "flows.har.tmp").exists()


def test_garbage_and_idle_connections_are_recorded(tmp_path):
    import socket
    import time

    from .helpers import wait_events
    with ProxyProcess(CANARIES, tmp_path, offline=True, t0_ms=1_000, extra_args=["--idle-timeout", "1"]) as p:
        s = socket.create_connection(("127.0.0.1", p.port))
        s.sendall(b"GARBAGE NOT HTTP\x00\xff\r\n\r\n")
        s.settimeout(5)
        while s.recv(4096):
            pass
        s.close()
        idle = socket.create_connection(("127.0.0.1", p.port))
        idle.settimeout(10)
        t = time.monotonic()
        assert idle.recv(10) == b""                # closed by the proxy, not by us
        assert time.monotonic() - t < 8
        idle.close()
        evs = wait_events(tmp_path / "net.jsonl", lambda es: len([e for e in es if str(e.get("flow_id")).startswith("conn-")]) >= 2)
    conns = [e for e in evs if e["kind"] == "flow" and str(e.get("flow_id")).startswith("conn-")]
    assert len(conns) == 2
    assert all(e["error"] for e in conns)
    assert any("idle" in e["error"] for e in conns)
