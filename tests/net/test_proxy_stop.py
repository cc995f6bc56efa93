"""Stopping the proxy: flows.har is written by a child after the proxy exited (stop does not wait for it,
wait_har does; sealing an evidence folder waits for it), so a proxy killed with SIGKILL still leaves
net.jsonl complete up to its last flow and a HAR of the flows it recorded."""
from __future__ import annotations

import json
import signal
from pathlib import Path

import httpx

from sdkgate.net.proxy import ProxyProcess

from .helpers import CANARIES, IMEI, flow_events, read_events


def test_sigkilled_proxy_leaves_net_jsonl_and_a_har(tmp_path):
    with ProxyProcess(CANARIES, tmp_path, offline=True, t0_ms=1_000) as p:
        with httpx.Client(proxy=p.proxy_url, verify=p.ca_path, trust_env=False, timeout=60) as c:
            for i in range(3):
                c.get(f"http://alog.umeng.com/k{i}?imei={IMEI}")
        flow_events(tmp_path / "net.jsonl", "/k2")
        rc = p.stop(signal.SIGKILL)
        assert p.wait_har() == 0
    assert rc == -signal.SIGKILL
    evs = read_events(tmp_path / "net.jsonl")
    paths = " ".join(str(e.get("path")) for e in evs if e["kind"] == "flow")
    assert all(f"/k{i}" in paths for i in range(3)), paths
    har = json.loads((tmp_path / "flows.har").read_text())
    assert len(har["log"]["entries"]) >= 1            # what mitmproxy had written to flows.mitm
    assert not (tmp_path / "flows.har.tmp").exists()


def test_garbage_and_idle_connections_are_recorded(tmp_path):
    import socket

    from .helpers import wait_events
    with ProxyProcess(CANARIES, tmp_path, offline=True, t0_ms=1_000, extra_args=["--idle-timeout", "1"]) as p:
        s = socket.create_connection(("127.0.0.1", p.port))
        s.sendall(b"GARBAGE NOT HTTP\x00\xff\r\n\r\n")
        s.settimeout(60)
        while s.recv(4096):
            pass
        s.close()
        idle = socket.create_connection(("127.0.0.1", p.port))
        idle.settimeout(60)                        # far below the 120 s default: only --idle-timeout 1 closes it
        assert idle.recv(10) == b""                # closed by the proxy, not by us (a timeout would raise)
        idle.close()
        evs = wait_events(tmp_path / "net.jsonl", lambda es: len([e for e in es if str(e.get("flow_id")).startswith("conn-")]) >= 2)
    conns = [e for e in evs if e["kind"] == "flow" and str(e.get("flow_id")).startswith("conn-")]
    assert len(conns) == 2
    assert all(e["error"] for e in conns)
    assert any("idle" in e["error"] for e in conns)


def test_stop_does_not_wait_for_the_har_and_sealing_does(tmp_path, monkeypatch):
    """stop() returns once the proxy has exited; flows.har comes from a child, and write_bundle waits for it
    (a seal never lists a half-written HAR). The child is held back here, so no timing is involved."""
    from sdkgate.bundle import write_bundle
    from sdkgate.net import harjob
    gate = tmp_path / "gate"
    gate.mkdir()
    real_start = harjob.start

    def held_start(out_dir):                   # the HAR child waits until the gate file appears
        import subprocess
        import sys
        out = Path(out_dir).resolve()
        proc = subprocess.Popen([sys.executable, "-c",
                                 "import sys, time, pathlib\n"
                                 "while not pathlib.Path(sys.argv[2]).exists(): time.sleep(0.01)\n"
                                 "from sdkgate.net.har import main; sys.exit(main([sys.argv[1]]))",
                                 str(out), str(gate / "open")])
        harjob._JOBS[out] = proc
        return proc
    monkeypatch.setattr(harjob, "start", held_start)
    out = tmp_path / "run"
    with ProxyProcess(CANARIES, out, offline=True, t0_ms=1_000) as p:
        with httpx.Client(proxy=p.proxy_url, verify=p.ca_path, trust_env=False, timeout=60) as c:
            c.get(f"http://alog.umeng.com/h?imei={IMEI}")
        flow_events(out / "net.jsonl", "/h")
    assert p.returncode == 0
    assert not (out / "flows.har").exists()          # stop() returned while the HAR child is held
    import threading
    sealed = threading.Event()
    t = threading.Thread(target=lambda: (write_bundle(out), sealed.set()))
    t.start()
    assert not sealed.wait(0.5)                       # sealing waits for the HAR (it cannot finish first)
    (gate / "open").touch()
    t.join(120)
    assert sealed.is_set()
    meta = json.loads((out / "bundle.json").read_text())
    assert "flows.har" in meta["files"] and "flows.har.tmp" not in meta["files"]
    assert len(json.loads((out / "flows.har").read_text())["log"]["entries"]) == 1
    monkeypatch.setattr(harjob, "start", real_start)
