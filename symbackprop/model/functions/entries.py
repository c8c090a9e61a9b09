"""The shape of a function entry: an activation or a loss with everything about it."""
from dataclasses import dataclass, field
from typing import Callable

import sympy

LANGUAGES = ("en", "pt-BR")  # the languages every built-in entry is named in
TARGET_KINDS = ("any", "unit", "distribution")  # y_k anything / each in [0, 1] / y_k >= 0 with Σ y_k = 1


@dataclass(frozen=True)
class Names:
    """How one language names a function: as a title, in a sentence, and its derivative's title."""

    title: str
    short: str = ""
    derivative_title: str = ""


def named(**by_language: tuple[str, ...]) -> dict[str, Names]:
    """{"en": Names(...), "pt-BR": Names(...)} from keyword tuples (pt_BR is pt-BR)."""
    return {lang.replace("_", "-"): Names(*texts) for lang, texts in by_language.items()}


@dataclass(frozen=True)
class Activation:
    """An activation g: its expression, its derivative as taught, stable forms, constraints, names, torch."""

    name: str
    expression: Callable  # (v, **options) -> g(v); a vector entry: (vs, **options) -> [g_k]
    derivative: Callable  # (v, g, **options) -> g'(v) written with v and g = g(v), as a lecturer writes it
    stable: Callable | None = None  # (v, **options) -> g(v) in v alone, finite and accurate in float64
    stable_derivative: Callable | None = None  # (v, **options) -> g'(v) in v alone, same guarantee
    jacobian: Callable | None = None  # vector entries: (k, j, outputs) -> dŷ_k/dv_j in the outputs
    vector: bool = False  # a vector function with a full Jacobian (softmax)
    output_only: bool = False
    piecewise: bool = False  # has a kink at v = 0 (exams keep pre-activations away from it)
    saturation: Callable | None = None  # y -> how saturated the unit is, in [0, 1]
    names: dict = field(default_factory=dict, compare=False)  # language -> Names
    torch: Callable | None = None  # (torch, V, **options) -> Y; None: references use finite differences only
    display: tuple = ()  # vector entries: ((lhs, rhs) of g, (lhs, rhs) of its Jacobian) in TeX
    numeric_forward: Callable | None = None  # vector entries: V rows -> Y rows (NumPy)
    numeric_vjp: Callable | None = None  # vector entries: (Y rows, dL/dY rows) -> dL/dV rows (NumPy)

    def __post_init__(self):
        if self.stable is None:
            object.__setattr__(self, "stable", self.expression)
        if self.stable_derivative is None and not self.vector:
            stable, derivative = self.stable, self.derivative
            object.__setattr__(self, "stable_derivative",
                               lambda v, **options: derivative(v, stable(v, **options), **options))

    @property
    def elementwise(self) -> bool:
        """True for g applied unit by unit (every activation but a vector one such as softmax)."""
        return not self.vector

    def title(self, lang: str, kind: str = "title") -> str:
        """The name in a language (kind: title, short or derivative_title), English when it has none."""
        return _name(self.names, self.name, lang, kind)


@dataclass(frozen=True)
class Loss:
    """A loss L = Σ_k l_k: the per-output term and ∂L/∂ŷ_k as taught, stable pairs, constraints, names, torch."""

    name: str
    term: Callable  # (y, ŷ, N) -> l_k
    derivative: Callable  # (y, ŷ, N) -> ∂L/∂ŷ_k
    requires_output: tuple[str, ...] = ()  # output activations it is defined for (empty: any)
    targets: str = "any"  # one of TARGET_KINDS
    fused: dict = field(default_factory=dict, compare=False)  # output activation -> (ys, vs, n, **o) -> OutputForms
    delta_steps: dict = field(default_factory=dict, compare=False)  # output activation -> TeX lines to ŷ − y
    collapsed_delta: dict = field(default_factory=dict, compare=False)  # output activation -> (y, ŷ, N) -> δ
    names: dict = field(default_factory=dict, compare=False)
    torch: Callable | None = None  # (torch, P, Y, n) -> the loss per sample (B,)

    def title(self, lang: str, kind: str = "title") -> str:
        """The name in a language, English when it has none."""
        return _name(self.names, self.name, lang, kind)

    def averaged(self) -> bool:
        """True when the term carries 1/N, the loss averaging over the N outputs (mse, bce)."""
        y, p = sympy.symbols("y p", real=True)
        return self.term(y, p, 1) != self.term(y, p, 2)


def _name(names: dict, code: str, lang: str, kind: str) -> str:
    found = names.get(lang) or names.get("en")
    if found is None:
        return code.replace("_", " ")
    return getattr(found, kind) or ("" if kind == "derivative_title" else found.title)


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
