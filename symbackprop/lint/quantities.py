"""Quantities, with a spec: numbers the document gives named quantities, judged as `check` judges claims."""
import re
from pathlib import Path

from symbackprop.checking.claims import Claim, Number as ClaimNumber
from symbackprop.checking.verdicts import Checker
from symbackprop.errors import QuantityError, SpecError
from symbackprop.files.reading import read_text
from symbackprop.lint.equations import Equation, Number, Side
from symbackprop.lint.findings import Finding, Fix
from symbackprop.lint.symbolic import SymbolicJudge
from symbackprop.lint.symbols import SymbolReader, normalize
from symbackprop.model.spec import Spec, read_toml, spec_from_dict

LINT_KEYS = {"symbols", "sections"}
_PRODUCT = re.compile(r"\\times(?![A-Za-z])|\\cdot(?![A-Za-z])|[*\u00d7\u00b7\u22c5]")


def load_lint_spec(path: str | Path) -> tuple[Spec, dict[str, str]]:
    """A spec with [values] and its optional [lint.symbols] table (written symbol -> quantity name)."""
    text = read_text(path, "spec", "a readable UTF-8 TOML file")
    data = read_toml(text, str(path))
    spec = spec_from_dict(data, str(path), extra_keys=("lint",))
    if spec.values is None:
        raise SpecError(f"{path}: lint needs the spec's [values] (x, y, W.., b..) to judge quantities")
    table = data.get("lint", {})
    if not isinstance(table, dict) or set(table) - LINT_KEYS:
        raise SpecError(f"{path}: [lint] takes only the [lint.symbols] and [lint.sections] tables, "
                        f"e.g. \"y_0\" = \"y0[0]\" and headings = [\"Example 2\"]")
    symbols = table.get("symbols", {})
    if not isinstance(symbols, dict) or not all(isinstance(v, str) for v in symbols.values()):
        raise SpecError(f"{path}: [lint.symbols]: expected written symbols mapped to quantity names, "
                        f"e.g. \"w_5\" = \"W1[0][0]\"")
    judge = Checker(spec)
    for written, name in symbols.items():
        try:
            judge.validate(name)
        except QuantityError as err:
            raise SpecError(f"{path}: [lint.symbols] {written!r}: {err}") from err
        if name.startswith("step"):
            raise SpecError(f"{path}: [lint.symbols] {written!r}: training steps are not judged; name a "
                            f"quantity of the forward or backward pass")
    sections = table.get("sections", {})
    headings = sections.get("headings", []) if isinstance(sections, dict) else None
    if headings is None or set(sections) - {"headings"} or not isinstance(headings, list) \
            or not all(isinstance(h, str) and h.strip() for h in headings):
        raise SpecError(f"{path}: [lint.sections]: expected headings = [\"...\"], the headings (or part of them) "
                        f"of the sections this spec describes")
    return spec, symbols, tuple(headings)


class QuantityJudge:
    """Finds the numbers a document gives the spec's quantities and judges them in document order."""

    def __init__(self, spec: Spec, table: dict[str, str] | None = None, sections: tuple[str, ...] = ()):
        self.checker = Checker(spec)
        self.reader = SymbolReader(spec.network, table)
        self.table = dict(table or {})
        self.sections = tuple(heading.casefold() for heading in sections)  # empty: the whole document
        self._ancestry: dict[str, frozenset] = {}
        self._verdicts: dict = {}

    def claims(self, equation: Equation) -> list[tuple[Number, str]]:
        """(number, quantity name) for each number the equation gives a named quantity.

        The first side that names a quantity is what the equation's lone numbers are the value of; factors of a
        product of named quantities get the numbers of the first later product of as many lone numbers.
        """
        found = []
        if "update" in equation.relations:
            return found  # w \leftarrow w - \eta g: the updated weight, not the quantity w
        subject = next((side for side in equation.sides if side.bare is None and self.reader.name(side.text)), None)
        if subject is not None and not _recurrence(subject, equation):
            name = self.reader.name(subject.text)
            found += [(side.bare, name) for side in equation.sides if side.bare is not None]
        for index, side in enumerate(equation.sides):
            factors = [self.reader.name(text) for text, _ in split_product(side)]
            if sum(name is not None for name in factors) < 2:
                continue
            for later in equation.sides[index + 1:]:
                numbers = product_numbers(later)
                if numbers is not None and len(numbers) == len(factors):
                    found += [(number, name) for number, name in zip(numbers, factors) if name is not None]
                    break
        return sorted(set(found), key=lambda pair: pair[0].start)

    def unused(self, result) -> tuple[str, ...]:
        """The [lint.symbols] entries whose written symbol the document's math never contains."""
        math_text = normalize(" ".join(side.text for equation in result.equations for side in equation.sides))
        return tuple(written for written in self.table if normalize(written) not in math_text)

    def judge(self, equations: list[Equation], heading_of=None, e_is_name: bool = False) -> list[Finding]:
        """A finding for every number given to a named quantity; earlier numbers are the context for later ones.
        With [lint.sections], only the equations under a heading that names one of them are judged
        (`heading_of(offset)`: the text of the heading an offset is under)."""
        if self.sections and heading_of is not None:
            equations = [eq for eq in equations if any(section in heading_of(eq.sides[0].start).casefold()
                                                       for section in self.sections)]
        findings, earlier = [], {}
        for equation in equations:
            for number, name in self.claims(equation):
                findings.append(_finding(number, name, self._verdict(number, name, earlier)))
                earlier[name] = (number.value, number.half_unit)
        claimed = {finding.offset for finding in findings}
        return findings + SymbolicJudge(self.reader, self.checker.truth, e_is_name).judge(equations, claimed)

    def _verdict(self, number: Number, name: str, earlier: dict):
        """check's verdict on one number, the document's earlier numbers of the quantity's inputs as context.

        Only the quantities `name` is computed from can change its verdict, so equal numbers in equal
        contexts (a deck repeats its numbers) are judged once.
        """
        if name not in self._ancestry:
            self._ancestry[name] = frozenset(self.checker.rules.ancestry(name))
        ancestry = self._ancestry[name]
        context = {other: pair for other, pair in earlier.items() if other in ancestry and other != name}
        key = (name, number.value, number.half_unit, tuple(sorted(context.items())))
        if key not in self._verdicts:
            claim = Claim(name, ClaimNumber(number.value, number.text, number.half_unit))
            self._verdicts[key] = self.checker.check_numeric(claim, {**context,
                                                                     name: (number.value, number.half_unit)})
        return self._verdicts[key]


