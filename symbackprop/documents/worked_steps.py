"""The worked example as steps: each quantity's closed form, its numbers put in, and the result."""
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy

from symbackprop.notation.derivation_tex import TexDerivation as Derivation
from symbackprop.notation.number_format import as_written, number
from symbackprop.notation.numbers_in_math import NumberFormat, NumberPrinter, closed_tex, substituted
from symbackprop.notation.printer import printer_settings, quantity_tex
from symbackprop.model import functions, symbols
from symbackprop.model.points import point_values
from symbackprop.model.quantities import Quantity, symbol_quantity
from symbackprop.model.spec import Training
from symbackprop.numeric.values import quantity_values

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


GIVEN = ("x", "y", "W", "b")  # drawn or given values: printed as they are, never computed
WORDS = {"if": "if", "since": "since", "fixed_bias": "the biases are not updated"}


def collapses(network) -> bool:
    """True when the output activation and the loss form a pair whose δ is ŷ − y (its entry has the steps)."""
    return network.activations[-1] in functions.loss_of(network).delta_steps


class Carried(Mapping):
    """The printed value of every quantity: computed from the printed values of its operands, as on paper."""

    def __init__(self, worker: "Worker"):
        self.worker = worker

    def __getitem__(self, name: str) -> float:
        return self.worker.shown(name)

    def __iter__(self):
        return iter(self.worker.values)

    def __len__(self) -> int:
        return len(self.worker.values)


