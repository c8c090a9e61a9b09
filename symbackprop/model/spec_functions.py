"""Functions defined in a spec's [functions] table: parsed with the expression grammar, checked, made entries."""
import re
from dataclasses import dataclass, field

import sympy

from symbackprop.errors import LatexParseError, SpecError
from symbackprop.expressions.formula import parse_formula
from symbackprop.model import derivative_checks, functions
from symbackprop.model.functions import Activation, Loss, Names

MAX_FUNCTIONS = 16
MAX_OPS = 300  # operation count of a written g or loss term (SymPy's own derivative stays small)
ACTIVATION_KEYS = {"g", "derivative", "name"}
LOSS_KEYS = {"loss", "derivative", "name", "targets"}
_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_NAME_CHARACTERS = set(" -()'.,/+")  # besides letters and digits: nothing LaTeX or HTML would read as markup

V, G = sympy.Symbol("v", real=True), sympy.Symbol("g", real=True)
Y, P = sympy.Symbol("y", real=True), sympy.Symbol("yhat", real=True)
N = sympy.Symbol("N", positive=True, integer=True)


@dataclass(frozen=True)
class Definition:
    """One [functions.NAME] table as written (compared by its text) and the entry built from it."""

    name: str
    kind: str  # "activation" or "loss"
    formula: str  # g in v, or the loss term in y, yhat and N
    derivative: str = ""  # as written; "" when SymPy's derivative is used
    names: tuple[tuple[str, str], ...] = ()  # (language, display name)
    targets: str = "any"  # a loss: the targets it accepts (one of functions.TARGET_KINDS)
    entry: Activation | Loss | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        """The table as the spec writes it."""
        data = {"g" if self.kind == "activation" else "loss": self.formula}
        if self.derivative:
            data["derivative"] = self.derivative
        if self.names:
            data["name"] = dict(self.names)
        if self.targets != "any":
            data["targets"] = self.targets
        return data


def parse_functions(table, source: str) -> tuple[Definition, ...]:
    """The definitions of a [functions] table, each checked and made an entry; SpecError on the first problem."""
    if not isinstance(table, dict):
        raise SpecError(f"{source}: functions: expected tables [functions.NAME], got {table!r:.60}")
    if len(table) > MAX_FUNCTIONS:
        raise SpecError(f"{source}: functions: {len(table)} functions; the limit is {MAX_FUNCTIONS}")
    return tuple(_definition(name, body, source) for name, body in table.items())


def functions_to_dict(definitions) -> dict:
    """The [functions] table of a list of definitions."""
    return {definition.name: definition.to_dict() for definition in definitions}


def _definition(name: str, body, source: str) -> Definition:
    where = f"{source}: functions.{name}"
    if not _NAME.fullmatch(name):
        raise SpecError(f"{where}: a function name is a lowercase letter then letters, digits or _ "
                        f"(at most 32), e.g. swish")
    if name in functions.ACTIVATIONS or name in functions.LOSSES:
        raise SpecError(f"{where}: a built-in function has this name; choose another name")
    if not isinstance(body, dict):
        raise SpecError(f"{where}: expected a table with g = \"...\" (an activation) or loss = \"...\" (a loss)")
    if ("g" in body) == ("loss" in body):
        raise SpecError(f"{where}: give exactly one of g (an activation, in v) or loss (a loss term, in y, "
                        f"yhat and N)")
    kind = "activation" if "g" in body else "loss"
    allowed = ACTIVATION_KEYS if kind == "activation" else LOSS_KEYS
    for key in body:
        if key not in allowed:
            raise SpecError(f"{where}: unknown key {key!r}; expected one of {', '.join(sorted(allowed))} "
                            f"(did you mean {functions.closest(key, allowed)!r}?)")
    formula = _text(body, "g" if kind == "activation" else "loss", where)
    derivative = _text(body, "derivative", where) if "derivative" in body else ""
    names = _names(body.get("name", name.replace("_", " ")), where)
    targets = body.get("targets", "any")
    if targets not in functions.TARGET_KINDS:
        raise SpecError(f"{where}.targets: expected one of {', '.join(functions.TARGET_KINDS)} (any number, each "
                        f"in [0, 1], or in [0, 1] summing to 1), got {targets!r:.60}")
    titles = {lang: Names(text, text) for lang, text in names}
    if kind == "activation":
        entry = _activation(name, formula, derivative, titles, where)
    else:
        entry = _loss(name, formula, derivative, titles, where, targets)
    return Definition(name, kind, formula, derivative, names if "name" in body else (), targets, entry)


