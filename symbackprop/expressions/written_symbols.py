"""Written symbols (w^{0}_{1,2}, \\hat{y}_0, x[1]) resolved into the symbol factory's symbols of a network."""
from __future__ import annotations

import re

import sympy
from lark import Token

from symbackprop.errors import LatexParseError
from symbackprop.expressions.limits import MAX_DIGITS, bounded_power, check_exponent, parse_error, position_of, quoted
from symbackprop.model import symbols

Network = object  # a symbackprop.model.spec.Network: the spec imports this parser, so it is not imported here

# written name -> kind of quantity (None: Euler's number); digits after an ASCII name are the layer
_NAMES = {
    "x": "input", "y": "y", "yhat": "output", "W": "weight", "w": "weight", "b": "bias",
    "v": "preactivation", "d": "delta", "delta": "delta", "l": "loss_term", "L": "loss", "e": None, "E": None,
}
_WORD = re.compile(r"([A-Za-z]+)(\d*)")
_LAYERED = {"weight", "bias", "preactivation", "activation", "output", "delta"}
_FACTORY = {
    "input": symbols.x, "target": symbols.target, "loss_term": symbols.loss_term, "weight": symbols.weight,
    "bias": symbols.bias, "preactivation": symbols.preactivation, "activation": symbols.activation,
    "output": symbols.activation, "delta": symbols.delta,
}


