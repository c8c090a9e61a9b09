"""The output δ of a loss with its matching output activation (softmax + cce, sigmoid + bce) shown collapsing
to ŷ − y: the three-factor chain and the sum over the outputs stay visible until the last line. Whether a pair
collapses is decided from the function entries themselves, symbolically, never from their names."""
from functools import lru_cache

import sympy

from symbackprop.documents.worked_steps import Line, Step
from symbackprop.model import functions

TIMES = r" \times "
_Y, _P, _V = sympy.symbols("y p v", real=True)
_N = sympy.Symbol("N", positive=True, integer=True)


def _frac(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


@lru_cache(maxsize=None)
def _scale(activation_name: str, loss_name: str, targets: str, vector: bool, network) -> sympy.Expr | None:
    """c such that δ_j = c (ŷ_j − y_j) for this output activation and loss (c free of y and ŷ), or None."""
    activation, loss = functions.activation(activation_name, network), functions.loss(loss_name, network)
    if not vector:
        delta = loss.derivative(_Y, _P, _N) * activation.derivative(_V, _P, **functions.options(network))
        ratio = sympy.simplify(delta / (_P - _Y))
        return ratio if not ratio.free_symbols & {_Y, _P, _V} else None
    if activation.jacobian is None:
        return None
    ys, ps = sympy.symbols("y0:3", real=True), sympy.symbols("p0:3", positive=True)
    delta = sum(loss.derivative(ys[k], ps[k], _N) * activation.jacobian(k, 0, ps) for k in range(3))
    if targets == "distribution":  # Σ_k y_k = 1: what makes the softmax + cross-entropy δ collapse
        delta = delta.subs(ys[2], 1 - ys[0] - ys[1])
    ratio = sympy.simplify(delta / (ps[0] - ys[0]))
    return ratio if not ratio.free_symbols & (set(ys) | set(ps)) else None


def scale(network) -> sympy.Expr | None:
    """The constant c of δ = c (ŷ − y) for the network's output layer and loss, or None when δ does not collapse."""
    output = functions.activations_of(network)[-1]
    loss = functions.loss_of(network)
    return _scale(output.name, loss.name, loss.targets, output.vector, network)


def collapses(network) -> bool:
    """True when the output δ of the network is a constant times ŷ − y."""
    return scale(network) is not None


def _collapsed(c, n_out: int, p: str, y: str, note) -> str:
    """c (ŷ − y) with this network's N, the factor left out when it is 1."""
    value = sympy.nsimplify(c.subs(_N, n_out)) if isinstance(c, sympy.Expr) else c
    if value == 1:
        return rf"{p} - {y}"
    return rf"{note.tex(value)} \left({p} - {y}\right)"


def theory_steps(d, note, layer: int) -> list[Step]:
    """δ^L_j from the chain to c(ŷ_j − y_j), then ∂L/∂w and ∂L/∂b as δ times the last factor."""
    net = d.network
    output, loss = functions.activations_of(net)[-1], functions.loss_of(net)
    c, n_out = scale(net), net.layers[-1]
    p_of = lambda k: note.entry("y", layer, k)  # noqa: E731
    y_of = lambda k: f"y_{{{k}}}"  # noqa: E731
    p, y, v = p_of("j"), y_of("j"), note.entry("v", layer, "j")
    dl = note.tex(loss.derivative(sympy.Symbol(y_of("k")), sympy.Symbol(p_of("k")), sympy.Symbol("N")))
    if output.vector:
        symbol = {k: (sympy.Symbol(y_of(k), real=True), sympy.Symbol(p_of(k), positive=True)) for k in "jk"}
        outputs = {k: symbol[k][1] for k in "jk"}
        term = lambda k: loss.derivative(*symbol[k], _N) * output.jacobian(k, "j", outputs)  # noqa: E731
        lines = [rf"\sum_{{k}} {_frac('L', p_of('k'))} {_frac(p_of('k'), v)}",
                 rf"\sum_{{k}} \left({dl}\right) {_frac(p_of('k'), v)}",
                 rf"{note.tex(sympy.simplify(term('j')))} + \sum_{{k \neq j}} {note.tex(sympy.simplify(term('k')))}"]
        last = rf"{_collapsed(c, n_out, p, y, note)} \qquad \left(\textstyle\sum_{{k}} {y_of('k')} = 1\right)"
    else:
        local = note.tex(output.derivative(sympy.Symbol(v), sympy.Symbol(p), **functions.options(net)))
        dl_j = note.tex(loss.derivative(sympy.Symbol(y), sympy.Symbol(p), sympy.Symbol("N")))
        lines = [rf"{_frac('L', p)}{TIMES}{_frac(p, v)}", rf"\left({dl_j}\right){TIMES}{local}"]
        last = _collapsed(c, n_out, p, y, note)
    delta = note.entry(r"\delta", layer, "j")
    steps = [Step("", rf"{delta} = {_frac('L', v)}", tuple(Line("=", text) for text in lines + [last]),
                  group="delta")]
    first = note.n(0)
    delta_first = note.entry(r"\delta", layer, first)
    v0 = note.entry("v", layer, first)
    inner = (rf"\sum_{{k}} {_frac('L', p_of('k'))} {_frac(p_of('k'), v0)}" if output.vector
             else rf"{_frac('L', p_of(first))}{TIMES}{_frac(p_of(first), v0)}")
    for name in (d.names.d_weight(layer, 0, 0), d.names.d_bias(layer, 0)):
        last_factor = d.chain(name)[-1]
        collapsed = rf"\left({_collapsed(c, n_out, p_of(first), y_of(first), note)}\right)" \
                    rf"{TIMES}{note.tex(d.expression(last_factor))}"
        steps.append(Step(name, d.name_tex(name), (
            Line("=", rf"\left({inner}\right){TIMES}{d.name_tex(last_factor)}"),
            Line("=", rf"{delta_first}{TIMES}{d.name_tex(last_factor)}"),
            Line("=", collapsed))))
    return steps


def worked_steps(worker, note, layer: int, unit: int, chosen: list[str]) -> list[Step]:
    """δ^L_j = c(ŷ_j − y_j) in numbers, then each chosen gradient of the layer as δ times its last factor."""
    d, names, fmt, values = worker.d, worker.names, worker.fmt, worker.values
    c = scale(worker.net)
    p_name, y_name = names.act(layer, unit), names.y(unit)
    delta_name = names.d_v(layer, unit)
    delta_tex = note.entry(r"\delta", layer, note.n(unit))
    symbolic = _collapsed(c, worker.net.layers[-1], d.name_tex(p_name), d.name_tex(y_name), note)
    numbers = _collapsed(c, worker.net.layers[-1], fmt.tex(values[p_name]), fmt.factor(values[y_name]), note)
    steps = [Step(delta_name, rf"{delta_tex} = {d.name_tex(delta_name)}", (
        Line("=", symbolic), Line("=", rf"{numbers} = {worker.number(delta_name)}")))]
    for name in chosen:
        if names.parse(name).layer != layer:
            continue
        last = d.chain(name)[-1]
        steps.append(Step(name, d.name_tex(name), (
            Line("=", rf"{delta_tex}{TIMES}{d.name_tex(last)}"),
            Line("=", rf"{fmt.factor(values[delta_name])}{TIMES}{fmt.factor(values[last])} = {worker.number(name)}"),
        )))
    return steps
