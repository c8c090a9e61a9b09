"""Tests for latex_parse: printed round trips, hand-written variants, ASCII names, errors and fuzzing."""
import logging
import random
import re
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbackprop.model import functions
from symbackprop.checking import expression_parser
from symbackprop.expressions import limits
from symbackprop.notation import printer
from symbackprop.model import symbols as S
from symbackprop.errors import LatexParseError
from symbackprop.checking.expression_parser import parse_expression
from symbackprop.notation.printer import tex
from symbackprop.model.spec import Network

NET = Network(layers=(2, 3, 2), activations=("sigmoid", "sigmoid"), loss="mse", convention="row", index_base=0)
NET_COLUMN_1 = Network(layers=(2, 3, 2), activations=("sigmoid", "sigmoid"), loss="mse", convention="column",
                       index_base=1)
NET_COLUMN_0 = Network(layers=(2, 3, 2), activations=("tanh", "sigmoid"), loss="bce", convention="column")
NET_ROW_1 = Network(layers=(3, 4, 3, 2), activations=("relu", "tanh", "sigmoid"), loss="half_sse", index_base=1)
NET_SOFTMAX = Network(layers=(2, 3, 3), activations=("leaky_relu", "softmax"), loss="cce")
NET_SINGLE = Network(layers=(1, 1), activations=("sigmoid",), loss="sse")
NETWORKS = {"row0": NET, "column1": NET_COLUMN_1, "column0": NET_COLUMN_0, "row1": NET_ROW_1,
            "softmax": NET_SOFTMAX, "single": NET_SINGLE}

g10, v10, t0 = S.activation(1, 0), S.preactivation(1, 0), S.target(0)


def sigmoid(arg):
    return 1 / (1 + sympy.exp(-arg))


def parse(text, network=NET):
    return parse_expression(text, network)


# ---- equivalence helpers --------------------------------------------------------------------------
def _random_value(symbol, rng):
    """Activations and targets in (0.1, 0.9) so logs are defined; everything else in (-2, 2)."""
    parsed = S.parse_symbol(symbol)
    if parsed is not None and parsed.kind in ("activation", "target"):
        return rng.uniform(0.1, 0.9)
    return rng.choice([-1, 1]) * rng.uniform(0.1, 2.0)


def assert_equivalent(parsed, expected, points=4):
    """Same free symbols, and equal values at several random real points."""
    parsed, expected = sympy.sympify(parsed).doit(), sympy.sympify(expected).doit()
    assert isinstance(parsed, sympy.Expr)
    assert parsed.free_symbols == expected.free_symbols
    rng = random.Random(7)
    for _ in range(points):
        point = {symbol: _random_value(symbol, rng) for symbol in expected.free_symbols}
        a, b = complex(parsed.evalf(subs=point)), complex(expected.evalf(subs=point))
        assert abs(a - b) <= 1e-9 * (1 + abs(b)), (parsed, expected, point)


# ---- round trip: everything printer.tex() prints must parse back ----------------------------------
def _layer_input(network, layer, i):
    return S.x(i) if layer == 0 else S.activation(layer - 1, i)


