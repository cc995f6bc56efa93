"""Running mitmproxy with the sdkgate addon: in this process (`serve`, `InProcessProxy`) or as a
child process (`ProxyProcess`, what tests, the simulator and the runner use).

Two mitmproxy masters in one Python process share global state (one's traffic reached the other's
addons and CA), so prefer `ProxyProcess`: one proxy per process, stopped with SIGINT so the flow
file, net.jsonl and flows.har are flushed.

    with ProxyProcess(canaries, out_dir, offline=True) as p:
        httpx.post(url, proxy=p.proxy_url, verify=p.ca_path, trust_env=False, ...)
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..fileio import loads_bounded
from .ready import CA_FILE, HAR_AFTER_EXIT_ENV, READY_FILE, listen_addr, listeners, write_ready  # noqa: F401

def _make_master(listen_host: str, port: int, confdir: str | Path, out_dir: Path, addon,
                 idle_timeout: int | None = None, modes: tuple[str, ...] = ()):
    from mitmproxy.options import Options
    from mitmproxy.tools.dump import DumpMaster
    opts = Options(listen_host=listen_host, listen_port=port, confdir=str(confdir))
    if modes:               # capture.py: extra listeners (socks5, dns, wireguard) next to the HTTP proxy
        opts.update(mode=["regular", *modes])
    master = DumpMaster(opts, with_termlog=True, with_dumper=False)
    master.addons.add(addon)
    # addon-owned options exist only once the master (and its addons) exist; updating them also
    # runs every addon's `configure`, ours included
    master.options.update(save_stream_file=str(out_dir / "flows.mitm"), termlog_verbosity="warn")
    if idle_timeout:
        master.options.update(sdkgate_idle_timeout=int(idle_timeout))
    return master


def serve(*, listen_host: str, port: int, canaries: dict[str, list[str]], out_dir: str | Path,
          confdir: str | Path, offline: bool, manifest=None, t0_ms: float | None = None,
          announce=print, idle_timeout: int | None = None, modes: tuple[str, ...] = ()) -> int:
    """Run the proxy in this process until SIGINT/SIGTERM; flush everything; return 0."""
    from .addon import SdkgateAddon
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    async def main():
        addon = SdkgateAddon(canaries=canaries, out_dir=out, offline=offline, manifest=manifest, t0_ms=t0_ms)
        master = _make_master(listen_host, port, confdir, out, addon, idle_timeout, modes)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, master.shutdown)
        task = asyncio.create_task(master.run())
        while not task.done() and listen_addr(master) is None:
            await asyncio.sleep(0.01)
        if task.done():
            return await task
        host, p = listen_addr(master)
        ca = Path(confdir).expanduser() / CA_FILE
        announce(f"sdkgate proxy: listening on {host}:{p} (offline={offline}); clients must trust {ca}")
        await task

    asyncio.run(main())
    return 0


class _Endpoint:
    """Where clients connect and which CA they must trust (both proxy runners)."""

    confdir: Path
    listen_host: str
    port: int | None

    @property
    def ca_path(self) -> str:
        return str(self.confdir / CA_FILE)

    @property
    def proxy_url(self) -> str:
        return f"http://{self.listen_host}:{self.port}"

    def listener(self, type_name: str) -> tuple[str, int] | None:
        """Address of the first extra listener of one mode type ("socks5", "dns", "wireguard")."""
        for x in getattr(self, "listeners", []):
            if x.get("type") == type_name:
                return x["host"], int(x["port"])
        return None


class InProcessProxy(_Endpoint):
    """A DumpMaster in a background thread (one per process!). `.port`, `.ca_path`, `.stop()`."""

    def __init__(self, canaries, out_dir, *, offline: bool = True, manifest=None, confdir=None,
                 listen_host: str = "127.0.0.1", port: int = 0, t0_ms: float | None = None):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._tmp_conf = None if confdir else tempfile.mkdtemp(prefix="sdkgate-ca-")
        self.confdir = Path(confdir or self._tmp_conf)
        self.kw = dict(canaries=canaries, out_dir=self.out_dir, offline=offline, manifest=manifest, t0_ms=t0_ms)
        self.listen_host, self.req_port = listen_host, port
        self.master = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.port: int | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = 120) -> "InProcessProxy":
        from .addon import SdkgateAddon

        def run():
            async def main():
                self.loop = asyncio.get_running_loop()
                self.master = _make_master(self.listen_host, self.req_port, self.confdir, self.out_dir,
                                           SdkgateAddon(**self.kw))
                task = asyncio.create_task(self.master.run())
                while not task.done() and listen_addr(self.master) is None:
                    await asyncio.sleep(0.01)
                if not task.done():
                    self.port = listen_addr(self.master)[1]
                self._ready.set()
                await task
            try:
                asyncio.run(main())
            except BaseException as exc:  # noqa: BLE001 - reported to the caller of start()
                self._error = exc
                self._ready.set()

        self._thread = threading.Thread(target=run, name="sdkgate-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self.port is None:
            raise RuntimeError(f"in-process proxy did not start: {self._error!r}")
        return self

    def stop(self, timeout: float = 20) -> None:
        if self.loop and self.master:
            self.loop.call_soon_threadsafe(self.master.shutdown)
        if self._thread:
            self._thread.join(timeout)
        if self._tmp_conf:
            shutil.rmtree(self._tmp_conf, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class ProxyProcess(_Endpoint):
    """`sdkgate proxy` (or `mitmdump -s addon.py`) as a child process on 127.0.0.1, port 0.

    `canaries` is a dict (written to out_dir/canaries.json) or the path of a canary file. Without
    `confdir` a temporary CA folder is made and removed at stop (the CA's private key does not
    belong in an evidence folder). stop() sends SIGINT and waits, so all files are flushed.
    """

    def __init__(self, canaries, out_dir, *, offline: bool = True, manifest=None, confdir=None,
                 listen_host: str = "127.0.0.1", port: int = 0, t0_ms: float | None = None,
                 mitmdump: bool = False, extra_args: tuple[str, ...] = (), modes: tuple[str, ...] = ()):
        self.modes = tuple(modes)      # extra listeners, mitmproxy mode specs (socks5@127.0.0.1:0, dns@...)
        self.listeners: list[dict] = []
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        if isinstance(canaries, dict):
            cpath = self.out_dir / "canaries.json"
            cpath.write_text(json.dumps(canaries, ensure_ascii=False, indent=1), "utf-8")
            canaries = cpath
        self.canaries = Path(canaries)
        self._tmp_conf = None if confdir else tempfile.mkdtemp(prefix="sdkgate-ca-")
        self.confdir = Path(confdir or self._tmp_conf)
        self.offline, self.manifest, self.t0_ms = offline, manifest, t0_ms
        self.listen_host, self.req_port = listen_host, port
        self.mitmdump, self.extra_args = mitmdump, extra_args
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.returncode: int | None = None
        self._log = None

    def command(self) -> list[str]:
        if self.mitmdump:
            exe = Path(sys.executable).with_name("mitmdump")
            for m in ("regular", *self.modes) if self.modes else ():
                self.extra_args = (*self.extra_args, "--mode", m)
            cmd = [str(exe), "--listen-host", self.listen_host, "-p", str(self.req_port), "-q",
                   "--set", f"confdir={self.confdir}", "-s", str(Path(__file__).with_name("addon.py")),
                   "-w", str(self.out_dir / "flows.mitm"),
                   "--set", f"sdkgate_canaries={self.canaries}", "--set", f"sdkgate_out={self.out_dir}"]
            if self.offline:
                cmd += ["--set", "sdkgate_offline=true"]
            if self.manifest:
                cmd += ["--set", f"sdkgate_manifest={self.manifest}"]
            if self.t0_ms is not None:
                cmd += ["--set", f"sdkgate_t0={int(self.t0_ms)}"]
            return cmd + list(self.extra_args)
        cmd = [sys.executable, "-c", "import sys; from sdkgate.cli import main; main(sys.argv[1:])", "proxy",
               "--port", str(self.req_port), "--listen-host", self.listen_host, "--canaries", str(self.canaries),
               "--out", str(self.out_dir), "--confdir", str(self.confdir)]
        if self.offline:
            cmd.append("--offline")
        if self.manifest:
            cmd += ["--manifest", str(self.manifest)]
        if self.t0_ms is not None:
            cmd += ["--t0", str(int(self.t0_ms))]
        for m in self.modes:
            cmd += ["--listen-mode", m]
        return cmd + list(self.extra_args)

    def start(self, timeout: float = 120) -> "ProxyProcess":       # a bound: returns once it listens
        ready = self.out_dir / READY_FILE
        ready.unlink(missing_ok=True)
        self._log = (self.out_dir / "proxy.log").open("ab")
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env[HAR_AFTER_EXIT_ENV] = "1"          # flows.har is written by stop(), after the child exited
        self.proc = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._close_log()
                raise RuntimeError(f"proxy exited with {self.proc.returncode} before listening: "
                                   + (self.out_dir / "proxy.log").read_text("utf-8", "replace")[-2000:])
            if ready.exists():
                try:
                    info = loads_bounded(ready.read_bytes())
                except ValueError:
                    info = None
                if info and info.get("pid") == self.proc.pid and Path(info["ca_path"]).exists():
                    self.port = int(info["port"])
                    self.listeners = list(info.get("listeners") or [])
                    return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"proxy did not listen within {timeout} s")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 30) -> int | None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self.returncode = self.proc.returncode
            self._close_log()
            from . import harjob
            harjob.start(self.out_dir)        # flows.har in a child: stopping does not wait for it (wait_har)
        self._close_log()
        if self._tmp_conf:
            shutil.rmtree(self._tmp_conf, ignore_errors=True)
            self._tmp_conf = None
        return self.returncode

    def wait_har(self, timeout: float | None = None) -> int | None:
        """Wait until flows.har is written (stop() leaves it to a child); the HAR writer's exit code."""
        from . import harjob
        return harjob.wait(self.out_dir, timeout)

    def _close_log(self):
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
