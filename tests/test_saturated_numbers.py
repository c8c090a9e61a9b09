"""Numbers at saturated units, through the generated engine, against mpmath at 50 digits."""
import mpmath
import pytest

from symbackprop import derive
from symbackprop.model.spec import spec_from_dict

REL = 1e-12


@pytest.fixture(autouse=True)
def fifty_digits():
    """Every reference below computed with 50 significant digits (mpmath's precision restored afterwards)."""
    with mpmath.workdps(50):
        yield


def one_unit(activation: str, loss: str, v: float, y: list[float], width: int = 1):
    """Numbers of a network with one input x = 1 and pre-activations v (and -v for a second unit)."""
    weights = [[v, -v][:width]]
    spec = spec_from_dict({"network": {"layers": [1, width], "activations": activation, "loss": loss},
                           "values": {"x": [1.0], "y": y, "W0": weights, "b0": [0.0] * width}})
    return derive(spec).evaluate()


def sigma(v):
    return 1 / (1 + mpmath.exp(-v))


def close(got: float, want) -> bool:
    return got == pytest.approx(float(want), rel=REL, abs=0.0)


@pytest.mark.parametrize("v", [20.0, 40.0, -40.0])
def test_sigmoid_and_its_derivative(v):
    numbers = one_unit("sigmoid", "mse", v, [0.5])
    s = sigma(mpmath.mpf(v))
    assert close(numbers["y0[0]"], s)
    assert close(numbers["dy0[0]/dv0[0]"], s * (1 - s))
    assert numbers["dy0[0]/dv0[0]"] > 0


def test_tanh_derivative_at_25():
    numbers = one_unit("tanh", "half_sse", 25.0, [0.0])
    assert close(numbers["dy0[0]/dv0[0]"], mpmath.sech(25) ** 2)
    assert close(numbers["dL/dW0[0][0]"], mpmath.tanh(25) * mpmath.sech(25) ** 2)


@pytest.mark.parametrize("v, y", [(30.0, 0.0), (30.0, 1.0), (-35.0, 1.0), (30.0, 0.25)])
def test_sigmoid_with_bce_on_a_saturated_unit(v, y):
    numbers = one_unit("sigmoid", "bce", v, [y])
    p = sigma(mpmath.mpf(v))
    term = -(y * mpmath.log(p) + (1 - y) * mpmath.log(1 - p))
    assert close(numbers["l[0]"], term) and close(numbers["L"], term)
    assert close(numbers["dL/dy0[0]"], -(y / p - (1 - y) / (1 - p)))
    assert close(numbers["dL/dv0[0]"], p - y) and close(numbers["dL/db0[0]"], p - y)


@pytest.mark.parametrize("y", [[1.0, 0.0], [0.0, 1.0], [0.3, 0.7]])
def test_softmax_with_cce_on_saturated_units(y):
    numbers = one_unit("softmax", "cce", 20.0, y, width=2)  # v = (20, -20)
    v = [mpmath.mpf(20), mpmath.mpf(-20)]
    total = sum(mpmath.exp(u) for u in v)
    p = [mpmath.exp(u) / total for u in v]
    for k in range(2):
        assert close(numbers[f"y0[{k}]"], p[k])
        assert close(numbers[f"l[{k}]"], -y[k] * mpmath.log(p[k]))
        assert close(numbers[f"dL/dv0[{k}]"], p[k] - y[k])
    assert close(numbers["dy0[0]/dv0[1]"], -p[0] * p[1])
