"""A document's symbols read as quantity names: the course notation, common hand-written variants, a spec's table."""
import re

from symbackprop.model.quantities import Names
from symbackprop.model.spec import Network

LOSS_NAMES = {"L", "E", "MSE", "J", "C", "\\mathcal{L}", "E_{total}", "E_{\\text{total}}", "E_{\\mathrm{total}}",
              "E_{tot}", "L_{total}", "\\mathrm{MSE}", "\\text{MSE}", "\\operatorname{MSE}", "\\mathrm{L}"}
_SCRIPT = r"(?:\{[^{}]*\}|\\[A-Za-z]+|[^{}\\\s])"
_SYMBOL = re.compile(r"(?P<base>\\(?:wide)?hat\{y\}|\\(?:wide)?hat y|\\delta|[A-Za-z])"
                     rf"(?:(?P<sup1>\^{_SCRIPT})?(?P<sub>_{_SCRIPT})?(?P<sup2>\^{_SCRIPT})?)")
_DERIVATIVE = [re.compile(r"\\[dt]?frac\{\\partial(?P<top>.+)\}\{\\partial(?P<bottom>.+)\}"),
               re.compile(r"\\partial(?P<top>.+?)/\\partial(?P<bottom>.+)"),
               re.compile(r"\u2202(?P<top>.+?)/\u2202(?P<bottom>.+)"),
               re.compile(r"\\[dt]?frac\{(?:d|\\mathrm\{d\})(?P<top>.+)\}\{(?:d|\\mathrm\{d\})(?P<bottom>.+)\}")]
_NOISE = re.compile(r"\\left|\\right|\\[,;:! ]|\\displaystyle|\s+")
_KIND = {"x": "x", "w": "W", "W": "W", "b": "b", "v": "v", "y": "y", "l": "l", "\\delta": "delta"}


def normalize(text: str) -> str:
    """Written math without spaces, \\left/\\right and spacing commands; single characters unbraced."""
    text = _NOISE.sub("", text)
    text = re.sub(r"([_^])\{([^{}\\])\}", r"\1\2", text)
    text = re.sub(r"\\(wide)?hat([A-Za-z])", r"\\hat{\2}", text)
    text = text.replace("\\widehat", "\\hat")
    while len(text) > 2 and text[0] in "({" and _closing(text) == len(text) - 1:
        text = text[1:-1]
    return text


def canonical(text: str) -> str:
    """One key for the ways a document writes one symbol: i1 and i_1, out_{h1} and out_{h_1}, w_{\\text{new}} and
    w_{new}, \\mathrm{net}_{o1} and net_{o1}."""
    key = normalize(text)
    key = re.sub(r"\\(?:text|mathrm|mathit|operatorname|textrm|rm)\s*\{([^{}]*)\}", r"\1", key)
    key = re.sub(r"^([A-Za-z]+)(\d+)", r"\1_\2", key)
    key = re.sub(r"_\{((?:[^{}]|\{[^{}]*\})*)\}", lambda m: "_{" + re.sub(r"[_{}]", "", m.group(1)) + "}", key)
    key = re.sub(r"([_^])\{([^{}\\])\}", r"\1\2", key)
    return key


def _closing(text: str) -> int:
    """Index of the bracket closing the one that opens `text`."""
    pairs, depth = {"(": ")", "{": "}"}, 0
    for index, char in enumerate(text):
        if char == text[0]:
            depth += 1
        elif char == pairs[text[0]]:
            depth -= 1
            if depth == 0:
                return index
    return -1


