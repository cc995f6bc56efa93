"""Capture modes of `run --capture` (recorded in run.json and as a `capture` step event):

  proxy        the system HTTP proxy (global `http_proxy`): only clients that honour it are seen,
               so the report labels the capture partial; net_connect checks name what went around.
  wireguard    mitmproxy's WireGuard mode: every TCP/UDP packet of the device (DNS included) goes
               through mitmproxy; sdkgate writes the client config and sets the tunnel up via adb
               (sdkgate/device/wireguard.py).
  transparent  rooted emulators: the app's uid is routed to this host, where netfilter redirects it
               into mitmproxy's transparent mode (rules in docs/ci.md).

The simulated device has its own network: an HTTP proxy, a SOCKS5 listener for proxy-aware raw
socket clients and a DNS listener as its resolver, all on loopback.
"""
from __future__ import annotations

from ..i18n import N_

CAPTURE_MODES = ("proxy", "wireguard", "transparent")
WIREGUARD_PORT = 51820
SIMULATED_LISTENERS = ("socks5@127.0.0.1:0", "dns@127.0.0.1:0")

PARTIAL_NOTE = N_("capture mode proxy is partial: only clients that honour the system HTTP proxy are searched; "
                "destinations reached around it are named as 'traffic not observed'")


def listener_modes(mode: str, simulated: bool, wireguard_port: int = WIREGUARD_PORT) -> tuple[str, ...]:
    """mitmproxy mode specs to run next to the regular HTTP proxy."""
    if simulated:
        return SIMULATED_LISTENERS
    if mode == "wireguard":
        return (f"wireguard@{wireguard_port}",)
    if mode == "transparent":
        return ("transparent",)
    return ()


def capture_record(mode: str, *, allow_quic: bool, unpin: bool, listeners: list[dict]) -> dict:
    """What run.json and the `capture` step event say about how traffic was captured."""
    return {"mode": mode, "partial": mode == "proxy", "allow_quic": allow_quic, "unpin": unpin,
            "listeners": listeners}
