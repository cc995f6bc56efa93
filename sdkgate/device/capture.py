"""Device side of `run --capture wireguard|transparent` (net/modes.py has the proxy side).

wireguard: mitmproxy keeps its WireGuard keys in CONFDIR/wireguard.conf (JSON, made at first start);
  sdkgate writes the client configuration from them (`client_conf`), pushes it to the device and
  brings the tunnel up through the official WireGuard app (com.wireguard.android), which accepts
  SET_TUNNEL_UP/DOWN broadcasts once "Allow remote control apps" is on in its settings. The tunnel
  is imported once by the user from the pushed file (the app has no import intent); `doctor`
  checks the app is installed. Endpoint: the host as the device sees it (10.0.2.2 on the stock
  emulator, the LAN address on phones; with adb reverse UDP cannot be forwarded).
transparent (rooted emulators): the app's uid is policy-routed to this host, which redirects it
  into mitmproxy's transparent mode; the device rules are `transparent_rules` (docs/ci.md).
"""
from __future__ import annotations

from pathlib import Path

from ..scenario.backend import BackendUnavailable
from .adb import shell
from ..fileio import read_json_document

WG_PACKAGE = "com.wireguard.android"
WG_TUNNEL = "sdkgate"
WG_DEVICE_PATH = "/sdcard/Download/sdkgate.conf"
WG_RECEIVER = "com.wireguard.android/.model.TunnelManager$IntentReceiver"
EMULATOR_HOST = "10.0.2.2"


def _pubkey(private_key: str) -> str:
    import mitmproxy_rs
    return mitmproxy_rs.wireguard.pubkey(private_key)


def client_conf(confdir: str | Path, endpoint_host: str, port: int) -> str:
    """The WireGuard client configuration for mitmproxy's server in `confdir` (keys from wireguard.conf)."""
    keys = read_json_document(Path(confdir).expanduser() / "wireguard.conf")
    return "\n".join([
        "[Interface]", f"PrivateKey = {keys['client_key']}", "Address = 10.0.0.1/32", "DNS = 10.0.0.53", "",
        "[Peer]", f"PublicKey = {_pubkey(keys['server_key'])}", "AllowedIPs = 0.0.0.0/0",
        f"Endpoint = {endpoint_host}:{port}", ""])


def wireguard_commands(tunnel: str = WG_TUNNEL) -> dict[str, list[str]]:
    """adb shell commands that bring the imported tunnel up and down."""
    return {
        "up": ["am", "broadcast", "-a", "com.wireguard.android.action.SET_TUNNEL_UP", "-n", WG_RECEIVER,
               "-e", "tunnel", tunnel],
        "down": ["am", "broadcast", "-a", "com.wireguard.android.action.SET_TUNNEL_DOWN", "-n", WG_RECEIVER,
                 "-e", "tunnel", tunnel],
    }


def transparent_rules(uid: int, host: str, table: int = 7777) -> list[str]:
    """Device-side (root) rules: the app's uid goes to `host` (this machine), everything else stays.
    On the host: `iptables -t nat -A PREROUTING -s <device> -p tcp -j REDIRECT --to-port 8080` and
    the same for udp to mitmproxy's transparent mode (docs/ci.md)."""
    return [
        f"ip rule add uidrange {uid}-{uid} lookup {table}",
        f"ip route add default via {host} table {table}",
        f"iptables -t mangle -A OUTPUT -m owner --uid-owner {uid} -p udp --dport 443 -j DROP",
    ]


def setup_wireguard(adb_shell, push, confdir: str | Path, endpoint_host: str, port: int, out_dir: Path) -> list[str]:
    """Write the client config into the evidence folder's sibling (never the keys of the CA), push it
    and bring the tunnel up. Returns notes for run.json."""
    conf = client_conf(confdir, endpoint_host, port)
    local = Path(out_dir).parent / f".{Path(out_dir).name}-wireguard.conf"
    local.write_text(conf, "utf-8")
    local.chmod(0o600)
    push(str(local), WG_DEVICE_PATH)
    out = adb_shell(wireguard_commands()["up"])
    return [f"WireGuard client config pushed to {WG_DEVICE_PATH}; tunnel '{WG_TUNNEL}' up: {out.strip()[:120]}"]


