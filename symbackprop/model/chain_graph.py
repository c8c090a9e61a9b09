"""The chain-rule graph as local rules: every named quantity over its direct inputs, evaluated at any numbers."""
import math
from functools import cached_property

import numpy as np
import sympy

from symbackprop.model import points
from symbackprop.model.differences import central_difference, relative_steps
from symbackprop.model.derivation import Derivation, product
from symbackprop.model.quantities import Names, Quantity, quantity_symbol
from symbackprop.model.spec import Network, Training, Values

LEAF_KINDS = ("x", "y", "W", "b")
_FAILURES = (ArithmeticError, ValueError, TypeError)


def _call(function, args) -> float:
    """A compiled rule at numbers; nan where it is undefined (log of a negative, overflow, division by 0)."""
    try:
        value = function(*args)
    except _FAILURES:
        return math.nan
    try:
        return float(value)
    except _FAILURES:
        return math.nan


class ChainGraph:
    """Every quantity of one network as a rule over its direct inputs, so a step can be recomputed from any numbers."""

    def __init__(self, derivation: Derivation, training: Training | None = None):
        self.derivation = derivation
        self.network: Network = derivation.network
        self.names: Names = derivation.names
        self.training = training
        self.symbol: dict[str, sympy.Symbol] = {}
        self.rule: dict[str, sympy.Expr] = {}
        self._build()
        self.name_of = {symbol: name for name, symbol in self.symbol.items()}
        self._compiled: dict = {}
        self._inputs: dict = {}
        self._downstream: dict = {}

    # -- construction ------------------------------------------------------------------------------
    def _build(self) -> None:
        """Each quantity's rule read from the derivation's graph: chain nodes as products of their factors' symbols."""
        names, derivation = self.names, self.derivation
        for name, q in names.table.items():
            self.symbol[name] = self._own_symbol(name, q, len(self.symbol))
        for name, q in names.table.items():
            if q.kind in LEAF_KINDS:
                continue
            terms = derivation.graph.get(name)
            self.rule[name] = derivation.expressions[name] if terms is None else sympy.Add(*[
                product(*[self.symbol[factor] for factor in term]) for term in terms])
        if self.training is not None:
            rate = sympy.nsimplify(self.training.learning_rate)
            for name, q in names.parameters():
                step_name = names.step(1, name)
                self.symbol[step_name] = sympy.Symbol(f"q{len(self.symbol)}", real=True)
                frozen = q.kind == "b" and not self.training.update_biases
                step = 0 if frozen else rate * self.symbol["dL/d" + name]
                self.rule[step_name] = self.symbol[name] - step

    def _own_symbol(self, name: str, q: Quantity, count: int) -> sympy.Symbol:
        """The factory symbol of a quantity the course writes as a letter, else a fresh one (q17)."""
        known = quantity_symbol(q)
        return known if known is not None else sympy.Symbol(f"q{count}", real=True)

    # -- structure ---------------------------------------------------------------------------------
    def kind(self, name: str) -> Quantity:
        """The parsed quantity of a name (training steps included)."""
        steps = 1 if self.training is not None else 0
        return self.names.parse(name, steps)

    def is_leaf(self, name: str) -> bool:
        """Inputs, targets, weights and biases: given, not computed."""
        return name not in self.rule

    def inputs(self, name: str, expr: sympy.Expr | None = None) -> list[str]:
        """The quantities a rule (by default the node's own) reads, in a fixed order."""
        key = name if expr is None else expr
        if key not in self._inputs:
            expr = self.rule.get(name) if expr is None else expr
            self._inputs[key] = [] if expr is None else [
                self.name_of[s] for s in sorted(expr.free_symbols, key=lambda s: s.name)]
        return self._inputs[key]

    def ancestry(self, name: str) -> list[str]:
        """The node and everything it is computed from, inputs before the nodes that read them."""
        order, seen = [], set()

        def visit(node):
            if node in seen:
                return
            seen.add(node)
            for source in self.inputs(node):
                visit(source)
            order.append(node)

        visit(name)
        return order

    @cached_property
    def readers(self) -> dict[str, set[str]]:
        """For each node, the nodes whose rules read it."""
        readers: dict[str, set[str]] = {name: set() for name in self.symbol}
        for name in self.rule:
            for source in self.inputs(name):
                readers[source].add(name)
        return readers

    def downstream(self, name: str) -> frozenset[str]:
        """The node and every node computed from it."""
        if name not in self._downstream:
            found, stack = set(), [name]
            while stack:
                node = stack.pop()
                if node not in found:
                    found.add(node)
                    stack.extend(self.readers.get(node, ()))
            self._downstream[name] = frozenset(found)
        return self._downstream[name]

    # -- evaluation --------------------------------------------------------------------------------
    def compiled(self, expr: sympy.Expr, inputs: list[str], name: str | None = None):
        """A rule as a float function of its inputs (cached by node name for the node's own rule)."""
        key = name if name is not None else (expr, tuple(inputs))
        if key not in self._compiled:
            args = [self.symbol[name] for name in inputs]
            self._compiled[key] = sympy.lambdify(args, expr, modules="math")
        return self._compiled[key]

    def evaluate(self, name: str, point: dict[str, float], overrides: dict[str, float] | None = None,
                 mutation: dict[str, sympy.Expr] | None = None, memo: dict[str, float] | None = None) -> float:
        """The value of `name` at a point of leaves; overrides fix nodes' values, a mutation swaps nodes' rules."""
        overrides = overrides or {}
        mutation = mutation or {}
        memo = {} if memo is None else memo

        def value(node: str) -> float:
            if node in overrides:
                return overrides[node]
            if node in memo:
                return memo[node]
            mutated = node in mutation
            expr = mutation[node] if mutated else self.rule.get(node)
            if expr is None:
                if node not in point:
                    return math.nan
                result = point[node]
            else:
                sources = self.inputs(node, expr if mutated else None)
                if node not in self.rule:  # a swapped leaf (a miscopied weight) reads the given leaves
                    args = [point.get(source, math.nan) for source in sources]
                else:
                    args = [value(source) for source in sources]
                result = _call(self.compiled(expr, sources, None if mutated else node), args)
            memo[node] = result
            return result

        return value(name)

    def reusable(self, base: dict[str, float], mutation: dict | None) -> dict[str, float]:
        """A copy of computed values without the nodes a mutation can change (a memo for evaluate)."""
        if not mutation:
            return dict(base)
        changed = set().union(*(self.downstream(node) for node in mutation))
        return {node: value for node, value in base.items() if node not in changed}

    def partials(self, name: str, memo: dict[str, float]) -> dict[str, float]:
        """|∂rule/∂input| for each direct input, by central differences at the memo's values."""
        expr = self.rule.get(name)
        if expr is None:
            return {}
        sources = self.inputs(name)
        function = self.compiled(expr, sources, name)
        args = [memo.get(source, math.nan) for source in sources]
        slopes = central_difference(lambda at: _call(function, list(at)), args, relative_steps(args))
        return {source: abs(float(slope)) for source, slope in zip(sources, slopes)}

    # -- points ------------------------------------------------------------------------------------
    def point(self, values: Values) -> dict[str, float]:
        """The leaves of a spec's [values] table by name."""
        return points.values_point(self.network, values)

    def random_point(self, rng: np.random.Generator) -> dict[str, float]:
        """Random leaves: inputs, weights and biases in (-1, 1), targets valid for the loss."""
        return points.random_point(self.network, rng)
