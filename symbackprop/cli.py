"""The command-line front end: parse, call the library, print library errors as one line."""
import argparse
import importlib
import importlib.util
import sys

from symbackprop import __version__
from symbackprop.errors import SymbackpropError

COMMANDS = ["derive", "slides", "handout", "exam", "check", "grade", "serve"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per available command."""
    parser = argparse.ArgumentParser(prog="symbackprop", description="Symbolic backpropagation for teaching.")
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


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except SymbackpropError as err:
        print(f"symbackprop: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("symbackprop: interrupted", file=sys.stderr)
        return 130
