"""The entries' stable forms, lambdified with NumPy, against mpmath at 400 digits on saturated units."""
import mpmath
import numpy as np
import pytest
import sympy

from symbackprop.model import functions

mpmath.mp.dps = 400  # enough that 1 - σ(300) keeps its digits
RELATIVE = 1e-12
v_, y_ = sympy.symbols("v y", real=True)


def close(got, exact) -> bool:
    """got within 1e-12 relative of the mpmath value (exactly 0 when the value is 0), and finite."""
    exact = mpmath.mpf(exact)
    return bool(np.isfinite(got)) and abs(mpmath.mpf(float(got)) - exact) <= RELATIVE * abs(exact)


def numeric(expression, *symbols):
    """A float function of floats, evaluated with overflow and invalid operations raising."""
    function = sympy.lambdify(symbols, expression, modules="numpy")

    def call(*values):
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return function(*[np.float64(value) for value in values])
    return call


def exact_sigmoid(v):
    return 1 / (1 + mpmath.exp(-mpmath.mpf(v)))


@pytest.mark.parametrize("v", [-40, -20, -0.5, 0, 0.5, 20, 40, 300, -300])
def test_sigmoid_and_its_derivative(v):
    entry = functions.ACTIVATIONS["sigmoid"]
    s = exact_sigmoid(v)
    assert close(numeric(entry.stable(v_), v_)(v), s)
    assert close(numeric(entry.stable_derivative(v_), v_)(v), s * (1 - s))


def test_the_textbook_form_loses_what_the_stable_form_keeps():
    entry = functions.ACTIVATIONS["sigmoid"]
    textbook = numeric(entry.derivative(v_, entry.expression(v_)), v_)
    assert textbook(40) == 0.0  # g(1 - g) with g rounded to 1
    assert numeric(entry.stable_derivative(v_), v_)(40) > 4.2e-18


@pytest.mark.parametrize("v", [-25, -3, 0.25, 25, 300])
def test_tanh_and_its_derivative(v):
    entry = functions.ACTIVATIONS["tanh"]
    t = mpmath.tanh(v)
    assert close(numeric(entry.stable(v_), v_)(v), t)
    assert close(numeric(entry.stable_derivative(v_), v_)(v), 1 / mpmath.cosh(v) ** 2)


@pytest.mark.parametrize("name, v, exact", [("relu", 2.5, 2.5), ("relu", -2.5, 0), ("leaky_relu", -2.0, -0.02),
                                            ("linear", -7.25, -7.25)])
def test_piecewise_activations_are_their_own_stable_form(name, v, exact):
    entry = functions.ACTIVATIONS[name]
    assert numeric(entry.stable(v_, slope=0.01), v_)(v) == pytest.approx(exact, abs=0)


def output_functions(activation, loss, width, n):
    """Float functions (ŷ, l, dL/dŷ, δ) -> lists, from output_forms over `width` symbols."""
    ys, vs = sympy.symbols(f"y:{width}", real=True), sympy.symbols(f"v:{width}", real=True)
    forms = functions.output_forms(functions.ACTIVATIONS[activation], functions.LOSSES[loss],
                                   list(ys), list(vs), n, slope=0.01)
    return {part: numeric(getattr(forms, part), *ys, *vs) for part in ("outputs", "terms", "d_outputs", "deltas")}


@pytest.mark.parametrize("v", [-40, -20, -1.5, 0.75, 20, 40])
@pytest.mark.parametrize("y", [0, 1, 0.3])
def test_sigmoid_bce_on_saturated_units(v, y):
    n = 2
    forms = output_functions("sigmoid", "bce", 1, n)
    s = exact_sigmoid(v)
    loss = -(y * mpmath.log(s) + (1 - y) * mpmath.log(1 - s)) / n
    assert close(forms["outputs"](y, v)[0], s)
    assert close(forms["terms"](y, v)[0], loss)
    assert close(forms["d_outputs"](y, v)[0], -(y / s - (1 - y) / (1 - s)) / n)
    assert close(forms["deltas"](y, v)[0], (s - y) / n)


def exact_softmax(vs):
    powers = [mpmath.exp(mpmath.mpf(v)) for v in vs]
    return [p / sum(powers) for p in powers]


@pytest.mark.parametrize("vs", [(40, 0, -40), (-40, 0, 40), (1, 2, 3), (20, 20, -20), (0, 0, 0)])
@pytest.mark.parametrize("ys", [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0.2, 0.3, 0.5)])
def test_softmax_cce_on_saturated_units(vs, ys):
    forms = output_functions("softmax", "cce", 3, 3)
    p = exact_softmax(vs)
    for k in range(3):
        assert close(forms["outputs"](*ys, *vs)[k], p[k])
        assert close(forms["terms"](*ys, *vs)[k], -ys[k] * mpmath.log(p[k]))
        assert close(forms["d_outputs"](*ys, *vs)[k], -ys[k] / p[k])
        assert close(forms["deltas"](*ys, *vs)[k], p[k] * sum(ys) - ys[k])


