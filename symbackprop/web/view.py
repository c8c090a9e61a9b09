"""What the page shows for one exercise in one language: values, functions, diagram and questions (plain data)."""
import re

import numpy as np

from symbackprop.notation.course import CourseNotation
from symbackprop.documents.context import function_blocks, value_matrices
from symbackprop.model.quantities import Names
from symbackprop.notation import catalogue
from symbackprop.web import svg
from symbackprop.web.exercise import Exercise, ExerciseSet
from symbackprop.web.messages import fill, messages

_MATH = re.compile(r"\$([^$]*)\$")


def segments(text: str) -> list[dict]:
    """Catalogue text with $math$ split into {"text"} and {"tex"} parts (LaTeX text dashes made plain)."""
    parts, position = [], 0
    for match in _MATH.finditer(text):
        if match.start() > position:
            parts.append({"text": text[position:match.start()].replace("--", "–")})
        parts.append({"tex": match.group(1)})
        position = match.end()
    if position < len(text):
        parts.append({"text": text[position:].replace("--", "–")})
    return parts


def plain_number(value: float, decimal_comma: bool) -> str:
    """A given value as written (0.15, -1, 0.05), never in e-notation; {,} for a decimal comma in math."""
    text = np.format_float_positional(value, unique=True, trim="-")
    return text.replace(".", "{,}") if decimal_comma else text


def values_tex(exercise: Exercise, note: CourseNotation, decimal_comma: bool) -> list[str]:
    """x, y, then W^l and b^l as bracketed matrices, as the course writes them."""
    out = []
    for item in value_matrices(exercise.spec, note):
        rows = r" \\ ".join(" & ".join(plain_number(v, decimal_comma) for v in row) for row in item["rows"])
        out.append(rf"{item['name']} = \begin{{bmatrix}} {rows} \end{{bmatrix}}")
    return out


def _step_tex(step) -> str:
    return step.lhs + "".join(f" {line.op} {line.tex}" if line.op else f" {line.tex}" for line in step.lines)


def function_views(exercises: ExerciseSet, lang: str) -> list[dict]:
    """Each activation and the loss: title and definition, derivative title and derivative."""
    words = catalogue.catalogue(lang)
    note = CourseNotation(exercises.derivation.network, if_word=words["if"])
    return [{"title": segments(block["title"]), "tex": [_step_tex(s) for s in block["steps"]],
             "derivative_title": segments(block["derivative_title"]),
             "derivative_tex": [_step_tex(s) for s in block["derivative_steps"]],
             "note": segments(block.get("note", ""))}
            for block in function_blocks(exercises.derivation, note, words)]


def exercise_view(exercises: ExerciseSet, exercise: Exercise, lang: str) -> dict:
    """The JSON of GET /api/exercise and the context of the student page."""
    words = catalogue.catalogue(lang)
    note = CourseNotation(exercises.derivation.network, if_word=words["if"])
    page = messages(lang)
    captions = {key: page[key] for key in ("input", "layer", "output")}
    network = exercise.spec.network
    diagram = svg.shapes(network, captions)
    for column in diagram["columns"]:
        column["lines"] = [segments(line) for line in column["lines"]]
    return {
        "variant": exercise.id if exercises.needs_variant else None,
        "title": exercise.spec.text("title", lang) or page["page_title"],
        "lang": lang,
        "network": {"layers": list(network.layers), "activations": list(network.activations), "loss": network.loss},
        "values": _named_values(exercise),
        "values_tex": values_tex(exercise, note, lang != "en"),
        "functions": function_views(exercises, lang),
        "diagram": diagram,
        "questions": [{"name": q.name, "tex": q.tex, "section": q.section, "expects": q.expects,
                       **_precision(exercise, q, page)} for q in exercise.questions],
    }


def _precision(exercise: Exercise, question, page: dict) -> dict:
    """How a number question is asked ({"decimals", "significant", "tolerance"}) and that in words; None for an
    expression."""
    if question.expects != "number":
        return {"precision": None, "precision_text": ""}
    asked = exercise.asked(question.name)
    if asked.significant is not None:
        words = page["significant_one"] if asked.significant == 1 else fill(page["significant"], n=asked.significant)
    else:
        words = page["decimals_one"] if asked.decimals == 1 else fill(page["decimals"], n=asked.decimals)
    return {"precision": asked.as_dict(), "precision_text": words}


def _named_values(exercise: Exercise) -> dict[str, float]:
    """x[i], y[k], W{l}[i][j], b{l}[j] by quantity name."""
    spec, names = exercise.spec, Names(exercise.spec.network)
    values = spec.values
    out = {names.x(i): v for i, v in enumerate(values.x)}
    out.update({names.y(k): v for k, v in enumerate(values.y)})
    for name, q in names.parameters():
        layer = q.layer
        out[name] = values.weights[layer][q.indices[0]][q.indices[1]] if q.kind == "W" else \
            values.biases[layer][q.indices[0]]
    return out
