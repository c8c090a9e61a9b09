"""The known wrong answers of one asked quantity at one point, and the value a student gets carrying rounded numbers."""
import math
import re
from collections import Counter
from dataclasses import replace
from typing import Callable

from symbackprop.checking.float_evaluator import evaluate
from symbackprop.checking.graph import Graph
from symbackprop.checking.mistakes import Candidates
from symbackprop.checking.tolerance import Policy, Precision, applies, precision, separating
from symbackprop.checking.verdicts import Checker
from symbackprop.model.chain_graph import ChainGraph as Rules
from symbackprop.model.spec import Spec, Training, Values
from symbackprop.notation.derivation_tex import derive

EARLY_DECIMALS = (1, 2)  # intermediates rounded this early give a known wrong answer
STEP = re.compile(r"step(\d+)\.(.+)")

Decimals = int | Callable[[str, float], int]  # decimals for every intermediate, or per intermediate and its value


def carried_value(graph: Graph, point: dict, name: str, decimals: Decimals, exact: dict | None = None) -> float | None:
    """`name` computed as a student does: every named intermediate rounded (at `decimals`, or at
    decimals(node, exact value)) and the rounded numbers carried forward; None when the graph has no rule.
    `exact` remembers the exact values between calls at the same point."""
    if name not in graph.rule:
        return None
    exact = graph.values([name], point, exact)
    carried: dict = {}
    for node in graph.ancestry(name):
        if graph.is_leaf(node):
            carried[node] = exact[node]
            continue
        value = evaluate(graph.function(node), carried)
        if node != name and math.isfinite(value):
            places = decimals(node, exact[node]) if callable(decimals) else decimals
            value = round(value, places)
        carried[node] = value
    return carried[name]


def parameter_change(name: str, numbers: dict) -> float | None:
    """The step of an updated parameter (step{s}.W.. minus its value before that step); None for the rest."""
    match = STEP.fullmatch(name)
    if not match or match.group(2) == "L":
        return None
    step, parameter = int(match.group(1)), match.group(2)
    before = numbers[parameter] if step == 1 else numbers[f"step{step - 1}.{parameter}"]
    return numbers[name] - before


def _before(name: str, numbers: dict) -> tuple[str, float] | None:
    """(label, value) of a trained quantity before its step: the parameter not updated, the loss not recomputed."""
    match = STEP.fullmatch(name)
    if not match:
        return None
    step, inner = int(match.group(1)), match.group(2)
    label = "loss_before_step" if inner == "L" else "update_not_applied"
    return label, numbers[inner] if step == 1 else numbers[f"step{step - 1}.{inner}"]


class WrongAnswers:
    """Every known wrong answer of the asked quantities of one network and training, at any drawn point.

    The chain graph and its catalogued mistakes are built once; each point gets its own checker, whose table
    of mistake values (one per candidate, computed once per quantity) gives the catalogued wrong answers."""

    def __init__(self, spec: Spec, training: Training):
        self.spec = replace(spec, training=training)
        self.derivation = derive(self.spec.network)
        self.rules = Rules(self.derivation, training)
        self.graph = Graph(self.rules)
        self.candidates = Candidates(self.rules, self.graph)

    def at(self, values: Values, numbers: dict) -> "PointWrongAnswers":
        """The wrong answers at one drawn point whose every named number is `numbers`."""
        checker = Checker(replace(self.spec, values=values), rules=self.rules, derivation=self.derivation,
                          graph=self.graph, candidates=self.candidates)
        return PointWrongAnswers(self, checker, numbers)


class PointWrongAnswers:
    """The known wrong answers and the carried values of the asked quantities at one point."""

    def __init__(self, owner: WrongAnswers, checker: Checker, numbers: dict):
        self.owner, self.checker, self.numbers = owner, checker, numbers
        self._exact: dict = {}
        self._carried: dict = {}

    def change(self, name: str) -> float | None:
        """The step of an updated parameter, else None."""
        return parameter_change(name, self.numbers)

    def carried(self, name: str, decimals: Decimals) -> float | None:
        """The value carried from rounded intermediates (see carried_value)."""
        return carried_value(self.owner.graph, self.checker.point, name, decimals, self._exact)

    def carried_at(self, name: str, policy: Policy = Policy()) -> Callable[[int], float | None]:
        """decimals -> the value carried when every intermediate is rounded at those decimals, or at its own
        precision under the policy when that asks more (a small δ keeps its significant figures)."""
        def carried(decimals: int) -> float | None:
            key = (name, decimals, policy)
            if key not in self._carried:
                self._carried[key] = self.carried(name, lambda node, value: max(decimals, own(value)))
            return self._carried[key]

        def own(value: float) -> int:
            return precision(value, policy).decimals
        return carried

    def mistakes(self, name: str) -> dict[str, float]:
        """label -> value of every catalogued mistake that reaches `name` (mistakes.py, iterated generically)."""
        if name not in self.owner.graph.rule:
            return {}
        found: dict[str, float] = {}
        seen: Counter = Counter()
        self.checker.truth(name)  # the table reads every true value the quantity is computed from
        for mistake, value, _ in self.checker._mistake_table(name):
            seen[mistake] += 1
            found[f"mistake:{mistake}" + (f"#{seen[mistake]}" if seen[mistake] > 1 else "")] = value
        return found

    def wrong(self, name: str, carried: float | None = None) -> dict[str, float]:
        """label -> value of every known wrong answer of `name`: 0, ±1, the sign flip, for a step the value
        before it and the update with the wrong sign, every catalogued mistake, and intermediates rounded
        too early (to 1 and 2 decimals; left out where that gives the `carried` value: no earlier rounding
        shows)."""
        value = self.numbers[name]
        found = {"zero": 0.0, "one": 1.0, "minus_one": -1.0, "sign_flipped": -value}
        before = _before(name, self.numbers)
        if before is not None:
            found[before[0]] = before[1]
        change = self.change(name)
        if change is not None:
            found["update_sign"] = value - 2 * change
        found.update(self.mistakes(name))
        for places in EARLY_DECIMALS:
            early = self.carried(name, places)
            if early is not None and (carried is None or applies(carried, early)):
                found[f"rounded_early_{places}"] = early
        return found

    def proven(self, name: str, policy: Policy = Policy()) -> Precision | None:
        """The coarsest precision, at least the policy's, at which no known wrong answer of `name` is accepted and
        the carried path is (separating() on wrong()); None when none within policy.extra_decimals."""
        value, change = self.numbers[name], self.change(name)
        carried = self.carried_at(name, policy)
        asked = precision(value, policy, change=change).decimals
        return separating(value, self.wrong(name, carried(asked)), policy, change=change, carried=carried)
