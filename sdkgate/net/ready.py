"""What a proxy process and the one who started it share: where the proxy listens (proxy.json, written
by the recorder once mitmproxy is listening, read by ProxyProcess.start) and the flag telling a proxy
child that its parent writes flows.har after it exits. No mitmproxy import here."""
from __future__ import annotations

import json
import os
from pathlib import Path

READY_FILE = "proxy.json"
CA_FILE = "mitmproxy-ca-cert.pem"
HAR_AFTER_EXIT_ENV = "SDKGATE_HAR_AFTER_EXIT"   # set for a proxy child: its parent writes flows.har after it exits


def listen_addr(master) -> tuple[str, int] | None:
    ps = master.addons.get("proxyserver")
    addrs = ps.listen_addrs() if ps else []
    return tuple(addrs[0][:2]) if addrs else None


def listeners(master) -> list[dict]:
    """Every listening server: mode spec and address (the HTTP proxy, socks5, dns, wireguard ...)."""
    ps = master.addons.get("proxyserver")
    out = []
    for server in (ps.servers if ps else []):
        for addr in server.listen_addrs:
            out.append({"mode": server.mode.full_spec, "type": server.mode.type_name, "host": addr[0], "port": addr[1]})
    return out


def write_ready(out_dir: Path, host: str, port: int, confdir: str | Path, servers: list[dict] | None = None) -> dict:
    info = {"pid": os.getpid(), "host": host, "port": port,
            "ca_path": str(Path(confdir).expanduser() / CA_FILE), "confdir": str(Path(confdir).expanduser()),
            "listeners": servers or []}
    tmp = out_dir / (READY_FILE + ".tmp")
    tmp.write_text(json.dumps(info))
    tmp.replace(out_dir / READY_FILE)
    return info
