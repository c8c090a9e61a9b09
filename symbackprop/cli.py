"""The command-line front end: parse, call the library, print library errors as one line."""
import argparse
import importlib
import importlib.util
import os
import re
import sys

from symbackprop import __version__
from symbackprop.errors import SettingError, SymbackpropError

COMMANDS = ["derive", "slides", "handout", "exam", "check", "grade", "lint", "serve"]
USAGE_EXIT = 2
BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE, as a shell reports a reader that stopped reading
MAX_MESSAGE = 600  # characters of one error line


class UsageError(Exception):
    """A command line argparse refused; carries the one-line message."""


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (`--seed: expected a whole number, got '1.5'`)."""

    def error(self, message: str):
        message = re.sub(r"^argument ", "", message)
        if message.startswith("the following arguments are required"):
            message += f"; see {self.prog} --help"
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per available command."""
    parser = OneLineParser(prog="symbackprop", description="Symbolic backpropagation for teaching.")
    parser.add_argument("--version", action="version", version=f"symbackprop {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        if importlib.util.find_spec(f"symbackprop.commands.{name}") is None:
            continue
        module = importlib.import_module(f"symbackprop.commands.{name}")
        command = sub.add_parser(name, help=module.__doc__.strip().splitlines()[0], description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def one_line(message: str) -> str:
    """A message on one line of bounded length: line breaks become spaces, a long middle is cut."""
    breaks = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+"  # control characters, every line break of str.splitlines
    message = re.sub(breaks, " ", str(message)).strip()
    if len(message) > MAX_MESSAGE:
        message = f"{message[:MAX_MESSAGE - 200]} ... {message[-190:]}"
    return message


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    try:
        args, unknown = build_parser().parse_known_args(argv)
        if unknown:
            raise UsageError(f"unrecognized arguments: {' '.join(unknown)}; see symbackprop {args.command} --help")
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's final flush
        return code
    except UsageError as err:
        print(f"symbackprop: error: {one_line(err)}", file=sys.stderr)
        return USAGE_EXIT
    except SettingError as err:  # the library names a setting; the command line knows it as an option
        print(f"symbackprop: error: --{err.setting.replace('_', '-')}: {one_line(err.problem)}", file=sys.stderr)
        return err.exit_code
    except SymbackpropError as err:
        print(f"symbackprop: error: {one_line(err)}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_EXIT
    except KeyboardInterrupt:
        print("symbackprop: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush into a closed pipe stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
