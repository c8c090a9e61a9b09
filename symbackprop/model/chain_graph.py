"""The chain-rule graph as local rules: every named quantity over its direct inputs, read from the derivation."""
import numpy as np
import sympy

from symbackprop.model import points
from symbackprop.model.derivation import Derivation, product
from symbackprop.model.quantities import Names, Quantity, quantity_symbol
from symbackprop.model.spec import Network, Training, Values

LEAF_KINDS = ("x", "y", "W", "b")


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
        self._inputs: dict = {}

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
        """The node and everything it is computed from, inputs before the nodes that read them (no recursion)."""
        order, done, stack = [], set(), [(name, False)]
        while stack:
            node, ready = stack.pop()
            if node in done:
                continue
            if ready:
                done.add(node)
                order.append(node)
                continue
            stack.append((node, True))
            stack.extend((source, False) for source in reversed(self.inputs(node)) if source not in done)
        return order

    # -- points ------------------------------------------------------------------------------------
    def point(self, values: Values) -> dict[str, float]:
        """The leaves of a spec's [values] table by name."""
        return points.values_point(self.network, values)

    def random_point(self, rng: np.random.Generator) -> dict[str, float]:
        """Random leaves: inputs, weights and biases in (-1, 1), targets valid for the loss."""
        return points.random_point(self.network, rng)
