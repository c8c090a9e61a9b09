"""The theory part of a deck as steps: the architecture with shapes, the forward pass, the algorithm, the chain
rule per parameter group and per element (δ defined first); the matrix form is on the algorithm frame."""
import sympy

from symbackprop.documents import output_delta
from symbackprop.documents.worked_steps import Layout, Line, Step, display_lines
from symbackprop.model import symbols
from symbackprop.model.derivation import Derivation
from symbackprop.notation.course import CourseNotation


def equation_step(lhs: str, *texts: str, name: str = "", group: str = "") -> Step:
    """lhs = text = text ...: a step of the theory, each text on its own display line."""
    return Step(name, lhs, tuple(Line("=", text) for text in texts), group=group)


def _wrap(expr, show, per_line: int) -> tuple[Line, ...]:
    """An expression's lines, a long sum wrapped every per_line terms (continuation lines have no '=')."""
    return tuple(display_lines(expr, show, per_line))


def factors_tex(d: Derivation, note: CourseNotation, chain: list[str]) -> str:
    """The closed forms of chain factors joined by ×, sums (and later negative factors) in parentheses."""
    parts = []
    for position, name in enumerate(chain):
        expr = d.expression(name)
        text = note.tex(expr)
        if expr.is_Add or (position and text.startswith("-")):
            text = rf"\left({text}\right)"
        parts.append(text)
    return r" \times ".join(parts)


def architecture(d: Derivation, note: CourseNotation) -> list[Step]:
    """x, W^l, b^l, v^l, y^l, ŷ, y, l, L with their entries; a layer's four are one group."""
    net = d.network
    row = net.convention == "row"

    def shaped(entries, rows=1):  # a vector or matrix with its shape beside it: [x_0 x_1] (1 × 2)
        cols = len(entries) // rows
        shape = (rows, cols) if row else (cols, rows)
        matrix = sympy.Matrix(rows, cols, entries)
        return rf"{note.tex(matrix if row else matrix.T)} \quad ({shape[0]} \times {shape[1]})"

    steps = [equation_step("x", shaped([symbols.x(i) for i in range(net.layers[0])]), group="input")]
    for layer in range(net.depth):
        width, fan_in = net.width(layer), net.fan_in(layer)
        weights = [symbols.weight(layer, i, j) for i in range(fan_in) for j in range(width)]
        group = f"layer{layer}"
        steps += [
            equation_step(note.layer("W", layer), shaped(weights, fan_in), group=group),
            equation_step(note.layer("b", layer), shaped([symbols.bias(layer, j) for j in range(width)]), group=group),
            equation_step(note.layer("v", layer), shaped([symbols.preactivation(layer, j) for j in range(width)]),
                          group=group),
            equation_step(note.act(layer), shaped([symbols.activation(layer, j) for j in range(width)]), group=group),
        ]
    n_out = net.layers[-1]
    steps += [
        equation_step("y", shaped([symbols.target(k) for k in range(n_out)]), group="loss"),
        equation_step("l", shaped([symbols.loss_term(k) for k in range(n_out)]), group="loss"),
        equation_step("L", note.tex(d.expression("L")), group="loss"),
    ]
    return steps


def forward_matrix(d: Derivation, note: CourseNotation) -> list[Step]:
    """v^l = y^{l-1} W^l + b^l (or W^l y^{l-1} + b^l) and y^l = g^l(v^l), layer by layer."""
    steps = []
    for layer in range(d.network.depth):
        W, b, v = note.layer("W", layer), note.layer("b", layer), note.layer("v", layer)
        product = f"{note.inputs(layer)} {W}" if d.network.convention == "row" else f"{W} {note.inputs(layer)}"
        steps += [Step("", v, (Line("=", f"{product} + {b}"),), group="matrix"),
                  Step("", note.act(layer), (Line("=", f"{note.layer('g', layer)}({v})"),), group="matrix")]
    return steps


