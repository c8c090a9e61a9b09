"""The document's own network: every `name = expression [= number]` defines a name; later numbers are judged
against those definitions (values by evaluation, derivative claims by differentiating them with SymPy, updated
weights from the stated learning rate), with error carried forward from the document's own earlier numbers."""
import bisect
import math
import re
from dataclasses import dataclass, field

import sympy

from symbackprop.lint.equations import Equation, Number
from symbackprop.lint.findings import Finding, Fix
from symbackprop.lint.parsing import float_value
from symbackprop.lint.written import _NAME, UPDATE, Reading, canonical, split_derivative

ROUNDING = 1e-9
LEARNING_RATES = ("\\eta", "\\alpha", "lr", "\\epsilon", "\\varepsilon", "\\mu")
NICE_RATES = (1.0, 0.5, 0.1, 0.05, 0.01, 0.001, 0.25, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.02, 0.005, 2.0, 0.15)
_HYPOTHETICAL = re.compile(r"(?:\b(?:were|suppose|supposing|imagine|for each|for every|for all|fosse|fossem|"
                           r"suponha|imagine|para cada|para todo|para toda|fuera|fueran|supongamos|para cada)\W*)$",
                           re.IGNORECASE)  # a counterfactual or an enumeration, not a plain "if"
_ENUMERATION = re.compile(r"\\[lc]?dots|\u2026|\.\.\.")
UNJUDGED = "unjudged"  # a number given a name whose value the document does not determine


@dataclass(frozen=True)
class Definition:
    """One way the document writes a name: an expression in its names, where, and in which section."""

    expr: sympy.Expr
    offset: int
    section: int


@dataclass
class Scope:
    """What the document has said so far: definitions, given values, and the last number written for a name."""

    definitions: dict = field(default_factory=dict)  # name -> [Definition, ...] (equal ways of writing it)
    given: dict = field(default_factory=dict)  # name -> float (inputs: exact)
    given_numbers: dict = field(default_factory=dict)  # name -> the Number that gave it
    written: dict = field(default_factory=dict)  # name -> (Number, verdict)
    rate: float | None = None  # the learning rate the updates imply, when the document never states it


