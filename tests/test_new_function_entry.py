"""Adding an activation and a loss is adding one entry each: derive, numbers, --verify, slides, exams, check."""
import json
import math
from pathlib import Path

import numpy as np
import pytest
from sympy import cosh, exp, log, tanh

import symbackprop
from symbackprop.cli import main
from symbackprop.model import functions
from symbackprop.model.functions import Activation, Loss, named, stable
from symbackprop.model.spec import parse_spec
from symbackprop.numeric.values import quantity_values

# The two entries, complete: nothing else in the package learns about them.
SOFTPLUS = Activation(
    "softplus",
    expression=lambda v, **o: log(1 + exp(v)),
    derivative=lambda v, g, **o: 1 / (1 + exp(-v)),
    stable=lambda v, **o: stable.softplus(v),
    stable_derivative=lambda v, **o: stable.sigmoid(v),
    names=named(en=("Softplus function", "softplus", "Derivative of the softplus function"),
                pt_BR=("Função softplus", "softplus", "Derivada da função softplus")),
    torch=lambda t, v, **o: t.nn.functional.softplus(v),
)
LOG_COSH = Loss(
    "log_cosh",
    term=lambda y, p, n: log(cosh(p - y)),
    derivative=lambda y, p, n: tanh(p - y),
    names=named(en=("Log-cosh loss",), pt_BR=("Perda log-cosh",)),
    torch=lambda t, p, y, n: t.log(t.cosh(p - y)).sum(dim=1),
)

SPEC = """
title = "Softplus and log-cosh"
[network]
layers = [2, 2, 1]
activations = ["softplus", "linear"]
loss = "log_cosh"
[values]
x = [0.5, -0.25]
y = [0.75]
W0 = [[0.3, -0.6], [0.8, 0.2]]
b0 = [0.1, -0.2]
W1 = [[0.9], [-0.4]]
b1 = [0.05]
[training]
learning_rate = 0.5
"""


@pytest.fixture(autouse=True)
def new_entries(monkeypatch):
    monkeypatch.setitem(functions.ACTIVATIONS, "softplus", SOFTPLUS)
    monkeypatch.setitem(functions.LOSSES, "log_cosh", LOG_COSH)


@pytest.fixture
def spec_path(tmp_path):
    path = tmp_path / "softplus.toml"
    path.write_text(SPEC, encoding="utf-8")
    return str(path)


def by_hand_loss(weights, biases, x, y):
    """Softplus hidden layer, linear output, log-cosh loss, from the definitions."""
    hidden = np.log1p(np.exp(x @ weights[0] + biases[0]))
    output = hidden @ weights[1] + biases[1]
    return float(np.sum(np.log(np.cosh(output - y))))


def test_numbers_match_an_independent_forward_pass_by_central_differences():
    spec = parse_spec(SPEC)
    numbers = quantity_values(spec.network, spec.values)
    x, y = np.array(spec.values.x), np.array(spec.values.y)
    weights = [np.array(w) for w in spec.values.weights]
    biases = [np.array(b) for b in spec.values.biases]
    assert numbers["L"] == pytest.approx(by_hand_loss(weights, biases, x, y), rel=1e-12)
    v00 = 0.5 * 0.3 - 0.25 * 0.8 + 0.1
    assert numbers["dy0[0]/dv0[0]"] == pytest.approx(1 / (1 + math.exp(-v00)), rel=1e-12)
    h = 1e-6
    for index in np.ndindex(weights[0].shape):
        up, down = [w.copy() for w in weights], [w.copy() for w in weights]
        up[0][index] += h
        down[0][index] -= h
        expected = (by_hand_loss(up, biases, x, y) - by_hand_loss(down, biases, x, y)) / (2 * h)
        assert numbers[f"dL/dW0[{index[0]}][{index[1]}]"] == pytest.approx(expected, abs=1e-8)


