"""Expressions compiled to small Python closures over floats or 80-digit numbers: no code generation, no hang."""
import math
import operator

import mpmath
import sympy

PRECISION = 80  # significant digits of the exact-enough evaluation
MAX_MAGNITUDE = 100_000  # |log2| of the largest number the 80-digit evaluation keeps (beyond: undefined)
RELATIONS = {sympy.Gt: operator.gt, sympy.Lt: operator.lt, sympy.Ge: operator.ge, sympy.Le: operator.le,
             sympy.Eq: operator.eq, sympy.Ne: operator.ne}
_FAILURES = (ArithmeticError, ValueError, TypeError, KeyError, RecursionError)


class Unsupported(Exception):
    """A node this evaluator does not know."""


class Undefined(ArithmeticError):
    """A value outside the reals or outside the range kept (log of a negative, overflow)."""


def _heaviside(a):
    return 1.0 if a > 0 else (0.0 if a < 0 else 0.5)


def _sign(a):
    return float((a > 0) - (a < 0))


class FloatNumbers:
    """Float64 arithmetic with math's functions; undefined results raise."""

    name = "float"
    number = float
    total = math.fsum

    @staticmethod
    def check(value):
        if isinstance(value, complex) or not math.isfinite(value):
            raise Undefined(value)
        return value

    @staticmethod
    def power(base, exponent):
        if base == 0 and exponent < 0:
            raise Undefined("0 to a negative power")
        return math.pow(base, exponent)

    functions = {sympy.exp: math.exp, sympy.log: math.log, sympy.tanh: math.tanh, sympy.sinh: math.sinh,
                 sympy.cosh: math.cosh, sympy.sin: math.sin, sympy.cos: math.cos, sympy.Abs: abs,
                 sympy.sign: _sign, sympy.Heaviside: _heaviside}


class PreciseNumbers:
    """80-digit arithmetic (mpmath, a private context): real results only, magnitudes bounded."""

    name = "precise"
    context = mpmath.MPContext()
    context.dps = PRECISION

    @classmethod
    def number(cls, value):
        if isinstance(value, sympy.Rational):
            return cls.context.mpf(value.p) / value.q
        if isinstance(value, sympy.Float):
            return cls.context.mpf(value._mpf_)
        return cls.context.mpf(value)

    @classmethod
    def total(cls, values):
        return cls.context.fsum(values)

    @classmethod
    def check(cls, value):
        if not isinstance(value, type(cls.context.mpf(0))) or not cls.context.isfinite(value):
            raise Undefined(value)
        if value and abs(cls.context.mag(value)) > MAX_MAGNITUDE:
            raise Undefined("out of range")
        return value

    @classmethod
    def power(cls, base, exponent):
        c = cls.context
        if base == 0:
            if exponent < 0:
                raise Undefined("0 to a negative power")
            return c.mpf(0) if exponent > 0 else c.mpf(1)
        if base < 0 and not c.isint(exponent):
            raise Undefined("a negative number to a fractional power")
        if abs(exponent) * abs(c.mag(base)) > MAX_MAGNITUDE:
            raise Undefined("out of range")
        return cls.check(c.power(base, exponent))

    @classmethod
    def _exp(cls, a):
        if abs(a) > MAX_MAGNITUDE:
            raise Undefined("out of range")
        return cls.context.exp(a)

    @classmethod
    def _log(cls, a):
        if a <= 0:
            raise Undefined("log of a number <= 0")
        return cls.context.log(a)

    @classmethod
    def _bounded(cls, function):
        def bounded(a):
            if abs(a) > MAX_MAGNITUDE:
                raise Undefined("out of range")
            return function(a)
        return bounded


PreciseNumbers.functions = {
    sympy.exp: PreciseNumbers._exp, sympy.log: PreciseNumbers._log,
    sympy.tanh: PreciseNumbers.context.tanh, sympy.sinh: PreciseNumbers._bounded(PreciseNumbers.context.sinh),
    sympy.cosh: PreciseNumbers._bounded(PreciseNumbers.context.cosh), sympy.sin: PreciseNumbers.context.sin,
    sympy.cos: PreciseNumbers.context.cos, sympy.Abs: abs,
    sympy.sign: lambda a: PreciseNumbers.context.mpf(_sign(a)),
    sympy.Heaviside: lambda a: PreciseNumbers.context.mpf(_heaviside(a)),
}
FLOAT, PRECISE = FloatNumbers, PreciseNumbers


