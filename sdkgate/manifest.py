"""The declared manifest: what an app's privacy policy promises (SDK list, permission table, consent).

One YAML file per app (manifests/*.yaml). Validation names the file, the line and the field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, Sdk, default_catalogue
from .errors import InputError
from .taxonomy import categories
from .yamlio import Located, load_yaml, line
from .i18n import N_, Msg, msg

SCHEMA = "sdkgate.manifest/1"
WHEN = ("on_feature", "at_start")
# ids of rows a draft could not map to the catalogue: allowed without packages (they attribute nothing)
UNLISTED = "unlisted_"
NO_CHECK = N_("no consent check declared: every start path to an SDK counts as before consent")


@dataclass(frozen=True)
class Marker:
    """How the app records consent: a method it calls or a SharedPreferences key it writes."""
    scope: str
    method: str | None = None          # Java `pkg.Class.method`
    prefs_file: str | None = None
    prefs_key: str | None = None
    value: Any = True                  # the value meaning "granted" (for prefs); a false-y write means revoked


@dataclass(frozen=True)
class Consent:
    scopes: tuple[str, ...]
    accept_text: tuple[str, ...]
    accept_id: str | None
    decline_text: tuple[str, ...]
    decline_id: str | None
    withdraw_text: tuple[str, ...]
    browse_mode: bool
    markers: tuple[Marker, ...]
    tolerance_ms: int
    check: tuple[str, ...]             # smali methods/fields the code uses to test consent (static SG205)
    dialog: tuple[str, ...] = ()       # the consent dialog (Dialog class, activity, window title): text matches only there
    accept_accessibility: bool = False  # an accessibility service's click on a control is the user's answer


@dataclass(frozen=True)
class SdkRow:
    id: str
    name: str
    vendor: str
    purpose: str
    categories: tuple[str, ...]
    permissions: tuple[str, ...]
    domains: tuple[str, ...]
    packages: tuple[str, ...]
    consent_scope: str
    feature: str | None = None


@dataclass(frozen=True)
class PermissionRow:
    permission: str
    purpose: str
    feature: str | None
    when: str
    scope: str


@dataclass
class Manifest:
    path: str
    package: str
    name: str
    policy_version: str
    app_packages: tuple[str, ...]
    app_domains: tuple[str, ...]
    consent: Consent
    sdks: dict[str, SdkRow]
    permissions: dict[str, PermissionRow]
    never_transmit: tuple[str, ...]
    allowed_regions: tuple[str, ...]
    features: tuple[str, ...]
    max_reads_per_second: float = 1.0
    max_immutable_reads: int = 3
    clauses: dict[str, str] = field(default_factory=dict)   # rule id -> the policy's clause and law (reports)
    notes: list[str] = field(default_factory=list)            # found while parsing, said by warnings()
    raw: dict = field(default_factory=dict, repr=False)
    _catalogue: Catalogue | None = field(default=None, repr=False)

    def catalogue(self) -> Catalogue:
        """The default catalogue plus the manifest's own rows (SDKs the catalogue does not know)."""
        if self._catalogue is None:
            base = default_catalogue()
            extra = [Sdk(r.id, r.name, r.vendor, "sdk", r.packages, r.domains, "manifest", purpose="utility")
                     for r in self.sdks.values() if r.id not in base.sdks and r.packages]
            self._catalogue = base.merged(extra)
        return self._catalogue

    def warnings(self) -> list[str]:
        """What the manifest leaves the checks to guess (issue 20): said once by `manifest validate` and `scan`."""
        out = list(self.notes)
        if not self.consent.check:
            out.append(Msg(NO_CHECK))
        cat = self.catalogue()
        for sid in self.sdks:
            row = cat.sdks.get(sid)
            if row is not None and row.acts_for_app:
                out.append(msg("sdks: {sdk} is {kind} code in the catalogue ({name}): it acts for the app, its code is "
                               "judged as the app's", sdk=sid, kind=row.kind, name=row.name))
        return out

    def sdk_packages(self, sdk_id: str) -> tuple[str, ...]:
        row = self.sdks.get(sdk_id)
        if row and row.packages:
            return row.packages
        sdk = self.catalogue().sdks.get(sdk_id)
        return sdk.packages if sdk else ()

    def sdk_domains(self, sdk_id: str) -> tuple[str, ...]:
        row = self.sdks.get(sdk_id)
        return row.domains if row else ()

    def scope_for(self, actor: str | None) -> str:
        row = self.sdks.get(actor or "")
        return row.consent_scope if row else "policy"

    def source_ref(self) -> dict:
        """Where the declarations live, for reports that point at a line (SARIF physical locations): the
        file as a path relative to the working folder (never absolute: the manifest sits in the app's
        repository, where CI runs), and the line of each SDK row and permission row."""
        import os
        from pathlib import Path
        p = Path(self.path)
        try:
            rel = Path(os.path.relpath(p.resolve(), Path.cwd())) if p.is_absolute() or p.exists() else p
        except ValueError:                      # another drive (Windows)
            rel = Path(p.name)
        if rel.is_absolute() or rel.parts[:1] == ("..",):
            rel = Path(p.name)
        raw = self.raw if isinstance(self.raw, Located) else None
        sdks, perms = {}, {}
        for key, out, rows in (("id", sdks, (raw or {}).get("sdks")), ("permission", perms, (raw or {}).get("permissions"))):
            for row in rows or []:
                if isinstance(row, Located) and isinstance(row.get(key), str):
                    out[row[key]] = row.line_of(key)
        return {"file": rel.as_posix(), "sdks": sdks, "permissions": perms,
                "sdks_line": raw.line_of("sdks") if raw is not None and "sdks" in raw else 1,
                "permissions_line": raw.line_of("permissions") if raw is not None and "permissions" in raw else 1}


