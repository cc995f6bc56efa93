"""No import circles inside sdkgate/ (issue #27): the package's imports (module level and inside functions),
walked with `ast`; every strongly connected group of more than one module is a circle.

KNOWN lists the circles other branches of this round remove; each entry goes when its fix lands, and any
circle not listed fails the test."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sdkgate"
KNOWN: list[set[str]] = [
    {"sdkgate.formats.html", "sdkgate.formats.html_scan"},                                  # #27 circle 6
    {"sdkgate.cli.scan_cmd", "sdkgate.fleet.cli", "sdkgate.fleet.runner", "sdkgate.fleet.sources",
     "sdkgate.fleet.worker"},                                                                # #27 circle 1
    {"sdkgate.dynamic.appmodel", "sdkgate.dynamic.appmodel_ext"},                           # #27 circle 3
    {"sdkgate.dynamic.simloading", "sdkgate.dynamic.stacks"},                               # #27 circle 4
]


def module_graph() -> dict[str, set[str]]:
    mods: dict[str, Path] = {}
    for p in PACKAGE.rglob("*.py"):
        parts = p.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = p
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        pkg = m if p.name == "__init__.py" else m.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = pkg.split(".")[:len(pkg.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != m:
                    graph[m].add(t)
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(group)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for v in graph:
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return out


def test_no_import_circle_beyond_the_known_ones():
    found = circles(module_graph())
    new = [sorted(c) for c in found if c not in KNOWN]
    assert new == [], "import circles inside sdkgate/: " + "; ".join(" <-> ".join(c) for c in new)


def test_the_walk_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert circles({"a": {"b"}, "b": set()}) == []