def printed_expressions(network):
    """(label, expression) built from the function tables in this network's shapes."""
    cases = []
    slope = {"slope": network.leaky_slope}
    out, n_out = network.output_layer, network.layers[-1]
    for layer in range(network.depth):
        j = network.width(layer) - 1
        v, g = S.preactivation(layer, j), S.activation(layer, j)
        forward = sum(_layer_input(network, layer, i) * S.weight(layer, i, j)
                      for i in range(network.fan_in(layer))) + S.bias(layer, j)
        cases.append((f"forward v{layer}", forward))
        for name, activation in functions.ACTIVATIONS.items():
            if not activation.elementwise:
                units = [S.preactivation(layer, k) for k in range(network.width(layer))]
                cases += [(f"{name} {layer} unit {k}", e) for k, e in enumerate(activation.expression(units))]
                cases.append((f"{name}' {layer}", activation.derivative(v, g)))
                cases.append((f"{name} jacobian {layer}", functions.softmax_jacobian(
                    0, network.width(layer) - 1, [S.activation(layer, k) for k in range(network.width(layer))])))
                continue
            cases.append((f"{name} {layer}", activation.expression(v, **slope)))
            cases.append((f"{name}' {layer}", activation.derivative(v, g, **slope)))
            cases.append((f"{name} of forward {layer}", activation.expression(forward, **slope)))
            cases.append((f"{name}' * input {layer}",
                          activation.derivative(v, g, **slope) * _layer_input(network, layer, 0)))
    for name, loss in functions.LOSSES.items():
        k = n_out - 1
        y, p = S.target(k), S.activation(out, k)
        cases.append((f"{name} term", loss.term(y, p, n_out)))
        cases.append((f"{name}'", loss.derivative(y, p, n_out)))
        cases.append((f"{name} total", sum(loss.term(S.target(m), S.activation(out, m), n_out) for m in range(n_out))))
        for act_name in ("sigmoid", "tanh", "relu"):
            act = functions.ACTIVATIONS[act_name]
            i = network.fan_in(out) - 1
            chain = loss.derivative(y, p, n_out) * act.derivative(S.preactivation(out, k), p) * \
                _layer_input(network, out, i)
            cases.append((f"dL/dw {name} {act_name}", chain))
            cases.append((f"dL/db {name} {act_name}",
                          loss.derivative(y, p, n_out) * act.derivative(S.preactivation(out, k), p)))
    if network.depth > 1:
        layer = network.depth - 2
        hidden = sum(S.weight(layer + 1, 0, k) * S.delta(layer + 1, k) for k in range(network.width(layer + 1)))
        g = S.activation(layer, 0)
        cases.append(("backprop delta", hidden * g * (1 - g)))
        cases.append(("backprop delta * x", -hidden * g * (1 - g) * _layer_input(network, layer, 0)))
    cases.append(("loss terms", sum(S.loss_term(k) for k in range(n_out)) - S.LOSS))
    cases.append(("scaled", functions.scaled(sympy.Rational(-2, 3), S.target(0) - S.activation(out, 0))
                  * S.activation(out, 0) * (1 - S.activation(out, 0))))
    cases.append(("powers", S.x(0) ** 2 + (S.activation(out, 0) - S.target(0)) ** -2 + sympy.sqrt(S.x(0) ** 2 + 1)))
    cases.append(("float", sympy.Float(0.5) * S.x(0) + sympy.Float(1e-5)))
    cases.append(("e", sympy.E * S.x(0) + sympy.exp(2 * S.x(0))))
    return cases


ROUND_TRIP = [pytest.param(network, expr, id=f"{key}: {label}")
              for key, network in NETWORKS.items() for label, expr in printed_expressions(network)]


@pytest.mark.parametrize("network, expr", ROUND_TRIP)
def test_round_trip_of_printed_latex(network, expr):
    assert_equivalent(parse_expression(tex(expr, network), network), expr)


@pytest.mark.parametrize("network, expr", ROUND_TRIP)
def test_round_trip_of_printed_ascii(network, expr):
    ascii_text = getattr(printer, "ascii_text", None)
    if ascii_text is None:
        pytest.skip("printer.ascii_text is not available")
    assert_equivalent(parse_expression(ascii_text(expr, network), network), expr)


def test_round_trip_covers_every_printed_form():
    printed = " ".join(tex(expr, NET) for _, expr in printed_expressions(NET))
    for form in (r"\frac{", r"\left(", r"e^{", r"\ln{\left(", r"\tanh{\left(", r"\max\left(",
                 r"\begin{cases}", r"\text{if }", r"\hat{y}^{1}_{0}", r"\delta^{1}_{",
                 r"w^{0}_{", r"b^{0}_{", r"x_{0}", r"y_{1}", r"l_{0}", r"\sqrt{", " \\cdot 10^{"):
        assert form in printed, form


def test_course_example_claim():
    text = r"-2\left(y_{0} - \hat{y}^{0}_{0}\right) \hat{y}^{0}_{0} \left(1 - \hat{y}^{0}_{0}\right)"
    g = S.activation(0, 0)
    assert sympy.expand(parse(text, NET_SINGLE) - (-2 * (S.target(0) - g) * g * (1 - g))) == 0


