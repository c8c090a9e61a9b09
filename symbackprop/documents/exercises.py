"""Closing exercises of a deck: the same network at other values (another input, another target, another
learning rate), each answer computed by the same engine as the worked example."""
from dataclasses import replace

from symbackprop.documents.lecture_example import number_matrix
from symbackprop.model import functions
from symbackprop.model.spec import Spec
from symbackprop.numeric.values import finite_values
from symbackprop.notation.catalogue import fill
from symbackprop.notation.number_format import as_written


def other_input(x: tuple[float, ...]) -> tuple[float, ...]:
    """Each input moved by 0.3 (down by 0.6 when that would pass 1), rounded to two decimals."""
    return tuple(round(value + 0.3 if value + 0.3 <= 1 else value - 0.6, 2) for value in x)


def other_target(spec: Spec) -> tuple[float, ...]:
    """A one-hot target moved to the next class; targets in [0, 1] as 1 − y; others 0.5 higher."""
    y = spec.values.y
    if functions.target_kind(spec.network) == "distribution":
        return y[-1:] + y[:-1]
    if all(0 <= value <= 1 for value in y):
        return tuple(round(1 - value, 4) for value in y)
    return tuple(round(value + 0.5, 4) for value in y)


def lecture_exercises(spec: Spec, d, fmt, messages: dict, chosen: list[str]) -> list[dict]:
    """Two or three exercises {text, answers}: the worked gradients (and the update) at other values."""
    net, words = spec.network, messages["slides"]
    column = net.convention == "column"

    def vector(entries, exact=False):  # whole targets (class labels) print as 1, as on the values frame
        return number_matrix([[e] for e in entries] if column else [list(entries)], fmt, exact)

    asked = [chosen[0], chosen[-1]] if len(chosen) > 1 and chosen[0] != chosen[-1] else chosen[:1]
    listed = ", ".join(f"${_label(d, name)}$" for name in asked)
    cases = [("exercise_input", {"x": f"$x = {vector(other_input(spec.values.x))}$"},
              replace(spec.values, x=other_input(spec.values.x)), spec.training, ["L", *asked]),
             ("exercise_target", {"y": f"$y = {vector(other_target(spec), exact=True)}$"},
              replace(spec.values, y=other_target(spec)), spec.training, ["L", *asked])]
    if spec.training is not None:
        rate = 2 * spec.training.learning_rate
        parameter = chosen[0][len("dL/d"):]
        cases.append(("exercise_rate", {"eta": as_written(rate, fmt.decimal_comma, math=True), "w": d.name_tex(parameter)}, spec.values,
                      replace(spec.training, learning_rate=rate, steps=1),
                      [d.names.step(1, parameter), d.names.step(1, "L")]))
    out = []
    for key, fields, values, training, names in cases:
        numbers = finite_values(net, values, training)
        answers = ", ".join(f"${_label(d, name)} = {fmt.tex(numbers[name])}$" for name in names)
        out.append({"text": fill(words[key], asked=listed, **fields), "answers": answers})
    return out


def _label(d, name: str) -> str:
    """A quantity's symbol as a sentence writes it: ∂L/∂w with a slash (a fraction in a line of text is too
    small to read), p⁺ for a parameter or the loss after the update."""
    if name.startswith("step1."):
        inner = name[len("step1."):]
        return "L^{+}" if inner == "L" else rf"{{{d.name_tex(inner)}}}^{{+}}"
    if name.startswith("dL/d"):
        return rf"\partial L / \partial {d.name_tex(name[len('dL/d'):])}"
    return d.name_tex(name)
