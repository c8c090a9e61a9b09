"""Where a claimed expression is compared with the truth: the spec's values, seeded random points at two scales,
and both sides of every breakpoint (a piecewise condition, a max or min, |.|) of either expression or the rules."""
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy

from symbackprop.model import points
from symbackprop.checking.float_evaluator import FLOAT, Unsupported, compile_expression, evaluate

RANDOM_POINTS = 6  # seeded random points, alternating between the scales
SCALES = (1.0, 4.0)  # inputs, weights and biases drawn from (-scale, scale): wide enough to reach every piece
MAX_ATTEMPTS = 24  # random points drawn at most, to find RANDOM_POINTS where the truth is defined
SIDES = (1e-6, 1e-2)  # distances from a breakpoint (relative to the moved leaf), on either side
MAX_BREAKPOINTS = 16  # breakpoints probed per claim: the claim's own first, then the truth's, nearest first
MAX_LEAVES_TRIED = 3  # leaves moved, one at a time, to reach a breakpoint
BRACKET_STEPS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)  # how far a leaf is moved to cross a breakpoint
BISECTIONS = 60
MAX_MAX_ARGUMENTS = 6  # pairs of a max/min compared (the first arguments)


@dataclass(frozen=True)
class Point:
    """A point of leaves and how it was chosen: "values" (the spec's), "random" or "breakpoint"."""

    leaves: dict
    at: str


def breakpoints(expr) -> list:
    """Functions whose sign change switches a piece: relation sides' difference, max/min argument pairs, |a|."""
    found = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                relations = [condition] if isinstance(condition, sympy.core.relational.Relational) else [
                    atom for atom in getattr(condition, "atoms", lambda *a: ())(sympy.core.relational.Relational)]
                found += [relation.lhs - relation.rhs for relation in relations]
        elif isinstance(node, (sympy.Max, sympy.Min)):
            arguments = node.args[:MAX_MAX_ARGUMENTS]
            found += [a - b for position, a in enumerate(arguments) for b in arguments[position + 1:]]
        elif isinstance(node, (sympy.Abs, sympy.sign, sympy.Heaviside)):
            found.append(node.args[0])
    unique = []
    for h in found:
        if h.free_symbols and h not in unique:
            unique.append(h)
    return unique


def random_leaves(rules, rng: np.random.Generator, scale: float) -> dict:
    """Random leaves: inputs, weights and biases in (-scale, scale), targets valid for the loss."""
    return points.random_point(rules.network, rng, scale)


def random_points(rules, seed: int) -> list[Point]:
    """MAX_ATTEMPTS seeded random points (the caller keeps the first RANDOM_POINTS where the truth is defined)."""
    rng = np.random.default_rng(seed)
    return [Point(random_leaves(rules, rng, SCALES[k % len(SCALES)]), "random") for k in range(MAX_ATTEMPTS)]


def _leaf_order(graph, h) -> list[str]:
    """Leaves that move h, preferred first: biases (nearest the breakpoint), inputs, weights, targets."""
    leaves = set()
    for symbol in h.free_symbols:
        leaves.update(node for node in graph.ancestry(graph.name_of[symbol]) if graph.is_leaf(node))
    rank = {"b": 0, "x": 1, "W": 2}

    def key(name):
        kind = name[0] if name[0] in "bxW" else "y"
        return rank.get(kind, 3), -graph.position[name]

    return sorted(leaves, key=key)


def beside(graph, h, point: dict) -> list[Point]:
    """Points on both sides of h = 0, reached by moving one leaf (bracketed, then bisected)."""
    try:
        function = compile_expression(h, graph.name_of.__getitem__, FLOAT)
    except Unsupported:
        return []
    nodes = sorted({graph.name_of[s] for s in h.free_symbols})

    def at(leaf, value):
        moved = {**point, leaf: value}
        return evaluate(function, graph.values(nodes, moved))

    for leaf in _leaf_order(graph, h)[:MAX_LEAVES_TRIED]:
        start = point[leaf]
        here = at(leaf, start)
        if not math.isfinite(here):
            continue
        bracket = _bracket(lambda value: at(leaf, value), start, here)
        if bracket is None:
            continue
        root = _bisect(lambda value: at(leaf, value), *bracket)
        width = max(1.0, abs(root))
        return [Point({**point, leaf: root + sign * side * width}, "breakpoint")
                for side in SIDES for sign in (-1.0, 1.0)]
    return []


def _bracket(phi, start: float, here: float):
    """(a, b) with phi changing sign between them, moving away from start on both sides; None if none."""
    if here == 0:
        return start - BRACKET_STEPS[0], start + BRACKET_STEPS[0]
    for step in BRACKET_STEPS:
        for value in (start + step, start - step):
            there = phi(value)
            if math.isfinite(there) and (there > 0) != (here > 0):
                return (start, value) if value > start else (value, start)
    return None


def _bisect(phi, low: float, high: float) -> float:
    """A sign change of phi in [low, high], to float precision, in BISECTIONS halvings."""
    low_sign = phi(low) > 0
    for _ in range(BISECTIONS):
        middle = 0.5 * (low + high)
        value = phi(middle)
        if not math.isfinite(value):
            break
        if (value > 0) == low_sign:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def breakpoint_points(graph, base: dict, claim_expr, name: str) -> list[Point]:
    """Points beside the breakpoints of the claim, then of the truth's rules nearest the claimed quantity."""
    functions = breakpoints(claim_expr)
    for node in graph.nearest_first(name):
        if len(functions) >= MAX_BREAKPOINTS:
            break
        if node in graph.rule:
            functions += [h for h in rule_breakpoints(graph.rule[node]) if h not in functions]
    points = []
    for h in functions[:MAX_BREAKPOINTS]:
        points += beside(graph, h, base)
    return points


@lru_cache(maxsize=8192)
def rule_breakpoints(rule) -> tuple:
    """breakpoints() of a rule of the graph, computed once."""
    return tuple(breakpoints(rule))
