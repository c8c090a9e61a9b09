"""The generated batched engine against PyTorch autograd and central differences of the independent reference."""
import numpy as np
import pytest

from symbackprop import derive
from symbackprop.model.spec import spec_from_dict
from symbackprop.numeric import engine as engine_module
from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.model.differences import central_difference, relative_steps
from symbackprop.numeric.finite_differences import loss_gradients
from symbackprop.numeric.references import torch_available, torch_gradients

from . import reference
from .test_gradients import PAIRS, random_case


def batch(spec, rows: int, seed: int):
    """A random batch for a spec's network, targets valid for its loss."""
    rng = np.random.default_rng(seed)
    net = spec.network
    X = rng.uniform(-1, 1, (rows, net.layers[0]))
    if net.loss == "cce":
        T = rng.dirichlet(np.ones(net.layers[-1]), size=rows)
    else:
        T = rng.uniform(0.05, 0.95, (rows, net.layers[-1]))
    return X, T


def reference_batch_gradients(spec, X, T):
    """Σ over rows of the independent reference's central differences."""
    net, val = spec.network, spec.values
    total_w = [np.zeros(np.shape(w)) for w in val.weights]
    total_b = [np.zeros(len(b)) for b in val.biases]
    for x, y in zip(X, T):
        d_w, d_b = reference.finite_difference(net.activations, net.loss, val.weights, val.biases, x, y,
                                               net.leaky_slope)
        total_w = [a + b for a, b in zip(total_w, d_w)]
        total_b = [a + b for a, b in zip(total_b, d_b)]
    return total_w, total_b


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
def test_batched_gradients_match_central_differences_of_the_reference(pair):
    spec = random_case(300 + PAIRS.index(pair), *pair)
    X, T = batch(spec, 6, seed=PAIRS.index(pair))
    got_w, got_b = NumericNetwork(spec.network).gradients(Parameters.from_values(spec.values), X, T)
    want_w, want_b = reference_batch_gradients(spec, X, T)
    for got, want in zip(got_w + got_b, want_w + want_b):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


@pytest.mark.skipif(not torch_available(), reason="PyTorch is not installed")
@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
def test_batched_gradients_match_torch_autograd_in_chunks(pair, monkeypatch):
    widest = max(random_case(400 + PAIRS.index(pair), *pair).network.layers)
    monkeypatch.setattr(engine_module, "CHUNK_ELEMENTS", 4 * widest)  # 11 rows: three chunks run on the pool
    monkeypatch.setattr(engine_module, "PARALLEL_ROWS", 8)
    spec = random_case(400 + PAIRS.index(pair), *pair)
    X, T = batch(spec, 11, seed=7)
    params = Parameters.from_values(spec.values)
    got_w, got_b = NumericNetwork(spec.network).gradients(params, X, T)
    want_w, want_b = torch_gradients(spec.network, params, X, T)
    for got, want in zip(got_w + got_b, want_w + want_b):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_chunks_are_set_by_the_batch_and_the_network_alone():
    assert [engine_module.chunk_rows(b, w) for b, w in ((10_000, 3), (100_000, 3), (100_000, 32), (4096, 16))] \
        == [5000, 20_000, 2041, 2048]


def test_losses_and_run_agree_with_the_reference_row_by_row():
    spec = random_case(501, "softmax", "cce")
    X, T = batch(spec, 5, seed=3)
    engine = NumericNetwork(spec.network)
    params = Parameters.from_values(spec.values)
    net, val = spec.network, spec.values
    want = [reference.total_loss(net.activations, net.loss, val.weights, val.biases, x, y, net.leaky_slope)
            for x, y in zip(X, T)]
    np.testing.assert_allclose(engine.losses(params, X, T), want, rtol=1e-12)
    run = engine.run(params, X, T)
    np.testing.assert_allclose(run.loss, want, rtol=1e-12)
    vs, ys = reference.forward(net.activations, val.weights, val.biases, X, net.leaky_slope)
    for got, expected in zip(run.y, ys):
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    jacobian = run.local[-1]  # softmax: ∂ŷ_k/∂v_j = ŷ_k (δ_kj − ŷ_j) per row
    p = ys[-1]
    np.testing.assert_allclose(jacobian, p[:, :, None] * (np.eye(p.shape[1]) - p[:, None, :]), rtol=1e-12)


def test_the_engine_is_generated_from_the_derivation_it_is_given():
    spec = spec_from_dict({"network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "loss": "bce"}})
    derivation = derive(spec)
    engine = derivation.lambdify()
    assert engine.derivation is derivation
    source = engine.source
    assert "V0 = (X).dot(W0) + b0" in source and "dW0 = (X.T).dot(D0)" in source
    assert "U0 = (D1).dot(W1.T)" in source and "D0 = delta0(U0, V0)" in source


def test_central_difference_of_a_cubic_is_three_squares():
    at = np.array([[0.5, -1.25], [2.0, 0.0]])
    got = central_difference(lambda a: float((a ** 3).sum()), at, h=1e-5)
    np.testing.assert_allclose(got, 3 * at ** 2, atol=1e-9)


def test_relative_steps_grow_with_the_point_and_fall_back_where_it_is_undefined():
    np.testing.assert_array_equal(relative_steps([0.5, -3.0, float("nan")]), [1e-6, 3e-6, 1e-6])
    got = central_difference(lambda a: float(a[0] * a[1]), [2000.0, 0.25], relative_steps([2000.0, 0.25]))
    np.testing.assert_allclose(got, [0.25, 2000.0], rtol=1e-9)


def test_loss_gradients_by_finite_differences_match_the_reference():
    spec = random_case(502, "tanh", "half_sse")
    X, T = batch(spec, 3, seed=5)
    got_w, got_b = loss_gradients(NumericNetwork(spec.network), Parameters.from_values(spec.values), X, T)
    want_w, want_b = reference_batch_gradients(spec, X, T)
    for got, want in zip(got_w + got_b, want_w + want_b):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


GRAPH_PAIRS = [("sigmoid", "bce"), ("softmax", "cce"), ("relu", "mse"), ("leaky_relu", "sse"), ("tanh", "half_sse")]


@pytest.mark.parametrize("pair", GRAPH_PAIRS, ids=["-".join(p) for p in GRAPH_PAIRS])
def test_every_number_equals_the_chain_graph_rule_evaluated_at_the_point(pair):
    """The two consumers of the derivation's graph agree: the generated engine and the checker's local rules."""
    from symbackprop.checking.graph import Graph
    from symbackprop.model.chain_graph import ChainGraph
    from symbackprop.numeric.values import quantity_values

    spec = random_case(600 + GRAPH_PAIRS.index(pair), *pair)
    derivation = derive(spec)
    graph = ChainGraph(derivation)
    numbers = quantity_values(spec.network, spec.values)
    evaluated = Graph(graph).values(list(numbers), graph.point(spec.values))
    for name, number in numbers.items():
        assert evaluated[name] == pytest.approx(number, rel=1e-9, abs=1e-12), name
    chained = [name for name in numbers if name in derivation.graph]
    assert len(chained) == spec.network.n_parameters + sum(spec.network.layers[1:])  # dL/dW, dL/db and dL/dv
