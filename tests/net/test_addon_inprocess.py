"""The addon class in-process: inside a DumpMaster thread (in a child Python, one master per
process), and its per-flow error containment (a failing flow becomes an `incomplete` event)."""
from __future__ import annotations

import json
import subprocess
import sys

from mitmproxy.test import taddons, tflow

from sdkgate.net.addon import SdkgateAddon

from .helpers import CANARIES, IMEI, read_events

CHILD = r'''
import json, sys, httpx
from sdkgate.net.proxy import InProcessProxy
canaries, out = json.loads(sys.argv[1]), sys.argv[2]
with InProcessProxy({k: [v] for k, v in canaries.items()}, out, offline=True) as p:
    with httpx.Client(proxy=p.proxy_url, verify=p.ca_path, trust_env=False, timeout=60) as c:
        print(c.get("https://alog.umeng.com/inproc?i=" + canaries["device_id.imei"]).status_code)
'''


def test_in_process_proxy_in_a_thread(tmp_path):
    r = subprocess.run([sys.executable, "-c", CHILD, json.dumps(CANARIES), str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "204"
    evs = read_events(tmp_path / "net.jsonl")
    assert [(e["kind"], e.get("encoding"), e.get("where"), e["actor"]) for e in evs] == [
        ("send", "plain", "query:i", "umeng_common"), ("flow", None, None, "umeng_common")]
    assert (tmp_path / "flows.har").exists()


class Exploding:
    """Stands in for the matcher (our own code, not mitmproxy) to force an addon failure."""
    def scan(self, data):
        raise RuntimeError("boom")


def test_a_failing_flow_becomes_an_incomplete_event_and_the_proxy_goes_on(tmp_path):
    addon = SdkgateAddon(canaries={k: [v] for k, v in CANARIES.items()}, out_dir=tmp_path, offline=True)
    with taddons.context(addon) as tctx:
        tctx.configure(addon)
        good_matcher = addon.matcher
        addon.matcher = Exploding()
        f = tflow.tflow()
        f.request.host = "alog.umeng.com"
        addon.request(f)
        assert f.response is not None and f.response.status_code == 204     # still answered
        addon.matcher = good_matcher
        g = tflow.tflow()
        g.request.path = "/ok?imei=" + IMEI
        addon.request(g)
        addon.response(g)
        addon.done()
    evs = read_events(tmp_path / "net.jsonl")
    inc = [e for e in evs if e["kind"] == "incomplete"]
    assert len(inc) == 1 and f.id in inc[0]["reason"] and "boom" in inc[0]["reason"]
    assert any(e["kind"] == "send" and e["where"] == "query:imei" for e in evs)
