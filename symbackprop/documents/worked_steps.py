"""The worked example as steps: each quantity's closed form, its numbers put in, and the result."""
import math
import re
from dataclasses import dataclass, field

import sympy

from symbackprop.notation.derivation_tex import TexDerivation as Derivation
from symbackprop.notation.numbers_in_math import NumberFormat, NumberPrinter, closed_tex, substituted
from symbackprop.notation.printer import printer_settings, quantity_tex
from symbackprop.model import symbols
from symbackprop.model.quantities import symbol_quantity
from symbackprop.model.spec import Training

TIMES = r" \times "


@dataclass(frozen=True)
class Line:
    """One display line of a step: `op` ("=" or "" for a continued sum) followed by LaTeX math."""

    op: str
    tex: str


@dataclass(frozen=True)
class Step:
    """lhs = line = line ...: one quantity worked out; `name` is its quantity name."""

    name: str
    lhs: str
    lines: tuple[Line, ...]
    group: str = ""  # consecutive steps of one group (a unit's v and y, a layer's matrix form) share a frame

    @property
    def height(self) -> float:
        """Rough display height in text lines (fractions and matrix rows count more), for splitting pages."""
        return sum(line_height((self.lhs if n == 0 else "") + line.tex) for n, line in enumerate(self.lines))


def line_height(tex: str) -> float:
    """Rough height of one display line in text lines."""
    if r"\begin{matrix}" in tex:
        return 0.4 + 1.0 * max(part.count("\\\\") + 1 for part in tex.split(r"\begin{matrix}")[1:])
    if r"\begin{cases}" in tex:
        return 1.2 + 1.0 * tex.count("\\\\")
    if r"\sum_" in tex:
        return 2.2
    if r"\frac" in tex:
        return 1.8
    return 1.2 if "^{(" in tex else 1.0  # a superscript in parentheses, as in w^{(1)\,0}_{0,0}


def _blocks(steps: list[Step]) -> list[list[Step]]:
    """Steps as unbreakable blocks: consecutive steps of the same non-empty group stay together."""
    blocks: list[list[Step]] = []
    for step in steps:
        if blocks and step.group and blocks[-1][-1].group == step.group:
            blocks[-1].append(step)
        else:
            blocks.append([step])
    return blocks


def _height(block: list[Step]) -> float:
    return sum(step.height for step in block)


def _greedy(blocks: list[list[Step]], budget: float) -> int:
    """How many pages greedy filling takes."""
    count, used = (1 if blocks else 0), 0.0
    for block in blocks:
        if used and used + _height(block) > budget:
            count, used = count + 1, 0.0
        used += _height(block)
    return count


def pages(steps: list[Step], budget: float) -> list[list[Step]]:
    """Steps split into the fewest pages of at most `budget` display lines, filled evenly, never inside a
    group (a block taller than the budget gets a page of its own; LaTeX scales it to fit)."""
    blocks = _blocks(steps)
    count = _greedy(blocks, budget)
    remaining = sum(_height(block) for block in blocks)
    out, index = [], 0
    while index < len(blocks):
        target = remaining / max(count - len(out), 1)
        page, used = [], 0.0
        while index < len(blocks):
            height = _height(blocks[index])
            if page and (used + height > budget or used + height / 2 > target):
                break
            page += blocks[index]
            used += height
            index += 1
        out.append(page)
        remaining -= used
    return out


def signed_terms(expr, show) -> list[str]:
    """An Add's terms as printed, each but the first with its sign: ["a", "+ b", "- c"]."""
    args = expr.args if expr.is_Add else (expr,)
    out = []
    for position, term in enumerate(args):
        text = show(term)
        if re.fullmatch(r"\(-[0-9.{},]+\)", text):  # a negative number alone: + (-0.4) -> - 0.4
            text = "-" + text[2:-1]
        if position:
            text = f"- {text[1:].lstrip()}" if text.startswith("-") else f"+ {text}"
        out.append(text)
    return out


def display_lines(expr, show, per_line: int, result: str | None = None) -> list[Line]:
    """expr shown on one line, or a long sum wrapped every per_line terms; then `= result` if given."""
    if not expr.is_Add or len(expr.args) <= per_line:
        lines = [Line("=", show(expr))]
    else:
        terms = signed_terms(expr, show)
        chunks = [terms[i:i + per_line] for i in range(0, len(terms), per_line)]
        lines = [Line("=" if n == 0 else "", " ".join(chunk)) for n, chunk in enumerate(chunks)]
    if result is not None:
        if len(lines) == 1:
            lines[-1] = Line("=", f"{lines[-1].tex} = {result}")
        else:
            lines.append(Line("=", result))
    return lines


