"""An independent reader of printed arithmetic: each line `numbers = number` of a generated .tex recomputed
from its printed operands in plain Python (no project code), for the documents' tests."""
import math
import re
from dataclasses import dataclass

MATH_BLOCK = re.compile(r"\\begin\{(align\*?|gather\*?)\}(.*?)\\end\{\1\}|\$([^$]+)\$", re.S)
NUMBER = re.compile(r"\d+(?:\{,\}\d+|\.\d+)?")


@dataclass(frozen=True)
class Claim:
    """One printed arithmetic line: a numeric expression, its printed result, and the result recomputed."""

    left: str
    right: str
    recomputed: float
    first_line: int = 0
    last_line: int = 0

    @property
    def decimals(self) -> int:
        digits = re.split(r"\{,\}|\.", self.right)
        return len(digits[1]) if len(digits) > 1 else 0

    @property
    def reproduces(self) -> bool:
        """Whether the operands give the printed result at its printed precision (half a unit, float noise)."""
        printed = float(self.right.replace("{,}", "."))
        return abs(self.recomputed - printed) <= 0.5 * 10.0 ** -self.decimals + 1e-9


class _Parser:
    """Recursive descent over LaTeX arithmetic: + - \\times \\cdot, \\frac, ^{}, e^{}, \\ln, \\max, parentheses."""

    TOKEN = re.compile(r"\s*(\d+(?:\{,\}\d+|\.\d+)?|\\left\(|\\right\)|\\left\[|\\right\]|\\times|\\cdot|\\frac"
                       r"|\\ln|\\log|\\exp|\\max|\\min|\\sqrt|\\sigma|[-+()/{}^,;]|e(?![a-zA-Z]))")

    def __init__(self, text: str):
        self.tokens, position = [], 0
        text = text.strip()
        while position < len(text):
            match = self.TOKEN.match(text, position)
            if not match or match.end() == position:
                raise ValueError(text[position:])
            self.tokens.append(match.group(1))
            position = match.end()
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected=None):
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"expected {expected}, got {token}")
        self.at += 1
        return token

    def parse(self) -> float:
        value = self.sum()
        if self.peek() is not None:
            raise ValueError(self.peek())
        return value

    def sum(self) -> float:
        value = self.product()
        while self.peek() in ("+", "-"):
            value = value + self.product() if self.take() == "+" else value - self.product()
        return value

    def product(self) -> float:
        value = self.unary()
        while self.peek() in ("\\times", "\\cdot", "/"):
            value = value * self.unary() if self.take() != "/" else value / self.unary()
        return value

    def unary(self) -> float:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.power()

    def power(self) -> float:
        base = self.atom()
        if self.peek() == "^":
            self.take()
            return base ** self.group()
        return base

    def group(self) -> float:
        if self.peek() == "{":
            self.take("{")
            value = self.sum()
            self.take("}")
            return value
        return self.atom()

    def atom(self) -> float:
        token = self.take()
        if NUMBER.fullmatch(token):
            return float(token.replace("{,}", "."))
        if token in ("(", "\\left("):
            value = self.sum()
            self.take(")" if token == "(" else "\\right)")
            return value
        if token == "{":
            value = self.sum()
            self.take("}")
            return value
        if token == "\\frac":
            return self.group() / self.group()
        if token == "e":
            self.take("^")
            return math.exp(self.group())
        if token in ("\\ln", "\\log", "\\exp", "\\sqrt", "\\sigma"):
            argument = self.atom()
            return {"\\ln": math.log, "\\log": math.log, "\\exp": math.exp, "\\sqrt": math.sqrt,
                    "\\sigma": lambda v: 1 / (1 + math.exp(-v))}[token](argument)
        if token in ("\\max", "\\min"):
            self.take("\\left(")
            values = [self.sum()]
            while self.peek() in (",", ";"):
                self.take()
                values.append(self.sum())
            self.take("\\right)")
            return max(values) if token == "\\max" else min(values)
        raise ValueError(token)


def value(text: str) -> float | None:
    """The value of a purely numeric LaTeX side, or None when it has symbols or constructs of its own."""
    try:
        return _Parser(text).parse()
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def _rows(body: str, line: int) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of each display row, alignment marks removed; a row that only continues
    a wrapped sum (it starts with + or -) joins the row above."""
    rows = []
    for raw in body.split("\\\\"):
        first = line + raw[:len(raw) - len(raw.lstrip())].count("\n")
        last = line + raw.rstrip().count("\n")
        line += raw.count("\n")
        row = raw.replace("&", " ").strip()
        if rows and re.match(r"(\\quad)?\s*[+-]", row):
            rows[-1] = (rows[-1][0], last, rows[-1][2] + " " + re.sub(r"^\\quad", "", row))
        elif row:
            rows.append((first, last, row))
    return rows


def _sides(row: str) -> list[str]:
    """A row's sides split at top-level = (text after \\quad, \\leftarrow or \\text is a comment)."""
    row = re.split(r"\\quad|\\leftarrow|\\text|\\;\\to\\;|\\to", row)[0]
    sides, depth, current = [], 0, ""
    for char in row:
        depth += char == "{"
        depth -= char == "}"
        if char == "=" and depth == 0:
            sides.append(current.strip())
            current = ""
        else:
            current += char
    sides.append(current.strip())
    return sides


def claims(tex: str) -> list[Claim]:
    """Every printed line `expression = number` whose both sides are numeric (a lone number on the left is
    not arithmetic; matrices are left out), with the lines of the document it spans."""
    out = []
    for match in MATH_BLOCK.finditer(tex):
        inline = match.group(2) is None
        body = match.group(3) if inline else match.group(2)
        if "\\begin{matrix}" in body:
            continue
        start = tex.count("\n", 0, match.start(3) if inline else match.start(2)) + 1
        for first, last, row in _rows(body, start):
            sides = _sides(row)
            for left, right in zip(sides, sides[1:]):
                if not NUMBER.search(left) or NUMBER.fullmatch(left.lstrip("-")) or \
                        not re.fullmatch(r"-?" + NUMBER.pattern, right):
                    continue
                computed = value(left)
                if computed is not None:
                    out.append(Claim(left, right, computed, first, last))
    return out


def filled_chains(tex: str) -> list[tuple[list[float], float]]:
    """(factors, product) of each filled chain row of a handout with solutions (blanks in a tabular row)."""
    rows = re.findall(r"^\$\\displaystyle \\frac\{\\partial L\}.*\\\\\[2ex\]$", tex, re.M)
    out = []
    for row in rows:
        numbers = [float(v.replace("{,}", ".")) for v in re.findall(r"\\answerfilled\{(-?[\d.{},]+)\}", row)]
        out.append((numbers[:-1], numbers[-1]))
    return out
