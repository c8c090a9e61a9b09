"""Template contexts for slides and handouts: the spec's network as equations, steps and numbers."""
from dataclasses import dataclass, replace

import sympy

from symbackprop.documents import diagram
from symbackprop.model import functions, symbols
from symbackprop.notation import catalogue
from symbackprop.notation.course import CourseNotation
from symbackprop.notation.derivation_tex import TexDerivation as Derivation, derive
from symbackprop.errors import DocumentError
from symbackprop.numeric.values import finite_values
from symbackprop.notation.number_format import as_written, check_decimals
from symbackprop.notation.numbers_in_math import NumberFormat, closed_tex
from symbackprop.model.spec import Spec, weights_as_written
from symbackprop.documents.lecture_example import LectureExample
from symbackprop.documents.theory import (factors_tex, equation_step, algorithm, architecture, backprop_elements,
                                          backprop_groups, backprop_matrix, chosen_gradients, forward_elements,
                                          forward_matrix)
from symbackprop.documents.worked_steps import Layout, Line, Step, Worker, _unique, pages

SLIDE_BUDGET = 14.0  # display lines per frame at \Large (a fraction counts 1.8); LaTeX scales a fuller frame to fit
DENSE = 1.3  # reference frames (vectors and matrices, chain products, matrix form) take this much more, smaller
HANDOUT_BUDGET = 1000.0  # the handout's displays break across pages by themselves
PLOT_POINTS = 101
TABLE_STEPS = 10


@dataclass(frozen=True)
class DocumentOptions:
    """Language, number format and handout options."""

    lang: str = catalogue.DEFAULT_LANGUAGE
    decimals: int = 4
    decimal_comma: bool = False
    solutions: bool = False
    gradients: tuple[str, ...] = ()  # handout questions / worked slides; default a weight (and bias) per layer
    all_gradients: bool = False  # slides: work every gradient element by element


def function_blocks(d: Derivation, note: CourseNotation, messages: dict) -> list[dict]:
    """Each activation the network uses and the loss: name, definition, derivative (one block each)."""
    v, g = sympy.Symbol("v", real=True), sympy.Symbol("g", real=True)

    def show(expr):
        return closed_tex(expr, d.network, messages["if"], {g: "g(v)"})

    net, options = d.network, functions.options(d.network)
    blocks = []
    for name in dict.fromkeys(net.activations):
        entry = functions.activation(name, net)
        title = catalogue.function_name(messages, "activation", name, net)
        derivative_title = catalogue.function_name(messages, "activation_derivative", name, net)
        if entry.elementwise:
            steps = [equation_step("g(v)", show(entry.expression(v, **options)))]
            derivative_steps = [equation_step("g'(v)", show(entry.derivative(v, g, **options)))]
        else:  # a vector function such as softmax: written with its Jacobian, as the entry displays it
            (g_name, g_tex), (jacobian_name, jacobian_tex) = entry.display
            steps = [equation_step(g_name, g_tex)]
            derivative_steps = [equation_step(jacobian_name, jacobian_tex)]
        blocks.append({"title": title, "steps": steps, "derivative_title": derivative_title,
                       "derivative_steps": derivative_steps, "note": ""})
    loss = functions.loss_of(net)
    n_out = d.network.layers[-1]
    y, p = sympy.Symbol("y_k", real=True), sympy.Symbol(r"\hat{y}_k", real=True)
    n = sympy.Symbol("N", positive=True, integer=True)  # the general formula, as the course writes it
    uses_n = loss.term(y, p, 1) != loss.term(y, p, 2)
    total = rf"{note.sum_over('k', n_out)} l_k" if n_out > 1 else f"l_{{{note.n(0)}}}"
    derivative = [Line("=", note.tex(loss.derivative(y, p, n)))]
    if uses_n:  # the same derivative with this network's N, so a factor 2/N = 1 never vanishes silently
        derivative.append(Line("=", rf"{note.tex(loss.derivative(y, p, n_out))} \quad (N = {n_out})"))
    blocks.append({
        "title": catalogue.function_name(messages, "loss", d.network.loss, d.network),
        "steps": [equation_step("L", total, name="L"), equation_step("l_k", note.tex(loss.term(y, p, n)))],
        "derivative_title": messages["loss_derivative"],
        "derivative_steps": [Step("", r"\frac{\partial L}{\partial \hat{y}_k}", tuple(derivative))],
        "note": " ".join(filter(None, [catalogue.fill(messages["number_of_outputs"], N=n_out) if uses_n else "",
                                       messages["target_sums_to_one"]
                                       if functions.target_kind(d.network) == "distribution" else ""])),
    })
    return blocks


