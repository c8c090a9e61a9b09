"""Argument types for the command-line options: each refuses a bad value with "expected ..., got '...'"."""
import argparse
import math
import re

WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:30] + "...")


def whole_number(text: str) -> int:
    """An option's whole number (ASCII digits, at most 18 of them)."""
    if not WHOLE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {_quoted(text)}")
    return int(text)


def finite_number(text: str) -> float:
    """An option's finite decimal number such as 0.5, 1e-4 or 3."""
    value = float(text) if DECIMAL.fullmatch(text.strip()) else math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number such as 0.001, got {_quoted(text)}")
    return value
