"""Every number a student types on the page for an example spec, and its known wrong answers, computed here from the
textbook formulas (tests/reference.py: forward pass, central finite differences), never by symbackprop."""
import numpy as np

from tests import reference


def arrays(values: dict, layers: list[int]):
    """x, y, W (n_in x n_out per layer) and b from GET /api/exercise's named values."""
    x = [values[f"x[{i}]"] for i in range(layers[0])]
    y = [values[f"y[{k}]"] for k in range(layers[-1])]
    weights = [np.array([[values[f"W{l}[{i}][{j}]"] for j in range(layers[l + 1])] for i in range(layers[l])])
               for l in range(len(layers) - 1)]
    biases = [np.array([values[f"b{l}[{j}]"] for j in range(layers[l + 1])]) for l in range(len(layers) - 1)]
    return x, y, weights, biases


def sigmoid_derivative(y: float) -> float:
    return y * (1 - y)


def numbers_and_wrong(exercise: dict, learning_rate: float) -> dict[str, tuple[float, dict[str, float]]]:
    """name -> (correct value, {label: known wrong value}) for every question computed independently."""
    network = exercise["network"]
    layers, activations, loss = network["layers"], network["activations"], network["loss"]
    x, y, weights, biases = arrays(exercise["values"], layers)
    vs, ys = reference.forward(activations, weights, biases, x)
    d_w, d_b = reference.finite_difference(activations, loss, weights, biases, x, y)
    inputs = [np.asarray(x, float), *ys[:-1]]
    found: dict[str, tuple[float, dict]] = {}

    def add(name, value, **wrong):
        found[name] = (float(value), {"zero": 0.0, "one": 1.0, "minus_one": -1.0, "negated": -float(value),
                                      **{k: float(v) for k, v in wrong.items()}})

    for l in range(len(layers) - 1):
        act = activations[l]
        for j in range(layers[l + 1]):
            v, out = vs[l][j], ys[l][j]
            add(f"v{l}[{j}]", v, activation_instead=out)
            add(f"y{l}[{j}]", out, preactivation_for_activation=v)
            if act == "sigmoid":
                derivative = sigmoid_derivative(out)
                add(f"dy{l}[{j}]/dv{l}[{j}]", derivative, activation_for_derivative=out,
                    derivative_at_output=sigmoid_derivative(1 / (1 + np.exp(-out))))
            elif act == "relu":
                derivative = 1.0 if v > 0 else 0.0
            else:
                derivative = None
            if derivative:  # elementwise: dL/dy = dL/dv / g'(v)
                add(f"dL/dy{l}[{j}]", d_b[l][j] / derivative)
            add(f"dL/db{l}[{j}]", d_b[l][j], loss_doubled=2 * d_b[l][j], loss_halved=d_b[l][j] / 2)
            for i in range(layers[l]):
                g = d_w[l][i, j]
                add(f"dv{l}[{j}]/dW{l}[{i}][{j}]", inputs[l][i])
                wrong = {"loss_doubled": 2 * g, "loss_halved": g / 2}
                if derivative:
                    wrong["missing_activation_derivative"] = g / derivative
                add(f"dL/dW{l}[{i}][{j}]", g, **wrong)
                w = weights[l][i, j]
                add(f"step1.W{l}[{i}][{j}]", w - learning_rate * g, update_not_applied=w,
                    update_sign=w + learning_rate * g, gradient_for_weight=g)
    add("L", reference.loss(loss, np.asarray(y, float), ys[-1]))
    return found