# ---- hand-written LaTeX variants ------------------------------------------------------------------
g = S.activation(1, 0)
DERIVATIVE = g * (1 - g)
HAND_WRITTEN = [
    (r"\hat{y}^{1}_{0} \cdot (1 - \hat{y}^{1}_{0})", DERIVATIVE),
    (r"\hat y_0 \times (1-\hat y_0)", DERIVATIVE),
    (r"\hat{y}_{0}\left[1-\hat{y}_{0}\right]", DERIVATIVE),
    (r"\hat y^1_0 \left(1 - \hat y^1_0\right)", DERIVATIVE),
    (r"\widehat{y}_{0}(1-\widehat{y}_{0})", DERIVATIVE),
    (r"y^{1}_{0}(1-y^{1}_{0})", DERIVATIVE),
    (r"\dfrac{1}{1+\exp(-v^1_0)}", sigmoid(v10)),
    (r"\tfrac{1}{1+\exp\left(-v^{1}_{0}\right)}", sigmoid(v10)),
    (r"\frac{1}{1 + e^{-v^{1}_{0}}}", sigmoid(v10)),
    (r"1/(1+\mathrm{e}^{-v^1_0})", sigmoid(v10)),
    (r"\sigma(v^{1}_{0})", sigmoid(v10)),
    (r"\sigma\left(v^{1}_{0}\right)\left(1-\sigma\left(v^{1}_{0}\right)\right)", sigmoid(v10) * (1 - sigmoid(v10))),
    (r"\sigma v^{1}_{0}", sigmoid(v10)),
    (r"e^{x_0}", sympy.exp(S.x(0))),
    (r"\exp(x_0)\exp(x_1)", sympy.exp(S.x(0) + S.x(1))),
    (r"w^0_{00} x_0 + w^{0}_{1,0} x_1 + b^0_0", S.x(0) * S.weight(0, 0, 0) + S.x(1) * S.weight(0, 1, 0)
     + S.bias(0, 0)),
    (r"w^0_{0 1}", S.weight(0, 0, 1)),
    (r"w^0_{12}", S.weight(0, 1, 2)),
    (r"w^{0}_{1,2}", S.weight(0, 1, 2)),
    (r"w^{ 0 }_{ 1 , 2 }", S.weight(0, 1, 2)),
    (r"w^1_{2,1}", S.weight(1, 2, 1)),
    (r"x_0 + x_{1}", S.x(0) + S.x(1)),
    (r"x_0y_1", S.x(0) * S.target(1)),
    (r"\ln(\hat y_1)", sympy.log(S.activation(1, 1))),
    (r"\log{\left(\hat{y}^{1}_{1} \right)}", sympy.log(S.activation(1, 1))),
    (r"\ln \hat{y}_{1}", sympy.log(S.activation(1, 1))),
    (r"\log(x_0)^2", sympy.log(S.x(0)) ** 2),
    (r"\log^{2}{\left(x_{0} \right)}", sympy.log(S.x(0)) ** 2),
    (r"\tanh(v^0_2)", sympy.tanh(S.preactivation(0, 2))),
    (r"1 - \tanh^2(v^0_2)", 1 - sympy.tanh(S.preactivation(0, 2)) ** 2),
    (r"\max(0, v^0_0)", sympy.Max(0, S.preactivation(0, 0))),
    (r"\max\left(0, v^{0}_{0}\right)", sympy.Max(0, S.preactivation(0, 0))),
    (r"\sqrt{x_0}", sympy.sqrt(S.x(0))),
    (r"-2\left(y_{0} - \hat{y}^{1}_{0}\right) \hat{y}^{1}_{0} \left(1 - \hat{y}^{1}_{0}\right)",
     -2 * (t0 - g) * DERIVATIVE),
    (r"- \frac{2}{3} \left(y_{0} - \hat{y}^{1}_{0}\right)", sympy.Rational(-2, 3) * (t0 - g)),
    (r"\frac{2}{3}", sympy.Rational(2, 3)),
    (r"\frac12 x_0", S.x(0) / 2),
    ("0.5", sympy.Rational(1, 2)),
    (".5", sympy.Rational(1, 2)),
    ("2", sympy.Integer(2)),
    ("1e-3", sympy.Rational(1, 1000)),
    ("2.5E2", sympy.Integer(250)),
    ("1e-0001", sympy.Rational(1, 10)),
    (r"1.0 \cdot 10^{-5}", sympy.Rational(1, 100000)),
    (r"0.5x_0", S.x(0) / 2),
    (r"2x_0", 2 * S.x(0)),
    (r"2 \hat y_0", 2 * g),
    (r"\delta^{1}_{0} w^{1}_{2,0}", S.delta(1, 0) * S.weight(1, 2, 0)),
    (r"\,x_0\;+\!x_1\:+\ x_{0}\quad", 2 * S.x(0) + S.x(1)),
    (r"{x_0}{x_1}", S.x(0) * S.x(1)),
    (r"{x_0 + x_1}^{2}", (S.x(0) + S.x(1)) ** 2),
    (r"-x_0^2", -S.x(0) ** 2),
    (r"x_{0}^{2}", S.x(0) ** 2),
    (r"x^{2}_{0}", S.x(0) ** 2),
    (r"x_0^{-1}", 1 / S.x(0)),
    (r"\left(\hat{y}^{1}_{0}\right)^{2}", g ** 2),
    (r"\hat{y}_{0}^{2}", g ** 2),
    (r"--x_0", S.x(0)),
    (r"-(-x_0)", S.x(0)),
    (r"+x_0", S.x(0)),
    (r"\left[ x_0 + 1 \right] x_1", (S.x(0) + 1) * S.x(1)),
    (r"[x_0 + 1](x_1)", (S.x(0) + 1) * S.x(1)),
    (r"\bigl( x_0 \bigr)", S.x(0)),
    (r"x_0/x_1", S.x(0) / S.x(1)),
    (r"x_0/x_1 x_0", S.x(0) ** 2 / S.x(1)),
    (r"x_0 \cdot x_1 / 2", S.x(0) * S.x(1) / 2),
    ("x_0 \u2212 x_1 \u00b7 x_0", S.x(0) - S.x(1) * S.x(0)),
    (r"l_{0} + l_{1} - L", S.loss_term(0) + S.loss_term(1) - S.LOSS),
    (r"L^{2}", S.LOSS ** 2),
    (r"e", sympy.E),
    (r"\mathrm{e}^{2}", sympy.exp(2)),
    (r"\begin{cases} 1 & \text{for}\: v^{0}_{1} > 0 \\0 & \text{otherwise} \end{cases}",
     sympy.Piecewise((1, S.preactivation(0, 1) > 0), (0, True))),
    (r"\begin{cases} 1 & \text{if } v^0_1 \geq 0 \\ 0 & \text{otherwise} \\ \end{cases}",
     sympy.Piecewise((1, S.preactivation(0, 1) >= 0), (0, True))),
    (r"\begin{cases} x_0 & v^0_1 > 0 \wedge x_0 < 1 \\ 1 & v^0_1 \le 0 \vee x_1 = 2 \\ 0 & \text{else} \end{cases}",
     sympy.Piecewise((S.x(0), sympy.And(S.preactivation(0, 1) > 0, S.x(0) < 1)),
                     (1, sympy.Or(S.preactivation(0, 1) <= 0, sympy.Eq(S.x(1), 2))), (0, True))),
]


