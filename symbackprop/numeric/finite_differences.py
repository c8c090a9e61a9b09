"""Loss gradients of any batched network by the one central-difference routine (model/differences.py)."""
from typing import Callable

import numpy as np

from symbackprop.model.differences import central_difference

H = 1e-6  # the default step


def parameter_gradients(loss: Callable, params, h: float = H):
    """Central differences of loss(params) in every weight and bias: (dW per layer, db per layer)."""
    def with_layer(layer: int, kind: str, array: np.ndarray) -> float:
        weights, biases = list(params.weights), list(params.biases)
        (weights if kind == "W" else biases)[layer] = array
        return loss(type(params)(tuple(weights), tuple(biases)))

    d_w = [central_difference(lambda a, layer=layer: with_layer(layer, "W", a), w, h)
           for layer, w in enumerate(params.weights)]
    d_b = [central_difference(lambda a, layer=layer: with_layer(layer, "b", a), b, h)
           for layer, b in enumerate(params.biases)]
    return d_w, d_b


def loss_gradients(engine, params, X, T, h: float = H):
    """Central differences of the summed loss of a batch, (dW per layer, db per layer); forward passes only."""
    return parameter_gradients(lambda p: float(engine.losses(p, X, T).sum()), params, h)
