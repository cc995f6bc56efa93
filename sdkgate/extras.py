"""What each optional part of sdkgate needs, and the one clear message when it is not installed.

`pip install sdkgate` (the base) scans, evaluates, reports, verifies and drafts manifests from policies; a CI job
installs only what it uses: `sdkgate[device]` (a phone or the simulated device: Frida, adb, uiautomator2),
`sdkgate[proxy]` (mitmproxy: capture, and re-reading recorded traffic), `sdkgate[fleet]` (Dask, PostgreSQL).
A command that needs a missing extra exits 2 printing the pip line to run (never a traceback)."""
from __future__ import annotations

import importlib.util

from .errors import InputError

# extra -> the modules it installs (import names)
EXTRAS: dict[str, tuple[str, ...]] = {
    "device": ("frida", "adbutils", "uiautomator2", "httpx"),
    "proxy": ("mitmproxy",),
    "fleet": ("dask", "distributed", "psycopg", "httpx"),
}
MODULE_EXTRA = {"frida": "device", "frida_tools": "device", "adbutils": "device", "uiautomator2": "device",
                "mitmproxy": "proxy", "mitmproxy_rs": "proxy", "dask": "fleet", "distributed": "fleet",
                "psycopg": "fleet", "psycopg_binary": "fleet"}


class MissingExtra(InputError):
    """A part of sdkgate that is not installed: exit 2 with the pip line."""

    def __init__(self, extras: list[str], what: str):
        self.extras = sorted(set(extras))
        super().__init__(None, None, f"{what} needs {pip_line(self.extras)} (not installed here; from a checkout: "
                                     f"pip install '.[{','.join(self.extras)}]')")


def pip_line(extras: list[str]) -> str:
    return f"pip install 'sdkgate[{','.join(sorted(set(extras)))}]'"


def installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing(*extras: str) -> list[str]:
    return [e for e in extras if not all(installed(m) for m in EXTRAS[e])]


def require(*extras: str, what: str) -> None:
    """Before a command does anything: every module of `extras` importable, else exit 2 with the pip line."""
    lacking = missing(*extras)
    if lacking:
        raise MissingExtra(lacking, what)


def for_import_error(exc: ImportError, what: str = "this command") -> MissingExtra | None:
    """The MissingExtra an ImportError of an optional module stands for (None: a real bug)."""
    name = (getattr(exc, "name", None) or "").split(".", 1)[0]
    extra = MODULE_EXTRA.get(name)
    return MissingExtra([extra], what) if extra else None
