"""The one training loop: momentum steps against a loop written here on the reference, and frozen biases."""
import numpy as np
import pytest

from symbackprop.cli import main
from symbackprop.model.spec import Training, parse_spec, spec_from_dict, spec_to_dict
from symbackprop.numeric.values import quantity_values

from . import reference

SPEC = {"network": {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"], "loss": "half_sse"},
        "values": {"x": [0.4, -0.9], "y": [0.8], "W0": [[0.3, -0.2], [0.5, 0.7]], "b0": [0.1, -0.3],
                   "W1": [[0.6], [-0.4]], "b1": [0.25]}}


def reference_descent(spec, training: Training):
    """Weights and biases after each step: Δw(t) = -ε ∂L/∂w + α Δw(t-1), gradients by the reference."""
    net, val = spec.network, spec.values
    weights = [np.array(w, float) for w in val.weights]
    biases = [np.array(b, float) for b in val.biases]
    step_w = [np.zeros_like(w) for w in weights]
    step_b = [np.zeros_like(b) for b in biases]
    history = []
    for _ in range(training.steps):
        d_w, d_b = reference.finite_difference(net.activations, net.loss, weights, biases, val.x, val.y)
        step_w = [-training.learning_rate * g + training.momentum * s for g, s in zip(d_w, step_w)]
        weights = [w + s for w, s in zip(weights, step_w)]
        if training.update_biases:
            step_b = [-training.learning_rate * g + training.momentum * s for g, s in zip(d_b, step_b)]
            biases = [b + s for b, s in zip(biases, step_b)]
        history.append(([w.copy() for w in weights], [b.copy() for b in biases]))
    return history


@pytest.mark.parametrize("update_biases", [True, False])
def test_momentum_steps_match_a_loop_on_the_reference(update_biases):
    training = Training(learning_rate=0.5, momentum=0.6, steps=3, update_biases=update_biases)
    spec = spec_from_dict(SPEC)
    numbers = quantity_values(spec.network, spec.values, training)
    for step, (weights, biases) in enumerate(reference_descent(spec, training), start=1):
        assert numbers[f"step{step}.W0[1][0]"] == pytest.approx(weights[0][1, 0], rel=1e-8)
        assert numbers[f"step{step}.W1[0][0]"] == pytest.approx(weights[1][0, 0], rel=1e-8)
        assert numbers[f"step{step}.b0[1]"] == pytest.approx(biases[0][1], rel=1e-8)
        assert numbers[f"step{step}.b1[0]"] == pytest.approx(biases[1][0], rel=1e-8)
        loss = reference.total_loss(spec.network.activations, "half_sse", weights, biases, [0.4, -0.9], [0.8])
        assert numbers[f"step{step}.L"] == pytest.approx(loss, rel=1e-8)
    if not update_biases:
        assert numbers["step3.b0[0]"] == 0.1 and numbers["step3.b1[0]"] == 0.25
        assert numbers["step3.W0[0][0]"] != 0.3


def test_update_biases_is_read_from_the_spec_and_written_back_only_when_false():
    text = "[network]\nlayers = [1, 1]\nactivations = 'linear'\nloss = 'sse'\n[training]\nupdate_biases = false\n"
    spec = parse_spec(text)
    assert spec.training.update_biases is False
    assert spec_to_dict(spec)["training"]["update_biases"] is False
    assert "update_biases" not in spec_to_dict(parse_spec(text.replace("false", "true")))["training"]


def test_update_biases_that_is_not_a_boolean_is_one_line(tmp_path, capsys):
    spec = tmp_path / "bad.toml"
    spec.write_text("[network]\nlayers = [1, 1]\nactivations = 'linear'\nloss = 'sse'\n"
                    "[training]\nupdate_biases = \"no\"\n")
    assert main(["derive", str(spec)]) == 2
    assert capsys.readouterr().err == (f"symbackprop: error: {spec}: training.update_biases: expected true or false, "
                                       f"got 'no'\n")
