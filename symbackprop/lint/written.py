"""A side of an equation read in the document's own symbols: its numbers and names as placeholders, parsed once.

`net_{h1}`, `out_{o1}`, `E_{total}`, `w_5^{+}`, `\\hat{y}`, `\\delta_{o1}`, `\\frac{\\partial E_{total}}{\\partial w_5}`
are names; the side's text with each name and number replaced by a placeholder is parsed with the project's
grammar (never eval), so `\\sigma(net)`, `e^{-x}`, `\\frac{1}{2}(t - o)^2` and implicit products read as in `check`.
"""
import re
from dataclasses import dataclass
from functools import cached_property

import sympy

from symbackprop.lint.parsing import EULER_POWER, parsed
from symbackprop.lint.equations import Number, Side
from symbackprop.lint.symbols import canonical
from symbackprop.model import symbols

_BRACED = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"
_SCRIPTS = (r"(?:\s*[_^]\s*(?:" + _BRACED + r"|\\[A-Za-z]+|[^\s{}\\])|\[\s*\d+(?:\s*,\s*\d+)*\s*\])*'*")
_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "eta", "theta", "lambda", "mu", "nu",
          "rho", "tau", "phi", "varphi", "psi", "omega", "xi", "zeta", "kappa", "chi", "Delta", "Theta", "Phi")
_BASE = (r"\\(?:hat|bar|tilde|widehat|vec|mathbf|boldsymbol|bm|mathrm|mathit|operatorname|text)\s*" + _BRACED
         + r"|\\(?:hat|bar|tilde)\s*[A-Za-z]|\\(?:" + "|".join(_GREEK) + r")(?![A-Za-z])|[A-Za-z]+(?:\d+(?![\d.]))?")
_SYMBOL = r"(?:" + _BASE + r")" + _SCRIPTS
_DIFFERENTIAL = r"(?:\\partial|\u2202|\\mathrm\s*\{\s*d\s*\}|d(?![A-Za-z]))"
_DERIVATIVE = re.compile(
    r"\\[dt]?frac\s*\{\s*" + _DIFFERENTIAL + r"\s*(?P<top>" + _SYMBOL + r")\s*\}\s*\{\s*" + _DIFFERENTIAL
    + r"\s*(?P<bottom>" + _SYMBOL + r")\s*\}"
    + r"|(?:\\partial|\u2202)\s*(?P<top2>" + _SYMBOL + r")\s*/\s*(?:\\partial|\u2202)\s*(?P<bottom2>" + _SYMBOL + r")")
_NAME = re.compile(_SYMBOL + r"(?:\s*\(\s*t\s*\+\s*1\s*\))?")
_KEEP = re.compile(r"\\(?:[dt]?frac|times|cdot|div|left|right|exp|ln|log|sqrt|sigma|tanh|max|min|sin|cos|"
                   r"mathrm\s*\{\s*e\s*\}|[bB]igg?[lr]?|q?quad)(?![A-Za-z])|\\[,;:! ]")
_FUNCTION_WORDS = {"exp", "ln", "log", "sqrt", "sigma", "sigmoid", "tanh", "max", "min", "abs", "cosh", "Max", "Min",
                   "sin", "cos"}
_UNARY_NAMES = re.compile(r"^(?:\\(?:mathrm|text|operatorname)\s*\{\s*(?:e)\s*\})$")
_APPLIED = re.compile(r"\(\s*[-+\u2212]?\s*(?:\d+(?:[.,]\d+)?|\.\d+)\s*\)")
_CALLED = re.compile(r"\s*(?:\^\s*(?:\{[^{}]*\}|\S)\s*)?(?:\\left\s*)?\(")  # g(, g^{0}(, f\left(
UPDATE = re.compile(r"^(?P<base>.+?)(?:\^\{?(?:\+|new|\(t\+1\))\}?|_\{?(?:new|novo|nuevo)\}?|\(t\+1\)|'|"
                    r"\^\{?\\prime\}?)$")  # w^+, w^{new}, w_{new}, w(t+1), w', w^\prime: an updated weight


@dataclass(frozen=True)
class Item:
    """A number or a name on a side, with its place."""

    start: int
    end: int
    number: Number | None = None
    name: str | None = None  # the normalized written symbol, or "d{top}/d{bottom}" for a derivative


def derivative_key(top: str, bottom: str) -> str:
    """The name of a derivative claim: ∂top/∂bottom in canonical symbols."""
    return f"\u2202{canonical(top)}/\u2202{canonical(bottom)}"


def split_derivative(key: str) -> tuple[str, str] | None:
    if not key.startswith("\u2202"):
        return None
    top, _, bottom = key[1:].partition("/\u2202")
    return top, bottom


