"""The built-in losses, one complete entry each."""
from sympy import Rational, log

from symbackprop.model.functions import delta_steps, stable
from symbackprop.model.functions.entries import Loss, named, per_output, scaled

MSE = Loss(
    "mse",
    term=lambda y, p, n: scaled(per_output(1, n), (y - p) ** 2),
    derivative=lambda y, p, n: scaled(per_output(-2, n), y - p),
    names=named(en=("Mean squared error",), pt_BR=("Erro quadrático médio",)),
    torch=lambda t, p, y, n: ((y - p) ** 2).mean(dim=1),
)

SSE = Loss(
    "sse",
    term=lambda y, p, n: (y - p) ** 2,
    derivative=lambda y, p, n: scaled(-2, y - p),
    names=named(en=("Sum of squared errors",), pt_BR=("Soma dos erros quadráticos",)),
    torch=lambda t, p, y, n: ((y - p) ** 2).sum(dim=1),
)

HALF_SSE = Loss(
    "half_sse",
    term=lambda y, p, n: scaled(Rational(1, 2), (y - p) ** 2),
    derivative=lambda y, p, n: scaled(-1, y - p),
    names=named(en=("Half the sum of squared errors",), pt_BR=("Metade da soma dos erros quadráticos",)),
    torch=lambda t, p, y, n: 0.5 * ((y - p) ** 2).sum(dim=1),
)

BCE = Loss(
    "bce",
    term=lambda y, p, n: scaled(per_output(-1, n), y * log(p) + (1 - y) * log(1 - p)),
    derivative=lambda y, p, n: scaled(per_output(-1, n), y / p - (1 - y) / (1 - p)),
    requires_output=("sigmoid",),
    targets="unit",
    fused={"sigmoid": stable.sigmoid_bce},
    delta_steps={"sigmoid": delta_steps.sigmoid_bce},
    collapsed_delta={"sigmoid": lambda y, p, n: scaled(per_output(1, n), p - y)},
    names=named(en=("Binary cross-entropy",), pt_BR=("Entropia cruzada binária",)),
    torch=lambda t, p, y, n: t.nn.functional.binary_cross_entropy(p, y, reduction="none").mean(dim=1),
)

CCE = Loss(
    "cce",
    term=lambda y, p, n: -y * log(p),
    derivative=lambda y, p, n: -y / p,
    requires_output=("softmax",),
    targets="distribution",
    fused={"softmax": stable.softmax_cce},
    delta_steps={"softmax": delta_steps.softmax_cce},
    collapsed_delta={"softmax": lambda y, p, n: p - y},  # uses Σ_k y_k = 1, which the targets are checked for
    names=named(en=("Categorical cross-entropy",), pt_BR=("Entropia cruzada categórica",)),
    torch=lambda t, p, y, n: -(y * t.log(p)).sum(dim=1),
)

BUILT_IN = (MSE, SSE, HALF_SSE, BCE, CCE)
