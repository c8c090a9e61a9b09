"""An independent plain-NumPy reference network for tests: written from the textbook formulas only."""
import numpy as np


def activate(name, v, slope=0.01):
    """Apply an activation row-wise."""
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-v))
    if name == "tanh":
        return np.tanh(v)
    if name == "relu":
        return np.where(v > 0, v, 0.0)
    if name == "leaky_relu":
        return np.where(v > 0, v, slope * v)
    if name == "linear":
        return v
    if name == "softmax":
        e = np.exp(v - v.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise KeyError(name)


def loss(name, y, p):
    """Total loss of one sample (y target, p prediction)."""
    n = len(y)
    if name == "mse":
        return np.sum((y - p) ** 2) / n
    if name == "sse":
        return np.sum((y - p) ** 2)
    if name == "half_sse":
        return 0.5 * np.sum((y - p) ** 2)
    if name == "bce":
        return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / n
    if name == "cce":
        return -np.sum(y * np.log(p))
    raise KeyError(name)


def forward(activations, weights, biases, x, slope=0.01):
    """Pre-activations and activations per layer, row convention (weights n_in x n_out)."""
    vs, ys, current = [], [], np.asarray(x, dtype=float)
    for name, W, b in zip(activations, weights, biases):
        v = current @ W + b
        current = activate(name, v, slope)
        vs.append(v)
        ys.append(current)
    return vs, ys


def total_loss(activations, loss_name, weights, biases, x, y, slope=0.01):
    """L for one sample."""
    return loss(loss_name, np.asarray(y, float), forward(activations, weights, biases, x, slope)[1][-1])


def finite_difference(activations, loss_name, weights, biases, x, y, slope=0.01, h=1e-6):
    """Central finite differences of L for every weight and bias: (dW list, db list)."""
    weights = [np.array(w, float) for w in weights]
    biases = [np.array(b, float) for b in biases]
    d_w, d_b = [], []
    for group, out in ((weights, d_w), (biases, d_b)):
        for array in group:
            grad = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                keep = array[index]
                array[index] = keep + h
                up = total_loss(activations, loss_name, weights, biases, x, y, slope)
                array[index] = keep - h
                down = total_loss(activations, loss_name, weights, biases, x, y, slope)
                array[index] = keep
                grad[index] = (up - down) / (2 * h)
            out.append(grad)
    return d_w, d_b