class DocumentNetwork:
    """Reads definitions in document order and judges every later number given a defined name."""

    def __init__(self, equations: list[Equation], text: str, context_of, headings: list[int] = ()):
        self.equations = equations
        self.text = text
        self.context_of = context_of  # offset -> the prose just before the math it is in
        self.headings = list(headings)
        self.defined = frozenset(_subjects(equations))
        self.euler = "e" not in self.defined
        self.scope = Scope()
        self._memo: dict = {}  # values and partials at the point being evaluated (see value())
        self.readings: dict[int, Reading] = {}
        self.extra: list[Finding] = []  # findings on numbers other than the equation's claim
        self.givens: set[int] = set()  # offsets of equations that only gave an input's value
        self.unrounded: dict = {}  # (|value|, decimals) -> the exact magnitude of a number the document prints
        self.examples: list[int] = []  # where each new example starts (a redefinition)
        self.repairs: list[tuple[int, str]] = []  # (where, name) of definitions whose exponent lost its minus
        self._partials: dict = {}
        self._truths: dict = {}
        self.counts: dict = {}  # (|value|, decimals) -> how often the document writes the number
        for equation in equations:
            for side in equation.sides:
                for number in side.numbers:
                    key = (abs(number.value), number.decimals)
                    self.counts[key] = self.counts.get(key, 0) + 1
        self.losses = _losses(equations, self)
        zero = re.compile(r"_\{?0")  # x_0, w_{00}: the document counts from 0
        self.index_base = 0 if any(zero.search(name) for name in self.defined) else 1

    def reading(self, side) -> Reading:
        """The one Reading of a side."""
        key = id(side)
        if key not in self.readings:
            self.readings[key] = Reading(side, self.defined, self.euler)
        return self.readings[key]

    def section(self, offset: int) -> int:
        """How many headings come before an offset."""
        return bisect.bisect_right(self.headings, offset)

    # ---- reading the document -------------------------------------------------------------------------------
    def judge(self) -> list[Finding]:
        """A finding for every number the document gives a name it defines, in document order."""
        findings = []
        for equation in self.equations:
            findings.extend(f for f in self._equation(equation) if f is not None)
        return findings + self.extra

    def _equation(self, equation: Equation) -> list[Finding]:
        readings = [self.reading(side) for side in equation.sides]
        subject = readings[0].lone_name
        if subject is None:
            return self._unnamed(readings)
        matrix = next((cells for cells in map(matrix_numbers, equation.sides[1:]) if cells), None)
        if matrix is not None:
            return self._elements(subject, matrix, equation)
        if equation.relations[0] == "update":  # w \leftarrow w - \eta g = 0.9784: the updated weight
            numbers = [r.side.bare for r in readings[1:] if r.side.bare is not None]
            return [self._claim(numbers[0], subject + "^+", " ".join(equation.sides[0].text.split()))] \
                if numbers else []
        if self._hypothetical(equation):
            return []
        expressions = [r for r in readings[1:] if r.names and r.lone_name is None and r.understood
                       and subject not in r.names]
        first = readings.index(expressions[0]) if expressions else len(readings)
        aliases = [r for r in readings[1:first] if r.lone_name is not None and r.lone_name != subject]
        numbers = [r.side.bare for r in readings[1:] if r.side.bare is not None]
        computed = any(r.numbers and not r.names and r.side.bare is None for r in readings[1:])
        offset = equation.sides[0].start
        if split_derivative(subject) is None and subject not in (r.lone_name for r in readings[1:]):
            ways = [r.in_names() for r in (expressions or aliases[:1])]
            ways = [way for way in ways if way is not None]
            if ways:
                names = [subject] + [a.lone_name for a in aliases if split_derivative(a.lone_name) is None]
                for name in names:
                    self._define(name, ways, offset)
            elif numbers and computed and subject in self.scope.given:
                if _starts_with(readings, self.scope.given[subject]):  # w_2 = -1.0 - 1.0 × 0.1455 = -1.1455
                    return [self._claim(numbers[0], subject + "^+", " ".join(equation.sides[0].text.split()))]
                del self.scope.given[subject]  # a value computed anew (another example's)
                self._changed()
                self.scope.written[subject] = (numbers[0], UNJUDGED)
                return []
            elif numbers and not _update_of(subject, self.scope):
                if subject not in self.scope.definitions or self._new_example(subject, numbers[0], offset):
                    if computed:  # a value computed in numbers only: the document's, not an input
                        self.scope.written[subject] = (numbers[0], UNJUDGED)
                        return []
                    self._give(subject, numbers[0], equation)
                    return []
        for expression in expressions[:1]:
            self._operands(expression, readings)
        if not numbers:
            return []
        ways = [way for way in (r.in_names() for r in expressions + aliases) if way is not None]
        return [self._claim(numbers[0], subject, " ".join(equation.sides[0].text.split()), ways)]

    def _elements(self, subject: str, matrix: list[list[Number]], equation: Equation) -> list[Finding]:
        """name = [numbers] (a vector or matrix written out): each number is its element's value, w^{0}_{i,j} of
        W^{0}, x_{i} of x; an element the document defines is judged, the others are inputs."""
        if self._hypothetical(equation) or UPDATE.match(subject) is not None:
            return []
        if equation.relations[0] == "update" or any(subject in r.names for r in map(self.reading,
                                                                                   equation.sides[1:])):
            return []  # W ← W − η ∂L/∂W = [numbers]: an update of every element at once, not judged yet
        findings, base = [], self.index_base
        for i, row in enumerate(matrix):
            for j, number in enumerate(row):
                index = (f"{i + base},{j + base}" if len(matrix) > 1 and len(row) > 1
                         else str((i if len(matrix) > 1 else j) + base))
                name = element_name(subject, index)
                if name in self.scope.definitions or split_derivative(name) is not None:
                    findings.append(self._claim(number, name, name))
                else:
                    self._give(name, number, equation)
        return findings

    def _unnamed(self, readings) -> list[Finding]:
        """A symbolic side next to a lone number (-2(y - \\hat{y}) = -0.6906): the number is its value."""
        if _AFTER_STEPS.search(readings[0].side.text):
            return []  # {w}^{(1)}: a parameter after a step of training, not the parameter
        for left, right in zip(readings, readings[1:]):
            if not (left.names and right.side.bare is not None and not right.names and left.understood):
                continue
            expr = left.in_names()
            self._memo = {}
            truth = self._evaluate(expr, dict(self.scope.given), True, set()) if expr is not None else None
            if truth is None:
                continue
            self._memo = {}
            doc = self._evaluate(expr, self._point(), False, set())
            number = right.side.bare
            tolerance = number.half_unit + ROUNDING * max(abs(truth), number.half_unit)
            tainted = self._tainted({symbol.name for symbol in expr.free_symbols})
            verdict = _verdict(number, truth, doc, tolerance, tainted)
            return [_finding(number, " ".join(left.side.text.split()), None, truth, verdict, left.side.start)]
        return []

    def _hypothetical(self, equation: Equation) -> bool:
        """A value in prose that is not a claim: 'if the label were y = 0', 'for each layer l = 1, 2, …, L'."""
        after = self.text[equation.sides[-1].end:equation.sides[-1].end + 40]
        if re.match(r"\s*,", after) and _ENUMERATION.search(after.split("$")[0]):
            return True
        return bool(_HYPOTHETICAL.search(self.context_of(equation.sides[0].start)))

    def _define(self, name: str, exprs: list, offset: int) -> None:
        """Define a name; a different definition (another value from the same inputs) starts a new example."""
        section = self.section(offset)
        new = [Definition(expr, offset, section) for expr in exprs]
        old = self.scope.definitions.get(name)
        if name in self.scope.given:  # an answer written before its working: computed, not an input
            del self.scope.given[name]
            self.scope.given_numbers.pop(name, None)
        if old is None:
            self._set(name, new)
            return
        before = self.value(name, truth=True)
        self._set(name, new)
        after = self.value(name, truth=True)
        if before is not None and after is not None and abs(before - after) <= 1e-9 * max(1.0, abs(before)):
            self._set(name, old + [way for way in new if way.expr not in {o.expr for o in old}])
        elif before is None and after is None:
            self._set(name, old + new)
        else:
            self._new_numbers(offset)  # a redefinition: a new example

    def _new_numbers(self, offset: int) -> None:
        """A new example starts at `offset`: the numbers written before it are no longer the context."""
        self.scope.written.clear()
        if not self.examples or self.examples[-1] != offset:
            self.examples.append(offset)

    def _set(self, name: str, definitions: list | None) -> None:
        """Replace (or, with None, remove) a name's definitions; values computed from them are recomputed."""
        if definitions is None:
            self.scope.definitions.pop(name, None)
        else:
            self.scope.definitions[name] = definitions
        self._changed()

    def _new_example(self, name: str, number: Number, offset: int) -> bool:
        """Whether a plain value for a defined name that is not what the definition gives starts a new example
        (the name becomes an input) rather than being wrong: in a later section than the definition, or
        written as an input is (two significant digits at most)."""
        definitions = self.scope.definitions[name]
        stated = len(re.sub(r"\D", "", number.text).lstrip("0")) <= 2  # y = 1, w = 0.25: an input, as written
        if not stated and all(d.section >= self.section(offset) for d in definitions):
            return False
        truth = self.value(name, truth=True)
        if truth is not None and abs(truth - number.value) <= (0.0 if stated else number.half_unit) + ROUNDING:
            return False
        self._set(name, None)
        return True

    def _give(self, name: str, number: Number, equation: Equation) -> None:
        old = self.scope.given.get(name)
        if old is not None and abs(old - number.value) > 1e-12 * max(1.0, abs(old)):
            self._new_numbers(equation.sides[0].start)  # a new value for an input: a new example
        self.scope.given[name] = number.value
        self.scope.given_numbers[name] = number
        self.scope.written.pop(name, None)
        self._changed()
        self.givens.add(equation.sides[0].start)

    # ---- judging ------------------------------------------------------------------------------------------------
    def _claim(self, number: Number, name: str, subject: str, ways: list = ()) -> Finding | None:
        """check's verdict on a number given a name: correct, consistent (error carried forward) or wrong.

        `ways` are the equation's own expressions for the name (∂L/∂w = ∂L/∂z · x): the number may also follow
        from the document's earlier numbers through them."""
        update = UPDATE.match(name)
        if update and update.group("base") in self.scope.given:
            name = update.group("base") + "^+"  # w^+, w_{new}, w(t+1), w ← …: one updated weight
        truth = self.value(name, truth=True)
        reference = truth if truth is not None else self.value(name, truth=False)
        if reference is not None and abs(reference - number.value) > number.half_unit + ROUNDING * max(
                1.0, abs(reference)):
            self._repaired(name, number, truth is not None)
            truth = self.value(name, truth=True)
        if truth is not None:
            doc = self.value(name, truth=False)
            spread = 0.0
            uses = self._ancestors(name)
        else:
            update = self._update(name, number)
            if update is None:
                self.scope.written[name] = (number, UNJUDGED)
                return None
            truth, doc, spread, uses = update
        if not math.isfinite(truth):
            return None
        doc = truth if doc is None or not math.isfinite(doc) else doc
        tolerance = number.half_unit + spread + ROUNDING * max(abs(truth), number.half_unit)
        point = {k: v for k, v in self._point().items() if k != name}
        self._memo = {}
        through = [self._evaluate(way, point, False, {name}) for way in ways]
        uses = uses | {symbol.name for way in ways for symbol in way.free_symbols}
        tainted = self._tainted(uses - {name})
        previous = self.scope.written.get(name)
        verdict = _verdict(number, truth, doc, tolerance, tainted)
        if verdict == "wrong" and any(d is not None and abs(number.value - d) <= tolerance for d in through):
            verdict = "consistent" if tainted else "correct"
        if verdict == "wrong" and previous and previous[1] in ("wrong", "consistent") \
                and abs(previous[0].value - number.value) <= number.half_unit + previous[0].half_unit:
            verdict = "consistent"  # the same wrong number written again
        expected = truth if tainted or verdict == "consistent" or previous else doc
        self.scope.written[name] = (number, verdict)
        if verdict == "correct" and not number.whole:
            self.unrounded.setdefault((abs(number.value), number.decimals), abs(truth))
        return _finding(number, subject, name, expected, verdict, number.start)

    def _repaired(self, name: str, number: Number, from_inputs: bool) -> None:
        """A definition whose exponent lost its minus (1/(1 + e^{net}) where the document's numbers follow
        1/(1 + e^{-net})): when the number is what the definition gives with e^{-x}, the definition is repaired
        and noted; the numbers are judged by the repaired one."""
        definitions = self.scope.definitions.get(name, ())
        repaired = [Definition(d.expr.replace(sympy.exp, lambda argument: sympy.exp(-argument)), d.offset,
                               d.section) for d in definitions]
        if not definitions or all(r.expr == d.expr for r, d in zip(repaired, definitions)):
            return
        old = self.scope.definitions[name]
        self._set(name, repaired)
        value = self.value(name, truth=from_inputs)
        slack = number.half_unit + ROUNDING * max(abs(value), number.half_unit) if value is not None else 0.0
        if value is None or abs(value - number.value) > slack:
            self._set(name, old)
            return
        self.repairs.append((definitions[0].offset, name))

    def _point(self) -> dict:
        point = dict(self.scope.given)
        point.update({name: number.value for name, (number, _) in self.scope.written.items()})
        return point

    def value(self, name: str, truth: bool) -> float | None:
        """A name's value: from the inputs alone (truth) or from the document's own other latest numbers."""
        self._memo = {}  # values and partials at this one point: each computed once, however many paths reach it
        if truth:
            if name not in self._truths:
                self._truths[name] = self._name_value(name, dict(self.scope.given), True, frozenset())
            return self._truths[name]
        point = {k: v for k, v in self._point().items() if k != name}
        return self._name_value(name, point, truth, frozenset())

    def _changed(self) -> None:
        """Definitions or inputs changed: the values computed from them are recomputed."""
        self._truths.clear()
        self._partials.clear()

    def _name_value(self, name: str, point: dict, truth: bool, seen: frozenset) -> float | None:
        if name in point:
            return point[name]
        if name in seen or len(seen) > 200:
            return None
        if name not in self._memo:
            self._memo[name] = self._name_value_once(name, point, truth, seen)
        return self._memo[name]

    def _name_value_once(self, name: str, point: dict, truth: bool, seen: frozenset) -> float | None:
        seen = seen | {name}
        derivative = split_derivative(name)
        if derivative is not None:
            return self._derivative(derivative[0], derivative[1], point, truth, seen)
        for definition in self.scope.definitions.get(name, ()):
            value = self._evaluate(definition.expr, point, truth, seen)
            if value is not None:
                return value
        return None

    def _evaluate(self, expr, point: dict, truth: bool, seen) -> float | None:
        values = {}
        for symbol in expr.free_symbols:
            value = self._name_value(symbol.name, point, truth, frozenset(seen))
            if value is None:
                return None
            values[symbol] = value
        try:
            result = float_value(expr, values)
        except Exception:  # an undefined value (log of a negative, overflow): nothing to judge
            return None
        return result if isinstance(result, float) and math.isfinite(result) else None

    def _derivative(self, top: str, bottom: str, point: dict, truth: bool, seen) -> float | None:
        """∂top/∂bottom by the chain rule over the document's definitions, partials at the given point; None
        when top is not computed from bottom in the document (the derivative is not the document's to judge)."""
        if top == bottom:
            return 1.0
        key = ("∂", top, bottom)
        if key not in self._memo:
            self._memo[key] = self._derivative_once(top, bottom, point, truth, seen)
        return self._memo[key]

    def _derivative_once(self, top: str, bottom: str, point: dict, truth: bool, seen) -> float | None:
        """_derivative without the memo."""
        for definition in self.scope.definitions.get(top, ()):
            total, reached, failed = 0.0, False, False
            for symbol in definition.expr.free_symbols:
                if symbol.name in seen:
                    continue
                inner = self._derivative(symbol.name, bottom, point, truth, seen | {top})
                if inner is None:
                    continue
                value = self._evaluate(self._partial(definition.expr, symbol), point, truth, seen | {top})
                if value is None:
                    failed = True
                    break
                total += value * inner
                reached = True
            if reached and not failed:
                return total
        return None

    def _partial(self, expr, symbol):
        key = (expr, symbol)
        if key not in self._partials:
            self._partials[key] = sympy.diff(expr, symbol)
        return self._partials[key]

    def _ancestors(self, name: str) -> set:
        """The names a name's value is computed from (through its definitions and derivatives)."""
        found, stack = set(), [name]
        while stack and len(found) < 2000:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            derivative = split_derivative(current)
            if derivative is not None:
                stack.append(derivative[0])
            for definition in self.scope.definitions.get(current, ()):
                stack.extend(symbol.name for symbol in definition.expr.free_symbols)
        return found

    def _tainted(self, names) -> bool:
        """Whether a number the value uses was itself not correct (error carried forward)."""
        return any(self.scope.written[name][1] in ("wrong", "consistent") for name in names
                   if name in self.scope.written)

    # ---- updated weights --------------------------------------------------------------------------------------
    def _update(self, name: str, number: Number):
        """An updated weight (w^+, w_{new}, w(t+1)): w - rate × ∂L/∂w, from the stated learning rate (or the one
        the document's first update implies); (truth, document's value, rounding spread, names used) or None."""
        match = UPDATE.match(name)
        if not match:
            return None
        weight = match.group("base")
        if weight not in self.scope.given or weight in self.losses:  # L^+ is the new loss, not L - η ∂L/∂L
            return None
        gradient = self._gradient(weight)
        if gradient is None:
            return None
        truth_gradient = self.value(gradient, truth=True)
        if truth_gradient is None:
            return None
        written = self.scope.written.get(gradient)
        doc_gradient = written[0].value if written else self.value(gradient, truth=False)
        rate = next((self.scope.given[r] for r in LEARNING_RATES if r in self.scope.given), self.scope.rate)
        weight_value = self.scope.given[weight]
        if rate is None:
            rate = _implied_rate(weight_value, number.value, doc_gradient)
            if rate is None:
                return None
            self.scope.rate = rate
        spread = abs(rate) * (written[0].half_unit if written else 0.0)
        return (weight_value - rate * truth_gradient, weight_value - rate * doc_gradient, spread,
                self._ancestors(gradient) | {gradient})

    def _gradient(self, weight: str) -> str | None:
        """The derivative of the loss with respect to a weight: a written one, or the document's loss's."""
        for key in reversed(list(self.scope.written)):
            derivative = split_derivative(key)
            if derivative and derivative[1] == weight:
                return key
        for loss in self.losses:
            if loss == weight:
                continue
            key = f"\u2202{loss}/\u2202{weight}"
            if self.value(key, truth=True) is not None:
                return key
        return None

    # ---- the numbers substituted for the names ------------------------------------------------------------
    def _operands(self, expression: Reading, readings) -> None:
        """A numeric side written under a symbolic one (w_5 out_{h1} + b_2 = 0.40 × 0.5933 + 0.60): each number
        is the value of the name at its place; a copy of a wrong number carries the error forward, another
        number is wrong (or, for an input written nowhere else, the input is)."""
        pattern = expression.template()
        for reading in readings:
            if reading is expression or reading.names or not reading.numbers or reading.side.bare is not None:
                continue
            if reading.template() != pattern:
                continue
            for item, other in zip(expression.items, reading.items):
                if item.name is not None and other.number is not None:
                    self._operand(item.name, other.number)

    def _operand(self, name: str, number: Number) -> None:
        written = self.scope.written.get(name)
        truth = self.value(name, truth=True)
        slack = (number.half_unit if not number.whole else 0.0) + ROUNDING

        def near(value, extra=0.0):
            return value is not None and (abs(number.value - value) <= slack + extra + ROUNDING * abs(value)
                                          or abs(number.value + value) <= slack + extra and number.minus == "")

        if written is not None and near(written[0].value, written[0].half_unit):
            if written[1] in ("wrong", "consistent"):
                self.extra.append(_finding(number, name, name, truth if truth is not None else written[0].value,
                                           "consistent", number.start, kind="operand"))
            return
        if written is None and name in self.scope.given:
            if near(self.scope.given[name]):
                return
            if self._lone(name):
                self._blame_given(name, number)
                return
            self.extra.append(_finding(number, name, name, self.scope.given[name], "wrong", number.start,
                                       kind="operand"))
            return
        if near(truth) or written is None:
            return
        right = written[0].value if written[1] != "wrong" else truth
        if right is not None:
            self.extra.append(_finding(number, name, name, right, "wrong", number.start, kind="operand"))

    def _lone(self, name: str) -> bool:
        """Whether an input's number is written nowhere else in the document."""
        given = self.scope.given_numbers.get(name)
        return given is not None and self.counts.get((abs(given.value), given.decimals), 0) <= 1

    def _blame_given(self, name: str, substituted: Number) -> None:
        """An input the document then substitutes (and computes on) as another number: the input is wrong."""
        given = self.scope.given_numbers[name]
        self.extra.append(_finding(given, name, name, substituted.value, "wrong", given.start))
        self.scope.given[name] = substituted.value
        self.scope.given_numbers[name] = substituted
        self._changed()


