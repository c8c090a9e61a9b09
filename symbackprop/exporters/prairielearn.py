"""The prairielearn format: a PrairieLearn question folder (info.json, question.html, server.py) for the variants."""
import base64
import hashlib
import json
import uuid
from pathlib import Path

import sympy

from symbackprop.exams.manifest import manifest_json
from symbackprop.exams.moodle import html_text
from symbackprop.exporters.exam_export import ExamExport
from symbackprop.exporters.publication import Publication
from symbackprop.model import symbols
from symbackprop.model.quantities import Names
from symbackprop.notation import catalogue

NAME = "prairielearn"
BUILDS = False
OPTION = "--prairielearn"
METAVAR = "QDIR"
HELP = ("also write a PrairieLearn question folder QDIR (info.json, question.html, server.py) that gives each "
        "student one of the variants")
FILES = ("info.json", "question.html", "server.py")
UUID_NAMESPACE = uuid.UUID("6f1c6d2e-5b0a-4c57-9a53-2f8c3e1d7b40")  # symbackprop's: the uuid5 namespace


def destination(publication: Publication) -> Path | None:
    """The question folder the command line named."""
    exam = publication.extra.get("exam")
    folder = exam.folders.get(NAME) if exam is not None else None
    return Path(folder) if folder else None


def files(publication: Publication) -> list[str]:
    """The file names this format writes (in its own folder, never in the exam's)."""
    return []


def texts(publication: Publication) -> dict[str, str]:
    """{info.json, question.html, server.py}."""
    exam: ExamExport = publication.extra["exam"]
    variants = variant_data(exam)
    return {"info.json": info_json(exam), "question.html": question_html(exam, variants[0]),
            "server.py": server_py(variants)}


def question_uuid(exam: ExamExport) -> str:
    """A UUID derived from the manifest (seed, spec, every variant): the same inputs give the same UUID."""
    digest = hashlib.sha256(manifest_json(exam.manifest).encode("utf-8")).hexdigest()
    return str(uuid.uuid5(UUID_NAMESPACE, digest))


def info_json(exam: ExamExport) -> str:
    """info.json: uuid, title, topic, tags, the v3 question type."""
    info = {"uuid": question_uuid(exam), "title": exam.title, "topic": exam.messages["backprop_short"],
            "tags": ["symbackprop", f"seed{exam.seed}", exam.lang], "type": "v3"}
    return json.dumps(info, indent=2, ensure_ascii=False) + "\n"


def _symbol_value(symbol: sympy.Symbol, names: Names, numbers: dict) -> float:
    """The variant's number of a network symbol (v_0_1 -> numbers["v0[1]"])."""
    parsed = symbols.parse_symbol(symbol)
    name = {"input": names.x, "target": names.y, "weight": names.weight, "bias": names.bias,
            "preactivation": names.v, "activation": names.act}[parsed.kind](*parsed.indices)
    return numbers[name]


def _closed_form(derivation, names: Names, name: str) -> sympy.Expr:
    """The derivation's expression of a gradient with every δ replaced by its own expression, recursively."""
    expr, deltas = derivation.expression(name), {}
    while True:
        pending = {s for s in expr.free_symbols if symbols.parse_symbol(s) is not None
                   and symbols.parse_symbol(s).kind == "delta"}
        if not pending:
            return expr
        for s in pending:
            deltas[s] = derivation.expression(names.d_v(*symbols.parse_symbol(s).indices))
        expr = expr.xreplace(deltas)


def symbolic_answer(exam: ExamExport, numbers: dict) -> tuple[str, list[str]]:
    """The symbolic question's closed form with every δ written out, as PrairieLearn's symbolic input reads it;
    a piecewise factor (ReLU's derivative) is the branch that holds on this variant."""
    names = Names(exam.network)
    expr = _closed_form(exam.derivation, names, exam.config.symbolic)

    def branch(*pieces):
        for value, condition in pieces:
            values = {s: _symbol_value(s, names, numbers) for s in condition.free_symbols}
            if bool(condition.subs(values)):
                return value
        raise ValueError("no branch of the piecewise factor holds")

    expr = expr.replace(lambda e: isinstance(e, sympy.Piecewise), lambda e: branch(*e.args))
    text = sympy.sstr(expr).replace("Abs(", "abs(")
    return text, sorted(str(s) for s in expr.free_symbols)


