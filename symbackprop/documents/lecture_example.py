"""The worked example as a lecture shows it: one representative unit and gradient per layer worked element by
element, the rest of each layer in numeric vectors and matrices (values, δ, ∂L/∂W, the update)."""
from dataclasses import replace

from symbackprop.documents import output_delta
from symbackprop.model.symbols import delta as symbols_delta
from symbackprop.documents.worked_steps import LayerBackward, Line, Step, WorkedExample, Worker, _unique
from symbackprop.notation.catalogue import fill

SHOWN_ZERO = 5e-5  # below this a number prints as 0.0000 at 4 decimals: a worked element through it teaches nothing
WIDE_UPDATE = 4  # columns of an updated matrix above which it goes on a line of its own
WIDE_PRODUCT = 2  # inputs of a layer above which the outer product's numbers are not written out (x^T δ = result)


def live_gradients(d, values: dict[str, float]) -> list[str]:
    """The default worked weight of each layer, output first: the first unit with a nonzero δ and its first
    nonzero input, so every factor of the worked product is nonzero (the first weight when none is)."""
    names, net = d.names, d.network
    chosen = []
    for layer in reversed(range(net.depth)):
        inputs = ([names.x(i) for i in range(net.layers[0])] if layer == 0
                  else [names.act(layer - 1, i) for i in range(net.width(layer - 1))])
        live = [names.d_weight(layer, i, j) for j in range(net.width(layer)) for i in range(len(inputs))
                if abs(values[names.d_v(layer, j)]) >= SHOWN_ZERO and abs(values[inputs[i]]) >= SHOWN_ZERO]
        chosen.append(live[0] if live else names.d_weight(layer, 0, 0))
    return chosen


def number_matrix(rows: list[list[float]], fmt, exact: bool = False) -> str:
    """A bracketed matrix of numbers in the document's number format (exact: whole numbers as 1, not 1.0000)."""
    def shown(value):
        return str(int(value)) if exact and value == int(value) else fmt.tex(value)
    body = r" \\ ".join(" & ".join(shown(value) for value in row) for row in rows)
    return rf"\left[\begin{{matrix}}{body}\end{{matrix}}\right]"