@pytest.mark.parametrize("text, expected", HAND_WRITTEN, ids=[case[0] for case in HAND_WRITTEN])
def test_hand_written_latex(text, expected):
    parsed = parse(text)
    assert sympy.simplify(parsed.doit() - sympy.sympify(expected).doit()) == 0
    assert_equivalent(parsed, expected)


def test_piecewise_is_a_sympy_piecewise_with_a_relation():
    parsed = parse(r"\begin{cases} 1 & \text{for}\: v^{0}_{1} > 0 \\0 & \text{otherwise} \end{cases}")
    assert isinstance(parsed, sympy.Piecewise)
    assert parsed.args[0].cond == sympy.StrictGreaterThan(S.preactivation(0, 1), 0)
    assert parsed.args[1].cond == sympy.true


NOTATIONS = [
    # (network, text, expected): index base and convention applied
    (NET_COLUMN_1, r"w^{1}_{3,2}", S.weight(0, 1, 2)),
    (NET_COLUMN_1, r"w^1_{32}", S.weight(0, 1, 2)),
    (NET_COLUMN_1, r"W1[3][2]", S.weight(0, 1, 2)),
    (NET_COLUMN_1, r"w^{2}_{1,3}", S.weight(1, 2, 0)),
    (NET_COLUMN_1, r"x_{1} + x_2", S.x(0) + S.x(1)),
    (NET_COLUMN_1, r"\hat{y}^{2}_{1}", S.activation(1, 0)),
    (NET_COLUMN_1, r"\hat{y}_{2}", S.activation(1, 1)),
    (NET_COLUMN_1, r"y^{1}_{3}", S.activation(0, 2)),
    (NET_COLUMN_1, r"b^{2}_{2} + v^1_1 + \delta^{2}_{1}", S.bias(1, 1) + S.preactivation(0, 0) + S.delta(1, 0)),
    (NET_COLUMN_1, "yhat[2] + y[1] + d2[1] + b1[3] + l[2]",
     S.activation(1, 1) + S.target(0) + S.delta(1, 0) + S.bias(0, 2) + S.loss_term(1)),
    (NET_COLUMN_0, r"w^{0}_{2,1}", S.weight(0, 1, 2)),
    (NET_COLUMN_0, r"W0[2][1]", S.weight(0, 1, 2)),
    (NET_ROW_1, r"w^{3}_{1,2}", S.weight(2, 0, 1)),
    (NET_ROW_1, r"\hat{y}_{1}", S.activation(2, 0)),
    (NET_ROW_1, "W2[4][3]", S.weight(1, 3, 2)),
    (NET_SINGLE, r"w_{00}", S.weight(0, 0, 0)),
    (NET_SINGLE, r"x_0 w_{00} + b_0", S.x(0) * S.weight(0, 0, 0) + S.bias(0, 0)),
    (NET_SINGLE, r"\frac{1}{1 + e^{-v_0}}", sigmoid(S.preactivation(0, 0))),
    (NET_SINGLE, r"\hat{y}_0 + \delta_0", S.activation(0, 0) + S.delta(0, 0)),
    (NET_SINGLE, "W[0][0] + b[0] + v[0] + yhat[0]",
     S.weight(0, 0, 0) + S.bias(0, 0) + S.preactivation(0, 0) + S.activation(0, 0)),
    (NET_SINGLE, r"(y_0 - \hat{y}_0)^2", (S.target(0) - S.activation(0, 0)) ** 2),
]