def forward_elements(d: Derivation, note: CourseNotation, layout: Layout, layer: int) -> list[Step]:
    """v^l_j as its sum and y^l_j = g^l(v^l_j) in closed form, for every unit of one layer."""
    steps = []
    for j in range(d.network.width(layer)):
        v_name, y_name = d.names.v(layer, j), d.names.act(layer, j)
        unit = f"unit{layer}.{j}"  # v and y of one unit share a frame
        steps.append(Step(v_name, d.name_tex(v_name), _wrap(d.expression(v_name), note.tex, layout.symbols_per_line),
                          group=unit))
        g = f"{note.layer('g', layer)}({d.name_tex(v_name)})"
        steps.append(Step(y_name, d.name_tex(y_name), (Line("=", f"{g} = {note.tex(d.expression(y_name))}"),),
                          group=unit))
    return steps


def backprop_groups(d: Derivation, note: CourseNotation) -> list[Step]:
    """∂L/∂W^l = ∂L/∂y^l × ∂y^l/∂v^l × ∂v^l/∂W^l for each parameter group, from the output back."""
    def frac(top, bottom):
        return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"

    steps = []
    for layer in reversed(range(d.network.depth)):
        y, v = note.act(layer), note.layer("v", layer)
        head = [frac("L", y), frac(y, v)]
        targets = [note.layer("W", layer), note.layer("b", layer)] + ([note.act(layer - 1)] if layer else [])
        for target in targets:
            steps.append(equation_step(frac("L", target), r" \times ".join(head + [frac(v, target)]),
                                       group=f"layer{layer}"))
    return steps


def algorithm(d: Derivation, note: CourseNotation, messages: dict) -> list[dict]:
    """One training step in four items: forward from y^{-1} = x, the loss, backward (δ at the output, the
    recursion δ^l = (δ^{l+1} (W^{l+1})^T) ⊙ g'(v^l) below it, the gradients) and the update W^l ← W^l − η ∂L/∂W^l."""
    net = d.network
    row = net.convention == "row"
    out_layer = note.n(net.output_layer)
    W, b, v, delta, y = (f"{letter}^{{l}}" for letter in ("W", "b", "v", r"\delta", "y"))
    y_before, W_next, delta_next = "y^{l-1}", "W^{l+1}", r"\delta^{l+1}"
    frac = lambda top, bottom: rf"\frac{{\partial {top}}}{{\partial {bottom}}}"  # noqa: E731
    product = f"{y_before} {W}" if row else f"{W} {y_before}"
    gradient = rf"({y_before})^{{\top}} {delta}" if row else rf"{delta} ({y_before})^{{\top}}"
    recursion = (rf"\left({delta_next} ({W_next})^{{\top}}\right)" if row
                 else rf"\left(({W_next})^{{\top}} {delta_next}\right)")
    output, p = note.layer(r"\delta", net.output_layer), note.act(net.output_layer)
    if output_delta.collapses(net):
        output_rule = rf"{output} = {frac('L', note.layer('v', net.output_layer))} = {p} - y"
    else:
        output_rule = (rf"{output} = {frac('L', p)} \odot (g^{{{out_layer}}})'"
                       rf"({note.layer('v', net.output_layer)})")
    first = note.n(0)
    return [  # each item: rows of formulas, a row on one line
        {"word": messages["forward_pass"], "rows": [[rf"y^{{{first - 1}}} = x", rf"{v} = {product} + {b}",
                                                     rf"{y} = g^{{l}}({v})"]], "note": ""},
        {"word": messages["loss_word"], "rows": [[r"L = \sum_k l_k(y_k, \hat{y}_k)"]], "note": ""},
        {"word": messages["backward_pass"], "rows": [[rf"{delta} = {frac('L', v)}", output_rule],
                                                     [rf"{delta} = {recursion} \odot (g^{{l}})'({v})"],
                                                     [rf"{frac('L', W)} = {gradient}", rf"{frac('L', b)} = {delta}"]],
         "note": messages["slides"]["odot"]},
        {"word": messages["update_word"], "rows": [[rf"{W} \leftarrow {W} - \eta {frac('L', W)}",
                                                    rf"{b} \leftarrow {b} - \eta {frac('L', b)}"]],
         "note": messages["slides"]["eta"]},
    ]


