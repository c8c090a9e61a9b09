"""The mistake catalogue: every id diagnosed from a claim made by applying that mistake by hand."""
import numpy as np
import pytest
import sympy

from symbackprop.checking import mistakes
from symbackprop.checking.verdicts import Checker
from symbackprop.checking.claims import parse_claims
from symbackprop.model.derivation import product
from symbackprop.checking.mistakes import MISTAKES, Mistake, Texts

from .specs import COURSE_232

RATE = 0.5
TRAINED_232 = COURSE_232 + f"[training]\nlearning_rate = {RATE}\nsteps = 1\n"

IDS = ["missing_activation_derivative", "activation_instead_of_derivative", "loss_scale", "sign_flipped",
       "index_transposed", "missing_sum", "preactivation_for_activation", "rounded_early", "update_not_applied",
       "derivative_at_output", "update_sign"]

# The course's 2-3-2 network (the built-in default), forward and backward by hand with NumPy.
x = np.array([0.5, 0.1])
t = np.array([1.0, 0.0])
W0 = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
b0 = np.array([0.1, 0.1, 0.1])
W1 = np.array([[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]])
b1 = np.array([0.2, 0.2])
v0 = x @ W0 + b0
y0 = 1 / (1 + np.exp(-v0))
v1 = y0 @ W1 + b1
yhat = 1 / (1 + np.exp(-v1))
dL_dyhat = -(2 / 2) * (t - yhat)  # mse with N = 2
delta1 = dL_dyhat * yhat * (1 - yhat)
dL_dy0 = W1 @ delta1
delta0 = dL_dy0 * y0 * (1 - y0)
gW0, gW1 = np.outer(x, delta0), np.outer(y0, delta1)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def rounded_232(decimals: int) -> dict:
    """The forward and backward pass as a student does it with every intermediate rounded to `decimals`."""
    r = lambda a: np.round(a, decimals)  # noqa: E731
    v0_ = r(x @ W0 + b0)
    y0_ = r(sigmoid(v0_))
    v1_ = r(y0_ @ W1 + b1)
    y1_ = r(sigmoid(v1_))
    delta1_ = r(r(-(t - y1_)) * r(y1_ * (1 - y1_)))
    delta0_ = r(r(W1 @ delta1_) * r(y0_ * (1 - y0_)))
    return {"y1[0]": sigmoid(v1_[0]), "dL/dW1[0][0]": delta1_[0] * y0_[0], "dL/dW0[1][2]": delta0_[2] * x[1]}


ROUNDED_2 = rounded_232(2)
g_at_yhat = sigmoid(yhat) * (1 - sigmoid(yhat))  # σ(ŷ)(1 − σ(ŷ)): the derivative's formula evaluated at ŷ


