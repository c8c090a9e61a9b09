"""Error carried forward through the document's arithmetic: a later copy of a wrong number, and a result computed
from such a copy, are consistent (they follow from the document's earlier numbers), with the right value."""
import math
import re

from symbackprop.lint.equations import Equation, Number
from symbackprop.lint.findings import Finding, Fix

MIN_DIGITS = 3  # a copy is recognised by its digits: 0.2395, not 0.5


def carried(findings: list[Finding], equations: list[Equation], judge, examples: list[int] = ()) -> list[Finding]:
    """Consistent findings for the numbers that copy a wrong (or consistent) number written earlier in the same
    example (`examples`: where each new one starts), and for the results of arithmetic on such copies; numbers
    already judged not correct are left to their finding."""
    numbers = {number.start: number for equation in equations for side in equation.sides for number in side.numbers}
    bad_at = {f.fix.start if f.fix else f.target: f for f in findings if f.bad}
    pending = sorted((start, f.expected_value) for start, f in bad_at.items() if start in numbers)
    starts = sorted(examples)
    wrong: dict[tuple, float] = {}  # (|value|, decimals) -> the right value of a wrong number
    found, cursor, example = [], 0, 0
    for equation in equations:
        begin = equation.sides[0].start
        while example < len(starts) and starts[example] <= begin:  # a new example: earlier numbers are no context
            while cursor < len(pending) and pending[cursor][0] < starts[example]:
                cursor += 1
            wrong.clear()
            example += 1
        while cursor < len(pending) and pending[cursor][0] < begin:
            _remember(wrong, numbers[pending[cursor][0]], pending[cursor][1])
            cursor += 1
        for finding in _equation(equation, wrong, bad_at, judge):
            found.append(finding)
            if finding.target in numbers and finding.target not in bad_at:
                bad_at[finding.target] = finding
                _remember(wrong, numbers[finding.target], finding.expected_value)
    return found


def _remember(wrong: dict, number: Number, right: float) -> None:
    if _digits(number) >= MIN_DIGITS and math.isfinite(right):
        wrong[(abs(number.value), number.decimals)] = abs(right) * (1 if number.value >= 0 else -1)


def _digits(number: Number) -> int:
    return len(re.sub(r"\D", "", number.text).lstrip("0"))


def _copy(number: Number, wrong: dict) -> float | None:
    """The right value of a number that copies a wrong one (with the copy's own sign), or None."""
    right = wrong.get((abs(number.value), number.decimals)) if _digits(number) >= MIN_DIGITS else None
    if right is None:
        return None
    return math.copysign(abs(right), number.value)


def _equation(equation: Equation, wrong: dict, bad_at: dict, judge) -> list[Finding]:
    found = []
    corrected: dict[int, dict[int, float]] = {}  # side index -> {number index: right value}
    for index, side in enumerate(equation.sides):
        replaced = {}
        for position, number in enumerate(side.numbers):
            if number.start in bad_at:
                if side.bare is None:  # a number of an expression already found not right: its right value
                    replaced[position] = bad_at[number.start].expected_value
                continue
            right = _copy(number, wrong)
            if right is None:
                continue
            replaced[position] = right
            computed_here = side.bare is not None and index > 0 and judge.evaluator(equation.sides[index - 1]).numeric
            if (side.bare is None or index > 0) and not computed_here:  # a result here is arithmetic's to judge
                found.append(_consistent(number, " ".join(side.text.split()), right, "operand"))
        corrected[index] = replaced
    for index, relation in enumerate(equation.relations):
        left, right = equation.sides[index], equation.sides[index + 1]
        replaced = corrected.get(index)
        if not replaced or right.bare is None or right.bare.start in bad_at:
            continue
        if any(f.target == right.bare.start for f in found):
            continue
        lhs = judge.evaluator(left)
        if not lhs.numeric:
            continue
        written, true = lhs.value(), lhs.value(replaced)
        number = right.bare
        tolerance = number.half_unit + 1e-9 * max(1.0, abs(true))  # the printed operands, as arithmetic reads them
        if math.isfinite(true) and abs(number.value - written) <= tolerance < abs(number.value - true):
            found.append(_consistent(number, " ".join(left.text.split()), true, "arithmetic", left.start))
            wrong[(abs(number.value), number.decimals)] = math.copysign(abs(true), number.value)
    return found


def _consistent(number: Number, subject: str, right: float, kind: str, offset: int | None = None) -> Finding:
    expected = number.written(right)
    fix = Fix(number.start, number.end, expected) if expected != number.text else None
    return Finding(offset=number.start if offset is None else offset, kind=kind, name=None, subject=subject,
                   written=number.text, written_value=number.value, expected=expected, expected_value=right,
                   verdict="consistent", fix=fix, target=number.start)
