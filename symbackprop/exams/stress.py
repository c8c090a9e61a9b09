"""Stress test of an exam: draw many variants, re-check constraints and answers, summarise rejections and spread."""
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy

from symbackprop.model import symbols
from symbackprop.model.derivation import EXPAND_MAX_PARAMETERS, derive
from symbackprop.model.points import symbol_point, values_point
from symbackprop.model.differences import central_difference
from symbackprop.numeric.finite_differences import loss_gradients
from symbackprop.numeric.training import descend
from symbackprop.checking.tolerance import precision
from symbackprop.checking.wrong_answers import parameter_change
from symbackprop.exams.variants import (CONSTRAINTS, Context, Drawer, Prover, Variant, answers_fingerprint,
                                       violations)
from symbackprop.exams.config import ExamConfig, parse_exam
from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.model.quantities import Names, Quantity
from symbackprop.model.spec import Spec

H = 1e-6  # central-difference step
ABS_TOL, REL_TOL = 1e-6, 1e-6  # an answer fails when it differs from its reference by more


@dataclass(frozen=True)
class Failure:
    """An answer that disagrees with its independent reference, or a constraint an accepted variant breaks."""

    variant: str
    name: str
    value: float
    reference: float | None
    reason: str


@dataclass
class StressReport:
    """Rejections per constraint, every asked answer per variant, and the failures found."""

    count: int
    draws: int
    rejected: dict
    answers: dict  # question -> list of values over the variants
    failures: list = field(default_factory=list)
    checked: dict = field(default_factory=dict)  # reference kind -> answers checked against it
    largest_error: float = 0.0
    more_digits: int = 0  # answers asked with more decimals than the policy's, to refuse a known wrong answer
    widest: tuple = (0.0, "")  # (largest tolerance / scale, its question): scale |value|, |update| for a step

    @property
    def ok(self) -> bool:
        """True when no answer and no constraint failed."""
        return not self.failures


