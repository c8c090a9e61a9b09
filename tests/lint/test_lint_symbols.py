"""Written symbols read as quantity names: the course notation, hand-written variants and a spec's table."""
import pytest

from symbackprop.lint.symbols import SymbolReader
from symbackprop.model.spec import Network

SINGLE = Network(layers=(1, 1), activations=("sigmoid",), loss="mse")
COURSE = Network(layers=(2, 3, 2), activations=("sigmoid", "sigmoid"), loss="mse")


@pytest.mark.parametrize("written, name", [
    ("w_{00}", "W0[0][0]"), ("w_{0,0}", "W0[0][0]"), ("w^{0}_{00}", "W0[0][0]"), ("w^0_{0,0}", "W0[0][0]"),
    ("b_0", "b0[0]"), ("v_0", "v0[0]"), ("y_0", "y0[0]"), (r"\hat{y}", "y0[0]"), (r"\hat y_0", "y0[0]"),
    ("y", "y[0]"), ("x_0", "x[0]"), ("x", "x[0]"), ("L", "L"), ("MSE", "L"), ("E", "L"), ("E_{total}", "L"),
    (r"\delta_0", "dL/dv0[0]"), (r"\frac{\partial L}{\partial w_{00}}", "dL/dW0[0][0]"),
    (r"\partial L / \partial b_0", "dL/db0[0]"), ("∂L/∂w_{00}", "dL/dW0[0][0]"),
    (r"\frac{\partial y_0}{\partial v_0}", "dy0[0]/dv0[0]"), (r"\frac{\partial v_0}{\partial w_{00}}",
                                                               "dv0[0]/dW0[0][0]"),
    (r"\dfrac{\partial E_{total}}{\partial \hat{y}}", "dL/dy0[0]"),
    ("w_{01}", None), ("z_0", None), ("w_{00}'", None), (r"\frac{\partial L}{\partial q}", None), ("", None),
])
def test_single_neuron_variants(written, name):
    assert SymbolReader(SINGLE).name(written) == name


@pytest.mark.parametrize("written, name", [
    ("w^{1}_{2,0}", "W1[2][0]"), ("w^{(0)}_{12}", "W0[1][2]"), ("w_{00}", None), ("y_1", "y[1]"),
    (r"\hat{y}^{1}_{0}", "y1[0]"), (r"\hat{y}_1", "y1[1]"), ("y^0_2", "y0[2]"), (r"\delta^{1}_{0}", "dL/dv1[0]"),
    (r"\frac{\partial L}{\partial \hat{y}^{1}_{0}}", "dL/dy1[0]"), ("l_1", "l[1]"), ("b^{1}_{2}", None),
    ("v^{0}_{2}", "v0[2]"), (r"\frac{\partial L}{\partial w^{0}_{1,2}}", "dL/dW0[1][2]"),
])
def test_course_network_variants(written, name):
    assert SymbolReader(COURSE).name(written) == name


def test_spec_table_wins_and_feeds_derivatives():
    reader = SymbolReader(SINGLE, {"y_0": "y[0]", "out_{o1}": "y0[0]", "net_{o1}": "v0[0]"})
    assert reader.name("y_0") == "y[0]"
    assert reader.name("y_{0}") == "y[0]"
    assert reader.name(r"\frac{\partial out_{o1}}{\partial net_{o1}}") == "dy0[0]/dv0[0]"
