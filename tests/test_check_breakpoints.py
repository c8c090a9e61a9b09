"""No wrong "correct": piecewise claims probed on both sides of every breakpoint, leaves over a wide range,
exact differences decided exactly, and a mistake id only when that mistake reproduces the claim."""
import math

import pytest

from symbackprop.checking.claims import parse_claims
from symbackprop.checking.probe_points import breakpoints
from symbackprop.checking.verdicts import Checker
from symbackprop.model import symbols

from .specs import SINGLE_NEURON

# the course's single neuron with a ReLU: x = 0.7, w = 0.1, b = 0.25, so v = 0.32 at the spec's values
RELU = SINGLE_NEURON.replace('activations = "sigmoid"', 'activations = "relu"')
assert '"relu"' in RELU
V = 0.7 * 0.1 + 0.25

HIDDEN_RELU = """
[network]
layers = [2, 2, 1]
activations = ["relu", "sigmoid"]
loss = "mse"
[values]
x = [0.5, -0.4]
y = [1.0]
W0 = [[0.3, -0.2], [0.1, 0.4]]
b0 = [0.05, 0.1]
W1 = [[0.6], [-0.7]]
b1 = [0.1]
"""


def check(claims: dict, head: str = RELU) -> dict:
    body = "".join(f"'{name}' = '{text}'\n" for name, text in claims.items())
    parsed = parse_claims(head + "\n[claims]\n" + body)
    return {r.name: r for r in Checker(parsed.spec, parsed.tolerance).check(parsed.claims)}


@pytest.mark.parametrize("threshold", ["0.5", "0.05", "0.001", "-0.2"])
def test_a_shifted_relu_threshold_is_wrong(threshold):
    claim = rf"\begin{{cases}} 1 & v^0_0 > {threshold} \\ 0 & \text{{otherwise}} \end{{cases}}"
    result = check({"dy0[0]/dv0[0]": claim})["dy0[0]/dv0[0]"]
    assert result.verdict == "wrong", result.detail
    v = result.detail["point"]["v0[0]"]
    low, high = sorted((0.0, float(threshold)))
    assert low <= v <= high  # the counterexample lies between the two thresholds
    assert {result.detail["claimed_value"], result.detail["correct_value"]} == {0.0, 1.0}


def test_the_true_relu_derivative_in_other_spellings_is_correct():
    for claim in (r"\begin{cases} 1 & v^0_0 > 0 \\ 0 & \text{otherwise} \end{cases}",
                  r"\begin{cases} 0 & v^0_0 < 0 \\ 1 & \text{otherwise} \end{cases}",
                  "Piecewise((1, v0[0] > 0), (0, True))"):
        assert check({"dy0[0]/dv0[0]": claim})["dy0[0]/dv0[0]"].verdict == "correct", claim


def test_an_extra_piece_beyond_the_sampled_range_is_wrong():
    result = check({"y0[0]": r"\max(0, v^0_0) + \max(0, -v^0_0 - 3)"})["y0[0]"]
    assert result.verdict == "wrong"
    v = result.detail["point"]["v0[0]"]
    assert v < -3  # only there does the extra term count
    assert result.detail["claimed_value"] == pytest.approx(max(0, v) + max(0, -v - 3))
    assert result.detail["correct_value"] == pytest.approx(max(0, v))


def test_min_and_max_written_differently_are_compared_where_they_switch():
    assert check({"y0[0]": r"\max(v^0_0, 0)"})["y0[0]"].verdict == "correct"
    result = check({"y0[0]": r"\max(v^0_0, 0.01)"})["y0[0]"]
    assert result.verdict == "wrong" and result.detail["point"]["v0[0]"] < 0.01


@pytest.mark.parametrize("claim, difference", [("1 - 10^{-9}", -1e-9), ("1 + 10^{-40}", 1e-40),
                                               (r"\frac{99}{100} + \frac{1}{100} - 10^{-30}", -1e-30)])
def test_a_constant_a_hair_away_is_wrong(claim, difference):
    result = check({"dv0[0]/db0[0]": claim})["dv0[0]/db0[0]"]
    assert result.verdict == "wrong"
    assert result.detail["claimed_value"] == pytest.approx(1 + difference, rel=1e-15)
    assert result.detail["correct_value"] == 1.0
    assert result.detail["difference"] == pytest.approx(difference, rel=1e-9)


def test_a_factor_a_hair_away_is_wrong():
    result = check({"dv0[0]/dW0[0][0]": "x_0 (1 + 10^{-40})"})["dv0[0]/dW0[0][0]"]
    assert result.verdict == "wrong"
    x = result.detail["point"]["x[0]"]
    assert result.detail["difference"] == pytest.approx(x * 1e-40, rel=1e-6)


def test_a_shifted_threshold_gets_no_mistake_it_does_not_contain():
    # ∂L/∂W0[0][1] = δ0_1 x_0 with δ0_1 = ∂L/∂y0_1 · [v0_1 > 0]: the threshold moved to 0.3
    delta = r"\delta^{1}_{0} w^{1}_{1,0}"
    shifted = rf"{delta} \begin{{cases}} 1 & v^0_1 > 0.3 \\ 0 & \text{{otherwise}} \end{{cases}} x_0"
    right = rf"{delta} \begin{{cases}} 1 & v^0_1 > 0 \\ 0 & \text{{otherwise}} \end{{cases}} x_0"
    got = check({"dL/dW0[0][1]": shifted}, HIDDEN_RELU)["dL/dW0[0][1]"]
    assert got.verdict == "wrong" and got.mistake is None
    assert 0 < got.detail["point"]["v0[1]"] < 0.3
    assert check({"dL/dW0[0][1]": right}, HIDDEN_RELU)["dL/dW0[0][1]"].verdict == "correct"


def test_breakpoints_of_every_piecewise_form():
    v, x = symbols.preactivation(0, 0), symbols.x(0)
    import sympy

    found = breakpoints(sympy.Max(0, v) + sympy.Piecewise((1, v > x), (0, True)) + sympy.Abs(x - 1))
    assert set(found) == {-v, v - x, x - 1} or set(found) == {v, v - x, x - 1}


def test_wrong_claims_on_a_vanishing_gradient_are_still_wrong():
    layers = [1] * 41  # 40 sigmoid layers: δ^0 is about 0.25^40 ≈ 1e-24
    head = (f'[network]\nlayers = {layers}\nactivations = "sigmoid"\nloss = "mse"\n[values]\nx = [0.5]\ny = [0.2]\n'
            + "".join(f"W{k} = [[0.9]]\nb{k} = [0.1]\n" for k in range(40)))
    got = check({"dL/db0[0]": r"2\delta^{0}_{0}", "dL/db1[0]": r"\delta^{1}_{0}"}, head)
    assert got["dL/db0[0]"].verdict == "wrong" and got["dL/db1[0]"].verdict == "correct"
    claimed, correct = got["dL/db0[0]"].detail["claimed_value"], got["dL/db0[0]"].detail["correct_value"]
    assert abs(correct) < 1e-15 and claimed == pytest.approx(2 * correct)
    assert math.isfinite(claimed)