def compile_expression(expr, slot, numbers=FLOAT):
    """A function values -> number for expr; each symbol is read as values[slot(symbol)]. Raises Unsupported."""
    return _Compiler(slot, numbers).build(expr)


def evaluate(function, values, numbers=FLOAT):
    """A compiled function at values; nan where undefined, overflowing or not evaluable."""
    try:
        return numbers.check(function(values))
    except _FAILURES:
        return math.nan
    except (OverflowError, ZeroDivisionError):
        return math.nan


def to_float(expr, values: dict) -> float:
    """expr at values (symbol -> float); nan where undefined, overflowing or not evaluable."""
    try:
        function = compile_expression(expr, lambda symbol: symbol)
    except Unsupported:
        return math.nan
    return float(evaluate(function, values))


class _Compiler:
    """Builds closures bottom-up; depth-first without recursion limits beyond the parser's own bounds."""

    def __init__(self, slot, numbers):
        self.slot, self.numbers = slot, numbers

    def build(self, expr):
        n = self.numbers
        if expr.is_Symbol:
            key = self.slot(expr)
            return lambda values: values[key]
        if expr.is_Number or expr.is_NumberSymbol:
            if expr in (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                raise Unsupported("not a finite number")
            constant = n.number(expr) if expr.is_Rational or expr.is_Float else n.number(sympy.Float(expr, 90))
            return lambda values: constant
        if isinstance(expr, sympy.UnevaluatedExpr):
            return self.build(expr.args[0])
        parts = [self.build(arg) for arg in expr.args] if not isinstance(expr, sympy.Piecewise) else None
        checked = n.name != "float"  # floats carry inf and nan to the end; 80-digit numbers are checked at once
        if isinstance(expr, sympy.Add):
            total, check = n.total, n.check
            if len(parts) == 2 and not checked:
                first, second = parts
                return lambda values: first(values) + second(values)
            if not checked:
                return lambda values: total([part(values) for part in parts])
            return lambda values: check(total([part(values) for part in parts]))
        if isinstance(expr, sympy.Mul):
            check = n.check
            if len(parts) == 2 and not checked:
                first, second = parts
                return lambda values: first(values) * second(values)

            def product(values):
                result = parts[0](values)
                for part in parts[1:]:
                    result = result * part(values)
                return check(result) if checked else result
            return product
        if isinstance(expr, sympy.Pow):
            base, exponent, power, check = parts[0], parts[1], n.power, n.check
            if expr.exp == -1:
                return lambda values: check(1 / _nonzero(base(values)))
            if expr.exp == 2:
                if not checked:
                    return lambda values: base(values) ** 2
                return lambda values: check(base(values) * base(values))
            return lambda values: check(power(base(values), exponent(values)))
        if isinstance(expr, (sympy.Max, sympy.Min)):
            pick = max if isinstance(expr, sympy.Max) else min
            return lambda values: pick([part(values) for part in parts])
        if isinstance(expr, sympy.Piecewise):
            return self._piecewise(expr)
        function = n.functions.get(expr.func)
        if function is not None and len(parts) == 1:
            (argument,), check = parts, n.check
            return lambda values: check(function(argument(values)))
        raise Unsupported(type(expr).__name__)

    def _piecewise(self, expr):
        rows = [(self.build(piece), self.condition(condition)) for piece, condition in expr.args]

        def piecewise(values):
            for piece, holds in rows:
                if holds(values):
                    return piece(values)
            raise Undefined("no case holds")
        return piecewise

    def condition(self, condition):
        """A function values -> bool for a relation or a logical combination of them."""
        if condition is sympy.true or condition is True:
            return lambda values: True
        if condition is sympy.false or condition is False:
            return lambda values: False
        relation = RELATIONS.get(type(condition))
        if relation is not None:
            left, right = self.build(condition.lhs), self.build(condition.rhs)
            return lambda values: relation(left(values), right(values))
        parts = [self.condition(arg) for arg in condition.args]
        if isinstance(condition, sympy.And):
            return lambda values: all(part(values) for part in parts)
        if isinstance(condition, sympy.Or):
            return lambda values: any(part(values) for part in parts)
        if isinstance(condition, sympy.Not):
            return lambda values: not parts[0](values)
        raise Unsupported(type(condition).__name__)


def _nonzero(value):
    if value == 0:
        raise Undefined("division by zero")
    return value
