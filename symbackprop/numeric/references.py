"""Independent references for gradients: central finite differences and, where installed, PyTorch autograd."""
import numpy as np

from symbackprop.model import functions
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


def has_torch_counterpart(network) -> bool:
    """True when every function of the network has a PyTorch counterpart in its entry."""
    return all(entry.torch is not None for entry in [*functions.activations_of(network), functions.loss_of(network)])


def torch_gradients(network, params: Parameters, X, T):
    """PyTorch autograd in float64 on the same network, (dW per layer, db per layer); None without counterparts."""
    if not has_torch_counterpart(network):
        return None
    import torch

    options, loss = functions.options(network), functions.loss_of(network)
    weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in params.weights]
    biases = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in params.biases]
    current = torch.tensor(np.atleast_2d(X), dtype=torch.float64)
    for entry, W, b in zip(functions.activations_of(network), weights, biases):
        current = entry.torch(torch, current @ W + b, **options)
    target = torch.tensor(np.atleast_2d(T), dtype=torch.float64)
    loss.torch(torch, current, target, network.layers[-1]).sum().backward()
    return [w.grad.numpy() for w in weights], [b.grad.numpy() for b in biases]


def largest_difference(a, b) -> float:
    """The largest absolute difference between two (dW, db) gradient sets."""
    return max(float(np.max(np.abs(x - y))) for xs, ys in zip(a, b) for x, y in zip(xs, ys))
