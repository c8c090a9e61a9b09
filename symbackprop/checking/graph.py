"""The chain-rule graph as the checker walks it: one topological order, each rule compiled once, values
recomputed only where a change reaches; no recursion, and work counted in node evaluations."""
import math
from collections import ChainMap

import sympy

from symbackprop.checking.float_evaluator import FLOAT, Unsupported, compile_expression, evaluate


class Graph:
    """Named quantities, their rules over their direct inputs, and evaluation at points of leaves."""

    def __init__(self, rules):
        self.rules = rules
        self.symbol: dict[str, sympy.Symbol] = rules.symbol
        self.rule: dict[str, sympy.Expr] = rules.rule
        self.name_of: dict[sympy.Symbol, str] = rules.name_of
        self._sources: dict = {}
        self._functions: dict = {}
        self._ancestry: dict[str, list[str]] = {}
        self.order = self._topological()
        self.position = {name: index for index, name in enumerate(self.order)}
        self.readers: dict[str, list[str]] = {name: [] for name in self.order}
        for name in self.order:
            for source in self.sources(name):
                self.readers[source].append(name)

    # -- structure ---------------------------------------------------------------------------------
    def is_leaf(self, name: str) -> bool:
        """Inputs, targets, weights and biases: given, not computed."""
        return name not in self.rule

    def sources(self, name: str, expr=None) -> tuple[str, ...]:
        """The quantities a rule (by default the node's own) reads, sorted by symbol name."""
        key = name if expr is None else expr
        found = self._sources.get(key)
        if found is None:
            expr = self.rule.get(name) if expr is None else expr
            found = () if expr is None else tuple(
                self.name_of[s] for s in sorted(expr.free_symbols, key=lambda s: s.name))
            self._sources[key] = found
        return found

    def _topological(self) -> list[str]:
        """Every quantity after the ones its rule reads (depth first, without recursion)."""
        order, state = [], {}
        for root in self.symbol:
            if root in state:
                continue
            stack = [(root, iter(self.sources(root)))]
            state[root] = 1
            while stack:
                node, pending = stack[-1]
                for source in pending:
                    if source not in state:
                        state[source] = 1
                        stack.append((source, iter(self.sources(source))))
                        break
                else:
                    stack.pop()
                    order.append(node)
        return order

    def ancestry(self, name: str) -> list[str]:
        """The node and everything it is computed from, each after the nodes its rule reads (the rules' order)."""
        found = self._ancestry.get(name)
        if found is None:
            found = self._ancestry[name] = self.rules.ancestry(name)
            self._ancestry[("set", name)] = frozenset(found)
        return found

    def nearest_first(self, name: str, limit: int | None = None) -> list[str]:
        """The node's ancestry in breadth-first order from the node (its own rule, then its inputs', ...), the
        first `limit` nodes of it when given."""
        order, seen = [name], {name}
        for node in order:
            if limit is not None and len(order) >= limit:
                break
            for source in self.sources(node):
                if source not in seen:
                    seen.add(source)
                    order.append(source)
        return order if limit is None else order[:limit]

    # -- evaluation --------------------------------------------------------------------------------
    def function(self, name: str, expr=None, numbers=FLOAT):
        """A rule (by default the node's own) compiled for one kind of numbers."""
        key = (name if expr is None else expr, numbers.name)
        found = self._functions.get(key)
        if found is None:
            source = self.rule[name] if expr is None else expr
            try:
                found = compile_expression(source, self.name_of.__getitem__, numbers)
            except Unsupported:
                found = _undefined
            self._functions[key] = found
        return found

    def values(self, names, point: dict, memo: dict | None = None, numbers=FLOAT) -> dict:
        """memo filled with the value of every node the given names are computed from (depth first, stopping
        at values already known)."""
        memo = {} if memo is None else memo
        for target in names:
            if target in memo:
                continue
            stack = [(target, False)]
            while stack:
                node, ready = stack.pop()
                if node in memo:
                    continue
                if node not in self.rule:
                    memo[node] = numbers.number(point[node]) if node in point else math.nan
                elif ready:
                    memo[node] = evaluate(self.function(node, numbers=numbers), memo, numbers)
                else:
                    stack.append((node, True))
                    stack.extend((source, False) for source in self.sources(node) if source not in memo)
        return memo

    def affected(self, target: str, changed) -> list[str]:
        """The nodes of target's ancestry that a change at `changed` reaches, in topological order."""
        inside = self.ancestry_set(target)
        reached = {node for node in changed if node in inside}
        stack = list(reached)
        while stack:
            for reader in self.readers[stack.pop()]:
                if reader in inside and reader not in reached:
                    reached.add(reader)
                    stack.append(reader)
        return sorted(reached, key=self.position.__getitem__)

    def ancestry_set(self, target: str) -> frozenset:
        """ancestry() as a set."""
        key = ("set", target)
        found = self._ancestry.get(key)
        if found is None:
            found = self._ancestry[key] = frozenset(self.ancestry(target))
        return found

    def what_if(self, target: str, base: dict, point: dict, overrides: dict | None = None,
                mutation: dict | None = None, numbers=FLOAT, fixed=(), keep: dict | None = None) -> tuple:
        """(target's value, nodes evaluated) with some nodes' values fixed and some rules swapped. `base` holds
        the unchanged values (every node target reads); nodes in `fixed` keep their base value; `keep`
        receives the recomputed values."""
        overrides, mutation = overrides or {}, mutation or {}
        nodes = self.affected(target, [*overrides, *mutation])
        local = _Overlay(overrides)
        local.base = base
        for node in nodes:
            if node in overrides or node in fixed:
                continue
            if node in mutation:
                expr, sources = mutation[node], self.sources(node, expr=mutation[node])
                if node in self.rule:
                    missing = [source for source in sources if source not in local and source not in base]
                    self.values(missing, point, local, numbers)
                    reads = local
                else:  # a swapped leaf (a miscopied weight) reads the given leaves
                    reads = {source: numbers.number(point.get(source, math.nan)) for source in sources}
                local[node] = evaluate(self.function(node, expr, numbers), reads, numbers)
            else:
                local[node] = evaluate(self.function(node, numbers=numbers), local, numbers)
            if keep is not None:
                keep[node] = local[node]
        return local[target], len(nodes)

    def partials(self, name: str, memo: dict) -> dict[str, float]:
        """∂rule/∂input for each direct input at the memo's values: exact for a sum of products of distinct
        quantities (v = Σ y w + b, δ = ∂L/∂y · g', ...), else by central differences."""
        if name not in self.rule:
            return {}
        exact = _multilinear_partials(self.rule[name], self.name_of, memo)
        if exact is not None:
            return exact
        function, sources = self.function(name), self.sources(name)
        result = {}
        for source in sources:
            at = memo.get(source, math.nan)
            step = 1e-6 * max(1.0, abs(at))
            up = evaluate(function, ChainMap({source: at + step}, memo))
            down = evaluate(function, ChainMap({source: at - step}, memo))
            result[source] = (up - down) / (2 * step)
        return result

    def sensitivities(self, target: str, partials) -> dict[str, float]:
        """∂target/∂node for every node of target's ancestry (the chain rule, backwards over the graph);
        partials(node) gives a node's ∂rule/∂input."""
        found = {target: 1.0}
        rule, get = self.rule, found.get
        for node in reversed(self.ancestry(target)):
            weight = get(node)
            if not weight or node not in rule:
                continue
            for source, partial in partials(node).items():
                found[source] = get(source, 0.0) + weight * partial
        return found