def _text(body: dict, key: str, where: str) -> str:
    if not isinstance(body[key], str):
        raise SpecError(f"{where}.{key}: expected a string such as \"v / (1 + exp(-v))\", got {body[key]!r:.60}")
    return body[key]


def _names(value, where: str) -> tuple[tuple[str, str], ...]:
    pairs = [("en", value)] if isinstance(value, str) else list(value.items()) if isinstance(value, dict) else None
    if not pairs:
        raise SpecError(f"{where}.name: expected a string or a table such as {{ en = \"Swish\", pt-BR = \"Swish\" }}")
    for lang, text in pairs:
        if (not isinstance(text, str) or not 0 < len(text) <= 60
                or not all(ch.isalnum() or ch in _NAME_CHARACTERS for ch in text)):
            raise SpecError(f"{where}.name: {lang}: expected 1 to 60 letters, digits, spaces or - ( ) ' . , / +, "
                            f"got {text!r:.70}")
    return tuple(pairs)


def _parse(text: str, variables: dict, where: str, key: str) -> sympy.Expr:
    try:
        expr = parse_formula(text, variables)
    except LatexParseError as err:
        raise SpecError(f"{where}.{key}: {err}") from None
    if sympy.count_ops(expr) > MAX_OPS:
        raise SpecError(f"{where}.{key}: expression too large ({sympy.count_ops(expr)} operations; the limit "
                        f"is {MAX_OPS})")
    return expr


def _checked_derivative(written, exact, points, where: str, variables: str):
    """Refuse a written derivative that differs from SymPy's at one of the points, naming that point."""
    try:
        found = derivative_checks.first_difference(written, exact, points)
    except derivative_checks.Undefined:
        raise SpecError(f"{where}.derivative: cannot be checked (the function has no real value at any "
                        f"test point); leave it out to use the computed derivative") from None
    if found is not None:
        point, got, want = found
        at = ", ".join(f"{symbol} = {number}" for symbol, number in point.items())
        shown = "undefined" if got is None else sympy.Float(got, 6)
        raise SpecError(f"{where}.derivative: differs from the derivative of {variables} at {at} (written: "
                        f"{shown}, computed: {sympy.Float(want, 6)}); fix it or leave it out to use the "
                        f"computed one")


def _activation(name: str, text: str, derivative_text: str, names: dict, where: str) -> Activation:
    g_expr = _parse(text, {"v": V}, where, "g")
    undefined = derivative_checks.undefined_at(g_expr, derivative_checks.activation_points(V))
    if undefined is not None:
        raise SpecError(f"{where}.g: has no real value (or one past 1e200) at v = {undefined[V]}; an activation "
                        f"must be defined for every real v")
    exact = sympy.diff(g_expr, V)
    if derivative_text:
        written = _parse(derivative_text, {"v": V, "g": G}, where, "derivative")
        _checked_derivative(written.xreplace({G: g_expr}), exact, derivative_checks.activation_points(V),
                            where, "g")
    else:
        written = derivative_checks.in_terms_of(exact, g_expr, G, V)
        written = exact if written is None else written
    return Activation(
        name,
        expression=lambda v, **o: g_expr.xreplace({V: v}),
        derivative=lambda v, g, **o: written.xreplace({V: v, G: g}),
        stable_derivative=lambda v, **o: exact.xreplace({V: v}),
        piecewise=g_expr.has(sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs),
        names=names,
    )


def _loss(name: str, text: str, derivative_text: str, names: dict, where: str, targets: str) -> Loss:
    variables = {"y": Y, "yhat": P, "N": N}
    term = _parse(text, variables, where, "loss")
    exact = sympy.diff(term, P)
    if derivative_text:
        written = _parse(derivative_text, variables, where, "derivative")
        _checked_derivative(written, exact, derivative_checks.loss_points(Y, P, N), where, "the loss in yhat")
    else:
        written = exact

    def at(expr, y, p, n):
        return expr.xreplace({Y: y, P: p, N: sympy.Integer(n) if isinstance(n, int) else n})

    return Loss(name, term=lambda y, p, n: at(term, y, p, n), derivative=lambda y, p, n: at(written, y, p, n),
                targets=targets, names=names)
