"""The document's own network: every `name = expression [= number]` defines a name; later numbers are judged
against those definitions (values by evaluation, derivative claims by differentiating them with SymPy, updated
weights from the stated learning rate), with error carried forward from the document's own earlier numbers."""
import math
import re
from dataclasses import dataclass, field

import sympy

from symbackprop.checking.float_evaluator import to_float
from symbackprop.lint.equations import Equation, Number
from symbackprop.lint.findings import Finding, Fix
from symbackprop.lint.written import UPDATE, Reading, split_derivative

ROUNDING = 1e-9
LEARNING_RATES = ("\\eta", "\\alpha", "lr", "\\epsilon", "\\varepsilon")
_HYPOTHETICAL = re.compile(r"(?:\b(?:if|were|suppose|supposing|say|assume|assuming|for each|for every|for all|"
                           r"se|fosse|suponha|supondo|para cada|para todo|si|fuera|supongamos|cada)\W*)$",
                           re.IGNORECASE)
_ENUMERATION = re.compile(r"\\[lc]?dots|\u2026|\.\.\.")


@dataclass
class Scope:
    """What the document has said so far: definitions, given values, and the last number written for a name."""

    definitions: dict = field(default_factory=dict)  # name -> (sympy expr in name symbols, offset)
    given: dict = field(default_factory=dict)  # name -> float (inputs: exact)
    given_numbers: dict = field(default_factory=dict)  # name -> the Number that gave it
    written: dict = field(default_factory=dict)  # name -> (Number, verdict)

    def reset_numbers(self) -> None:
        self.written.clear()


@dataclass(frozen=True)
class Claim:
    """A number the document gives a name: judged against the definitions."""

    number: Number
    name: str
    subject: str


