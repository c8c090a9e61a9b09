"""The batched numeric network: code generated from the derivation, run over row chunks on all cores."""
import contextlib
import ctypes
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from symbackprop.model.derivation import Derivation
from symbackprop.model.spec import Network, Training, Values
from symbackprop.numeric import codegen, training as descent

CHUNK_ROWS = 2048  # rows per chunk: a layer's arrays stay in cache, and chunks run in parallel
PARALLEL_ROWS = 2 * CHUNK_ROWS  # smaller batches run in one call: the pool would cost more than it saves
_POOL: ThreadPoolExecutor | None = None


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

    def arrays(self) -> list[np.ndarray]:
        """W0, b0, W1, b1, ... in the order the generated code takes them."""
        return [array for pair in zip(self.weights, self.biases) for array in pair]


@dataclass(frozen=True)
class Pass:
    """Every intermediate array of one forward and backward pass over a batch (rows are samples)."""

    inputs: list  # Y^{l-1} feeding each layer (X for layer 0)
    v: list  # V^l
    y: list  # Y^l
    loss_terms: np.ndarray  # (B, N) per-output loss terms
    d_act: list  # ∂L/∂Y^l
    local: list  # ∂Y^l/∂V^l: (B, n) for element-wise activations, (B, n, n) Jacobians [k, j] for vector ones
    delta: list  # ∂L/∂V^l
    d_weights: list  # ∂L/∂W^l summed over the batch
    d_biases: list  # ∂L/∂b^l summed over the batch

    @property
    def loss(self) -> np.ndarray:
        """L per sample."""
        return self.loss_terms.sum(axis=1)


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=max(1, min(os.cpu_count() or 1, 8)))
    return _POOL


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
KEPT_FREE_BYTES = 64 * 2**20  # freed memory glibc keeps for reuse instead of returning it to the system
HEAP_ARRAY_BYTES = 32 * 2**20  # arrays up to this size come from the heap (glibc's largest mmap threshold)


@lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Ask glibc to reuse freed memory for the next array instead of returning it to the system and faulting
    fresh pages in again: each pass allocates and frees the same large temporaries (V, Y, δ per layer), and
    without this the page faults cost more than the arithmetic. Only on Linux with glibc; True when set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, HEAP_ARRAY_BYTES)) and bool(mallopt(M_TRIM_THRESHOLD, KEPT_FREE_BYTES))


@lru_cache(maxsize=1)
def _blas_controller():
    """threadpoolctl's view of the loaded BLAS (scanned once), or None without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


def _one_blas_thread():
    """A context keeping BLAS on one thread while the chunks run in parallel."""
    controller = _blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1, user_api="blas")


def _batch(X, T):
    return np.atleast_2d(np.asarray(X, dtype=float)), np.atleast_2d(np.asarray(T, dtype=float))


class NumericNetwork:
    """Forward, backward and gradient descent for one network, batched over samples, generated from its derivation."""

    def __init__(self, network: Network | Derivation):
        self.derivation = network if isinstance(network, Derivation) else Derivation(network)
        self.network = self.derivation.network
        self.generated = codegen.generate(self.derivation)
        keep_freed_memory()

    @property
    def source(self) -> str:
        """The generated Python source of the passes."""
        return self.generated.source

    def _call(self, name: str, params: Parameters, X, T):
        return self.generated.namespace[name](X, T, *params.arrays())

    def run(self, params: Parameters, X, T) -> Pass:
        """Forward and backward keeping every intermediate array (for worked examples)."""
        X, T = _batch(X, T)
        with np.errstate(all="ignore"):
            return Pass(**self._call("run", params, X, T))

    def losses(self, params: Parameters, X, T) -> np.ndarray:
        """L per sample."""
        X, T = _batch(X, T)
        with np.errstate(all="ignore"):
            return self._call("losses", params, X, T)

    def forward(self, params: Parameters, X, T=None):
        """(inputs, V, Y) per layer for a batch X of shape (B, n_in)."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        T = np.zeros((X.shape[0], self.network.layers[-1])) if T is None else T
        run = self.run(params, X, T)
        return run.inputs, run.v, run.y

    def gradients(self, params: Parameters, X, T):
        """(∂L/∂W per layer, ∂L/∂b per layer), summed over the batch: ∂L/∂W^l = (Y^{l-1})^T δ^l.

        BLAS stays on one thread (its threads cost more than they save on a network's skinny products, and far
        more on a busy machine); large batches run as row chunks of a fixed size on a thread pool instead, and
        the chunks' gradients add up (the same chunks on every machine, so the same sums).
        """
        X, T = _batch(X, T)
        arrays = params.arrays()
        function = self.generated.namespace["gradients"]
        with _one_blas_thread(), np.errstate(all="ignore"):
            if X.shape[0] < PARALLEL_ROWS:
                return function(X, T, *arrays)
            parts = list(_pool().map(lambda start: function(X[start:start + CHUNK_ROWS], T[start:start + CHUNK_ROWS],
                                                            *arrays), range(0, X.shape[0], CHUNK_ROWS)))
        return ([sum(part[0][layer] for part in parts) for layer in range(self.network.depth)],
                [sum(part[1][layer] for part in parts) for layer in range(self.network.depth)])

    def train(self, params: Parameters, X, T, training: Training) -> list[tuple[Parameters, float]]:
        """Gradient descent with momentum; (parameters, summed loss) after each step."""
        X, T = _batch(X, T)
        steps = descent.descend(params, lambda p: self.gradients(p, X, T), training)
        return [(after, float(self.losses(after, X, T).sum())) for after in steps]

    @cached_property
    def layer_values(self):
        """The compiled g(V) per layer (element-wise or by columns), as the generated code calls them."""
        return [self.generated.namespace[f"value{layer}"] for layer in range(self.network.depth)]
