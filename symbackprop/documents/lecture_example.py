"""The worked example as a lecture shows it: one representative unit and gradient per layer worked element by
element, the rest of each layer in numeric vectors and matrices (values, δ, ∂L/∂W, the update)."""
from dataclasses import replace

from symbackprop.documents import output_delta
from symbackprop.documents.worked_steps import LayerBackward, Line, Step, WorkedExample, Worker, _unique


def number_matrix(rows: list[list[float]], fmt) -> str:
    """A bracketed matrix of numbers in the document's number format."""
    body = r" \\ ".join(" & ".join(fmt.tex(value) for value in row) for row in rows)
    return rf"\left[\begin{{matrix}}{body}\end{{matrix}}\right]"


class LectureExample:
    """Builds the compact worked example for the chosen gradients (names such as dL/dW1[0][0])."""

    def __init__(self, worker: Worker, note, chosen: list[str]):
        self.worker, self.note, self.chosen = worker, note, chosen
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
        return [
            Step("", rf"{delta} = {frac(note.layer('v', layer))}", (Line("=", self._tex(delta_rows)),), group=group),
            Step("", frac(W), (Line("=", product), Line("=", numbers), Line("=", self._tex(gradient))), group=group),
            Step("", frac(note.layer("b", layer)), (Line("=", delta),), group=group),
        ]

    def backward(self) -> list[LayerBackward]:
        """Per layer from the output back: the worked gradients, then the layer in numeric matrix form."""
        return [LayerBackward(layer, self.worked(layer), self.matrix_form(layer))
                for layer in reversed(range(self.net.depth))]

    def updates(self) -> list[Step]:
        """The rule, the first worked parameter's update in numbers, then every layer's update as a matrix equation."""
        worker, names, note = self.worker, self.names, self.note
        if worker.training is None:
            return []
        steps = [worker.update_rule()]
        steps.append(worker.update_step(self.chosen[0][len("dL/d"):], symbolic=False))  # one element in numbers
        for layer in range(self.net.depth):
            W, b = note.layer("W", layer), note.layer("b", layer)
            after = self._matrix(layer, lambda la, i, j: names.step(1, names.weight(la, i, j)))
            biases = self._vector([names.step(1, names.bias(layer, j)) for j in range(self.net.width(layer))])
            group = f"update{layer}"
            steps += [
                Step("", W, (Line(r"\leftarrow", rf"{W} - \eta \frac{{\partial L}}{{\partial {W}}} = "
                                  + self._tex(after)),), group=group),
                Step("", b, (Line(r"\leftarrow", rf"{b} - \eta \frac{{\partial L}}{{\partial {b}}} = "
                                  + self._tex(biases)),), group=group),
            ]
        return steps

    def new_loss(self) -> Step | None:
        """The loss before and after the step: L = 0.2745 → L^{(1)} = 0.2515."""
        if self.worker.training is None:
            return None
        name = self.names.step(1, "L")
        return Step(name, "L", (Line("=", rf"{self.worker.number('L')} \;\to\; L^{{(1)}} = "
                                          + self.worker.number(name)),))

    def example(self) -> WorkedExample:
        """The whole compact worked example."""
        return WorkedExample(self.forward(), self.worker.loss(), self.backward(), self.updates(), self.new_loss())

