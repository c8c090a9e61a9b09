"""Symbolic claims: hand-written variants, counterexamples, error carried forward, and the printer round trip."""
import math
import random

import pytest
import sympy

from symbackprop.model import symbols
from symbackprop.checking.verdicts import Checker
from symbackprop.checking.claims import parse_claims
from symbackprop import derive
from symbackprop.errors import ClaimsError, LatexParseError
from symbackprop.checking.expression_parser import parse_expression
from symbackprop.model.spec import parse_spec

from .specs import SINGLE_NEURON

HIDDEN = """
[network]
layers = [2, 3, 2]
activations = "sigmoid"
loss = "mse"
"""


def check(claims: dict, head: str = SINGLE_NEURON) -> dict:
    body = "".join(f"'{name}' = '{text}'\n" for name, text in claims.items())
    parsed = parse_claims(head + "\n[claims]\n" + body)
    return {r.name: r for r in Checker(parsed.spec, parsed.tolerance).check(parsed.claims)}


# the same derivative, ∂L/∂b^0_0 of the single neuron, the way people write it
EQUIVALENT = [
    r"-2\left(y_{0} - \hat{y}^{0}_{0}\right) \hat{y}^{0}_{0} \left(1 - \hat{y}^{0}_{0}\right)",
    r"-2 (y_0 - \hat y^0_0) \cdot \hat y^0_0 \cdot (1 - \hat y^0_0)",
    r"2 \times (\hat{y}^{0}_{0} - y_{0}) \times \hat{y}^{0}_{0} \times (1 - \hat{y}^{0}_{0})",
    r"-2(y_0-\sigma(v^0_0))\sigma(v^0_0)(1-\sigma(v^0_0))",
    r"-2\left(y_{0} - \frac{1}{1+e^{-v^{0}_{0}}}\right)\frac{e^{-v^{0}_{0}}}{\left(1+e^{-v^{0}_{0}}\right)^{2}}",
    r"-2 (y_{0} - \hat{y}^{0}_{0}) \frac{\exp(-v^0_0)}{(1 + \exp(-v^0_0))^2}",
    r"2\hat{y}^{0}_{0}\left(\hat{y}^{0}_{0}-y_{0}\right)\left(1-\hat{y}^{0}_{0}\right)",
    "-2*(y[0] - y0[0])*y0[0]*(1 - y0[0])",
    "2*(y0[0] - y[0])*y0[0]*(1 - y0[0])",
    r"-2(y_0 - \sigma(x_0 w^0_{0,0} + b^0_0)) \sigma(x_0 w^{0}_{00} + b^0_0)(1 - \sigma(x_0 w^0_{0,0} + b^0_0))",
]


@pytest.mark.parametrize("latex", EQUIVALENT)
def test_hand_written_variants_are_correct(latex):
    result = check({"dL/db0[0]": latex})["dL/db0[0]"]
    assert result.verdict == "correct", result.detail
    assert result.mistake is None and result.detail["points"] >= 2
    assert result.correct == r"- 2 \left(y_{0} - \hat{y}^{0}_{0}\right) \hat{y}^{0}_{0} \left(1 - \hat{y}^{0}_{0}\right)"


def test_printed_form_is_proved_by_simplify():
    result = check({"dL/db0[0]": EQUIVALENT[0]})["dL/db0[0]"]
    assert result.detail["method"] == "simplify"


def test_counterexample_gives_the_point_and_both_values():
    result = check({"dL/db0[0]": r"-2(y_0 - \hat{y}^0_0)\hat{y}^0_0"})["dL/db0[0]"]
    assert result.verdict == "wrong" and result.mistake == "activation_instead_of_derivative"
    detail = result.detail
    assert detail["at"] == "values"  # the spec's own numbers differ already
    yhat = 1 / (1 + math.exp(-0.32))
    assert detail["point"]["y0[0]"] == pytest.approx(yhat) and detail["point"]["y[0]"] == 1.0
    assert detail["claimed_value"] == pytest.approx(-2 * (1 - yhat) * yhat)
    assert detail["correct_value"] == pytest.approx(-2 * (1 - yhat) * yhat * (1 - yhat))


