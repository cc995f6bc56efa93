"""Exit codes every command shares (docs/ci.md): the CLI, the fleet and the Action read the same table."""
from __future__ import annotations

EXIT_PASS, EXIT_FAIL, EXIT_INPUT, EXIT_INCOMPLETE, EXIT_TAMPERED = 0, 1, 2, 3, 4
EXIT_INTERNAL = 70          # EX_SOFTWARE: an unexpected internal error, never a verdict
VERDICT_EXIT = {"pass": EXIT_PASS, "fail": EXIT_FAIL, "incomplete": EXIT_INCOMPLETE, "not_judged": EXIT_INCOMPLETE}
