"""The `sdkgate` command. Each command lives in its own module of this package and registers here."""
from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from .. import __version__
from .common import run_guarded

# command name -> module (imported lazily so `sdkgate --help` stays fast)
COMMANDS = {
    "manifest": "sdkgate.cli.manifest_cmd",
    "catalogue": "sdkgate.cli.catalogue_cmd",
    "evaluate": "sdkgate.cli.evaluate_cmd",
    "scan": "sdkgate.cli.scan_cmd",
    "simulate": "sdkgate.cli.simulate_cmd",
    "proxy": "sdkgate.cli.proxy_cmd",
    "run": "sdkgate.cli.run_cmd",
    "calibrate": "sdkgate.cli.calibrate_cmd",
    "verify": "sdkgate.cli.verify_cmd",
    "report": "sdkgate.cli.report_cmd",
    "doctor": "sdkgate.cli.doctor_cmd",
    "fleet": "sdkgate.cli.fleet_cmd",
}


def _set_quiet(ctx, param, value):
    if value:
        from .. import terminal
        terminal.QUIET = True


def quiet_option() -> click.Option:
    return click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, is_eager=True, callback=_set_quiet,
                        help="As `sdkgate --quiet`: the verdict line (and why evidence is incomplete) only; no progress.")


def with_quiet(cmd: click.Command) -> click.Command:
    """`--quiet` is accepted after the subcommand too (`sdkgate scan --quiet X.apk`), on every (sub)command."""
    if not any("--quiet" in getattr(p, "opts", ()) for p in cmd.params):
        cmd.params.append(quiet_option())
    for sub in getattr(cmd, "commands", {}).values():
        with_quiet(sub)
    return cmd


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [n for n in COMMANDS if importlib.util.find_spec(COMMANDS[n]) is not None]

    def get_command(self, ctx, name):
        mod = COMMANDS.get(name)
        if not mod or importlib.util.find_spec(mod) is None:
            return None
        return with_quiet(importlib.import_module(mod).command)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdkgate")
@click.option("-q", "--quiet", is_flag=True,
              help="Console report: the verdict line (and why evidence is incomplete) only; no progress on stderr.")
def cli(quiet):
    """sdkgate: prove whether an Android app's SDKs collect personal data before consent.

    Exit codes: 0 pass, 1 fail, 2 bad input or usage, 3 incomplete evidence or not judged,
    4 tampered bundle, 70 internal error (traceback in a crash log).

    On a terminal the console report is coloured (not when NO_COLOR is set or the output is a pipe or
    file) and long steps show progress on stderr. Shell completion: see README ("Shell completion").
    """
    from .. import terminal
    terminal.QUIET = quiet


def main(argv=None):
    sys.exit(run_guarded(cli, argv))