def _str_list(v, name, place, fld) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise InputError(name, place, f"field {fld!r} must be a list of strings")
    return tuple(v)


FIELDS = {
    "app": {"package", "name", "policy_version", "policy_url", "packages", "domains"},
    "consent": {"scopes", "accept", "decline", "withdraw", "browse_mode", "markers", "tolerance_ms", "check", "dialog",
                "accept_accessibility"},
    "marker": {"scope", "method", "shared_prefs"},
    "sdk": {"id", "name", "vendor", "purpose", "categories", "permissions", "domains", "packages",
            "consent_scope", "feature", "confidence", "source"},
    "permission": {"permission", "purpose", "feature", "when", "scope", "confidence", "source"},
    "constraints": {"never_transmit", "allowed_regions"},
    "limits": {"max_reads_per_second", "max_immutable_reads"},
}


def _bool(d: dict, key: str, name: str) -> bool:
    v = d.get(key, False)
    if not isinstance(v, bool):
        raise InputError(name, line(d, key), f"field {key!r} must be true or false")
    return v


def _known(d, what: str, name: str) -> None:
    """Unknown fields are typos more often than extensions: name them."""
    if isinstance(d, dict):
        for k in d:
            if k not in FIELDS[what]:
                raise InputError(name, line(d, k), f"unknown field {k!r} in {what} "
                                 f"(known: {', '.join(sorted(FIELDS[what]))})")


def _need(d: dict, key: str, name: str, typ=str):
    if not isinstance(d, dict):
        raise InputError(name, line(d), "expected a mapping")
    if key not in d or d[key] in (None, ""):
        raise InputError(name, line(d), f"missing field {key!r}")
    if typ and not isinstance(d[key], typ):
        raise InputError(name, line(d, key), f"field {key!r} must be a {typ.__name__}")
    return d[key]


def load_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    data = load_yaml(path)
    return parse_manifest(data, str(path))


