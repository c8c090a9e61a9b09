"""Sides read with the project's grammar, their numbers and names as placeholders x_0, x_1, … (never eval)."""
import math
import re
from functools import lru_cache

from symbackprop.checking.float_evaluator import Unsupported, compile_expression, evaluate
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


@lru_cache(maxsize=8192)
def _compiled(expr):
    """expr compiled to a float function of a symbol -> value mapping, once (None when not evaluable)."""
    try:
        return compile_expression(expr, lambda symbol: symbol)
    except Unsupported:
        return None


def float_value(expr, values: dict) -> float:
    """expr at values (symbol -> float); nan where undefined, overflowing or not evaluable."""
    function = _compiled(expr)
    return math.nan if function is None else float(evaluate(function, values))