class Reading:
    """A side read in the document's symbols: its items, its SymPy expression in them (None: not understood)."""

    def __init__(self, side: Side, defined: frozenset, euler: bool):
        self.side = side
        self.items = _items(side, defined, euler)

    @cached_property
    def expr(self):
        """The side parsed with its items as placeholders (None: not understood); parsed when first asked."""
        return _expression(self.side, self.items) if self.items is not None else None

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.items or () if item.name is not None)

    @cached_property
    def numbers(self) -> tuple[Number, ...]:
        return tuple(item.number for item in self.items or () if item.number is not None)

    @property
    def understood(self) -> bool:
        return self.expr is not None

    @cached_property
    def lone_name(self) -> str | None:
        """The name when the side is one name and nothing else."""
        if self.items and len(self.items) == 1 and self.items[0].name is not None:
            rest = self.side.text[:self.items[0].start - self.side.start] + self.side.text[self.items[0].end
                                                                                          - self.side.start:]
            if not re.sub(r"\\left|\\right|[\s(){}]", "", rest):
                return self.items[0].name
        return None

    def in_names(self) -> sympy.Expr | None:
        """The expression with each placeholder replaced by a symbol named after the document's name (numbers
        as exact rationals of their written value)."""
        if self.expr is None:
            return None
        mapping = {}
        for index, item in enumerate(self.items):
            placeholder = symbols.x(index)
            mapping[placeholder] = (sympy.Symbol(item.name) if item.name is not None
                                    else sympy.Rational(item.number.text.replace("{,}", ".").replace(",", ".")
                                                        .replace("\u2212", "-").replace(" ", "")
                                                        .replace("\\,", "")))
        try:
            return self.expr.xreplace(mapping)
        except (TypeError, ValueError):
            return None

    def template(self) -> str:
        """The side's text with every item as '#', spacing and multiplication signs unified (for matching)."""
        pieces, position = [], self.side.start
        for item in self.items or ():
            pieces += [self.side.text[position - self.side.start:item.start - self.side.start], "#"]
            position = item.end
        pieces.append(self.side.text[position - self.side.start:])
        text = "".join(pieces)
        text = re.sub(r"\\times|\\cdot|\*|\u00d7|\u00b7|\u22c5", "", text)  # implicit or written products
        return re.sub(r"\\left|\\right|\\[,;:! ]|\s|[{}]", "", text)


def _items(side: Side, defined: frozenset, euler: bool) -> list[Item] | None:
    """Numbers and names of a side in order; None when a word that is no name nor function is left."""
    text, offset = side.text, side.start
    taken = [False] * len(text)
    items = []
    for match in _DERIVATIVE.finditer(text):
        top = match.group("top") or match.group("top2")
        bottom = match.group("bottom") or match.group("bottom2")
        items.append(Item(offset + match.start(), offset + match.end(), name=derivative_key(top, bottom)))
        _take(taken, match.start(), match.end())
    for number in side.numbers:
        begin, end = number.start - offset, number.end - offset
        if not any(taken[begin:end]):
            items.append(Item(number.start, number.end, number=number))
            _take(taken, begin, end)
    for match in _KEEP.finditer(text):
        if not any(taken[match.start():match.end()]):
            _take(taken, match.start(), match.end())
    position = 0
    while position < len(text):
        if taken[position]:
            position += 1
            continue
        if text[position] == "e" and not text[position + 1:position + 2].isalpha() \
                and not text[position - 1:position].isalpha() and text[position + 1:position + 2] != "_" \
                and (euler or EULER_POWER.match(text, position)):
            position += 1  # Euler's number, read by the grammar
            continue
        match = _NAME.match(text, position)
        if not match or not (text[position].isalpha() or text[position] == "\\"):
            position += 1
            continue
        if any(taken[match.start():match.end()]):  # u^3: the exponent is a number, the name ends before it
            end = taken.index(True, match.start())
            match = _NAME.match(text[:end], position)
            if not match:
                position += 1
                continue
        found = _names(text, match, defined, euler)
        if found is None or (found and _APPLIED.match(text, match.end())):
            return None  # an unknown word, or f(3), L(1.2): a function applied, not a product
        if found and found[-1][2] not in defined and _CALLED.match(text, match.end()) \
                and re.fullmatch(r"[A-Za-z](?:\^.*)?", found[-1][2]):
            return None  # g(v), g^{0}(v^{0}_{1}): a function the document does not define, applied
        for start, end, name in found:
            items.append(Item(offset + start, offset + end, name=name))
        _take(taken, match.start(), match.end())
        position = match.end()
    items.sort(key=lambda item: item.start)
    return items


def _names(text: str, match: re.Match, defined: frozenset, euler: bool):
    """The names one symbol match holds: a defined or scripted word is one name, a bare run of letters is a
    product of one-letter names; Euler's e and function words are left to the grammar (empty list)."""
    written = match.group()
    key = canonical(written)
    word = re.match(r"[A-Za-z]+", written)
    if key in defined:
        return [(match.start(), match.end(), key)]
    if word and word.group() in _FUNCTION_WORDS and word.end() == len(written):
        return []
    if key == "e" and euler:
        return []
    if _UNARY_NAMES.match(written):
        return []
    if word and len(word.group()) > 1 and word.end() == len(written):
        letters = word.group()
        if any(letter in defined for letter in letters):
            return [(match.start() + index, match.start() + index + 1, letter) for index, letter in enumerate(letters)]
        return None  # a word the document never defines: prose or an unknown function
    if written.startswith("\\") and not key.startswith(("\\hat", "\\bar", "\\tilde", "\\vec", "\\mathbf",
                                                        "\\boldsymbol", "\\bm", "\\mathrm", "\\mathit",
                                                        "\\operatorname", "\\text")) \
            and key.lstrip("\\").split("_")[0].split("^")[0].rstrip("'") not in _GREEK:
        return None
    return [(match.start(), match.end(), key)]


def _take(taken: list, start: int, end: int) -> None:
    for index in range(start, end):
        taken[index] = True


def _expression(side: Side, items: list[Item]):
    """The side parsed with its items as placeholders, or None when the grammar refuses it."""
    if not items:
        return None
    pieces, position = [], side.start
    for index, item in enumerate(items):
        pieces += [side.text[position - side.start:item.start - side.start], "{x_{%d}}" % index]
        position = item.end
    pieces.append(side.text[position - side.start:])
    text = "".join(pieces).replace("\\div", "/ ")
    return parsed(text, len(items))