# (mistake, quantity, the number that mistake gives, worked out by hand)
NUMERIC = [
    ("missing_activation_derivative", "dL/dW1[0][0]", dL_dyhat[0] * y0[0]),
    ("missing_activation_derivative", "dL/db0[1]", dL_dy0[1]),
    ("activation_instead_of_derivative", "dL/dW1[0][0]", dL_dyhat[0] * yhat[0] * y0[0]),
    ("activation_instead_of_derivative", "dy1[1]/dv1[1]", yhat[1]),
    ("loss_scale", "dL/dy1[0]", -2 * (t[0] - yhat[0])),  # 1/N dropped
    ("loss_scale", "L", np.sum((t - yhat) ** 2)),  # mean taken as a sum
    ("loss_scale", "dL/db1[1]", -0.5 * (t[1] - yhat[1]) * yhat[1] * (1 - yhat[1])),  # halved
    ("sign_flipped", "dL/db1[0]", (t[0] - yhat[0]) * yhat[0] * (1 - yhat[0])),
    ("sign_flipped", "dL/dW0[0][0]", -delta0[0] * x[0]),  # flipped at the output, carried to layer 0
    ("index_transposed", "dL/dy0[0]", delta1[0] * W1[0, 0] + delta1[1] * W1[1, 0]),
    ("index_transposed", "dL/dW1[1][0]", delta1[1] * y0[0]),  # δ_i y_j for δ_j y_i
    ("index_transposed", "v0[1]", x[0] * W0[1, 0] + x[1] * W0[1, 1] + b0[1]),
    ("missing_sum", "dL/dy0[2]", delta1[0] * W1[2, 0]),
    ("missing_sum", "dL/dW0[0][0]", delta1[0] * W1[0, 0] * y0[0] * (1 - y0[0]) * x[0]),
    ("preactivation_for_activation", "dL/dW1[0][0]", delta1[0] * v0[0]),
    ("preactivation_for_activation", "dy1[0]/dv1[0]", v1[0] * (1 - v1[0])),
    ("preactivation_for_activation", "y0[2]", v0[2]),
    ("rounded_early", "dL/dW1[0][0]", ROUNDED_2["dL/dW1[0][0]"]),
    ("rounded_early", "dL/dW0[1][2]", ROUNDED_2["dL/dW0[1][2]"]),
    ("rounded_early", "y1[0]", sigmoid(np.round(v1[0], 1))),  # v rounded to one decimal before σ
    ("update_not_applied", "step1.W0[1][2]", W0[1, 2]),
    ("update_not_applied", "step1.b1[0]", b1[0]),
    ("derivative_at_output", "dy1[1]/dv1[1]", g_at_yhat[1]),
    ("derivative_at_output", "dL/dW1[0][0]", dL_dyhat[0] * g_at_yhat[0] * y0[0]),
    ("update_sign", "step1.W1[0][0]", W1[0, 0] + RATE * gW1[0, 0]),
    ("update_sign", "step1.b0[1]", b0[1] + RATE * delta0[1]),
]

# (mistake, quantity, the derivative written by hand with that mistake)
SYMBOLIC = [
    ("missing_activation_derivative", "dL/dW1[0][0]", r"-\left(y_{0} - \hat{y}^{1}_{0}\right) y^{0}_{0}"),
    ("missing_activation_derivative", "dL/db0[0]", r"\delta^1_0 w^1_{0,0} + \delta^1_1 w^1_{0,1}"),
    ("activation_instead_of_derivative", "dy1[0]/dv1[0]", r"\hat{y}^{1}_{0}"),
    ("activation_instead_of_derivative", "dL/db1[1]", r"-(y_1 - \hat y^1_1) \cdot \hat y^1_1"),
    ("loss_scale", "dL/dy1[0]", r"-2\left(y_{0} - \hat{y}^{1}_{0}\right)"),
    ("loss_scale", "dL/dW1[2][1]", r"-\frac{1}{2}(y_1-\hat{y}^1_1)\hat{y}^1_1(1-\hat{y}^1_1) y^0_2"),
    ("sign_flipped", "dL/db1[0]", r"(y_{0} - \hat{y}^{1}_{0}) \hat{y}^{1}_{0} (1 - \hat{y}^{1}_{0})"),
    ("sign_flipped", "dL/dy1[1]", r"y_1 - \hat{y}^1_1"),
    ("index_transposed", "dL/dy0[0]", r"\delta^{1}_{0} w^{1}_{0,0} + \delta^{1}_{1} w^{1}_{1,0}"),
    ("index_transposed", "v0[0]", "x[0]*W0[0][0] + x[1]*W0[0][1] + b0[0]"),
    ("missing_sum", "dL/dy0[1]", r"\delta^{1}_{0} w^{1}_{1,0}"),
    ("missing_sum", "dL/dW0[1][2]", r"\delta^1_1 w^1_{2,1} y^0_2 (1 - y^0_2) x_1"),
    ("preactivation_for_activation", "dy0[1]/dv0[1]", r"v^0_1 (1 - v^0_1)"),
    ("preactivation_for_activation", "dL/dW1[1][0]", "-(y[0] - y1[0])*y1[0]*(1 - y1[0])*v0[1]"),
    ("derivative_at_output", "dy1[0]/dv1[0]",
     r"\frac{1}{1 + e^{-\hat{y}^{1}_{0}}} \left(1 - \frac{1}{1 + e^{-\hat{y}^{1}_{0}}}\right)"),
]
NUMBERS_ONLY = {"rounded_early", "update_not_applied", "update_sign"}  # rounding, and steps (claimed as numbers)