def test_without_values_the_probe_points_are_random():
    got = check({"dL/dW1[0][0]": r"-\left(y_{0} - \hat{y}^{1}_{0}\right) \hat{y}^{1}_{0} \left(1 - \hat{y}^{1}_{0}\right) y^{0}_{0}",
                 "dL/dW0[1][2]": r"\hat{y}^1_0 x_1"}, HIDDEN)
    assert got["dL/dW1[0][0]"].verdict == "correct"
    wrong = got["dL/dW0[1][2]"]
    assert wrong.verdict == "wrong" and wrong.detail["at"] == "random"
    assert set(wrong.detail["point"]) >= {"y1[0]", "x[1]"}


def test_hidden_layer_written_with_or_without_deltas():
    delta = r"(\delta^{1}_{0} w^{1}_{2,0} + \delta^{1}_{1} w^{1}_{2,1}) y^{0}_{2} (1 - y^{0}_{2}) x_{1}"
    expanded = (r"\left(-(y_0 - \hat{y}^1_0)\hat{y}^1_0(1-\hat{y}^1_0) w^1_{2,0} "
                r"- (y_1 - \hat{y}^1_1)\hat{y}^1_1(1-\hat{y}^1_1) w^1_{2,1}\right) y^0_2 (1-y^0_2) x_1")
    ascii_form = "(d1[0]*W1[2][0] + d1[1]*W1[2][1])*y0[2]*(1 - y0[2])*x[1]"
    for text in (delta, expanded, ascii_form):
        assert check({"dL/dW0[1][2]": text}, HIDDEN)["dL/dW0[1][2]"].verdict == "correct", text


def test_symbolic_error_carried_forward_is_consistent():
    got = check({"dL/dy1[0]": r"(y_0 - \hat{y}^1_0)",
                 "dL/db1[0]": r"(y_0 - \hat{y}^1_0)\hat{y}^1_0(1 - \hat{y}^1_0)"}, HIDDEN)
    assert got["dL/dy1[0]"].verdict == "wrong" and got["dL/dy1[0]"].mistake == "sign_flipped"
    assert got["dL/db1[0]"].verdict == "consistent" and got["dL/db1[0]"].detail["from"] == ["dL/dy1[0]"]


def test_a_wrong_symbolic_claim_carries_into_numbers():
    wrong_yhat = 1 / (1 + math.exp(0.32))  # the sign of v lost in the sigmoid
    claims = parse_claims(SINGLE_NEURON + "\n[claims]\n'y0[0]' = '\\frac{1}{1 + e^{v^0_0}}'\n"
                          f"L = {(1 - wrong_yhat) ** 2:.4f}\n")
    results = {r.name: r for r in Checker(claims.spec).check(claims.claims)}
    assert results["y0[0]"].verdict == "wrong"
    assert results["y0[0]"].detail["claimed_value"] == pytest.approx(wrong_yhat)
    assert results["L"].verdict == "consistent" and results["L"].detail["from"] == ["y0[0]"]


def test_parse_errors_name_the_claim_and_position():
    with pytest.raises(LatexParseError, match=r"dL/db0\[0\]: cannot parse expression at position \d+"):
        check({"dL/db0[0]": r"-2\left(y_0 - \hat{y}^0_0"})
    with pytest.raises(LatexParseError, match="position"):
        check({"dL/db0[0]": r"\foo{x}"})


def test_symbols_of_another_network_are_rejected():
    with pytest.raises((ClaimsError, LatexParseError), match=r"w\^\{5\}|W5|layer|unknown|position"):
        check({"dL/db0[0]": r"w^{5}_{0,0}"})


# -- round trip: every expression symbackprop prints parses back to an equivalent one ---------------
NETWORKS = {
    "2-3-2 sigmoid mse": HIDDEN,
    "1-1 single neuron": SINGLE_NEURON,
    "relu softmax cce": '[network]\nlayers = [2, 3, 3]\nactivations = ["relu", "softmax"]\nloss = "cce"\n',
    "column, base 1, tanh bce": ('[network]\nlayers = [3, 2, 2]\nactivations = ["tanh", "sigmoid"]\nloss = "bce"\n'
                                 'convention = "column"\nindex_base = 1\n'),
    "leaky linear half_sse": ('[network]\nlayers = [2, 2, 1]\nactivations = ["leaky_relu", "linear"]\n'
                              'loss = "half_sse"\nindex_base = 1\n'),
}


