"""A person at a terminal gets colours and progress on stderr; pipes, files, NO_COLOR and --quiet do not."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from sdkgate.formats import render
from sdkgate.report import Report

REPO = Path(__file__).resolve().parents[2]
APK = REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"
SGR_COLOUR = re.compile(rb"\x1b\[[0-9;]*3[1-3]m")          # red, green, yellow foreground
SCAN = [sys.executable, "-m", "sdkgate", "scan", str(APK), "-m", str(MANIFEST)]


def _in_pty(argv: list[str], **env: str) -> tuple[int, bytes]:
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                            env={**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, **env})
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    os.close(master)
    return proc.wait(), out


def test_terminal_gets_colour_and_progress():
    code, out = _in_pty(SCAN)
    assert code == 1
    assert b"\x1b[1;31mVerdict: FAIL" in out                 # the verdict line in red
    assert b"pre-consent paths from the entry points" in out or b"sensitive call sites" in out   # scan phases on the terminal


def test_no_color_env_turns_colour_off():
    code, out = _in_pty(SCAN, NO_COLOR="1")
    assert code == 1 and b"Verdict: FAIL" in out
    verdict_line = out[out.index(b"Verdict: FAIL") - 12:out.index(b"Verdict: FAIL")]
    assert not SGR_COLOUR.search(verdict_line)


def test_pipe_gets_plain_text_and_no_progress():
    proc = subprocess.run(SCAN, capture_output=True)
    assert proc.returncode == 1
    assert b"\x1b[" not in proc.stdout and b"\x1b[" not in proc.stderr
    assert b"entry points" not in proc.stderr
    assert proc.stdout.startswith(b"Verdict: FAIL")


def test_quiet_prints_the_verdict_line_only():
    code, out = _in_pty([sys.executable, "-m", "sdkgate", "--quiet", *SCAN[3:]])
    assert code == 1
    text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", out).decode()
    assert [ln for ln in text.splitlines() if ln.strip()] == ["Verdict: FAIL  Demo Recruit (演示招聘)"]


def test_console_colour_is_the_callers_choice():
    rep = Report(verdict="incomplete", incomplete=["network not observed"])
    assert "\x1b[" not in render(rep, "console")
    coloured = render(rep, "console", color=True)
    assert "\x1b[1;33mVerdict: INCOMPLETE" in coloured
    assert "\x1b[" not in render(rep, "json", color=True)     # files never get ANSI codes