def value_matrices(spec: Spec, note: CourseNotation) -> list[dict]:
    """The [values] as {name, rows of numbers}: x, y, then W^l and b^l per layer."""
    net, values = spec.network, spec.values
    column = net.convention == "column"

    def vector(entries):
        return [[e] for e in entries] if column else [list(entries)]

    out = [{"name": "x", "rows": vector(values.x), "exact": False},
           {"name": "y", "rows": vector(values.y), "exact": True}]  # whole targets (class labels) print as 1, not 1.0000
    for layer in range(net.depth):
        out.append({"name": note.layer("W", layer), "rows": weights_as_written(net, values.weights[layer]),
                    "exact": False})
        out.append({"name": note.layer("b", layer), "rows": vector(values.biases[layer]), "exact": False})
    return out


def value_pages(items: list[dict], columns: int = 7, budget: float = 9.0) -> list[list[list[dict]]]:
    """Named matrices grouped into display lines of at most `columns` number columns, lines into pages."""
    lines, current = [], []
    for item in items:
        width = len(item["rows"][0])
        if current and sum(len(other["rows"][0]) for other in current) + width > columns:
            lines.append(current)
            current = []
        current.append(item)
    lines.append(current)
    out, page, used = [], [], 0.0
    for line in lines:
        height = 0.4 + 0.75 * max(len(item["rows"]) for item in line)
        if page and used + height > budget:
            out.append(page)
            page, used = [], 0.0
        page.append(line)
        used += height
    out.append(page)
    return out


