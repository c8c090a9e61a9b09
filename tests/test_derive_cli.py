"""`symbackprop derive`: text, JSON contract, --expand and --verify."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from symbackprop.cli import main

from . import reference


def run_json(capsys, *args):
    assert main(["derive", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_the_four_contract_keys_for_the_default(capsys):
    doc = run_json(capsys)
    assert list(doc) == ["spec", "values", "latex", "chain"]
    assert doc["spec"]["network"]["layers"] == [2, 3, 2]
    values = doc["values"]
    vs, ys = reference.forward(["sigmoid", "sigmoid"], [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]],
                               [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]]], [[0.1] * 3, [0.2, 0.2]], [0.5, 0.1])
    assert values["v0[2]"] == pytest.approx(vs[0][2])
    assert values["y1[1]"] == pytest.approx(ys[1][1])
    assert values["L"] == pytest.approx(((1 - ys[1][0]) ** 2 + ys[1][1] ** 2) / 2)
    assert values["step1.W1[0][0]"] == pytest.approx(0.7 - 0.5 * values["dL/dW1[0][0]"])
    assert doc["chain"]["dL/dW0[1][2]"] == ["dL/dy0[2]", "dy0[2]/dv0[2]", "dv0[2]/dW0[1][2]"]
    assert doc["latex"]["dy1[0]/dv1[0]"] == r"\hat{y}^{1}_{0} \left(1 - \hat{y}^{1}_{0}\right)"
    assert doc["latex"]["dL/dy1[1]"] == r"- \left(y_{1} - \hat{y}^{1}_{1}\right)"
    expected = {"x", "y", "W", "b", "v", "act", "l", "L", "dL/dW", "dL/db", "dL/dy", "dL/dv", "dy/dv", "dv/dW",
                "dv/db", "step"}
    kinds = set()
    for name in values:
        kinds.add("step" if name.startswith("step") else name.split("[")[0].rstrip("0123456789")
                  .replace("dL/dW", "dL/dW"))
    assert {"x", "y", "W", "b", "v", "l", "L", "step"} <= kinds and len(values) == 101
    assert len(expected) == 16


def test_json_latex_stays_linear_in_size_for_hidden_layers(capsys, tmp_path):
    spec = tmp_path / "wide.toml"
    spec.write_text('[network]\nlayers = [3, 6, 6, 2]\nactivations = "tanh"\nloss = "sse"\n')
    doc = run_json(capsys, str(spec))
    assert doc["values"] == {}
    hidden = doc["latex"]["dL/dW0[2][5]"]
    assert hidden.count(r"\delta^{1}_") == 6 and r"\delta^{2}" not in hidden
    assert "e^" not in hidden and r"\left(1 - \left(y^{0}_{5}\right)^{2}\right)" in hidden


def test_expand_writes_leaf_symbols_only(capsys):
    doc = run_json(capsys, "--expand")
    text = doc["latex"]["dL/dW0[0][0]"]
    for intermediate in (r"\delta", "v^{", r"\hat{y}", "y^{0}"):
        assert intermediate not in text
    assert "w^{0}_{0,0}" in text and "x_{0}" in text and "e^{" in text


def test_expand_refuses_large_networks(tmp_path, capsys):
    spec = tmp_path / "big.toml"
    spec.write_text('[network]\nlayers = [8, 16, 8]\nactivations = "sigmoid"\nloss = "mse"\n')
    assert main(["derive", str(spec), "--json", "--expand"]) == 2
    assert "exceed the limit of 60" in capsys.readouterr().err


def test_text_output_shows_forward_chain_and_numbers(capsys):
    assert main(["derive"]) == 0
    out = capsys.readouterr().out
    v = 0.5 * 0.1 + 0.1 * 0.4 + 0.1
    assert f"v0[0] = x[0]*W0[0][0] + x[1]*W0[1][0] + b0[0] = {v:.4f}" in out
    assert f"y0[0] = 1/(1 + exp(-v0[0])) = {1 / (1 + math.exp(-v)):.4f}" in out
    assert "dL/dW0[1][2] = dL/dy0[2] × dy0[2]/dv0[2] × dv0[2]/dW0[1][2]" in out
    assert "= (d1[0]*W1[2][0] + d1[1]*W1[2][1])*y0[2]*(1 - y0[2])*x[1]" in out
    assert "step 1: L = " in out


def test_verify_reports_tiny_differences(capsys):
    assert main(["derive", "--verify"]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if "finite differences" in l)
    assert float(line.split("=")[-1]) < 1e-8


def test_verify_json_includes_torch_when_installed(capsys):
    doc = run_json(capsys, "--verify")
    assert doc["verify"]["finite_differences"] < 1e-8
    try:
        import torch  # noqa: F401
        assert doc["verify"]["torch"] < 1e-12
    except ImportError:
        assert doc["verify"]["torch"] is None


def test_module_entry_point_runs_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[network]\nlayers = [2, 2]\nactivations = "softmaxx"\nloss = "mse"\n')
    result = subprocess.run([sys.executable, "-m", "symbackprop", "derive", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"symbackprop: error: {bad}: network.activations: unknown activation 'softmaxx'; expected one of "
        "sigmoid, tanh, relu, leaky_relu, linear, softmax (did you mean 'softmax'?)")


@pytest.mark.parametrize("decimals", ["-3", "13"])
def test_decimals_out_of_range_is_one_line(capsys, decimals):
    assert main(["derive", "--decimals", decimals]) == 2
    assert capsys.readouterr().err == (
        f"symbackprop: error: --decimals: expected a whole number from 0 to 12, got {decimals}\n")


def test_decimals_sets_the_printed_precision(capsys):
    assert main(["derive", "--decimals", "6"]) == 0
    v = 0.5 * 0.1 + 0.1 * 0.4 + 0.1
    assert f"v0[0] = x[0]*W0[0][0] + x[1]*W0[1][0] + b0[0] = {v:.6f}" in capsys.readouterr().out


SATURATED = """
[network]
layers = [1, 1]
activations = "sigmoid"
loss = "bce"
[values]
x = [1.0]
y = [0.0]
W0 = [[WEIGHT]]
b0 = [0.0]
"""


def test_a_saturated_sigmoid_with_bce_gets_finite_exact_numbers(tmp_path, capsys):
    spec = tmp_path / "saturated.toml"
    spec.write_text(SATURATED.replace("WEIGHT", "40.0"))
    assert main(["derive", str(spec), "--json"]) == 0
    values = json.loads(capsys.readouterr().out)["values"]
    tail = math.exp(-40.0)  # 1 - σ(40) = σ(-40) = e^{-40} / (1 + e^{-40})
    assert values["l[0]"] == pytest.approx(40.0 + math.log1p(tail), rel=1e-15)  # -log(1 - σ(40))
    assert values["dy0[0]/dv0[0]"] == pytest.approx(tail / (1 + tail) ** 2, rel=1e-12)
    assert values["dL/dv0[0]"] == pytest.approx(1 / (1 + tail), rel=1e-15)  # δ = ŷ - y


@pytest.mark.parametrize("command", ["derive", "slides", "handout"])
def test_values_that_overflow_float64_are_refused_not_printed(tmp_path, capsys, command):
    spec = tmp_path / "saturated.toml"
    spec.write_text(SATURATED.replace("WEIGHT", "1000.0"))  # ∂L/∂ŷ = 1/(1 - ŷ) = 1 + e^{1000}
    out = tmp_path / "out"
    args = [command, str(spec)] + ([] if command == "derive" else ["-o", str(out)])
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not out.exists()
    assert captured.err == ("symbackprop: error: values: dL/dy0[0] is inf in float64 at these values (a unit "
                            "overflows); expected finite numbers: use smaller weights, biases or inputs\n")


@pytest.mark.parametrize("spec_text,delta_tex,n", [
    ('[network]\nlayers = [2, 3]\nactivations = ["softmax"]\nloss = "cce"\n[values]\nx = [0.5, -0.2]\n'
     'y = [0, 1, 0]\nW0 = [[0.1, -0.3, 0.2], [0.4, 0.5, -0.6]]\nb0 = [0.1, 0.0, -0.1]\n',
     r"\hat{y}^{0}_{1} - y_{1}", 1),
    ('[network]\nlayers = [2, 2]\nactivations = ["sigmoid"]\nloss = "bce"\n[values]\nx = [0.5, -0.2]\n'
     'y = [0, 1]\nW0 = [[0.1, -0.3], [0.4, 0.5]]\nb0 = [0.1, 0.0]\n',
     r"\frac{1}{2} \left(\hat{y}^{0}_{1} - y_{1}\right)", 2),
])
def test_cross_entropy_deltas_are_written_as_yhat_minus_y(tmp_path, capsys, spec_text, delta_tex, n):
    spec = tmp_path / "spec.toml"
    spec.write_text(spec_text)
    assert main(["derive", str(spec), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["latex"]["dL/dv0[1]"] == delta_tex
    # by hand: the forward pass, then δ = (ŷ − y)/n, which the chain's product reduces to
    x, w, b = np.array([0.5, -0.2]), np.array(doc["spec"]["values"]["W0"]), np.array(doc["spec"]["values"]["b0"])
    v = x @ w + b
    yhat = np.exp(v) / np.exp(v).sum() if n == 1 else 1 / (1 + np.exp(-v))
    assert doc["values"]["dL/dv0[1]"] == pytest.approx((yhat[1] - 1.0) / n, rel=1e-12)
