"""The built-in activations, one complete entry each."""
import numpy as np
import sympy
from sympy import exp

from symbackprop.model.functions import stable
from symbackprop.model.functions.entries import Activation, named


def _step(v, below):
    """1 for v > 0, `below` otherwise (0 at v = 0, as PyTorch does)."""
    return sympy.Piecewise((1, v > 0), (below, True))


def _softmax_rows(values):
    shifted = values - values.max(axis=1, keepdims=True)
    powers = np.exp(shifted)
    return powers / powers.sum(axis=1, keepdims=True)


def _softmax_vjp(outputs, upstream):
    return outputs * (upstream - (upstream * outputs).sum(axis=1, keepdims=True))


def softmax_jacobian(k: int, j: int, outputs) -> sympy.Expr:
    """dŷ_k/dv_j = ŷ_k (δ_kj − ŷ_j), written ŷ_k(1 − ŷ_k) on the diagonal."""
    if k == j:
        return outputs[k] * (1 - outputs[k])
    return -outputs[k] * outputs[j]


SIGMOID = Activation(
    "sigmoid",
    expression=lambda v, **o: 1 / (1 + exp(-v)),
    derivative=lambda v, g, **o: g * (1 - g),
    stable=lambda v, **o: stable.sigmoid(v),
    stable_derivative=lambda v, **o: stable.sigmoid_derivative(v),
    saturation=lambda y: abs(2 * y - 1),
    names=named(en=("Sigmoid function", "sigmoid", "Derivative of the sigmoid function"),
                pt_BR=("Função sigmoide", "sigmoide", "Derivada da função sigmoide")),
    torch=lambda t, v, **o: t.sigmoid(v),
)

TANH = Activation(
    "tanh",
    expression=lambda v, **o: sympy.tanh(v),
    derivative=lambda v, g, **o: 1 - g**2,
    stable_derivative=lambda v, **o: stable.tanh_derivative(v),
    saturation=abs,
    names=named(en=("Hyperbolic tangent", "tanh", "Derivative of the hyperbolic tangent"),
                pt_BR=("Função tangente hiperbólica", "tanh", "Derivada da função tangente hiperbólica")),
    torch=lambda t, v, **o: t.tanh(v),
)

RELU = Activation(
    "relu",
    expression=lambda v, **o: sympy.Max(0, v),
    derivative=lambda v, g, **o: _step(v, 0),
    stable_derivative=lambda v, **o: _step(v, 0),
    piecewise=True,
    names=named(en=("ReLU function", "ReLU", "Derivative of the ReLU function"),
                pt_BR=("Função ReLU", "ReLU", "Derivada da função ReLU")),
    torch=lambda t, v, **o: t.relu(v),
)

LEAKY_RELU = Activation(
    "leaky_relu",
    expression=lambda v, slope, **o: sympy.Piecewise((v, v > 0), (sympy.nsimplify(slope) * v, True)),
    derivative=lambda v, g, slope, **o: _step(v, sympy.nsimplify(slope)),
    stable_derivative=lambda v, slope, **o: _step(v, sympy.nsimplify(slope)),
    piecewise=True,
    names=named(en=("Leaky ReLU function", "leaky ReLU", "Derivative of the leaky ReLU function"),
                pt_BR=("Função Leaky ReLU", "Leaky ReLU", "Derivada da função Leaky ReLU")),
    torch=lambda t, v, slope, **o: t.nn.functional.leaky_relu(v, slope),
)

LINEAR = Activation(
    "linear",
    expression=lambda v, **o: v,
    derivative=lambda v, g, **o: sympy.Integer(1),
    stable_derivative=lambda v, **o: sympy.Integer(1),
    names=named(en=("Linear (identity) function", "linear", "Derivative of the linear function"),
                pt_BR=("Função linear (identidade)", "linear", "Derivada da função linear")),
    torch=lambda t, v, **o: v,
)

SOFTMAX = Activation(
    "softmax",
    expression=lambda vs, **o: [exp(v) / sympy.Add(*[exp(u) for u in vs]) for v in vs],
    derivative=lambda v, g, **o: g * (1 - g),  # the diagonal of the Jacobian
    stable=lambda vs, **o: stable.softmax(vs),
    jacobian=softmax_jacobian,
    vector=True,
    output_only=True,
    names=named(en=("Softmax function", "softmax", "Derivative of the softmax function"),
                pt_BR=("Função softmax", "softmax", "Derivada da função softmax")),
    torch=lambda t, v, **o: t.softmax(v, dim=1),
    display=((r"g(v)_k", r"\frac{e^{v_k}}{\sum_{m} e^{v_m}}"),
             (r"\frac{\partial g_k}{\partial v_j}",  # by cases: a Kronecker delta would clash with backprop's δ
              r"\begin{cases} g_k (1 - g_k) & k = j \\ - g_k g_j & k \neq j \end{cases}")),
    numeric_forward=_softmax_rows,
    numeric_vjp=_softmax_vjp,
)

BUILT_IN = (SIGMOID, TANH, RELU, LEAKY_RELU, LINEAR, SOFTMAX)
