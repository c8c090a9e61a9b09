"""The one symbol factory: Python-identifier names that carry their structure (w_0_1_2)."""
import re
from dataclasses import dataclass
from functools import lru_cache

import sympy

# kind letter -> meaning; indices are always 0-based and in the row orientation (source, destination)
KINDS = {
    "x": "input",          # x_i
    "t": "target",         # t_k, printed y_k
    "w": "weight",         # w_l_i_j: layer l, source unit i, destination unit j
    "b": "bias",           # b_l_j
    "v": "preactivation",  # v_l_j
    "y": "activation",     # y_l_j, printed \hat{y} on the output layer
    "d": "delta",          # d_l_j = dL/dv_l_j
    "l": "loss_term",      # l_k
}
_NAME = re.compile(r"^([xtwbvydl])((?:_\d+)+)$")


@lru_cache(maxsize=None)
def _symbol(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


def x(i: int) -> sympy.Symbol:
    """Input x_i."""
    return _symbol(f"x_{i}")


def target(k: int) -> sympy.Symbol:
    """Target y_k."""
    return _symbol(f"t_{k}")


def weight(layer: int, i: int, j: int) -> sympy.Symbol:
    """Weight joining unit i of the previous layer to unit j of `layer`."""
    return _symbol(f"w_{layer}_{i}_{j}")


def bias(layer: int, j: int) -> sympy.Symbol:
    """Bias of unit j of `layer`."""
    return _symbol(f"b_{layer}_{j}")


def preactivation(layer: int, j: int) -> sympy.Symbol:
    """Net input v^l_j."""
    return _symbol(f"v_{layer}_{j}")


def activation(layer: int, j: int) -> sympy.Symbol:
    """Activation y^l_j (the prediction on the output layer)."""
    return _symbol(f"y_{layer}_{j}")


def delta(layer: int, j: int) -> sympy.Symbol:
    """delta^l_j = dL/dv^l_j."""
    return _symbol(f"d_{layer}_{j}")


def loss_term(k: int) -> sympy.Symbol:
    """Per-output loss term l_k."""
    return _symbol(f"l_{k}")


LOSS = sympy.Symbol("L", real=True)


@dataclass(frozen=True)
class SymbolName:
    """A parsed symbol name: its kind and 0-based indices."""

    kind: str
    indices: tuple[int, ...]


def parse_symbol(symbol: sympy.Symbol) -> SymbolName | None:
    """Split a factory-made symbol into kind and indices, or None for a foreign symbol."""
    match = _NAME.match(symbol.name)
    if not match:
        return None
    indices = tuple(int(part) for part in match.group(2).split("_")[1:])
    return SymbolName(KINDS[match.group(1)], indices)
