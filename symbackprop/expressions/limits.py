"""The expression grammar's limits and its one-line errors: every input is bounded before SymPy builds it."""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import lark
import sympy
from lark import Token, Tree

from symbackprop.errors import LatexParseError

MAX_LENGTH = 20_000  # characters
MAX_NESTING = 50  # nested (, [ and { levels, checked before parsing
MAX_TREE_DEPTH = 250  # parse-tree levels, checked before building SymPy (bounds unary chains)
MAX_CALL_NESTING = 20  # functions applied to functions: \sigma(\sigma(...)) builds deep SymPy trees
MAX_EXPONENT = 100  # largest |numeric exponent|, so SymPy never expands x^{999999999}
MAX_DIGITS = 30  # digits in one written number
MAX_NUMBER_BITS = 3_400  # size of any exact number the expression evaluates to (about 1000 digits)
MAX_ARGUMENTS = 16  # arguments of \max / \min, rows of a piecewise


def quoted(text: str, limit: int = 60) -> str:
    """Text quoted for a one-line message: whitespace collapsed, long text cut."""
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[:limit] + "...") + "'"


def parse_error(position: int, problem: str) -> LatexParseError:
    """The one-line error for a problem at a character position (0-based)."""
    return LatexParseError(f"cannot parse expression at position {position}: {problem}")


def check_size(text: str) -> None:
    """Reject empty, over-long and over-nested text before the parser sees it."""
    if len(text) > MAX_LENGTH:
        raise parse_error(MAX_LENGTH, f"expression too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    if not text.strip():
        raise parse_error(0, "empty expression")
    depth, opened = 0, []
    for position, char in enumerate(text):
        if char in "([{":
            depth += 1
            opened.append(position)
            if depth > MAX_NESTING:
                raise parse_error(position, f"brackets nested deeper than {MAX_NESTING} levels")
        elif char in ")]}":
            if depth == 0:
                raise parse_error(position, f"unexpected {char!r}: it closes nothing")
            depth -= 1
            opened.pop()
    if opened:
        raise parse_error(opened[-1], f"{text[opened[-1]]!r} is never closed")


def check_depth(tree: Tree) -> None:
    """Reject parse trees too deep, or with functions nested too deep (walked without recursion)."""
    stack = [(tree, 1, 0)]
    while stack:
        node, depth, calls = stack.pop()
        calls += node.data == "call"
        if depth > MAX_TREE_DEPTH:
            raise parse_error(position_of(node), f"expression nested deeper than {MAX_TREE_DEPTH} levels")
        if calls > MAX_CALL_NESTING:
            raise parse_error(position_of(node), f"functions nested deeper than {MAX_CALL_NESTING} levels")
        stack.extend((child, depth + 1, calls) for child in node.children if isinstance(child, Tree))


def position_of(node) -> int:
    """Character position where a tree or token starts (0 when unknown)."""
    if isinstance(node, Token):
        return node.start_pos or 0
    return getattr(node.meta, "start_pos", 0) if not node.meta.empty else 0


def visit_error(err: lark.exceptions.VisitError) -> LatexParseError:
    """A LatexParseError from an error raised while building SymPy."""
    if isinstance(err.orig_exc, LatexParseError):
        return err.orig_exc
    return parse_error(position_of(err.obj), f"cannot build this expression ({type(err.orig_exc).__name__}: "
                                  f"{str(err.orig_exc).splitlines()[0][:80] if str(err.orig_exc) else ''})")


def check_value(value, position: int):
    """Reject undefined values, oversized numbers and huge powers as soon as a node makes them."""
    for part in (value, *getattr(value, "args", ())):
        if part in (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise parse_error(position, "the expression is undefined here (division by zero or log of 0?)")
        if isinstance(part, sympy.Rational) and max(part.p.bit_length(), part.q.bit_length()) > MAX_NUMBER_BITS:
            raise parse_error(position, "number too large (over about 1000 digits)")
        if isinstance(part, sympy.Pow) and part.exp.is_Number and abs(part.exp) > MAX_EXPONENT:
            raise parse_error(position, f"exponent {part.exp} too large (the limit is {MAX_EXPONENT} in absolute value)")
    return value


def checked_node(method):
    """Wrap a builder method: children in, checked SymPy value out."""
    def wrapper(self, meta, children):
        return check_value(method(self, meta, children), getattr(meta, "start_pos", 0))

    wrapper.__name__ = method.__name__
    return wrapper


def parsed_number(token: Token) -> sympy.Rational:
    """An exact number for a written literal (0.5 -> 1/2, 1e-3 -> 1/1000)."""
    mantissa, _, exponent = str(token).lower().partition("e")
    if len(mantissa.replace(".", "")) > MAX_DIGITS:
        raise parse_error(position_of(token), f"number with more than {MAX_DIGITS} digits")
    if exponent and (len(exponent.lstrip("+-").lstrip("0")) > 3 or abs(int(exponent)) > MAX_EXPONENT):
        raise parse_error(position_of(token), f"number exponent {quoted(exponent, 10)} too large (the limit is {MAX_EXPONENT})")
    fraction = Fraction(str(token))
    return sympy.Rational(fraction.numerator, fraction.denominator)


def check_numbers(values, position: int, bits: Callable) -> None:
    """Refuse sums and products whose exact numbers would grow past MAX_NUMBER_BITS (slow to combine)."""
    numbers = [value for value in values if isinstance(value, sympy.Rational)]
    if len(numbers) > 1 and sum(bits(number) for number in numbers) > MAX_NUMBER_BITS:
        raise parse_error(position, "number too large (over about 1000 digits)")


def check_exponent(exponent, position: int) -> None:
    """Refuse numeric exponents over MAX_EXPONENT in absolute value."""
    if exponent.is_Number and abs(exponent) > MAX_EXPONENT:
        raise parse_error(position, f"exponent {exponent} too large (the limit is {MAX_EXPONENT} in absolute value)")


def bounded_power(base, exponent, position: int):
    """base ** exponent, refusing exponents and exact results that would make SymPy hang."""
    check_exponent(exponent, position)
    if base.is_Rational and exponent.is_Number and abs(base) not in (0, 1):
        bits = max(base.p.bit_length(), base.q.bit_length())
        if bits * abs(exponent) > MAX_NUMBER_BITS:
            raise parse_error(position, "number too large (over about 1000 digits)")
    if base.is_zero and exponent.is_negative:
        raise parse_error(position, "division by zero (0 to a negative power)")
    return sympy.exp(exponent) if base is sympy.E else sympy.Pow(base, exponent)
