"""Parse user-written expressions (course-notation LaTeX or plain ASCII) into SymPy, safely."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Callable

import lark
import sympy
from lark import Token, Tree, v_args
from lark.visitors import Transformer_NonRecursive

from symbackprop.model import symbols
from symbackprop.errors import LatexParseError

Network = object  # a symbackprop.model.spec.Network: the spec imports this parser, so it is not imported here

MAX_LENGTH = 20_000  # characters
MAX_NESTING = 50  # nested (, [ and { levels, checked before parsing
MAX_TREE_DEPTH = 250  # parse-tree levels, checked before building SymPy (bounds unary chains)
MAX_CALL_NESTING = 20  # functions applied to functions: \sigma(\sigma(...)) builds deep SymPy trees
MAX_EXPONENT = 100  # largest |numeric exponent|, so SymPy never expands x^{999999999}
MAX_DIGITS = 30  # digits in one written number
MAX_NUMBER_BITS = 3_400  # size of any exact number the expression evaluates to (about 1000 digits)
MAX_ARGUMENTS = 16  # arguments of \max / \min, rows of a piecewise


@dataclass(frozen=True)
class Function:
    """A function users may write: its SymPy builder and how many arguments it takes."""

    build: Callable
    min_args: int = 1
    max_args: int = 1


def _sigmoid(x):  # the logistic function as the sigmoid entry writes it (a test keeps the two equal)
    return 1 / (1 + sympy.exp(-x))


# written name (after the backslash in LaTeX, or bare in ASCII) -> function; one entry per name
FUNCTIONS: dict[str, Function] = {
    "sigma": Function(_sigmoid),
    "sigmoid": Function(_sigmoid),
    "exp": Function(sympy.exp),
    "log": Function(sympy.log),
    "ln": Function(sympy.log),
    "tanh": Function(sympy.tanh),
    "cosh": Function(sympy.cosh),
    "abs": Function(sympy.Abs),
    "sqrt": Function(sympy.sqrt),
    "max": Function(sympy.Max, 2, MAX_ARGUMENTS),
    "Max": Function(sympy.Max, 2, MAX_ARGUMENTS),
    "min": Function(sympy.Min, 2, MAX_ARGUMENTS),
    "Min": Function(sympy.Min, 2, MAX_ARGUMENTS),
}

_RELATIONS = {
    ">": sympy.Gt, "\\gt": sympy.Gt, "<": sympy.Lt, "\\lt": sympy.Lt,
    ">=": sympy.Ge, "\\geq": sympy.Ge, "\\ge": sympy.Ge, "<=": sympy.Le, "\\leq": sympy.Le, "\\le": sympy.Le,
    "=": sympy.Eq, "==": sympy.Eq, "!=": sympy.Ne, "\\neq": sympy.Ne, "\\ne": sympy.Ne,
}
_LOGIC = {"\\wedge": sympy.And, "\\land": sympy.And, "\\vee": sympy.Or, "\\lor": sympy.Or}

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
# look-alike characters replaced one for one (positions stay valid)
_UNICODE = str.maketrans({"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2013": "-"})

# terminal -> how an error message names it
_TERMINALS = {
    "NUMBER": "a number", "INT": "an index", "DIGIT": "a digit", "WORD": "a symbol", "HAT_Y": r"\hat{y}",
    "DELTA": r"\delta", "FUNC": "a function", "FRAC": r"\frac", "ADDOP": "'+' or '-'",
    "MULOP": "'*' or '/'", "SUP": "'^'", "SUB": "'_'", "INDEX": "an index like [0]", "RELOP": "'>' or '<'",
    "_LPAR": "'('", "_RPAR": "')'", "_LBRACK": "'['", "_RBRACK": "']'", "_LBRACE": "'{'", "_RBRACE": "'}'",
    "COMMA": "','", "_AMP": "'&'", "ROWSEP": r"'\\'", "END_CASES": r"\end{cases}", "$END": "end of input",
}


def _quote(text: str, limit: int = 60) -> str:
    """Text quoted for a one-line message: whitespace collapsed, long text cut."""
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[:limit] + "...") + "'"


def _fail(position: int, problem: str) -> LatexParseError:
    """The one-line error for a problem at a character position (0-based)."""
    return LatexParseError(f"cannot parse expression at position {position}: {problem}")


def _function_terminal() -> str:
    """The FUNC terminal, built from the FUNCTIONS table (longest names first)."""
    names = "|".join(sorted(map(re.escape, FUNCTIONS), key=len, reverse=True))
    return f"FUNC.3: /\\\\(?:{names})(?![A-Za-z])|(?:{names})(?![A-Za-z0-9_])/\n"


def build_parser(debug: bool = False) -> lark.Lark:
    """A fresh LALR parser for expression.lark (debug=True logs grammar conflicts)."""
    grammar = resources.files("symbackprop.expressions").joinpath("expression.lark").read_text(encoding="utf-8")
    return lark.Lark(grammar + "\n" + _function_terminal(), parser="lalr", lexer="contextual",
                     propagate_positions=True, maybe_placeholders=True, debug=debug)


@lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    """The module's one parser, built on first use."""
    return build_parser()