@pytest.mark.parametrize("network, text, expected", NOTATIONS, ids=[case[1] for case in NOTATIONS])
def test_notation_options(network, text, expected):
    assert parse_expression(text, network) == expected


# ---- plain ASCII ----------------------------------------------------------------------------------
ASCII = [
    ("x[0]", S.x(0)),
    ("y[0]", S.target(0)),
    ("W0[1][2]", S.weight(0, 1, 2)),
    ("w0[1][2]", S.weight(0, 1, 2)),
    ("W0[1,2]", S.weight(0, 1, 2)),
    ("b0[1]", S.bias(0, 1)),
    ("v0[1]", S.preactivation(0, 1)),
    ("y0[2]", S.activation(0, 2)),
    ("y1[0]", g),
    ("yhat[0]", g),
    ("yhat1[0]", g),
    ("d1[0]", S.delta(1, 0)),
    ("delta1[0]", S.delta(1, 0)),
    ("l[1]", S.loss_term(1)),
    ("L", S.LOSS),
    ("E", sympy.E),
    ("sigmoid(v1[0])", sigmoid(v10)),
    ("sigma(v1[0])", sigmoid(v10)),
    ("exp(-v1[0])", sympy.exp(-v10)),
    ("1/(1 + exp(-v1[0]))", sigmoid(v10)),
    ("log(yhat[0])", sympy.log(g)),
    ("ln(yhat[0])", sympy.log(g)),
    ("tanh(v0[0])", sympy.tanh(S.preactivation(0, 0))),
    ("max(0, v0[0])", sympy.Max(0, S.preactivation(0, 0))),
    ("Max(0, v0[0], x[1])", sympy.Max(0, S.preactivation(0, 0), S.x(1))),
    ("min(0, v0[0])", sympy.Min(0, S.preactivation(0, 0))),
    ("sqrt(x[0])", sympy.sqrt(S.x(0))),
    ("x[0]^2", S.x(0) ** 2),
    ("x[0]**2", S.x(0) ** 2),
    ("x[0]**-1", 1 / S.x(0)),
    ("2*x[0]/3", 2 * S.x(0) / 3),
    ("-(y[0] - yhat[0])*yhat[0]*(1 - yhat[0])", -(t0 - g) * DERIVATIVE),
    ("-2*(y[0] - y1[0])/3", sympy.Rational(-2, 3) * (t0 - g)),
    ("l[0] + l[1]", S.loss_term(0) + S.loss_term(1)),
    ("Piecewise((1, v0[1] > 0), (0, True))", sympy.Piecewise((1, S.preactivation(0, 1) > 0), (0, True))),
    ("Piecewise((v0[1], v0[1] >= 0), (v0[1]/100, True))",
     sympy.Piecewise((S.preactivation(0, 1), S.preactivation(0, 1) >= 0), (S.preactivation(0, 1) / 100, True))),
    ("d1[0]*W1[2][0] + d1[1]*W1[2][1]", S.delta(1, 0) * S.weight(1, 2, 0) + S.delta(1, 1) * S.weight(1, 2, 1)),
]


