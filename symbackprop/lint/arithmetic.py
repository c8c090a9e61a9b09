"""Arithmetic with no spec: adjacent numeric sides evaluated with the project's grammar, at printed precision."""
import math
import re

from symbackprop.lint.equations import Equation, Number, Side
from symbackprop.lint.findings import Finding, Fix
from symbackprop.lint.parsing import EULER_POWER as _EULER_POWER, float_value, parsed as _parsed
from symbackprop.model import symbols

ROUNDING = 1e-12  # float noise allowed on top of every tolerance (relative, at least absolute)
MAX_NUMBERS = 60  # numbers on one side; longer sides are not evaluated
_ALLOWED = re.compile(r"(?<![A-Za-z\\])frac(?=\s*\{)|\\(?:[dt]?frac|times|cdot|div|left|right|exp|ln|log|sqrt|sigma|"
                      r"sin|cos|mathrm\s*\{\s*e\s*\}|[bB]igg?[lr]?|q?quad)(?![A-Za-z])|\\[,;:! ]")
_BARE_FRAC = re.compile(r"(?<![A-Za-z\\])frac(?=\s*\{)")
_LONE_E = re.compile(r"(?<![A-Za-z\\])e(?![A-Za-z])")
_NOT_ARITHMETIC = re.compile(r"[A-Za-z]|[^\x00-\x7f\u2212\u00d7\u00b7\u22c5]")


def template(side: Side, e_is_name: bool = False) -> str | None:
    """The side's text with its numbers replaced by placeholder symbols, or None when it is not numeric (with
    `e_is_name`, the document defines e: only e^{-z}, e^{0.9} are Euler's number)."""
    if e_is_name and any(not _EULER_POWER.match(side.text, m.start()) for m in _LONE_E.finditer(side.text)):
        return None
    if _NOT_ARITHMETIC.search(_LONE_E.sub("", _ALLOWED.sub("", side.text))):
        return None  # a name or a word besides the arithmetic: symbolic, whatever its numbers
    numbers = side.numbers
    if not numbers or len(numbers) > MAX_NUMBERS:
        return None
    pieces, position = [], side.start
    for number in numbers:
        pieces.append(side.text[position - side.start:number.start - side.start])
        position = number.end
    pieces.append(side.text[position - side.start:])
    residue = _LONE_E.sub("", _ALLOWED.sub("", "".join(pieces)))  # what is left besides numbers
    if _NOT_ARITHMETIC.search(residue):
        return None
    placeholders = ["{x_{%d}}" % index for index in range(len(numbers))] + [""]
    text = "".join(piece + placeholder for piece, placeholder in zip(pieces, placeholders)).replace("\\div", "/ ")
    return _BARE_FRAC.sub(r"\\frac", text)  # frac{1}{2}: a backslash lost on the way to Markdown


class Evaluator:
    """A numeric side evaluated in floats, at its written numbers or with some of them replaced."""

    def __init__(self, side: Side, e_is_name: bool = False):
        self.side = side
        text = template(side, e_is_name)
        self.expr = _parsed(text, len(side.numbers)) if text else None
        self._symbols = [symbols.x(i) for i in range(len(side.numbers))] if self.expr is not None else []

    @property
    def numeric(self) -> bool:
        return self.expr is not None

    def value(self, replaced: dict[int, float] | None = None) -> float:
        """The side's value; `replaced` maps a number's position in the side to another value."""
        replaced = replaced or {}
        values = {symbol: replaced.get(index, number.value)
                  for index, (symbol, number) in enumerate(zip(self._symbols, self.side.numbers))}
        return float_value(self.expr, values)

    def rounding(self, which, replaced: dict[int, float] | None = None) -> float:
        """How far the side can move when each chosen number is off by half a unit of its last decimal."""
        total = 0.0
        for index, number in enumerate(self.side.numbers):
            if not which(number):
                continue
            base = dict(replaced or {})
            centre = base.get(index, number.value)
            high = self.value({**base, index: centre + number.half_unit})
            low = self.value({**base, index: centre - number.half_unit})
            if math.isfinite(high) and math.isfinite(low):
                total += abs(high - low) / 2
        return total


