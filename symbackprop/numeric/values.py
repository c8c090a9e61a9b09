"""The number of every named quantity at a spec's values, and after each training step."""
import numpy as np

from symbackprop.errors import SpecError
from symbackprop.model.points import parameter_point, values_point
from symbackprop.model.quantities import Names
from symbackprop.model.spec import Network, Training, Values
from symbackprop.numeric.engine import NumericNetwork, Parameters


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
    out: dict[str, float] = values_point(network, values)
    for layer in range(network.depth):
        out.update({names.v(layer, j): run.v[layer][0, j] for j in range(network.width(layer))})
        out.update({names.act(layer, j): run.y[layer][0, j] for j in range(network.width(layer))})
    out.update({names.loss_term(k): run.loss_terms[0, k] for k in range(network.layers[-1])})
    out["L"] = run.loss[0]
    for layer in reversed(range(network.depth)):
        width, local = network.width(layer), run.local[layer][0]
        for j in range(width):
            out[names.d_act(layer, j)] = run.d_act[layer][0, j]
            if local.ndim == 1:
                out[names.local(layer, j, j)] = local[j]
            else:
                out.update({names.local(layer, k, j): local[k, j] for k in range(width)})
            out[names.d_v(layer, j)] = run.delta[layer][0, j]
            for i in range(network.fan_in(layer)):
                out[names.dv_weight(layer, i, j)] = run.inputs[layer][0, i]
                out[names.d_weight(layer, i, j)] = run.d_weights[layer][i, j]
            out[names.dv_bias(layer, j)] = 1.0
            out[names.d_bias(layer, j)] = run.d_biases[layer][j]
    if training is not None:
        for step, (updated, loss) in enumerate(engine.train(params, X, T, training), start=1):
            after = parameter_point(network, updated.weights, updated.biases)
            out.update({names.step(step, name): value for name, value in after.items()})
            out[names.step(step, "L")] = loss
    return {name: float(value) for name, value in out.items()}


def finite_values(network: Network, values: Values, training: Training | None = None,
                  engine: NumericNetwork | None = None) -> dict[str, float]:
    """quantity_values for printing: fails on the first quantity that is not finite in float64."""
    numbers = quantity_values(network, values, training, engine)
    for name, value in numbers.items():
        if not np.isfinite(value):
            raise SpecError(f"values: {name} is {value} in float64 at these values (a unit overflows); expected "
                            f"finite numbers: use smaller weights, biases or inputs")
    return numbers
