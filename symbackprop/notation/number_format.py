"""Numbers as documents and the terminal print them."""
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