class LectureExample:
    """Builds the compact worked example for the chosen gradients (names such as dL/dW1[0][0])."""

    def __init__(self, worker: Worker, note, chosen: list[str], messages: dict | None = None):
        self.worker, self.note, self.chosen, self.messages = worker, note, chosen, messages or {}
        self.d, self.net, self.names, self.values = worker.d, worker.net, worker.names, worker.carried  # as printed
        self.row = self.net.convention == "row"

    # -- helpers -----------------------------------------------------------------------------------
    def _vector(self, entries: list[str]) -> list[list[float]]:
        numbers = [self.values[name] for name in entries]
        return [numbers] if self.row else [[n] for n in numbers]

    def _matrix(self, layer: int, name_of) -> list[list[float]]:
        """A layer's weight-shaped matrix as the convention writes it: row => [i][j], column => [j][i]."""
        fan_in, width = self.net.fan_in(layer), self.net.width(layer)
        if self.row:
            return [[self.values[name_of(layer, i, j)] for j in range(width)] for i in range(fan_in)]
        return [[self.values[name_of(layer, i, j)] for i in range(fan_in)] for j in range(width)]

    def _tex(self, rows) -> str:
        return number_matrix(rows, self.worker.fmt)

    def _inputs(self, layer: int) -> list[str]:
        if layer == 0:
            return [self.names.x(i) for i in range(self.net.layers[0])]
        return [self.names.act(layer - 1, i) for i in range(self.net.width(layer - 1))]

    def _units(self, layer: int) -> list[int]:
        """The units of a layer whose gradients are worked (their chain's last index), in order."""
        units = []
        for name in self.chosen:
            q = self.names.parse(name)
            if q.layer == layer and q.indices[-1] not in units:
                units.append(q.indices[-1])
        return units

    # -- parts -------------------------------------------------------------------------------------
    def forward(self) -> list[Step]:
        """Per layer: the first unit worked out (v and y), then the layer's v and y as numeric vectors."""
        steps = []
        for layer in range(self.net.depth):
            width = self.net.width(layer)
            unit = (self._units(layer) or [0])[0]
            group = f"forward{layer}"
            steps += [replace(self.worker.quantity_step(self.names.v(layer, unit)), group=group),
                      replace(self.worker.quantity_step(self.names.act(layer, unit)), group=group)]
            if width > 1:
                v = self._vector([self.names.v(layer, j) for j in range(width)])
                y = self._vector([self.names.act(layer, j) for j in range(width)])
                steps += [Step("", self.note.layer("v", layer), (Line("=", self._tex(v)),), group=f"vectors{layer}"),
                          Step("", self.note.act(layer), (Line("=", self._tex(y)),), group=f"vectors{layer}")]
        return steps

    def worked(self, layer: int) -> list[Step]:
        """The chosen gradients of one layer, element by element: shared factors, δ, then each product."""
        if layer == self.net.output_layer and output_delta.collapses(self.net):
            return _unique([s for unit in self._units(layer)
                            for s in output_delta.worked_steps(self.worker, self.note, layer, unit, self.chosen)])
        steps = []
        for unit in self._units(layer):
            steps += self.worker.factors(layer, unit, delta=True)
        steps += [self.worker.gradient_step(name) for name in self.chosen if self.names.parse(name).layer == layer]
        return _unique(steps)

    def matrix_form(self, layer: int) -> list[Step]:
        """δ^l as numbers, ∂L/∂W^l as the numeric outer product of the inputs and δ^l, ∂L/∂b^l = δ^l."""
        names, note = self.names, self.note
        width = self.net.width(layer)
        group = f"matrix{layer}"
        delta_rows = self._vector([names.d_v(layer, j) for j in range(width)])
        inputs = self._vector(self._inputs(layer))
        inputs_t = [list(column) for column in zip(*inputs)]
        delta, W = note.layer(r"\delta", layer), note.layer("W", layer)
        x = note.inputs(layer)
        x_t = rf"{x}^{{\top}}" if layer == 0 else rf"({x})^{{\top}}"
        if self.row:
            product, numbers = rf"{x_t} {delta}", rf"{self._tex(inputs_t)} {self._tex(delta_rows)}"
        else:
            product, numbers = rf"{delta} {x_t}", rf"{self._tex(delta_rows)} {self._tex(inputs_t)}"
        gradient = self._matrix(layer, names.d_weight)
        frac = lambda top: rf"\frac{{\partial L}}{{\partial {top}}}"  # noqa: E731
        written = (Line("=", numbers),) if self.net.fan_in(layer) <= WIDE_PRODUCT else ()
        return [
            Step("", rf"{delta} = {frac(note.layer('v', layer))}", (Line("=", self._tex(delta_rows)),), group=group),
            Step("", frac(W), (Line("=", product),) + written + (Line("=", self._tex(gradient)),), group=group),
            Step("", frac(note.layer("b", layer)), (Line("=", delta), Line("=", self._tex(delta_rows))), group=group),
        ]

    def _inactive(self, layer: int) -> list[int]:
        """Units of a layer whose activation has derivative 0 at this point (a ReLU unit with v <= 0)."""
        if not self.d.activations[layer].elementwise:
            return []
        return [j for j in range(self.net.width(layer)) if self.values[self.names.local(layer, j, j)] == 0]

    def dead_notes(self, layer: int) -> list[str]:
        """One sentence per worked unit that is inactive: why its δ and its gradients are 0."""
        text = self.messages.get("slides", {}).get("inactive_unit", "")
        out = []
        for j in self._units(layer):
            if j in self._inactive(layer):
                v = self.d.name_tex(self.names.v(layer, j))
                out.append(fill(text, v=f"{v} = {self.worker.number(self.names.v(layer, j))}",
                                delta=self.d.tex(symbols_delta(layer, j))))
        return out

    def matrix_notes(self, layer: int) -> list[str]:
        """One sentence naming the layer's inactive units, whose δ (and gradient columns) are 0."""
        inactive = self._inactive(layer)
        text = self.messages.get("slides", {}).get("inactive_units", "")
        if not inactive or not text:
            return []
        units = "$j = " + ", ".join(str(self.note.n(j)) for j in inactive) + "$"
        return [fill(text, units=units, delta=self.note.layer(r"\delta", layer), W=self.note.layer("W", layer),
                     part=self.messages["slides"]["columns" if self.row else "rows"])]

    def backward(self) -> list[LayerBackward]:
        """Per layer from the output back: the worked gradients, then the layer in numeric matrix form."""
        return [LayerBackward(layer, self.worked(layer), self.matrix_form(layer))
                for layer in reversed(range(self.net.depth))]

    def update_element(self, parameter: str) -> Step:
        """p ← p − η ∂L/∂p = numbers = result: one parameter's update (the numbers line as the worker prints it)."""
        numbers = self.worker.update_step(parameter).lines[-1]  # = numbers = result
        p, gradient = self.d.name_tex(parameter), self.d.name_tex("dL/d" + parameter)
        return Step(self.names.step(1, parameter), p,
                    (Line(r"\leftarrow", rf"{p} - \eta {gradient}"), numbers), group="element")

    def updates(self, parameters: list[str] | None = None) -> list[Step]:
        """The given parameters' updates in numbers (default the first worked one), then every layer's update
        as a matrix equation W ← W − η ∂L/∂W = numbers."""
        names, note = self.names, self.note
        if self.worker.training is None:
            return []
        parameters = parameters if parameters is not None else [self.chosen[0][len("dL/d"):]]
        steps = [self.update_element(p) for p in parameters]
        for layer in range(self.net.depth):
            W, b = note.layer("W", layer), note.layer("b", layer)
            after = self._matrix(layer, lambda la, i, j: names.step(1, names.weight(la, i, j)))
            biases = self._vector([names.step(1, names.bias(layer, j)) for j in range(self.net.width(layer))])
            group = f"update{layer}"
            steps += [self._matrix_update(W, after, group), self._matrix_update(b, biases, group)]
        return steps

    def _matrix_update(self, name: str, rows, group: str) -> Step:
        """W ← W − η ∂L/∂W = numbers, the numbers on a line of their own when the matrix is wide."""
        rule = rf"{name} - \eta \frac{{\partial L}}{{\partial {name}}}"
        if len(rows[0]) > WIDE_UPDATE:
            return Step("", name, (Line(r"\leftarrow", rule), Line("=", self._tex(rows))), group=group)
        return Step("", name, (Line(r"\leftarrow", f"{rule} = {self._tex(rows)}"),), group=group)

    def new_loss(self) -> Step | None:
        """The loss before and after the step: L = 0.2745 → L⁺ = 0.2515 (⁺: after the update)."""
        if self.worker.training is None:
            return None
        name = self.names.step(1, "L")
        return Step(name, "L", (Line("=", rf"{self.worker.number('L')} \;\to\; L^{{+}} = "
                                          + self.worker.number(name)),))

    def example(self) -> WorkedExample:
        """The whole compact worked example."""
        return WorkedExample(self.forward(), self.worker.loss(), self.backward(), self.updates(), self.new_loss())

    def every_gradient(self) -> WorkedExample:
        """Every gradient element by element (the worker's full example), with every update written p ← ..."""
        full = self.worker.example()
        parameters = [name for name, _ in self.names.parameters()]
        return replace(full, updates=self.updates(parameters) if full.updates else [], new_loss=self.new_loss())