class WrittenSymbol:
    """One written symbol and its scripts, resolved into a factory symbol or a power of one."""

    def __init__(self, token: Token, snippet: str, network: Network):
        self.token, self.snippet, self.network = token, snippet, network
        self.position = position_of(token)
        self.kind, self.layer = self._read_name(str(token))

    def _error(self, problem: str, position: int | None = None) -> LatexParseError:
        return parse_error(self.position if position is None else position, f"{problem} in {quoted(self.snippet)}")

    def _read_name(self, name: str):
        """(kind, written layer or None) for the base name."""
        if name.startswith("\\"):
            if "hat" in name:
                return "output", None
            return ("delta", None) if name.startswith("\\delta") else (None, None)
        match = _WORD.fullmatch(name)
        kind = _NAMES.get(match.group(1), "unknown") if match else "unknown"
        if kind == "unknown":
            raise parse_error(self.position, f"unknown name {quoted(name)} (expected x, y, w, b, v, \\hat{{y}}, \\delta, "
                                       f"l, L, e, or ASCII names like x[0], W0[1][2], yhat[0], d1[0])")
        if len(match.group(2)) > MAX_DIGITS:
            raise parse_error(self.position, f"layer number too long in {quoted(name)}")
        layer = int(match.group(2)) if match.group(2) else None
        if layer is not None and kind not in _LAYERED | {"y"}:
            raise parse_error(self.position, f"{quoted(match.group(1))} takes no layer number, got {quoted(name)}")
        if kind == "y" and layer is not None:
            kind = "activation"
        return kind, layer

    def resolve(self, scripts):
        """The SymPy value: a factory symbol (or e, or L), raised to a trailing power if any."""
        before, indices, after = self._split(scripts)
        if self.kind == "y":
            self.kind = "activation" if before is not None else "target"
        for sup in (after,) if self.kind in _LAYERED else (before, after):
            if sup is not None:
                check_exponent(sup[0], position_of(sup[1]))
        if self.kind in (None, "loss"):
            return self._constant(before, indices)
        if self.kind in _LAYERED:
            self.layer = self._layer(before)
        elif before is not None:  # x^{2}_{0}: no layer to take, so a power
            if after is not None:
                raise self._error("double superscript", position_of(after[1]))
            after = before
        value = self._factory(indices)
        return value if after is None else bounded_power(value, after[0], position_of(after[1]))

    def _split(self, scripts):
        """(superscript before the indices, written indices, superscript after them)."""
        before = indices = after = None
        for kind, value, token in scripts:
            if kind == "sup":
                if indices is None and before is None:
                    before = (value, token)
                elif indices is not None and after is None:
                    after = (value, token)
                else:
                    raise self._error("double superscript", position_of(token))
            elif after is not None or (indices is not None and (kind == "sub" or indices[0] == "sub")):
                raise self._error("double subscript", position_of(token))
            elif indices is None:
                indices = (kind, list(value), token)
            else:
                indices[1].extend(value)
        return before, indices, after

    def _constant(self, sup, indices):
        """e or L, with an optional power; neither takes an index."""
        if indices is not None:
            raise self._error(f"{self.token} takes no index", position_of(indices[2]))
        value = sympy.E if self.kind is None else symbols.LOSS
        return value if sup is None else bounded_power(value, sup[0], position_of(sup[1]))

    def _layer(self, sup) -> int:
        """The 0-based layer, from the ASCII name, the superscript, or the network's shape."""
        net, base = self.network, self.network.index_base
        if sup is not None:
            if self.layer is not None:
                raise self._error("layer given twice", position_of(sup[1]))
            if not (sup[0].is_Integer and sup[0] >= 0):
                raise self._error(f"the layer superscript must be a whole number, got {sup[0]}", position_of(sup[1]))
            self.layer = int(sup[0])
        if self.layer is None:
            if self.kind == "output":
                return net.output_layer
            if net.depth != 1:
                raise self._error(f"missing layer superscript (this network has layers "
                                  f"{base}..{net.depth - 1 + base}; write e.g. {self._example()})")
            return 0
        written, layer = self.layer, self.layer - base
        if not 0 <= layer < net.depth:
            raise self._error(f"layer {written} is out of range (valid layers: {base}..{net.depth - 1 + base})")
        return layer

    def _example(self) -> str:
        """How to write this symbol with its layer, in the style it was written in."""
        name, n = str(self.token), self.network.index_base
        count = 2 if self.kind == "weight" else 1
        if name.startswith("\\") or name in ("w", "b", "v"):
            return f"{name}^{{{n}}}_{{{','.join([str(n)] * count)}}}"
        return f"{name}{n}" + f"[{n}]" * count

    def _sizes(self) -> list[int]:
        """How many units each written index ranges over."""
        net = self.network
        if self.kind == "input":
            return [net.layers[0]]
        if self.kind in ("target", "loss_term"):
            return [net.layers[-1]]
        if self.kind == "weight":
            sizes = [net.fan_in(self.layer), net.width(self.layer)]
            return sizes if net.convention == "row" else sizes[::-1]
        return [net.width(self.layer)]

    def _factory(self, indices):
        """The factory symbol for the written indices (index base and convention undone)."""
        sizes = self._sizes()
        if indices is None:
            raise self._error(f"missing index: {self.token} needs {len(sizes)} index(es), e.g. "
                              + ("_{0,1}" if len(sizes) == 2 else "_{0}"))
        written = self._numbers(indices, len(sizes))
        base, zero_based = self.network.index_base, []
        for position, (number, size) in enumerate(zip(written, sizes)):
            if not base <= number < size + base:
                which = f"index {position + 1} ({number})" if len(sizes) > 1 else f"index {number}"
                raise self._error(f"{which} is out of range (valid: {base}..{size - 1 + base})",
                                  position_of(indices[2]))
            zero_based.append(number - base)
        if self.kind == "weight" and self.network.convention == "column":
            zero_based.reverse()  # written w_{j,i}: destination first
        layer = [self.layer] if self.kind in _LAYERED else []
        return _FACTORY[self.kind](*layer, *zero_based)

    def _numbers(self, indices, wanted: int) -> list[int]:
        """Written indices as numbers; '12' is 1,2 when two single-digit indices are wanted."""
        kind, values, token = indices
        if kind == "sub" and len(values) == 1 and wanted > 1 and len(values[0]) == wanted:
            values = list(values[0])
        if any(len(value) > MAX_DIGITS for value in values):
            raise self._error("index too long", position_of(token))
        values = [int(value) for value in values]
        if len(values) != wanted:
            hint = {"sub": " (write _{i,j})", "index": " (write [i][j])"}[kind] if wanted == 2 else ""
            raise self._error(f"{self.token} takes {wanted} index(es), got {len(values)}{hint}", position_of(token))
        return values
