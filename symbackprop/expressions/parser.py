"""Parse user-written expressions (course-notation LaTeX or plain ASCII) into SymPy, safely."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

import lark
import sympy
from lark import Token, Tree, v_args
from lark.visitors import Transformer_NonRecursive

from symbackprop.errors import LatexParseError
from symbackprop.expressions.limits import (MAX_ARGUMENTS, bounded_power, check_depth, check_numbers, check_size,
                                            checked_node, parse_error, parsed_number, position_of, quoted,
                                            visit_error)
from symbackprop.expressions.written_symbols import WrittenSymbol

Network = object  # a symbackprop.model.spec.Network: the spec imports this parser, so it is not imported here


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
    "sin": Function(sympy.sin),
    "cos": Function(sympy.cos),
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
        raise parse_error(0, f"cannot read the expression ({type(err).__name__})") from err


def _parse(text: str, network: Network) -> sympy.Expr:
    """Check the size, parse, check the depth, build SymPy."""
    check_size(text)
    text = text.translate(_UNICODE)
    tree = _parse_tree(text)
    check_depth(tree)
    try:
        expr = _Builder(text, network).transform(tree)
    except lark.exceptions.VisitError as err:
        raise visit_error(err) from err
    if not isinstance(expr, sympy.Expr) or expr.has(sympy.zoo, sympy.nan):
        raise parse_error(0, "the expression is undefined (division by zero?)")
    return expr


def _parse_tree(text: str) -> Tree:
    """The lark parse tree, lark's errors turned into LatexParseError."""
    try:
        return _parser().parse(text)
    except lark.exceptions.UnexpectedCharacters as err:
        raise _character_error(text, err.pos_in_stream) from None
    except lark.exceptions.UnexpectedToken as err:
        raise _token_error(text, err.token, err.expected) from None
    except lark.exceptions.UnexpectedEOF as err:
        raise parse_error(len(text), f"unexpected end of input{_expected(err.expected)}") from None
    except lark.exceptions.LarkError as err:
        raise parse_error(0, f"cannot read the expression ({type(err).__name__})") from None


def _character_error(text: str, position: int) -> LatexParseError:
    """Error for text no token matches: an unknown command, or a stray character."""
    command = re.match(r"\\[A-Za-z]+", text[position:])
    if command:
        known = ", ".join("\\" + name for name in FUNCTIONS if name.islower())
        return parse_error(position, f"unknown command {quoted(command.group())} (functions: {known}, \\frac)")
    char = text[position]
    return parse_error(position, f"unexpected character {quoted(char) if char.isprintable() else repr(char)}")


def _token_error(text: str, token: Token, expected) -> LatexParseError:
    """Error for a token the grammar does not allow here."""
    if token.type == "$END":
        return parse_error(len(text), f"unexpected end of input{_expected(expected)}")
    return parse_error(token.start_pos, f"unexpected {quoted(str(token), 20)}{_expected(expected)}")


def _expected(expected) -> str:
    """' (expected a, b or c)' for a few friendly terminal names."""
    names = sorted({_TERMINALS.get(name, name.strip("_").lower()) for name in expected})
    if not names:
        return ""
    shown = names[:6] + (["..."] if len(names) > 6 else [])
    return f" (expected {', '.join(shown)})"


@v_args(meta=True)
class _Builder(Transformer_NonRecursive):
    """Turns a parse tree into SymPy, symbols resolved against the network's notation."""

    def __init__(self, text: str, network: Network):
        super().__init__()
        self.text = text
        self.network = network

    # ---- arithmetic -----------------------------------------------------------------------------
    @checked_node
    def sum(self, meta, children):
        terms, sign = [children[0]], 1
        for child in children[1:]:
            if isinstance(child, Token):
                sign = -1 if child == "-" else 1
            else:
                terms.append(-child if sign < 0 else child)
        check_numbers(terms, meta.start_pos, lambda n: n.q.bit_length() - 1)
        return sympy.Add(*terms)

    @checked_node
    def product(self, meta, children):
        factors, operator = [children[0]], None
        for child in children[1:]:
            if isinstance(child, Token):
                operator = child
                continue
            factors.append(self._divide(child, operator) if operator == "/" else child)
            operator = None
        check_numbers(factors, meta.start_pos, lambda n: n.p.bit_length() + n.q.bit_length() - 2)
        return sympy.Mul(*factors)

    def _divide(self, denominator, token):
        if denominator.is_zero:
            raise parse_error(position_of(token), "division by zero")
        return sympy.Pow(denominator, -1)

    @checked_node
    def unary(self, meta, children):
        sign, value = children
        return -value if sign == "-" else value

    @checked_node
    def pow(self, meta, children):
        base, token, exponent = children
        return bounded_power(base, exponent, position_of(token))

    @checked_node
    def frac(self, meta, children):
        token, numerator, denominator = children
        if denominator.is_zero:
            raise parse_error(position_of(token), "division by zero in \\frac")
        return numerator / denominator

    @checked_node
    def number(self, meta, children):
        return parsed_number(children[0])

    @checked_node
    def call(self, meta, children):
        token, power, *arguments = children
        name = token.lstrip("\\")
        function = FUNCTIONS[name]
        if not function.min_args <= len(arguments) <= function.max_args:
            wanted = (str(function.min_args) if function.min_args == function.max_args
                      else f"{function.min_args} to {function.max_args}")
            raise parse_error(position_of(token), f"{token} takes {wanted} argument(s), got {len(arguments)}")
        value = function.build(*arguments)
        return value if power is None else bounded_power(value, power[1], position_of(power[0]))

    def fpow(self, meta, children):
        return children  # (SUP token, exponent), applied by call()

    # ---- piecewise ------------------------------------------------------------------------------
    @checked_node
    def cases(self, meta, children):
        rows = [child for child in children if isinstance(child, tuple)]
        return self._piecewise(rows, meta)

    @checked_node
    def piecewise(self, meta, children):
        return self._piecewise([child for child in children if isinstance(child, tuple)], meta)

    def _piecewise(self, rows, meta):
        if len(rows) > MAX_ARGUMENTS:
            raise parse_error(meta.start_pos, f"more than {MAX_ARGUMENTS} cases")
        value = sympy.Piecewise(*rows)
        if value is sympy.nan:
            raise parse_error(meta.start_pos, "no case of this piecewise expression can hold")
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
            raise parse_error(position_of(token), "cannot compare non-real values") from err

    def logic(self, meta, children):
        if len(children) > 2 * MAX_ARGUMENTS:
            raise parse_error(meta.start_pos, f"more than {MAX_ARGUMENTS} conditions joined by \\wedge or \\vee")
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

    @checked_node
    def symbol(self, meta, children):
        token, scripts = children[0], children[1:]
        snippet = self.text[meta.start_pos:meta.end_pos] if not meta.empty else str(token)
        return WrittenSymbol(token, snippet, self.network).resolve(scripts)


