"""The sensitive-API table (data/sensitive_apis.yaml): one source of truth for scanner and agent."""
from __future__ import annotations

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
    hook_class: str | None = None # where the agent hooks (a concrete class); None: cannot be hooked (see `hookable`)
    abstract: bool = False        # the called class/method is abstract or an interface on Android
    hookable: bool = True         # False for `hook_class: null`: no concrete class can be named

    @property
    def hook_cls(self) -> str:
        """The class the agent hooks (the row's `class` unless `hook_class` names the concrete one)."""
        return self.hook_class or self.cls

    @property
    def smali_class(self) -> str:
        """`Landroid/provider/Settings$Secure;`"""
        return "L" + self.cls.replace(".", "/") + ";"

    def smali(self, descriptor: str | None = None) -> str:
        """`Lcls;->member(desc)` for methods, `Lcls;->FIELD:type` for fields."""
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


def _parse(raw: list[dict]) -> tuple[SensitiveApi, ...]:
    cats = categories()
    out, seen = [], set()
    for row in raw:
        api = SensitiveApi(
            id=row["id"], cls=row["class"], member=row["member"], kind=row["kind"],
            descriptors=tuple(row["descriptors"]), category=row.get("category"),
            permission=row.get("permission"), arg_filter=dict(row.get("arg_filter") or {}),
            canary=row.get("canary"), notes=row.get("notes", ""),
            hook_class=row.get("hook_class") or None, abstract=row.get("abstract", False),
            hookable=not ("hook_class" in row and row["hook_class"] is None),
        )
        if not isinstance(api.abstract, bool):
            raise ValueError(f"sensitive_apis.yaml: {api.id}: abstract must be true or false")
        if api.hook_class is not None and not isinstance(api.hook_class, str):
            raise ValueError(f"sensitive_apis.yaml: {api.id}: hook_class must be a class name or null")
        if api.id in seen:
            raise ValueError(f"sensitive_apis.yaml: duplicate id {api.id}")
        if api.kind not in ("method", "field", "permission_request"):
            raise ValueError(f"sensitive_apis.yaml: {api.id}: bad kind {api.kind}")
        if api.kind != "permission_request" and api.category not in cats:
            raise ValueError(f"sensitive_apis.yaml: {api.id}: unknown category {api.category}")
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
