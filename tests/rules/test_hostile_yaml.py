"""Hostile YAML inputs (manifest): nesting and alias expansion are bounded, exit 2 naming the place."""
from __future__ import annotations

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded


def _evaluate(capsys, tmp_path, manifest_text: str) -> tuple[int, str]:
    m = tmp_path / "m.yaml"
    m.write_text(manifest_text, "utf-8")
    ev = tmp_path / "events.jsonl"
    ev.write_text('{"v":1,"seq":0,"t_ms":0,"source":"step","kind":"lifecycle","what":"launch"}\n', "utf-8")
    code = run_guarded(cli, ["evaluate", "-m", str(m), str(ev)])
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def test_deeply_nested_manifest(capsys, tmp_path):
    code, out = _evaluate(capsys, tmp_path, "schema: " + "[" * 100_000 + "\n")
    assert code == 2 and "Traceback" not in out
    assert "m.yaml:line 1" in out and "nested deeper than 64" in out


def test_billion_laughs_manifest(capsys, tmp_path):
    text, prev = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n', "a"
    for c in "bcdefghi":
        text += f"{c}: &{c} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = c
    code, out = _evaluate(capsys, tmp_path, text)
    assert code == 2 and "Traceback" not in out
    assert "m.yaml:line" in out and "through aliases" in out