def parse_manifest(data: Any, name: str) -> Manifest:
    if not isinstance(data, dict):
        raise InputError(name, None, "a manifest is a YAML mapping")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise InputError(name, line(data, "schema"), f"unsupported schema {schema!r} (expected {SCHEMA})")
    known_top = {"schema", "app", "consent", "sdks", "permissions", "constraints", "limits", "features", "clauses"}
    for k in data:
        if k not in known_top:
            raise InputError(name, line(data, k), f"unknown field {k!r}")
    from .manifest_schema import first_error
    err = first_error(data)
    if err:
        raise InputError(name, err[0], err[1])
    from .rules.catalog import RULES
    for rid in data.get("clauses") or {}:
        if rid not in RULES:
            raise InputError(name, line(data["clauses"], rid), f"clauses: unknown rule id {rid!r}")
    cats = categories()
    notes: list[str] = []
    from .suggest import check_permission, did_you_mean

    def check_cats(values, where, fld):
        for c in values:
            if c not in cats:
                raise InputError(name, where, f"field {fld!r}: unknown category id {c!r}{did_you_mean(c, cats, 0.6)}")

    def check_perms(values, where):
        for p in values:
            error, warning = check_permission(p)
            if error:
                raise InputError(name, where, error)
            if warning and warning not in notes:
                notes.append(warning)

    app = _need(data, "app", name, dict)
    _known(app, "app", name)
    package = _need(app, "package", name)
    app_packages = _str_list(app.get("packages"), name, line(app, "packages"), "packages") or (package,)
    app_domains = _str_list(app.get("domains"), name, line(app, "domains"), "domains")

    features = _str_list(data.get("features"), name, line(data, "features"), "features")

    c = _need(data, "consent", name, dict)
    _known(c, "consent", name)
    scopes = _str_list(c.get("scopes"), name, line(c, "scopes"), "scopes") or ("policy",)
    if "policy" not in scopes:
        raise InputError(name, line(c, "scopes"), "consent scopes must include 'policy'")
    markers = []
    for i, m in enumerate(c.get("markers") or []):
        if not isinstance(m, dict):
            raise InputError(name, line(c, "markers"), f"markers[{i}] must be a mapping")
        _known(m, "marker", name)
        scope = m.get("scope", "policy")
        if scope not in scopes:
            raise InputError(name, line(m, "scope"), f"marker scope {scope!r} is not a declared consent scope")
        prefs = m.get("shared_prefs") or {}
        if not m.get("method") and not prefs.get("key"):
            raise InputError(name, line(m), "a marker needs 'method' or 'shared_prefs: {file, key}'")
        markers.append(Marker(scope, m.get("method"), prefs.get("file"), prefs.get("key"), prefs.get("value", True)))
    accept = c.get("accept") or {}
    decline = c.get("decline") or {}
    withdraw = c.get("withdraw") or {}
    consent = Consent(
        scopes=scopes,
        accept_text=_str_list(accept.get("text"), name, line(accept, "text"), "accept.text") or ("同意", "我同意并确认", "Agree", "Accept"),
        accept_id=accept.get("resource_id"),
        decline_text=_str_list(decline.get("text"), name, line(decline, "text"), "decline.text") or ("不同意", "拒绝", "Disagree", "Decline"),
        decline_id=decline.get("resource_id"),
        withdraw_text=_str_list(withdraw.get("text"), name, line(withdraw, "text"), "withdraw.text") or ("撤回同意", "Withdraw consent"),
        browse_mode=bool(c.get("browse_mode", False)),
        markers=tuple(markers),
        tolerance_ms=int(c.get("tolerance_ms", 2000)),
        check=_str_list(c.get("check"), name, line(c, "check"), "check"),
        dialog=_str_list(c.get("dialog"), name, line(c, "dialog"), "dialog"),
        accept_accessibility=_bool(c, "accept_accessibility", name),
    )

    sdks: dict[str, SdkRow] = {}
    prefix_owner: dict[str, str] = {}
    for row in data.get("sdks") or []:
        sid = _need(row, "id", name)
        _known(row, "sdk", name)
        where = line(row, "id")
        if sid in sdks:
            raise InputError(name, where, f"duplicate SDK id {sid!r}")
        cat_list = _str_list(row.get("categories"), name, line(row, "categories"), "categories")
        check_cats(cat_list, line(row, "categories"), "categories")
        scope = row.get("consent_scope", "policy")
        if scope not in scopes:
            raise InputError(name, line(row, "consent_scope"), f"consent_scope {scope!r} is not a declared consent scope")
        pk = _str_list(row.get("packages"), name, line(row, "packages"), "packages")
        for p in pk:
            for q, owner in prefix_owner.items():
                if p == q or p.startswith(q + ".") or q.startswith(p + "."):
                    raise InputError(name, line(row, "packages"),
                                     f"package prefix {p!r} overlaps {q!r} of SDK {owner!r}")
            prefix_owner[p] = sid
        cat = default_catalogue()
        for p in pk:
            hit = cat.match_prefix(p + ".X")
            if hit and hit[0] != sid and (hit[1] == p or hit[1].startswith(p + ".") or p.startswith(hit[1] + ".")):
                raise InputError(name, line(row, "packages"),
                                 f"package prefix {p!r} overlaps {hit[1]!r} of catalogue SDK {hit[0]!r}")
            claimed = [q for q, owner in cat.prefixes().items() if owner != sid and q.startswith(p + ".")]
            if claimed:
                raise InputError(name, line(row, "packages"),
                                 f"package prefix {p!r} covers {claimed[0]!r} of catalogue SDK {cat.prefixes()[claimed[0]]!r}")
        known = cat.sdks.get(sid)
        if not known and not pk and not sid.startswith(UNLISTED):
            raise InputError(name, where, f"SDK {sid!r} is not in the catalogue{did_you_mean(sid, cat.sdks, 0.6)}: "
                             "give its 'packages' (or the catalogue id)")
        feature = row.get("feature")
        if feature and feature not in features:
            raise InputError(name, line(row, "feature"), f"feature {feature!r} is not in 'features'")
        check_perms(_str_list(row.get("permissions"), name, line(row, "permissions"), "permissions"),
                    line(row, "permissions"))
        sdks[sid] = SdkRow(
            id=sid, name=str(row.get("name") or (known.name if known else sid)),
            vendor=str(row.get("vendor") or (known.vendor if known else "")),
            purpose=str(row.get("purpose") or ""), categories=cat_list,
            permissions=_str_list(row.get("permissions"), name, line(row, "permissions"), "permissions"),
            domains=_str_list(row.get("domains"), name, line(row, "domains"), "domains") or (known.domains if known else ()),
            packages=pk or (known.packages if known else ()), consent_scope=scope, feature=feature)

    perms: dict[str, PermissionRow] = {}
    for row in data.get("permissions") or []:
        p = _need(row, "permission", name)
        _known(row, "permission", name)
        if p in perms:
            raise InputError(name, line(row, "permission"), f"permission {p!r} is named twice")
        check_perms([p], line(row, "permission"))
        when = row.get("when", "on_feature")
        if when not in WHEN:
            raise InputError(name, line(row, "when"), f"field 'when' must be one of {', '.join(WHEN)}")
        scope = row.get("scope", "policy")
        if scope not in scopes:
            raise InputError(name, line(row, "scope"), f"scope {scope!r} is not a declared consent scope")
        feature = row.get("feature")
        if feature and feature not in features:
            raise InputError(name, line(row, "feature"), f"feature {feature!r} is not in 'features'")
        perms[p] = PermissionRow(p, str(row.get("purpose") or ""), feature, when, scope)

    cons = data.get("constraints") or {}
    _known(cons, "constraints", name)
    never = _str_list(cons.get("never_transmit"), name, line(cons, "never_transmit"), "never_transmit")
    check_cats(never, line(cons, "never_transmit"), "never_transmit")
    limits = data.get("limits") or {}
    _known(limits, "limits", name)
    return Manifest(
        path=name, package=package, name=str(app.get("name") or package),
        policy_version=str(app.get("policy_version") or ""), app_packages=app_packages,
        app_domains=app_domains, consent=consent, sdks=sdks, permissions=perms, never_transmit=never,
        allowed_regions=_str_list(cons.get("allowed_regions"), name, line(cons, "allowed_regions"), "allowed_regions"),
        features=features,
        max_reads_per_second=float(limits.get("max_reads_per_second", 1.0)),
        max_immutable_reads=int(limits.get("max_immutable_reads", 3)),
        clauses=_clauses(data.get("clauses")),
        notes=notes,
        raw=data,
    )


def _clauses(raw) -> dict[str, str]:
    """`clauses:` rule id -> text shown in reports ("policy 1.1.3(1); PIPL Art. 13")."""
    out: dict[str, str] = {}
    for rid, v in (raw or {}).items():
        if isinstance(v, dict):
            out[str(rid)] = "; ".join(x for x in (f"policy {v['policy']}" if v.get("policy") else "",
                                                  v.get("law") or "") if x)
        else:
            out[str(rid)] = str(v)
    return out
