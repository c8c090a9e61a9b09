"""Symbolic sides given meaning by a spec: \\hat{y}(1 - \\hat{y}) or (y - \\hat{y})^2 at the spec's values."""
import re

from symbackprop.lint.arithmetic import Evaluator, judge_value
from symbackprop.lint.equations import Equation, Side
from symbackprop.lint.findings import Finding
from symbackprop.lint.symbols import SymbolReader

_COMMANDS = re.compile(r"\\(?:[dt]?frac|times|cdot|div|left|right|exp|ln|log|sqrt|sigma|mathrm\s*\{\s*e\s*\}|"
                       r"[bB]igg?[lr]?|q?quad)(?![A-Za-z])")
_SCRIPTS = r"(?:\s*[_^]\s*(?:\{[^{}]*\}|[^{}\\\s]))*"
_CANDIDATE = re.compile(r"(?:\\(?:wide)?hat\s*(?:\{\s*y\s*\}|y(?![A-Za-z]))|\\delta(?![A-Za-z])|"
                        r"\\mathcal\{L\}|(?<![\\A-Za-z])[A-Za-z]+)" + _SCRIPTS)
_EULER = re.compile(r"(?<![\\A-Za-z])e(?=\s*\^)")  # e^{...}: the exponent's symbols are read on their own


class SymbolicJudge:
    """Compares a symbolic side, its symbols replaced by the spec's values, with the numeric side next to it."""

    def __init__(self, reader: SymbolReader, truth, e_is_name: bool = False):
        self.reader = reader
        self.truth = truth  # quantity name -> correct value
        self.e_is_name = e_is_name  # the document defines e: e^2 is not Euler's

    def substituted(self, side: Side) -> Side | None:
        """The side with every symbol replaced by its value, or None when a symbol names no quantity."""
        if "\\partial" in side.text or "\u2202" in side.text:
            return None  # derivative factors are judged one by one as quantities
        pieces, position, found = [], 0, 0
        masked = _EULER.sub(" ", _COMMANDS.sub(lambda m: " " * len(m.group()), side.text))
        for match in _CANDIDATE.finditer(masked):
            text = side.text[match.start():match.end()]
            if text == "e":
                continue
            name = self.reader.name(text)
            if name is None:
                return None
            value = self.truth(name)
            pieces += [side.text[position:match.start()], "{(" + format(value, ".17f") + ")}"]
            position, found = match.end(), found + 1
        if not found:
            return None
        pieces.append(side.text[position:])
        return Side(side.start, "".join(pieces), side.decimal_comma)

    def judge(self, equations: list[Equation], claimed: set[int]) -> list[Finding]:
        """A finding for each symbolic side next to a numeric one, unless that side's lone number is already
        judged as a quantity (its offset in `claimed`)."""
        findings = []
        for equation in equations:
            if "update" in equation.relations:
                continue  # w \leftarrow w - \eta g: not the quantity w
            evaluators = {id(side): Evaluator(side, self.e_is_name) for side in equation.sides}
            sides = equation.sides
            for index in range(len(equation.relations)):
                for symbolic, numeric in ((sides[index], sides[index + 1]), (sides[index + 1], sides[index])):
                    finding = self._pair(symbolic, numeric, evaluators, claimed)
                    if finding is not None:
                        findings.append(finding)
        return findings

    def _pair(self, symbolic: Side, numeric: Side, evaluators: dict, claimed: set[int]) -> Finding | None:
        """The finding for one symbolic side and its numeric neighbour, or None when they do not qualify."""
        rhs = evaluators[id(numeric)]
        if not rhs.numeric or evaluators[id(symbolic)].numeric:
            return None
        if numeric.bare is not None and (numeric.bare.start in claimed or self.reader.name(symbolic.text)):
            return None
        values = self.substituted(symbolic)
        evaluator = Evaluator(values) if values is not None else None
        if evaluator is None or not evaluator.numeric:
            return None
        return judge_value(numeric, rhs, evaluator.value(), subject=" ".join(symbolic.text.split()),
                           offset=symbolic.start, kind="quantity", name=None)
