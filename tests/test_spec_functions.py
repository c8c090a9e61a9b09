"""Functions defined in the spec: parsed safely, derivatives checked, and usable everywhere a built-in is."""
import csv
import json
import math
import re

import numpy as np
import pytest
import sympy

from symbackprop.cli import main
from symbackprop.errors import SpecError
from symbackprop.expressions.formula import parse_formula
from symbackprop.model import functions
from symbackprop.model.spec import parse_spec, spec_from_dict, spec_to_dict
from symbackprop.numeric.values import quantity_values

FUNCTIONS = """
[functions.swish]
g = "v / (1 + exp(-v))"
derivative = "g + sigmoid(v) * (1 - g)"
name = { en = "Swish", pt-BR = "Swish" }

[functions.huber]
loss = "Piecewise(((y - yhat)^2 / 2, abs(y - yhat) <= 1), (abs(y - yhat) - 1/2, True))"
derivative = "Piecewise((yhat - y, abs(y - yhat) <= 1), ((yhat - y)/abs(y - yhat), True))"
name = { en = "Huber loss", pt-BR = "Perda de Huber" }
"""
NETWORK = """
[network]
layers = [2, 3, 2]
activations = ["swish", "sigmoid"]
loss = "huber"
"""
VALUES = """
[values]
x = [0.5, -1.0]
y = [1.0, -2.0]
W0 = [[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]]
b0 = [0.1, 0.0, -0.1]
W1 = [[0.7, -0.8], [0.9, 1.0], [-1.1, 1.2]]
b1 = [0.0, 0.5]
"""
SPEC = FUNCTIONS + NETWORK + VALUES
v, g = sympy.symbols("v g", real=True)


def by_hand_loss(weights, biases, x, y):
    """Swish hidden layer, sigmoid outputs, Huber loss (δ = 1), written from the definitions."""
    v0 = x @ weights[0] + biases[0]
    y0 = v0 / (1 + np.exp(-v0))
    p = 1 / (1 + np.exp(-(y0 @ weights[1] + biases[1])))
    error = np.abs(y - p)
    return float(np.sum(np.where(error <= 1, error**2 / 2, error - 0.5)))


