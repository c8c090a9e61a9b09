"""Every gradient against independent references over a seeded grid of random networks."""
import itertools

import numpy as np
import pytest
import sympy

from symbackprop.model import symbols
from symbackprop import derive
from symbackprop.numeric.values import quantity_values
from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.model.spec import spec_from_dict
from symbackprop.numeric.references import torch_available, torch_gradients

from . import reference

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
PAIRS = [(out, loss) for out in ELEMENTWISE + ["softmax"] for loss in ("mse", "sse", "half_sse")]
PAIRS += [("sigmoid", "bce"), ("softmax", "cce")]


def random_case(seed: int, output: str, loss: str):
    """A random network spec dict with values, in the given output activation and loss."""
    rng = np.random.default_rng(seed)
    depth = 1 + seed % 4
    layers = [int(n) for n in rng.integers(1, 6, size=depth + 1)]
    if output == "softmax":
        layers[-1] = max(2, layers[-1])
    hidden = [ELEMENTWISE[int(i)] for i in rng.integers(0, len(ELEMENTWISE), size=depth - 1)]
    convention = ("row", "column")[seed % 2]
    base = (seed // 2) % 2
    values = {"x": rng.uniform(-1, 1, layers[0]).round(3).tolist()}
    if loss == "cce":
        target = rng.dirichlet(np.ones(layers[-1]))
    else:
        target = rng.uniform(0.05, 0.95, layers[-1])
    values["y"] = target.tolist()
    for layer in range(depth):
        shape = (layers[layer], layers[layer + 1])
        W = rng.uniform(-1, 1, shape)
        values[f"W{layer + base}"] = (W if convention == "row" else W.T).tolist()
        values[f"b{layer + base}"] = rng.uniform(-0.5, 0.5, layers[layer + 1]).tolist()
    data = {"network": {"layers": layers, "activations": hidden + [output], "loss": loss,
                        "convention": convention, "index_base": base, "leaky_slope": 0.1},
            "values": values}
    return spec_from_dict(data)


CASES = [random_case(seed, out, loss) for (out, loss), seed in zip(
    itertools.chain(PAIRS, PAIRS), range(100, 100 + 2 * len(PAIRS)))]
IDS = [f"{'-'.join(map(str, c.network.layers))}-{'.'.join(c.network.activations)}-{c.network.loss}-"
       f"{c.network.convention}{c.network.index_base}" for c in CASES]


def reference_gradients(spec):
    """Central finite differences of the independent reference."""
    net, val = spec.network, spec.values
    return reference.finite_difference(net.activations, net.loss, val.weights, val.biases, val.x, val.y,
                                       net.leaky_slope)


def test_grid_covers_every_pair_depth_convention_and_base():
    seen = {(c.network.activations[-1], c.network.loss) for c in CASES}
    assert seen == set(PAIRS)
    assert {c.network.depth for c in CASES} == {1, 2, 3, 4}
    assert {(c.network.convention, c.network.index_base) for c in CASES} == {
        ("row", 0), ("row", 1), ("column", 0), ("column", 1)}
    assert max(max(c.network.layers) for c in CASES) == 5


@pytest.mark.parametrize("spec", CASES, ids=IDS)
def test_matrix_form_gradients_match_finite_differences(spec):
    engine = NumericNetwork(spec.network)
    derived_w, derived_b = engine.gradients(Parameters.from_values(spec.values), [spec.values.x], [spec.values.y])
    fd_w, fd_b = reference_gradients(spec)
    for got, want in zip(derived_w + derived_b, fd_w + fd_b):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("spec", CASES, ids=IDS)
def test_named_values_match_reference(spec):
    net, val = spec.network, spec.values
    values = quantity_values(net, val)
    names = derive(spec).names
    vs, ys = reference.forward(net.activations, val.weights, val.biases, val.x, net.leaky_slope)
    for layer in range(net.depth):
        for j in range(net.width(layer)):
            assert values[names.v(layer, j)] == pytest.approx(vs[layer][j], abs=1e-12)
            assert values[names.act(layer, j)] == pytest.approx(ys[layer][j], abs=1e-12)
    assert values["L"] == pytest.approx(
        reference.total_loss(net.activations, net.loss, val.weights, val.biases, val.x, val.y, net.leaky_slope))
    fd_w, fd_b = reference_gradients(spec)
    for name, q in names.parameters():
        fd = fd_w[q.layer][q.indices] if q.kind == "W" else fd_b[q.layer][q.indices[0]]
        assert values["dL/d" + name] == pytest.approx(fd, rel=1e-5, abs=1e-7)


def closed_form_point(spec):
    """Numbers for every symbol of the closed forms, all from the independent reference."""
    net, val = spec.network, spec.values
    vs, ys = reference.forward(net.activations, val.weights, val.biases, val.x, net.leaky_slope)
    _, fd_b = reference_gradients(spec)
    point = {symbols.x(i): v for i, v in enumerate(val.x)}
    point.update({symbols.target(k): v for k, v in enumerate(val.y)})
    for layer in range(net.depth):
        for j in range(net.width(layer)):
            point[symbols.bias(layer, j)] = val.biases[layer][j]
            point[symbols.preactivation(layer, j)] = vs[layer][j]
            point[symbols.activation(layer, j)] = ys[layer][j]
            point[symbols.delta(layer, j)] = fd_b[layer][j]  # δ^l_j = ∂L/∂b^l_j
            for i in range(net.fan_in(layer)):
                point[symbols.weight(layer, i, j)] = val.weights[layer][i][j]
    return point


@pytest.mark.parametrize("spec", CASES, ids=IDS)
def test_closed_forms_evaluate_to_finite_differences(spec):
    derivation = derive(spec)
    point = closed_form_point(spec)
    fd_w, fd_b = reference_gradients(spec)
    for name, q in derivation.names.parameters():
        closed = float(derivation.expression("dL/d" + name).xreplace(point))
        fd = fd_w[q.layer][q.indices] if q.kind == "W" else fd_b[q.layer][q.indices[0]]
        assert closed == pytest.approx(fd, rel=1e-5, abs=1e-7), name


@pytest.mark.parametrize("spec", CASES, ids=IDS)
def test_closed_forms_equal_the_product_of_their_factors(spec):
    derivation = derive(spec)
    for name in derivation.gradient_names():
        factors = [derivation.expression(f) for f in derivation.chain(name)]
        difference = sympy.Mul(*factors) - derivation.expression(name)
        assert sympy.cancel(sympy.together(difference.doit())) == 0, name


@pytest.mark.parametrize("spec", [c for c in CASES if c.network.n_parameters <= 20][:8])
def test_expanded_closed_form_equals_naive_symbolic_differentiation(spec):
    derivation = derive(spec)
    loss = derivation.loss_expression()
    point = closed_form_point(spec)
    leaves = {s: v for s, v in point.items()
              if symbols.parse_symbol(s).kind in ("input", "target", "weight", "bias")}
    for name, q in list(derivation.names.parameters())[:6]:
        param = symbols.weight(q.layer, *q.indices) if q.kind == "W" else symbols.bias(q.layer, q.indices[0])
        naive = float(sympy.diff(loss, param).xreplace(leaves))
        expanded = float(derivation.expression("dL/d" + name, expand=True).xreplace(leaves))
        assert expanded == pytest.approx(naive, rel=1e-9, abs=1e-12)


@pytest.mark.skipif(not torch_available(), reason="PyTorch not installed")
@pytest.mark.parametrize("spec", CASES, ids=IDS)
def test_gradients_match_torch_autograd(spec):
    engine = NumericNetwork(spec.network)
    params = Parameters.from_values(spec.values)
    derived = engine.gradients(params, [spec.values.x], [spec.values.y])
    torch_w, torch_b = torch_gradients(spec.network, params, [spec.values.x], [spec.values.y])
    for got, want in zip(derived[0] + derived[1], torch_w + torch_b):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_batched_gradient_is_the_sum_of_per_sample_gradients():
    spec = CASES[3]
    net = spec.network
    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, (6, net.layers[0]))
    T = rng.uniform(0.1, 0.9, (6, net.layers[-1]))
    engine = NumericNetwork(net)
    params = Parameters.from_values(spec.values)
    batch_w, batch_b = engine.gradients(params, X, T)
    for layer in range(net.depth):
        per_sample = [reference.finite_difference(net.activations, net.loss, spec.values.weights,
                                                  spec.values.biases, x, t, net.leaky_slope) for x, t in zip(X, T)]
        np.testing.assert_allclose(batch_w[layer], sum(p[0][layer] for p in per_sample), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(batch_b[layer], sum(p[1][layer] for p in per_sample), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("spec", CASES[:12], ids=IDS[:12])
def test_matrix_form_holds_at_reference_numbers(spec):
    derivation = derive(spec)
    point = closed_form_point(spec)
    fd_w, _ = reference_gradients(spec)
    for layer in range(spec.network.depth):
        form = derivation.matrix_form(layer)
        d_w = np.array(form["dW"].xreplace(point).tolist(), dtype=float)
        np.testing.assert_allclose(d_w, fd_w[layer], rtol=1e-5, atol=1e-7)
        if "dL_dy" in form and spec.network.activations[layer] != "softmax":
            upstream = np.array(form["dL_dy"].xreplace(point).tolist(), dtype=float)[0]
            local = [float(derivation.expression(derivation.names.local(layer, j, j)).xreplace(point))
                     for j in range(spec.network.width(layer))]
            np.testing.assert_allclose(upstream * local, [point[symbols.delta(layer, j)]
                                       for j in range(len(local))], rtol=1e-5, atol=1e-7)


def test_api_evaluate_lambdify_and_jupyter_display():
    spec = CASES[5]
    derivation = derive(spec)
    values = derivation.evaluate()
    fd_w, fd_b = reference_gradients(spec)
    name, q = next(iter(derivation.names.parameters()))
    assert values["dL/d" + name] == pytest.approx(fd_w[q.layer][q.indices], rel=1e-5, abs=1e-7)
    engine = derivation.lambdify()
    got = engine.gradients(Parameters.from_values(spec.values), [spec.values.x], [spec.values.y])
    np.testing.assert_allclose(got[1][-1], fd_b[-1], rtol=1e-5, atol=1e-7)
    shown = derivation._repr_latex_()
    assert shown.startswith(r"$\begin{aligned}") and shown.endswith(r"\end{aligned}$")
    assert shown.count(r"\times") == sum(len(derivation.chain(n)) - 1 for n in derivation.gradient_names()) > 0


def test_adding_an_activation_is_one_table_entry(monkeypatch):
    from symbackprop.model import functions

    softplus = functions.Activation("softplus", lambda v, **o: sympy.log(1 + sympy.exp(v)),
                                    lambda v, g, **o: 1 / (1 + sympy.exp(-v)))
    monkeypatch.setitem(functions.ACTIVATIONS, "softplus", softplus)
    spec = spec_from_dict({"network": {"layers": [2, 2, 1], "activations": ["softplus", "linear"], "loss": "sse"},
                           "values": {"x": [0.3, -0.7], "y": [0.5], "W0": [[0.2, -0.4], [0.6, 0.1]],
                                      "b0": [0.05, -0.1], "W1": [[0.3], [-0.8]], "b1": [0.2]}})

    def loss(W0, b0, W1, b1):
        hidden = np.log1p(np.exp(np.array([0.3, -0.7]) @ W0 + b0))
        return float(((0.5 - (hidden @ W1 + b1)) ** 2).sum())

    params = [np.array(p, float) for p in ([[0.2, -0.4], [0.6, 0.1]], [0.05, -0.1], [[0.3], [-0.8]], [0.2])]
    values = derive(spec).evaluate()
    h = 1e-6
    for index, name in [((0, 1), "W0[0][1]"), ((1,), "b0[1]"), ((1, 0), "W1[1][0]")]:
        which = {"W0": 0, "b0": 1, "W1": 2}[name[:2]]
        up = [p.copy() for p in params]
        down = [p.copy() for p in params]
        up[which][index] += h
        down[which][index] -= h
        assert values["dL/d" + name] == pytest.approx((loss(*up) - loss(*down)) / (2 * h), rel=1e-6)
    assert derive(spec).latex()["dy0[1]/dv0[1]"] == r"\frac{1}{1 + e^{- v^{0}_{1}}}"
