"""`sdkgate verify DIR`: is the bundle intact, and does its raw evidence still give its verdict?"""
from __future__ import annotations

import click

from .common import lang_option

HELP = """Check an evidence bundle (folder or `run --zip` archive).

\b
Exit codes:
  0  every file matches bundle.json and the report re-derived from events.jsonl + net.jsonl
     with the recorded manifest equals the recorded report (verdict and findings)
  4  a file was altered, added or removed (each is named), bundle.json is missing,
     or the signature is wrong (or missing while --key is given)
  1/3  intact but not reproduced: the re-derived verdict's code (a differing re-derived
     `pass` gives 3). With --manifest NEW: the new verdict's code (0 pass, 1 fail, 3 incomplete)
  2  not a bundle, a bundle of a newer schema, or a bad --manifest/--key file
"""


@click.command(help=HELP)
@click.argument("bundle", type=click.Path())
@click.option("--manifest", "manifest", type=click.Path(), default=None,
              help="Judge the old evidence against this manifest instead of the recorded one.")
@click.option("--key", "key", type=click.Path(), default=None,
              help="Ed25519 public key (PEM or OpenSSH) the bundle must be signed with.")
@click.option("--format", "fmt", type=click.Choice(["text", "console", "json", "junit", "sarif"]), default="text",
              show_default=True, help="text: the integrity/reproduction summary; other formats: the re-derived report.")
@lang_option
def command(bundle, manifest, key, fmt, lang):
    from ..bundle.verify import verify_bundle
    res = verify_bundle(bundle, manifest=manifest, key=key)
    for line in res.lines():
        click.echo(line, err=fmt != "text")
    if fmt != "text" and res.derived is not None:
        from ..formats import render
        click.echo(render(res.derived, fmt, lang))
    return res.exit_code
