"""The number of every named quantity at a spec's values, and after each training step."""
import numpy as np

from symbackprop.errors import SpecError
from symbackprop.model import functions
from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.model.quantities import Names
from symbackprop.model.spec import Network, Training, Values


def quantity_values(network: Network, values: Values, training: Training | None = None,
                    engine: NumericNetwork | None = None) -> dict[str, float]:
    """Every named quantity (inputs, parameters, forward, loss, factors, gradients, steps) as a float."""
    if values is None:
        raise SpecError("the spec has no [values] table; add x, y, W.. and b.. to get numbers")
    engine = engine or NumericNetwork(network)
    names = Names(network)
    params = Parameters.from_values(values)
    X, T = np.array([values.x]), np.array([values.y])
    run = engine.run(params, X, T)
    out: dict[str, float] = {}
    out.update({names.x(i): v for i, v in enumerate(values.x)})
    out.update({names.y(k): v for k, v in enumerate(values.y)})
    _parameters(out, names, network, params)
    for layer in range(network.depth):
        out.update({names.v(layer, j): run.v[layer][0, j] for j in range(network.width(layer))})
        out.update({names.act(layer, j): run.y[layer][0, j] for j in range(network.width(layer))})
    out.update({names.loss_term(k): run.loss_terms[0, k] for k in range(network.layers[-1])})
    out["L"] = run.loss[0]
    entries = functions.activations_of(network)
    for layer in reversed(range(network.depth)):
        width = network.width(layer)
        outputs = run.y[layer][0]
        for j in range(width):
            out[names.d_act(layer, j)] = run.d_act[layer][0, j]
            if run.local[layer] is not None:
                out[names.local(layer, j, j)] = run.local[layer][0, j]
            else:  # a vector activation: its full Jacobian
                for k in range(width):
                    out[names.local(layer, k, j)] = entries[layer].jacobian(k, j, outputs)
            out[names.d_v(layer, j)] = run.delta[layer][0, j]
            for i in range(network.fan_in(layer)):
                out[names.dv_weight(layer, i, j)] = run.inputs[layer][0, i]
                out[names.d_weight(layer, i, j)] = run.d_weights[layer][i, j]
            out[names.dv_bias(layer, j)] = 1.0
            out[names.d_bias(layer, j)] = run.d_biases[layer][j]
    if training is not None:
        for step, (updated, loss) in enumerate(engine.train(params, X, T, training), start=1):
            after: dict[str, float] = {}
            _parameters(after, names, network, updated)
            out.update({names.step(step, name): value for name, value in after.items()})
            out[names.step(step, "L")] = loss
    return {name: float(value) for name, value in out.items()}


def _parameters(out: dict, names: Names, network: Network, params: Parameters) -> None:
    for name, q in names.parameters():
        if q.kind == "W":
            out[name] = params.weights[q.layer][q.indices]
        else:
            out[name] = params.biases[q.layer][q.indices[0]]


def finite_values(network: Network, values: Values, training: Training | None = None) -> dict[str, float]:
    """quantity_values for printing: fails on the first quantity that is not finite in float64."""
    with np.errstate(all="ignore"):
        numbers = quantity_values(network, values, training)
    for name, value in numbers.items():
        if not np.isfinite(value):
            raise SpecError(f"values: {name} is {value} in float64 at these values (a unit saturates, so a "
                            f"division or log reaches 0); expected finite numbers: use smaller weights, biases "
                            f"or inputs")
    return numbers