def training_context(spec: Spec, values: dict[str, float], d: Derivation) -> dict | None:
    """Plot points (step, L) and the first steps' table when the spec trains for more than one step."""
    training = spec.training
    if training is None or spec.values is None:
        return None
    names = d.names
    losses = [values["L"]] + [values[names.step(s, "L")] for s in range(1, training.steps + 1)]
    stride = max(1, -(-training.steps // (PLOT_POINTS - 1)))
    points = [(s, losses[s]) for s in range(0, training.steps + 1, stride)]
    if points[-1][0] != training.steps:
        points.append((training.steps, losses[-1]))
    tracked = [names.weight(layer, 0, 0) for layer in range(d.network.depth)][:3]
    rows = [{"step": 0, "L": losses[0], "parameters": [values[p] for p in tracked]}]
    for s in range(1, min(training.steps, TABLE_STEPS) + 1):
        rows.append({"step": s, "L": losses[s], "parameters": [values[names.step(s, p)] for p in tracked]})
    return {
        "learning_rate": training.learning_rate,
        "momentum": training.momentum,
        "steps": training.steps,
        "plot": training.steps > 1,
        "points": [f"({s},{loss:.6f})" for s, loss in points],
        "columns": [d.name_tex(p) for p in tracked],
        "rows": rows,
    }


def _common(spec: Spec, options: DocumentOptions, budget: float) -> tuple[dict, Derivation, Worker | None]:
    messages = catalogue.catalogue(options.lang)
    check_decimals(options.decimals)
    d = derive(spec)
    note = CourseNotation(d.network, messages["if"])
    layout = Layout()
    fmt = NumberFormat(options.decimals, options.decimal_comma)
    values = finite_values(spec.network, spec.values, spec.training) if spec.values else None
    worker = Worker(d, values, fmt, layout, spec.training, messages["if"], messages["worked"]) if values else None
    net = spec.network
    context = {
        "t": messages,
        "lang": options.lang,
        "babel": messages["meta"]["babel"],
        "fmt": fmt,
        "meta": {"title": spec.text("title", options.lang) or messages["default_title"],
                 **{key: spec.text(key, options.lang) for key in ("author", "course", "institution", "date")}},
        "network": {
            "layers": "--".join(str(n) for n in net.layers),
            "activations": [catalogue.function_name(messages, "activation_short", a, net) for a in net.activations],
            "loss": catalogue.function_name(messages, "loss", net.loss, net),
            "parameters": net.n_parameters,
            "depth": net.depth,
        },
        "diagram": diagram.layout(net, messages["diagram"]),
        "architecture": pages(architecture(d, note), budget * DENSE),
        "forward_matrix": forward_matrix(d, note),
        "forward_pages": pages(forward_matrix(d, note) + [s for layer in range(net.depth)
                                                         for s in forward_elements(d, note, layout, layer)], budget),
        "forward_layers": [{"layer": layer + net.index_base, "pages": pages(forward_elements(d, note, layout, layer),
                                                                              budget)}
                           for layer in range(net.depth)],
        "algorithm": algorithm(d, note, messages),
        "backprop_groups": pages(backprop_groups(d, note), budget * DENSE),
        "backprop_layers": [{"layer": layer + net.index_base,
                             "pages": pages(backprop_elements(d, note, layout, layer), budget)}
                            for layer in reversed(range(net.depth))],
        "backprop_matrix": pages(backprop_matrix(d, note), budget * DENSE),
        "functions": function_blocks(d, note, messages),
        "values": value_pages(value_matrices(spec, note), budget=12.0) if spec.values else None,
        "training": training_context(spec, values, d) if values else None,
    }
    return context, d, worker


def asked_gradients(d: Derivation, asked: tuple[str, ...], default: list[str]) -> list[str]:
    """The gradients a document works or asks for, each checked to be a weight or bias gradient."""
    for name in asked:
        q = d.names.parse(name)
        if q.kind not in ("dL/dW", "dL/db"):
            raise DocumentError(f"gradient {name}: expected a weight or bias gradient such as {default[0]!r}")
    return list(dict.fromkeys(asked)) or default


def slides_context(spec: Spec, options: DocumentOptions = DocumentOptions()) -> dict:
    """Everything slides.tex.j2 and slides_body.tex.j2 use."""
    context, d, worker = _common(spec, options, SLIDE_BUDGET)
    worked = None
    if worker is not None:
        default = [d.names.d_weight(layer, 0, 0) for layer in reversed(range(d.network.depth))]
        chosen = asked_gradients(d, options.gradients, default)
        lecture = LectureExample(worker, CourseNotation(d.network, context["t"]["if"]), chosen)
        example = worker.example() if options.all_gradients else lecture.example()
        worked = {
            "forward": pages(example.forward + [replace(step, group="loss") for step in example.loss], SLIDE_BUDGET),
            "loss": [],  # with the forward pass: a loss alone would leave a nearly empty frame
            "backward": [{"layer": part.layer + spec.network.index_base,
                          "factors": pages(part.factors, SLIDE_BUDGET),
                          "gradients": pages(part.gradients, SLIDE_BUDGET)} for part in example.backward],
            "updates": pages(example.updates + ([lecture.new_loss()] if example.updates else []),
                             SLIDE_BUDGET * DENSE),
            "new_loss": lecture.new_loss(),
            "all_gradients": options.all_gradients,
        }
    context["worked"] = worked
    return context


def needed_deltas(d: Derivation, asked: list[str]) -> list[tuple[int, int]]:
    """(layer, unit) of every δ the asked gradients need: their own unit's, and every δ of the layers above a
    hidden layer (its ∂L/∂y sums them), from the output back."""
    net, needed = d.network, set()
    for name in asked:
        q = d.names.parse(name)
        if len(d.chain(name)) > 2:
            needed.add((q.layer, q.indices[-1]))
        needed.update((upper, k) for upper in range(q.layer + 1, net.depth) for k in range(net.width(upper)))
    return sorted(needed, key=lambda unit: (-unit[0], unit[1]))


def handout_context(spec: Spec, options: DocumentOptions = DocumentOptions()) -> dict:
    """Everything handout.tex.j2 uses: the network, the questions, their blanks and (solutions) steps."""
    context, d, worker = _common(spec, options, HANDOUT_BUDGET)
    messages, net, names = context["t"], spec.network, d.names
    if spec.training is not None:
        context["eta"] = as_written(spec.training.learning_rate, options.decimal_comma, math=True)  # as the spec writes it
        context["alpha"] = as_written(spec.training.momentum, options.decimal_comma, math=True)
    asked = asked_gradients(d, options.gradients, chosen_gradients(d))
    questions = []
    if worker is not None:
        def cell(name: str) -> dict:  # one blank: its label and (for the solutions) its value
            label = worker.step_name_tex(name) if name.startswith("step") else d.name_tex(name)
            return {"tex": label, "value": worker.number(name)}

        units = [[cell(names.v(layer, j)), cell(names.act(layer, j))]
                 for layer in range(net.depth) for j in range(net.width(layer))]
        loss_names = ([names.loss_term(k) for k in range(net.layers[-1])] if net.layers[-1] > 1 else []) + ["L"]
        questions.append({"text": messages["q_forward"], "columns": ["$v$", "$y$"], "rows": units,
                          "steps": worker.forward()})
        questions.append({"text": messages["q_loss"], "columns": [], "rows": [[cell(n)] for n in loss_names],
                          "steps": worker.loss()})
        width = max(len(d.chain(name)) for name in asked)
        chains = [{"result": cell(name), "factors": [cell(f) for f in d.chain(name)],
                   "padding": width - len(d.chain(name))} for name in asked]
        deltas = [{"tex": d.tex(symbols.delta(layer, j)), "value": worker.number(names.d_v(layer, j))}
                  for layer, j in needed_deltas(d, asked)]
        questions.append({"text": messages["q_gradients"], "columns": [], "rows": [], "chains": chains,
                          "deltas": deltas, "width": width,
                          "steps": _unique([s for name in asked for s in worker.solution(name)])})
        if spec.training is not None:
            parameters = [names.parse(name) for name in asked]
            after = [names.step(1, names.weight(q.layer, *q.indices) if q.kind == "dL/dW" else names.bias(q.layer, *q.indices))
                     for q in parameters]
            questions.append({
                "text": catalogue.fill(messages["q_update"], eta=context["eta"]),
                "columns": [], "rows": [[cell(name)] for name in after],
                "steps": [step for name in after for step in worker.solution(name)[-1:]]})
    else:
        note = CourseNotation(d.network, messages["if"])
        layout = Layout()
        forward = [s for layer in range(net.depth) for s in forward_elements(d, note, layout, layer)]
        questions.append({"text": messages["q_forward_symbolic"], "columns": [], "rows": [], "steps": forward})
        chains = [s for layer in reversed(range(net.depth)) for s in backprop_elements(d, note, layout, layer)
                  if s.name in asked]
        extra = [equation_step(d.name_tex(name), r" \times ".join(d.name_tex(f) for f in d.chain(name)),
                       factors_tex(d, note, d.chain(name)),
                       name=name) for name in asked if name not in {s.name for s in chains}]
        listed = ", ".join(f"${d.name_tex(name)}$" for name in asked)
        questions.append({"text": catalogue.fill(messages["q_gradients_symbolic"], names=listed), "columns": [],
                          "rows": [], "steps": chains + extra})
    for question in questions:
        question.setdefault("chains", [])
        question.setdefault("deltas", [])
    context["questions"] = questions
    context["solutions"] = options.solutions
    return context
