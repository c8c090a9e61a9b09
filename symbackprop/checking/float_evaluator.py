"""A parsed expression evaluated in floats by walking its tree: no code generation, no unbounded precision, never a hang."""
import math
import operator

import sympy

FUNCTIONS = {
    sympy.exp: math.exp,
    sympy.log: math.log,
    sympy.tanh: math.tanh,
    sympy.sinh: math.sinh,
    sympy.cosh: math.cosh,
    sympy.sin: math.sin,
    sympy.cos: math.cos,
    sympy.Abs: abs,
    sympy.sign: lambda a: float((a > 0) - (a < 0)),
    sympy.Heaviside: lambda a: 1.0 if a > 0 else (0.0 if a < 0 else 0.5),
}
RELATIONS = {sympy.Gt: operator.gt, sympy.Lt: operator.lt, sympy.Ge: operator.ge, sympy.Le: operator.le,
             sympy.Eq: operator.eq, sympy.Ne: operator.ne}
_FAILURES = (ArithmeticError, ValueError, TypeError, RecursionError, KeyError)


class Unsupported(Exception):
    """A node this evaluator does not know."""


def to_float(expr, values: dict) -> float:
    """expr at values (symbol -> float); nan where undefined, overflowing or not evaluable."""
    try:
        result = _walk(expr, values)
    except (Unsupported, *_FAILURES):
        return math.nan
    if isinstance(result, complex) or isinstance(result, bool):
        return math.nan
    return float(result)


def _walk(expr, values):
    if expr.is_Symbol:
        return values[expr]
    if expr.is_Number or expr.is_NumberSymbol:
        if expr in (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            return math.nan
        return float(expr)
    if isinstance(expr, sympy.Add):
        return math.fsum(_walk(arg, values) for arg in expr.args)
    if isinstance(expr, sympy.Mul):
        result = 1.0
        for arg in expr.args:
            result *= _walk(arg, values)
        return result
    if isinstance(expr, sympy.Pow):
        base, exponent = _walk(expr.base, values), _walk(expr.exp, values)
        if base == 0 and exponent < 0:
            return math.nan
        return math.pow(base, exponent)  # ValueError for a negative base and a fractional exponent
    if isinstance(expr, (sympy.Max, sympy.Min)):
        numbers = [_walk(arg, values) for arg in expr.args]
        return (max if isinstance(expr, sympy.Max) else min)(numbers)
    if isinstance(expr, sympy.Piecewise):
        for piece, condition in expr.args:
            if _truth(condition, values):
                return _walk(piece, values)
        return math.nan
    function = FUNCTIONS.get(expr.func)
    if function is not None and len(expr.args) == 1:
        return function(_walk(expr.args[0], values))
    raise Unsupported(type(expr).__name__)


def _truth(condition, values) -> bool:
    if condition is sympy.true or condition is True:
        return True
    if condition is sympy.false or condition is False:
        return False
    relation = RELATIONS.get(type(condition))
    if relation is not None:
        return relation(_walk(condition.lhs, values), _walk(condition.rhs, values))
    if isinstance(condition, sympy.And):
        return all(_truth(arg, values) for arg in condition.args)
    if isinstance(condition, sympy.Or):
        return any(_truth(arg, values) for arg in condition.args)
    if isinstance(condition, sympy.Not):
        return not _truth(condition.args[0], values)
    raise Unsupported(type(condition).__name__)
