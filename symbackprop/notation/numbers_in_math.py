"""Numbers in LaTeX math: the number format, and closed forms with numbers put in for their symbols."""
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sympy

from symbackprop.notation.number_format import number
from symbackprop.notation.printer import CoursePrinter, printer_settings
from symbackprop.model.quantities import Names, symbol_quantity
from symbackprop.model.spec import Network


@dataclass(frozen=True)
class NumberFormat:
    """How documents print numbers: fixed decimals, optionally a decimal comma."""

    decimals: int = 4
    decimal_comma: bool = False

    def text(self, value: float) -> str:
        """A number for running text: 0.1900 or 0,1900."""
        return number(value, self.decimals, self.decimal_comma)

    def tex(self, value: float) -> str:
        """A number for math mode; the decimal comma is braced so TeX adds no space after it."""
        return number(value, self.decimals).replace(".", "{,}" if self.decimal_comma else ".")

    def factor(self, value: float) -> str:
        """A number as a factor of a product: negative numbers in parentheses."""
        text = self.tex(value)
        return f"({text})" if text.startswith("-") else text


class NumberPrinter(CoursePrinter):
    """The course printer with given text (numbers) in place of symbols, products joined by ×, the one multiplication sign of the documents."""

    _default_settings = {**CoursePrinter._default_settings, "numbers": None, "mul_symbol": "times",
                         "joiner": r" \times ", "separator": ", "}

    def _hprint_variadic_function(self, expr, exp=None) -> str:
        """max(0; 0,55) with a decimal comma, max(0, 0.55) otherwise: the separator never looks like a decimal."""
        args = self._settings["separator"].join(
            self._print(arg) for arg in sorted(expr.args, key=sympy.default_sort_key))
        text = rf"\{str(expr.func).lower()}\left({args}\right)"
        return rf"{text}^{{{exp}}}" if exp is not None else text

    _print_Max = _print_Min = _hprint_variadic_function

    def _print_Symbol(self, expr, style="plain"):
        numbers = self._settings["numbers"] or {}
        if expr in numbers:
            return numbers[expr]
        return super()._print_Symbol(expr, style)


_LONE_NEGATIVE = re.compile(r"\\left\(\((-[0-9.{},]+)\) ?\\right\)")


def closed_tex(expr, network: Network | None, if_word: str = "if", shown: dict | None = None) -> str:
    """LaTeX of a closed form in the course notation, cases worded in the document's language;
    `shown` maps symbols to the text printed in their place."""
    settings = {**printer_settings(network), "numbers": shown or {}, "joiner": " ", "if_word": if_word}
    return NumberPrinter(settings).doprint(expr)


def substituted(expr, network: Network, values: Mapping[str, float], fmt: NumberFormat, if_word: str = "if",
                text: Callable[[str], str] | None = None) -> str:
    """LaTeX of expr with every symbol replaced by its number, e.g. - (1.0000 - 0.7693); `text(name)`, when
    given, prints a quantity's number instead of the format."""
    names = Names(network)
    numbers = {}
    for symbol in expr.free_symbols:
        name = symbol_quantity(symbol, names)
        if name is not None:
            numbers[symbol] = text(name) if text else fmt.factor(values[name])
    settings = {**printer_settings(network), "numbers": numbers, "if_word": if_word,
                "separator": "; " if fmt.decimal_comma else ", "}
    text = NumberPrinter(settings).doprint(expr)
    return _LONE_NEGATIVE.sub(r"\\left(\1 \\right)", text)  # tanh((-0.16)) -> tanh(-0.16)