def write(tmp_path, text, name="spec.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_spec_functions_become_entries_with_the_written_derivative():
    spec = parse_spec(SPEC)
    swish = functions.activation("swish", spec.network)
    assert swish.expression(v) == v / (1 + sympy.exp(-v))
    assert swish.derivative(v, g) == g + (1 - g) / (1 + sympy.exp(-v))  # as written, in v and g
    assert functions.loss_of(spec.network).name == "huber"
    assert swish.title("pt-BR") == "Swish" and functions.loss_of(spec.network).title("pt-BR") == "Perda de Huber"
    with pytest.raises(SpecError, match="unknown activation 'swish'"):
        functions.activation("swish")  # only the spec that defines it knows it


@pytest.mark.parametrize("g_text, expected", [
    ("1 / (1 + exp(-v))", g * (1 - g)),
    ("(exp(v) - exp(-v)) / (exp(v) + exp(-v))", 1 - g**2),
    ("exp(v)", g),
    ("3 v - 2", sympy.Integer(3)),
])
def test_without_a_derivative_sympys_is_written_in_g_where_it_can_be(g_text, expected):
    spec = parse_spec(f'[functions.mine]\ng = "{g_text}"\n[network]\nlayers = [1, 1]\nactivations = "mine"\n'
                      f'loss = "mse"\n')
    assert sympy.expand(functions.activation("mine", spec.network).derivative(v, g) - expected) == 0


def test_without_a_derivative_and_no_form_in_g_the_derivative_is_in_v():
    spec = parse_spec('[functions.soft]\ng = "log(1 + exp(v))"\n[network]\nlayers = [1, 1]\nactivations = "soft"\n'
                      'loss = "mse"\n')
    written = functions.activation("soft", spec.network).derivative(v, g)
    assert g not in written.free_symbols
    assert sympy.simplify(written - 1 / (1 + sympy.exp(-v))) == 0


def test_a_wrong_derivative_is_refused_naming_the_function_and_a_point(tmp_path, capsys):
    text = SPEC.replace('derivative = "g + sigmoid(v) * (1 - g)"', 'derivative = "g * (1 - g)"')
    assert main(["derive", write(tmp_path, text)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("symbackprop: error: ") and "functions.swish.derivative: differs from the derivative" in err
    point = -7 / 3  # the first test point, named exactly
    s = 1 / (1 + math.exp(-point))
    swish = point * s
    written, computed = swish * (1 - swish), s + point * s * (1 - s)
    assert f"v = -7/3 (written: {written:.6g}, computed: {computed:.6g})" in err
    assert "Traceback" not in err


def test_a_wrong_loss_derivative_is_refused_with_its_point():
    text = SPEC.replace('derivative = "Piecewise((yhat - y,', 'derivative = "Piecewise((y - yhat,')
    with pytest.raises(SpecError, match=r"functions\.huber\.derivative: differs .* at y = 0, yhat = 1/7, N = 2 \(written: -0.142857, computed: 0.142857\)"):
        parse_spec(text)


@pytest.mark.parametrize("table, message", [
    ('[functions.bad]\ng = "' + "v + " * 6000 + 'v"\n', "too long"),
    ('[functions.bad]\ng = "' + "(" * 60 + "v" + ")" * 60 + '"\n', "nested deeper"),
    ('[functions.bad]\ng = "' + "exp(" * 25 + "v" + ")" * 25 + '"\n', "nested deeper than 20"),
    ('[functions.bad]\ng = "__import__(\'os\').system(\'ls\')"\n', "unexpected '_'"),
    ('[functions.bad]\ng = "x + v"\n', "unknown name 'x' (expected v, e, or a function)"),
    ('[functions.bad]\ng = "foo(v)"\n', "unknown name 'foo'"),
    ('[functions.bad]\ng = "v"\nderivative = "g + q"\n', "unknown name 'q' (expected g, v"),
    ('[functions.bad]\ng = "1/0 + v"\n', "division by zero"),
    ('[functions.bad]\ng = "log(v)"\n', "functions.bad.g: has no real value (or one past 1e200) at v = -7/3"),
    ('[functions.bad]\ng = "Piecewise((v, v > 0))"\n', "has no real value (or one past 1e200) at v = -7/3"),
    ('[functions.bad]\ng = "exp(exp(exp(exp(v))))"\n', "has no real value (or one past 1e200) at v = 3/4"),
    ('[functions.bad]\ng = 3\n', "functions.bad.g: expected a string"),
    ('[functions.bad]\ng = "v"\nloss = "y"\n', "give exactly one of g"),
    ('[functions.bad]\ng = "v"\nderivate = "1"\n', "unknown key 'derivate'"),
    ('[functions.sigmoid]\ng = "v"\n', "a built-in function has this name"),
    ('[functions.Bad]\ng = "v"\n', "a function name is a lowercase letter"),
    ('[functions.bad]\ng = "v"\nname = "\\\\textbf{x}"\n', "functions.bad.name: en: expected 1 to 60 letters"),
    ('[functions.bad]\ng = "v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v*v"\n'
     '[functions.too]\ng = "v"\n' + "".join(f'[functions.f{i}]\ng = "v"\n' for i in range(15)), "the limit is 16"),
])
def test_hostile_definitions_give_one_line_and_exit_2(tmp_path, capsys, table, message):
    text = table + '[network]\nlayers = [1, 1]\nactivations = "sigmoid"\nloss = "mse"\n'
    assert main(["derive", write(tmp_path, text)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("symbackprop: error: ")
    assert message in err


def test_numbers_match_an_independent_forward_pass_by_central_differences():
    spec = parse_spec(SPEC)
    numbers = quantity_values(spec.network, spec.values)
    x, y = np.array(spec.values.x), np.array(spec.values.y)
    weights = [np.array(w) for w in spec.values.weights]
    biases = [np.array(b) for b in spec.values.biases]
    assert numbers["L"] == pytest.approx(by_hand_loss(weights, biases, x, y), rel=1e-12)
    h = 1e-6
    for layer in range(2):
        for index in np.ndindex(weights[layer].shape):
            up = [w.copy() for w in weights]
            down = [w.copy() for w in weights]
            up[layer][index] += h
            down[layer][index] -= h
            expected = (by_hand_loss(up, biases, x, y) - by_hand_loss(down, biases, x, y)) / (2 * h)
            assert numbers[f"dL/dW{layer}[{index[0]}][{index[1]}]"] == pytest.approx(expected, abs=1e-8)


def test_verify_uses_finite_differences_without_a_torch_counterpart(tmp_path, capsys):
    assert main(["derive", write(tmp_path, SPEC), "--verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["verify"]
    assert report["torch"] is None and report["torch_counterpart"] is False
    assert report["finite_differences"] < 1e-7
    assert main(["derive", write(tmp_path, SPEC), "--verify"]) == 0
    assert "no PyTorch counterpart for a function defined in the spec" in capsys.readouterr().out


def test_the_spec_round_trips_through_its_dict():
    spec = parse_spec(SPEC)
    data = spec_to_dict(spec)
    assert data["functions"]["swish"] == {"g": "v / (1 + exp(-v))", "derivative": "g + sigmoid(v) * (1 - g)",
                                          "name": {"en": "Swish", "pt-BR": "Swish"}}
    again = spec_from_dict(json.loads(json.dumps(data)))
    assert again.network == spec.network


@pytest.mark.parametrize("lang, words", [
    ("en", [r"\textbf{Swish}", r"\textbf{Derivative of Swish}", r"\textbf{Huber loss}"]),
    ("pt-BR", [r"\textbf{Swish}", r"\textbf{Derivada de Swish}", r"\textbf{Perda de Huber}"]),
])
def test_slides_name_and_show_the_functions_in_each_language(tmp_path, lang, words):
    out = tmp_path / lang
    assert main(["slides", write(tmp_path, SPEC), "-o", str(out), "--lang", lang]) == 0
    body = (out / "slides_body.tex").read_text(encoding="utf-8")
    for word in words:
        assert word in body
    assert r"g(v) &= \frac{v}{1 + e^{- v}}" in body
    assert r"g'(v) &= g(v) + \frac{1 - g(v)}{1 + e^{- v}}" in body


def test_exam_then_grade_with_the_key_gives_full_points(tmp_path, capsys):
    folder = tmp_path / "exam"
    assert main(["exam", write(tmp_path, FUNCTIONS + NETWORK), "--seed", "5", "--variants", "2",
                 "-o", str(folder)]) == 0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["spec"]["functions"]) == {"swish", "huber"}
    variant = manifest["variants"][0]
    values = variant["values"]
    x = np.array([values["x[0]"], values["x[1]"]])
    y = np.array([values["y[0]"], values["y[1]"]])
    weights = [np.array([[values[f"W{layer}[{i}][{j}]"] for j in range(n_out)] for i in range(n_in)])
               for layer, (n_in, n_out) in enumerate([(2, 3), (3, 2)])]
    biases = [np.array([values[f"b{layer}[{j}]"] for j in range(n)]) for layer, n in enumerate([3, 2])]
    if "L" in variant["answers"]:
        assert variant["answers"]["L"]["value"] == pytest.approx(by_hand_loss(weights, biases, x, y), rel=1e-12)
    questions = list(variant["answers"])
    answers = tmp_path / "answers.csv"
    with open(answers, "w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["student", "variant", *questions])
        rows.writerow(["ana", variant["id"], *[f"{variant['answers'][q]['value']:.{variant['answers'][q]['decimals']}f}"
                                                   for q in questions]])  # each at the decimals its question asks
    report = tmp_path / "report.csv"
    assert main(["grade", str(answers), "--manifest", str(folder / "manifest.json"), "-o", str(report)]) == 0
    with open(report, newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["points"] == row["max_points"] and set(row[q] for q in questions) == {"correct"}


def test_check_gives_verdicts_on_a_spec_function(tmp_path, capsys):
    spec = parse_spec(SPEC)
    numbers = quantity_values(spec.network, spec.values)
    v00 = 0.5 * 0.1 - 1.0 * 0.4 + 0.1
    swish = v00 / (1 + math.exp(-v00))
    claims = (f'"y0[0]" = {swish:.4f}\n"L" = {numbers["L"]:.4f}\n'
              f'"dL/dW1[0][0]" = {-numbers["dL/dW1[0][0]"]:.4f}\n')
    assert main(["check", write(tmp_path, SPEC + "\n[claims]\n" + claims), "--json"]) in (0, 1)
    results = {r["name"]: r for r in json.loads(capsys.readouterr().out)["claims"]}
    assert results["y0[0]"]["verdict"] == "correct"
    assert results["L"]["verdict"] == "correct"
    assert results["dL/dW1[0][0]"]["verdict"] == "wrong"


def test_a_piecewise_spec_activation_gets_a_piecewise_derivative_and_the_kink_constraint():
    spec = parse_spec('[functions.elu]\ng = "Piecewise((v, v > 0), (exp(v) - 1, True))"\n[network]\n'
                      'layers = [1, 1]\nactivations = "elu"\nloss = "mse"\n')
    entry = functions.activation("elu", spec.network)
    assert entry.piecewise and entry.saturation is None
    derivative = entry.derivative(v, g)
    assert derivative.subs(v, sympy.Rational(1, 2)) == 1
    assert derivative.subs(v, -2) == sympy.exp(-2)


@pytest.mark.parametrize("network, y, message", [
    ('layers = [1, 1]\nactivations = "sigmoid"\nloss = "bce"', "[1.5]", "values.y: bce needs every target in [0, 1]; got [1.5]"),
    ('layers = [1, 2]\nactivations = "softmax"\nloss = "cce"', "[0.5, 0.2]",
     "values.y: cce needs targets that sum to 1 (one-hot, e.g. [0, 1, 0]); got [0.5, 0.2]"),
    ('layers = [1, 2]\nactivations = "softmax"\nloss = "cce"', "[-0.5, 1.5]", "cce needs every target in [0, 1]"),
])
def test_targets_outside_the_losss_domain_are_refused(network, y, message):
    n = 1 if "bce" in network else 2
    text = (f"[network]\n{network}\n[values]\nx = [1.0]\ny = {y}\nW0 = [{[0.1] * n}]\nb0 = {[0.0] * n}\n")
    with pytest.raises(SpecError, match=re.escape(message)):
        parse_spec(text)
    assert parse_spec(text.replace(f"y = {y}", f"y = {[1.0] + [0.0] * (n - 1)}")).values.y[0] == 1.0


def test_the_grammars_sigmoid_is_the_sigmoid_entrys_expression():
    assert parse_formula("sigmoid(v)", {"v": v}) == functions.ACTIVATIONS["sigmoid"].expression(v)
    assert parse_formula(r"\sigma(v)", {"v": v}) == functions.ACTIVATIONS["sigmoid"].expression(v)


def test_exam_variants_follow_the_formulas_not_the_display_names():
    from symbackprop.exams.config import parse_exam
    from symbackprop.exams.variants import spec_fingerprint

    def fingerprint(text):
        spec = parse_spec(text)
        return spec_fingerprint(spec, parse_exam(spec))

    base = fingerprint(FUNCTIONS + NETWORK)
    assert fingerprint((FUNCTIONS + NETWORK).replace('en = "Swish"', 'en = "Swish unit"')) == base
    changed = (FUNCTIONS + NETWORK).replace('g = "v / (1 + exp(-v))"', 'g = "2 v / (1 + exp(-v))"').replace(
        'derivative = "g + sigmoid(v) * (1 - g)"\n', "")
    assert fingerprint(changed) != base


def test_a_spec_loss_may_constrain_its_targets():
    table = ('[functions.logloss]\nloss = "-(y log(yhat) + (1 - y) log(1 - yhat)) / N"\ntargets = "unit"\n'
             '[network]\nlayers = [1, 1]\nactivations = "sigmoid"\nloss = "logloss"\n'
             '[values]\nx = [1.0]\ny = [{y}]\nW0 = [[0.5]]\nb0 = [0.0]\n')
    spec = parse_spec(table.format(y=1.0))
    assert functions.target_kind(spec.network) == "unit"
    assert spec_to_dict(spec)["functions"]["logloss"]["targets"] == "unit"
    p = 1 / (1 + math.exp(-0.5))
    assert quantity_values(spec.network, spec.values)["L"] == pytest.approx(-math.log(p), rel=1e-12)
    with pytest.raises(SpecError, match=r"values\.y: logloss needs every target in \[0, 1\]; got \[2\.0\]"):
        parse_spec(table.format(y=2.0))
    with pytest.raises(SpecError, match="functions.logloss.targets: expected one of any, unit, distribution"):
        parse_spec(table.format(y=1.0).replace('"unit"', '"onehot"'))
