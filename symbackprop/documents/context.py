"""Template contexts for slides and handouts: the spec's network as equations, steps and numbers."""
from dataclasses import dataclass

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
from symbackprop.documents.exercises import lecture_exercises
from symbackprop.documents.lecture_example import LectureExample, live_gradients
from symbackprop.documents import slide_layout
from symbackprop.documents.slide_layout import FRAME_LINES, sections_by
from symbackprop.documents.theory import (factors_tex, equation_step, algorithm, architecture, backprop_elements,
                                          backprop_groups, chosen_gradients, forward_elements,
                                          forward_matrix)
from symbackprop.documents.worked_steps import Layout, Line, Step, Worker, _unique

PLOT_POINTS = 101
TABLE_STEPS = 10


@dataclass(frozen=True)
class DocumentOptions:
    """Language, number format and handout options."""

    lang: str = catalogue.DEFAULT_LANGUAGE
    decimals: int = 4
    decimal_comma: bool | None = None  # None: the language's own (a comma in pt-BR)
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


def mid_sentence(name: str) -> str:
    """A function's name inside a sentence: lowercase first letter, acronyms (ReLU, MSE) as written."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def decimal_comma(options: DocumentOptions, messages: dict) -> bool:
    """The decimal sign asked for, else the language's own (a comma in pt-BR)."""
    return messages["meta"]["decimal_comma"] if options.decimal_comma is None else options.decimal_comma


def _common(spec: Spec, options: DocumentOptions) -> tuple[dict, Derivation, Worker | None]:
    messages = catalogue.catalogue(options.lang)
    check_decimals(options.decimals)
    d = derive(spec)
    note = CourseNotation(d.network, messages["if"])
    layout = Layout()
    fmt = NumberFormat(options.decimals, decimal_comma(options, messages))
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
            "activations": [mid_sentence(catalogue.function_name(messages, "activation_short", a, net))
                            for a in net.activations],
            "loss": mid_sentence(catalogue.function_name(messages, "loss", net.loss, net)),
            "parameters": net.n_parameters,
            "depth": net.depth,
        },
        "diagram": diagram.layout(net, messages["diagram"]),
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


def _by_group(steps: list[Step]) -> list[list[Step]]:
    """Steps as sections of one group each (a layer's vectors and matrices, a layer's chain products)."""
    return sections_by(steps, lambda step: step.group)


def _function_pages(blocks: list[dict]) -> list[list[dict]]:
    """Function blocks (definition and derivative) on frames, a block never split."""
    def height(block):
        steps = block["steps"] + block["derivative_steps"]
        equations = sum(slide_layout.step_height(step) for step in steps)
        return 2 * slide_layout.TEXT_LINE + equations + slide_layout.text_height(block["note"])
    return [[blocks[n] for n in page] for page in slide_layout.pack([height(b) for b in blocks])]


def theory_frames(d: Derivation, note: CourseNotation, layout: Layout) -> dict:
    """The theory part of the deck on frames: vectors and matrices, forward pass, backpropagation."""
    net = d.network
    forward = [forward_matrix(d, note)] + [forward_elements(d, note, layout, layer) for layer in range(net.depth)]
    return {
        "architecture": slide_layout.frames(_by_group(architecture(d, note))),
        "forward_pages": slide_layout.frames(forward),
        # one layer: its element frame shows the same chains, so no separate frame of parameter groups
        "backprop_groups": slide_layout.frames(_by_group(backprop_groups(d, note))) if net.depth > 1 else [],
        "backprop_layers": [{"layer": layer + net.index_base,
                             "pages": slide_layout.frames([backprop_elements(d, note, layout, layer)])}
                            for layer in reversed(range(net.depth))],
    }


def _worked_frames(example, lecture: LectureExample | None, d: Derivation, update_texts: list[str]) -> dict:
    """The worked example on frames: forward by layer and the loss, each layer's backward pass, the updates."""
    network = d.network

    def layer_of(step):  # the lecture's steps carry their layer in the group (forward0, vectors0), the rest by name
        return step.group.lstrip("abcdefghijklmnopqrstuvwxyz") if step.group else d.names.parse(step.name).layer

    forward = sections_by(example.forward, layer_of) + [example.loss]
    backward = []
    for part in example.backward:
        notes = lecture.dead_notes(part.layer) if lecture else []
        matrix_notes = lecture.matrix_notes(part.layer) if lecture else []
        note_lines = sum(slide_layout.text_height(n) for n in notes)
        matrix_lines = sum(slide_layout.text_height(n) for n in matrix_notes)
        backward.append({
            "layer": part.layer + network.index_base,
            "factors": slide_layout.frames([part.factors], FRAME_LINES - note_lines),
            "notes": notes,
            "gradients": slide_layout.frames([part.gradients] if lecture else sections_by(
                part.gradients, lambda s: s.name.rsplit("[", 1)[-1]), FRAME_LINES - matrix_lines),
            "matrix_notes": matrix_notes,
        })
    updates = example.updates + ([example.new_loss] if example.updates and example.new_loss else [])
    return {
        "forward": slide_layout.frames(forward),
        "backward": backward,
        "updates": slide_layout.frames(_by_group(updates)),  # the notes go in the frame's subtitle
        "update_notes": update_texts,
    }


def slides_context(spec: Spec, options: DocumentOptions = DocumentOptions()) -> dict:
    """Everything slides.tex.j2 and slides_body.tex.j2 use."""
    context, d, worker = _common(spec, options)
    messages = context["t"]
    note = CourseNotation(d.network, messages["if"])
    context.update(theory_frames(d, note, Layout()))
    context["algorithm"] = algorithm(d, note, messages)
    context["functions"] = _function_pages(context["functions"])
    context["values"] = value_pages(value_matrices(spec, note), columns=6, budget=FRAME_LINES) if spec.values else None
    if context["values"] and len(context["values"]) == 1 and len(context["values"][0]) == 1:  # a tiny network:
        context["values"] = [[[item] for item in context["values"][0][0]]]  # one value a line, not one lone line
    context["references"] = list(messages["slides"]["references"])
    worked, exercises = None, []
    if worker is not None:
        chosen = asked_gradients(d, options.gradients, live_gradients(d, worker.values))
        lecture = LectureExample(worker, note, chosen, messages)
        example = lecture.every_gradient() if options.all_gradients else lecture.example()
        update_texts = [messages["new_loss_text"]] + ([messages["momentum_first_step"]]
                                                      if spec.training and spec.training.momentum else [])
        worked = {**_worked_frames(example, None if options.all_gradients else lecture, d, update_texts),
                  "all_gradients": options.all_gradients}
        exercises = lecture_exercises(spec, d, context["fmt"], messages, chosen)
    context["worked"] = worked
    context["exercises"] = exercises
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
    context, d, worker = _common(spec, options)
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
