"""Activations and losses: one entry each, holding its expression and its local derivative."""
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy
from sympy import Rational, exp, log

from symbackprop.errors import SpecError


def scaled(coefficient, expression):
    """coefficient * expression kept as written: -(2/N)(y - ŷ), not expanded into terms.

    A symbolic coefficient (1/N with N a symbol, for the general formula) stays one printed factor.
    """
    coefficient = sympy.nsimplify(coefficient)
    if coefficient == 1:
        return expression
    if not coefficient.is_Number:
        coefficient = sympy.UnevaluatedExpr(coefficient)
    return sympy.Mul(coefficient, expression, evaluate=False)


def per_output(numerator: int, n) -> sympy.Expr:
    """numerator/n, exact for a whole number n or a symbol N."""
    return sympy.Integer(numerator) / n


@dataclass(frozen=True)
class Activation:
    """An activation g: its expression g(v) and its derivative written with v and g = g(v)."""

    name: str
    expression: Callable  # (v, **options) -> g(v)
    derivative: Callable  # (v, g, **options) -> g'(v) in the form a lecturer writes
    elementwise: bool = True  # False: a vector function with a full Jacobian (softmax)
    output_only: bool = False
    numeric_forward: Callable | None = None  # (V rows) -> Y rows, for vector activations
    numeric_vjp: Callable | None = None  # (Y rows, dL/dY rows) -> dL/dV rows, for vector activations


def _softmax_rows(values):
    shifted = values - values.max(axis=1, keepdims=True)
    powers = np.exp(shifted)
    return powers / powers.sum(axis=1, keepdims=True)


def _softmax_vjp(outputs, upstream):
    return outputs * (upstream - (upstream * outputs).sum(axis=1, keepdims=True))


def softmax_jacobian(k: int, j: int, outputs) -> sympy.Expr:
    """dŷ_k/dv_j = ŷ_k (δ_kj − ŷ_j), written ŷ_k(1 − ŷ_k) on the diagonal."""
    if k == j:
        return outputs[k] * (1 - outputs[k])
    return -outputs[k] * outputs[j]


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("sigmoid", lambda v, **o: 1 / (1 + exp(-v)), lambda v, g, **o: g * (1 - g)),
        Activation("tanh", lambda v, **o: sympy.tanh(v), lambda v, g, **o: 1 - g**2),
        Activation(
            "relu",
            lambda v, **o: sympy.Max(0, v),
            lambda v, g, **o: sympy.Piecewise((1, v > 0), (0, True)),
        ),
        Activation(
            "leaky_relu",
            lambda v, slope, **o: sympy.Piecewise((v, v > 0), (sympy.nsimplify(slope) * v, True)),
            lambda v, g, slope, **o: sympy.Piecewise((1, v > 0), (sympy.nsimplify(slope), True)),
        ),
        Activation("linear", lambda v, **o: v, lambda v, g, **o: sympy.Integer(1)),
        Activation(
            "softmax",
            lambda vs, **o: [exp(v) / sympy.Add(*[exp(u) for u in vs]) for v in vs],
            lambda v, g, **o: g * (1 - g),
            elementwise=False,
            output_only=True,
            numeric_forward=_softmax_rows,
            numeric_vjp=_softmax_vjp,
        ),
    ]
}


@dataclass(frozen=True)
class Loss:
    """A loss L = Σ_k l_k: the per-output term l_k and ∂L/∂ŷ_k in the form a lecturer writes."""

    name: str
    term: Callable  # (y, ŷ, N) -> l_k
    derivative: Callable  # (y, ŷ, N) -> ∂L/∂ŷ_k
    requires_output: tuple[str, ...] = field(default=())  # output activations it is defined for


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in [
        Loss("mse", lambda y, p, n: scaled(per_output(1, n), (y - p) ** 2),
             lambda y, p, n: scaled(per_output(-2, n), y - p)),
        Loss("sse", lambda y, p, n: (y - p) ** 2, lambda y, p, n: scaled(-2, y - p)),
        Loss("half_sse", lambda y, p, n: scaled(Rational(1, 2), (y - p) ** 2),
             lambda y, p, n: scaled(-1, y - p)),
        Loss(
            "bce",
            lambda y, p, n: scaled(per_output(-1, n), y * log(p) + (1 - y) * log(1 - p)),
            lambda y, p, n: scaled(per_output(-1, n), y / p - (1 - y) / (1 - p)),
            requires_output=("sigmoid",),
        ),
        Loss("cce", lambda y, p, n: -y * log(p), lambda y, p, n: -y / p, requires_output=("softmax",)),
    ]
}


def closest(name: str, choices) -> str:
    """The allowed name closest to a misspelt one."""
    import difflib

    found = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.0)
    return found[0] if found else sorted(choices)[0]


def activation(name: str) -> Activation:
    """Look up an activation, or fail naming the allowed ones."""
    if name not in ACTIVATIONS:
        raise SpecError(
            f"network.activations: unknown activation {name!r}; expected one of "
            f"{', '.join(ACTIVATIONS)} (did you mean {closest(name, ACTIVATIONS)!r}?)"
        )
    return ACTIVATIONS[name]


def loss(name: str) -> Loss:
    """Look up a loss, or fail naming the allowed ones."""
    if name not in LOSSES:
        raise SpecError(
            f"network.loss: unknown loss {name!r}; expected one of {', '.join(LOSSES)} "
            f"(did you mean {closest(name, LOSSES)!r}?)"
        )
    return LOSSES[name]