def _verdict(number: Number, truth: float, doc: float | None, tolerance: float, tainted: bool) -> str:
    if abs(number.value - truth) <= tolerance:
        return "correct"
    if doc is not None and abs(number.value - doc) <= tolerance:
        return "consistent" if tainted else "correct"
    return "wrong"


_AFTER_STEPS = re.compile(r"\}\s*\^\s*\{\s*\(\s*\d+\s*\)\s*\}")
_MATRIX = re.compile(r"^\s*(?:\\left\s*[\[(]\s*)?\\begin\s*\{([bpBvV]?matrix)\}(?P<body>.*?)\\end\s*\{\1\}"
                     r"\s*(?:\\right\s*[\])]\s*)?(?:\^\s*(?:T|\{\s*T\s*\}|\\top|\{\\top\}))?\s*$", re.DOTALL)


def matrix_numbers(side) -> list[list[Number]] | None:
    """The rows of a side that is a matrix of lone numbers (\\begin{bmatrix} 0.1 & 0.2 \\\\ … \\end{bmatrix}), or None."""
    match = _MATRIX.match(side.text)
    if not match:
        return None
    body_start = side.start + match.start("body")
    rows, position = [], 0
    body = match.group("body")
    for row_text in re.split(r"\\\\", body):
        row, cursor = [], position
        for cell in row_text.split("&"):
            numbers = [n for n in side.numbers if body_start + cursor <= n.start < body_start + cursor + len(cell)]
            rest = re.sub(r"[\s{}()]|\\[,;:! ]", "", cell)
            if len(numbers) != 1 or rest.replace(numbers[0].text.replace(" ", ""), "", 1).strip("-\u2212+"):
                return None
            row.append(numbers[0])
            cursor += len(cell) + 1
        rows.append(row)
        position += len(row_text) + 2
    if not rows or any(len(row) != len(rows[0]) for row in rows):
        return None
    return rows


