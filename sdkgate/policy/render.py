"""Draft manifests as YAML text with the reviewer's comments (PyYAML cannot write comments)."""
from __future__ import annotations

import json

from ..manifest import SCHEMA
from ..manifest_schema import schema_path


def q(s: str) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML."""
    return json.dumps(str(s), ensure_ascii=False)


def flow(items) -> str:
    return "[" + ", ".join(q(i) if not _plain(i) else str(i) for i in items) + "]"


def _plain(s) -> bool:
    import re
    return bool(re.fullmatch(r"[A-Za-z_][\w.\-]*", str(s))) and str(s).lower() not in ("yes", "no", "true", "false",
                                                                                          "null", "on", "off")


def header(kind: str, source: str, missing: list[str]) -> list[str]:
    out = [f"# yaml-language-server: $schema={schema_path().as_uri()}",
           f"# DRAFT manifest ({kind}) from {source}. Review before use: every `# TODO` is missing information,",
           "# every `# check:` and `confidence: low` is a guess. Field reference: docs/manifest.md."]
    for m in missing:
        out.append(f"# MISSING: {m}")
    return out


def render_draft(d) -> str:
    missing = []
    if not d.package:
        missing.append("app.package (give --package PKG): `sdkgate manifest validate` fails until it is set")
    out = header("from-policy", d.source + f" ({d.fmt})", missing)
    out += [f"schema: {SCHEMA}", "app:"]
    if d.package:
        out.append(f"  package: {q(d.package)}")
    else:
        out.append('  package: ""          # TODO: the app\'s package name (applicationId)')
    out.append(f"  name: {q(d.app_name or d.package or 'TODO')}" + ("" if d.app_name else "   # TODO: the app's name"))
    if d.policy_version:
        out.append(f"  policy_version: {q(d.policy_version)}")
    out += consent_lines(getattr(d, "consent", None))
    out += sdk_lines(d.sdks)
    out += permission_lines(d.permissions)
    if d.comments:
        out.append("# Entries read but not turned into rows (line: why):")
        for ln, why in d.comments:
            out.append(f"#   line {ln}: {why}")
    return "\n".join(out) + "\n"


def consent_lines(c) -> list[str]:
    out = ["consent:", "  scopes: [policy]"]
    if c and c.get("accept"):
        out.append(f"  accept: {{text: {flow(c['accept'])}}}   # check: read from the policy text")
    else:
        out.append("  # TODO: accept: {text: [...]} the consent button's text")
    if c and c.get("browse_mode"):
        out.append("  browse_mode: true   # check: the policy offers a browse-only mode to users who decline")
    out.append("  # TODO: check: [\"Lcom/app/Privacy;->isAgreed()Z\"] the app's consent-check method (drives SG205, "
               "see docs/manifest.md)")
    return out


def sdk_lines(sdks) -> list[str]:
    if not sdks:
        return ["sdks: []   # TODO: no third-party SDK list found"]
    out = ["sdks:"]
    for s in sdks:
        head = f"  - id: {s.id}"
        if s.todo:
            head += f"   # TODO: {s.todo}"
        out.append(head)
        for n in s.notes:
            out.append(f"    # check: {n}")
        out.append(f"    name: {q(s.name)}")
        if s.vendor:
            out.append(f"    vendor: {q(s.vendor)}")
        out.append(f"    purpose: {q(s.purpose or '')}" + ("" if s.purpose else "   # TODO: purpose not stated"))
        out.append(f"    categories: {flow(s.categories)}")
        if s.packages:
            out.append(f"    packages: {flow(s.packages)}")
        if s.permissions:
            out.append(f"    permissions: {flow(s.permissions)}")
        if getattr(s, "domains", None):
            out.append(f"    domains: {flow(s.domains)}")
        if s.confidence == "low":
            out.append("    confidence: low")
        out.append(f"    source: {{{s.source_key}: {s.line}}}" if hasattr(s, "source_key")
                   else f"    source: {{line: {s.line}}}")
    return out


def permission_lines(perms) -> list[str]:
    if not perms:
        return ["permissions: []   # TODO: no permission named"]
    out = ["permissions:"]
    for p in perms:
        out.append(f"  - permission: {p.permission}")
        for n in p.notes:
            out.append(f"    # check: {n}")
        out.append(f"    purpose: {q(p.purpose or '')}")
        if p.when:
            out.append(f"    when: {p.when}")
        if p.confidence == "low":
            out.append("    confidence: low")
        if p.line:
            out.append(f"    source: {{line: {p.line}}}")
    return out
