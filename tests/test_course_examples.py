"""The course's own worked numbers, computed here by hand, against the tool."""
import math

import pytest

from symbackprop import derive
from symbackprop.numeric.values import quantity_values
from symbackprop.model.spec import load_spec, parse_spec

from .specs import SINGLE_NEURON



def test_single_neuron_matches_the_lecture_to_four_decimals():
    spec = parse_spec(SINGLE_NEURON)
    values = quantity_values(spec.network, spec.values)
    assert round(values["v0[0]"], 4) == 0.32
    assert round(values["y0[0]"], 4) == 0.5793
    assert round(values["L"], 4) == 0.1770
    assert round(values["dL/dW0[0][0]"], 4) == -0.1435
    assert round(values["dL/db0[0]"], 4) == -0.2050


def test_single_neuron_values_against_hand_formulas():
    spec = parse_spec(SINGLE_NEURON)
    values = quantity_values(spec.network, spec.values)
    v = 0.7 * 0.1 + 0.25
    yhat = 1 / (1 + math.exp(-v))
    assert values["dL/dy0[0]"] == pytest.approx(-2 * (1 - yhat))
    assert values["dy0[0]/dv0[0]"] == pytest.approx(yhat * (1 - yhat))
    assert values["dv0[0]/dW0[0][0]"] == pytest.approx(0.7)
    assert values["dL/dW0[0][0]"] == pytest.approx(-2 * (1 - yhat) * yhat * (1 - yhat) * 0.7)


def test_single_neuron_closed_form_is_written_as_the_lecture_writes_it():
    derivation = derive(parse_spec(SINGLE_NEURON))
    assert derivation.chain("dL/db0[0]") == ["dL/dy0[0]", "dy0[0]/dv0[0]", "dv0[0]/db0[0]"]
    assert derivation.latex()["dL/db0[0]"] == (
        r"- 2 \left(y_{0} - \hat{y}^{0}_{0}\right) \hat{y}^{0}_{0} \left(1 - \hat{y}^{0}_{0}\right)")
    assert derivation.latex()["dL/dW0[0][0]"] == (
        r"- 2 \left(y_{0} - \hat{y}^{0}_{0}\right) \hat{y}^{0}_{0} \left(1 - \hat{y}^{0}_{0}\right) x_{0}")
    assert derivation.latex()["dy0[0]/dv0[0]"] == r"\hat{y}^{0}_{0} \left(1 - \hat{y}^{0}_{0}\right)"


def test_default_is_the_course_232_network_with_one_step():
    spec = load_spec()
    assert spec.network.layers == (2, 3, 2)
    assert spec.network.activations == ("sigmoid", "sigmoid")
    assert spec.network.loss == "mse"
    assert spec.training.learning_rate == 0.5 and spec.training.steps == 1


def test_hidden_gradient_shows_the_sum_over_next_layer_units():
    derivation = derive(load_spec())
    assert derivation.chain("dL/dW0[1][2]") == ["dL/dy0[2]", "dy0[2]/dv0[2]", "dv0[2]/dW0[1][2]"]
    assert derivation.latex()["dL/dy0[2]"] == r"\delta^{1}_{0} w^{1}_{2,0} + \delta^{1}_{1} w^{1}_{2,1}"
    assert derivation.latex()["dL/dW0[1][2]"] == (
        r"\left(\delta^{1}_{0} w^{1}_{2,0} + \delta^{1}_{1} w^{1}_{2,1}\right) y^{0}_{2} "
        r"\left(1 - y^{0}_{2}\right) x_{1}")


def test_training_step_updates_by_learning_rate_times_gradient():
    spec = load_spec()
    values = quantity_values(spec.network, spec.values, spec.training)
    for name in ("W0[1][2]", "W1[2][0]", "b0[0]", "b1[1]"):
        assert values[f"step1.{name}"] == pytest.approx(values[name] - 0.5 * values[f"dL/d{name}"])
    assert values["step1.L"] < values["L"]


def test_momentum_follows_rumelhart_equation_nine():
    spec = parse_spec(SINGLE_NEURON + "[training]\nlearning_rate = 0.5\nmomentum = 0.9\nsteps = 2\n")
    values = quantity_values(spec.network, spec.values, spec.training)
    w, b = 0.1, 0.25

    def grads(w, b):
        yhat = 1 / (1 + math.exp(-(0.7 * w + b)))
        delta = -2 * (1 - yhat) * yhat * (1 - yhat)
        return delta * 0.7, delta, (1 - yhat) ** 2

    gw, gb, _ = grads(w, b)
    dw, db = -0.5 * gw, -0.5 * gb
    w, b = w + dw, b + db
    assert values["step1.W0[0][0]"] == pytest.approx(w)
    gw, gb, _ = grads(w, b)
    dw, db = -0.5 * gw + 0.9 * dw, -0.5 * gb + 0.9 * db
    w, b = w + dw, b + db
    assert values["step2.W0[0][0]"] == pytest.approx(w)
    assert values["step2.b0[0]"] == pytest.approx(b)
    assert values["step2.L"] == pytest.approx(grads(w, b)[2])


def test_relu_derivative_is_zero_at_zero_like_pytorch():
    spec = parse_spec("""
[network]
layers = [1, 1, 1]
activations = ["relu", "linear"]
loss = "half_sse"
[values]
x = [1.0]
y = [1.0]
W0 = [[0.5]]
b0 = [-0.5]
W1 = [[2.0]]
b1 = [0.0]
""")
    values = quantity_values(spec.network, spec.values)
    assert values["v0[0]"] == 0.0
    assert values["dy0[0]/dv0[0]"] == 0.0
    assert values["dL/dW0[0][0]"] == 0.0


def test_column_convention_and_index_base_one_name_the_matrix_as_written():
    spec = parse_spec("""
[network]
layers = [2, 3]
activations = "linear"
loss = "sse"
convention = "column"
index_base = 1
[values]
x = [1.0, 2.0]
y = [0.0, 0.0, 0.0]
W1 = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
b1 = [0.0, 0.0, 0.0]
""")
    values = quantity_values(spec.network, spec.values)
    assert values["W1[3][2]"] == 6.0  # row 3, column 2 of the matrix as written (n_out x n_in)
    assert values["v1[3]"] == 5.0 * 1.0 + 6.0 * 2.0
    assert values["dL/dW1[3][2]"] == pytest.approx(2 * values["v1[3]"] * 2.0)
    derivation = derive(spec)
    assert derivation.latex()["dL/dW1[3][2]"] == r"- 2 \left(y_{3} - \hat{y}^{1}_{3}\right) x_{2}"
    assert derivation.tex(derivation.expression("W1[3][2]")) == "w^{1}_{3,2}"
    assert derivation.gradient("W", 0).shape == (3, 2)
