"""The dynamic package stays a house a newcomer can hold in their head (issue 27): no import circle
between its modules (walked with `ast`, lazy imports inside functions included) and no module over
~450 lines."""
from __future__ import annotations

import ast
from pathlib import Path

import sdkgate

ROOT = Path(sdkgate.__file__).parent
MAX_LINES = 460


def _modules(pkg: Path) -> dict[str, Path]:
    out = {}
    for p in pkg.rglob("*.py"):
        parts = list(p.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = name.split(".") if is_pkg else name.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
    return {m for m in out if m in known and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_inside_the_dynamic_package():
    mods = _modules(ROOT)
    graph = {m: _imports(m, p, set(mods)) for m, p in mods.items()}
    dynamic = [c for c in _cycles(graph) if any(m.startswith("sdkgate.dynamic") for m in c)]
    assert dynamic == []


def test_the_checker_finds_a_circle(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_dynamic_modules_stay_small():
    big = {str(p.relative_to(ROOT)): n for p in (ROOT / "dynamic").rglob("*.py")
           if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert big == {}
