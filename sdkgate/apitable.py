"""The sensitive-API table (data/sensitive_apis.yaml): one source of truth for scanner and agent."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .taxonomy import categories

from .yamlio import package_data


@dataclass(frozen=True)
class SensitiveApi:
    id: str
    cls: str                      # Java name, e.g. android.provider.Settings$Secure
    member: str                   # method or field name
    kind: str                     # method | field | permission_request
    descriptors: tuple[str, ...]  # smali descriptors of the overloads that count
    category: str | None = None
    permission: str | None = None
    arg_filter: dict = field(default_factory=dict, compare=False, hash=False)
    canary: str | None = None
    notes: str = ""
    patterns: tuple[str, ...] = ()   # target rows (path, property, command, ...): glob patterns, `*` only
    hook_class: str | None = None # where the agent hooks (a concrete class); None: cannot be hooked (see `hookable`)
    abstract: bool = False        # the called class/method is abstract or an interface on Android
    hookable: bool = True         # False for `hook_class: null`: no concrete class can be named
    api_levels: dict = field(default_factory=dict, compare=False, hash=False)   # descriptor -> first API level

    def api_level(self, descriptor: str | None = None) -> int:
        """The first Android API level the overload exists on (1: every supported level)."""
        return int(self.api_levels.get(descriptor or (self.descriptors[0] if self.descriptors else ""), 1))

    @property
    def hook_cls(self) -> str:
        """The class the agent hooks (the row's `class` unless `hook_class` names the concrete one)."""
        return self.hook_class or self.cls

    @property
    def is_target(self) -> bool:
        return self.kind in TARGET_KINDS

    @property
    def match(self) -> str | None:
        """The target kind this call's argument is matched against (arg_filter.match), if any."""
        return self.arg_filter.get("match") if self.arg_filter else None

    @property
    def smali_class(self) -> str:
        """`Landroid/provider/Settings$Secure;`"""
        return "L" + self.cls.replace(".", "/") + ";"

    def smali(self, descriptor: str | None = None) -> str:
        """`Lcls;->member(desc)` for methods, `Lcls;->FIELD:type` for fields, `libc.so!open` for natives."""
        if self.kind == "native":
            return f"{self.cls}!{self.member}"
        desc = descriptor or self.descriptors[0]
        sep = ":" if self.kind == "field" else ""
        return f"{self.smali_class}->{self.member}{sep}{desc}"


def split_descriptor(desc: str) -> tuple[list[str], str]:
    """`(Ljava/lang/String;I[J)V` -> (['Ljava/lang/String;', 'I', '[J'], 'V')."""
    close = desc.index(")")
    inner, params, i = desc[1:close], [], 0
    while i < len(inner):
        j = i
        while inner[j] == "[":
            j += 1
        if inner[j] == "L":
            j = inner.index(";", j)
        params.append(inner[i:j + 1])
        i = j + 1
    return params, desc[close + 1:]


CALL_KINDS = ("method", "field", "permission_request", "native")
TARGET_KINDS = ("path", "property", "command", "provider", "service", "setting", "ioctl")


def glob_regex(pattern: str) -> re.Pattern:
    """A table pattern as a regex: `*` is any run of characters (`/` included), everything else literal
    (the agent's native filter implements the same rule in C)."""
    return re.compile("".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\Z", re.S)


def _api_levels(row: dict) -> dict[str, int]:
    """`api_levels: N` (every descriptor) or `{descriptor: N}`; levels are Android API levels (1..99)."""
    raw, descs = row.get("api_levels"), tuple(row.get("descriptors") or ())
    if raw is None:
        return {}
    levels = {d: raw for d in descs} if isinstance(raw, int) and not isinstance(raw, bool) else raw
    if not isinstance(levels, dict) or not descs:
        raise ValueError(f"sensitive_apis.yaml: {row.get('id')}: api_levels is an API level or {{descriptor: level}}")
    for d, n in levels.items():
        if d not in descs:
            raise ValueError(f"sensitive_apis.yaml: {row.get('id')}: api_levels names {d!r}, not one of its descriptors")
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 99:
            raise ValueError(f"sensitive_apis.yaml: {row.get('id')}: api_levels {d!r}: {n!r} is not an API level")
    return dict(levels)


def _parse(raw: list[dict]) -> tuple[SensitiveApi, ...]:
    cats = categories()
    out, seen = [], set()
    for row in raw:
        kind = row.get("kind")
        if kind not in CALL_KINDS + TARGET_KINDS:
            raise ValueError(f"sensitive_apis.yaml: {row.get('id')}: bad kind {kind}")
        target = kind in TARGET_KINDS
        api = SensitiveApi(
            id=row["id"], cls=row.get("class", "" if target else row["class"]),
            member=row.get("member", "" if target else row["member"]), kind=kind,
            descriptors=tuple(row.get("descriptors") or ()), category=row.get("category"),
            permission=row.get("permission"), arg_filter=dict(row.get("arg_filter") or {}),
            canary=row.get("canary"), notes=row.get("notes", ""),
            patterns=tuple(str(p) for p in row.get("patterns") or ()),
            hook_class=row.get("hook_class") or None, abstract=bool(row.get("abstract", False)),
            hookable=not ("hook_class" in row and row["hook_class"] is None),
            api_levels=_api_levels(row),
        )
        if not isinstance(api.abstract, bool):
            raise ValueError(f"sensitive_apis.yaml: {api.id}: abstract must be true or false")
        if api.hook_class is not None and not isinstance(api.hook_class, str):
            raise ValueError(f"sensitive_apis.yaml: {api.id}: hook_class must be a class name or null")
        if api.id in seen:
            raise ValueError(f"sensitive_apis.yaml: duplicate id {api.id}")
        if target and not api.patterns:
            raise ValueError(f"sensitive_apis.yaml: {api.id}: a {kind} row needs 'patterns'")
        if not target and api.patterns:
            raise ValueError(f"sensitive_apis.yaml: {api.id}: only target rows ({', '.join(TARGET_KINDS)}) have 'patterns'")
        if kind in ("method", "field", "permission_request") and not api.descriptors:
            raise ValueError(f"sensitive_apis.yaml: {api.id}: needs 'descriptors'")
        m = api.match
        if m is not None and m not in TARGET_KINDS:
            raise ValueError(f"sensitive_apis.yaml: {api.id}: arg_filter.match {m!r} is not a target kind")
        needs_category = kind != "permission_request" and m is None
        if needs_category and api.category not in cats:
            raise ValueError(f"sensitive_apis.yaml: {api.id}: unknown category {api.category}")
        if m is not None and api.category is not None:
            raise ValueError(f"sensitive_apis.yaml: {api.id}: a matched call takes its category from the target row")
        if kind == "ioctl" and not all(re.fullmatch(r"0x[0-9a-fA-F]+|\d+", p) for p in api.patterns):
            raise ValueError(f"sensitive_apis.yaml: {api.id}: ioctl patterns are request numbers")
        seen.add(api.id)
        out.append(api)
    return tuple(out)


@lru_cache(maxsize=1)
def apis() -> tuple[SensitiveApi, ...]:
    raw = package_data("sensitive_apis.yaml")
    return _parse(raw)


@lru_cache(maxsize=1)
def by_id() -> dict[str, SensitiveApi]:
    return {a.id: a for a in apis()}


@lru_cache(maxsize=1)
def targets() -> dict[str, tuple[SensitiveApi, ...]]:
    """Target rows per kind (path, property, command, ...), in table order."""
    out: dict[str, list[SensitiveApi]] = {k: [] for k in TARGET_KINDS}
    for a in apis():
        if a.is_target:
            out[a.kind].append(a)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _compiled() -> dict[str, tuple[tuple[re.Pattern, SensitiveApi], ...]]:
    return {k: tuple((glob_regex(p), a) for a in rows for p in a.patterns) for k, rows in targets().items()}


def match_target(kind: str, text: str) -> SensitiveApi | None:
    """The first target row of `kind` one of whose patterns matches `text` (ioctl: a number or hex text)."""
    if kind == "ioctl":
        try:
            n = int(text, 0) if isinstance(text, str) else int(text)
        except ValueError:
            return None
        for a in targets()["ioctl"]:
            if any(int(p, 0) == n for p in a.patterns):
                return a
        return None
    for rx, a in _compiled().get(kind, ()):
        if rx.match(text):
            return a
    return None
