"""Numerically stable SymPy forms: finite and accurate in float64 where the textbook forms round or overflow.

Each form is plain SymPy in the pre-activation v; lambdified with NumPy, Min/Max become numpy.minimum/maximum
and log1p numpy.log1p. No form overflows in a branch numpy.select would evaluate and discard.
"""
from dataclasses import dataclass

import sympy
from sympy.codegen.cfunctions import log1p


@dataclass(frozen=True)
class OutputForms:
    """The output layer in the pre-activations v_k: ŷ_k, l_k, ∂L/∂ŷ_k and δ_k = ∂L/∂v_k (stable forms)."""

    outputs: list
    terms: list
    d_outputs: list
    deltas: list


def sigmoid(v) -> sympy.Expr:
    """σ(v) = e^{min(v,0)} / (1 + e^{-|v|}): no overflow, full relative precision on both tails."""
    return sympy.exp(sympy.Min(v, 0)) / (1 + sympy.exp(-sympy.Abs(v)))


def sigmoid_derivative(v) -> sympy.Expr:
    """σ'(v) = e^{-|v|} / (1 + e^{-|v|})^2 (even in v), without the rounding of 1 - σ(v)."""
    small = sympy.exp(-sympy.Abs(v))
    return small / (1 + small) ** 2


def tanh_derivative(v) -> sympy.Expr:
    """tanh'(v) = 1/cosh²(v) = 4 e^{-2|v|} / (1 + e^{-2|v|})^2, without the rounding of 1 - tanh²."""
    small = sympy.exp(-2 * sympy.Abs(v))
    return 4 * small / (1 + small) ** 2


def softplus(v) -> sympy.Expr:
    """log(1 + e^v) = max(v, 0) + log1p(e^{-|v|})."""
    return sympy.Max(v, 0) + log1p(sympy.exp(-sympy.Abs(v)))


def softmax(vs) -> list:
    """ŷ_k = e^{v_k - M} / Σ_m e^{v_m - M} with M = max_m v_m."""
    top = sympy.Max(*vs)
    powers = [sympy.exp(v - top) for v in vs]
    total = sympy.Add(*powers)
    return [power / total for power in powers]


def log_sum_exp_minus(vs, k: int) -> sympy.Expr:
    """log Σ_m e^{v_m} − v_k = −log ŷ_k: log1p form when v_k is the largest, shifted log-sum-exp otherwise."""
    top = sympy.Max(*vs)
    others = sympy.Add(*[sympy.exp(sympy.Min(v - vs[k], 0)) for m, v in enumerate(vs) if m != k])
    shifted = (top - vs[k]) + sympy.log(sympy.Add(*[sympy.exp(v - top) for v in vs]))
    return sympy.Piecewise((log1p(others), vs[k] >= top), (shifted, True))


def sigmoid_bce(ys, vs, n, **options) -> OutputForms:
    """Sigmoid outputs with binary cross-entropy: softplus terms, δ = (ŷ − y)/N without cancellation."""
    outputs, terms, d_outputs, deltas = [], [], [], []
    for y, v in zip(ys, vs):
        up, down = sigmoid(v), sigmoid(-v)  # ŷ and 1 − ŷ, each to full relative precision
        outputs.append(up)
        terms.append((y * softplus(-v) + (1 - y) * softplus(v)) / n)
        d_outputs.append(-(y / up - (1 - y) / down) / n)
        deltas.append(((1 - y) * up - y * down) / n)
    return OutputForms(outputs, terms, d_outputs, deltas)


def softmax_cce(ys, vs, n, **options) -> OutputForms:
    """Softmax outputs with categorical cross-entropy: log-sum-exp terms, δ_k = ŷ_k Σ_{m≠k} y_m − y_k Σ_{m≠k} ŷ_m."""
    outputs = softmax(vs)
    terms, d_outputs, deltas = [], [], []
    for k, y in enumerate(ys):
        minus_log = log_sum_exp_minus(vs, k)
        terms.append(y * minus_log)
        d_outputs.append(sympy.Piecewise((0, sympy.Eq(y, 0)), (-y * sympy.exp(minus_log), True)))
        rest_y = sympy.Add(*[other for m, other in enumerate(ys) if m != k])
        rest_out = sympy.Add(*[other for m, other in enumerate(outputs) if m != k])
        deltas.append(outputs[k] * rest_y - y * rest_out)
    return OutputForms(outputs, terms, d_outputs, deltas)


def output_forms(activation, loss, ys, vs, n, **options) -> OutputForms:
    """ŷ, l, ∂L/∂ŷ and δ of the output layer in the targets ys and pre-activations vs, in stable forms.

    A pair with a fused form (sigmoid + bce, softmax + cce) uses it; any other pair composes the loss
    with the activation's stable forms. For an element-wise activation the k-th forms use only ys[k] and vs[k].
    """
    fused = loss.fused.get(activation.name)
    if fused is not None:
        return fused(ys, vs, n, **options)
    if activation.vector:
        outputs = activation.stable(list(vs), **options)
        d_outputs = [loss.derivative(y, p, n) for y, p in zip(ys, outputs)]
        deltas = [sympy.Add(*[d_outputs[k] * activation.jacobian(k, j, outputs) for k in range(len(vs))])
                  for j in range(len(vs))]
    else:
        outputs = [activation.stable(v, **options) for v in vs]
        d_outputs = [loss.derivative(y, p, n) for y, p in zip(ys, outputs)]
        deltas = [d * activation.stable_derivative(v, **options) for d, v in zip(d_outputs, vs)]
    terms = [loss.term(y, p, n) for y, p in zip(ys, outputs)]
    return OutputForms(outputs, terms, d_outputs, deltas)
