"""What every command shares: exit codes, the bad-input guard, output options."""
from __future__ import annotations

import click

from ..errors import InputError
from ..exitcodes import (EXIT_FAIL, EXIT_INCOMPLETE, EXIT_INPUT, EXIT_INTERNAL, EXIT_PASS,  # noqa: F401
                         EXIT_TAMPERED, VERDICT_EXIT)
from ..scanning import load_options, quiet_androguard  # noqa: F401 - the commands take them from here

OUTPUT_FLAGS = ("--out", "-o", "--output")


def run_guarded(group: click.Group, argv=None) -> int:
    """Run the click group; InputError anywhere becomes one clear line and exit 2."""
    quiet_androguard()
    try:
        rv = group.main(args=argv, prog_name="sdkgate", standalone_mode=False)
    except InputError as exc:
        click.echo(f"sdkgate: error: {exc.render()}", err=True)
        return EXIT_INPUT
    except click.exceptions.Abort:
        click.echo("sdkgate: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except ImportError as exc:       # an optional part not installed: the pip line, not a crash
        from ..extras import for_import_error
        missing = for_import_error(exc, f"sdkgate {_subcommand(argv)}".rstrip())
        if missing is None:
            path = write_crash_log(exc, argv)
            click.echo(f"sdkgate: internal error: {type(exc).__name__}: {exc}; details in {path}", err=True)
            return EXIT_INTERNAL
        click.echo(f"sdkgate: error: {missing.render()}", err=True)
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - a bug must never look like a verdict (0, 1 or 3)
        path = write_crash_log(exc, argv)
        click.echo(f"sdkgate: internal error: {type(exc).__name__}: {exc}; details in {path}", err=True)
        return EXIT_INTERNAL
    return rv if isinstance(rv, int) else 0


def _subcommand(argv) -> str:
    import sys
    args = [str(a) for a in (argv if argv is not None else sys.argv[1:])]
    return next((a for a in args if not a.startswith("-")), "")


def _output_folder(argv) -> "str | None":
    """The folder the command writes to (--out DIR, -o/--output FILE or DIR), if the command line names one."""
    import sys
    from pathlib import Path
    args = [str(a) for a in (argv if argv is not None else sys.argv[1:])]
    for i, a in enumerate(args):
        flag, _, val = a.partition("=")
        if flag not in OUTPUT_FLAGS:
            continue
        if not val and i + 1 < len(args):
            val = args[i + 1]
        if not val:
            continue
        p = Path(val)
        if flag == "--out" or p.is_dir() or not p.suffix:
            return p
        return p.parent
    return None


def write_crash_log(exc: BaseException, argv) -> str:
    """The traceback goes to a crash log: in the output folder when there is one, else a temp file."""
    import tempfile
    import time
    import traceback
    text = (f"sdkgate crash {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\nargv: {argv!r}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    folder = _output_folder(argv)
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"sdkgate-crash-{time.strftime('%Y%m%d-%H%M%S')}.log"
            path.write_text(text, encoding="utf-8")
            return str(path)
        except OSError:
            pass
    fd, name = tempfile.mkstemp(prefix="sdkgate-crash-", suffix=".log")
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return name


def ensure_parent(path) -> None:
    """-o/--out into a folder that does not exist creates it (every command alike); failure is bad input."""
    from pathlib import Path
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(path), None, f"cannot create the output folder: {exc.strerror or exc}") from None


FORMATS = ("console", "json", "junit", "sarif", "html")
REPORT_FORMATS = ("console", "json", "junit", "sarif", "csv", "xlsx")   # every judging command writes these


def format_option(default="console", choices=REPORT_FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Report format.")


lang_option = click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                           help="Language of labels and messages.")


def console_style(output) -> dict:
    """Colour for a person at a terminal (never into a file, a pipe or with NO_COLOR); --quiet."""
    from .. import terminal
    return {"color": output is None and terminal.use_color(), "quiet": terminal.QUIET}


sheet_option = click.option("--sheet", default=None, metavar="NAME",
                            help="csv: the sheet to write (findings [default], reads, sdks, permissions, call_sites, "
                                 "summary); xlsx holds them all.")


def emit_report(report, fmt: str, lang: str, output: str | None, reads=None, sheet: str | None = None) -> None:
    """Render a report in one format to a file (-o) or stdout. `reads`: a callable giving the reads table
    (formats/reads.py), called only for the spreadsheets."""
    from .. import formats
    if sheet and fmt != "csv":
        raise InputError(None, "--sheet", "applies to --format csv (an xlsx workbook holds every sheet)")
    extra = {}
    if fmt in formats.SHEET_FORMATS:
        extra = {"reads": reads() if callable(reads) else reads, "sheet": sheet}
    write_output(formats.render(report, fmt, lang, **console_style(output), **extra), output, fmt)


def write_output(text, output: str | None, fmt: str = "") -> None:
    """A rendered report to a file (-o; its folder is created) or stdout; binary formats need -o."""
    from pathlib import Path
    if isinstance(text, bytes):
        if not output:
            raise InputError(None, f"--format {fmt}", "a binary format: give -o FILE")
        ensure_parent(output)
        Path(output).write_bytes(text)
    elif output:
        ensure_parent(output)
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)




def _duration(ctx, param, value):
    if value is None:
        return None
    from ..scenario.model import parse_duration
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


settle_option = click.option("--settle", "settle_ms", default=None, callback=_duration, metavar="DURATION",
                             help="Keep the app observed this long after the last step (SDK timers); "
                                  "default: the scenario's 'settle:', else 10s; 0 allowed.")

suppressions_option = click.option("--suppressions", type=click.Path(dir_okay=False), default=None,
                                   help="YAML file of suppressions (rule, actor, reason, expires).")
geoip_option = click.option("--geoip", type=click.Path(dir_okay=False), default=None,
                            help="MaxMind .mmdb database for SG405 (destination regions).")