def doctor_checks(adb, check_cls, ok: str, warn: str, problem: str) -> list:
    """What `doctor` says about the capture modes on this device."""
    from .adb import shell
    out = []
    try:
        pkgs = shell(adb, ["pm", "list", "packages", WG_PACKAGE])
    except Exception as exc:  # noqa: BLE001 - doctor reports, never raises
        return [check_cls("capture: wireguard", warn, f"could not list packages: {exc}", "")]
    if WG_PACKAGE in str(pkgs):
        out.append(check_cls("capture: wireguard", ok, f"{WG_PACKAGE} installed (import {WG_DEVICE_PATH} once as "
                             f"tunnel '{WG_TUNNEL}', enable 'Allow remote control apps')"))
    else:
        out.append(check_cls("capture: wireguard", warn, f"{WG_PACKAGE} not installed: --capture wireguard unavailable",
                             "install the WireGuard app (F-Droid/Play) or use --capture proxy (partial)"))
    try:
        has_ip = "iptables" in str(shell(adb, ["sh", "-c", "command -v ip iptables"]))
    except Exception:  # noqa: BLE001
        has_ip = False
    out.append(check_cls("capture: transparent", ok if has_ip else warn,
                         "ip/iptables present (root needed for the uid route)" if has_ip else "no ip/iptables on the device",
                         "" if has_ip else "use --capture wireguard"))
    return out


class CaptureSetup:
    """Mixin of DeviceBackend: routing the device's traffic to the proxy (adb reverse + http_proxy, WireGuard,
    transparent rules) and planting the clipboard canary; each change registers its undo."""

    def _route_proxy(self, port: int) -> None:
        prev = self._sh(["settings", "get", "global", "http_proxy"], check=False).strip()
        if self.opt.proxy_route == "settings":
            if not self.opt.proxy_host:
                raise BackendUnavailable("proxy_route=settings needs the host address the device can reach")
            target = f"{self.opt.proxy_host}:{port}"
        else:
            try:
                self.adb.reverse(f"tcp:{port}", f"tcp:{port}")
            except Exception as exc:  # noqa: BLE001
                raise BackendUnavailable(f"adb reverse tcp:{port} failed: {exc}") from None
            self._reverse = f"tcp:{port}"
            self._undo.append((f"adb reverse --remove tcp:{port}", self._remove_reverse))
            target = f"127.0.0.1:{port}"
        self._undo.append(("restore http_proxy", lambda: self._restore_proxy(prev)))
        self._sh(["settings", "put", "global", "http_proxy", target])
        self._proxy_set = True

    def _restore_proxy(self, prev: str) -> None:
        value = prev if prev and prev not in ("null", ":0") else ":0"
        shell(self.adb, ["settings", "put", "global", "http_proxy", value])
        if value == ":0":
            shell(self.adb, ["settings", "delete", "global", "http_proxy"])

    def _setup_capture(self, ctx) -> None:
        """--capture wireguard: push the client config and bring the tunnel up (device/capture.py).
        --capture transparent: the uid routing rules are recorded (applied by the operator as root)."""
        mode = getattr(self, "capture", "proxy")
        if mode == "transparent":
            rules = transparent_rules("APP_UID", self.opt.proxy_host or EMULATOR_HOST)   # type: ignore[arg-type]
            self._info["capture"] = ["transparent: on the device as root (APP_UID = the app's uid): " + "; ".join(rules)]
            return
        if mode != "wireguard":
            return
        wg = next((x for x in (ctx.options.get("capture") or {}).get("listeners", []) if x.get("type") == "wireguard"),
                  None)
        if wg is None:
            raise BackendUnavailable("--capture wireguard: the proxy has no WireGuard listener")
        try:
            notes = setup_wireguard(lambda a: self._sh(a), self.adb.sync.push, ctx.proxy.ca_path.parent,
                                    self.opt.proxy_host or EMULATOR_HOST, int(wg["port"]), ctx.out_dir)
        except Exception as exc:  # noqa: BLE001 - any failure here means the capture mode cannot be used
            raise BackendUnavailable(f"--capture wireguard could not be set up: {exc} (see `sdkgate doctor`)") from None
        self._info["capture"] = notes
        self._undo.append(("WireGuard tunnel down", lambda: self._sh(wireguard_commands()["down"], check=False)))

    def _remove_reverse(self) -> None:
        if self._reverse:
            self.adb.reverse_remove(self._reverse)
            self._reverse = None

    def _plant_clipboard(self) -> None:
        value = (self.ctx.canaries if self.ctx else {}).get("clipboard")
        if not value:
            return
        try:
            ui = self.ui
            setter = getattr(ui, "set_clipboard", None)
            if setter is not None:
                setter(value)
            else:
                ui.clipboard = value
            self._info["clipboard_planted"] = True
            self._undo.append(("clear the clipboard", lambda: self._clear_clipboard()))
        except Exception as exc:  # noqa: BLE001 - the agent still plants it in the app
            self._info["clipboard_planted"] = False
            self._info.setdefault("warnings", []).append(f"could not plant the clipboard canary on the device: {exc}")

    def _clear_clipboard(self) -> None:
        setter = getattr(self._ui, "set_clipboard", None)
        if setter is not None:
            setter("")
