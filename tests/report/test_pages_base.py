"""One base for every HTML page (scan, run, merge, fleet, manifest diff): the shared header (app, verdict, evidence
hash) and footer come from templates/base.html.j2, and the page modules import one base module, never each other."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from sdkgate.formats import get
from sdkgate.formats.htmlbase import css_string
from sdkgate.report import Report

from ..bundle.evidence_kit import write_evidence

PKG = Path(__file__).resolve().parents[2] / "sdkgate"


def _shared(html: str) -> None:
    assert 'id="page-head"' in html and 'id="page-foot"' in html and "@page" in html, html[:300]
    assert re.search(r"@top-left \{ content: \"sdkgate", html)


def test_every_page_extends_the_base(tmp_path):
    from sdkgate.audit.diff import Diff
    from sdkgate.audit.render import render as render_diff
    from sdkgate.bundle.merge import MergeRow, MergeTable, render_html
    from sdkgate.fleet.report import FleetReport, render_html as fleet_html
    run = Report.load(write_evidence(tmp_path / "ev") / "report.json")
    _shared(get("html").render(run, "en"))
    table = MergeTable([MergeRow(bundle="b", device="d", scenario="s", verdict="fail", seal="sealed", counts={"SG101": 1})])
    _shared(render_html(table, "zh"))
    _shared(fleet_html(FleetReport(generated_at="now", database="sqlite:///x.db", apps=0, scanned=0, errors=0, verdicts={},
                                   sdks=[], apps_per_sdk={}, incomplete_reasons=[], undeclared=[], error_rows=[]), "en"))
    _shared(render_diff(Diff("m.yaml", "e", {}, [], [], [], [], ["agent dropped 3 events"]), "html", "en"))


def test_print_header_cannot_leave_its_css_string():
    hostile = 'x"; } body { display:none } </style><script>alert(1)</script> 你好\\'
    s = str(css_string(hostile))
    assert s.startswith('"') and s.endswith('"') and s.count('"') == 2
    assert "<" not in s and "}" not in s and "\\" in s


def _imports(path: Path, module: str) -> set[str]:
    out = set()
    pkg = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("sdkgate"):
                out.add(name)
                out.update(f"{name}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("sdkgate"))
    return out


def test_no_import_circle_through_the_formats():
    mods = {}
    for p in PKG.rglob("*.py"):
        rel = p.relative_to(PKG.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        mods[name] = p
    graph = {m: {i for i in _imports(p, m) if i in mods and i != m} for m, p in mods.items()}
    start = [m for m in mods if m.startswith("sdkgate.formats")]

    def reach(src):
        seen, todo = set(), [src]
        while todo:
            for n in graph[todo.pop()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen

    circles = [m for m in start if m in reach(m)]
    assert not circles, circles