def _numbers(expr, rng):
    values = {}
    for symbol in expr.free_symbols:
        parsed = symbols.parse_symbol(symbol)
        kind = parsed.kind if parsed else ""
        values[symbol] = sympy.Float(rng.uniform(-0.9, 0.9)) if kind in ("preactivation", "weight", "bias", "delta") \
            else sympy.Float(rng.uniform(0.05, 0.95))
    return values


@pytest.mark.parametrize("label", list(NETWORKS))
def test_round_trip_of_every_printed_expression(label):
    network = parse_spec(NETWORKS[label]).network
    derivation = derive(network)
    rng = random.Random(7)
    printed = dict(derivation.latex())
    if network.n_parameters <= 12:  # leaf-expanded forms too, for the small networks
        printed.update({f"{name} (expanded)": text for name, text in derivation.latex(expand=True).items()})
    assert len(printed) > 5
    for name, text in printed.items():
        expected = derivation.expression(name.split(" ")[0], expand=name.endswith("(expanded)"))
        got = parse_expression(text, network)
        for _ in range(3):
            values = _numbers(expected, rng) | _numbers(got, rng)
            a, b = complex(expected.xreplace(values).evalf()), complex(got.xreplace(values).evalf())
            assert a == pytest.approx(b, rel=1e-9, abs=1e-12), (label, name, text)


@pytest.mark.parametrize("label", list(NETWORKS))
def test_every_printed_gradient_checks_correct(label):
    network = parse_spec(NETWORKS[label]).network
    derivation = derive(network)
    names = derivation.gradient_names()[::3]
    head = NETWORKS[label]
    got = check({name: derivation.latex()[name] for name in names}, head)
    assert {r.verdict for r in got.values()} == {"correct"}, {n: r.detail for n, r in got.items()}


def test_the_check_of_a_sympy_identity_runs_within_bounds():
    result = check({"y0[0]": r"\frac{1}{2} + \frac{1}{2}\tanh(\frac{v^0_0}{2})"})["y0[0]"]
    assert result.verdict == "correct"


def test_l_and_L_symbols_in_claims():
    got = check({"L": r"l_0", "l[0]": r"(y_0 - \hat{y}^0_0)^2"})
    assert got["L"].verdict == "correct" and got["l[0]"].verdict == "correct"


def test_constant_claim_for_a_constant():
    assert check({"dv0[0]/db0[0]": "1"})["dv0[0]/db0[0]"].verdict == "correct"
    assert check({"dv0[0]/dW0[0][0]": "x_0"})["dv0[0]/dW0[0][0]"].verdict == "correct"
    assert sympy.Integer(1)  # keeps sympy imported for the identity above


def test_symbolic_claims_about_training_steps_are_refused():
    head = SINGLE_NEURON + "[training]\nlearning_rate = 0.5\n"
    with pytest.raises(ClaimsError, match="training steps are not supported"):
        check({"step1.W0[0][0]": r"w^0_{0,0} - 0.5 x_0"}, head)


def test_symbolic_steps_are_bounded_by_size_not_time():
    from symbackprop.checking import equivalence

    x0, w = symbols.x(0), symbols.weight(0, 0, 0)
    hard = sympy.expand((x0 + w + 1) ** 40)  # 861 terms: over the operation budget, left to probing
    assert sympy.count_ops(hard) > equivalence.SYMBOLIC_MAX_OPS
    assert equivalence.prove(hard + sympy.exp(x0) ** 3, (x0 + w + 1) ** 40 + sympy.exp(3 * x0)) == "probing"
    assert equivalence.prove(x0 * w, w * x0) == "simplify"
    assert equivalence.prove((x0 + w) ** 2, x0 ** 2 + 2 * x0 * w + w ** 2) == "simplify"  # expanded: 3 terms
    assert equivalence.prove(1 - sympy.Rational(1, 10 ** 9), sympy.Integer(1)) == "differs"


def test_counterexample_when_the_claim_is_undefined():
    result = check({"dL/db0[0]": r"\log(-1 - \hat{y}^0_0)"})["dL/db0[0]"]
    assert result.verdict == "wrong" and result.detail["claimed_value"] is None
