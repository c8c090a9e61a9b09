"""Checking a written derivative against SymPy's, and writing a derivative in g: exact points, bounded work."""
from fractions import Fraction
from itertools import product

import mpmath
import sympy

DIGITS = 60  # working precision of the point evaluations
AGREEMENT = mpmath.mpf(10) ** -25  # relative difference under which two values agree
LARGEST = mpmath.mpf(10) ** 200  # a value past this is treated as undefined (no overflow, no huge numbers)
MAX_SYMBOLIC_OPS = 80  # operation count of a difference past which it is not simplified symbolically
MAX_SYMBOLIC_POWER = 10  # nor when it holds a power past this (expanding it would grow the expression)
ACTIVATION_POINTS = [sympy.Rational(p, q) for p, q in
                     [(-7, 3), (-3, 2), (-2, 3), (-1, 5), (1, 7), (3, 4), (4, 3), (5, 2), (13, 4)]]
LOSS_POINTS = {"y": [sympy.Integer(0), sympy.Rational(1, 3), sympy.Integer(1)],
               "yhat": [sympy.Rational(1, 7), sympy.Rational(3, 5), sympy.Rational(9, 10), sympy.Rational(5, 2),
                        sympy.Rational(-3, 2)],
               "N": [sympy.Integer(2), sympy.Integer(3)]}


class Undefined(Exception):
    """An expression has no real value of reasonable size at a point."""


def activation_points(v) -> list[dict]:
    """The exact points (v only) a written activation derivative is checked at (none at a kink v = 0)."""
    return [{v: value} for value in ACTIVATION_POINTS]


def loss_points(y, yhat, n) -> list[dict]:
    """The exact points (y, ŷ, N) a written loss derivative is checked at."""
    return [{y: a, yhat: b, n: c} for a, b, c in product(LOSS_POINTS["y"], LOSS_POINTS["yhat"], LOSS_POINTS["N"])]


def undefined_at(expr, points) -> dict | None:
    """The first point where an expression has no real value of reasonable size, None when it has one at each."""
    with mpmath.workdps(DIGITS):
        for point in points:
            try:
                value(expr, point)
            except Undefined:
                return point
    return None


def first_difference(written, exact, points) -> tuple[dict, object, object] | None:
    """(point, written value, exact value) where the two differ, None when they agree wherever both are defined.

    A difference SymPy cancels to 0 (small expressions only) is equal outright; otherwise the exact points
    decide. Raises Undefined when neither is defined at any point and the difference is not provably 0."""
    if provably_equal(written, exact):
        return None
    compared = 0
    with mpmath.workdps(DIGITS):
        for point in points:
            try:
                want = value(exact, point)
            except Undefined:
                continue
            try:
                got = value(written, point)
            except Undefined:
                return point, None, want
            compared += 1
            if abs(got - want) > AGREEMENT * max(1, abs(want)):
                return point, got, want
    if not compared and not provably_equal(written, exact):
        raise Undefined("no point to compare at")
    return None


def provably_equal(a, b) -> bool:
    """True when SymPy cancels a − b to 0 (written with exponentials); the work is bounded by the expression's
    size (operations and powers), never by time, so the answer is the same on every machine."""
    difference = a - b
    if (sympy.count_ops(difference) > MAX_SYMBOLIC_OPS
            or difference.has(sympy.Piecewise, sympy.Heaviside, sympy.Max, sympy.Min, sympy.Abs)
            or any(abs(power.exp) > MAX_SYMBOLIC_POWER for power in difference.atoms(sympy.Pow)
                   if power.exp.is_Number)):
        return False
    return sympy.cancel(sympy.expand(difference.rewrite(sympy.exp))) == 0


def in_terms_of(derivative, g_expr, g, v, degree: int = 3):
    """The derivative as a polynomial in g = g(v) of degree <= 3 (sigmoid: g(1 − g)), or None when it is not one."""
    if derivative.free_symbols - {v} or g_expr.has(sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs):
        return None
    samples = []
    with mpmath.workdps(DIGITS):
        for point in activation_points(v):
            try:
                samples.append((value(g_expr, point), value(derivative, point)))
            except Undefined:
                continue
        for wanted in range(degree + 1):
            coefficients = _fit(samples, wanted)
            if coefficients is not None:
                break
        else:
            return None
    polynomial = sympy.Add(*[c * g**power for power, c in enumerate(coefficients)])
    if coefficients[0] == 0 and len([c for c in coefficients if c]) > 1:
        return g * sympy.expand(polynomial / g)  # g(1 - g), as the course writes it
    return polynomial


