"""Split math into equations (sides joined by = or \\approx) and find the numbers written on each side."""
import re
from dataclasses import dataclass
from functools import cached_property

from symbackprop.lint.sources import Document, MathSpan

CHAIN = {"=": "=", "\u2248": "approx", "\\approx": "approx", "\\simeq": "approx", "\\doteq": "approx",
         ":=": "=", "\\coloneqq": "=", "\\leftarrow": "update", "\\gets": "update", "\u2190": "update"}
BREAKS = {"\\leq", "\\geq", "\\neq", "\\le", "\\ge", "\\ne", "\\lt", "\\gt", "\\Rightarrow", "\\implies",
          "\\to", "\\rightarrow", "\\iff", "\\Leftrightarrow", "\\Longrightarrow", "\\longrightarrow",
          "\\mapsto", "\\in", "\\equiv", "\\sim", "\\propto", "\\Leftarrow",
          "\\quad", "\\qquad", "\\therefore",
          "\\hfill", "\\forall", "\\text", "\\mbox", "\\textrm", "\\textit", "\\textbf", "\\textsf", "\\hbox",
          "\\intertext", "\\shortintertext", "\\mathrm{and}"}
TEXT_COMMANDS = {"\\text", "\\mbox", "\\textrm", "\\textit", "\\textbf", "\\textsf", "\\hbox", "\\intertext",
                 "\\shortintertext"}
SILENT_COMMANDS = {"\\label", "\\tag", "\\nonumber", "\\notag", "\\displaystyle", "\\textstyle"}
TRANSPARENT_ENVIRONMENTS = ("aligned", "alignedat", "split", "gathered", "multlined", "equation", "align",
                            "gather", "multline", "flalign", "alignat", "eqnarray", "displaymath", "math")
WRAPPERS = {"\\mathbf", "\\boldsymbol", "\\bm", "\\boxed", "\\underline", "\\pmb", "\\mathbold"}
MINUS_SIGNS = ("-", "\u2212")
SPACING = {"\\,", "\\;", "\\:", "\\!", "\\ ", "\\>"}

_TOKENS = re.compile(r"\\begin\s*\{([A-Za-z*]+)\}|\\end\s*\{([A-Za-z*]+)\}|\\\\|\\[A-Za-z]+|\\.|:=|"
                     r"[{}()\[\]=&;,<>\u2248\u2264\u2265\u2260\u21d2\u2192\u2190]")
_GROUPED = r"\d{1,3}(?:\\,\d{3})+(?![\d])"  # 12\,345: a thin space between groups of thousands
_NUMBER = {True: re.compile(_GROUPED + r"(?:(?:\{,\}|,)\d+)?|\d+(?:(?:\{,\}|\.|,)\d+)?|\.\d+"),
           False: re.compile(_GROUPED + r"(?:\.\d+)?|\d+(?:(?:\{,\}|\.)\d+)?|\.\d+")}
_THOUSANDS = re.compile(r"\d\\,\d{3}(?!\d)")
_UNARY_AFTER = re.compile(r"(?:^|[(\[{^*/=&,;]|\\times|\\cdot|\\div|\\left\s*[(\[]|\\begin\s*\{[A-Za-z*]+\}|\\\\)\s*$")
_CONTINUES = re.compile(r"(?:\s|&|\\q?quad(?![A-Za-z]))*(?:=|\\approx|\u2248|[+\-\u2212]|\\times|\\cdot)")
_ROW_START = re.compile(r"(?:\\\\|&)(?:\s|&)*$")  # a \quad right after a row break or & only indents
_FRAC_BEFORE = re.compile(r"\\[dt]?frac\s*$")
_BARE_REST = re.compile(r"(?:\\left|\\right|\\big[lr]?|\\Big[lr]?|[(){}\s]|\\[,;:! ])*")


