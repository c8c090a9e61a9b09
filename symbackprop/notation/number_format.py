"""Numbers as documents and the terminal print them."""
import numpy as np

from symbackprop.errors import SettingError

MAX_DECIMALS = 12


def check_decimals(decimals: int) -> int:
    """The --decimals option, or a one-line error naming its range."""
    if not 0 <= decimals <= MAX_DECIMALS:
        raise SettingError("decimals", f"expected a whole number from 0 to {MAX_DECIMALS}, got {decimals}")
    return decimals


def number(value: float, decimals: int = 4, decimal_comma: bool = False) -> str:
    """A fixed-point number; -0.0000 is printed 0.0000."""
    text = f"{value:.{decimals}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")
    return text.replace(".", ",") if decimal_comma else text


def as_written(value: float, decimal_comma: bool = False, math: bool = False, digits: int | None = None) -> str:
    """A setting as the spec writes it (η = 0.5, not 0.5000), never in e-notation; `digits` significant
    digits at most; the decimal comma is braced in math mode."""
    text = np.format_float_positional(value, precision=digits, unique=digits is None, fractional=False, trim="-")
    text = text.lstrip("-") if float(text) == 0 else text
    return text.replace(".", ("{,}" if math else ",")) if decimal_comma else text
