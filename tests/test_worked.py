"""Worked steps: the course's layout (closed form, numbers, e^{-v}, result), solutions of one question, pages."""
from pathlib import Path

import pytest

from symbackprop import derive
from symbackprop.numeric.values import quantity_values
from symbackprop.notation.numbers_in_math import NumberFormat
from symbackprop.model.spec import load_spec, parse_spec
from symbackprop.documents.worked_steps import Layout, Line, Step, pages, solution_steps, worked_example

EXAMPLES = Path(__file__).parent.parent / "examples"


def setup(path=None):
    spec = load_spec(path)
    return spec, derive(spec), quantity_values(spec.network, spec.values, spec.training)


def rendered(step: Step) -> str:
    return step.lhs + " " + " ".join(f"{line.op} {line.tex}" for line in step.lines)


def test_single_neuron_forward_as_the_lecture_writes_it():
    spec, d, values = setup(EXAMPLES / "single_neuron.toml")
    example = worked_example(d, values, spec.training)
    v, y = example.forward
    assert rendered(v) == (r"v^{0}_{0} = x_{0} w^{0}_{0,0} + b^{0}_{0} "
                           r"= 0.7000 \times 0.1000 + 0.2500 = 0.3200")
    assert [line.tex for line in y.lines] == [r"\frac{1}{1 + e^{- v^{0}_{0}}}", r"\frac{1}{1 + e^{- 0.3200}}",
                                               r"\frac{1}{1 + 0.7261} = 0.5793"]
    assert example.loss[0].lines[-1].tex.endswith("= 0.1770")


def test_single_neuron_gradients():
    spec, d, values = setup(EXAMPLES / "single_neuron.toml")
    (layer,) = worked_example(d, values, spec.training).backward
    w, b = layer.gradients
    delta = layer.factors[-1]
    assert delta.lines[-1].tex == r"(-0.8414) \times 0.2437 = -0.2050"  # δ first, then each gradient as δ × its last factor
    assert w.lines[1].tex == r"\delta^{0}_{0} \times \frac{\partial v^{0}_{0}}{\partial w^{0}_{0,0}} = (-0.2050) \times 0.7000 = -0.1435"
    assert b.lines[1].tex.endswith(r"= (-0.2050) \times 1.0000 = -0.2050")


def test_decimal_comma():
    spec, d, values = setup(EXAMPLES / "single_neuron.toml")
    (v, _) = worked_example(d, values, spec.training, NumberFormat(4, True)).forward[:2]
    assert v.lines[-1].tex == r"0{,}7000 \times 0{,}1000 + 0{,}2500 = 0{,}3200"


def test_updates_start_with_the_rule():
    spec, d, values = setup()
    example = worked_example(d, values, spec.training)
    assert [example.updates[0].lhs, example.updates[0].lines[0].op] == ["w", r"\leftarrow"]
    assert example.updates[1].lines[-1].tex == r"0.1000 - 0.5 \times 0.0110 = 0.0945"  # η as the spec writes it
    assert example.new_loss.lines[0].tex == "0.2515"


def test_relu_derivative_names_the_branch():
    spec, d, values = setup(EXAMPLES / "relu_3layer.toml")
    steps = solution_steps(d, values, "dL/dW1[0][0]", spec.training, if_word="se")
    local = next(s for s in steps if s.name == "dy1[0]/dv1[0]")
    assert r"\text{se } v^{1}_{0} > 0" in local.lines[0].tex
    assert local.lines[-1].tex == r"0 \quad (v^{1}_{0} = -0.2000 \leq 0)"


def test_solution_of_a_hidden_gradient_includes_the_deltas_above():
    spec, d, values = setup()
    names = [s.name for s in solution_steps(d, values, "dL/dW0[1][2]", spec.training)]
    assert names[-1] == "dL/dW0[1][2]"
    assert {"dL/dv1[0]", "dL/dv1[1]", "dL/dy0[2]", "dy0[2]/dv0[2]"} <= set(names)
    assert names.index("dL/dv0[2]") == len(names) - 2  # the unit's own δ, just before the gradient δ × x


@pytest.mark.parametrize("name, last", [
    ("v0[1]", "= 0.2500"), ("y0[0]", "= 0.5473"), ("L", "= 0.2745"), ("step1.W1[0][0]", "= 0.7112"),
    ("step1.L", "0.2515"), ("x[0]", "0.5000"),
])
def test_solutions_end_with_the_answer(name, last):
    spec, d, values = setup()
    steps = solution_steps(d, values, name, spec.training)
    assert steps[-1].lines[-1].tex.endswith(last)


def test_long_sums_wrap():
    spec = parse_spec("[network]\nlayers = [6, 1]\nactivations = \"sigmoid\"\nloss = \"mse\"\n"
                      "[values]\nx = [1, 2, 3, 4, 5, 6]\ny = [1]\nW0 = [[0.1], [0.2], [0.3], [0.4], [0.5], [0.6]]\n"
                      "b0 = [0.5]\n")
    d = derive(spec)
    values = quantity_values(spec.network, spec.values)
    v = worked_example(d, values, layout=Layout(numbers_per_line=4)).forward[0]
    assert [line.op for line in v.lines] == ["=", "=", "", "="]
    assert v.lines[2].tex.startswith("+ ")


def test_pages_are_few_and_even():
    steps = [Step(str(i), "a", (Line("=", "b"),)) for i in range(10)]
    split = pages(steps, 4.0)
    assert [len(page) for page in split] == [3, 4, 3]
    assert [len(page) for page in pages(steps[:1], 0.5)] == [1]  # taller than the budget: a page of its own
    assert [s.name for page in split for s in page] == [str(i) for i in range(10)]


def test_max_arguments_are_separated_by_semicolons_with_a_decimal_comma():
    import sympy

    from symbackprop.model import symbols
    from symbackprop.notation.numbers_in_math import NumberFormat, substituted
    from symbackprop.model.spec import Network

    net = Network(layers=(1, 1), activations=("relu",), loss="mse")
    expr = sympy.Max(0, symbols.preactivation(0, 0))
    values = {"v0[0]": 0.55}
    assert substituted(expr, net, values, NumberFormat(decimal_comma=True)) == r"\max\left(0; 0{,}5500\right)"
    assert substituted(expr, net, values, NumberFormat()) == r"\max\left(0, 0.5500\right)"