def _multilinear_partials(expr, name_of: dict, memo: dict) -> dict | None:
    """Partials of a sum of products of numbers and distinct symbols, from the factors' values; None otherwise."""
    terms = expr.args if isinstance(expr, sympy.Add) else (expr,)
    result: dict = {}
    for term in terms:
        factors = term.args if isinstance(term, sympy.Mul) else (term,)
        coefficient, names = 1.0, []
        for factor in factors:
            if factor.is_Number:
                coefficient *= float(factor)
            elif factor.is_Symbol and name_of[factor] not in names:
                names.append(name_of[factor])
            else:
                return None
        values = [memo.get(node, math.nan) for node in names]
        for position, node in enumerate(names):
            others = coefficient
            for index, value in enumerate(values):
                if index != position:
                    others *= value
            result[node] = result.get(node, 0.0) + others
    return result


class Layered(dict):
    """Values over a base mapping that is never written."""

    def __init__(self, values: dict, base: dict):
        super().__init__(values)
        self.base = base

    def __missing__(self, key):
        return self.base[key]

    def __contains__(self, key):
        return dict.__contains__(self, key) or key in self.base

    def get(self, key, default=None):
        return self[key] if key in self else default


class _Overlay(dict):
    """New values over a base mapping that is never written."""

    __slots__ = ("base",)

    def __missing__(self, key):
        return self.base[key]


def _undefined(values):
    return math.nan
