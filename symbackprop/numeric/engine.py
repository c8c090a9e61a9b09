"""Batched forward and backward passes in matrix form, with local rules lambdified from the function table."""
from dataclasses import dataclass

import numpy as np
import sympy

from symbackprop.model import functions
from symbackprop.model.spec import Network, Training, Values


@dataclass(frozen=True)
class Parameters:
    """Weights (row orientation, n_in x n_out) and biases, one array per layer."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    @classmethod
    def from_values(cls, values: Values) -> "Parameters":
        """The parameters of a spec's [values] table."""
        return cls(tuple(np.array(w, dtype=float) for w in values.weights),
                   tuple(np.array(b, dtype=float) for b in values.biases))

    def updated(self, steps_w, steps_b) -> "Parameters":
        """These parameters plus the given increments."""
        return Parameters(tuple(w + d for w, d in zip(self.weights, steps_w)),
                          tuple(b + d for b, d in zip(self.biases, steps_b)))


@dataclass(frozen=True)
class Pass:
    """Every intermediate array of one forward and backward pass over a batch (rows are samples)."""

    inputs: list  # Y^{l-1} feeding each layer (X for layer 0)
    v: list  # V^l
    y: list  # Y^l
    loss_terms: np.ndarray  # (B, N) per-output loss terms
    d_act: list  # ∂L/∂Y^l
    local: list  # ∂Y^l/∂V^l (element-wise activations; None for softmax)
    delta: list  # ∂L/∂V^l
    d_weights: list  # ∂L/∂W^l summed over the batch
    d_biases: list  # ∂L/∂b^l summed over the batch

    @property
    def loss(self) -> np.ndarray:
        """L per sample."""
        return self.loss_terms.sum(axis=1)


def _elementwise(expr, args):
    """A NumPy function of arrays from a scalar SymPy expression (constants broadcast to the array shape)."""
    fn = sympy.lambdify(args, expr, modules="numpy", cse=True)
    if expr.free_symbols:
        return fn
    constant = float(expr)
    return lambda *arrays: np.full_like(next(a for a in arrays if a is not None), constant)


class NumericNetwork:
    """Forward, backward and gradient descent for one network, batched over samples."""

    def __init__(self, network: Network):
        self.network = network
        v, g, t, p = sympy.symbols("v g t p", real=True)
        options = {"slope": network.leaky_slope}
        self.layers = []
        self.needs_v = []  # whether g' is written with v (ReLU) rather than with g = g(v) (sigmoid)
        for name in network.activations:
            entry = functions.activation(name, network)
            if entry.elementwise:
                forward = _elementwise(entry.expression(v, **options), (v,))
                local = entry.derivative(v, g, **options)
                derivative = _elementwise(local, (v, g))
                self.layers.append((forward, derivative, None))
                self.needs_v.append(v in local.free_symbols)
            else:
                self.layers.append((entry.numeric_forward, None, entry.numeric_vjp))
                self.needs_v.append(False)
        loss = functions.loss_of(network)
        n_out = network.layers[-1]
        self.loss_term = _elementwise(loss.term(t, p, n_out), (t, p))
        self.loss_derivative = _elementwise(loss.derivative(t, p, n_out), (t, p))

    def forward(self, params: Parameters, X: np.ndarray):
        """(inputs, V, Y) per layer for a batch X of shape (B, n_in)."""
        inputs, vs, ys = [], [], []
        current = X
        for (forward, _, _), W, b in zip(self.layers, params.weights, params.biases):
            inputs.append(current)
            V = current @ W + b
            current = forward(V)
            vs.append(V)
            ys.append(current)
        return inputs, vs, ys

    def losses(self, params: Parameters, X: np.ndarray, T: np.ndarray) -> np.ndarray:
        """L per sample."""
        return self.loss_term(T, self.forward(params, X)[2][-1]).sum(axis=1)

    def run(self, params: Parameters, X: np.ndarray, T: np.ndarray) -> Pass:
        """Forward and backward keeping every intermediate array (for worked examples)."""
        X, T = np.atleast_2d(np.asarray(X, dtype=float)), np.atleast_2d(np.asarray(T, dtype=float))
        inputs, vs, ys = self.forward(params, X)
        d_act, local, delta = self._backward(params, vs, ys, T)
        depth = len(self.layers)
        d_weights = [inputs[layer].T @ delta[layer] for layer in range(depth)]
        d_biases = [delta[layer].sum(axis=0) for layer in range(depth)]
        return Pass(inputs, vs, ys, self.loss_term(T, ys[-1]), d_act, local, delta, d_weights, d_biases)

    def _backward(self, params: Parameters, vs, ys, T):
        """δ^l = (δ^{l+1} (W^{l+1})^T) ⊙ g'(V^l), from δ^L = ∂L/∂Ŷ ⊙ g'(V^L); returns (∂L/∂Y, g', δ) per layer."""
        depth = len(self.layers)
        d_act, local, delta = [None] * depth, [None] * depth, [None] * depth
        upstream = self.loss_derivative(T, ys[-1])
        for layer in reversed(range(depth)):
            _, derivative, vjp = self.layers[layer]
            d_act[layer] = upstream
            if vjp is None:
                local[layer] = derivative(vs[layer], ys[layer])
                delta[layer] = upstream * local[layer]
            else:
                delta[layer] = vjp(ys[layer], upstream)
            if layer:
                upstream = delta[layer] @ params.weights[layer].T
        return d_act, local, delta

    def gradients(self, params: Parameters, X: np.ndarray, T: np.ndarray):
        """(∂L/∂W per layer, ∂L/∂b per layer), summed over the batch: ∂L/∂W^l = (Y^{l-1})^T δ^l.

        The lean path: V is kept only where g' needs it, and each layer's arrays are freed once used.
        """
        X, T = np.atleast_2d(np.asarray(X, dtype=float)), np.atleast_2d(np.asarray(T, dtype=float))
        vs, ys, current = [], [X], X
        for (forward, _, _), needs_v, W, b in zip(self.layers, self.needs_v, params.weights, params.biases):
            V = current @ W + b
            current = forward(V)
            vs.append(V if needs_v else None)
            ys.append(current)
        depth = len(self.layers)
        d_weights, d_biases = [None] * depth, [None] * depth
        upstream = self.loss_derivative(T, current)
        for layer in reversed(range(depth)):
            _, derivative, vjp = self.layers[layer]
            V, output = vs.pop(), ys.pop()
            delta = upstream * derivative(V, output) if vjp is None else vjp(output, upstream)
            d_weights[layer] = ys[-1].T @ delta
            d_biases[layer] = delta.sum(axis=0)
            if layer:
                upstream = delta @ params.weights[layer].T
        return d_weights, d_biases

    def train(self, params: Parameters, X, T, training: Training) -> list[tuple[Parameters, float]]:
        """Gradient descent with momentum: Δw(t) = -ε ∂E/∂w + α Δw(t-1); (parameters, loss) after each step."""
        history = []
        previous_w = [np.zeros_like(w) for w in params.weights]
        previous_b = [np.zeros_like(b) for b in params.biases]
        for _ in range(training.steps):
            d_w, d_b = self.gradients(params, X, T)
            previous_w = [-training.learning_rate * g + training.momentum * p for g, p in zip(d_w, previous_w)]
            previous_b = [-training.learning_rate * g + training.momentum * p for g, p in zip(d_b, previous_b)]
            params = params.updated(previous_w, previous_b)
            history.append((params, float(self.losses(params, X, T).sum())))
        return history
