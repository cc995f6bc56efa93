"""`sdkgate proxy --dns PORT` (issue 22 §3): the standalone proxy listens for UDP DNS queries too
(mitmproxy's dns mode), searches the query names like the rest of the traffic and, offline,
answers them itself."""
from __future__ import annotations

import hashlib
import socket
import struct

from sdkgate.dynamic.simnet import dns_query
from sdkgate.net.proxy import ProxyProcess

from .helpers import CANARIES, IMEI, MANIFEST, wait_events


def test_dns_listener_searches_query_names(tmp_path):
    p = ProxyProcess(CANARIES, tmp_path / "evidence", offline=True, manifest=MANIFEST, extra_args=("--dns", "0"))
    p.start()
    try:
        addr = p.listener("dns")
        assert addr is not None and addr[0] == "127.0.0.1" and addr[1] > 0
        name = f"{hashlib.md5(IMEI.encode()).hexdigest()}.log.umeng.com"
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(10)
        try:
            s.sendto(dns_query(name), addr)
            answer = s.recv(1500)
        finally:
            s.close()
        assert struct.unpack("!H", answer[6:8])[0] == 1              # answered offline: the app goes on
        evs = wait_events(p.out_dir / "net.jsonl", lambda es: any(e.get("where") == "dns:qname" for e in es))
        send = next(e for e in evs if e.get("where") == "dns:qname")
        assert (send["category"], send["encoding"], send["actor"]) == ("device_id.imei", "md5-hex", "umeng_common")
    finally:
        assert p.stop() == 0