@pytest.mark.parametrize("text, expected", ASCII, ids=[case[0] for case in ASCII])
def test_ascii(text, expected):
    parsed = parse(text)
    assert parsed == expected or sympy.simplify(parsed - expected) == 0


def test_ascii_and_latex_agree():
    latex = r"-\frac{2}{2}\left(y_{0} - \hat{y}^{1}_{0}\right)\hat{y}^{1}_{0}\left(1-\hat{y}^{1}_{0}\right)y^{0}_{2}"
    ascii_text = "-(y[0] - yhat[0]) * yhat[0] * (1 - yhat[0]) * y0[2]"
    assert sympy.expand(parse(latex) - parse(ascii_text)) == 0


# ---- errors -----------------------------------------------------------------------------------
ERRORS = [
    # (network, text, fragments every message must contain)
    (NET, r"w^{5}_{0,0}", ["position 0", "layer 5 is out of range", "valid layers: 0..1"]),
    (NET, r"x_0 + w^{2}_{0,0}", ["position 6", "layer 2 is out of range", "0..1", "w^{2}_{0,0}"]),
    (NET, "x_{7}", ["position 1", "index 7 is out of range", "valid: 0..1"]),
    (NET, "x[2]", ["index 2 is out of range", "valid: 0..1"]),
    (NET, r"w^{0}_{0,5}", ["index 2 (5) is out of range", "valid: 0..2"]),
    (NET, "W0[2][0]", ["index 1 (2) is out of range", "valid: 0..1"]),
    (NET, r"\hat{y}_{2}", ["index 2 is out of range", "valid: 0..1"]),
    (NET, r"\delta^{1}_{5}", ["index 5 is out of range"]),
    (NET_COLUMN_1, r"w^{1}_{4,1}", ["index 1 (4) is out of range", "valid: 1..3"]),
    (NET_COLUMN_1, r"w^{0}_{1,1}", ["layer 0 is out of range", "valid layers: 1..2"]),
    (NET_COLUMN_1, "x[0]", ["index 0 is out of range", "valid: 1..2"]),
    (NET, r"w_{0,1}", ["position 0", "missing layer superscript", "0..1"]),
    (NET, r"b_{0}", ["missing layer superscript"]),
    (NET, r"w^{0}_{123}", ["takes 2 index(es), got 1 (write _{i,j})"]),
    (NET, "W0[0]", ["takes 2 index(es), got 1 (write [i][j])"]),
    (NET, "x[0][0]", ["x takes 1 index(es), got 2 in 'x[0][0]'"]),
    (NET, "d[0]", ["missing layer superscript", "write e.g. d0[0]"]),
    (NET, r"\delta_{0}", ["write e.g. \\delta^{0}_{0}"]),
    (NET_ROW_1, r"w_{1,1}", ["layers 1..3", "write e.g. w^{1}_{1,1}"]),
    (NET, r"w^{0}_{1,2,0}", ["takes 2 index(es), got 3"]),
    (NET, r"w^{x_0}_{0,0}", ["layer superscript must be a whole number"]),
    (NET, r"w^{0}", ["missing index"]),
    (NET, "x", ["missing index"]),
    (NET, r"x_0 + \foo", ["position 6", "unknown command '\\foo'"]),
    (NET, r"\text{hello}", ["position 0", "unknown command"]),
    (NET, "x_{0} + }", ["position 8", "closes nothing"]),
    (NET, "(x_0", ["position 0", "never closed"]),
    (NET, r"\frac{1}{x_0", ["position 8", "never closed"]),
    (NET, "x_0 +", ["position 5", "unexpected end of input"]),
    (NET, "x_0 + * x_1", ["position 6", "unexpected '*'"]),
    (NET, "(x_0]", ["position 4", "unexpected"]),
    (NET, "3 $ 4", ["position 2", "unexpected character '$'"]),
    (NET, "", ["position 0", "empty expression"]),
    (NET, "   ", ["empty expression"]),
    (NET, "1/0", ["position 1", "division by zero"]),
    (NET, r"x_0/(x_1 - x_1)", ["position 3", "division by zero"]),
    (NET, r"\frac{1}{0}", ["position 0", "division by zero"]),
    (NET, r"\log(0)", ["undefined"]),
    (NET, r"0^{-1}", ["division by zero"]),
    (NET, r"x^{999999999}", ["position 1", "exponent 999999999 too large", "100"]),
    (NET, r"x_0^{999999999}", ["exponent 999999999 too large"]),
    (NET, r"10^{10^{10}}", ["position 2", "too large"]),
    (NET, r"e^{1000}", ["exponent 1000 too large"]),
    (NET, r"x_0^{-101}", ["exponent -101 too large"]),
    (NET, r"((9^{99})^{99})^{99}", ["number too large"]),
    (NET, "2^100^100", ["unexpected"]),
    (NET, "1" * 40, ["more than 30 digits"]),
    (NET, "1e-0101", ["number exponent '-0101' too large"]),
    (NET, "1e500", ["number exponent '500' too large"]),
    (NET, "1e" + "9" * 5000, ["number exponent '9999999999...' too large"]),
    (NET, "x[" + "9" * 5000 + "]", ["position 1", "index too long"]),
    (NET, "W" + "9" * 5000 + "[0][0]", ["layer number too long"]),
    (NET, r"\ln " * 21 + "x_0", ["position 80", "functions nested deeper than 20 levels"]),
    (NET, r"\sigma\left(" * 21 + "x_0" + r"\right)" * 21, ["functions nested deeper than 20 levels"]),
    (NET, r"\max(" + ", ".join(["x_0"] * 17) + ")", ["takes 2 to 16 argument(s), got 17"]),
    (NET, r"\begin{cases}" + r"1 & x_0 > 0 \\" * 17 + r"0 & \text{otherwise}\end{cases}", ["more than 16 cases"]),
    (NET, r"\begin{cases} 1 & " + r" \wedge ".join(["x_0 > 0"] * 17) + r"\end{cases}", ["more than 16 conditions"]),
    (NET, r"\frac{1}{99991}" * 400, ["number too large"]),
    (NET, "z_0", ["position 0", "unknown name 'z'"]),
    (NET, "xy", ["unknown name 'xy'"]),
    (NET, "e_{0}", ["takes no index"]),
    (NET, "L[0]", ["takes no index"]),
    (NET, "x2[0]", ["takes no layer number"]),
    (NET, "e^-x[0]", ["missing index"]),
    (NET, r"x_{0}^{2}^{3}", ["double superscript"]),
    (NET, r"x_{0}_{1}", ["double subscript"]),
    (NET, r"W0^{1}[0][0]", ["layer given twice"]),
    (NET, r"\max(x_0)", ["takes 2 to 16 argument(s), got 1"]),
    (NET, r"\exp(x_0, x_1)", ["takes 1 argument(s), got 2"]),
    (NET, "x_0 = 1", ["position 4", "unexpected '='"]),
    (NET, r"\begin{cases} 1 & v^0_0 > 0 \end{cases} + \begin{cases} 1 & 0 > 1 \end{cases}", ["can hold"]),
    (NET, r"\max(\log(-1), 0)", ["cannot build this expression"]),
    (NET, r"\begin{cases} 1 & \sqrt{-1} > 0 \\ 0 & \text{otherwise}\end{cases}", ["position 28", "non-real"]),
]


