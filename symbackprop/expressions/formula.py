"""Formulas in a few named variables (a spec's own functions), parsed with the expression grammar, never eval."""
import lark
import sympy
from lark import v_args

from symbackprop.errors import LatexParseError
from symbackprop.expressions import parser
from symbackprop.expressions.limits import (bounded_power, check_depth, check_size, checked_node, parse_error,
                                            position_of, quoted, visit_error)


def parse_formula(text: str, variables: dict[str, sympy.Symbol]) -> sympy.Expr:
    """A SymPy expression for `text` written in `variables` (e.g. {"v": v}); LatexParseError if invalid.

    The grammar, size and depth limits are the claims parser's; a name is one of the variables (\\hat{y} is
    "yhat") or e, raised to a power at most: no subscripts or layers.
    """
    if not isinstance(text, str):
        raise LatexParseError(f"cannot parse expression: expected a string, got {type(text).__name__}")
    try:
        check_size(text)
        text = text.translate(parser._UNICODE)
        tree = parser._parse_tree(text)
        check_depth(tree)
        try:
            expr = _FormulaBuilder(text, variables).transform(tree)
        except lark.exceptions.VisitError as err:
            raise visit_error(err) from err
    except LatexParseError:
        raise
    except Exception as err:  # the boundary: no other exception type may escape
        raise parse_error(0, f"cannot read the expression ({type(err).__name__})") from err
    if not isinstance(expr, sympy.Expr) or expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise parse_error(0, "the expression is undefined (division by zero?)")
    return expr


@v_args(meta=True)
class _FormulaBuilder(parser._Builder):
    """The claims builder with names resolved against a fixed set of variables."""

    def __init__(self, text: str, variables: dict[str, sympy.Symbol]):
        super().__init__(text, network=None)
        self.variables = variables

    @checked_node
    def symbol(self, meta, children):
        token, scripts = children[0], children[1:]
        name = "yhat" if token.type == "HAT_Y" else str(token)
        if name in ("e", "E") or token.type == "ROMAN_E":
            value = sympy.E
        elif name in self.variables:
            value = self.variables[name]
        else:
            expected = ", ".join(sorted(self.variables))
            raise parse_error(position_of(token), f"unknown name {quoted(name)} (expected {expected}, e, or a function)")
        if not scripts:
            return value
        kind, exponent, sup = scripts[0]
        if len(scripts) > 1 or kind != "sup":
            raise parse_error(position_of(token), f"{quoted(name)} takes no subscript or index here, only a power")
        return bounded_power(value, exponent, position_of(sup))
