"""Whether a claimed expression equals the correct one: compared to 80 digits at the probe points, decided
exactly when a cheap symbolic step can, and every budget counted in operations (never in seconds)."""
import math
from dataclasses import dataclass, field

import sympy

from symbackprop.checking.float_evaluator import FLOAT, PRECISE, Unsupported, compile_expression, evaluate
from symbackprop.checking.probe_points import RANDOM_POINTS, breakpoint_points

RELATIVE = 1e-30  # two values agree when |a - b| <= RELATIVE max(|a|, |b|) + ABSOLUTE (80-digit arithmetic)
ABSOLUTE = 1e-1000
CONSTANT = 1e-60  # a difference with no symbols, nonzero beyond this, makes two expressions differ
SYMBOLIC_MAX_OPS = 300  # larger differences are left to probing
EXPANSION_MAX_TERMS = 400  # expand/cancel only when the expanded difference has at most this many terms
LEAF_MAX_OPS = 600  # the difference rewritten in inputs, targets and parameters, at most this large
LEAF_ROUNDS = 8  # ... and at most this many rules deep
DIAGNOSIS_BUDGET = 5_000  # node evaluations spent on naming a mistake, per claim
_FAILURES = (ArithmeticError, ValueError, TypeError, AttributeError, RecursionError, NotImplementedError)


def finite(value) -> bool:
    """A defined number (a float or an 80-digit number)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return PRECISE.context.isfinite(value)


def close(a, b) -> bool:
    """Equal to 30 significant digits (or both within 1e-1000 of 0)."""
    return finite(a) and finite(b) and abs(a - b) <= RELATIVE * max(abs(a), abs(b)) + ABSOLUTE


def _float(value) -> float:
    return float(value) if finite(value) else math.nan


@dataclass
class Sample:
    """One probe point: its leaves, the 80-digit values there, and the three numbers compared."""

    leaves: dict
    memo: dict
    claimed: object
    correct: object
    carried: object
    at: str  # "values" (the spec's own), "random" or "breakpoint"
    shown: dict = field(default_factory=dict)  # the values of the quantities either expression reads


@dataclass
class Probe:
    """The outcome of probing a claim at several points."""

    samples: list = field(default_factory=list)
    error: str = ""

    @property
    def points(self) -> int:
        """How many points were compared."""
        return len(self.samples)

    @property
    def equivalent(self) -> bool:
        """Equal to the correct value at every point."""
        return bool(self.samples) and all(close(s.claimed, s.correct) for s in self.samples)

    @property
    def consistent(self) -> bool:
        """Equal to the value built on the author's other claimed expressions, which differs from the truth."""
        return (bool(self.samples) and all(close(s.claimed, s.carried) for s in self.samples)
                and any(not close(s.carried, s.correct) for s in self.samples))

    def differing(self):
        """The first sample where claim and truth differ (the largest difference when none differs visibly)."""
        for sample in self.samples:
            if not close(sample.claimed, sample.correct):
                return sample
        return max(self.samples, key=lambda s: abs(s.claimed - s.correct) if finite(s.claimed) else 0)

    @property
    def counterexample(self) -> dict:
        """Where claim and truth differ, with both values."""
        sample = self.differing()
        defined = finite(sample.claimed)
        return {"at": sample.at, "point": sample.shown, "claimed_value": _float(sample.claimed) if defined else None,
                "correct_value": _float(sample.correct),
                "difference": _float(sample.claimed - sample.correct) if defined else None}


def compiled(expr, graph):
    """A claimed expression as an 80-digit function of the node values."""
    try:
        return compile_expression(expr, graph.name_of.__getitem__, PRECISE)
    except Unsupported:
        return lambda values: math.nan


def value_in_floats(expr, graph, values: dict) -> float:
    """A claimed expression in floats at node values that hold every quantity it reads; nan where undefined."""
    try:
        function = compile_expression(expr, graph.name_of.__getitem__, FLOAT)
    except Unsupported:
        return math.nan
    return evaluate(function, values)


