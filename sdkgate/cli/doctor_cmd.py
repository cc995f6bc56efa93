"""`sdkgate doctor`: is this machine (and the device) ready for `sdkgate run`? Each problem with its fix."""
from __future__ import annotations

import click

HELP = """Check what `sdkgate run` needs: adb (adbutils' bundled adb), a device, root or frida-server
and its version against the installed frida (major versions must match), the proxy route, the
mitmproxy CA on the device, free storage; Node.js is not needed, Chromium is optional.

\b
Exit codes: 0 everything needed is in place, 1 problems found (each printed with its fix).
With no device connected (and no --device), the checks that need a device are listed as not
checked and not counted as problems: the host is judged alone; with --require-device (CI, before
`sdkgate run`) that is exit 2, as is a device that is not ready. --json prints the same as JSON.
An adb server started by doctor is stopped again before it exits.
"""

EXIT_INPUT = 2
MARK = {"ok": "ok  ", "problem": "FAIL", "warning": "warn", "not checked": "----", "info": "info"}


@click.command(help=HELP)
@click.option("--device", "serial", default=None, help="Device serial (adb devices), or HOST:PORT of a remote adb endpoint.")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON (name, status, detail, fix).")
@click.option("--require-device", is_flag=True,
              help="Exit 2 unless a device is connected and ready (for CI jobs before `sdkgate run`).")
def command(serial, as_json, require_device=False):
    from ..extras import require
    require("device", what="sdkgate doctor")
    from ..device.adb import AdbServer
    from ..device.checks import (PROBLEM, WARN, Check, adb_binary_check, device_checks, host_checks,
                                 no_device_checks)
    checks: list[Check] = host_checks()
    adb_check = adb_binary_check()
    checks.append(adb_check)
    if adb_check.status != "ok":
        checks += no_device_checks("adb does not work")
    else:
        with AdbServer() as server:
            try:
                client = server.client
                if serial and ":" in serial:
                    client.connect(serial, timeout=10)
                devices = client.device_list()
            except Exception as exc:  # noqa: BLE001 - adb server refused to start, etc.
                devices = None
                checks.append(Check("adb server", PROBLEM, str(exc), "adb kill-server; then run doctor again"))
            if devices is not None:
                chosen = [d for d in devices if d.serial == serial] if serial else devices
                if not chosen:
                    what = f"device {serial} not found" if serial else "no device connected"
                    # a device that was asked for and is missing is a problem; none at all: the host is judged alone
                    checks.append(Check("device", PROBLEM if serial or devices else WARN,
                                        what + f" (adb sees: {', '.join(d.serial for d in devices) or 'nothing'})",
                                        "connect a phone with USB debugging on, start an emulator (emulator -avd NAME), "
                                        "or `adb connect HOST:PORT` for a device farm endpoint"))
                    checks += no_device_checks(what)
                elif len(chosen) > 1:
                    checks.append(Check("device", PROBLEM, f"{len(chosen)} devices: " + ", ".join(d.serial for d in chosen),
                                        "choose one: sdkgate doctor --device SERIAL"))
                    checks += no_device_checks("several devices")
                else:
                    checks += device_checks(chosen[0])
    no_device = any(c.name == "device" and c.status == WARN for c in checks)
    # with no device at all, what needs one is "not checked", not a problem of this machine
    bad = [c for c in checks if c.bad and not (no_device and c.detail.startswith("needs a device"))]
    device = next((c for c in checks if c.name == "device"), None)
    device_ready = bool(device and device.status == "ok") and not bad       # `sdkgate run` would start
    code = EXIT_INPUT if require_device and not device_ready else (1 if bad else 0)
    if as_json:
        import json
        device = next((c for c in checks if c.name == "device"), None)
        click.echo(json.dumps({"ready": not bad, "problems": len(bad),
                               "device_connected": bool(device and device.status == "ok"),
                               "checks": [{"name": c.name, "status": c.status, "detail": c.detail, "fix": c.fix}
                                          for c in checks]}, ensure_ascii=False, indent=2))
        return code
    width = max(len(c.name) for c in checks)
    for c in checks:
        click.echo(f"[{MARK.get(c.status, c.status)}] {c.name.ljust(width)}  {c.detail}")
        if c.fix and c.status != "ok":
            click.echo(f"       {''.ljust(width)}  fix: {c.fix}")
    if bad:
        click.echo(f"\n{len(bad)} problem(s) found.")
    elif no_device:
        click.echo("\nhost ready; no device connected, so the device checks were not run (connect one and run doctor again).")
    else:
        click.echo("\nready: everything `sdkgate run` needs is in place.")
    if require_device and not device_ready:
        click.echo("sdkgate: error: --require-device: no device is ready for `sdkgate run` (see the checks above)", err=True)
    return code
