"""Sides read with the project's grammar, their numbers and names as placeholders x_0, x_1, … (never eval)."""
import re
from functools import lru_cache

from symbackprop.errors import SymbackpropError
from symbackprop.expressions.parser import parse_expression
from symbackprop.model import symbols
from symbackprop.model.spec import Network

EULER_POWER = re.compile(r"e\s*\^\s*(?!\{?\s*\d+\s*\}?(?![\d.]))")  # e^{-z}, e^{0.9}: Euler's, even where e is a name


@lru_cache(maxsize=4096)
def parsed(text: str, count: int):
    """The parsed placeholder expression in x_0 … x_{count-1} (None when the grammar refuses it)."""
    network = Network(layers=(count, 1), activations=("sigmoid",), loss="mse")
    try:
        expr = parse_expression(text, network)
    except (SymbackpropError, RecursionError):
        return None
    allowed = {symbols.x(i) for i in range(count)}
    return expr if expr.free_symbols <= allowed else None
