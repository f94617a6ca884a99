"""Command-line entry point: ``python -m pipeline COMMAND ...``.

Every subcommand lives in ``pipeline/commands/NAME.py`` with ``NAME``,
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; the list below
is the whole command set.  Exit status: 0 success, 1 some documents failed,
2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from pipeline.errors import InputError, describe_os_error, one_line

# the subcommands, each pipeline/commands/NAME.py; a run imports only the one it runs (start-up time:
# `align` pulls in the aligner, `diff` the review code), the full list is imported for --help
COMMAND_NAMES = ("clean", "restore", "variants", "diff", "stats", "align")
SCRIPT_NAME = "mtja-clean"  # the console script pyproject.toml installs


def command(name: str) -> ModuleType:
    return importlib.import_module(f"pipeline.commands.{name}")


def __getattr__(name: str):  # COMMANDS, as before: every command module (imports them all)
    if name == "COMMANDS":
        return tuple(command(n) for n in COMMAND_NAMES)
    raise AttributeError(name)


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line, as every bad input is: the message and where the help is, not the whole usage
    (a bad value of ``clean``'s options printed its 29-line usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def program_name(argv0: str | None = None) -> str:
    """How the user ran the program, for usage lines: the console script (pyproject's ``mtja-clean``) by its name,
    else ``python -m pipeline`` (also when another program calls :func:`main`).

    >>> program_name("/venv/bin/mtja-clean"), program_name("/src/pipeline/__main__.py"), program_name("pytest")
    ('mtja-clean', 'python -m pipeline', 'python -m pipeline')
    """
    name = os.path.basename(sys.argv[0] if argv0 is None else argv0)
    return SCRIPT_NAME if name == SCRIPT_NAME else "python -m pipeline"


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``only`` (the command being run: its module alone is imported)."""
    parser = OneLineParser(
        prog=program_name(),
        description="Clean machine-translated Japanese text with reversible, explained edits.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_NAMES if only is None else (only,):
        cmd = command(name)
        p = sub.add_parser(cmd.NAME, help=cmd.HELP, description=cmd.HELP)
        cmd.add_arguments(p)
        p.set_defaults(run=cmd.run)
    return parser


def stage_modules_named(argv: Sequence[str]) -> list[str]:
    """The ``--stage-module`` values, read before the parser is built (their stages add options to it).

    >>> stage_modules_named(["clean", "--stage-module", "a.b", "--stage-module=c", "x.txt"])
    ['a.b', 'c']
    """
    out = []
    for i, arg in enumerate(argv):
        if arg == "--stage-module" and i + 1 < len(argv):
            out.append(argv[i + 1])
        elif arg.startswith("--stage-module="):
            out.append(arg.split("=", 1)[1])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command of ``argv`` (else of ``sys.argv``); its exit status.

    Run as the program (no ``argv``), the process ends here once the command
    is done and its output flushed (:func:`_end_process`).
    """
    status = _main(argv)
    if argv is None:
        _end_process(status)
    return status


def _end_process(status: int) -> None:
    """End the process now, with ``status``, without tearing down every object it made.

    Python's own exit collects and frees every object still alive (the
    tagger, the stages' caches, the modules): 0.2 s of a one-job clean of
    the dev texts.  Every output is closed by then.  ``atexit`` handlers
    still run and stdout and stderr are flushed; when that fails (a closed
    pipe) or another thread still runs, the ordinary exit takes over.
    """
    import atexit
    import threading

    if threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        from pipeline.run import load_stage_modules

        load_stage_modules(stage_modules_named(argv))
    except (ImportError, ValueError) as exc:
        print(one_line(f"error: --stage-module: {type(exc).__name__}: {exc}"), file=sys.stderr)
        return 2
    args = build_parser(argv[0] if argv and argv[0] in COMMAND_NAMES else None).parse_args(argv)
    try:
        return int(args.run(args))
    except InputError as exc:
        print(one_line(f"error: {exc}"), file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head` closed the pipe: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a run-level fault no check caught first (disk full mid-run, ...): one line
        print(one_line(f"error: {describe_os_error(exc)}"), file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still one line, the traceback only on request
        if os.environ.get("MTJA_DEBUG"):
            traceback.print_exc()
        print(
            f"error: internal error: {type(exc).__name__}: {exc} (set MTJA_DEBUG=1 to see where; please report it)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
