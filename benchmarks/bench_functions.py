"""Function entries: the stable forms' cost next to the textbook forms, and reading a spec's own functions.

Each row is measured against its baseline in the same run (best of 5). Run: python benchmarks/bench_functions.py
"""
import time

import numpy as np
import sympy

from symbackprop.model import functions
from symbackprop.model.spec import parse_spec

B = 1_000_000
SPEC_NETWORK = '[network]\nlayers = [2, 3, 2]\nactivations = ["{act}", "sigmoid"]\nloss = "mse"\n'
SWISH = '[functions.swish]\ng = "v / (1 + exp(-v))"\n{derivative}'


def best(fn, repeat: int = 5) -> float:
    """The fastest of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def vectorized(expression, *symbols):
    return sympy.lambdify(symbols, expression, modules="numpy", cse=True)  # as the engine lambdifies


def elementwise_rows(rng):
    v, y = sympy.symbols("v y", real=True)
    values, targets = rng.normal(0, 8, B), rng.integers(0, 2, B).astype(float)
    sigmoid = functions.ACTIVATIONS["sigmoid"]
    tanh = functions.ACTIVATIONS["tanh"]
    bce = functions.output_forms(sigmoid, functions.LOSSES["bce"], [y], [v], 1)
    textbook_bce = functions.LOSSES["bce"].term(y, sigmoid.expression(v), 1)
    pairs = [
        ("sigmoid g", vectorized(sigmoid.expression(v), v), vectorized(sigmoid.stable(v), v), (values,)),
        ("sigmoid g'", vectorized(sigmoid.derivative(v, sigmoid.expression(v)), v),
         vectorized(sigmoid.stable_derivative(v), v), (values,)),
        ("tanh g'", vectorized(tanh.derivative(v, tanh.expression(v)), v),
         vectorized(tanh.stable_derivative(v), v), (values,)),
        ("sigmoid + bce l", vectorized(textbook_bce, y, v), vectorized(bce.terms[0], y, v), (targets, values)),
    ]
    rows = []
    for name, textbook, stable, arguments in pairs:
        with np.errstate(all="ignore"):
            base, new = best(lambda: textbook(*arguments)), best(lambda: stable(*arguments))
        rows.append((name, base, new))
    return rows


def spec_rows():
    plain = SPEC_NETWORK.format(act="sigmoid")
    written = SWISH.format(derivative='derivative = "g + sigmoid(v) * (1 - g)"\n') + SPEC_NETWORK.format(act="swish")
    computed = SWISH.format(derivative="") + SPEC_NETWORK.format(act="swish")
    base = best(lambda: parse_spec(plain))
    return [("spec with swish, derivative written", base, best(lambda: parse_spec(written))),
            ("spec with swish, derivative computed", base, best(lambda: parse_spec(computed)))]


def main():
    rng = np.random.default_rng(0)
    print(f"stable forms over B = {B:,} float64 values (baseline: the textbook form, same run)")
    print(f"{'form':<24}{'textbook s':>12}{'stable s':>12}{'ratio':>8}")
    for name, base, new in elementwise_rows(rng):
        print(f"{name:<24}{base:>12.4f}{new:>12.4f}{new / base:>8.2f}")
    print()
    print("reading a spec (baseline: the same network with built-in functions only)")
    print(f"{'spec':<40}{'built-in s':>12}{'own s':>12}{'ratio':>8}")
    for name, base, new in spec_rows():
        print(f"{name:<40}{base:>12.5f}{new:>12.4f}{new / base:>8.0f}")


if __name__ == "__main__":
    main()