class References:
    """Independent numbers for asked quantities: finite differences for derivatives, closed forms for the rest."""

    def __init__(self, spec: Spec, config: ExamConfig):
        self.spec, self.config = spec, config
        self.network = spec.network
        self.names = Names(spec.network)
        self.engine = NumericNetwork(spec.network)
        self._closed: dict = {}
        self._derivation = derive(spec) if spec.network.n_parameters <= EXPAND_MAX_PARAMETERS else None

    def kind(self, name: str) -> str:
        """'finite differences' or 'closed form', the reference an answer is checked against."""
        q = self.names.parse(name, self.config.training.steps)
        return "closed form" if q.kind in ("v", "act", "l", "L") and q.step is None else "finite differences"

    def value(self, name: str, variant: Variant) -> float:
        """The reference number of one asked quantity for one variant."""
        q = self.names.parse(name, self.config.training.steps)
        params = Parameters.from_values(variant.values)
        X, T = np.array([variant.values.x]), np.array([variant.values.y])
        if q.step is not None:
            return self._trained(q, params, X, T)
        if q.kind in ("v", "act", "l", "L"):
            return self._closed_form(name, q, variant, params, X, T)
        return self._derivative(q, params, X, T)

    # -- forward quantities ------------------------------------------------------------------------
    def _closed_form(self, name: str, q: Quantity, variant: Variant, params, X, T) -> float:
        """The leaf-symbol closed form of the derivation, evaluated by SymPy's lambdify (engine for big nets)."""
        if self._derivation is None:
            run = self.engine.run(params, X, T)
            if q.kind == "v":
                return float(run.v[q.layer][0, q.indices[0]])
            if q.kind == "act":
                return float(run.y[q.layer][0, q.indices[0]])
            return float(run.loss[0] if q.kind == "L" else run.loss_terms[0, q.indices[0]])
        if name not in self._closed:
            d = self._derivation
            expr = d.loss_expression() if q.kind == "L" else d.expression(name, expand=True)
            leaves = sorted(expr.free_symbols, key=lambda s: s.name)
            self._closed[name] = (leaves, sympy.lambdify(leaves, expr, modules="numpy"))
        leaves, function = self._closed[name]
        point = symbol_point(self.network, values_point(self.network, variant.values))
        return float(function(*[point[leaf] for leaf in leaves]))

    # -- derivatives -------------------------------------------------------------------------------
    def _derivative(self, q: Quantity, params, X, T) -> float:
        layer, idx = q.layer, q.indices
        if q.kind in ("dv/dW", "dv/db"):
            kind, unit = ("W", idx[1]) if q.kind == "dv/dW" else ("b", idx[0])
            at = (params.weights if kind == "W" else params.biases)[layer]
            return float(central_difference(lambda a: self._with(params, kind, layer, a, X)[layer][0, unit],
                                            at, H)[idx])
        if q.kind == "dy/dv":
            k, j = idx
            v = self.engine.run(params, X, T).v[layer]
            value = self.engine.layer_values[layer]
            return float(central_difference(lambda row: value(row)[0, k], v, H)[0, j])
        d_w, d_b = loss_gradients(self.engine, params, X, T, H)
        if q.kind == "dL/dW":
            return float(d_w[layer][idx])
        if q.kind in ("dL/db", "dL/dv"):
            return float(d_b[layer][idx[0]])
        if q.kind == "dL/dy":
            j = idx[0]
            if layer == self.network.output_layer:
                prediction = self.engine.run(params, X, T).y[layer]
                loss = self._taught_loss
                return float(central_difference(lambda row: loss(*T[0], *row[0]), prediction, H)[0, j])
            return float(sum(d_b[layer + 1][k] * params.weights[layer + 1][j, k]
                             for k in range(self.network.width(layer + 1))))
        raise ValueError(f"no reference for {q.kind}")

    def _with(self, params, kind: str, layer: int, array, X):
        """V per layer with one weight matrix or bias vector replaced."""
        weights, biases = list(params.weights), list(params.biases)
        (weights if kind == "W" else biases)[layer] = array
        return self.engine.forward(Parameters(tuple(weights), tuple(biases)), X)[1]

    @cached_property
    def _taught_loss(self):
        """L(y_0.., ŷ_0..) lambdified from the derivation's loss terms l_k(y_k, ŷ_k)."""
        d = self._derivation or derive(self.network)
        out, n_out = self.network.output_layer, self.network.layers[-1]
        arguments = [symbols.target(k) for k in range(n_out)] + [symbols.activation(out, k) for k in range(n_out)]
        return sympy.lambdify(arguments, sympy.Add(*[d.expressions[self.names.loss_term(k)] for k in range(n_out)]))

    # -- training steps ----------------------------------------------------------------------------
    def _trained(self, q: Quantity, params, X, T) -> float:
        """The one training loop, fed with finite-difference gradients."""
        history = descend(params, lambda p: loss_gradients(self.engine, p, X, T, H), self.config.training)
        params = history[q.step - 1]
        if q.kind == "W":
            return float(params.weights[q.layer][q.indices])
        if q.kind == "b":
            return float(params.biases[q.layer][q.indices[0]])
        return float(self.engine.losses(params, X, T).sum())


def stress(spec: Spec, count: int, seed: int, config: ExamConfig | None = None, progress=None) -> StressReport:
    """Draw `count` variants and check every constraint and every asked answer of each."""
    config = config or parse_exam(spec)
    drawer = Drawer(spec, seed, config)
    variants = drawer.draw(count)
    references = References(spec, config)
    report = StressReport(count, drawer.draws, {c.name: drawer.rejected.get(c.name, 0) for c in CONSTRAINTS},
                          {q: [v.numbers[q] for v in variants] for q in config.questions})
    fingerprints = [answers_fingerprint(config, v.numbers) for v in variants]
    prover = Prover(spec, config)
    for position, variant in enumerate(variants):
        others = frozenset(fingerprints[:position] + fingerprints[position + 1:])
        proof = prover.of(variant.values, variant.numbers)
        for name in violations(Context(spec, config, variant.numbers, fingerprints[position], others, proof)):
            report.failures.append(Failure(variant.id, name, float("nan"), None, f"violates constraint {name}"))
        if proof() is not None and proof() != variant.precisions:
            report.failures.append(Failure(variant.id, "precision", float("nan"), None, "its proof differs"))
        judge_precisions(report, config, variant)
        for question in config.questions:
            value, kind = variant.numbers[question], references.kind(question)
            reference = references.value(question, variant)
            error = abs(value - reference)
            report.checked[kind] = report.checked.get(kind, 0) + 1
            report.largest_error = max(report.largest_error, error)
            if not error <= ABS_TOL + REL_TOL * abs(reference):
                report.failures.append(Failure(variant.id, question, value, reference, f"differs from {kind}"))
        if progress:
            progress(position + 1)
    return report


