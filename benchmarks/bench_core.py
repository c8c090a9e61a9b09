"""Derivation, lambdify and batched-gradient benchmarks, each next to a baseline measured in the same run.

Run: python benchmarks/bench_core.py [--quick]
"""
import argparse
import multiprocessing
import time
import tracemalloc

import numpy as np
import sympy

from symbackprop import derive
from symbackprop.numeric.engine import NumericNetwork, Parameters
from symbackprop.model.spec import spec_from_dict
from symbackprop.numeric.references import torch_available

SIZES = [[2, 3, 2], [4, 8, 4], [8, 16, 8], [8, 16, 16, 8], [16, 32, 32, 16]]
NAIVE_LIMIT_S = 60.0


def network_spec(layers):
    """A sigmoid / mse spec of the given layer sizes."""
    return spec_from_dict({"network": {"layers": layers, "activations": "sigmoid", "loss": "mse"}})


def peak_mib(fn):
    """Peak traced memory of one call, in MiB."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def measure(fn):
    """(seconds, peak MiB) of one call, timed without tracing."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start, peak_mib(fn)


def derive_and_lambdify(layers):
    """The tool's way: per-layer symbols and chains, then the batched code generated from that derivation."""
    NumericNetwork(derive(network_spec(layers)))


def print_latex(layers):
    """Every derivative quantity's closed form printed as LaTeX (what `derive --json` writes)."""
    derive(network_spec(layers)).latex()


def naive(layers):
    """The naive way: L in the leaf symbols, differentiated once per parameter, then lambdified."""
    spec = network_spec(layers)
    derivation = derive(spec)
    loss = derivation.loss_expression()
    params = sorted(loss.free_symbols, key=lambda s: s.name)
    gradients = [sympy.diff(loss, p) for p in params]
    sympy.lambdify(params, gradients, cse=True)


def _naive_worker(layers, queue):
    queue.put(measure(lambda: naive(layers)))


def naive_with_limit(layers):
    """naive() in a subprocess, or None when it does not finish within the limit."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_naive_worker, args=(layers, queue))
    process.start()
    process.join(NAIVE_LIMIT_S)
    if process.is_alive():
        process.terminate()
        process.join()
        return None
    return queue.get()


def numpy_backprop(weights, biases, X, T):
    """Hand-written vectorized NumPy backprop for sigmoid layers and mse: the baseline."""
    ys, current = [X], X
    for W, b in zip(weights, biases):
        current = 1.0 / (1.0 + np.exp(-(current @ W + b)))
        ys.append(current)
    delta = (-2.0 / T.shape[1]) * (T - current) * current * (1 - current)
    d_w, d_b = [], []
    for layer in reversed(range(len(weights))):
        d_w.append(ys[layer].T @ delta)
        d_b.append(delta.sum(axis=0))
        if layer:
            delta = (delta @ weights[layer].T) * ys[layer] * (1 - ys[layer])
    return d_w[::-1], d_b[::-1]


def torch_leaves(weights, biases, X, T):
    """PyTorch's tensors for one batch, built once outside the timed call (a fair baseline)."""
    import torch

    ws = [torch.tensor(w, requires_grad=True) for w in weights]
    bs = [torch.tensor(b, requires_grad=True) for b in biases]
    return ws, bs, torch.from_numpy(X), torch.from_numpy(T)


def torch_backprop(ws, bs, X, T):
    """PyTorch autograd on the CPU in float64: forward and backward on tensors built beforehand."""
    import torch

    for leaf in (*ws, *bs):
        leaf.grad = None
    current = X
    for W, b in zip(ws, bs):
        current = torch.sigmoid(current @ W + b)
    ((T - current) ** 2).mean(dim=1).sum().backward()
    return [w.grad for w in ws], [b.grad for b in bs]


def best_of(fn, repeats):
    """Fastest of several runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the naive baseline and B = 100,000")
    parser.add_argument("--skip-naive", action="store_true", help="skip the naive baseline only")
    args = parser.parse_args()

    print("Derivation + code generation of the batched engine (sigmoid, mse; best of 3); "
          "naive = expand L, diff per parameter, lambdify")
    print(f"{'layers':<18}{'params':>7}{'tool s':>9}{'tool MiB':>10}{'µs/param':>10}{'latex s':>9}"
          f"{'naive s':>10}{'naive/tool':>12}")
    naive_done = not (args.quick or args.skip_naive)
    derive_and_lambdify(SIZES[0])  # warm-up: first imports of the printers and lambdify
    for layers in SIZES:
        seconds = best_of(lambda: derive_and_lambdify(layers), 3)
        peak = peak_mib(lambda: derive_and_lambdify(layers))
        latex_s = measure(lambda: print_latex(layers))[0]
        n = network_spec(layers).network.n_parameters
        naive_text, ratio = "-", "-"
        if naive_done:
            result = naive_with_limit(layers)
            if result is None:
                naive_text, naive_done = f">{NAIVE_LIMIT_S:.0f}", False
            else:
                naive_text, ratio = f"{result[0]:.2f}", f"{result[0] / seconds:.0f}x"
        print(f"{str(layers):<18}{n:>7}{seconds:>9.3f}{peak:>10.1f}{1e6 * seconds / n:>10.0f}{latex_s:>9.2f}"
              f"{naive_text:>10}{ratio:>12}")

    print("\nBatched gradient, float64 (best of 21 at B = 10,000, of 5 at 100,000); "
          "ratios = tool / hand-written NumPy and tool / PyTorch autograd (CPU; its tensors built outside the "
          "timed call)")
    has_torch = torch_available()
    print(f"{'layers':<18}{'B':>8}{'numpy s':>9}{'torch s':>9}{'tool s':>9}{'tool/np':>9}{'tool/torch':>11}"
          f"{'tool MiB':>10}{'numpy MiB':>11}")
    batches = [10_000] if args.quick else [10_000, 100_000]
    rng = np.random.default_rng(0)
    for layers in SIZES:
        spec = network_spec(layers)
        engine = NumericNetwork(spec.network)
        weights = tuple(rng.uniform(-1, 1, (a, b)) for a, b in zip(layers, layers[1:]))
        biases = tuple(rng.uniform(-1, 1, b) for b in layers[1:])
        params = Parameters(weights, biases)
        for batch in batches:
            X = rng.uniform(0, 1, (batch, layers[0]))
            T = rng.uniform(0, 1, (batch, layers[-1]))
            repeats = 21 if batch <= 10_000 else 5
            np_s = best_of(lambda: numpy_backprop(weights, biases, X, T), repeats)
            if has_torch:
                leaves = torch_leaves(weights, biases, X, T)
                torch_s = best_of(lambda: torch_backprop(*leaves), repeats)
            else:
                torch_s = float("nan")
            tool_s = best_of(lambda: engine.gradients(params, X, T), repeats)
            tool_mem = peak_mib(lambda: engine.gradients(params, X, T))
            np_mem = peak_mib(lambda: numpy_backprop(weights, biases, X, T))
            print(f"{str(layers):<18}{batch:>8}{np_s:>9.4f}{torch_s:>9.4f}{tool_s:>9.4f}{tool_s / np_s:>9.2f}"
                  f"{tool_s / torch_s:>11.2f}{tool_mem:>10.1f}{np_mem:>11.1f}")


if __name__ == "__main__":
    main()
