"""Spec parsing: valid specs load, every kind of bad input gives one clear line and exit code 2."""
import json

import pytest

from symbackprop.cli import main
from symbackprop.errors import SpecError
from symbackprop.model.spec import MAX_PARAMETERS, parse_spec, spec_to_dict

GOOD = """
title = "T"
[network]
layers = [2, 2]
activations = "sigmoid"
loss = "mse"
[values]
x = [0.1, 0.2]
y = [0.0, 1.0]
W0 = [[0.1, 0.2], [0.3, 0.4]]
b0 = [0.5, 0.6]
"""


def network(**overrides) -> str:
    fields = {"layers": "[2, 3, 2]", "activations": '"sigmoid"', "loss": '"mse"', **overrides}
    return "[network]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items())


BAD = [
    ("[network\nlayers = [1]", "malformed TOML", "line 1, column 9"),
    (network(activations='"sigmod"'), "unknown activation 'sigmod'", "did you mean 'sigmoid'"),
    (network(loss='"mae"'), "unknown loss 'mae'", "mse, sse, half_sse, bce, cce"),
    (network(layers="[2, 0, 1]"), "network.layers", ">= 1"),
    (network(layers="[2]"), "network.layers", "at least 2"),
    (network(activations='["softmax", "sigmoid"]'), "output layer only", "hidden layer 0"),
    (network(loss='"cce"'), "cce needs a softmax output layer", "got sigmoid"),
    (network(loss='"bce"', activations='["sigmoid", "tanh"]'), "bce needs a sigmoid output", "got tanh"),
    (network(activations='["sigmoid"]'), "expected 2 (one per layer after the input)", "got 1"),
    (network(convention='"col"'), "network.convention", '"row" or "column"'),
    (network(index_base="2"), "network.index_base", "expected 0 or 1"),
    (network(layers="[100, 100]"), f"exceed the symbolic size limit of {MAX_PARAMETERS}", "10100 parameters"),
    (network(layerz="[1]"), "unknown key 'network.layerz'", "did you mean 'layers'"),
    ('titel = "x"\n' + network(), "unknown key 'titel'", "did you mean 'title'"),
    ("title = 'x'", "missing table [network]", "layers"),
    (network(layers="[1, 1]") + "[values]\nx = [nan]\ny = [1.0]\nW0 = [[1.0]]\nb0 = [0.0]\n",
     "values.x", "finite number, got nan"),
    (network(layers="[1, 1]") + "[values]\nx = [1.0]\ny = [1.0]\nW0 = [[1.0, 2.0]]\nb0 = [0.0]\n",
     "values.W0", "expected shape (1, 1), got (1, 2)"),
    (network(layers="[1, 1]") + "[values]\nx = [1.0]\ny = [1.0, 2.0]\nW0 = [[1.0]]\nb0 = [0.0]\n",
     "values.y", "expected shape (1,), got (2,)"),
    (network(layers="[1, 1]") + "[values]\nx = [1.0]\ny = [1.0]\nW0 = [[1.0]]\n", "values.b0 is missing", "x, y, W0, b0"),
    (network(layers="[1, 1]", index_base="1") + "[values]\nx = [1.0]\ny = [1.0]\nW0 = [[1.0]]\nb0 = [0.0]\n",
     "unknown key 'values.W0'", "W1"),
    (network() + "[training]\nlearning_rate = -1\n", "training.learning_rate", "> 0"),
    (network() + "[training]\nsteps = 0\n", "training.steps", "1 to 10000"),
    (network() + "[training]\nmomentum = 1.5\n", "training.momentum", "[0, 1)"),
]


@pytest.mark.parametrize("text,first,second", BAD, ids=[b[1][:40] for b in BAD])
def test_bad_spec_raises_one_clear_message(text, first, second):
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    message = str(info.value)
    assert first in message and second in message
    assert "\n" not in message


@pytest.mark.parametrize("text,first,second", BAD[:6], ids=[b[1][:40] for b in BAD[:6]])
def test_cli_prints_one_line_and_exits_2(tmp_path, capsys, text, first, second):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["derive", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbackprop: error: ") and first in lines[0]
    assert "Traceback" not in captured.err


def test_missing_file_is_one_line(tmp_path, capsys):
    assert main(["derive", str(tmp_path / "nope.toml")]) == 2
    assert "cannot read the spec" in capsys.readouterr().err


def test_activation_string_applies_to_every_layer_and_normalizes():
    spec = parse_spec(GOOD)
    data = spec_to_dict(spec)
    assert data["network"] == {"layers": [2, 2], "activations": ["sigmoid"], "loss": "mse", "convention": "row",
                               "index_base": 0, "leaky_slope": 0.01}
    assert data["values"]["W0"] == [[0.1, 0.2], [0.3, 0.4]]
    assert json.loads(json.dumps(data)) == data


def test_column_convention_round_trips_the_matrix_as_written():
    text = network(layers="[2, 3]", activations='"linear"', convention='"column"') + (
        "[values]\nx = [1.0, 2.0]\ny = [0.0, 0.0, 0.0]\nW0 = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]\nb0 = [0, 0, 0]\n")
    spec = parse_spec(text)
    assert spec.values.weights[0] == ((1.0, 3.0, 5.0), (2.0, 4.0, 6.0))  # stored row orientation
    assert spec_to_dict(spec)["values"]["W0"] == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