def test_softmax_cce_far_beyond_float_range_stays_finite():
    forms = output_functions("softmax", "cce", 3, 3)
    vs, ys = (800, 0, -800), (0, 0, 1)
    assert close(forms["terms"](*ys, *vs)[2], 1600)
    assert close(forms["deltas"](*ys, *vs)[0], 1)
    assert close(forms["deltas"](*ys, *vs)[2], -1)


@pytest.mark.parametrize("activation, loss, v, y", [("sigmoid", "mse", 20, 0), ("sigmoid", "bce", -0.5, 0.25), ("tanh", "half_sse", 25, 0.5),
                                                    ("relu", "sse", 3.5, 1), ("linear", "mse", -2, 0.5)])
def test_every_pair_gives_the_loss_and_delta(activation, loss, v, y):
    n = 2
    forms = output_functions(activation, loss, 1, n)
    exact = {"sigmoid": exact_sigmoid, "tanh": mpmath.tanh, "relu": lambda u: max(u, 0), "linear": mpmath.mpf}
    slope = {"sigmoid": lambda u: exact_sigmoid(u) * (1 - exact_sigmoid(u)), "tanh": lambda u: 1 / mpmath.cosh(u) ** 2,
             "relu": lambda u: 1, "linear": lambda u: 1}
    p = exact[activation](v)
    d_output = {"mse": -2 * (y - p) / n, "half_sse": -(y - p), "sse": -2 * (y - p),
                "bce": -(y / p - (1 - y) / (1 - p)) / n}[loss]
    term = {"mse": (y - p) ** 2 / n, "half_sse": (y - p) ** 2 / 2, "sse": (y - p) ** 2,
            "bce": -(y * mpmath.log(p) + (1 - y) * mpmath.log(1 - p)) / n}[loss]
    assert close(forms["terms"](y, v)[0], term)
    assert close(forms["deltas"](y, v)[0], d_output * slope[activation](v))


def test_softmax_with_mse_uses_the_full_jacobian():
    forms = output_functions("softmax", "mse", 3, 3)
    vs, ys = (0.5, -1.0, 2.0), (0.0, 1.0, 0.0)
    p = exact_softmax(vs)
    upstream = [-2 * (ys[k] - p[k]) / 3 for k in range(3)]
    for j in range(3):
        exact = sum(upstream[k] * p[k] * ((k == j) - p[j]) for k in range(3))
        assert close(forms["deltas"](*ys, *vs)[j], exact)


ELEMENTWISE = [name for name, entry in functions.ACTIVATIONS.items() if not entry.vector]


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("v", [-2.75, -0.5, 0.25, 1.5, 3.0])
def test_every_entrys_stable_forms_agree_with_its_textbook_forms(name, v):
    entry = functions.ACTIVATIONS[name]
    textbook = entry.expression(v_, slope=0.01)
    exact_g = sympy.N(textbook.subs(v_, sympy.Float(v, 30)), 30)
    exact_d = sympy.N(sympy.diff(textbook, v_).subs(v_, sympy.Float(v, 30)), 30)
    assert numeric(entry.stable(v_, slope=0.01), v_)(v) == pytest.approx(float(exact_g), rel=1e-14)
    assert numeric(entry.stable_derivative(v_, slope=0.01), v_)(v) == pytest.approx(float(exact_d), rel=1e-14)
    written = entry.derivative(v_, textbook, slope=0.01)  # the lecturer's form, with g = g(v)
    assert float(sympy.N(written.subs(v_, sympy.Float(v, 30)), 30)) == pytest.approx(float(exact_d), rel=1e-14)


PAIRS = [(a, l) for a in functions.ACTIVATIONS for l in functions.LOSSES
         if not functions.LOSSES[l].requires_output or a in functions.LOSSES[l].requires_output]


@pytest.mark.parametrize("activation, loss", PAIRS)
def test_every_pairs_output_forms_are_the_derivatives_of_its_textbook_loss(activation, loss):
    width = 3
    ys, vs = sympy.symbols(f"y:{width}", real=True), sympy.symbols(f"v:{width}", real=True)
    act, los = functions.ACTIVATIONS[activation], functions.LOSSES[loss]
    outputs = act.expression(list(vs), slope=0.01) if act.vector else [act.expression(v, slope=0.01) for v in vs]
    total = sympy.Add(*[los.term(y, p, width) for y, p in zip(ys, outputs)])
    forms = output_functions(activation, loss, width, width)
    point_v, point_y = (0.4, -1.3, 2.2), ((0.0, 1.0, 0.0) if los.targets == "distribution" else (0.2, 0.9, 0.6))
    at = {**dict(zip(vs, map(sympy.Float, point_v))), **dict(zip(ys, map(sympy.Float, point_y)))}
    for k in range(width):
        exact = float(sympy.N(sympy.diff(total, vs[k]).subs(at), 30))
        assert forms["deltas"](*point_y, *point_v)[k] == pytest.approx(exact, rel=1e-12, abs=1e-15)
    assert sum(forms["terms"](*point_y, *point_v)) == pytest.approx(float(sympy.N(total.subs(at), 30)), rel=1e-12)
