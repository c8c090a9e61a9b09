"""The element-wise forms the numbers are computed with: each function entry's numerically stable g, g', l and δ."""
from dataclasses import dataclass

import sympy

from symbackprop.model import functions, symbols
from symbackprop.model.derivation import Derivation

# the generic array symbols of a whole layer: V^l, the targets T, the upstream ∂L/∂Y^l, the slope g'(V^l)
V, T, U, G = (sympy.Symbol(name, real=True) for name in ("V", "T", "U", "G"))


@dataclass(frozen=True)
class LayerForms:
    """One layer's forms: element-wise in V (and T, U) or, for a vector activation, one per unit over columns."""

    vector: bool
    vs: tuple  # the unit symbols a vector form reads (v^l_0, ...); () for element-wise forms
    value: object  # Y in V, or the list ŷ_k in vs
    derivative: object  # g'(V) in V, or the Jacobian rows [[dŷ_k/dv_j]] in vs
    delta: sympy.Expr | list  # δ in U and V (hidden), or in T and V (output; a list over units when vector)
    term: object = None  # output only: l in T, V (or a list in ts, vs)
    d_output: object = None  # output only: ∂L/∂ŷ in T, V (or a list in ts, vs)
    ts: tuple = ()  # the target symbols a vector output form reads
    delta_in_slope: sympy.Expr | None = None  # hidden element-wise only: δ in U and the slope G = g'(V)


def _activation_forms(entry, v, options):
    """(g(v), g'(v)) in v alone: the entry's stable forms."""
    return entry.stable(v, **options), entry.stable_derivative(v, **options)


def _output_forms(activation, loss, ts, vs, n, options):
    """(ŷ, l, ∂L/∂ŷ, δ) per output unit in ts and vs: the table's stable forms for the pair."""
    forms = functions.output_forms(activation, loss, list(ts), list(vs), n, **options)
    return forms.outputs, forms.terms, forms.d_outputs, forms.deltas


def chained(derivation: Derivation, name: str, value_of: dict) -> sympy.Expr:
    """A chain node of the derivation's graph (a sum of products of named factors) at the given factor values."""
    return sympy.Add(*[sympy.Mul(*[value_of[factor] for factor in term]) for term in derivation.graph[name]])


def layer_forms(derivation: Derivation, layer: int) -> LayerForms:
    """The forms of weight layer `layer`, from the derivation's function entries."""
    net, names = derivation.network, derivation.names
    entry, options = derivation.activations[layer], derivation.options
    output = layer == net.output_layer
    width = net.width(layer)
    if entry.elementwise:
        value, derivative = _activation_forms(entry, V, options)
        if not output:  # δ^l = ∂L/∂y^l · ∂y^l/∂v^l, read from the graph at unit 0 (every unit has the same form)
            chain = {names.d_act(layer, 0): U, names.local(layer, 0, 0): G}
            in_slope = chained(derivation, names.d_v(layer, 0), chain)
            return LayerForms(False, (), value, derivative, in_slope.xreplace({G: derivative}),
                              delta_in_slope=in_slope)
        outputs, terms, d_outputs, deltas = _output_forms(entry, derivation.loss, (T,), (V,), net.layers[-1], options)
        return LayerForms(False, (), outputs[0], derivative, deltas[0], terms[0], d_outputs[0])
    vs = tuple(sympy.Symbol(f"V_{j}", real=True) for j in range(width))
    ts = tuple(sympy.Symbol(f"T_{k}", real=True) for k in range(width))
    outputs, terms, d_outputs, deltas = _output_forms(entry, derivation.loss, ts, vs, net.layers[-1], options)
    own = {symbols.activation(layer, k): outputs[k] for k in range(width)}
    jacobian = [[derivation.expressions[names.local(layer, k, j)].xreplace(own) for j in range(width)]
                for k in range(width)]  # the derivation's ∂ŷ_k/∂v_j at the stable ŷ
    if output:
        return LayerForms(True, vs, outputs, jacobian, deltas, terms, d_outputs, ts)
    us = [sympy.Symbol(f"U_{k}", real=True) for k in range(width)]
    factors = {names.local(layer, k, j): jacobian[k][j] for k in range(width) for j in range(width)}
    factors.update({names.d_act(layer, k): us[k] for k in range(width)})
    hidden = [chained(derivation, names.d_v(layer, j), factors) for j in range(width)]
    return LayerForms(True, vs, outputs, jacobian, hidden, ts=tuple(us))
