"""Numeric points: the leaves x, y, W and b of one network as {quantity name: float}, and back."""
from typing import Callable

import numpy as np

from symbackprop.model import functions
from symbackprop.model.quantities import Names, quantity_symbol
from symbackprop.model.spec import Network, Values


def parameter_point(network: Network, weights, biases) -> dict[str, float]:
    """W{l}[i][j] and b{l}[j] by name, from row-orientation weights and biases (nested lists or arrays)."""
    point = {}
    for name, q in Names(network).parameters():
        if q.kind == "W":
            i, j = q.indices
            point[name] = float(weights[q.layer][i][j])
        else:
            point[name] = float(biases[q.layer][q.indices[0]])
    return point


def leaf_point(network: Network, x, y, weights, biases) -> dict[str, float]:
    """Inputs, targets, weights and biases by name."""
    names = Names(network)
    point = {names.x(i): float(value) for i, value in enumerate(x)}
    point.update({names.y(k): float(value) for k, value in enumerate(y)})
    point.update(parameter_point(network, weights, biases))
    return point


def values_point(network: Network, values: Values) -> dict[str, float]:
    """The leaves of a spec's [values] table by name."""
    return leaf_point(network, values.x, values.y, values.weights, values.biases)


def point_values(network: Network, number: Callable[[str], float]) -> Values:
    """Values read leaf by leaf through number(name) (a variant's table, a point)."""
    names = Names(network)
    x = tuple(number(names.x(i)) for i in range(network.layers[0]))
    y = tuple(number(names.y(k)) for k in range(network.layers[-1]))
    weights = [[[0.0] * network.width(layer) for _ in range(network.fan_in(layer))] for layer in range(network.depth)]
    biases = [[0.0] * network.width(layer) for layer in range(network.depth)]
    for name, q in names.parameters():
        if q.kind == "W":
            weights[q.layer][q.indices[0]][q.indices[1]] = number(name)
        else:
            biases[q.layer][q.indices[0]] = number(name)
    return Values(x, y, tuple(tuple(map(tuple, w)) for w in weights), tuple(map(tuple, biases)))


def symbol_point(network: Network, point: dict[str, float]) -> dict:
    """The same leaves keyed by their factory symbols (x_0, t_0, w_0_1_2, b_0_1), for lambdified closed forms."""
    table = Names(network).table
    return {quantity_symbol(table[name]): value for name, value in point.items()}


def random_point(network: Network, rng: np.random.Generator, scale: float = 1.0) -> dict[str, float]:
    """Random leaves: inputs, weights and biases in (-scale, scale), targets valid for the loss."""
    names = Names(network)
    point = {names.x(i): rng.uniform(-scale, scale) for i in range(network.layers[0])}
    n_out = network.layers[-1]
    if functions.target_kind(network) == "distribution":
        targets = rng.dirichlet(np.ones(n_out))
    else:
        targets = rng.uniform(0.05, 0.95, n_out)
    point.update({names.y(k): float(targets[k]) for k in range(n_out)})
    for name, _ in names.parameters():
        point[name] = rng.uniform(-scale, scale)
    return {name: float(value) for name, value in point.items()}