class DocumentNetwork:
    """Reads definitions in document order and judges every later number given a defined name."""

    def __init__(self, equations: list[Equation], text: str, context_of):
        self.equations = equations
        self.text = text
        self.context_of = context_of  # offset -> the prose just before the math it is in
        self.defined = frozenset(_subjects(equations))
        self.euler = "e" not in self.defined
        self.scope = Scope()
        self.readings: dict[int, Reading] = {}
        self.operand_findings: list[Finding] = []
        self.givens: set[int] = set()  # offsets of equations that only gave an input's value
        self._partials: dict = {}
        self.counts: dict = {}  # (|value|, decimals) -> how often the document writes the number
        for equation in equations:
            for side in equation.sides:
                for number in side.numbers:
                    key = (abs(number.value), number.decimals)
                    self.counts[key] = self.counts.get(key, 0) + 1

    def reading(self, side) -> Reading:
        key = id(side)
        if key not in self.readings:
            self.readings[key] = Reading(side, self.defined, self.euler)
        return self.readings[key]

    # ---- reading the document -------------------------------------------------------------------------------
    def judge(self) -> list[Finding]:
        findings = []
        for equation in self.equations:
            findings.extend(self._equation(equation))
        return findings + self.operand_findings

    def _equation(self, equation: Equation) -> list[Finding]:
        readings = [self.reading(side) for side in equation.sides]
        subject = readings[0].lone_name
        if subject is None:
            return self._unnamed(equation, readings)
        if self._hypothetical(equation):
            return []
        expression = next((r for r in readings[1:] if r.understood and r.names and r.lone_name is None), None)
        if expression is None:
            expression = next((r for r in readings[1:] if r.lone_name is not None and r.lone_name != subject), None)
        numbers = [r.side.bare for r in readings[1:] if r.side.bare is not None]
        derivative = split_derivative(subject)
        if expression is not None and derivative is None and subject not in expression.names:
            for alias in readings[:readings.index(expression)]:  # MSE = L = (y - \hat{y})^2
                if alias.lone_name is not None and split_derivative(alias.lone_name) is None:
                    self._define(alias.lone_name, expression.in_names(), equation.sides[0].start)
        elif (expression is None and derivative is None and subject not in self.scope.definitions
              and numbers and not _update_of(subject, self.scope)):
            self._give(subject, numbers[0], equation)
            return []
        if expression is not None:
            self._operands(expression, readings)
        if not numbers:
            return []
        return [self._claim(Claim(numbers[0], subject, " ".join(equation.sides[0].text.split())))]

    def _unnamed(self, equation: Equation, readings) -> list[Finding]:
        """A symbolic side next to a lone number (-2(y - \\hat{y}) = -0.6906): the number is its value."""
        for left, right in zip(readings, readings[1:]):
            if left.understood and left.names and right.side.bare is not None and not right.names:
                expr = left.in_names()
                value = self._value(expr, self.scope.given, truth=True) if expr is not None else None
                if value is None:
                    continue
                doc = self._value(expr, self._point(), truth=False)
                number = right.side.bare
                tolerance = number.half_unit + self._spread(expr) + ROUNDING * max(1.0, abs(value))
                if abs(number.value - value) <= tolerance:
                    verdict = "correct"
                elif doc is not None and abs(number.value - doc) <= tolerance:
                    verdict = "consistent"
                else:
                    verdict = "wrong"
                return [_finding(number, " ".join(left.side.text.split()), None, value, verdict,
                                 left.side.start)]
        return []

    def _hypothetical(self, equation: Equation) -> bool:
        """A value in prose that is not a claim: 'if the label were y = 0', 'for each layer l = 1, 2, …, L'."""
        start = equation.sides[0].start
        after = self.text[equation.sides[-1].end:equation.sides[-1].end + 30]
        if _ENUMERATION.search(after.split("$")[0]) and re.match(r"\s*,", after):
            return True
        return bool(_HYPOTHETICAL.search(self.context_of(start)))

    def _define(self, name: str, expr, offset: int) -> None:
        if expr is None:
            return
        old = self.scope.definitions.get(name)
        if old is not None:
            before = self._value(old[0], self.scope.given, truth=True)
            self.scope.definitions[name] = (expr, offset)
            after = self._value(expr, self.scope.given, truth=True)
            if before is not None and after is not None and abs(before - after) <= 1e-9 * max(1.0, abs(before)):
                self.scope.definitions[name] = old  # the same definition written another way
                return
            self.scope.reset_numbers()  # a redefinition: a new example
            return
        self.scope.definitions[name] = (expr, offset)
        self._partials.clear()

    def _give(self, name: str, number: Number, equation: Equation) -> None:
        old = self.scope.given.get(name)
        if old is not None and abs(old - number.value) > 1e-12 * max(1.0, abs(old)):
            self.scope.reset_numbers()  # a new value for an input: a new example
        self.scope.given[name] = number.value
        self.scope.given_numbers[name] = number
        self.givens.add(equation.sides[0].start)

    # ---- judging ------------------------------------------------------------------------------------------------
    def _claim(self, claim: Claim) -> Finding | None:
        name, number = claim.name, claim.number
        truth = self.value(name, truth=True)
        if truth is None:
            update = self._update(name)
            if update is None:
                return None
            truth, doc, spread = update
        else:
            doc = self.value(name, truth=False)
            spread = self._spread_of(name)
        if truth is None or not math.isfinite(truth):
            return None
        doc = truth if doc is None or not math.isfinite(doc) else doc
        tolerance = number.half_unit + spread + ROUNDING * max(1.0, abs(truth))
        tainted = self._tainted(name)
        if abs(number.value - truth) <= tolerance or (not tainted and abs(number.value - doc) <= tolerance):
            verdict = "correct"
        elif tainted and abs(number.value - doc) <= tolerance:
            verdict = "consistent"
        else:
            verdict = "wrong"
        expected = truth if tainted or verdict == "consistent" else doc
        self.scope.written[name] = (number, verdict)
        return _finding(number, claim.subject, name, expected, verdict, number.start)

    def _point(self) -> dict:
        point = dict(self.scope.given)
        point.update({name: number.value for name, (number, _) in self.scope.written.items()})
        return point

    def value(self, name: str, truth: bool, exclude_own: bool = True) -> float | None:
        """A name's value: from the inputs alone (truth) or from the document's own latest numbers."""
        point = dict(self.scope.given) if truth else {k: v for k, v in self._point().items()
                                                      if not (exclude_own and k == name)}
        return self._name_value(name, point, truth, set())

    def _name_value(self, name: str, point: dict, truth: bool, seen: set) -> float | None:
        if name in point:
            return point[name]
        if name in seen or len(seen) > 500:
            return None
        seen = seen | {name}
        derivative = split_derivative(name)
        if derivative is not None:
            return self._derivative(derivative[0], derivative[1], point, truth, seen)
        definition = self.scope.definitions.get(name)
        if definition is None:
            return None
        return self._evaluate(definition[0], point, truth, seen)

    def _evaluate(self, expr, point: dict, truth: bool, seen: set) -> float | None:
        values = {}
        for symbol in expr.free_symbols:
            value = self._name_value(symbol.name, point, truth, seen)
            if value is None:
                return None
            values[symbol] = value
        try:
            result = to_float(expr, values)
        except Exception:  # an undefined value (log of a negative, overflow)
            return None
        return result if math.isfinite(result) else None

    def _value(self, expr, point: dict, truth: bool) -> float | None:
        return self._evaluate(expr, point, truth, set())

    def _derivative(self, top: str, bottom: str, point: dict, truth: bool, seen: set) -> float | None:
        """∂top/∂bottom by the chain rule over the document's definitions, partials at the given point; None
        when top is not computed from bottom in the document (the derivative is not the document's to judge)."""
        if top == bottom:
            return 1.0
        definition = self.scope.definitions.get(top)
        if definition is None:
            return None
        expr, total, reached = definition[0], 0.0, False
        for symbol in expr.free_symbols:
            if symbol.name in seen:
                continue
            inner = self._derivative(symbol.name, bottom, point, truth, seen | {top})
            if inner is None:
                continue
            partial = self._partial(top, expr, symbol)
            value = self._evaluate(partial, point, truth, seen | {top})
            if value is None:
                return None
            total += value * inner
            reached = True
        return total if reached else None

    def _partial(self, name: str, expr, symbol):
        key = (name, id(expr), symbol)
        if key not in self._partials:
            self._partials[key] = sympy.diff(expr, symbol)
        return self._partials[key]

    def _spread_of(self, name: str) -> float:
        """How far a name's value moves when each of the document's numbers it uses is off by half a unit."""
        definition = self.scope.definitions.get(name)
        derivative = split_derivative(name)
        if definition is None and derivative is None:
            return 0.0
        point = {k: v for k, v in self._point().items() if k != name}
        base = self._name_value(name, point, False, set())
        if base is None:
            return 0.0
        total = 0.0
        for other, (number, _) in self.scope.written.items():
            if other == name or number.half_unit <= 0 or number.whole:
                continue
            exact = self.value(other, truth=True)
            if exact is not None and abs(exact - number.value) <= 1e-12 * max(1.0, abs(exact)):
                continue  # an exact result carries no rounding
            moved = dict(point)
            moved[other] = number.value + number.half_unit
            high = self._name_value(name, moved, False, set())
            if high is not None:
                total += abs(high - base)
        return total

    def _spread(self, expr) -> float:
        point = self._point()
        base = self._value(expr, point, False)
        if base is None:
            return 0.0
        total = 0.0
        for symbol in expr.free_symbols:
            entry = self.scope.written.get(symbol.name)
            if entry is None or entry[0].whole:
                continue
            moved = dict(point)
            moved[symbol.name] = entry[0].value + entry[0].half_unit
            high = self._value(expr, moved, False)
            if high is not None:
                total += abs(high - base)
        return total

    def _tainted(self, name: str) -> bool:
        """Whether a number the name's value uses was itself not correct (error carried forward)."""
        return any(verdict != "correct" for other, (_, verdict) in self.scope.written.items() if other != name)

    def _update(self, name: str):
        """An updated weight (w^+, w_{new}, w(t+1)): w - rate × ∂L/∂w, from the stated learning rate."""
        match = UPDATE.match(name)
        if not match:
            return None
        weight = match.group("base")
        rate = next((self.scope.given[r] for r in LEARNING_RATES if r in self.scope.given), None)
        if rate is None or weight not in self.scope.given:
            return None
        gradient = next((key for key in reversed(list(self.scope.written)) if key.endswith("/\u2202" + weight)),
                        None)
        if gradient is None:
            return None
        truth = self.value(gradient, truth=True)
        doc_gradient = self.scope.written[gradient][0]
        if truth is None:
            return None
        weight_value = self.scope.given[weight]
        return (weight_value - rate * truth, weight_value - rate * doc_gradient.value,
                abs(rate) * doc_gradient.half_unit)

    # ---- the numbers substituted for the names ------------------------------------------------------------
    def _operands(self, expression: Reading, readings) -> None:
        """A numeric side written under a symbolic one (w_5 out_{h1} + b_2 = 0.40 × 0.5933 + 0.60): each number
        is the value of the name at its place; one that is not is a wrong operand."""
        pattern = expression.template()
        for reading in readings:
            if reading is expression or reading.names or not reading.numbers or reading.side.bare is not None:
                continue
            if reading.template() != pattern:
                continue
            for item, number in zip(expression.items, (i.number for i in reading.items)):
                if item.name is None or number is None:
                    continue
                values = self._operand_values(item.name)
                if not values:
                    continue
                value = values[-1]
                spread = number.half_unit if not number.whole else 0.0
                if any(abs(number.value - v) <= spread + ROUNDING * max(1.0, abs(v)) + _written_rounding(
                        self.scope.written.get(item.name)) for v in values):
                    continue
                if abs(abs(number.value) - abs(value)) <= spread + ROUNDING:
                    continue  # the sign is written outside: - w x with w = -0.3
                if item.name in self.scope.given and self._lone(item.name):
                    self._blame_given(item.name, number)
                    continue
                self.operand_findings.append(_finding(number, item_subject(item.name), item.name, value, "wrong",
                                                      number.start, kind="operand"))

    def _lone(self, name: str) -> bool:
        """Whether an input's number is written nowhere else in the document (its substitution disagreeing,
        the input is the one number its neighbours do not support)."""
        given = self.scope.given_numbers.get(name)
        return given is not None and self.counts.get((abs(given.value), given.decimals), 0) <= 1

    def _blame_given(self, name: str, substituted: Number) -> None:
        """An input the document then substitutes (and computes on) as another number: the input is wrong."""
        given = self.scope.given_numbers[name]
        self.operand_findings.append(_finding(given, name, name, substituted.value, "wrong", given.start,
                                              kind="definition"))
        self.scope.given[name] = substituted.value
        self.scope.given_numbers[name] = substituted

    def _operand_values(self, name: str) -> list[float]:
        """The values a substituted number may have: the document's own number for the name (copied, an error
        is carried forward), or the right value when that number was found wrong."""
        if name in self.scope.written:
            number, verdict = self.scope.written[name]
            right = self.value(name, truth=True) if verdict == "wrong" else None
            return [number.value] + ([right] if right is not None else [])
        if name in self.scope.given:
            return [self.scope.given[name]]
        value = self.value(name, truth=False)
        return [] if value is None else [value]


def item_subject(name: str) -> str:
    """How a finding names a document symbol."""
    return name


def _written_rounding(entry) -> float:
    return entry[0].half_unit if entry is not None else 0.0


def _update_of(name: str, scope: Scope) -> bool:
    match = UPDATE.match(name)
    return bool(match and match.group("base") in scope.given)


def _subjects(equations: list[Equation]) -> set[str]:
    """The names the document ever defines or gives a value (the first side of an equation, one symbol)."""
    from symbackprop.lint.written import _NAME
    from symbackprop.lint.symbols import normalize
    found = set()
    for equation in equations:
        text = equation.sides[0].text
        match = _NAME.fullmatch(text.strip())
        if match:
            found.add(normalize(text))
    return found


def _finding(number: Number, subject: str, name: str | None, expected_value: float, verdict: str, offset: int,
             kind: str = "definition") -> Finding:
    expected = number.written(expected_value)
    fix = Fix(number.start, number.end, expected) if verdict != "correct" and expected != number.text else None
    return Finding(offset=offset, kind=kind, name=name, subject=subject, written=number.text,
                   written_value=number.value, expected=expected, expected_value=expected_value, verdict=verdict,
                   fix=fix, target=number.start)
