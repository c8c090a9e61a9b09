"""Independent references for gradients: central finite differences and, where installed, PyTorch autograd."""
import numpy as np

from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.numeric.finite_differences import loss_gradients


def finite_differences(engine: NumericNetwork, params: Parameters, X, T, h: float = 1e-6):
    """Central differences of the summed loss, (dW per layer, db per layer); uses the forward pass only."""
    return loss_gradients(engine, params, np.atleast_2d(X), np.atleast_2d(T), h)


def torch_available() -> bool:
    """True when PyTorch can be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


TORCH_ACTIVATIONS = {
    "sigmoid": lambda t, v, slope: t.sigmoid(v),
    "tanh": lambda t, v, slope: t.tanh(v),
    "relu": lambda t, v, slope: t.relu(v),
    "leaky_relu": lambda t, v, slope: t.nn.functional.leaky_relu(v, slope),
    "linear": lambda t, v, slope: v,
    "softmax": lambda t, v, slope: t.softmax(v, dim=1),
}
TORCH_LOSSES = {
    "mse": lambda t, p, y: ((y - p) ** 2).mean(dim=1),
    "sse": lambda t, p, y: ((y - p) ** 2).sum(dim=1),
    "half_sse": lambda t, p, y: 0.5 * ((y - p) ** 2).sum(dim=1),
    "bce": lambda t, p, y: t.nn.functional.binary_cross_entropy(p, y, reduction="none").mean(dim=1),
    "cce": lambda t, p, y: -(y * t.log(p)).sum(dim=1),
}


def torch_gradients(network, params: Parameters, X, T):
    """PyTorch autograd in float64 on the same network, (dW per layer, db per layer)."""
    import torch

    weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in params.weights]
    biases = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in params.biases]
    current = torch.tensor(np.atleast_2d(X), dtype=torch.float64)
    for name, W, b in zip(network.activations, weights, biases):
        current = TORCH_ACTIVATIONS[name](torch, current @ W + b, network.leaky_slope)
    target = torch.tensor(np.atleast_2d(T), dtype=torch.float64)
    TORCH_LOSSES[network.loss](torch, current, target).sum().backward()
    return [w.grad.numpy() for w in weights], [b.grad.numpy() for b in biases]


def largest_difference(a, b) -> float:
    """The largest absolute difference between two (dW, db) gradient sets."""
    return max(float(np.max(np.abs(x - y))) for xs, ys in zip(a, b) for x, y in zip(xs, ys))