def probe(expr, name: str, graph, shared: list, others: dict) -> Probe:
    """Compare a claimed expression with the truth (and with the author's other claims carried forward) at the
    shared points (spec's values, random: a list of (point, 80-digit memo), filled here) and beside every
    breakpoint of the claim and of the truth."""
    claim = compiled(expr, graph)
    upstream = set(graph.ancestry(name))
    other_exprs = {other: e for other, e in others.items() if other in upstream}
    others = {other: compiled(e, graph) for other, e in other_exprs.items()}
    other_reads = {graph.name_of[s] for e in other_exprs.values() for s in getattr(e, "free_symbols", ())}
    reads = {graph.name_of[s] for s in expr.free_symbols}
    used = sorted(reads | {graph.name_of[s] for s in graph.rules.derivation.expression(name).free_symbols})
    needed = sorted({name, *used, *other_reads})
    base = shared[0][0].leaves if shared else None
    extra = [(point, {}) for point in breakpoint_points(graph, base, expr, name)] if base is not None else []
    result, kept = Probe(), 0
    for point, memo in [*shared, *extra]:
        if point.at == "random" and kept >= RANDOM_POINTS:
            continue
        graph.values(needed, point.leaves, memo, PRECISE)
        correct = memo[name]
        if not finite(correct):
            continue
        kept += point.at == "random"
        claimed = evaluate(claim, memo, PRECISE)
        overrides = {}
        for other, function in others.items():
            value = evaluate(function, memo, PRECISE)
            if finite(value):
                overrides[other] = value
        carried = graph.what_if(name, memo, point.leaves, overrides, numbers=PRECISE)[0] if overrides else correct
        shown = {node: _float(memo[node]) for node in used}
        result.samples.append(Sample(point.leaves, memo, claimed, correct, carried, point.at, shown))
    if not result.samples:
        result.error = f"{name}: the correct value is undefined at every probe point"
    return result


def diagnose(result: Probe, name: str, graph, candidates) -> str | None:
    """The first catalogued mistake whose rewrite of the truth reproduces the claim at every probe point,
    within DIAGNOSIS_BUDGET node evaluations (the sample where the claim differs is tried first)."""
    first = result.differing()
    samples = [first] + [s for s in result.samples if s is not first]
    spent = 0
    for candidate in candidates:
        for sample in samples:
            wrong, cost = graph.what_if(name, sample.memo, sample.leaves, mutation=candidate.mutation,
                                        numbers=PRECISE)
            spent += cost
            if not close(sample.claimed, wrong):
                break
        else:
            return candidate.mistake
        if spent > DIAGNOSIS_BUDGET:
            return None
    return None


def canonical(expr):
    """The expression rebuilt with SymPy's automatic evaluation (the printer's trees are built unevaluated)."""
    if expr.is_Atom:
        return expr
    return expr.func(*[canonical(arg) for arg in expr.args])


def _terms(expr) -> int:
    """How many terms expanding expr gives at most (a bound computed without expanding)."""
    if isinstance(expr, sympy.Add):
        return sum(_terms(arg) for arg in expr.args)
    if isinstance(expr, sympy.Mul):
        return math.prod(_terms(arg) for arg in expr.args)
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp > 0:
        return math.comb(_terms(expr.base) + int(expr.exp) - 1, int(expr.exp))
    return 1


def _in_leaves(expr, graph):
    """expr with every computed quantity replaced by its rule, down to the leaves (at most LEAF_ROUNDS rules
    deep); None when it would grow past LEAF_MAX_OPS operations."""
    size = sympy.count_ops(expr)
    for _ in range(LEAF_ROUNDS):
        inner = {s: graph.rule[graph.name_of[s]] for s in expr.free_symbols if graph.name_of[s] in graph.rule}
        if not inner:
            return expr
        size += sum(expr.count(symbol) * (sympy.count_ops(rule) + 1) for symbol, rule in inner.items())
        if size > LEAF_MAX_OPS:
            return None
        expr = expr.xreplace(inner)
        size = sympy.count_ops(expr)
    return None


def prove(claimed, correct, graph=None) -> str:
    """"simplify" when the difference is 0 by a bounded symbolic step, "differs" when it is exactly nonzero
    (a nonzero constant, or a nonzero rational function of the leaves), else "probing"."""
    try:
        difference = canonical(claimed) - canonical(correct)
        if difference == 0:
            return "simplify"
        if not difference.free_symbols:
            if difference.is_Rational:
                return "differs"
            value = evaluate(compile_expression(difference, None, PRECISE), {}, PRECISE)
            return "differs" if finite(value) and abs(value) > CONSTANT else "probing"
        if sympy.count_ops(difference) > SYMBOLIC_MAX_OPS:
            return "probing"
        if _terms(difference) <= EXPANSION_MAX_TERMS and sympy.expand(difference) == 0:
            return "simplify"
        leaves = _in_leaves(difference, graph) if graph is not None else None
        if leaves is None or _terms(leaves) > EXPANSION_MAX_TERMS:
            return "probing"
        if leaves.is_rational_function(*leaves.free_symbols):
            return "simplify" if sympy.cancel(leaves) == 0 else "differs"
    except _FAILURES:
        return "probing"
    return "probing"
