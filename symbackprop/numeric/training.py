"""The one training loop: gradient descent with momentum (Rumelhart, Hinton & Williams 1986, eq. 9)."""
from typing import Callable

import numpy as np

from symbackprop.model.spec import Training


def descend(params, gradients: Callable, training: Training) -> list:
    """The parameters after each of training.steps steps: Δw(t) = -ε ∂E/∂w + α Δw(t-1).

    `gradients(params)` gives (∂L/∂W per layer, ∂L/∂b per layer); biases stay fixed when update_biases is false.
    """
    rate, momentum = training.learning_rate, training.momentum
    previous_w = [np.zeros_like(w) for w in params.weights]
    previous_b = [np.zeros_like(b) for b in params.biases]
    history = []
    for _ in range(training.steps):
        d_w, d_b = gradients(params)
        previous_w = [-rate * g + momentum * p for g, p in zip(d_w, previous_w)]
        if training.update_biases:
            previous_b = [-rate * g + momentum * p for g, p in zip(d_b, previous_b)]
        params = params.updated(previous_w, previous_b)
        history.append(params)
    return history
