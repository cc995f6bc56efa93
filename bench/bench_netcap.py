"""Costs of the network-capture work (issue 12), each against a baseline measured in the same run:

1. proxy throughput: the sdkgate addon vs bare mitmproxy (no addon), both forwarding the same mixed
   load (HTTPS JSON, gzip JSON, a zip upload) to the same loopback upstream. Target: ratio >= 0.7.
2. derived-value matching: matcher cost per flow with 50 derived outputs in the automaton vs none.
3. agent cost per hooked connect(): real libc connect() calls in the simulated app process with the
   agent's socket hooks vs the same calls in a process without the agent.
4. agent cost per digest(): MessageDigest getInstance/update/digest through the hooked Java classes
   with planted values to follow vs the same calls with nothing planted (the hooks are not installed).

    .venv/bin/python bench/bench_netcap.py [--n 300]
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import json
import os
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from sdkgate.canaries import generate  # noqa: E402
from sdkgate.net.proxy import ProxyProcess  # noqa: E402


class Bare(ProxyProcess):
    """mitmdump with no addon at all (the ready file is written by a 6-line helper script)."""

    def command(self):
        script = self.out_dir / "ready.py"
        script.write_text(
            "from pathlib import Path\nimport json, os\nfrom mitmproxy import ctx\nclass R:\n"
            "    def running(self):\n        a = ctx.master.addons.get('proxyserver').listen_addrs()[0]\n"
            f"        Path({str(self.out_dir)!r}, 'proxy.json').write_text(json.dumps({{'pid': os.getpid(), "
            "'host': a[0], 'port': a[1], 'ca_path': str(Path(ctx.options.confdir) / 'mitmproxy-ca-cert.pem')}))\n"
            "addons = [R()]\n")
        return [str(Path(sys.executable).with_name("mitmdump")), "--listen-host", "127.0.0.1", "-p", "0", "-q",
                "--set", f"confdir={self.confdir}", "--ssl-insecure", "-s", str(script),
                "-w", str(self.out_dir / "flows.mitm")]


def upstream() -> tuple[int, callable]:
    """A loopback HTTP/1.1 server answering 204 to everything (h11), in a thread."""
    import h11
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port = [0]

    async def handle(reader, writer):
        conn = h11.Connection(h11.SERVER)
        try:
            while True:
                ev = conn.next_event()
                if ev is h11.NEED_DATA:
                    data = await reader.read(1 << 16)
                    conn.receive_data(data)
                    if not data:
                        break
                    continue
                if isinstance(ev, h11.EndOfMessage):
                    writer.write(conn.send(h11.Response(status_code=204, headers=[])))
                    writer.write(conn.send(h11.EndOfMessage()))
                    await writer.drain()
                    conn.start_next_cycle()
                elif isinstance(ev, h11.ConnectionClosed):
                    break
        except Exception:  # noqa: BLE001
            pass
        writer.close()

    async def main():
        srv = await asyncio.start_server(handle, "127.0.0.1", 0)
        port[0] = srv.sockets[0].getsockname()[1]
        ready.set()
        await asyncio.Event().wait()

    threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True).start()
    ready.wait(10)
    return port[0], loop


def load(canaries: dict) -> list[tuple[str, dict, bytes]]:
    doc = json.dumps({"event": "app_start", "items": [{"k": f"key{i}", "v": "x" * 20} for i in range(60)],
                      "did": canaries["device_id.android_id"]}).encode()
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("log.json", doc)
    return [("application/json", {}, doc),
            ("application/json", {"content-encoding": "gzip"}, gzip.compress(doc)),
            ("application/octet-stream", {}, z.getvalue())]


def bench_proxy(n: int) -> float:
    canaries = generate()
    reqs = load(canaries)
    port, _ = upstream()
    spent = {"bare": 0.0, "sdkgate": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        procs = {"bare": Bare(canaries, Path(tmp) / "bare"),
                 "sdkgate": ProxyProcess(canaries, Path(tmp) / "sdkgate", offline=False)}
        for p in procs.values():
            p.start()
        try:
            clients = {k: httpx.Client(proxy=p.proxy_url, trust_env=False, timeout=30) for k, p in procs.items()}
            url = f"http://127.0.0.1:{port}/app_logs"

            def batch(c, k0, m):
                t = time.perf_counter()
                for i in range(k0, k0 + m):
                    ct, h, body = reqs[i % len(reqs)]
                    r = c.post(f"{url}?seq={i}", content=body, headers={"content-type": ct, **h})
                    assert r.status_code == 204, r.status_code
                return time.perf_counter() - t
            for c in clients.values():
                batch(c, 0, 20)
            done = 0
            while done < n:
                for k, c in clients.items():
                    spent[k] += batch(c, done, 25)
                done += 25
            for c in clients.values():
                c.close()
        finally:
            for p in procs.values():
                p.stop()
        sends = sum('"send"' in ln for ln in (procs["sdkgate"].out_dir / "net.jsonl").read_text().splitlines())
        assert sends >= done, sends          # the addon found the planted id in every flow (zip and gzip too)
    ratio = spent["bare"] / spent["sdkgate"]
    print(f"1. proxy: {done} flows each (JSON, gzip JSON, zip upload) to one loopback upstream")
    print(f"   bare mitmproxy {done / spent['bare']:7.1f} req/s | with sdkgate {done / spent['sdkgate']:7.1f} req/s"
          f" | ratio {ratio:.2f} (target >= 0.7)")
    return ratio


def bench_derived(n: int) -> None:
    from sdkgate.net.decode import decode_body
    from sdkgate.net.derived import DerivedMatcher, DerivedValue
    from sdkgate.net.matcher import Matcher
    canaries = generate()
    m0 = Matcher({k: [v] for k, v in canaries.items()})
    m1 = Matcher({k: [v] for k, v in canaries.items()})
    m1.derived = DerivedMatcher()
    for i in range(50):
        m1.derived.add(DerivedValue(("device_id.imei",), f"aes-128-cbc(json){i}", "", os.urandom(32)))
    bodies = [b for _, _, b in load(canaries)]
    parts = [rep for b in bodies for p in decode_body(b, "", "").parts for rep in p.reps]

    def run(m):
        t = time.perf_counter()
        for _ in range(n):
            for rep in parts:
                m.scan(rep)
        return (time.perf_counter() - t) / (n * len(bodies))
    run(m1)
    base, with_d = run(m0), run(m1)
    print(f"2. derived matching: {base * 1e6:.1f} us/flow without, {with_d * 1e6:.1f} us/flow with 50 derived "
          f"outputs (+{(with_d - base) * 1e6:.1f} us, ratio {with_d / base:.2f})")


BARE_NET = """
const g = (n) => Module.getGlobalExportByName(n);
const socket = new NativeFunction(g("socket"), "int", ["int", "int", "int"]);
const connect = new NativeFunction(g("connect"), "int", ["int", "pointer", "int"]);
const close = new NativeFunction(g("close"), "int", ["int"]);
rpc.exports = { loop(n) {
  const sa = Memory.alloc(16); sa.writeU16(2); sa.add(2).writeU8(0); sa.add(3).writeU8(9);
  sa.add(4).writeByteArray([127, 0, 0, 1]);
  const t = Date.now();
  for (let i = 0; i < n; i++) { const fd = socket(2, 1, 0); connect(fd, sa, 16); close(fd); }
  return Date.now() - t;
}};
"""


def bench_agent(n: int) -> None:
    import frida

    from sdkgate.dynamic.host import AgentOptions
    from sdkgate.dynamic.simsend import digest_in_process
    from sdkgate.dynamic.simruntime import SimRuntime
    stack = ["cn.jpush.android.service.PushService.run(PushService.java:10)"]
    dev = frida.get_local_device()
    pid = dev.spawn(["/bin/sleep", "600"])
    try:
        s = dev.attach(pid)
        sc = s.create_script(BARE_NET)
        sc.load()
        dev.resume(pid)
        sc.exports_sync.loop(50)
        bare_ms = sc.exports_sync.loop(n)
    finally:
        dev.kill(pid)
    events: list = []
    canaries = generate()
    with SimRuntime(None, canaries, events.append, options=AgentOptions()) as rt:
        sc2 = rt._session.create_script(BARE_NET)      # the same loop, in the process the agent hooks
        sc2.load()
        sc2.exports_sync.loop(50)
        hooked_ms = sc2.exports_sync.loop(n)
        rt.flush()
        t = time.perf_counter()
        for _ in range(max(1, n // 5)):
            digest_in_process(rt, "md5", canaries["device_id.imei"].encode(), stack, "main")
        with_digest = (time.perf_counter() - t) / max(1, n // 5)
    with SimRuntime(None, None, lambda e: None, options=AgentOptions()) as rt0:
        t = time.perf_counter()
        for _ in range(max(1, n // 5)):
            digest_in_process(rt0, "md5", b"nothing planted", stack, "main")
        without_digest = (time.perf_counter() - t) / max(1, n // 5)
    conns = sum(1 for e in events if e.kind == "net_connect")
    print(f"3. connect(): {bare_ms / n * 1000:.1f} us/call without the agent, {hooked_ms / n * 1000:.1f} us/call with "
          f"its socket hooks ({conns} net_connect events): +{(hooked_ms - bare_ms) / n * 1000:.1f} us per connect()")
    print(f"4. digest(): {with_digest * 1e3:.3f} ms per getInstance/update/digest (one RPC) with planted values "
          f"followed vs {without_digest * 1e3:.3f} ms with nothing planted (+{(with_digest - without_digest) * 1e3:.3f} ms)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    ratio = bench_proxy(args.n)
    bench_derived(args.n)
    bench_agent(args.n)
    return 0 if ratio >= 0.7 else 1


if __name__ == "__main__":
    sys.exit(main())