def check(body: str, head: str = TRAINED_232) -> dict:
    claims = parse_claims(head + "\n[claims]\n" + body)
    return {r.name: r for r in Checker(claims.spec, claims.tolerance).check(claims.claims)}


def test_one_entry_per_mistake_id():
    assert list(MISTAKES) == IDS
    assert all(m.description and m.id == key for key, m in MISTAKES.items())


@pytest.mark.parametrize("mistake, name, value", NUMERIC, ids=[f"{m}-{n}" for m, n, _ in NUMERIC])
def test_numeric_mistakes_are_diagnosed(mistake, name, value):
    result = check(f'"{name}" = {value:.5f}\n')[name]
    assert result.verdict == "wrong"
    assert result.mistake == mistake
    assert result.detail["mistake_value"] == pytest.approx(value, abs=1e-5)


@pytest.mark.parametrize("mistake, name, latex", SYMBOLIC, ids=[f"{m}-{n}" for m, n, _ in SYMBOLIC])
def test_symbolic_mistakes_are_diagnosed(mistake, name, latex):
    result = check(f"'{name}' = '{latex}'\n")[name]
    assert result.verdict == "wrong"
    assert result.mistake == mistake
    point = result.detail["point"]
    assert result.detail["claimed_value"] != pytest.approx(result.detail["correct_value"])
    assert point and all(isinstance(v, float) for v in point.values())


def test_every_id_has_a_numeric_and_a_symbolic_case():
    assert {m for m, _, _ in NUMERIC} == set(IDS)
    assert {m for m, _, _ in SYMBOLIC} == set(IDS) - NUMBERS_ONLY


def test_an_unrelated_wrong_number_has_no_mistake():
    result = check('"dL/dW1[0][0]" = 0.12345\n')["dL/dW1[0][0]"]
    assert result.verdict == "wrong" and result.mistake is None


def test_a_mistake_on_top_of_a_wrong_earlier_claim():
    # ŷ claimed wrong, then ∂L/∂ŷ computed from it with the sign flipped
    wrong_yhat = 0.7000
    got = check(f'"y1[0]" = {wrong_yhat:.4f}\n"dL/dy1[0]" = {(t[0] - wrong_yhat):.4f}\n')
    assert got["dL/dy1[0]"].verdict == "wrong" and got["dL/dy1[0]"].mistake == "sign_flipped"


def test_adding_a_mistake_is_one_entry(monkeypatch):
    def doubled(rules, name, q):
        return {"": 2 * rules.rule[name]} if q.kind == "dL/dv" else {}

    texts = {"en": Texts("δ doubled", "δ counted twice", "Count δ once.")}
    monkeypatch.setitem(MISTAKES, "delta_doubled", Mistake("delta_doubled", doubled, texts))
    result = check(f'"dL/db0[2]" = {2 * delta0[2]:.6f}\n')["dL/db0[2]"]
    assert result.mistake == "delta_doubled"


def test_loss_scales():
    assert mistakes.loss_scales(1) == [2, sympy.Rational(1, 2)]
    assert mistakes.loss_scales(2) == [2, sympy.Rational(1, 2)]
    assert set(mistakes.loss_scales(4)) == {2, sympy.Rational(1, 2), 4, sympy.Rational(1, 4)}


def test_transformations_are_of_the_correct_rule():
    from symbackprop.model import symbols
    from symbackprop import derive
    from symbackprop.model.chain_graph import ChainGraph as Rules
    from symbackprop.model.spec import parse_spec

    rules = Rules(derive(parse_spec(COURSE_232)))
    name = "dL/dv1[0]"
    q = rules.kind(name)
    assert MISTAKES["missing_activation_derivative"].wrong_rules(rules, name, q) == {
        "": rules.symbol["dL/dy1[0]"]}
    assert MISTAKES["activation_instead_of_derivative"].wrong_rules(rules, name, q) == {
        "": product(rules.symbol["dL/dy1[0]"], symbols.activation(1, 0))}
    assert MISTAKES["sign_flipped"].wrong_rules(rules, "dL/dy1[0]", rules.kind("dL/dy1[0]")) == {
        "": -rules.rule["dL/dy1[0]"]}
    assert MISTAKES["missing_sum"].wrong_rules(rules, name, q) == {}
