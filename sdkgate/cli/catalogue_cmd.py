"""`sdkgate catalogue`: list the SDK catalogue, attribute a class or host, import Exodus trackers."""
from __future__ import annotations

import json
from pathlib import Path

import click
import yaml

from ..catalogue import FIRST_PARTY, KINDS, ROW_KINDS, UNKNOWN, Catalogue, Sdk, default_catalogue, java_name, parse_rows, \
    user_catalogue_path
from ..errors import InputError


def _fresh_catalogue() -> Catalogue:
    """The catalogue as it is on disk now (the cached one may predate an import or an env change)."""
    default_catalogue.cache_clear()
    try:
        return default_catalogue()
    except yaml.YAMLError as exc:
        raise InputError(str(user_catalogue_path()), None, f"invalid YAML in the user catalogue: {exc}") from None


@click.group("catalogue")
def command():
    """The SDK catalogue: which SDK owns a package prefix or a domain."""


@command.command("list")
@click.option("--kind", type=click.Choice(ROW_KINDS + KINDS),
              help="Only rows of this kind (sdk, platform, library) or SDKs of this purpose (analytics, push, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list of rows).")
def list_cmd(kind: str | None, as_json: bool) -> int:
    """List the catalogue (bundled rows and imported ones)."""
    rows = [s for s in _fresh_catalogue().sdks.values() if not kind or kind in (s.kind, s.purpose)]
    if as_json:
        click.echo(json.dumps([_row(s) for s in rows], ensure_ascii=False, indent=2))
        return 0
    for s in rows:
        src = "" if s.source == "sdkgate" else f"  [{s.source}]"
        click.echo(f"{s.id:<26} {s.purpose or s.kind:<13} {s.name}{src}" + ("" if s.kind == "sdk" else f"  ({s.kind})"))
        click.echo(f"{'':<26} {'':<13} packages: {', '.join(s.packages)}")
        if s.domains:
            click.echo(f"{'':<26} {'':<13} domains:  {', '.join(s.domains)}")
        for k, v in s.signature_kinds().items():
            click.echo(f"{'':<26} {'':<13} {k}: {', '.join(v)}")
    click.echo(f"{len(rows)} SDKs")
    return 0


def _row(s: Sdk) -> dict:
    return {"id": s.id, "name": s.name, "vendor": s.vendor, "kind": s.kind, "purpose": s.purpose, "packages": list(s.packages),
            "domains": list(s.domains), "source": s.source,
            **{k: list(v) for k, v in s.signature_kinds().items()}, **({"evidence": list(s.evidence)} if s.evidence else {})}


def _host_of(text: str) -> str | None:
    """A host name if `text` can be one (URLs are reduced to their host)."""
    t = text.strip()
    if "://" in t:
        t = t.split("://", 1)[1]
        t = t.split("/", 1)[0].split("@")[-1].split(":")[0]
    if "/" in t or ";" in t or "." not in t:
        return None
    return t.lower().rstrip(".")


def _smali_class(q: str) -> str:
    """A smali name as people paste it: `Lcom/a/B;`, `Lcom/a/B` (no `;`) or `Lcom/a/B;->m()V` -> `Lcom/a/B;`."""
    q = q.strip()
    if "://" in q or not (q.startswith("L") and "/" in q):
        return q
    q = q.split("->", 1)[0]
    return q if q.endswith(";") else q + ";"


@command.command("lookup")
@click.argument("name_or_host")
@click.option("--app-package", "app_packages", multiple=True,
              help="The app's own package (repeatable): classes under it are first_party.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def lookup_cmd(name_or_host: str, app_packages: tuple[str, ...], as_json: bool) -> int:
    """Which SDK owns a class name (com.a.B, Lcom/a/B;) or a host (or URL)."""
    cat = _fresh_catalogue()
    results = []
    name_or_host = _smali_class(name_or_host)
    host = _host_of(name_or_host)
    if "://" not in name_or_host:
        sid = cat.library_of(name_or_host) or cat.attribute_class(name_or_host, app_packages)   # the row, even a library
        if sid != UNKNOWN:
            hit = cat.match_prefix(name_or_host)
            results.append({"as": "class", "query": java_name(name_or_host), "sdk": sid,
                            "prefix": hit[1] if hit else None})
    if host:
        hsid = cat.attribute_host(host)
        if hsid:
            results.append({"as": "host", "query": host, "sdk": hsid, "prefix": None})
    if not results:
        url = "://" in name_or_host
        results.append({"as": "host" if url else ("class or host" if host else "class"),
                        "query": host if url else java_name(name_or_host),
                        "sdk": UNKNOWN, "prefix": None})
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for r in results:
        sdk = cat.sdks.get(r["sdk"])
        what = f"{sdk.name} [{sdk.purpose or sdk.kind}{'' if sdk.kind == 'sdk' or not sdk.purpose else ', ' + sdk.kind}{'' if sdk.kind == 'sdk' else ': acts for the app'}], vendor {sdk.vendor}" if sdk else (
            "the app itself" if r["sdk"] == FIRST_PARTY else "no SDK in the catalogue")
        via = f" (prefix {r['prefix']})" if r["prefix"] else ""
        click.echo(f"{r['as']} {r['query']} -> {r['sdk']}: {what}{via}")
    return 0


@command.command("import-exodus")
@click.argument("export_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the summary, write nothing.")
def import_exodus_cmd(export_file: Path, dry_run: bool) -> int:
    """Merge an Exodus tracker export (JSON of the Exodus trackers API) into the user catalogue.

    Trackers whose code prefixes the catalogue already attributes are skipped. The new rows go to
    the user catalogue file ($SDKGATE_CATALOGUE_EXTRA, else ~/.local/share/sdkgate/catalogue-extra.yaml).
    """
    from ..exodus import convert, load_export, write_rows

    trackers = load_export(export_file)
    target = user_catalogue_path()
    existing: list[Sdk] = []
    if target.exists():
        try:
            raw = yaml.safe_load(target.read_text("utf-8")) or []
        except yaml.YAMLError as exc:
            raise InputError(str(target), None, f"invalid YAML in the user catalogue: {exc}") from None
        existing = parse_rows(raw, str(target))
    base = _fresh_catalogue()
    res = convert(trackers, base, reserved_ids={s.id for s in existing})

    click.echo(f"Exodus export {export_file}: {len(trackers)} trackers")
    click.echo(f"  added: {len(res.added)} ({sum(len(s.packages) for s in res.added)} package prefixes)")
    for s in res.added:
        click.echo(f"    + {s.id:<32} {s.purpose or s.kind:<13} {', '.join(s.packages)}")
    click.echo(f"  skipped, already in the catalogue: {len(res.skipped_known)}")
    click.echo(f"  skipped, no plain package prefix in the code signature: {len(res.skipped_unusable)}")
    click.echo(f"  signature parts that are not plain prefixes/hosts (ignored): "
               f"{res.code_parts_skipped} code, {res.network_parts_skipped} network")
    click.echo(f"  conflicting prefixes (kept with their current owner): {len(res.conflicts)}")
    for tname, prefix, owner in res.conflicts:
        click.echo(f"    ! {prefix} ({tname}) is owned by {owner}")
    if dry_run:
        click.echo("  dry run: nothing written")
    elif res.added:
        write_rows(target, existing + res.added)
        default_catalogue.cache_clear()
        click.echo(f"  wrote {target} ({len(existing) + len(res.added)} rows)")
    else:
        click.echo(f"  nothing new; {target} unchanged")
    return 0