@pytest.mark.parametrize("network, text, fragments", ERRORS, ids=[case[1][:40] for case in ERRORS])
def test_errors_name_the_problem_and_its_position(network, text, fragments):
    with pytest.raises(LatexParseError) as caught:
        parse_expression(text, network)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("cannot parse expression")
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_non_string_input():
    with pytest.raises(LatexParseError, match="expected a string, got int"):
        parse_expression(3, NET)


def _error(text):
    with pytest.raises(LatexParseError) as caught:
        parse(text)
    return str(caught.value)


def test_100_kb_string_is_refused():
    message = _error("x_0 + " * 17_000)
    assert "expression too long (102000 characters; the limit is 20000)" in message


def test_10000_nested_braces_are_refused():
    message = _error("{" * 10_000 + "x_0")
    assert "brackets nested deeper than 50 levels" in message
    assert "position 50" in message


def test_1500_balanced_nested_brackets_are_refused():
    message = _error(r"\left(" * 1_500 + "x_0" + r"\right)" * 1_500)
    assert "position 305: brackets nested deeper than 50 levels" in message  # the 51st '(' of \left(


def test_10000_unbalanced_braces_are_refused():
    message = _error("{" * 10_000)
    assert "nested deeper" in message


@pytest.mark.parametrize("text, problem", [
    ("-" * 19_000 + "x_0", "expression nested deeper than 250 levels"),
    (r"\ln " * 4_000 + "x_0", "functions nested deeper than 20 levels"),
    ("x_0" + "^{x_0" * 60 + "}" * 60, "brackets nested deeper than 50 levels"),
    ("x_0 " * 4_000, "exponent 4000 too large"),
    ("9^{99}" * 3_000, "number too large"),
], ids=["unary", "ln", "powers", "product", "numbers"])
def test_long_chains_are_refused(text, problem):
    message = _error(text)
    assert problem in message


