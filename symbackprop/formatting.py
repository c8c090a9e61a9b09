"""Numbers as documents and the terminal print them."""


def number(value: float, decimals: int = 4, decimal_comma: bool = False) -> str:
    """A fixed-point number; -0.0000 is printed 0.0000."""
    text = f"{value:.{decimals}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")
    return text.replace(".", ",") if decimal_comma else text
