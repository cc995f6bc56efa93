"""The policy package stays a house a newcomer can hold (issue #27 for `policy/`): one module per kind of input
shape and reader, none over ~450 lines, no import circle among them (walked with `ast`)."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "sdkgate" / "policy"


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
    return out


def test_modules_are_small():
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in PKG.glob("*.py")}
    assert {n: s for n, s in sizes.items() if s > 450} == {}
    # one module per kind of input shape, as issue #27 asks of the old 730-line extract.py
    assert {"tables.py", "entries.py", "prose.py", "textblocks.py", "htmlblocks.py", "pdftext.py"} <= set(sizes)


def test_no_import_circle_in_the_policy_package():
    mods = {p.stem for p in PKG.glob("*.py")}
    graph = {m: _imports(PKG / f"{m}.py") & mods for m in mods}
    seen: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        if seen.get(m) == 2:
            return
        assert seen.get(m) != 1, " -> ".join(path + [m])
        seen[m] = 1
        for n in sorted(graph[m]):
            visit(n, path + [m])
        seen[m] = 2

    for m in sorted(mods):
        visit(m, [])