def judge_precisions(report: StressReport, config: ExamConfig, variant: Variant) -> None:
    """Count answers asked with more digits, track the widest tolerance, and fail an answer whose tolerance
    accepts 0, ±1, its sign flip or (for an updated parameter) the value before the update."""
    for question in config.questions:
        asked, value = variant.precision(question), variant.numbers[question]
        change = parameter_change(question, variant.numbers)
        report.more_digits += asked.decimals > precision(value, config.answers.policy, change=change).decimals
        scale = abs(change) if change is not None else abs(value)
        if scale and asked.tolerance / scale > report.widest[0]:
            report.widest = (asked.tolerance / scale, question)
        wrong = [0.0, 1.0, -1.0, -value] + ([value - change] if change is not None else [])
        for candidate in wrong:
            if abs(candidate - value) > 1e-12 * max(1.0, abs(value)) and asked.accepts(candidate, value):
                report.failures.append(Failure(variant.id, question, value, candidate,
                                               "its tolerance accepts a known wrong answer"))


def report_text(report: StressReport, config: ExamConfig) -> str:
    """The stress report as terminal tables (rejections, spread of answers, checks)."""
    rejected_draws = report.draws - report.count
    lines = [f"STRESS TEST  {report.count} variants from {report.draws} draws ({rejected_draws} rejected)", "",
             f"{'constraint':<14}{'rejected':>10}{'of draws':>10}  rejects a draw with"]
    for c in CONSTRAINTS:
        n = report.rejected.get(c.name, 0)
        share = 100 * n / report.draws if report.draws else 0.0
        lines.append(f"{c.name:<14}{n:>10}{share:>9.1f}%  {c.description}")
    decimals = config.answers.decimals
    width = max([len(q) for q in config.questions] + [6]) + 2
    lines += ["", f"{'answer':<{width}}" + "".join(f"{h:>11}" for h in ("min", "q25", "median", "q75", "max"))
              + f"{'distinct':>10}"]
    for question, values in report.answers.items():
        array = np.array(values, dtype=float)
        stats = np.percentile(array, [0, 25, 50, 75, 100]) if len(array) else [float("nan")] * 5
        distinct = len({f"{v:.{decimals}f}" for v in values})
        lines.append(f"{question:<{width}}" + "".join(f"{s:>11.{decimals}f}" for s in stats) + f"{distinct:>10}")
    lines += ["", f"PRECISION  {report.more_digits} answers asked with more decimals than the policy's to refuse a "
                  f"known wrong answer; widest tolerance {100 * report.widest[0]:.2f}% of its scale"
                  + (f" ({report.widest[1]})" if report.widest[1] else "")]
    checked = ", ".join(f"{n} against {kind}" for kind, n in sorted(report.checked.items()))
    lines += ["", f"CHECKS  {sum(report.checked.values())} answers ({checked}); largest difference "
                  f"{report.largest_error:.1e}; {len(report.failures)} failures"]
    for failure in report.failures[:20]:
        reference = "" if failure.reference is None else f" (reference {failure.reference:.10g})"
        lines.append(f"  FAIL {failure.variant} {failure.name} = {failure.value:.10g}{reference}: {failure.reason}")
    if len(report.failures) > 20:
        lines.append(f"  ... and {len(report.failures) - 20} more")
    return "\n".join(lines)