def chosen_gradients(d: Derivation) -> list[str]:
    """The default chosen parameters: the first weight and the first bias of each layer, output first."""
    names = d.names
    out = []
    for layer in reversed(range(d.network.depth)):
        out += [names.d_weight(layer, 0, 0), names.d_bias(layer, 0)]
    return out


def delta_definition(d: Derivation, note: CourseNotation, layer: int) -> Step:
    """δ^l_j = ∂L/∂v^l_j = ∂L/∂y^l_j ∂y^l_j/∂v^l_j (a vector activation: the sum over its outputs m)."""
    v_j, delta = note.entry("v", layer, "j"), note.entry(r"\delta", layer, "j")
    if d.activations[layer].elementwise:
        y_j = note.entry("y", layer, "j")
        rhs = rf"\frac{{\partial L}}{{\partial {y_j}}} \frac{{\partial {y_j}}}{{\partial {v_j}}}"
    else:
        y_m = note.entry("y", layer, "m")
        rhs = (rf"{note.sum_over('m', d.network.width(layer))} \frac{{\partial L}}{{\partial {y_m}}}"
               rf" \frac{{\partial {y_m}}}{{\partial {v_j}}}")
    return equation_step(rf"{delta} = \frac{{\partial L}}{{\partial {v_j}}}", rhs)


def backprop_elements(d: Derivation, note: CourseNotation, layout: Layout, layer: int) -> list[Step]:
    """δ of the layer defined first; hidden layers: ∂L/∂y as the sum over the next layer's δ (defined on the
    layer before); then one weight and the bias of unit 0: the chain and each factor's closed form."""
    names, net = d.names, d.network
    if layer == net.output_layer and output_delta.collapses(net):
        return output_delta.theory_steps(d, note, layer)
    steps = [delta_definition(d, note, layer)]
    if layer < net.output_layer:
        nxt, width = layer + 1, net.width(layer + 1)
        name = names.d_act(layer, 0)
        y0 = d.name_tex(names.act(layer, 0))
        k = "k" if width > 1 else str(note.n(0))  # one unit above: no sum
        k_sum = note.sum_over("k", width) + " " if width > 1 else ""
        v_k, delta = note.entry("v", nxt, k), note.entry(r"\delta", nxt, k)
        general = (rf"{k_sum}\frac{{\partial L}}{{\partial {v_k}}} \frac{{\partial {v_k}}}{{\partial {y0}}}"
                   rf" = {k_sum}{delta} {note.weight(nxt, note.n(0), k)}")
        lines = (Line("=", general),)
        if width > 1:
            lines += _wrap(d.expression(name), note.tex, layout.symbols_per_line)
        steps.append(Step(name, d.name_tex(name), lines))
    for name in (names.d_weight(layer, 0, 0), names.d_bias(layer, 0)):
        chain = d.chain(name)
        # a hidden layer keeps ∂L/∂y (written out just above) as a symbol; the other factors in closed form
        kept = d.name_tex(chain[0]) + r" \times " if layer < net.output_layer else ""
        closed = factors_tex(d, note, chain[1:] if kept else chain)
        if name == names.d_bias(layer, 0):  # the first two factors are δ, defined at the top of the frame
            closed = rf"{note.entry(chr(92) + 'delta', layer, note.n(0))} \times 1"
            kept = ""
        steps.append(equation_step(d.name_tex(name), r" \times ".join(d.name_tex(f) for f in chain), kept + closed,
                                   name=name))
    return steps
