"""Whether a claimed expression equals the correct one: seeded numeric probing, and simplification bounded in time."""
import math
import multiprocessing
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy

from symbackprop.checking.float_evaluator import to_float
from symbackprop.checking.mistakes import candidates
from symbackprop.model.chain_graph import ChainGraph as Rules

PROBE_POINTS = 6  # points compared (the spec's values first, when there are any)
MAX_ATTEMPTS = 24  # points tried before giving up on points where the correct value is defined
PROBE_SECONDS = 1.0  # probing stops early past this budget (with at least 2 points compared)
DIAGNOSE_SECONDS = 0.5
SIMPLIFY_SECONDS = 0.5
SIMPLIFY_MAX_OPS = 300  # larger differences are left to probing
_FAILURES = (ArithmeticError, ValueError, TypeError, AttributeError, RecursionError, NotImplementedError)


def close(a: float, b: float) -> bool:
    """Equal up to float rounding."""
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-8 * max(1.0, abs(a), abs(b))


def value_at(expr, rules: Rules, point: dict, memo: dict, overrides: dict | None = None) -> float:
    """A parsed expression at a point: each symbol takes its quantity's value there; nan where undefined."""
    values = {symbol: rules.evaluate(rules.name_of[symbol], point, overrides, memo=memo)
              for symbol in expr.free_symbols}
    return to_float(expr, values)


@dataclass
class Sample:
    """One probe point: the leaves, the true values computed there, and the three numbers compared."""

    point: dict
    memo: dict
    claimed: float
    correct: float
    carried: float
    at: str  # "values" (the spec's own) or "random"
    point_used: dict = field(default_factory=dict)  # the values of the quantities either expression reads


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

    @property
    def counterexample(self) -> dict:
        """The first point where claim and truth differ, with both values."""
        for sample in self.samples:
            if not close(sample.claimed, sample.correct):
                return {"at": sample.at, "point": sample.point_used,
                        "claimed_value": sample.claimed if math.isfinite(sample.claimed) else None,
                        "correct_value": sample.correct}
        return {}


def probe(expr, name: str, rules: Rules, spec_point: dict | None, seed: int, others: dict) -> Probe:
    """Compare a claimed expression with the truth (and with the author's other claims carried forward)."""
    rng = np.random.default_rng(seed)
    used = sorted({rules.name_of[s] for s in expr.free_symbols}
                  | {rules.name_of[s] for s in rules.derivation.expression(name).free_symbols})
    upstream = set(rules.ancestry(name))
    others = {other: e for other, e in others.items() if other in upstream}
    result, start = Probe(), time.monotonic()
    for attempt in range(MAX_ATTEMPTS):
        if len(result.samples) >= PROBE_POINTS:
            break
        if len(result.samples) >= 2 and time.monotonic() - start > PROBE_SECONDS:
            break
        at = "values" if attempt == 0 and spec_point is not None else "random"
        point = spec_point if at == "values" else rules.random_point(rng)
        memo: dict = {}
        correct = rules.evaluate(name, point, memo=memo)
        if not math.isfinite(correct):
            continue
        claimed = value_at(expr, rules, point, memo)
        overrides = {}
        for other, other_expr in others.items():
            value = value_at(other_expr, rules, point, memo)
            if math.isfinite(value):
                overrides[other] = value
        carried = rules.evaluate(name, point, overrides) if overrides else correct
        shown = {node: rules.evaluate(node, point, memo=memo) for node in used}
        result.samples.append(Sample(point, memo, claimed, correct, carried, at, shown))
    if not result.samples:
        result.error = f"{name}: the correct value is undefined at every probe point"
    return result


def diagnose(result: Probe, name: str, rules: Rules) -> str | None:
    """The first catalogued mistake whose expression agrees with the claim at every probe point."""
    start = time.monotonic()
    for candidate in candidates(rules, name):
        if time.monotonic() - start > DIAGNOSE_SECONDS:
            return None
        for sample in result.samples:
            memo = rules.reusable(sample.memo, candidate.mutation)
            wrong = rules.evaluate(name, sample.point, mutation=candidate.mutation, memo=memo)
            if not close(sample.claimed, wrong):
                break
        else:
            return candidate.mistake
    return None


def canonical(expr):
    """The expression rebuilt with SymPy's automatic evaluation (the printer's trees are built unevaluated)."""
    if expr.is_Atom:
        return expr
    return expr.func(*[canonical(arg) for arg in expr.args])


def prove(claimed, correct) -> str:
    """"simplify" when claimed - correct is 0 as built or SymPy simplifies it to 0 within the time bound, else
    "probing". simplify runs in a forked process that is killed at the deadline, so it never outlives the check."""
    try:
        difference = canonical(claimed) - canonical(correct)
        if difference == 0:
            return "simplify"
        if sympy.count_ops(difference) > SIMPLIFY_MAX_OPS:
            return "probing"
    except _FAILURES:
        return "probing"
    return _simplified_to_zero(difference)


@lru_cache(maxsize=1024)
def _simplified_to_zero(difference) -> str:
    """prove()'s bounded simplify, cached: a class writes the same forms again and again."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: probing alone decides
        return "probing"
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_simplify_to_zero, args=(difference, send), daemon=True)
    try:
        worker.start()
        send.close()
        zero = receive.recv() if receive.poll(SIMPLIFY_SECONDS) else False
    except (OSError, EOFError, AssertionError):  # AssertionError: a daemon process may not fork children
        zero = False
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join(1.0)
        receive.close()
    return "simplify" if zero else "probing"


def _simplify_to_zero(difference, send) -> None:
    """In the child process: whether simplify reduces the difference to 0."""
    try:
        send.send(bool(sympy.simplify(difference) == 0))
    except BaseException:  # noqa: BLE001 - the child reports every failure as "not proved"
        send.send(False)