def test_largest_allowed_expression_parses():
    text = " + ".join(rf"w^{{0}}_{{{k % 2},{k % 3}}} x_{{{k % 2}}}" for k in range(700))
    assert len(text) < limits.MAX_LENGTH
    parsed = parse(text)
    assert parsed.free_symbols == {S.weight(0, i, j) for i in range(2) for j in range(3)} | {S.x(0), S.x(1)}


def test_deep_but_allowed_nesting_parses():
    depth = limits.MAX_NESTING
    text = "(" * depth + "x_0" + ")" * depth
    assert parse(text) == S.x(0)


# ---- structure and safety of the module --------------------------------------------------------
def test_parser_is_built_once():
    assert expression_parser._parser() is expression_parser._parser()


def test_grammar_is_lalr_without_conflicts():
    from lark import logger as lark_logger

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    old_level = lark_logger.level
    lark_logger.addHandler(handler)
    lark_logger.setLevel(logging.DEBUG)
    try:
        parser = expression_parser.build_parser(debug=True)
    finally:
        lark_logger.removeHandler(handler)
        lark_logger.setLevel(old_level)
    assert parser.options.parser == "lalr"
    assert not [r for r in records if "conflict" in r.getMessage().lower()]


def test_user_text_never_reaches_eval_or_sympify():
    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in Path(expression_parser.__file__).parent.glob("*.py"))
    assert "class _Builder" in source and "class WrittenSymbol" in source
    for forbidden in (r"\beval\(", r"\bexec\(", r"sympify", r"\bparse_expr\b", r"sympy\.parsing", r"__import__"):
        assert not re.search(forbidden, source), forbidden


def test_every_function_in_the_table_parses_in_both_spellings():
    for name, function in expression_parser.FUNCTIONS.items():
        arguments = ", ".join(["x[0]", "x[1]"][:function.min_args])
        latex = parse(rf"\{name}\left({arguments.replace('x[0]', 'x_0').replace('x[1]', 'x_1')}\right)")
        ascii_value = parse(f"{name}({arguments})")
        assert latex == ascii_value == function.build(*[S.x(0), S.x(1)][:function.min_args])


# ---- fuzzing --------------------------------------------------------------------------------------
TOKENS = ["x_", "y", "w", "^", "_", "{", "}", "(", ")", "[", "]", "0", "1", "12", ",", "+", "-", "*", "/",
          r"\frac", r"\hat{y}", r"\sigma", r"\exp", r"\log", r"\left(", r"\right)", r"\max", r"\cdot", " ",
          "e", ".", "&", r"\\", r"\begin{cases}", r"\end{cases}", r"\text{for}", ">", "W0", "[0]", "yhat",
          "**", "Piecewise", "True", r"\delta", r"\foo", "9", "99", r"\,"]
VALID = [tex(expr, NET) for _, expr in printed_expressions(NET)][:60]


def _parses_or_fails_cleanly(text):
    try:
        result = parse(text)
    except LatexParseError as err:
        assert "\n" not in str(err)
        assert str(err).startswith("cannot parse expression")
    else:
        assert isinstance(result, sympy.Expr)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=300))
def test_fuzz_random_text(text):
    _parses_or_fails_cleanly(text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_fuzz_random_tokens(text):
    _parses_or_fails_cleanly(text)


@st.composite
def mutated(draw):
    """A valid printed expression with a few characters inserted, deleted or replaced."""
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "replace"]))
        char = draw(st.sampled_from(list("{}()[]^_\\,.-+*/&0123456789xywbvle ") + ["\\left(", "\\right)"]))
        if operation == "insert":
            text = text[:position] + char + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + 1:]
        else:
            text = text[:position] + char + text[position + 1:]
    return text


@FUZZ
@given(mutated())
def test_fuzz_mutated_printed_expressions(text):
    _parses_or_fails_cleanly(text)


def test_error_positions_point_into_the_text():
    for text in ["x_0 + }", r"x_0 \bar", "x_0 + + +", "x_{9}", r"\frac{1}{2"]:
        with pytest.raises(LatexParseError) as caught:
            parse(text)
        position = int(re.search(r"position (\d+)", str(caught.value)).group(1))
        assert 0 <= position <= len(text)