@dataclass(frozen=True)
class Number:
    """A number as written in a document: where it is, its value and how it is printed."""

    start: int
    end: int
    text: str
    value: float
    decimals: int
    mark: str  # the decimal mark as written: ".", ",", "{,}" or "" for a whole number
    minus: str  # the minus sign as written ("-", the Unicode minus) or ""

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed decimal."""
        return 0.5 * 10.0 ** -self.decimals

    @property
    def whole(self) -> bool:
        """True for a whole number written without a decimal mark (an exact constant: 1, 2, an exponent)."""
        return self.mark == ""

    def written(self, value: float) -> str:
        """Another value printed the way this number is (decimals, decimal mark, minus sign)."""
        digits = f"{abs(value):.{self.decimals}f}"
        if self.mark not in ("", "."):
            digits = digits.replace(".", self.mark)
        if value < 0 and float(f"{abs(value):.{self.decimals}f}") != 0:
            return (self.minus or "-") + digits
        return ("+" if self.text.startswith("+") else "") + digits


@dataclass(frozen=True)
class Side:
    """One side of an equation: its text (alignment marks blanked) and where it starts in the document."""

    start: int
    text: str
    decimal_comma: bool

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @cached_property
    def numbers(self) -> tuple[Number, ...]:
        """The numbers written on this side (subscripts, names like x0 and \\frac12's digits handled)."""
        return tuple(read_numbers(self.text, self.start, self.decimal_comma))

    @cached_property
    def bare(self) -> Number | None:
        """The number when the side is nothing but one number (perhaps in parentheses), else None."""
        if len(self.numbers) != 1:
            return None
        number = self.numbers[0]
        rest = self.text[:number.start - self.start] + self.text[number.end - self.start:]
        return number if _BARE_REST.fullmatch(rest) else None


@dataclass(frozen=True)
class Equation:
    """Sides joined by relations ('=' or 'approx'), in order."""

    sides: tuple[Side, ...]
    relations: tuple[str, ...]


def uses_decimal_comma(document: Document, spans: list[MathSpan]) -> bool:
    """True when the document's math writes more numbers as 0,5 (or 0{,}5) than as 0.5."""
    commas = points = 0
    for span in spans:
        math = document.masked[span.start:span.end]
        commas += len(re.findall(r"\d(?:\{,\}|,)\d", math))
        points += len(re.findall(r"\d\.\d", math))
    return commas > points


_LAYER_SYMBOL = re.compile(r"\s*(?:\\hat\{[A-Za-z]\}|[A-Za-z])\s*\^\s*\{\s*\d\s*\}\s*")  # v^{0}: a layer's vector


def read_numbers(text: str, offset: int, decimal_comma: bool):
    """Yield the numbers of a side's text; a comma is a decimal mark only in decimal-comma documents."""
    if _LAYER_SYMBOL.fullmatch(text):
        return
    subscript = _subscript_mask(text) if ("_" in text or "^" in text or "[" in text) else None
    for match in _NUMBER[decimal_comma].finditer(text):
        start, literal = match.start(), match.group()
        if len(literal) == 2 and literal.isdigit() and _FRAC_BEFORE.search(text, 0, start):
            for index, digit in enumerate(literal):  # \frac12
                yield Number(offset + start + index, offset + start + index + 1, digit, float(digit), 0, "", "")
            continue
        if (subscript and subscript[start]) or (start and (text[start - 1].isalpha() or text[start - 1] == "_")):
            continue
        yield _number(text, offset, start, literal)


def _number(text: str, offset: int, start: int, literal: str) -> Number:
    """A Number for a literal at `start`, taking a unary minus written just before it."""
    plain = literal.replace("\\,", "")
    mark = next((m for m in ("{,}", ",", ".") if m in plain), "")
    integer, _, fraction = plain.replace("{,}", ".").replace(",", ".").partition(".")
    value = float((integer or "0") + "." + (fraction or "0"))
    before, minus, begin = text[max(0, start - 12):start].rstrip(), "", start
    if before and before[-1] in MINUS_SIGNS + ("+",) and _UNARY_AFTER.search(text[:start].rstrip()[:-1]):
        minus = before[-1] if before[-1] != "+" else ""
        begin = len(text[:start].rstrip()) - 1
        value = -value if minus else value
    return Number(offset + begin, offset + start + len(literal), text[begin:start + len(literal)], value,
                  len(fraction), mark, minus)


_INDEX = re.compile(r"(?<=[A-Za-z}])\s*(?:\^\s*\{\s*[(\[][^{}]*[)\]]\s*\}|\^\s*\([^()]*\)|"
                    r"\[\s*\d+\s*(?:,\s*\d+\s*)*\](?!\s*\())"  # a^{(1)}, W^{[2]}, Z[4]: layer indices
                    r"|(?<=[A-Za-z])\^\s*\{\s*\d+\s*\}(?=\s*_)|(?<=[A-Z])\^\s*\{\s*\d+\s*\}"
                    r"|(?<=\\hat\{y\})\^\s*\{\s*\d+\s*\}")  # w^{0}_{1,2}, W^{1}, \hat{y}^{1}: the layer


def _subscript_mask(text: str) -> list[bool]:
    """For each character, whether it lies in a subscript (_0, _{00}) or a layer index (a^{(1)}, Z[4]); digits
    there are indices, not numbers."""
    inside, stack, after_underscore = [False] * (len(text) + 1), [], False
    for index, char in enumerate(text):
        in_sub = bool(stack and stack[-1])
        if char == "{":
            stack.append(in_sub or after_underscore)
        elif char == "}" and stack:
            stack.pop()
        inside[index] = in_sub or (after_underscore and char.isdigit())
        if char == "_":
            after_underscore = True
        elif not (after_underscore and char.isdigit()):
            after_underscore = False
    for match in _INDEX.finditer(text):
        for index in range(match.start(), match.end()):
            inside[index] = True
    return inside


_LIST = re.compile(r"\s*(?:\\left)?([\[(])(?P<names>[^\[\]()]*)(?:\\right)?[\])]\s*=\s*(?:\\left)?[\[(]"
                   r"(?P<values>[^\[\]()]*)(?:\\right)?[\])]\s*")
_WORD = re.compile(r"(?<!\\)\b[A-Za-z](?<!\\[A-Za-z])|\\(?!times|cdot|frac|dfrac|tfrac|left|right|sqrt|exp|ln|log|"
                   r"sigma|approx|,|;|!|quad)[A-Za-z]+")  # a symbol, not an operator or a function
# the closing delimiter, a cell separator, the opening one
_CELL_GAP = re.compile(r"(?:\$|\\\))?\s*[&|]\s*(?:\$|\\\()?")


@dataclass
class _Chain:
    """Sides joined by relations as one span writes them; `leading` when it starts with a relation (≈ 0.5)."""

    sides: list
    relations: list
    leading: str | None = None


def equations(document: Document, spans: list[MathSpan], decimal_comma: bool) -> list[Equation]:
    """Every equation with at least two sides, in document order; the cells of one table row (a & b & c) are one
    equation when the first cell is an equation or the next starts with a relation."""
    chains: list[_Chain] = []
    previous = None
    for span in spans:
        found = _list_assignment(document.masked, span, decimal_comma) or _split(document.masked, span,
                                                                                decimal_comma)
        if found and chains and previous is not None and _CELL_GAP.fullmatch(
                document.masked[previous.end:span.start]) and _joins(chains[-1], found[0]):
            first = found.pop(0)
            chains[-1].sides += first.sides
            chains[-1].relations += [first.leading or "="] + first.relations
        chains += found
        previous = span
    return [Equation(tuple(c.sides), tuple(c.relations)) for c in chains if len(c.sides) >= 2]


def _joins(before: _Chain, after: _Chain) -> bool:
    """Whether the next cell continues an equation: it starts with a relation, or the equation before it is one
    and the cell is a single side or starts with numbers (its symbols' values)."""
    if after.leading is not None:
        return True
    if len(before.sides) < 2:
        return False
    # z = wx + b & 0.8 × 1.5 − 0.3 (= 0.9): numbers under a symbolic side; a = 0.629 & b = 0.231, or y = 1 &
    # -log(ŷ): cells side by side
    return not _WORD.search(after.sides[0].text) and bool(_WORD.search(before.sides[-1].text))


def _list_assignment(masked: str, span: MathSpan, decimal_comma: bool) -> list[_Chain] | None:
    """[w_1, w_2, b_1] = [0.15, 0.20, 0.35] (or with parentheses): one equation a name."""
    text = masked[span.start:span.end]
    match = _LIST.fullmatch(text)
    if not match:
        return None
    separator = r",\s+" if decimal_comma else r","
    names = _items(text, match.start("names"), match.end("names"), separator)
    values = _items(text, match.start("values"), match.end("values"), separator)
    if len(names) != len(values) or len(names) < 2:
        return None
    chains = []
    for (name_start, name), (value_start, value) in zip(names, values):
        if not name or not value:
            return None
        chains.append(_Chain([Side(span.start + name_start, name, decimal_comma),
                              Side(span.start + value_start, value, decimal_comma)], ["="]))
    return chains


def _items(text: str, start: int, end: int, separator: str) -> list[tuple[int, str]]:
    """The comma-separated items of text[start:end], stripped, with their offsets."""
    found, position = [], start
    for piece in re.split(f"({separator})", text[start:end]) + [""]:
        if re.fullmatch(separator, piece or "x"):
            position += len(piece)
            continue
        stripped = piece.strip()
        if piece:
            found.append((position + len(piece) - len(piece.lstrip()), stripped))
        position += len(piece)
    return found


def _split(masked: str, span: MathSpan, decimal_comma: bool) -> list[_Chain]:
    """The chains of one span: rows at \\\\ (a row starting with = continues), broken at other relations."""
    clean = list(masked[span.start:span.end])
    ops = _operators(clean, decimal_comma)
    text = "".join(clean)
    found, sides, relations, side_start = [], [], [], 0

    def close(end):
        sides.append(_side(text, side_start, end, span.start, decimal_comma))

    def flush():
        nonlocal sides, relations
        kept = [side for side in sides if side is not None]
        if len(kept) == len(sides):
            if sides:
                found.append(_Chain(list(sides), list(relations)))
        elif len(sides) >= 2 and sides[0] is None and all(side is not None for side in sides[1:]):
            found.append(_Chain(list(sides[1:]), list(relations[1:]), relations[0]))  # ≈ 0.5: a continuation
        elif len(sides) >= 2:  # an empty side (a = , = b): keep the runs of non-empty sides
            _runs(sides, relations, found)
        sides, relations = [], []

    for kind, value, start, end in ops:
        if kind == "chain":
            close(start)
            relations.append(value)
        elif kind == "row" and _CONTINUES.match(text, end):
            continue
        else:
            close(start)
            flush()
        side_start = end
    close(len(text))
    flush()
    return found


def _runs(sides, relations, found) -> None:
    """Chains from the runs of non-empty sides of a chain with empty sides."""
    run, run_relations = [], []
    for index, side in enumerate(sides + [None]):
        if side is None:
            if len(run) >= 2:
                found.append(_Chain(list(run), list(run_relations[:len(run) - 1])))
            run, run_relations = [], []
            continue
        run.append(side)
        if index < len(relations):
            run_relations.append(relations[index])


def _side(text: str, start: int, end: int, offset: int, decimal_comma: bool) -> Side | None:
    """A side with its surrounding whitespace removed, or None when it is empty."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    return Side(offset + start + lead, stripped, decimal_comma)


def _operators(clean: list, decimal_comma: bool) -> list[tuple[str, str, int, int]]:
    """Top-level relations, breaks and rows of a span; alignment marks, rows and labels are blanked in `clean`."""
    text, ops, depth, opaque = "".join(clean), [], 0, 0
    for match in _TOKENS.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        environment = match.group(1) or match.group(2)
        if environment is not None:
            if environment.rstrip("*") in TRANSPARENT_ENVIRONMENTS:
                _blank(clean, start, end)
            elif match.group(1) is not None:
                opaque += 1
            else:
                opaque = max(0, opaque - 1)
            continue
        if token in SPACING:
            if not (token == "\\," and _THOUSANDS.match(text, start - 1)):
                _blank(clean, start, end)
            continue
        if token in WRAPPERS:  # \mathbf{0.5}: the number is read, the wrapper is not
            group_end = _group_end(text, end)
            if group_end > end:
                _blank(clean, start, text.index("{", end) + 1)
                _blank(clean, group_end - 1, group_end)
            continue
        if token in "{([":
            depth += 1
            continue
        if token in "})]":
            depth = max(0, depth - 1)
            continue
        if depth or opaque:
            continue
        if token in ("\\quad", "\\qquad") and _ROW_START.search(text, 0, start):
            _blank(clean, start, end)
            continue
        if token in SILENT_COMMANDS or token in TEXT_COMMANDS:
            group_end = _group_end(text, end) if token not in ("\\nonumber", "\\notag", "\\displaystyle",
                                                               "\\textstyle") else end
            _blank(clean, start, group_end)
            if token in TEXT_COMMANDS:
                ops.append(("break", token, start, group_end))
            continue
        if token in CHAIN:
            ops.append(("chain", CHAIN[token], start, end))
        elif token == "\\\\":
            _blank(clean, start, end)
            ops.append(("row", token, start, end))
        elif token == "&":
            _blank(clean, start, end)
        elif token in BREAKS or token in "<>;\u2264\u2265\u2260\u21d2\u2192":
            ops.append(("break", token, start, end))
        elif token == "," and not (decimal_comma and text[start - 1:start].isdigit()
                                   and text[end:end + 1].isdigit()):
            ops.append(("break", token, start, end))
    return ops


def _group_end(text: str, position: int) -> int:
    """The end of the {...} group that starts at `position` (after spaces), or `position` if there is none."""
    index = position
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text) or text[index] != "{":
        return position
    depth = 0
    for cursor in range(index, len(text)):
        depth += {"{": 1, "}": -1}.get(text[cursor], 0)
        if depth == 0:
            return cursor + 1
    return len(text)


def _blank(chars: list, start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "
