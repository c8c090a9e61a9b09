"""Quantity names, the public contract shared by JSON output, documents and the checker."""
import difflib
import re
from dataclasses import dataclass
from functools import cached_property

from symbackprop.model import functions, symbols
from symbackprop.errors import QuantityError, shown
from symbackprop.model.spec import Network


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity: kind, 0-based layer, 0-based row-orientation indices, training step."""

    kind: str
    layer: int | None = None
    indices: tuple[int, ...] = ()
    step: int | None = None


class Names:
    """Formats and parses quantity names for one network (index base and convention applied)."""

    def __init__(self, network: Network):
        self.network = network
        self.base = network.index_base

    def _n(self, index: int) -> int:
        return index + self.base

    def _w(self, layer: int, i: int, j: int) -> str:
        """W{l}[..][..] with indices as written in the spec's convention."""
        first, second = (i, j) if self.network.convention == "row" else (j, i)
        return f"W{self._n(layer)}[{self._n(first)}][{self._n(second)}]"

    def x(self, i: int) -> str:
        return f"x[{self._n(i)}]"

    def y(self, k: int) -> str:
        return f"y[{self._n(k)}]"

    def weight(self, layer: int, i: int, j: int) -> str:
        return self._w(layer, i, j)

    def bias(self, layer: int, j: int) -> str:
        return f"b{self._n(layer)}[{self._n(j)}]"

    def v(self, layer: int, j: int) -> str:
        return f"v{self._n(layer)}[{self._n(j)}]"

    def act(self, layer: int, j: int) -> str:
        return f"y{self._n(layer)}[{self._n(j)}]"

    def loss_term(self, k: int) -> str:
        return f"l[{self._n(k)}]"

    def d_weight(self, layer: int, i: int, j: int) -> str:
        return f"dL/d{self._w(layer, i, j)}"

    def d_bias(self, layer: int, j: int) -> str:
        return f"dL/d{self.bias(layer, j)}"

    def d_act(self, layer: int, j: int) -> str:
        return f"dL/d{self.act(layer, j)}"

    def d_v(self, layer: int, j: int) -> str:
        return f"dL/d{self.v(layer, j)}"

    def local(self, layer: int, k: int, j: int) -> str:
        """dy{l}[k]/dv{l}[j]: the activation's derivative (k == j unless the activation is softmax)."""
        return f"d{self.act(layer, k)}/d{self.v(layer, j)}"

    def dv_weight(self, layer: int, i: int, j: int) -> str:
        return f"d{self.v(layer, j)}/d{self._w(layer, i, j)}"

    def dv_bias(self, layer: int, j: int) -> str:
        return f"d{self.v(layer, j)}/d{self.bias(layer, j)}"

    def step(self, step: int, name: str) -> str:
        """A parameter or the loss after training step `step` (steps count from 1)."""
        return f"step{step}.{name}"

    def parameters(self):
        """(name, Quantity) for every weight and bias, layer by layer."""
        net = self.network
        for layer in range(net.depth):
            for i in range(net.fan_in(layer)):
                for j in range(net.width(layer)):
                    yield self.weight(layer, i, j), Quantity("W", layer, (i, j))
            for j in range(net.width(layer)):
                yield self.bias(layer, j), Quantity("b", layer, (j,))

    @cached_property
    def table(self) -> dict[str, Quantity]:
        """Every valid name (without training steps) mapped to its Quantity."""
        net = self.network
        table = {self.x(i): Quantity("x", None, (i,)) for i in range(net.layers[0])}
        table.update({self.y(k): Quantity("y", None, (k,)) for k in range(net.layers[-1])})
        table.update(self.parameters())
        for layer in range(net.depth):
            softmax = functions.activation(net.activations[layer], net).vector
            for j in range(net.width(layer)):
                table[self.v(layer, j)] = Quantity("v", layer, (j,))
                table[self.act(layer, j)] = Quantity("act", layer, (j,))
                table[self.d_act(layer, j)] = Quantity("dL/dy", layer, (j,))
                table[self.d_v(layer, j)] = Quantity("dL/dv", layer, (j,))
                table[self.d_bias(layer, j)] = Quantity("dL/db", layer, (j,))
                table[self.dv_bias(layer, j)] = Quantity("dv/db", layer, (j,))
                for k in range(net.width(layer)) if softmax else (j,):
                    table[self.local(layer, k, j)] = Quantity("dy/dv", layer, (k, j))
                for i in range(net.fan_in(layer)):
                    table[self.d_weight(layer, i, j)] = Quantity("dL/dW", layer, (i, j))
                    table[self.dv_weight(layer, i, j)] = Quantity("dv/dW", layer, (i, j))
        table.update({self.loss_term(k): Quantity("l", None, (k,)) for k in range(net.layers[-1])})
        table["L"] = Quantity("L")
        return table

    def parse(self, name: str, steps: int = 0) -> Quantity:
        """Parse a quantity name; unknown names fail with the closest valid ones."""
        match = re.fullmatch(r"step([1-9]\d{0,8})\.(.+)", name)  # a step count fits an int, whatever is typed
        if match and 1 <= int(match.group(1)) <= steps:
            inner = self.table.get(match.group(2))
            if inner is not None and inner.kind in ("W", "b", "L"):
                return Quantity(inner.kind, inner.layer, inner.indices, int(match.group(1)))
        if name in self.table:
            return self.table[name]
        raise QuantityError(f"unknown quantity {shown(name)}; {self.suggest(name)}")

    def suggest(self, name: str) -> str:
        """A hint naming the closest valid names."""
        close = difflib.get_close_matches(name[:200], list(self.table), n=3, cutoff=0.5)
        if close:
            return "did you mean " + " or ".join(repr(c) for c in close) + "?"
        return "expected names such as " + ", ".join(repr(n) for n in list(self.table)[:4]) + " (see README: quantity names)"


SYMBOL_OF_KIND = {
    "x": lambda layer, idx: symbols.x(idx[0]),
    "y": lambda layer, idx: symbols.target(idx[0]),
    "W": lambda layer, idx: symbols.weight(layer, *idx),
    "b": lambda layer, idx: symbols.bias(layer, idx[0]),
    "v": lambda layer, idx: symbols.preactivation(layer, idx[0]),
    "act": lambda layer, idx: symbols.activation(layer, idx[0]),
    "dL/dv": lambda layer, idx: symbols.delta(layer, idx[0]),
    "l": lambda layer, idx: symbols.loss_term(idx[0]),
    "L": lambda layer, idx: symbols.LOSS,
}


def quantity_symbol(q: Quantity):
    """The factory symbol a quantity is written as (δ for dL/dv), or None for other derivatives."""
    make = SYMBOL_OF_KIND.get(q.kind)
    return make(q.layer, q.indices) if make else None


def symbol_quantity(symbol, names: Names) -> str | None:
    """The quantity name a factory symbol stands for (δ^l_j is dL/dv{l}[j]), or None."""
    if symbol == symbols.LOSS:
        return "L"
    parsed = symbols.parse_symbol(symbol)
    if parsed is None:
        return None
    idx = parsed.indices
    return {
        "input": lambda: names.x(*idx),
        "target": lambda: names.y(*idx),
        "weight": lambda: names.weight(*idx),
        "bias": lambda: names.bias(*idx),
        "preactivation": lambda: names.v(*idx),
        "activation": lambda: names.act(*idx),
        "delta": lambda: names.d_v(*idx),
        "loss_term": lambda: names.loss_term(*idx),
    }[parsed.kind]()