def parse_expression(text: str, network: Network) -> sympy.Expr:
    """A SymPy expression for LaTeX or ASCII `text`, symbols from the factory; LatexParseError if invalid."""
    if not isinstance(text, str):
        raise LatexParseError(f"cannot parse expression: expected a string, got {type(text).__name__}")
    try:
        return _parse(text, network)
    except LatexParseError:
        raise
    except Exception as err:  # the boundary: no other exception type may escape
        raise _fail(0, f"cannot read the expression ({type(err).__name__})") from err


def _parse(text: str, network: Network) -> sympy.Expr:
    """Check the size, parse, check the depth, build SymPy."""
    _check_size(text)
    text = text.translate(_UNICODE)
    tree = _parse_tree(text)
    _check_depth(tree)
    try:
        expr = _Builder(text, network).transform(tree)
    except lark.exceptions.VisitError as err:
        raise _visit_error(err) from err
    if not isinstance(expr, sympy.Expr) or expr.has(sympy.zoo, sympy.nan):
        raise _fail(0, "the expression is undefined (division by zero?)")
    return expr


def _check_size(text: str) -> None:
    """Reject empty, over-long and over-nested text before the parser sees it."""
    if len(text) > MAX_LENGTH:
        raise _fail(MAX_LENGTH, f"expression too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    if not text.strip():
        raise _fail(0, "empty expression")
    depth, opened = 0, []
    for position, char in enumerate(text):
        if char in "([{":
            depth += 1
            opened.append(position)
            if depth > MAX_NESTING:
                raise _fail(position, f"brackets nested deeper than {MAX_NESTING} levels")
        elif char in ")]}":
            if depth == 0:
                raise _fail(position, f"unexpected {char!r}: it closes nothing")
            depth -= 1
            opened.pop()
    if opened:
        raise _fail(opened[-1], f"{text[opened[-1]]!r} is never closed")


def _parse_tree(text: str) -> Tree:
    """The lark parse tree, lark's errors turned into LatexParseError."""
    try:
        return _parser().parse(text)
    except lark.exceptions.UnexpectedCharacters as err:
        raise _character_error(text, err.pos_in_stream) from None
    except lark.exceptions.UnexpectedToken as err:
        raise _token_error(text, err.token, err.expected) from None
    except lark.exceptions.UnexpectedEOF as err:
        raise _fail(len(text), f"unexpected end of input{_expected(err.expected)}") from None
    except lark.exceptions.LarkError as err:
        raise _fail(0, f"cannot read the expression ({type(err).__name__})") from None


def _character_error(text: str, position: int) -> LatexParseError:
    """Error for text no token matches: an unknown command, or a stray character."""
    command = re.match(r"\\[A-Za-z]+", text[position:])
    if command:
        known = ", ".join("\\" + name for name in FUNCTIONS if name.islower())
        return _fail(position, f"unknown command {_quote(command.group())} (functions: {known}, \\frac)")
    char = text[position]
    return _fail(position, f"unexpected character {_quote(char) if char.isprintable() else repr(char)}")


def _token_error(text: str, token: Token, expected) -> LatexParseError:
    """Error for a token the grammar does not allow here."""
    if token.type == "$END":
        return _fail(len(text), f"unexpected end of input{_expected(expected)}")
    return _fail(token.start_pos, f"unexpected {_quote(str(token), 20)}{_expected(expected)}")


def _expected(expected) -> str:
    """' (expected a, b or c)' for a few friendly terminal names."""
    names = sorted({_TERMINALS.get(name, name.strip("_").lower()) for name in expected})
    if not names:
        return ""
    shown = names[:6] + (["..."] if len(names) > 6 else [])
    return f" (expected {', '.join(shown)})"


def _check_depth(tree: Tree) -> None:
    """Reject parse trees too deep, or with functions nested too deep (walked without recursion)."""
    stack = [(tree, 1, 0)]
    while stack:
        node, depth, calls = stack.pop()
        calls += node.data == "call"
        if depth > MAX_TREE_DEPTH:
            raise _fail(_start(node), f"expression nested deeper than {MAX_TREE_DEPTH} levels")
        if calls > MAX_CALL_NESTING:
            raise _fail(_start(node), f"functions nested deeper than {MAX_CALL_NESTING} levels")
        stack.extend((child, depth + 1, calls) for child in node.children if isinstance(child, Tree))


def _start(node) -> int:
    """Character position where a tree or token starts (0 when unknown)."""
    if isinstance(node, Token):
        return node.start_pos or 0
    return getattr(node.meta, "start_pos", 0) if not node.meta.empty else 0


def _visit_error(err: lark.exceptions.VisitError) -> LatexParseError:
    """A LatexParseError from an error raised while building SymPy."""
    if isinstance(err.orig_exc, LatexParseError):
        return err.orig_exc
    return _fail(_start(err.obj), f"cannot build this expression ({type(err.orig_exc).__name__}: "
                                  f"{str(err.orig_exc).splitlines()[0][:80] if str(err.orig_exc) else ''})")


def _check_value(value, position: int):
    """Reject undefined values, oversized numbers and huge powers as soon as a node makes them."""
    for part in (value, *getattr(value, "args", ())):
        if part in (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise _fail(position, "the expression is undefined here (division by zero or log of 0?)")
        if isinstance(part, sympy.Rational) and max(part.p.bit_length(), part.q.bit_length()) > MAX_NUMBER_BITS:
            raise _fail(position, "number too large (over about 1000 digits)")
        if isinstance(part, sympy.Pow) and part.exp.is_Number and abs(part.exp) > MAX_EXPONENT:
            raise _fail(position, f"exponent {part.exp} too large (the limit is {MAX_EXPONENT} in absolute value)")
    return value


def _node(method):
    """Wrap a builder method: children in, checked SymPy value out."""
    def wrapper(self, meta, children):
        return _check_value(method(self, meta, children), getattr(meta, "start_pos", 0))

    wrapper.__name__ = method.__name__
    return wrapper


@v_args(meta=True)
class _Builder(Transformer_NonRecursive):
    """Turns a parse tree into SymPy, symbols resolved against the network's notation."""

    def __init__(self, text: str, network: Network):
        super().__init__()
        self.text = text
        self.network = network

    # ---- arithmetic -----------------------------------------------------------------------------
    @_node
    def sum(self, meta, children):
        terms, sign = [children[0]], 1
        for child in children[1:]:
            if isinstance(child, Token):
                sign = -1 if child == "-" else 1
            else:
                terms.append(-child if sign < 0 else child)
        _check_numbers(terms, meta.start_pos, lambda n: n.q.bit_length() - 1)
        return sympy.Add(*terms)

    @_node
    def product(self, meta, children):
        factors, operator = [children[0]], None
        for child in children[1:]:
            if isinstance(child, Token):
                operator = child
                continue
            factors.append(self._divide(child, operator) if operator == "/" else child)
            operator = None
        _check_numbers(factors, meta.start_pos, lambda n: n.p.bit_length() + n.q.bit_length() - 2)
        return sympy.Mul(*factors)

    def _divide(self, denominator, token):
        if denominator.is_zero:
            raise _fail(_start(token), "division by zero")
        return sympy.Pow(denominator, -1)

    @_node
    def unary(self, meta, children):
        sign, value = children
        return -value if sign == "-" else value

    @_node
    def pow(self, meta, children):
        base, token, exponent = children
        return _power(base, exponent, _start(token))

    @_node
    def frac(self, meta, children):
        token, numerator, denominator = children
        if denominator.is_zero:
            raise _fail(_start(token), "division by zero in \\frac")
        return numerator / denominator

    @_node
    def number(self, meta, children):
        return _number(children[0])

    @_node
    def call(self, meta, children):
        token, power, *arguments = children
        name = token.lstrip("\\")
        function = FUNCTIONS[name]
        if not function.min_args <= len(arguments) <= function.max_args:
            wanted = (str(function.min_args) if function.min_args == function.max_args
                      else f"{function.min_args} to {function.max_args}")
            raise _fail(_start(token), f"{token} takes {wanted} argument(s), got {len(arguments)}")
        value = function.build(*arguments)
        return value if power is None else _power(value, power[1], _start(power[0]))

    def fpow(self, meta, children):
        return children  # (SUP token, exponent), applied by call()

    # ---- piecewise ------------------------------------------------------------------------------
    @_node
    def cases(self, meta, children):
        rows = [child for child in children if isinstance(child, tuple)]
        return self._piecewise(rows, meta)

    @_node
    def piecewise(self, meta, children):
        return self._piecewise([child for child in children if isinstance(child, tuple)], meta)

    def _piecewise(self, rows, meta):
        if len(rows) > MAX_ARGUMENTS:
            raise _fail(meta.start_pos, f"more than {MAX_ARGUMENTS} cases")
        value = sympy.Piecewise(*rows)
        if value is sympy.nan:
            raise _fail(meta.start_pos, "no case of this piecewise expression can hold")
        return value

    def case_row(self, meta, children):
        return tuple(children)

    pw_pair = case_row

    def condition(self, meta, children):
        return children[-1]  # drop the \text{for}

    def otherwise(self, meta, children):
        return sympy.true

    def relation(self, meta, children):
        left, token, right = children
        try:
            return _RELATIONS[str(token)](left, right)
        except TypeError as err:  # SymPy refuses to order complex values such as sqrt(-1)
            raise _fail(_start(token), "cannot compare non-real values") from err

    def logic(self, meta, children):
        if len(children) > 2 * MAX_ARGUMENTS:
            raise _fail(meta.start_pos, f"more than {MAX_ARGUMENTS} conditions joined by \\wedge or \\vee")
        value = children[0]
        for token, relation in zip(children[1::2], children[2::2]):
            value = _LOGIC[str(token)](value, relation)
        return value

    # ---- symbols --------------------------------------------------------------------------------
    def base(self, meta, children):
        return children[0]

    def sup(self, meta, children):
        return ("sup", children[1], children[0])

    def sub(self, meta, children):
        return ("sub", children[1], children[0])

    def index(self, meta, children):
        token = children[0]
        return ("index", [part.strip() for part in token.strip("[] \t\n").split(",")], token)

    def subscript(self, meta, children):
        return [str(child) for child in children]

    @_node
    def symbol(self, meta, children):
        token, scripts = children[0], children[1:]
        snippet = self.text[meta.start_pos:meta.end_pos] if not meta.empty else str(token)
        return _Symbol(token, snippet, self.network).resolve(scripts)


def _number(token: Token) -> sympy.Rational:
    """An exact number for a written literal (0.5 -> 1/2, 1e-3 -> 1/1000)."""
    mantissa, _, exponent = str(token).lower().partition("e")
    if len(mantissa.replace(".", "")) > MAX_DIGITS:
        raise _fail(_start(token), f"number with more than {MAX_DIGITS} digits")
    if exponent and (len(exponent.lstrip("+-").lstrip("0")) > 3 or abs(int(exponent)) > MAX_EXPONENT):
        raise _fail(_start(token), f"number exponent {_quote(exponent, 10)} too large (the limit is {MAX_EXPONENT})")
    fraction = Fraction(str(token))
    return sympy.Rational(fraction.numerator, fraction.denominator)


def _check_numbers(values, position: int, bits: Callable) -> None:
    """Refuse sums and products whose exact numbers would grow past MAX_NUMBER_BITS (slow to combine)."""
    numbers = [value for value in values if isinstance(value, sympy.Rational)]
    if len(numbers) > 1 and sum(bits(number) for number in numbers) > MAX_NUMBER_BITS:
        raise _fail(position, "number too large (over about 1000 digits)")


def _check_exponent(exponent, position: int) -> None:
    """Refuse numeric exponents over MAX_EXPONENT in absolute value."""
    if exponent.is_Number and abs(exponent) > MAX_EXPONENT:
        raise _fail(position, f"exponent {exponent} too large (the limit is {MAX_EXPONENT} in absolute value)")


def _power(base, exponent, position: int):
    """base ** exponent, refusing exponents and exact results that would make SymPy hang."""
    _check_exponent(exponent, position)
    if base.is_Rational and exponent.is_Number and abs(base) not in (0, 1):
        bits = max(base.p.bit_length(), base.q.bit_length())
        if bits * abs(exponent) > MAX_NUMBER_BITS:
            raise _fail(position, "number too large (over about 1000 digits)")
    if base.is_zero and exponent.is_negative:
        raise _fail(position, "division by zero (0 to a negative power)")
    return sympy.exp(exponent) if base is sympy.E else sympy.Pow(base, exponent)


class _Symbol:
    """One written symbol and its scripts, resolved into a factory symbol or a power of one."""

    def __init__(self, token: Token, snippet: str, network: Network):
        self.token, self.snippet, self.network = token, snippet, network
        self.position = _start(token)
        self.kind, self.layer = self._read_name(str(token))

    def _error(self, problem: str, position: int | None = None) -> LatexParseError:
        return _fail(self.position if position is None else position, f"{problem} in {_quote(self.snippet)}")

    def _read_name(self, name: str):
        """(kind, written layer or None) for the base name."""
        if name.startswith("\\"):
            if "hat" in name:
                return "output", None
            return ("delta", None) if name.startswith("\\delta") else (None, None)
        match = _WORD.fullmatch(name)
        kind = _NAMES.get(match.group(1), "unknown") if match else "unknown"
        if kind == "unknown":
            raise _fail(self.position, f"unknown name {_quote(name)} (expected x, y, w, b, v, \\hat{{y}}, \\delta, "
                                       f"l, L, e, or ASCII names like x[0], W0[1][2], yhat[0], d1[0])")
        if len(match.group(2)) > MAX_DIGITS:
            raise _fail(self.position, f"layer number too long in {_quote(name)}")
        layer = int(match.group(2)) if match.group(2) else None
        if layer is not None and kind not in _LAYERED | {"y"}:
            raise _fail(self.position, f"{_quote(match.group(1))} takes no layer number, got {_quote(name)}")
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
                _check_exponent(sup[0], _start(sup[1]))
        if self.kind in (None, "loss"):
            return self._constant(before, indices)
        if self.kind in _LAYERED:
            self.layer = self._layer(before)
        elif before is not None:  # x^{2}_{0}: no layer to take, so a power
            if after is not None:
                raise self._error("double superscript", _start(after[1]))
            after = before
        value = self._factory(indices)
        return value if after is None else _power(value, after[0], _start(after[1]))

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
                    raise self._error("double superscript", _start(token))
            elif after is not None or (indices is not None and (kind == "sub" or indices[0] == "sub")):
                raise self._error("double subscript", _start(token))
            elif indices is None:
                indices = (kind, list(value), token)
            else:
                indices[1].extend(value)
        return before, indices, after

    def _constant(self, sup, indices):
        """e or L, with an optional power; neither takes an index."""
        if indices is not None:
            raise self._error(f"{self.token} takes no index", _start(indices[2]))
        value = sympy.E if self.kind is None else symbols.LOSS
        return value if sup is None else _power(value, sup[0], _start(sup[1]))

    def _layer(self, sup) -> int:
        """The 0-based layer, from the ASCII name, the superscript, or the network's shape."""
        net, base = self.network, self.network.index_base
        if sup is not None:
            if self.layer is not None:
                raise self._error("layer given twice", _start(sup[1]))
            if not (sup[0].is_Integer and sup[0] >= 0):
                raise self._error(f"the layer superscript must be a whole number, got {sup[0]}", _start(sup[1]))
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
                                  _start(indices[2]))
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
            raise self._error("index too long", _start(token))
        values = [int(value) for value in values]
        if len(values) != wanted:
            hint = {"sub": " (write _{i,j})", "index": " (write [i][j])"}[kind] if wanted == 2 else ""
            raise self._error(f"{self.token} takes {wanted} index(es), got {len(values)}{hint}", _start(token))
        return values