def _fit(samples, degree: int):
    """Rational coefficients c_0..c_degree with Σ c_i g^i = g' at every sample, or None."""
    if len(samples) < degree + 2:
        return None
    used = samples[:degree + 1]
    try:
        solved = mpmath.lu_solve(mpmath.matrix([[g**power for power in range(degree + 1)] for g, _ in used]),
                                 mpmath.matrix([d for _, d in used]))
    except ZeroDivisionError:
        return None
    coefficients = []
    for c in solved:
        fraction = Fraction(mpmath.nstr(c, 40, min_fixed=-mpmath.inf, max_fixed=mpmath.inf)).limit_denominator(1000)
        if abs(c - mpmath.mpf(fraction.numerator) / fraction.denominator) > AGREEMENT:
            return None
        coefficients.append(sympy.Rational(fraction.numerator, fraction.denominator))
    for g, d in samples:
        fitted = sum(mpmath.mpf(c.p) / c.q * g**power for power, c in enumerate(coefficients))
        if abs(fitted - d) > AGREEMENT * max(1, abs(d)):
            return None
    return coefficients


_RELATIONS = {sympy.Gt: lambda a, b: a > b, sympy.Lt: lambda a, b: a < b, sympy.Ge: lambda a, b: a >= b,
              sympy.Le: lambda a, b: a <= b, sympy.Eq: lambda a, b: a == b, sympy.Ne: lambda a, b: a != b}


def value(expr, point: dict):
    """The real value of a SymPy expression at a point, in mpmath floats; Undefined past LARGEST or off-domain."""
    if isinstance(expr, sympy.Symbol):
        if expr not in point:
            raise Undefined(f"no value for {expr}")
        return _checked(mpmath.mpf(point[expr].p) / point[expr].q)
    if expr.is_Rational:
        return _checked(mpmath.mpf(expr.p) / expr.q)
    if expr.is_Float:
        return mpmath.mpf(str(expr))
    if expr is sympy.E:
        return mpmath.e
    if expr is sympy.pi:
        return mpmath.pi
    if expr in (sympy.true, sympy.false):
        return bool(expr)
    kind = type(expr)
    if kind in _RELATIONS:
        return _RELATIONS[kind](*(value(arg, point) for arg in expr.args))
    if kind is sympy.And:
        return all(value(arg, point) for arg in expr.args)
    if kind is sympy.Or:
        return any(value(arg, point) for arg in expr.args)
    if kind is sympy.Not:
        return not value(expr.args[0], point)
    if kind is sympy.Piecewise:
        for piece, condition in expr.args:
            if value(condition, point):
                return value(piece, point)
        raise Undefined("no case holds")
    args = [value(arg, point) for arg in expr.args]
    if kind in _FUNCTIONS:
        return _checked(_FUNCTIONS[kind](*args))
    raise Undefined(f"cannot evaluate {kind.__name__}")


def _checked(number):
    """A real number of reasonable size, else Undefined."""
    if isinstance(number, mpmath.mpc) or not mpmath.isfinite(number) or abs(number) > LARGEST:
        raise Undefined("not a real number of reasonable size")
    return number


def _power(base, exponent):
    if base == 0 and exponent <= 0:
        raise Undefined("0 to a power <= 0")
    if base < 0 and exponent != int(exponent):
        raise Undefined("a negative number to a fractional power")
    if base != 0 and abs(exponent) * abs(mpmath.log(abs(base), 10)) > 200:
        raise Undefined("too large")
    return base**exponent


def _exp(x):
    if x > 460:
        raise Undefined("too large")
    return mpmath.exp(x)


def _log(x):
    if x <= 0:
        raise Undefined("log of a number <= 0")
    return mpmath.log(x)


def _heaviside(x, at_zero=None):
    if x == 0:
        raise Undefined("at the step")
    return mpmath.mpf(x > 0)


_FUNCTIONS = {
    sympy.Add: lambda *a: mpmath.fsum(a),
    sympy.Mul: lambda *a: mpmath.fprod(a),
    sympy.Pow: _power,
    sympy.exp: _exp,
    sympy.log: _log,
    sympy.tanh: mpmath.tanh,
    sympy.cosh: lambda x: _exp(abs(x)) and mpmath.cosh(x),
    sympy.sinh: lambda x: _exp(abs(x)) and mpmath.sinh(x),
    sympy.Abs: abs,
    sympy.sign: mpmath.sign,
    sympy.Heaviside: _heaviside,
    sympy.Max: max,
    sympy.Min: min,
}