def _recurrence(subject: Side, equation: Equation) -> bool:
    """True for an update such as w_{00} := w_{00} - \\eta g: the named symbol is also on another side."""
    alone = re.compile(r"(?<![A-Za-z\\])" + re.escape(normalize(subject.text)) + r"(?![A-Za-z0-9_^{])")
    return any(alone.search(normalize(side.text)) for side in equation.sides if side is not subject)


def _finding(number: Number, name: str, result) -> Finding:
    correct = result.correct
    expected = number.written(correct)
    fix = Fix(number.start, number.end, expected) if result.verdict != "correct" and expected != number.text else None
    return Finding(offset=number.start, kind="quantity", name=name, subject=name, written=number.text,
                   written_value=number.value, expected=expected, expected_value=correct,
                   verdict=result.verdict, mistake=result.mistake, fix=fix, target=number.start)


def split_product(side: Side) -> list[tuple[str, int]]:
    """The top-level factors of a side (split at \\times, \\cdot, * or between \\frac groups), with offsets."""
    text, pieces, depth, start = side.text, [], 0, 0
    if not _PRODUCT.search(text) and text.count("frac") < 2:
        return [(text.strip(), side.start)]
    for index, char in enumerate(text):
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
        elif depth == 0:
            match = _PRODUCT.match(text, index)
            if match:
                pieces.append((text[start:index], side.start + start))
                start = match.end()
    pieces.append((text[start:], side.start + start))
    if len(pieces) == 1:
        pieces = _fractions(text, side.start) or pieces
    return [(piece.strip(), offset + len(piece) - len(piece.lstrip())) for piece, offset in pieces if piece.strip()]


def _fractions(text: str, offset: int) -> list[tuple[str, int]] | None:
    """Consecutive \\frac{..}{..} groups written side by side, or None."""
    pieces, position = [], 0
    while position < len(text):
        match = re.compile(r"\s*\\[dt]?frac").match(text, position)
        if not match:
            return None
        end = match.end()
        for _ in range(2):
            end = _group(text, end)
            if end is None:
                return None
        pieces.append((text[position:end], offset + position))
        position = end
    return pieces if len(pieces) >= 2 else None


def _group(text: str, position: int) -> int | None:
    """The end of a {...} group starting at `position` (after spaces)."""
    while position < len(text) and text[position].isspace():
        position += 1
    if position >= len(text) or text[position] != "{":
        return None
    depth = 0
    for index in range(position, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    return None


def product_numbers(side: Side) -> list[Number] | None:
    """The numbers of a side written as a product of lone numbers (-0.69 × 0.23 × 0.7), or None."""
    factors = split_product(side)
    if len(factors) < 2:
        return None
    numbers = []
    for text, offset in factors:
        inside = [n for n in side.numbers if offset <= n.start < offset + len(text)]
        if len(inside) != 1:
            return None
        piece = Side(offset, text, side.decimal_comma)
        if piece.bare is None:
            return None
        numbers.append(inside[0])
    return numbers
