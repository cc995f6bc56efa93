"""Capture modes: listeners per mode, the WireGuard client config from mitmproxy's keys, the tunnel
commands, doctor's checks, and the CLI flags that record the mode."""
from __future__ import annotations

import json

import mitmproxy_rs

from sdkgate.device.capture import WG_DEVICE_PATH, client_conf, doctor_checks, transparent_rules, wireguard_commands
from sdkgate.device.checks import OK, PROBLEM, WARN, Check
from sdkgate.net.modes import capture_record, listener_modes
from tests.device.fakes import FakeAdbDevice


def test_listener_modes_per_capture_mode():
    assert listener_modes("proxy", simulated=False) == ()
    assert listener_modes("wireguard", simulated=False, wireguard_port=51999) == ("wireguard@51999",)
    assert listener_modes("transparent", simulated=False) == ("transparent",)
    assert set(listener_modes("proxy", simulated=True)) == {"socks5@127.0.0.1:0", "dns@127.0.0.1:0"}
    rec = capture_record("proxy", allow_quic=False, unpin=True, listeners=[])
    assert rec["partial"] is True and rec["unpin"] is True


def test_wireguard_client_config_uses_mitmproxys_keys(tmp_path):
    server, client = mitmproxy_rs.wireguard.genkey(), mitmproxy_rs.wireguard.genkey()
    (tmp_path / "wireguard.conf").write_text(json.dumps({"server_key": server, "client_key": client}))
    conf = client_conf(tmp_path, "10.0.2.2", 51820)
    assert f"PrivateKey = {client}" in conf
    assert f"PublicKey = {mitmproxy_rs.wireguard.pubkey(server)}" in conf
    assert "Endpoint = 10.0.2.2:51820" in conf and "AllowedIPs = 0.0.0.0/0" in conf and "DNS = 10.0.0.53" in conf
    up = wireguard_commands()["up"]
    assert "com.wireguard.android.action.SET_TUNNEL_UP" in up and up[-1] == "sdkgate"
    assert any("--uid-owner 10123" in r and "443" in r for r in transparent_rules(10123, "10.0.2.2"))


class _Adb(FakeAdbDevice):
    def __init__(self, wg: bool):
        super().__init__()
        self.wg = wg

    def shell(self, cmd, timeout=None, **kw):
        if cmd.startswith("pm list packages"):
            return "package:com.wireguard.android\n" if self.wg else ""
        if cmd.startswith("sh -c"):
            return "/system/bin/ip\n/system/bin/iptables\n"
        return super().shell(cmd, timeout, **kw)


def test_doctor_checks_the_wireguard_app():
    ok = {c.name: c for c in doctor_checks(_Adb(True), Check, OK, WARN, PROBLEM)}
    assert ok["capture: wireguard"].status == OK and WG_DEVICE_PATH in ok["capture: wireguard"].detail
    assert ok["capture: transparent"].status == OK
    missing = {c.name: c for c in doctor_checks(_Adb(False), Check, OK, WARN, PROBLEM)}
    assert missing["capture: wireguard"].status == WARN and "--capture proxy" in missing["capture: wireguard"].fix


def test_run_has_the_capture_flags():
    from sdkgate.cli import cli
    import click
    cmd = cli.get_command(click.Context(cli), "run")
    opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
    assert {"--capture", "--allow-quic", "--unpin"} <= opts
    choice = next(p for p in cmd.params if "--capture" in p.opts)
    assert list(choice.type.choices) == ["proxy", "wireguard", "transparent"]
