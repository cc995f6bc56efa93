"""Errors a user can act on: bad input (exit 2) names the file, the place and the problem."""
from __future__ import annotations


class InputError(Exception):
    """Malformed or invalid input. The CLI prints `file:place: problem` and exits 2."""

    def __init__(self, file: str | None, place: str | None, problem: str):
        self.file, self.place, self.problem = file, place, problem
        super().__init__(self.render())

    def render(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.place) if p not in (None, ""))
        return f"{where}: {self.problem}" if where else self.problem


class EvidenceError(Exception):
    """Evidence that cannot be trusted; callers turn it into an `incomplete` verdict."""