@dataclass(frozen=True)
class Layout:
    """How many terms of a sum fit on one display line."""

    symbols_per_line: int = 7
    numbers_per_line: int = 3


@dataclass(frozen=True)
class LayerBackward:
    """One layer of the backward pass: its factors (with δ) and its gradients."""

    layer: int
    factors: list[Step]
    gradients: list[Step]


@dataclass(frozen=True)
class WorkedExample:
    """Every step of the worked example, in teaching order."""

    forward: list[Step]
    loss: list[Step]
    backward: list[LayerBackward]
    updates: list[Step] = field(default_factory=list)
    new_loss: Step | None = None


class Worker:
    """Builds steps for one derivation at one numeric point."""

    def __init__(self, derivation: Derivation, values: dict[str, float], fmt: NumberFormat = NumberFormat(),
                 layout: Layout = Layout(), training: Training | None = None, if_word: str = "if"):
        self.d, self.values, self.fmt, self.layout, self.training = derivation, values, fmt, layout, training
        self.net, self.names, self.if_word = derivation.network, derivation.names, if_word

    # -- pieces ------------------------------------------------------------------------------------
    def number(self, name: str) -> str:
        return self.fmt.tex(self.values[name])

    def _closed(self, expr) -> str:
        return closed_tex(expr, self.net, self.if_word)

    def _numbers(self, expr) -> str:
        return substituted(expr, self.net, self.values, self.fmt, self.if_word)

    def _exponentials(self, expr) -> str | None:
        """expr with each e^{...} replaced by its number (1/(1 + 0.8270)), or None without exponentials."""
        powers = sorted(expr.atoms(sympy.exp), key=sympy.default_sort_key)
        if not powers:
            return None
        numbers = {}
        for symbol in expr.free_symbols:
            name = symbol_quantity(symbol, self.names)
            if name is not None:
                numbers[symbol] = self.values[name]
        placeholders = {}
        for n, power in enumerate(powers):
            value = math.exp(float(power.args[0].xreplace({s: sympy.Float(v) for s, v in numbers.items()})))
            placeholders[power] = sympy.Symbol(f"numtex_exp_{n}")
            numbers[placeholders[power]] = value
        shown = {symbol: self.fmt.factor(value) for symbol, value in numbers.items()}
        printer = NumberPrinter({**printer_settings(self.net), "numbers": shown})
        return printer.doprint(expr.xreplace(placeholders))

    def _piecewise(self, expr, result: str) -> list[Line]:
        """The branch that applies, with its condition in numbers: = 0 (v^{1}_{0} = -0.2000 <= 0)."""
        previous = []
        for value, condition in expr.args:
            if condition is sympy.true or self._holds(condition):
                holds = condition if condition is not sympy.true else sympy.And(*[sympy.Not(c) for c in previous])
                shown = {symbol: f"{self.d.tex(symbol)} = {self.fmt.tex(self.values[symbol_quantity(symbol, self.names)])}"
                         for symbol in holds.free_symbols}
                reason = closed_tex(holds, self.net, self.if_word, shown)
                text = self._numbers(value) if value.free_symbols else self._closed(value)
                lines = [Line("=", rf"{text} \quad ({reason})")]
                if value.free_symbols and text != result:
                    lines.append(Line("=", result))
                return lines
            previous.append(condition)
        raise ValueError("no branch applies")  # unreachable: the last branch is `True`

    def _holds(self, condition) -> bool:
        numbers = {s: sympy.Float(self.values[symbol_quantity(s, self.names)]) for s in condition.free_symbols}
        return bool(condition.xreplace(numbers))

    # -- steps -------------------------------------------------------------------------------------
    def quantity_step(self, name: str) -> Step:
        """name = closed form = numbers put in [= exponentials as numbers] = result."""
        expr = self.d.expression(name)
        result = self.number(name)
        lines = display_lines(expr, self._closed, self.layout.symbols_per_line)
        if isinstance(expr, sympy.Piecewise):
            lines += self._piecewise(expr, result)
        elif expr.free_symbols:
            lines += display_lines(expr, self._numbers, self.layout.numbers_per_line)
            exponentials = self._exponentials(expr)
            if exponentials is not None:
                lines.append(Line("=", exponentials))
            last = lines[-1]
            if len(lines) <= 3 and last.op == "=":
                lines[-1] = Line("=", f"{last.tex} = {result}")
            else:
                lines.append(Line("=", result))
        elif lines[-1].tex != result:
            lines.append(Line("=", result))
        return Step(name, self.d.name_tex(name), tuple(lines))

    def delta_step(self, layer: int, j: int) -> Step:
        """δ^l_j = ∂L/∂v^l_j = ∂L/∂y^l_j × ∂y^l_j/∂v^l_j = numbers = result."""
        names = self.names
        name = names.d_v(layer, j)
        lhs = rf"{self.d.tex(symbols.delta(layer, j))} = {self.d.name_tex(name)}"
        chain = [names.d_act(layer, j), names.local(layer, j, j)]
        lines = (Line("=", TIMES.join(self.d.name_tex(f) for f in chain)),
                 Line("=", TIMES.join(self.fmt.factor(self.values[f]) for f in chain) + f" = {self.number(name)}"))
        return Step(name, lhs, lines)

    def gradient_step(self, name: str) -> Step:
        """∂L/∂w = chain of named factors = their numbers multiplied = result."""
        chain = self.d.chain(name)
        lines = (Line("=", TIMES.join(self.d.name_tex(f) for f in chain)),
                 Line("=", TIMES.join(self.fmt.factor(self.values[f]) for f in chain) + f" = {self.number(name)}"))
        return Step(name, self.d.name_tex(name), lines)

    def forward(self) -> list[Step]:
        """v and y of every unit, layer by layer."""
        steps = []
        for layer in range(self.net.depth):
            for j in range(self.net.width(layer)):
                steps += [self.quantity_step(self.names.v(layer, j)), self.quantity_step(self.names.act(layer, j))]
        return steps

    def loss(self) -> list[Step]:
        """Each loss term, then L as their sum (one step when there is one output)."""
        n_out = self.net.layers[-1]
        terms = [self.quantity_step(self.names.loss_term(k)) for k in range(n_out)]
        if n_out == 1:
            only = terms[0]
            return [Step("L", f"L = {only.lhs}", only.lines)]
        values = " + ".join(self.fmt.factor(self.values[self.names.loss_term(k)]) for k in range(n_out))
        total = Step("L", "L", tuple(display_lines(self.d.expression("L"), self._closed, self.layout.symbols_per_line))
                     + (Line("=", f"{values} = {self.number('L')}"),))
        return terms + [total]

    def factors(self, layer: int, j: int, delta: bool) -> list[Step]:
        """The factors every gradient of unit j shares, then (delta) their product δ^l_j."""
        chain = self.d.chain(self.names.d_bias(layer, j))[:-1]
        steps = [self.quantity_step(name) for name in chain]
        if delta and len(chain) > 1:
            steps.append(self.delta_step(layer, j))
        return steps

    def unit_gradients(self, layer: int, j: int) -> list[str]:
        """The gradient names of unit j of layer: its incoming weights, then its bias."""
        names = self.names
        return [names.d_weight(layer, i, j) for i in range(self.net.fan_in(layer))] + [names.d_bias(layer, j)]

    def backward(self) -> list[LayerBackward]:
        """Per layer from the output back: every unit's factors, then every gradient."""
        out = []
        for layer in reversed(range(self.net.depth)):
            factors, gradients = [], []
            for j in range(self.net.width(layer)):
                factors += self.factors(layer, j, delta=layer > 0)
                gradients += [self.gradient_step(name) for name in self.unit_gradients(layer, j)]
            out.append(LayerBackward(layer, factors, gradients))
        return out

    def step_name_tex(self, name: str) -> str:
        """LaTeX for a quantity after a training step, e.g. step1.W0[0][0]."""
        steps = self.training.steps if self.training else 0
        return quantity_tex(self.names.parse(name, steps=steps), self.net)

    def update_step(self, parameter: str, symbolic: bool = True) -> Step:
        """p^{(1)} = p - η ∂L/∂p = numbers = result (the momentum term is zero at the first step)."""
        rate = self.training.learning_rate
        gradient = "dL/d" + parameter
        rule = rf"{self.d.name_tex(parameter)} - \eta {self.d.name_tex(gradient)}"
        numbers = (f"{self.number(parameter)} - {self.fmt.factor(rate)}"
                   rf" \times {self.fmt.factor(self.values[gradient])}")
        after = self.names.step(1, parameter)
        lines = ((Line("=", rule),) if symbolic else ()) + (Line("=", f"{numbers} = {self.number(after)}"),)
        return Step(after, self.step_name_tex(after), lines)

    def update_rule(self) -> Step:
        """The rule every update follows: w^{(1)} = w - η ∂L/∂w."""
        return Step("", r"w^{(1)}", (Line("=", r"w - \eta \frac{\partial L}{\partial w}"),))

    def updates(self, parameters: list[str] | None = None) -> list[Step]:
        """The rule, then the first gradient-descent step of each given parameter (default: all), in numbers."""
        if self.training is None:
            return []
        if parameters is None:
            parameters = [name for name, _ in self.names.parameters()]
        return [self.update_rule()] + [self.update_step(name, symbolic=False) for name in parameters]

    def new_loss(self) -> Step | None:
        """L after the first step: the forward pass again with the updated parameters."""
        if self.training is None:
            return None
        name = self.names.step(1, "L")
        return Step(name, self.step_name_tex(name), (Line("=", self.number(name)),))

    def example(self) -> WorkedExample:
        """The whole worked example."""
        return WorkedExample(self.forward(), self.loss(), self.backward(), self.updates(), self.new_loss())

    # -- one question ------------------------------------------------------------------------------
    def solution(self, name: str) -> list[Step]:
        """The steps that answer one question about a quantity, in order, without repeats."""
        q = self.names.parse(name, steps=self.training.steps if self.training else 0)
        if q.step is not None:
            if q.kind == "L":
                return [self.new_loss()]
            parameter = name.split(".", 1)[1]
            return self.solution("dL/d" + parameter) + [self.update_step(parameter)]
        if q.kind in ("x", "y", "W", "b"):
            return [Step(name, self.d.name_tex(name), (Line("=", self.number(name)),))]
        if q.kind == "v":
            return self._forward_until(q.layer, [q.indices[0]], activations=False)
        if q.kind == "act":
            return self._forward_until(q.layer, [q.indices[0]], activations=True)
        if q.kind in ("l", "L"):
            steps = self.loss()
            return steps if q.kind == "L" else [s for s in steps if s.name == name]
        if q.kind in ("dv/dW", "dv/db"):
            return [self.quantity_step(name)]
        unit = q.indices[-1]
        steps = self._upstream(q.layer) + self.factors(q.layer, unit, delta=q.kind == "dL/dv")
        if q.kind in ("dL/dW", "dL/db"):
            steps.append(self.gradient_step(name))
        return _unique(steps)

    def _forward_until(self, layer: int, units: list[int], activations: bool) -> list[Step]:
        steps = []
        for lower in range(layer):
            for j in range(self.net.width(lower)):
                steps += [self.quantity_step(self.names.v(lower, j)), self.quantity_step(self.names.act(lower, j))]
        for j in units:
            steps.append(self.quantity_step(self.names.v(layer, j)))
            if activations:
                steps.append(self.quantity_step(self.names.act(layer, j)))
        return steps

    def _upstream(self, layer: int) -> list[Step]:
        """The factor steps of every layer above `layer`, from the output back (their δ feed layer's sums)."""
        steps = []
        for upper in reversed(range(layer + 1, self.net.depth)):
            for j in range(self.net.width(upper)):
                steps += self.factors(upper, j, delta=True)
        return steps


def _unique(steps: list[Step]) -> list[Step]:
    """Steps without repeats, in their first order."""
    seen, out = set(), []
    for step in steps:
        key = (step.name, step.lhs)
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out


def worked_example(derivation: Derivation, values: dict[str, float], training: Training | None = None,
                   fmt: NumberFormat = NumberFormat(), layout: Layout = Layout(), if_word: str = "if") -> WorkedExample:
    """Every step of the worked example for a derivation at the spec's values."""
    return Worker(derivation, values, fmt, layout, training, if_word).example()


def solution_steps(derivation: Derivation, values: dict[str, float], name: str,
                   training: Training | None = None, fmt: NumberFormat = NumberFormat(),
                   layout: Layout = Layout(), if_word: str = "if") -> list[Step]:
    """The steps that answer "compute <name>" (e.g. v0[1], L, dL/dW0[1][2], step1.W1[0][0])."""
    return Worker(derivation, values, fmt, layout, training, if_word).solution(name)
