"""A fused pair's δ as a lecturer works it (TeX lines): the chain collapsing to ŷ − y (softmax + cce, sigmoid + bce).

Each builder takes the TeX of ŷ_j and y_j, builders p_of(k) and y_of(k) for other units, and N; it returns the
lines after the first (the chain), the last one the collapsed δ.
"""
TIMES = r" \times "


def softmax_cce(p: str, y: str, p_of, y_of, n: int) -> list[str]:
    """δ_j = Σ_k ∂L/∂ŷ_k ∂ŷ_k/∂v_j, the Jacobian split into k = j and k ≠ j, then Σ_k y_k = 1."""
    return [
        rf"\sum_{{k}} \left(-\frac{{{y_of('k')}}}{{{p_of('k')}}}\right) \frac{{\partial {p_of('k')}}}{{\partial v_j}}",
        rf"-\frac{{{y}}}{{{p}}} {p} \left(1 - {p}\right) + \sum_{{k \neq j}} \left(-\frac{{{y_of('k')}}}{{{p_of('k')}}}"
        rf"\right) \left(-{p_of('k')} {p}\right)",
        rf"-{y} + {p} \sum_{{k}} {y_of('k')}",
        rf"{p} - {y} \qquad \left(\textstyle\sum_{{k}} {y_of('k')} = 1\right)",
    ]


def sigmoid_bce(p: str, y: str, p_of, y_of, n: int) -> list[str]:
    """δ_j = ∂L/∂ŷ_j ∂ŷ_j/∂v_j = -(1/N)(y/ŷ - (1-y)/(1-ŷ)) ŷ(1-ŷ) = (ŷ - y)/N."""
    scale = "" if n == 1 else rf"\frac{{1}}{{{n}}}"
    collapsed = rf"{p} - {y}" if n == 1 else rf"{scale} \left({p} - {y}\right)"
    return [
        rf"-{scale or ''}\left(\frac{{{y}}}{{{p}}} - \frac{{1 - {y}}}{{1 - {p}}}\right){TIMES}{p} \left(1 - {p}\right)",
        rf"-{scale or ''}\left({y} \left(1 - {p}\right) - \left(1 - {y}\right) {p}\right)",
        collapsed,
    ]
