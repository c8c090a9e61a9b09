"""The output δ of a loss with its matching output activation (softmax + cce, sigmoid + bce) shown collapsing
to ŷ − y: the three-factor chain and the sum over the outputs stay visible until the last line."""
from symbackprop.documents.worked_steps import Line, Step, collapses
from symbackprop.model import functions

TIMES = r" \times "


def _frac(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def _scale(network) -> str:
    """1/N in front of ŷ − y when the loss averages over the N outputs (bce), else nothing (cce)."""
    n_out = network.layers[-1]
    return "" if n_out == 1 or not functions.loss_of(network).averaged() else rf"\frac{{1}}{{{n_out}}}"


def theory_steps(d, note, layer: int) -> list[Step]:
    """δ^L_j from the chain to ŷ_j − y_j, then ∂L/∂w and ∂L/∂b as δ times the last factor."""
    net = d.network
    p_of = lambda k: note.entry("y", layer, k)  # noqa: E731
    y_of = lambda k: f"y_{{{k}}}"  # noqa: E731
    p, y, v = p_of("j"), y_of("j"), note.entry("v", layer, "j")
    first = (rf"\sum_{{k}} {_frac('L', p_of('k'))} {_frac(p_of('k'), 'v_j')}" if not d.activations[layer].elementwise
             else rf"{_frac('L', p)}{TIMES}{_frac(p, v)}")
    collapse = functions.loss_of(net).delta_steps[net.activations[-1]]
    lines = [first] + collapse(p, y, p_of, y_of, net.layers[-1])
    delta = note.entry(r"\delta", layer, "j")
    steps = [Step("", rf"{delta} = {_frac('L', v)}", tuple(Line("=", text.replace("v_j", v)) for text in lines),
                  group="delta")]
    first, scale = note.n(0), _scale(net)
    delta_first = note.entry(r"\delta", layer, first)
    for name in (d.names.d_weight(layer, 0, 0), d.names.d_bias(layer, 0)):
        last = d.chain(name)[-1]
        collapsed = rf"{scale}\left({p_of(first)} - {y_of(first)}\right){TIMES}{note.tex(d.expression(last))}"
        v0 = note.entry("v", layer, first)
        inner = (rf"\sum_{{k}} {_frac('L', p_of('k'))} {_frac(p_of('k'), v0)}" if not d.activations[layer].elementwise
                 else rf"{_frac('L', p_of(first))}{TIMES}{_frac(p_of(first), v0)}")
        steps.append(Step(name, d.name_tex(name), (Line("=", rf"\left({inner}\right){TIMES}{d.name_tex(last)}"),
                                                   Line("=", rf"{delta_first}{TIMES}{d.name_tex(last)}"),
                                                   Line("=", collapsed))))
    return steps


def worked_steps(worker, note, layer: int, unit: int, chosen: list[str]) -> list[Step]:
    """δ^L_j = ŷ_j − y_j in numbers, then each chosen gradient of the layer as δ times its last factor."""
    d, names = worker.d, worker.names
    scale = _scale(worker.net)
    p_name, y_name = names.act(layer, unit), names.y(unit)
    p, y = d.name_tex(p_name), d.name_tex(y_name)
    delta_name = names.d_v(layer, unit)
    delta_tex = note.entry(r"\delta", layer, note.n(unit))
    numbers = rf"{scale}\left({worker.operand(p_name)} - {worker.operand(y_name)}\right)" if scale else \
        rf"{worker.operand(p_name)} - {worker.operand(y_name)}"
    steps = [Step(delta_name, rf"{delta_tex} = {d.name_tex(delta_name)}", (
        Line("=", rf"{scale}\left({p} - {y}\right)" if scale else rf"{p} - {y}"),
        Line("=", rf"{numbers} = {worker.number(delta_name)}"),
    ))]
    for name in chosen:
        if names.parse(name).layer != layer:
            continue
        last = d.chain(name)[-1]
        steps.append(Step(name, d.name_tex(name), (
            Line("=", rf"{delta_tex}{TIMES}{d.name_tex(last)}"),
            Line("=", rf"{worker.operand(delta_name)}{TIMES}{worker.operand(last)} = {worker.number(name)}"),
        )))
    return steps
