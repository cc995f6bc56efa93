"""docs/ci.md matches the commands: every `sdkgate CMD --option` it shows exists."""
from __future__ import annotations

import re
from pathlib import Path

from sdkgate.cli import COMMANDS, cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "ci.md"


def test_every_command_and_option_in_ci_doc_exists():
    import click
    text = DOC.read_text("utf-8")
    uses = re.findall(r"sdkgate ([a-z]+)((?:[^;&|\n`]|&(?!&))*)", text)
    assert len(uses) > 10
    ctx = click.Context(cli)
    seen = set()
    for name, rest in uses:
        if name not in COMMANDS:
            continue                           # prose like "sdkgate in CI"
        cmd = cli.get_command(ctx, name)
        assert cmd is not None, name
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])} | {"--help", "-h"}
        for opt in re.findall(r"(?<![\w$])(--?[a-z][a-z-]*)", rest):
            assert opt in opts, f"docs/ci.md: sdkgate {name} has no option {opt}"
            seen.add((name, opt))
    for must in [("run", "--apk"), ("run", "--zip"), ("verify", "--key"), ("report", "--merge"), ("report", "--html")]:
        assert must in seen, must
    for word in ("reactivecircus/android-emulator-runner", "github/codeql-action/upload-sarif", "frida-server",
                 "adb connect", "DeviceFarmer/STF", "GitLab"):
        assert word in text, word
