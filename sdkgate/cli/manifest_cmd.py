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
        for w in m.warnings():
            click.echo(f"sdkgate: warning: {f}: {w}", err=True)
    return 2 if bad else 0


def _write(text: str | bytes, output) -> None:
    """To -o FILE (its folder is created, as in every command) or stdout."""
    from .common import write_output
    write_output(text, output)


@command.command("schema")
def schema():
    """Print the JSON Schema of sdkgate.manifest/1 (for editors and other tools)."""
    from ..manifest_schema import schema_text
    click.echo(schema_text(), nl=False)
    return 0


@command.command("from-policy")
@click.argument("policy", type=click.Path(dir_okay=False))
@click.option("--package", "package", help="The app's package name (applicationId); without it the draft says it is missing.")
@click.option("--app-name", "app_name", help="The app's name for app.name.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the draft here (default: stdout).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the policy (both are read; this orders labels in the draft).")
def from_policy(policy, package, app_name, output, lang):
    """Draft a manifest from a privacy policy or its SDK/permission annex (text, Markdown, HTML, PDF).

    A summary (rows found, mapped, unmapped, permissions, SDK-list entries not parsed) goes to stderr.
    Exit 2 on a file that cannot be read within its bounds, 3 when it holds no text.
    """
    from ..policy import draft_from_policy
    from ..policy.document import NoTextError
    try:
        d = draft_from_policy(policy, package=package, app_name=app_name, lang=lang)
    except NoTextError as exc:
        click.echo(f"sdkgate: {exc}", err=True)
        return 3
    _write(d.to_yaml(), output)
    click.echo(d.summary(), err=True)
    return 0


@command.command("draft")
@click.option("--from-scan", "apk", required=True, type=click.Path(dir_okay=False),
              help="The APK to take SDKs, categories and permissions from.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the draft here (default: stdout).")
def draft(apk, output):
    """Draft a manifest from an APK when no policy exists: SDKs found, their data categories, permissions."""
    from .common import quiet_androguard
    quiet_androguard()
    from ..audit.scan_draft import draft_from_scan
    _write(draft_from_scan(apk), output)
    return 0


@command.command("diff")
@click.argument("manifest_path", metavar="MANIFEST.yaml", type=click.Path(dir_okay=False))
@click.argument("evidence", metavar="(APP.apk | REPORT.json | EVIDENCE_DIR)", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["console", "json", "html", "xlsx"]), default="console",
              show_default=True)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the table here (xlsx: required).")
def diff(manifest_path, evidence, fmt, lang, output):
    """The audit table: SDKs, data categories, permissions and domains declared vs found.

    Exit 0 when everything observed is declared, 1 otherwise, 2 bad input, 3 when nothing undeclared
    was seen but the evidence is incomplete (the reasons are listed).
    """
    from pathlib import Path

    from .common import quiet_androguard
    quiet_androguard()
    from ..audit.diff import compute
    from ..audit.observed import observe
    from ..audit.render import render
    m = load_manifest(manifest_path)
    if fmt == "xlsx" and not output:
        raise InputError(None, "--format xlsx", "a spreadsheet needs -o FILE.xlsx")
    d = compute(m, observe(Path(evidence), m))
    out = render(d, fmt, lang)
    if output:
        _write(out, output)
        click.echo(f"{output}: {d.undeclared()} undeclared (exit {d.exit_code})", err=True)
    else:
        click.echo(out, nl=False)
    return d.exit_code
