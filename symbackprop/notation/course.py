"""The course notation of one network in one language: layer-level names (W^{1}, \\hat{y}^{1}, δ^{1}), entries
with generic indices, sums and closed forms (updated parameters: printer.quantity_tex). Documents and the diagram write math only
through this class and the printer."""
import sympy

from symbackprop.model import symbols
from symbackprop.model.spec import Network
from symbackprop.notation.numbers_in_math import closed_tex


class CourseNotation:
    """Names and closed forms in a network's notation (index base, convention, ŷ), cases worded by `if_word`."""

    def __init__(self, network: Network, if_word: str = "if"):
        self.net, self.if_word = network, if_word
        self.base = network.index_base
        self.row = network.convention == "row"

    def n(self, index: int) -> int:
        """An index as the course numbers it (from 0 or from 1)."""
        return index + self.base

    def act(self, layer: int) -> str:
        """y^{l}, or \\hat{y}^{l} for the output layer."""
        letter = r"\hat{y}" if layer == self.net.output_layer else "y"
        return f"{letter}^{{{self.n(layer)}}}"

    def inputs(self, layer: int) -> str:
        """The vector feeding layer l: x, or the previous layer's activations."""
        return "x" if layer == 0 else self.act(layer - 1)

    def layer(self, letter: str, layer: int) -> str:
        """A layer-level name: W^{l}, b^{l}, v^{l}, g^{l}, \\delta^{l}."""
        return f"{letter}^{{{self.n(layer)}}}"

    def weight(self, layer: int, i, j) -> str:
        """w^{l}_{i,j} (row convention) or w^{l}_{j,i} (column convention) with the given index texts."""
        first, second = (i, j) if self.row else (j, i)
        return f"w^{{{self.n(layer)}}}_{{{first},{second}}}"

    def generic_weight(self) -> str:
        """The weight with generic indices, as a legend writes it."""
        return "w^{l}_{i,j}" if self.row else "w^{l}_{j,i}"

    def entry(self, letter: str, layer: int, index) -> str:
        """One entry of a layer's vector, e.g. v^{1}_{k}; y of the output layer is \\hat{y}."""
        if letter == "y" and layer == self.net.output_layer:
            letter = r"\hat{y}"
        return f"{letter}^{{{self.n(layer)}}}_{{{index}}}"

    def sum_over(self, index: str, count: int) -> str:
        """\\sum_{k=0}^{n-1} in the network's index base."""
        return rf"\sum_{{{index}={self.base}}}^{{{count - 1 + self.base}}}"

    def tex(self, expr) -> str:
        """A closed form in the course notation, cases worded in the document's language."""
        return closed_tex(expr, self.net, self.if_word)

    def vector(self, entries) -> str:
        """A row vector (row convention) or a column vector (column convention)."""
        shape = (1, len(entries)) if self.row else (len(entries), 1)
        return self.tex(sympy.Matrix(*shape, list(entries)))

    def weights(self, layer: int) -> str:
        """W^{l} written out entry by entry, as the convention lays it."""
        net = self.net
        matrix = sympy.Matrix(net.fan_in(layer), net.width(layer), lambda i, j: symbols.weight(layer, i, j))
        return self.tex(matrix if self.row else matrix.T)
