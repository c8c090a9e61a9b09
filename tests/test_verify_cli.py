"""`symbackprop derive --verify`: finite differences and PyTorch autograd agree with the derived gradients."""
import json
import re

import pytest

from symbackprop.numeric import references
from symbackprop.cli import main

SPECS = {
    "relu softmax cce": """
[network]
layers = [3, 4, 3]
activations = ["relu", "softmax"]
loss = "cce"
[values]
x = [0.5, -0.2, 0.9]
y = [0.0, 1.0, 0.0]
W0 = [[0.1, -0.2, 0.3, 0.4], [0.5, 0.6, -0.7, 0.8], [-0.9, 0.1, 0.2, 0.3]]
b0 = [0.1, -0.1, 0.2, 0.05]
W1 = [[0.2, -0.3, 0.4], [0.5, 0.1, -0.2], [0.3, 0.3, 0.3], [-0.4, 0.2, 0.1]]
b1 = [0.0, 0.1, -0.1]
""",
    "column base 1 tanh bce": """
[network]
layers = [2, 3, 1]
activations = ["tanh", "sigmoid"]
loss = "bce"
convention = "column"
index_base = 1
[values]
x = [0.3, -0.8]
y = [1.0]
W1 = [[0.2, -0.4], [0.6, 0.1], [-0.3, 0.5]]
b1 = [0.1, 0.0, -0.2]
W2 = [[0.7, -0.5, 0.3]]
b2 = [0.05]
""",
    "leaky linear half_sse": """
[network]
layers = [2, 2, 2]
activations = ["leaky_relu", "linear"]
loss = "half_sse"
leaky_slope = 0.1
[values]
x = [1.0, -2.0]
y = [0.5, -0.5]
W0 = [[0.3, -0.6], [0.2, 0.4]]
b0 = [0.0, 0.1]
W1 = [[1.0, -1.0], [0.5, 0.5]]
b1 = [0.2, -0.2]
""",
}


def spec_file(tmp_path, label):
    path = tmp_path / "spec.toml"
    path.write_text(SPECS[label], encoding="utf-8")
    return str(path)


def test_default_text_report(capsys):
    assert main(["derive", "--verify"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"largest \|derived - central finite differences\| = (\S+)", out)
    assert found and float(found.group(1)) < 1e-7


@pytest.mark.parametrize("label", list(SPECS))
def test_json_verify_for_several_networks(tmp_path, capsys, label):
    assert main(["derive", spec_file(tmp_path, label), "--json", "--verify"]) == 0
    report = json.loads(capsys.readouterr().out)["verify"]
    assert report["finite_differences"] < 1e-6
    if references.torch_available():
        assert report["torch"] is not None and report["torch"] < 1e-12
    else:
        assert report["torch"] is None


def test_without_torch_the_comparison_is_skipped(monkeypatch, capsys):
    monkeypatch.setattr(references, "torch_available", lambda: False)
    assert main(["derive", "--verify"]) == 0
    assert "PyTorch not installed" in capsys.readouterr().out


def test_verify_needs_values(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_text('[network]\nlayers = [2, 1]\nactivations = "sigmoid"\nloss = "mse"\n', encoding="utf-8")
    assert main(["derive", str(path), "--verify"]) == 2
    assert "--verify needs a [values] table" in capsys.readouterr().err