def variant_data(exam: ExamExport) -> list[dict]:
    """Per variant what server.py hands PrairieLearn: statement, sentences, answers, tolerances, solution."""
    src = "data:image/svg+xml;base64," + base64.b64encode(exam.diagram).decode("ascii")
    out = []
    for page in exam.pages(src=src):
        answers = exam.answers(page.id)
        questions, symbolic = [], None
        for question, sentence in page.questions:
            if question.answer is None:
                text, variables = symbolic_answer(exam, exam.numbers[page.id])
                hint = catalogue.fill(exam.messages["exam_online"]["symbolic_variables"],
                                      variables=", ".join(variables))
                symbolic = {"key": "symbolic", "sentence": f"{sentence} {html_text(hint)}", "answer": text,
                            "variables": variables, "points": question.points}
            else:
                answer = answers[question.name]
                questions.append({"key": f"q{question.number}", "name": question.name, "sentence": sentence,
                                  "value": float(answer.value), "atol": exam.accepted(answer),
                                  "points": answer.points})
        out.append({"id": page.id, "statement": page.statement, "questions": questions, "symbolic": symbolic,
                    "solution": page.solution})
    return out


def question_html(exam: ExamExport, first: dict) -> str:
    """question.html: the statement, a pl-number-input per asked number, pl-symbolic-input, the answer panel."""
    lines = ["<pl-question-panel>", "{{{params.statement}}}", "</pl-question-panel>", "", "<ol>"]
    for q in first["questions"]:
        lines.append(f'<li>{{{{{{params.sentence_{q["key"]}}}}}}} <pl-number-input answers-name="{q["key"]}" '
                     f'comparison="relabs" atol="{{{{params.atol_{q["key"]}}}}}" rtol="0" weight="{q["points"]:g}" '
                     f'label="{q["key"].removeprefix("q")}."></pl-number-input></li>')
    if first["symbolic"]:
        s = first["symbolic"]
        lines.append(f'<li>{{{{{{params.sentence_symbolic}}}}}} <pl-symbolic-input answers-name="symbolic" '
                     f'variables="{{{{params.variables}}}}" weight="{s["points"]:g}"></pl-symbolic-input></li>')
    lines += ["</ol>", "", "<pl-answer-panel>", "{{{params.solution}}}", "</pl-answer-panel>"]
    return "\n".join(lines) + "\n"


SERVER = '''"""PrairieLearn question server written by symbackprop: each student gets one of the exam's variants,
picked from PrairieLearn's variant seed. Standard library only."""

VARIANTS = {variants}


def generate(data):
    """Fill params and correct_answers with the variant that the variant seed picks."""
    variant = VARIANTS[int(data["variant_seed"]) % len(VARIANTS)]
    data["params"]["variant"] = variant["id"]
    data["params"]["statement"] = variant["statement"]
    data["params"]["solution"] = variant["solution"]
    for question in variant["questions"]:
        data["params"]["sentence_" + question["key"]] = question["sentence"]
        data["params"]["atol_" + question["key"]] = question["atol"]
        data["correct_answers"][question["key"]] = question["value"]
    symbolic = variant["symbolic"]
    if symbolic:
        data["params"]["sentence_symbolic"] = symbolic["sentence"]
        data["params"]["variables"] = ", ".join(symbolic["variables"])
        data["correct_answers"]["symbolic"] = symbolic["answer"]
'''


def server_py(variants: list[dict]) -> str:
    """server.py with the variants as a Python literal (JSON of strings, numbers, lists and objects only)."""
    return SERVER.replace("{variants}", json.dumps(variants, indent=1, ensure_ascii=False))