class ArithmeticJudge:
    """Judges the arithmetic of one document's equations; each side is parsed and evaluated once."""

    def __init__(self, equations: list[Equation], unrounded: dict | None = None, e_is_name: bool = False):
        self.equations = equations
        self.e_is_name = e_is_name
        self._evaluators: dict[int, Evaluator] = {}  # by id: the sides live as long as self.equations
        self.unrounded = dict(unrounded or {})  # (|value|, decimals) -> the unrounded magnitude of a printed number

    def evaluator(self, side: Side) -> Evaluator:
        """The one Evaluator of a side (a side is compared with its neighbours on both hands)."""
        key = id(side)
        if key not in self._evaluators:
            self._evaluators[key] = Evaluator(side, self.e_is_name)
        return self._evaluators[key]

    def judge(self, subject) -> list[Finding]:
        """Findings for every equation; subject(side) is how a finding names its left side."""
        findings = []
        for equation in self.equations:
            findings.extend(self.check_equation(equation, subject))
        return findings

    def check_equation(self, equation: Equation, subject) -> list[Finding]:
        """A finding for each pair of adjacent numeric sides; a corrected side feeds the next pair."""
        findings, corrections, carried = [], {}, None
        for index in range(len(equation.relations)):
            left, right = equation.sides[index], equation.sides[index + 1]
            lhs, rhs = self.evaluator(left), self.evaluator(right)
            if not (lhs.numeric and rhs.numeric):
                corrections, carried = {}, None
                continue
            exact = {index: math.copysign(self.unrounded[_key(number)], number.value)
                     for index, number in enumerate(left.numbers)
                     if not number.whole and _key(number) in self.unrounded}
            finding, corrections = _check_pair(left, right, lhs, rhs, exact, corrections, subject, carried)
            if finding is None:
                carried = None
                continue
            findings.append(finding)
            unrounded = lhs.value({**exact, **corrections}) if exact else finding.expected_value
            # a = b = c: when b is a, rounded, b's unrounded value is a's
            carried = (carried if carried is not None else unrounded) if finding.verdict == "correct" else None
            if carried is not None and right.bare is not None and not right.bare.whole:
                self.unrounded.setdefault(_key(right.bare), abs(carried))
            elif carried is not None:
                self._restated(right, rhs, carried)
        return findings


    def _restated(self, right: Side, rhs: Evaluator, value: float) -> None:
        """(1 - 0.6028)^2 = (0.3972)^2: the one rounded number of the right side whose unrounded value is not
        known yet is the one that makes it equal the left side's unrounded value."""
        unknown = [index for index, number in enumerate(right.numbers)
                   if carries_rounding(number) and _key(number) not in self.unrounded]
        if len(unknown) != 1:
            return
        number = right.numbers[unknown[0]]
        solved = _solve(rhs, unknown[0], number.value, value)
        if solved is not None and abs(solved - number.value) <= number.half_unit:
            self.unrounded[_key(number)] = abs(solved)


def _key(number: Number) -> tuple[float, int]:
    return abs(number.value), number.decimals


def carries_rounding(number: Number) -> bool:
    """Whether a printed number on a left side may stand for a rounded value: a decimal with 3 or more significant
    digits (0.5793, 0.7261); inputs such as 0.7, 0.25 or 0.05 are exact, or the rounding they would carry would
    hide real errors (0.7's ±0.05 would accept -0.6906 × 0.2261 × 0.7 = -0.10905)."""
    return not number.whole and len(re.sub(r"\D", "", number.text).lstrip("0")) >= 3