def element_name(matrix: str, index: str) -> str:
    """The name of one element of a named vector or matrix: w^0_{0,1} of W^0, x_1 of x, ∂L/∂w^1_{0,1} of ∂L/∂W^1."""
    derivative = split_derivative(matrix)
    if derivative is not None:
        return f"\u2202{derivative[0]}/\u2202{element_name(derivative[1], index)}"
    base = matrix[0].lower() + matrix[1:] if matrix[:1].isupper() and matrix[1:2] in ("", "^", "_") else matrix
    return canonical(base + "_{" + index + "}")


def _starts_with(readings, value: float) -> bool:
    """Whether the first numeric computation of an equation starts from `value` (an update of that input)."""
    for reading in readings[1:]:
        if reading.numbers and not reading.names and reading.side.bare is None:
            return abs(reading.numbers[0].value - value) <= 1e-12 * max(1.0, abs(value))
    return False


def _implied_rate(weight: float, updated: float, gradient: float | None) -> float | None:
    """The learning rate an update implies (w - w⁺) / g, when it is a round number."""
    if not gradient:
        return None
    rate = (weight - updated) / gradient
    nice = min(NICE_RATES, key=lambda r: abs(r - rate))
    return nice if abs(nice - rate) <= 1e-3 * nice else None


def _update_of(name: str, scope: Scope) -> bool:
    match = UPDATE.match(name)
    return bool(match and match.group("base") in scope.given)


def _subjects(equations: list[Equation]) -> set[str]:
    """The names the document ever defines or gives a value (the first side of an equation, one symbol)."""
    found = set()
    for equation in equations:
        text = equation.sides[0].text.strip()
        if _NAME.fullmatch(text):
            found.add(canonical(text))
    return found


def _losses(equations: list[Equation], network: DocumentNetwork) -> list[str]:
    """The names the document differentiates (the tops of its derivatives), most written first."""
    counts: dict[str, int] = {}
    for equation in equations:
        for side in equation.sides:
            for name in network.reading(side).names:
                derivative = split_derivative(name)
                if derivative:
                    counts[derivative[0]] = counts.get(derivative[0], 0) + 1
    return sorted(counts, key=lambda name: -counts[name])


def _finding(number: Number, subject: str, name: str | None, expected_value: float, verdict: str, offset: int,
             kind: str = "definition") -> Finding:
    expected = number.written(expected_value)
    fix = Fix(number.start, number.end, expected) if verdict != "correct" and expected != number.text else None
    return Finding(offset=offset, kind=kind, name=name, subject=subject, written=number.text,
                   written_value=number.value, expected=expected, expected_value=expected_value, verdict=verdict,
                   fix=fix, target=number.start)
