"""`sdkgate manifest validate`: check declared manifests before anything relies on them."""
from __future__ import annotations

import click

from ..errors import InputError
from ..manifest import load_manifest


@click.group("manifest")
def command():
    """Work with declared manifests (manifests/*.yaml)."""


@command.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files):
    """Validate each manifest FILE; print one line per file. Exit 2 if any is invalid."""
    bad = 0
    for f in files:
        try:
            m = load_manifest(f)
        except InputError as exc:
            bad += 1
            click.echo(f"sdkgate: error: {exc.render()}", err=True)
            continue
        click.echo(f"{f}: ok ({m.package}: {len(m.sdks)} SDKs, {len(m.permissions)} permissions, "
                   f"scopes {', '.join(m.consent.scopes)})")
    return 2 if bad else 0