def _check_pair(left, right, lhs, rhs, exact, corrections, subject, carried=None):
    """The finding for `left = right`, and the corrections the right side passes on to the next pair.

    The right side is correct when it is, at its printed precision, what the left side's numbers give as printed,
    or what they give unrounded (`exact`: the values the document's definitions or earlier arithmetic give the
    rounded numbers it restates), or, in a chain a = b = c, a's unrounded value (`carried`). A rounded number
    whose unrounded value the document never gives carries its half unit (propagated through the left side)."""
    written, shown = lhs.value(), rhs.value()
    true = lhs.value(corrections) if corrections else written
    unrounded = lhs.value({**exact, **corrections}) if exact else true
    if not all(map(math.isfinite, (written, true, shown))):
        return None, {}
    unknown = {index for index, number in enumerate(left.numbers) if index not in exact and index not in corrections
               and carries_rounding(number)}
    printed = _right_rounding(right, rhs)
    tolerance = (printed + ROUNDING * max(abs(true), printed)
                 + (lhs.rounding(lambda n: n.start in {left.numbers[i].start for i in unknown}, corrections)
                    if unknown and carried is None else 0.0))
    base = dict(subject=subject(left), written=right.text, written_value=shown, expected_value=true,
                offset=left.start, kind="arithmetic", name=None, target=right.start)
    readings = (true, unrounded) + ((carried,) if carried is not None else ())
    if any(math.isfinite(value) and abs(shown - value) <= tolerance for value in readings):
        return Finding(expected=right.text, verdict="correct", **base), {}
    verdict = "consistent" if corrections and abs(shown - written) <= tolerance else "wrong"
    fix, replaced = _fix(right, rhs, true, tolerance - _right_rounding(right, rhs))
    expected = _apply(right, fix) if fix else _plain(true, right)
    return Finding(expected=expected, verdict=verdict, fix=fix, **base), replaced


def judge_value(right: Side, rhs: Evaluator, value: float, **finding) -> Finding | None:
    """A right side compared with an exact value (no rounding on the left): correct, or wrong (fixed when lone)."""
    shown = rhs.value()
    if not (math.isfinite(shown) and math.isfinite(value)):
        return None
    base = dict(finding, written=right.text, written_value=shown, expected_value=value, target=right.start)
    printed = _right_rounding(right, rhs)
    if abs(shown - value) <= printed + ROUNDING * max(abs(value), printed):
        return Finding(expected=right.text, verdict="correct", **base)
    fix = _fix(right, rhs, value, 0.0)[0] if right.bare is not None else None  # a symbol may stand at many places
    return Finding(expected=_apply(right, fix) if fix else _plain(value, right), verdict="wrong", fix=fix, **base)


def _right_rounding(right: Side, rhs: Evaluator) -> float:
    """The rounding the right side's own printing allows: half a unit of a lone number, else propagated."""
    if right.bare is not None:
        return right.bare.half_unit
    return rhs.rounding(lambda n: not n.whole)


def _fix(right: Side, rhs: Evaluator, target: float, left_tolerance: float):
    """The smallest change of one printed number of the right side that makes the pair correct, or None."""
    best = None
    for index, number in enumerate(right.numbers):
        if number.whole and right.bare is None:
            continue
        solved = _solve(rhs, index, number.value, target)
        if solved is None:
            continue
        text = number.written(solved)
        new_value = float(text.replace("{,}", ".").replace(",", ".").replace("\u2212", "-"))
        value = rhs.value({index: new_value})
        allowed = (left_tolerance + (number.half_unit if right.bare is not None else rhs.rounding(
            lambda n: not n.whole, {index: new_value})) + ROUNDING * max(abs(target), number.half_unit))
        if not math.isfinite(value) or abs(value - target) > allowed or text == number.text:
            continue
        change = abs(new_value - number.value) / max(abs(number.value), number.half_unit)
        if best is None or change < best[0]:
            best = (change, Fix(number.start, number.end, text), index, new_value)
    if best is None:
        return None, {}
    return best[1], {best[2]: best[3]}


def _solve(rhs: Evaluator, index: int, start: float, target: float) -> float | None:
    """The value of one number that makes the side equal `target` (secant steps), or None."""
    x0, x1 = start, start + max(abs(start) * 1e-3, 1e-6)
    f0, f1 = rhs.value({index: x0}) - target, rhs.value({index: x1}) - target
    for _ in range(30):
        if not (math.isfinite(f0) and math.isfinite(f1)) or f1 == f0:
            return None
        x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
        f1 = rhs.value({index: x1}) - target
        if math.isfinite(f1) and abs(f1) <= 1e-13 * max(1.0, abs(target)):
            return x1
    return x1 if math.isfinite(f1) and abs(f1) <= 1e-9 * max(1.0, abs(target)) else None


def _apply(side: Side, fix: Fix) -> str:
    """The side's text with a fix applied."""
    return side.text[:fix.start - side.start] + fix.text + side.text[fix.end - side.start:]


def _plain(value: float, side: Side) -> str:
    """A value printed with one more decimal than the side's most precise number."""
    decimals = max((n.decimals for n in side.numbers), default=0) + 1
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if side.decimal_comma else text
