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
    stated = getattr(d, "stated", {}) or {}
    if d.package:
        out.append(f"  package: {q(d.package)}" + (f"   # check: read from the policy (line {stated['package']})"
                                                   if "package" in stated else ""))
        if "other_package" in stated:
            pkg, ln = stated["other_package"]
            out.append(f"  # check: the policy states the package {pkg} (line {ln}), not this one")
    else:
        out.append('  package: ""          # TODO: the app\'s package name (applicationId)')
    out.append(f"  name: {q(d.app_name or d.package or 'TODO')}"
               + (f"   # check: read from the policy (line {stated['name']})" if "name" in stated
                  else "" if d.app_name else "   # TODO: the app's name"))
    if d.policy_version:
        out.append(f"  policy_version: {q(d.policy_version)}")
    out += consent_lines(d.consent)
    out += sdk_lines(d.sdks)
    out += unparsed_lines(getattr(d, "unparsed", []))
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


def candidate_lines(candidates) -> list[str]:
    """Candidate consent checks found in the APK (static/consent_candidates.py), as comments to pick from."""
    if not candidates:
        return []
    out = ["  # candidates found in the APK (uncomment the one that tests the user's answer):"]
    for c in candidates:
        callers = f"; called from {', '.join(c.callers)}" if c.callers else ""
        if c.kind == "check":
            out.append(f"  # check: [{q(c.method)}]   # {c.why}{callers}")
        else:
            out.append(f"  # consent dialog? {c.method} ({c.why}){callers}")
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
        if s.packages and s.id.startswith("unlisted_"):
            out.append(f"    packages: {flow(s.packages)}")
        elif s.packages:
            # a catalogue id brings its own prefixes (narrower ones here would shrink attribution)
            out.append(f"    # packages as {'the policy writes' if s.line else 'found in the APK'}: {', '.join(s.packages)}")
        if s.permissions:
            out.append(f"    permissions: {flow(s.permissions)}")
        if getattr(s, "domains", None):
            out.append(f"    domains: {flow(s.domains)}")
        if s.confidence == "low":
            out.append("    confidence: low")
        if s.line:
            out.append(f"    source: {{line: {s.line}}}")
    return out


def unparsed_lines(unparsed) -> list[str]:
    """Entries under an SDK-list heading that are no row: the reviewer checks each (never a silent drop)."""
    if not unparsed:
        return []
    out = [f"# {len(unparsed)} entries under SDK-list headings are no row (an SDK the reader missed, or not an SDK):"]
    for u in unparsed:
        out.append(f"# check: not parsed: {q(_one_line(u.text))}   (line {u.line}: {_one_line(u.why)})")
    return out


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


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


def render_scan_draft(apk: str, package: str, name: str, sdks, permissions, unknown: list[str],
                      incomplete: list[str], candidates=()) -> str:
    """`manifest draft --from-scan`: one row per SDK found, the APK's permissions (`when:` left to the human)."""
    missing = [] if package else ["app.package: the APK manifest is unreadable"]
    out = header("from-scan", apk, missing)
    for r in incomplete:
        out.append(f"# INCOMPLETE scan: {r}")
    out += [f"schema: {SCHEMA}", "app:", f"  package: {q(package)}", f"  name: {q(name or package)}",
            f"  packages: [{package}]" if package else "  # TODO: packages: [the app's own Java packages]",
            "  # TODO: policy_version, domains (the app's own domains)"]
    out += consent_lines(None)
    out += candidate_lines(candidates)
    out += sdk_lines(sdks)
    for u in unknown:
        out.append(f"# check: code of no known SDK under {u} (first party? an SDK the catalogue lacks?)")
    if not permissions:
        out.append("permissions: []")
    else:
        out.append("permissions:")
        for p in permissions:
            out.append(f"  - permission: {p}")
            out.append("    purpose: \"\"   # TODO: purpose as the policy states it")
            out.append("    # TODO: when: at_start | on_feature (and feature:)")
    return "\n".join(out) + "\n"
