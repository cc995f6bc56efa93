"""Every JSON sdkgate reads goes through the bounded readers in sdkgate/fileio.py: no module parses JSON
on its own (a 100k-deep document must never reach the recursive parser), checked on the source itself."""
from __future__ import annotations

import ast
import json
from pathlib import Path

from sdkgate.events import Event, EventWriter

PACKAGE = Path(__file__).resolve().parents[1] / "sdkgate"
PARSERS = {"load", "loads", "JSONDecoder", "decoder", "scanner", "raw_decode"}
DEEP = "[" * 100_000 + "]" * 100_000


def bare_json_parsing(path: Path) -> list[str]:
    """`json.load(s)`, `json.JSONDecoder`, `from json import loads`, `import json as x`, other JSON libraries."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "json" \
                and node.attr in PARSERS:
            found.append(f"{path.name}:{node.lineno}: json.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("json", "orjson", "ujson",
                                                                                     "simplejson", "rapidjson"):
            names = [a.name for a in node.names]
            if node.module != "json" or set(names) & (PARSERS | {"*"}):
                found.append(f"{path.name}:{node.lineno}: from {node.module} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in ("orjson", "ujson", "simplejson", "rapidjson") or (a.name == "json" and a.asname):
                    found.append(f"{path.name}:{node.lineno}: import {a.name}" + (f" as {a.asname}" if a.asname else ""))
    return found


def test_no_json_is_parsed_outside_fileio():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "fileio.py":
            continue
        offenders += [f"{path.relative_to(PACKAGE.parent)}: {f}" for f in bare_json_parsing(path)]
    assert offenders == [], "parse JSON with sdkgate.fileio (loads_bounded, read_json_document, ...):\n" + \
        "\n".join(offenders)


def test_the_check_finds_what_it_looks_for(tmp_path):
    p = tmp_path / "m.py"
    p.write_text("import json\nimport json as j\nfrom json import loads\nx = json.loads('1')\n"
                 "d = json.JSONDecoder().decode\nfrom json import dumps\ny = json.dumps(1)\n")
    assert [f.split(": ", 1)[1] for f in bare_json_parsing(p)] == [
        "import json as j", "from json import loads", "json.loads", "json.JSONDecoder"]


def test_rematch_reads_a_hostile_run_json_bounded(tmp_path, capsys):
    """A run.json nested 100k deep beside flows.mitm: the re-match (every `evaluate`) goes on, no traceback."""
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    from sdkgate.net.rematch import rematch_events
    with EventWriter(tmp_path / "events.jsonl") as w:
        w.write(Event(0, 5.0, "hook", "derived", extra={"categories": ["device_id.imei"], "chain": "md5",
                                                         "out_prefix": "00112233445566778899aabbccddeeff"}))
    (tmp_path / "net.jsonl").write_text("")
    (tmp_path / "flows.mitm").write_bytes(b"")
    (tmp_path / "run.json").write_text(DEEP)
    assert rematch_events([tmp_path / "events.jsonl", tmp_path / "net.jsonl"], None) == []
    code = run_guarded(cli, ["evaluate", str(tmp_path / "events.jsonl"), str(tmp_path / "net.jsonl"), "--format", "json"])
    cap = capsys.readouterr()
    assert code in (0, 1, 3) and "Traceback" not in cap.err and "RecursionError" not in cap.err, cap.err
    assert json.loads(cap.out)["verdict"] in ("pass", "incomplete", "not_judged")


def test_a_deep_json_body_is_scanned_as_bytes(tmp_path):
    from sdkgate.net.decode import parse_json
    errors: list[str] = []
    assert parse_json(DEEP.encode(), errors) == (None, None)
    assert errors and "nested deeper than 64" in errors[0]
    assert parse_json('{"a": "\u00e9"}'.encode("utf-16"), errors)[0] == {"a": "\u00e9"}
    assert parse_json(b'{"a": "\xe9"}', errors) == ({"a": "\u00e9"}, "latin-1")
