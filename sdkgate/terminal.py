"""What a person at a terminal sees besides the report: colours, `--quiet`, and progress of long steps
(scan phases, scenario steps) on stderr.

Progress is shown only when stderr is a terminal and `--quiet` was not given, so CI logs, pipes and
report files never carry it. Code that does long work calls `phase(text)` or `step(text)`; which
reporter (if any) shows it is chosen once by the command with `reporting()`. Colour follows the
NO_COLOR convention (https://no-color.org) and the terminal check, like the console report.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import time
from typing import Iterator, Protocol

QUIET = False          # set by `sdkgate --quiet`


class Reporter(Protocol):
    def phase(self, text: str) -> None: ...

    def close(self) -> None: ...


class _Null:
    def phase(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class _Terminal:
    """One status line on stderr that is rewritten in place (rich), elapsed seconds in front."""

    def __init__(self, label: str):
        from rich.console import Console
        self.t0 = time.monotonic()
        self.label = label
        self.console = Console(stderr=True, no_color=not use_color(sys.stderr))
        self.status = self.console.status(f"{label}: starting", spinner="dots")
        self.status.start()

    def phase(self, text: str) -> None:
        self.status.update(f"{self.label} [{time.monotonic() - self.t0:5.1f}s] {text}")

    def close(self) -> None:
        self.status.stop()


_current: contextvars.ContextVar[Reporter] = contextvars.ContextVar("sdkgate_progress", default=_Null())


def use_color(stream=None) -> bool:
    """Colours only on a terminal, and never when NO_COLOR is set (to anything non-empty)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def enabled() -> bool:
    if QUIET:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def reporting(label: str) -> Iterator[Reporter]:
    """Show progress for the block when a person is watching (see the module docstring)."""
    rep: Reporter = _Terminal(label) if enabled() else _Null()
    token = _current.set(rep)
    try:
        yield rep
    finally:
        _current.reset(token)
        rep.close()


def phase(text: str) -> None:
    """Report what the current long step is doing now (a no-op unless `reporting()` shows it)."""
    _current.get().phase(text)