class Worker:
    """Builds steps for one derivation at one numeric point.

    Every printed result is computed from the printed (rounded) numbers of its own line, so each line
    reproduces from its operands; the values carried forward this way are `carried` (exact ones: `values`)."""

    def __init__(self, derivation: Derivation, values: dict[str, float], fmt: NumberFormat = NumberFormat(),
                 layout: Layout = Layout(), training: Training | None = None, if_word: str = "if",
                 words: Mapping[str, str] | None = None):
        self.d, self.values, self.fmt, self.layout, self.training = derivation, values, fmt, layout, training
        self.net, self.names = derivation.network, derivation.names
        self.words = {**WORDS, "if": if_word, **(words or {})}
        self.if_word = self.words["if"]
        self.carried = Carried(self)
        self._shown: dict[str, float] = {}
        self._after: dict[int, dict[str, float]] = {}

    # -- carried values ----------------------------------------------------------------------------
    def _parse(self, name: str) -> Quantity:
        return self.names.parse(name, steps=self.training.steps if self.training else 0)

    def _round(self, value: float) -> float:
        """A value as printed, read back: what the next line computes with."""
        return float(number(value, self.fmt.decimals))

    def shown(self, name: str) -> float:
        """The printed value of a quantity, computed from the printed values its line shows."""
        if name not in self._shown:
            self._shown[name] = self._carry(name)
        return self._shown[name]

    def _carry(self, name: str) -> float:
        q = self._parse(name)
        if q.step is not None:
            return self.values[name] if q.kind == "L" else self._round(self._updated(q))
        if q.kind in GIVEN:
            return self.values[name]
        if q.kind in ("dL/dW", "dL/db") or (q.kind == "dL/dv" and self._delta_is_product(q.layer, q.indices[0])):
            return self._round(math.prod(self.shown(f) for f in self.product_factors(name)))
        return self._round(self._evaluate(self.d.expression(name)))

    def _evaluate(self, expr) -> float:
        """expr at the printed values of its symbols, each e^{...} at its printed value (outside cases)."""
        numbers = {s: sympy.Float(self.shown(n), 30) for s in expr.free_symbols
                   if (n := symbol_quantity(s, self.names)) is not None}
        if not isinstance(expr, sympy.Piecewise):
            expr = expr.xreplace({power: sympy.Float(self._round(math.exp(float(power.args[0].xreplace(numbers)))), 30)
                                  for power in expr.atoms(sympy.exp)})
        return float(expr.xreplace(numbers).evalf(30))

    def _collapsed(self, layer: int) -> bool:
        """Whether the layer's δ is written ŷ − y (the output of a matched activation and loss)."""
        return layer == self.net.output_layer and collapses(self.net)

    def _delta_is_product(self, layer: int, j: int) -> bool:
        """Whether δ^l_j is printed as ∂L/∂y × ∂y/∂v (else as its own closed form: ŷ − y, softmax)."""
        return not self._collapsed(layer) and len(self.d.chain(self.names.d_bias(layer, j))) > 2

    def product_factors(self, name: str) -> list[str]:
        """The factors whose printed numbers a gradient or a δ multiplies: its chain, or δ and the last factor."""
        q = self._parse(name)
        layer, j = q.layer, q.indices[-1]
        if q.kind == "dL/dv":
            return [self.names.d_act(layer, j), self.names.local(layer, j, j)]
        chain = self.d.chain(name)
        return [self.names.d_v(layer, j), chain[-1]] if len(chain) > 2 else chain

    def _parameter(self, q: Quantity) -> tuple[str, str]:
        """(parameter name, gradient name) of a weight or bias quantity."""
        if q.kind == "W":
            return self.names.weight(q.layer, *q.indices), self.names.d_weight(q.layer, *q.indices)
        return self.names.bias(q.layer, q.indices[0]), self.names.d_bias(q.layer, q.indices[0])

    def values_after(self, step: int) -> dict[str, float]:
        """Every quantity at the parameters after `step` training steps (the forward and backward pass again)."""
        if step not in self._after:
            def leaf(name: str) -> float:
                kind = self.names.parse(name).kind
                return self.values[self.names.step(step, name)] if kind in ("W", "b") else self.values[name]
            self._after[step] = quantity_values(self.net, point_values(self.net, leaf))
        return self._after[step]

    def _fixed(self, parameter: str) -> bool:
        return self.names.parse(parameter).kind == "b" and not self.training.update_biases

    def _update_operands(self, parameter: str, gradient: str, step: int) -> tuple[str, float, float | None]:
        """(name before the step, gradient as printed, momentum change as printed or None) of one update."""
        before = parameter if step == 1 else self.names.step(step - 1, parameter)
        if step == 1:
            return before, self.shown(gradient), None
        change = None
        if self.training.momentum:
            earlier = parameter if step == 2 else self.names.step(step - 2, parameter)
            change = self._round(self.shown(before) - self.shown(earlier))
        return before, self._round(self.values_after(step - 1)[gradient]), change

    def _updated(self, q: Quantity) -> float:
        """A parameter after step q.step from the printed numbers of its update line."""
        parameter, gradient = self._parameter(q)
        if self._fixed(parameter):
            return self.values[parameter]
        before, g, change = self._update_operands(parameter, gradient, q.step)
        value = self.shown(before) - self.training.learning_rate * g
        return value + self.training.momentum * change if change is not None else value

    # -- pieces ------------------------------------------------------------------------------------
    def number(self, name: str) -> str:
        """The printed value of a quantity (carried forward from the printed numbers)."""
        return self.fmt.tex(self.shown(name))

    def operand(self, name: str) -> str:
        """A quantity as a factor in a line of numbers: whole targets as class labels (0, 1)."""
        value = self.shown(name)
        if self.names.parse(name).kind == "y" and value == int(value):
            return f"({int(value)})" if value < 0 else str(int(value))
        return self.fmt.factor(value)

    def _closed(self, expr) -> str:
        return closed_tex(expr, self.net, self.if_word)

    def _numbers(self, expr) -> str:
        return substituted(expr, self.net, self.carried, self.fmt, self.if_word, text=self.operand)

    def _exponentials(self, expr) -> str | None:
        """expr with each e^{...} replaced by its number (1/(1 + 0.8270)), or None without exponentials."""
        powers = sorted(expr.atoms(sympy.exp), key=sympy.default_sort_key)
        if not powers:
            return None
        numbers = {}
        for symbol in expr.free_symbols:
            name = symbol_quantity(symbol, self.names)
            if name is not None:
                numbers[symbol] = self.shown(name)
        shown = {symbol: self.operand(symbol_quantity(symbol, self.names)) for symbol in numbers}
        placeholders = {}
        for n, power in enumerate(powers):
            value = math.exp(float(power.args[0].xreplace({s: sympy.Float(v, 30) for s, v in numbers.items()})))
            placeholders[power] = sympy.Symbol(f"numtex_exp_{n}")
            shown[placeholders[power]] = self.fmt.factor(value)
        printer = NumberPrinter({**printer_settings(self.net), "numbers": shown})
        return printer.doprint(expr.xreplace(placeholders))

    def _piecewise(self, expr, result: str) -> list[Line]:
        """The branch that applies, with its condition in numbers: = 0 (v^{1}_{0} = -0.2000 <= 0)."""
        previous = []
        for value, condition in expr.args:
            if condition is sympy.true or self._holds(condition):
                holds = condition if condition is not sympy.true else sympy.And(*[sympy.Not(c) for c in previous])
                shown = {symbol: f"{self.d.tex(symbol)} = {self.number(symbol_quantity(symbol, self.names))}"
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
        numbers = {s: sympy.Float(self.shown(symbol_quantity(s, self.names)), 30) for s in condition.free_symbols}
        return bool(condition.xreplace(numbers))

    def _without_zero_terms(self, expr):
        """expr without the products a whole target makes 0 (y_k ln ŷ_k at y_k = 0), and the reason, or (expr, "")."""
        whole = {}
        for symbol in expr.free_symbols:
            name = symbol_quantity(symbol, self.names)
            if name is not None and self.names.parse(name).kind == "y" and self.values[name] in (0.0, 1.0):
                whole[symbol] = sympy.Integer(int(self.values[name]))
        used: set = set()

        def vanish(node):
            if node.is_Mul:
                for arg in node.args:
                    if arg.free_symbols and arg.free_symbols <= set(whole) and arg.xreplace(whole) == 0:
                        used.update(arg.free_symbols)
                        return sympy.Integer(0)
            return node.func(*[vanish(arg) for arg in node.args]) if node.args else node

        if not whole:
            return expr, ""
        reduced = vanish(expr)
        if not used:
            return expr, ""
        reason = ", ".join(f"{self.d.tex(s)} = {whole[s]}" for s in sorted(used, key=sympy.default_sort_key))
        return reduced, rf"\quad \text{{({self.words['since']} }}{reason}\text{{)}}"

    # -- steps -------------------------------------------------------------------------------------
    def quantity_step(self, name: str) -> Step:
        """name = closed form [= without zero terms] = numbers put in [= exponentials as numbers] = result."""
        expr = self.d.expression(name)
        result = self.number(name)
        lines = display_lines(expr, self._closed, self.layout.symbols_per_line)
        expr, reason = self._without_zero_terms(expr)
        if reason:
            lines.append(Line("=", self._closed(expr) + " " + reason))
            if not expr.free_symbols:  # the whole term vanishes: = 0 (since y_1 = 0)
                return Step(name, self.d.name_tex(name), tuple(lines))
        if isinstance(expr, (sympy.Max, sympy.Min)):  # max(0, v): the branch that applies, with its condition
            expr = expr.rewrite(sympy.Piecewise)
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

    def _product_lines(self, name: str, chain: list[str]) -> list[Line]:
        """= named factors [= δ × last factor] = their printed numbers multiplied = result."""
        factors = self.product_factors(name)
        numbers = TIMES.join(self.operand(f) for f in factors) + f" = {self.number(name)}"
        if factors != chain:  # = δ × last factor = numbers, on one line
            q = self._parse(factors[0])
            numbers = TIMES.join([self.d.tex(symbols.delta(q.layer, q.indices[0]))]
                                 + [self.d.name_tex(f) for f in factors[1:]]) + " = " + numbers
        return [Line("=", TIMES.join(self.d.name_tex(f) for f in chain)), Line("=", numbers)]

    def delta_step(self, layer: int, j: int) -> Step:
        """δ^l_j = ∂L/∂v^l_j = ∂L/∂y^l_j × ∂y^l_j/∂v^l_j = numbers = result (ŷ − y for a matched output pair)."""
        names = self.names
        name = names.d_v(layer, j)
        lhs = rf"{self.d.tex(symbols.delta(layer, j))} = {self.d.name_tex(name)}"
        chain = [names.d_act(layer, j), names.local(layer, j, j)]
        if self._delta_is_product(layer, j):
            return Step(name, lhs, tuple(self._product_lines(name, chain)))
        worked = self.quantity_step(name)
        return Step(name, lhs, (Line("=", TIMES.join(self.d.name_tex(f) for f in chain)),) + worked.lines)

    def gradient_step(self, name: str) -> Step:
        """∂L/∂w = chain of named factors = their numbers multiplied = result."""
        return Step(name, self.d.name_tex(name), tuple(self._product_lines(name, self.d.chain(name))))

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
        values = " + ".join(self.fmt.factor(self.shown(self.names.loss_term(k))) for k in range(n_out))
        total = Step("L", "L", tuple(display_lines(self.d.expression("L"), self._closed, self.layout.symbols_per_line))
                     + (Line("=", f"{values} = {self.number('L')}"),))
        return terms + [total]

    def factors(self, layer: int, j: int, delta: bool = True) -> list[Step]:
        """The factors every gradient of unit j shares, then their product δ^l_j (each gradient is δ times its
        last factor); `delta=False` leaves δ out where nothing multiplies it."""
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
                factors += self.factors(layer, j)
                gradients += [self.gradient_step(name) for name in self.unit_gradients(layer, j)]
            out.append(LayerBackward(layer, factors, gradients))
        return out

    def step_name_tex(self, name: str) -> str:
        """LaTeX for a quantity after a training step, e.g. step1.W0[0][0]."""
        return quantity_tex(self._parse(name), self.net)

    def update_step(self, parameter: str, symbolic: bool = True, step: int = 1) -> Step:
        """p ← p - η ∂L/∂p [+ α Δp] = numbers = result: step `step` of gradient descent from the printed numbers
        (p is the parameter before the step: w, then w^{(1)}, ...); the step's name is the result's."""
        after = self.names.step(step, parameter)
        before_tex = self.d.name_tex(parameter) if step == 1 else self.step_name_tex(self.names.step(step - 1, parameter))
        if self._fixed(parameter):
            return Step(after, before_tex, (Line(r"\leftarrow", rf"{before_tex} = {self.number(after)} \quad "
                                                                rf"\text{{({self.words['fixed_bias']})}}"),))
        gradient = "dL/d" + self.names.parse(parameter).kind + parameter[1:]
        before, g, change = self._update_operands(parameter, gradient, step)
        rate = as_written(self.training.learning_rate, self.fmt.decimal_comma, math=True)
        rule = rf"{before_tex} - \eta \frac{{\partial L}}{{\partial {before_tex}}}"
        numbers = f"{self.number(before)} - {rate}{TIMES}{self.fmt.factor(g)}"
        if change is not None:
            alpha = as_written(self.training.momentum, self.fmt.decimal_comma, math=True)
            earlier = self.d.name_tex(parameter) if step == 2 else self.step_name_tex(self.names.step(step - 2, parameter))
            rule += rf" + \alpha \left({before_tex} - {earlier}\right)"
            numbers += f" + {alpha}{TIMES}{self.fmt.factor(change)}"
        result = f"{numbers} = {self.number(after)}"
        lines = (Line(r"\leftarrow", rule), Line("=", result)) if symbolic else (Line(r"\leftarrow", result),)
        return Step(after, before_tex, lines)

    def update_rule(self) -> Step:
        """The rule every update follows: w ← w - η ∂L/∂w."""
        return Step("", "w", (Line(r"\leftarrow", r"w - \eta \frac{\partial L}{\partial w}"),))

    def updates(self, parameters: list[str] | None = None) -> list[Step]:
        """The rule, then the first gradient-descent step of each given parameter (default: all), in numbers."""
        if self.training is None:
            return []
        if parameters is None:
            parameters = [name for name, _ in self.names.parameters()]
        return [self.update_rule()] + [self.update_step(name, symbolic=False) for name in parameters]

    def new_loss(self, step: int = 1) -> Step | None:
        """L after a step: the forward pass again with the updated parameters."""
        if self.training is None:
            return None
        name = self.names.step(step, "L")
        return Step(name, self.step_name_tex(name), (Line("=", self.number(name)),))

    def example(self) -> WorkedExample:
        """The whole worked example."""
        return WorkedExample(self.forward(), self.loss(), self.backward(), self.updates(), self.new_loss())

    # -- one question ------------------------------------------------------------------------------
    def solution(self, name: str) -> list[Step]:
        """The steps that answer one question about a quantity, in order, without repeats."""
        q = self._parse(name)
        if q.step is not None:
            if q.kind == "L":
                return [self.new_loss(q.step)]
            parameter, gradient = self._parameter(q)
            if q.step == 1:
                return self.solution(gradient) + [self.update_step(parameter)]
            return [self.later_gradient(parameter, gradient, q.step - 1), self.update_step(parameter, step=q.step)]
        if q.kind in GIVEN:
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
        steps = self._upstream(q.layer) + self.factors(q.layer, unit)
        if q.kind in ("dL/dW", "dL/db"):
            steps.append(self.gradient_step(name))
        return _unique(steps)

    def later_gradient(self, parameter: str, gradient: str, step: int) -> Step:
        """∂L/∂p^{(s)}: the gradient at the parameters after step s, as the forward and backward pass give it."""
        before = self.step_name_tex(self.names.step(step, parameter))
        value = self.fmt.tex(self._round(self.values_after(step)[gradient]))
        return Step(f"{gradient}@{step}", rf"\frac{{\partial L}}{{\partial {before}}}", (Line("=", value),))

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