def test_derive_prints_and_verify_agrees_with_finite_differences_and_torch(spec_path, capsys):
    assert main(["derive", spec_path, "--verify", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["latex"]["dL/dy1[0]"] == r"- \tanh{\left(y_{0} - \hat{y}^{1}_{0} \right)}"
    assert document["verify"]["finite_differences"] < 1e-8
    pytest.importorskip("torch")
    assert document["verify"]["torch"] < 1e-12
    assert main(["derive", spec_path]) == 0
    text = capsys.readouterr().out
    assert "activations softplus, linear; loss log_cosh" in text
    assert "y0[0] = log(1 + exp(v0[0]))" in text


@pytest.mark.parametrize("lang, words", [
    ("en", ["Softplus function", "Derivative of the softplus function", "Log-cosh loss"]),
    ("pt-BR", ["Função softplus", "Derivada da função softplus", "Perda log-cosh"]),
])
def test_slides_in_each_language(tmp_path, spec_path, lang, words):
    out = tmp_path / lang
    assert main(["slides", spec_path, "-o", str(out), "--lang", lang]) == 0
    body = (out / "slides_body.tex").read_text(encoding="utf-8")
    for word in words:
        assert rf"\textbf{{{word}}}" in body
    assert r"g(v) &= \ln{\left(1 + e^{v} \right)}" in body
    assert r"l_k &= \ln{\left(\cosh{\left(\hat{y}_k - y_{k} \right)} \right)}" in body
    assert r"g'(v) &= \frac{1}{1 + e^{- v}}" in body


@pytest.mark.tex
def test_the_portuguese_slides_compile(tmp_path, spec_path):
    out = tmp_path / "pdf"
    assert main(["slides", spec_path, "-o", str(out), "--lang", "pt-BR", "--pdf"]) == 0
    assert (out / "slides.pdf").read_bytes().startswith(b"%PDF")


def test_exam_answers_match_the_independent_forward_pass(tmp_path, spec_path):
    folder = tmp_path / "exam"
    assert main(["exam", spec_path, "--seed", "11", "--variants", "2", "-o", str(folder), "--moodle"]) == 0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "Perda log-cosh" not in (folder / "exam.tex").read_text(encoding="utf-8")
    assert "Log-cosh loss" in (folder / "exam.tex").read_text(encoding="utf-8")
    for variant in manifest["variants"]:
        values = variant["values"]
        x = np.array([values["x[0]"], values["x[1]"]])
        y = np.array([values["y[0]"]])
        weights = [np.array([[values[f"W0[{i}][{j}]"] for j in range(2)] for i in range(2)]),
                   np.array([[values[f"W1[{i}][0]"]] for i in range(2)])]
        biases = [np.array([values["b0[0]"], values["b0[1]"]]), np.array([values["b1[0]"]])]
        if "L" in variant["answers"]:
            assert variant["answers"]["L"]["value"] == pytest.approx(by_hand_loss(weights, biases, x, y), rel=1e-12)


def test_check_gives_verdicts(tmp_path, capsys):
    v00 = 0.5 * 0.3 - 0.25 * 0.8 + 0.1
    claims = f'"y0[0]" = {math.log1p(math.exp(v00)):.4f}\n"dy0[0]/dv0[0]" = {math.log1p(math.exp(v00)):.4f}\n'
    path = tmp_path / "claims.toml"
    path.write_text(SPEC + "\n[claims]\n" + claims, encoding="utf-8")
    main(["check", str(path), "--json"])
    results = {r["name"]: r for r in json.loads(capsys.readouterr().out)["claims"]}
    assert results["y0[0]"]["verdict"] == "correct"
    assert results["dy0[0]/dv0[0]"]["verdict"] == "wrong"  # the activation given for its derivative


NAME_TESTS = ('== "softmax"', '== "cce"', '== "bce"', '== "sigmoid"', '"relu", "leaky_relu"', '"sigmoid": lambda',
              '("softmax", "cce")', '("sigmoid", "bce")')


def test_no_other_module_names_a_function():
    package = Path(symbackprop.__file__).parent
    offenders = [f"{path.relative_to(package)}: {test}"
                 for path in sorted(package.rglob("*.py")) if path.parent.name != "functions"
                 for test in NAME_TESTS if test in path.read_text(encoding="utf-8")]
    assert offenders == []