class SymbolReader:
    """Reads written symbols (w_{00}, \\hat{y}, \\frac{\\partial L}{\\partial w_{00}}) as one network's quantities."""

    def __init__(self, network: Network, table: dict[str, str] | None = None):
        self.network = network
        self.names = Names(network)
        self.base = network.index_base
        self.table = {canonical(key): value for key, value in (table or {}).items()}
        self._known: dict[str, str | None] = {}

    def name(self, text: str) -> str | None:
        """The quantity name of a written symbol or derivative, or None when it names no single quantity."""
        if text not in self._known:
            if len(self._known) > 100_000:
                self._known.clear()
            self._known[text] = self._name(text)
        return self._known[text]

    def _name(self, text: str) -> str | None:
        written = normalize(text)
        if not written or len(written) > 200:
            return None
        if canonical(written) in self.table:
            return self.table[canonical(written)]
        for pattern in _DERIVATIVE:
            match = pattern.fullmatch(written)
            if match:
                return self._derivative(match.group("top"), match.group("bottom"))
        name = self._symbol(written)
        return name if name in self.names.table else None

    def _derivative(self, top: str, bottom: str) -> str | None:
        top_name, bottom_name = self._plain(top), self._plain(bottom)
        if top_name is None or bottom_name is None:
            return None
        name = f"d{top_name}/d{bottom_name}"
        return name if name in self.names.table else None

    def _plain(self, text: str) -> str | None:
        written = normalize(text)
        if canonical(written) in self.table:
            return self.table[canonical(written)]
        name = self._symbol(written)
        return name if name in self.names.table else None

    def _symbol(self, written: str) -> str | None:
        """A symbol's quantity name (not checked against the network)."""
        if written in LOSS_NAMES:
            return "L"
        match = _SYMBOL.fullmatch(written)
        if not match:
            return None
        base, sub = match.group("base"), _content(match.group("sub"))
        layer = _content(match.group("sup1"))
        after = _content(match.group("sup2"))
        if after is not None:
            if layer is not None:
                return None
            layer = after
        if base.startswith("\\") and "hat" in base:
            return self._output(layer, sub)
        kind = _KIND.get(base)
        if kind is None:
            return None
        return self._quantity(kind, layer, sub)

    def _layer(self, layer: str | None) -> int | None:
        """The written layer number (index base kept), the only layer of a one-layer network, or None."""
        if layer is None:
            return self.base if self.network.depth == 1 else None
        layer = layer.strip("()[]")
        return int(layer) if layer.isdigit() else None

    def _indices(self, sub: str | None, count: int, sizes: list[int]) -> list[int] | None:
        """Written indices: 0,1 or 01 (single digits) or none when every size is 1."""
        if sub is None:
            return [self.base] * count if all(size == 1 for size in sizes) else None
        parts = [part for part in re.split(r"[,\s]+", sub) if part]
        if len(parts) == 1 and count > 1 and len(parts[0]) == count:
            parts = list(parts[0])
        if len(parts) != count or not all(part.isdigit() for part in parts):
            return None
        return [int(part) for part in parts]

    def _output(self, layer: str | None, sub: str | None) -> str | None:
        net = self.network
        written_layer = net.output_layer + self.base if layer is None else self._layer(layer)
        units = self._indices(sub, 1, [net.layers[-1]])
        if written_layer is None or units is None:
            return None
        return f"y{written_layer}[{units[0]}]"

    def _quantity(self, kind: str, layer: str | None, sub: str | None) -> str | None:
        net = self.network
        if kind == "x":
            units = self._indices(sub, 1, [net.layers[0]])
            return None if units is None else f"x[{units[0]}]"
        if kind == "l":
            units = self._indices(sub, 1, [net.layers[-1]])
            return None if units is None else f"l[{units[0]}]"
        if kind == "y" and layer is None and (net.depth > 1 or sub is None):
            units = self._indices(sub, 1, [net.layers[-1]])  # the target (in a one-layer network: bare y)
            return None if units is None else f"y[{units[0]}]"
        written_layer = self._layer(layer)
        if written_layer is None or not 0 <= written_layer - self.base < net.depth:
            return None
        zero_based = written_layer - self.base
        if kind == "W":
            sizes = [net.fan_in(zero_based), net.width(zero_based)]
            units = self._indices(sub, 2, sizes if net.convention == "row" else sizes[::-1])
            return None if units is None else f"W{written_layer}[{units[0]}][{units[1]}]"
        units = self._indices(sub, 1, [net.width(zero_based)])
        if units is None:
            return None
        prefix = {"b": "b", "v": "v", "y": "y", "delta": "dL/dv"}[kind]
        return f"{prefix}{written_layer}[{units[0]}]"


def _content(script: str | None) -> str | None:
    """What a ^ or _ script holds, braces removed."""
    if script is None:
        return None
    body = script[1:]
    return body[1:-1] if body.startswith("{") else body
