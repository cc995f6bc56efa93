"""Per-flow cost of the sdkgate addon: requests/s through mitmproxy with and without it, same run.

Both proxies are `mitmdump` child processes on loopback answering locally with 204 (the baseline
with a two-line addon that only does that, so the difference is the scanning). A typical flow:
HTTPS POST, a query string, a few headers, a 2 KB JSON body. Target: < 1 ms added per flow.

    .venv/bin/python bench/bench_proxy.py [--n 400] [--rounds 2]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from sdkgate.canaries import generate  # noqa: E402
from sdkgate.net.proxy import ProxyProcess  # noqa: E402

BASELINE_ADDON = '''
from mitmproxy import http
from pathlib import Path
import json, os
class Local:
    def running(self):
        from mitmproxy import ctx
        addr = ctx.master.addons.get("proxyserver").listen_addrs()[0]
        out = Path(ctx.options.baseline_out)
        (out / "proxy.json").write_text(json.dumps({"pid": os.getpid(), "host": addr[0], "port": addr[1],
            "ca_path": str(Path(ctx.options.confdir) / "mitmproxy-ca-cert.pem")}))
    def load(self, loader):
        loader.add_option("baseline_out", str, "", "")
    def request(self, flow):
        flow.response = http.Response.make(204)
addons = [Local()]
'''


class Baseline(ProxyProcess):
    def command(self):
        script = self.out_dir / "baseline_addon.py"
        script.write_text(BASELINE_ADDON)
        return [str(Path(sys.executable).with_name("mitmdump")), "--listen-host", "127.0.0.1", "-p", "0", "-q",
                "--set", f"confdir={self.confdir}", "--set", "connection_strategy=lazy", "--set", "upstream_cert=false",
                "-s", str(script), "--set", f"baseline_out={self.out_dir}", "-w", str(self.out_dir / "flows.mitm")]


def typical_body(canaries: dict) -> bytes:
    return json.dumps({"event": "app_start", "items": [{"k": f"key{i}", "v": "x" * 20} for i in range(60)],
                       "did": canaries["device_id.android_id"]}).encode()


def batch(c: httpx.Client, n: int, body: bytes, start: int) -> float:
    t = time.perf_counter()
    for i in range(start, start + n):
        r = c.post(f"https://alog.umeng.com/app_logs?seq={i}&ver=1.2.3", content=body,
                   headers={"content-type": "application/json", "x-app": "com.example.recruit"})
        assert r.status_code == 204
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000, help="requests per proxy")
    ap.add_argument("--batch", type=int, default=50, help="requests per turn (the two proxies alternate)")
    args = ap.parse_args()
    canaries = generate()
    body = typical_body(canaries)
    spent = {"without": 0.0, "with": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        procs = {"without": Baseline(canaries, Path(tmp) / "without"),
                 "with": ProxyProcess(canaries, Path(tmp) / "with", offline=True, mitmdump=True)}
        for p in procs.values():
            p.start()
        try:
            clients = {k: httpx.Client(proxy=p.proxy_url, verify=p.ca_path, trust_env=False, timeout=30)
                       for k, p in procs.items()}
            for k, c in clients.items():
                batch(c, 20, body, 0)                            # warm up (TLS, cert generation)
            done = 0
            while done < args.n:                                 # alternate so load drift hits both alike
                for k, c in clients.items():
                    spent[k] += batch(c, args.batch, body, done)
                done += args.batch
            for c in clients.values():
                c.close()
        finally:
            for p in procs.values():
                p.stop()
        sends = sum(1 for line in (procs["with"].out_dir / "net.jsonl").read_text().splitlines() if '"send"' in line)
        assert sends >= done, sends                              # the addon found the android id in every flow
    rps = {k: done / v for k, v in spent.items()}
    added_ms = (spent["with"] - spent["without"]) / done * 1000
    print(f"{done} typical HTTPS flows per proxy (POST, query, headers, {len(body)} B JSON), alternating batches of {args.batch}")
    print(f"without addon: {rps['without']:7.1f} req/s")
    print(f"with addon   : {rps['with']:7.1f} req/s  (ratio {rps['with'] / rps['without']:.2f})")
    print(f"added per flow: {added_ms:.3f} ms  (target < 1 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
