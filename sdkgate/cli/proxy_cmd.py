"""`sdkgate proxy`: run mitmproxy with the sdkgate addon until SIGINT/SIGTERM; writes net.jsonl,
flows.mitm and flows.har into --out."""
from __future__ import annotations

from pathlib import Path

import click

from ..canaries import load_canary_file
from ..errors import InputError


@click.command("proxy")
@click.option("--port", type=click.IntRange(0, 65535), required=True, help="Listen port (0: any free port).")
@click.option("--listen-host", default="127.0.0.1", show_default=True, help="Listen address.")
@click.option("--canaries", "canary_file", required=True, type=click.Path(dir_okay=False),
              help="Canary file: JSON {category id: value | [values]}.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for net.jsonl, flows.mitm, flows.har (and proxy.json once listening).")
@click.option("--confdir", default="~/.mitmproxy", show_default=True,
              help="mitmproxy folder holding the CA that clients must trust (mitmproxy-ca-cert.pem).")
@click.option("--offline", is_flag=True, help="Answer every request locally (HTTP 204); never contact an upstream.")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False), default=None,
              help="App manifest: first-party domains and extra SDK rows for attribution.")
@click.option("--t0", "t0_ms", type=int, default=None,
              help="Run start as epoch ms, so t_ms shares the clock of the hook events (default: proxy start).")
@click.option("--idle-timeout", "idle_timeout", type=click.IntRange(1, 86400), default=None,
              help="Close client connections idle this many seconds (default 120).")
@click.option("--listen-mode", "modes", multiple=True,
              help="Extra mitmproxy listener next to the HTTP proxy (repeatable): socks5@HOST:PORT, "
                   "dns@HOST:PORT, wireguard@PORT (see `run --capture`).")
@click.option("--dns", "dns_port", type=click.IntRange(0, 65535), default=None,
              help="Also listen for UDP DNS queries on this port (mitmproxy's dns mode on --listen-host; 0: any "
                   "free port, named in proxy.json): query names are searched like the rest; with --offline "
                   "they are answered locally.")
def command(port, listen_host, canary_file, out_dir, confdir, offline, manifest_path, t0_ms, idle_timeout, modes,
            dns_port):
    """Run the intercepting proxy and record personal data seen on the wire."""
    from ..extras import require
    require("proxy", what="sdkgate proxy")
    canaries = load_canary_file(canary_file)
    if dns_port is not None:
        modes = (*modes, f"dns@{listen_host}:{dns_port}")
    from mitmproxy.proxy.mode_specs import ProxyMode
    for m in modes:
        try:
            ProxyMode.parse(m)
        except ValueError as exc:
            raise InputError(None, f"--listen-mode {m}", f"not a mitmproxy mode spec: {exc}") from None
    manifest = None
    if manifest_path:
        from ..manifest import load_manifest
        manifest = load_manifest(manifest_path)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(out_dir, None, f"cannot create output folder: {exc.strerror}") from None
    conf = Path(confdir).expanduser()
    try:
        conf.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(confdir, None, f"cannot create confdir: {exc.strerror}") from None
    from ..net.proxy import serve
    rc = serve(listen_host=listen_host, port=port, canaries=canaries, out_dir=out, confdir=conf,
               offline=offline, manifest=manifest, t0_ms=t0_ms,
               announce=lambda msg: click.echo(msg, err=True), idle_timeout=idle_timeout, modes=tuple(modes))
    if modes:
        # every file is flushed and closed by now (addons' `done` ran); mitmproxy_rs's UDP servers
        # (dns, wireguard modes) sometimes crash in interpreter teardown (SIGSEGV), which would
        # read as a failed proxy: leave without the teardown
        import os
        import sys
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    return rc
