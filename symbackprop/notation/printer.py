"""The course notation in LaTeX: one LatexPrinter subclass and its thin tex() wrapper."""
import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from symbackprop.model import symbols
from symbackprop.model.quantities import Names, Quantity, quantity_symbol, symbol_quantity
from symbackprop.model.spec import Network


class CoursePrinter(LatexPrinter):
    """Prints factory symbols as the course writes them: w^{0}_{1,2}, v^{1}_{0}, \\hat{y}^{1}_{0}."""

    _default_settings = {
        **LatexPrinter._default_settings,
        "index_base": 0,
        "convention": "row",
        "output_layer": None,
        "order": "none",
        "joiner": " ",  # between the factors of a product
        "ln_notation": True,  # the natural logarithm written ln, as the course writes it
        "if_word": "if",  # the word before each case's condition, in the document's language
    }

    def _print_Piecewise(self, expr):
        """Cases, each with its own condition in words of the document's language: 1 if v > 0, 0 if v <= 0."""
        rows, previous = [], []
        for value, condition in expr.args:
            holds = condition if condition is not sympy.true else sympy.And(*[sympy.Not(c) for c in previous])
            rows.append(rf"{self._print(value)} & \text{{{self._settings['if_word']} }} {self._print(holds)}")
            previous.append(condition)
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def _print_Mul(self, expr):
        """A product as a slide writes it: coefficient first, then factors in chain order."""
        if not expr.is_Mul or any(arg.is_Pow and arg.exp.is_negative for arg in expr.args):
            return super()._print_Mul(expr)
        coefficient, factors = sympy.Integer(1), []
        for arg in expr.args:
            if arg.is_Number:
                coefficient *= arg
            else:
                factors.append(arg)
        if not factors:
            return self._print(coefficient)
        sign = "- " if coefficient < 0 else ""
        magnitude = abs(coefficient)
        parts = [] if magnitude == 1 else [self._print(magnitude)]
        for factor in factors:
            text = self._print(factor)
            if factor.is_Add or (factor.is_Mul and factor.could_extract_minus_sign()):
                text = rf"\left({text}\right)"
            parts.append(text)
        return sign + self._settings["joiner"].join(parts)

    def _n(self, index: int) -> int:
        return index + self._settings["index_base"]

    def _print_Symbol(self, expr, style="plain"):
        parsed = symbols.parse_symbol(expr)
        if parsed is None:
            return super()._print_Symbol(expr, style)
        n = [self._n(index) for index in parsed.indices]
        kind = parsed.kind
        if kind == "input":
            return f"x_{{{n[0]}}}"
        if kind == "target":
            return f"y_{{{n[0]}}}"
        if kind == "loss_term":
            return f"l_{{{n[0]}}}"
        if kind == "weight":
            first, second = (n[1], n[2]) if self._settings["convention"] == "row" else (n[2], n[1])
            return f"w^{{{n[0]}}}_{{{first},{second}}}"
        letter = {"bias": "b", "preactivation": "v", "activation": "y", "delta": r"\delta"}[kind]
        if kind == "activation" and parsed.indices[0] == self._settings["output_layer"]:
            letter = r"\hat{y}"
        return f"{letter}^{{{n[0]}}}_{{{n[1]}}}"


def printer_settings(network: Network | None) -> dict:
    """The printer settings that put a network's notation into effect."""
    if network is None:
        return {}
    return {
        "index_base": network.index_base,
        "convention": network.convention,
        "output_layer": network.output_layer,
    }


def tex(expr, network: Network | None = None, **settings) -> str:
    """LaTeX for a SymPy expression in the course notation of `network`."""
    return CoursePrinter({**printer_settings(network), **settings}).doprint(expr)


def quantity_tex(q: Quantity, network: Network) -> str:
    """LaTeX for a named quantity: a symbol, or a partial derivative as a fraction."""
    def sym(expr):
        return tex(expr, network)

    def frac(top, bottom):
        return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"

    layer, idx = q.layer, q.indices
    if q.kind in ("dL/dW", "dL/db", "dL/dy", "dL/dv"):
        inner = {"dL/dW": "W", "dL/db": "b", "dL/dy": "act", "dL/dv": "v"}[q.kind]
        return frac("L", sym(quantity_symbol(Quantity(inner, layer, idx))))
    if q.kind == "dy/dv":
        k, j = idx
        return frac(sym(symbols.activation(layer, k)), sym(symbols.preactivation(layer, j)))
    if q.kind == "dv/dW":
        i, j = idx
        return frac(sym(symbols.preactivation(layer, j)), sym(symbols.weight(layer, i, j)))
    if q.kind == "dv/db":
        return frac(sym(symbols.preactivation(layer, idx[0])), sym(symbols.bias(layer, idx[0])))
    text = sym(quantity_symbol(q))
    if q.step is not None:
        return rf"{text}^{{({q.step})}}" if q.kind == "L" else rf"{{{text}}}^{{({q.step})}}"
    return text


class AsciiPrinter(StrPrinter):
    """Plain-text expressions whose symbols are quantity names: -(y[0] - y1[0])*y1[0]*(1 - y1[0])."""

    _default_settings = {**StrPrinter._default_settings, "network": None, "order": "none"}

    def _print_Symbol(self, expr):
        network = self._settings["network"]
        name = symbol_quantity(expr, Names(network)) if network is not None else None
        if name is None:
            return super()._print_Symbol(expr)
        return name.replace("dL/dv", "d", 1) if name.startswith("dL/dv") else name  # δ as d{l}[j]


def ascii_text(expr, network: Network | None = None) -> str:
    """Plain text for an expression, symbols written as quantity names."""
    return AsciiPrinter({"network": network}).doprint(expr)
