"""Moodle XML: a category, then one cloze question per variant with a NUMERICAL gap per asked number; and the
variant HTML (statement, questions, worked solution) every online platform shows, with its math markup."""
import base64
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable

from symbackprop.exams.config import Moodle
from symbackprop.notation import catalogue

TEXT_COMMANDS = ((r"\%", "%"), ("---", "\u2014"), ("--", "\u2013"), ("~", "\u00a0"))
# Characters of Moodle's cloze syntax ({1:NUMERICAL:=42~%50%41:1#feedback}) written as HTML character
# references in text, so that no text can open a gap; the browser shows them unchanged.
CLOZE_SAFE = str.maketrans({"{": "&#123;", "}": "&#125;", "~": "&#126;", "=": "&#61;", "#": "&#35;"})


@dataclass(frozen=True)
class Gap:
    """One NUMERICAL gap: the correct value, its absolute tolerance and its weight (points)."""

    value: float
    tolerance: float
    points: int
    margin: float = float("inf")  # distance to the nearest known wrong answer: partial credit stays inside it


@dataclass(frozen=True)
class ClozeQuestion:
    """One variant as a cloze question: HTML text where {GAP:n} marks gap n, and the HTML general feedback."""

    name: str
    idnumber: str
    text: str
    gaps: tuple[Gap, ...]
    feedback: str


@dataclass(frozen=True)
class MathMarkup:
    """How a platform's HTML writes LaTeX math (inline and displayed) and plain text."""

    inline: Callable[[str], str]
    display: Callable[[str], str]
    text: Callable[[str], str]


@dataclass(frozen=True)
class Image:
    """An image the statement shows: its file name, bytes, alt text and the src the platform resolves."""

    name: str
    data: bytes
    alt: str
    src: str


@dataclass(frozen=True)
class VariantHtml:
    """One variant as HTML: the statement, each computed question's sentence, and the worked solution."""

    id: str
    statement: str
    questions: tuple  # (Question, HTML sentence) for every question, symbolic included
    solution: str


def moodle_number(value: float) -> str:
    """A number as Moodle's cloze parser reads it: plain decimal or e-notation, no locale."""
    text = f"{value:.12g}"
    return "0" if text == "-0" else text


def cloze_gap(gap: Gap, settings: Moodle) -> str:
    """{points:NUMERICAL:=value:tolerance} and, when partial credit is on, ~%fraction%value:wider tolerance; the
    wider window stays under half the distance to the nearest known wrong answer (none gets partial credit), and
    is left out when that leaves it no wider than the tolerance."""
    alternatives = [f"={moodle_number(gap.value)}:{moodle_number(gap.tolerance)}"]
    if settings.partial_fraction:
        wide = min(gap.tolerance * settings.partial_factor, gap.margin / 2)
        if wide > gap.tolerance:
            alternatives.append(f"%{settings.partial_fraction}%{moodle_number(gap.value)}:{moodle_number(wide)}")
    return "{" + f"{gap.points}:NUMERICAL:" + "~".join(alternatives) + "}"


def question_text(question: ClozeQuestion, settings: Moodle) -> str:
    """The question's HTML with every {GAP:n} marker replaced by its cloze gap."""
    text = question.text
    for position, gap in enumerate(question.gaps, start=1):
        marker = f"{{GAP:{position}}}"
        if marker not in text:
            raise ValueError(f"{question.name}: the text has no {marker} marker")
        text = text.replace(marker, cloze_gap(gap, settings))
    return text


def _text(parent: ET.Element, tag: str, content: str, html: bool = False) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(element, "text").text = content
    return element


def _embed(element: ET.Element, image: Image) -> None:
    """The image as Moodle's <file> (base64) beside the text that shows it through @@PLUGINFILE@@."""
    file = ET.SubElement(element, "file", {"name": image.name, "path": "/", "encoding": "base64"})
    file.text = base64.b64encode(image.data).decode("ascii")


def category_element(path: str, info: str) -> ET.Element:
    """The pseudo-question that makes Moodle import into (and create) a category."""
    question = ET.Element("question", {"type": "category"})
    _text(question, "category", f"$course$/top/{path}")
    _text(question, "info", info, html=True)
    return question


def cloze_element(question: ClozeQuestion, settings: Moodle, image: Image | None = None) -> ET.Element:
    """A <question type="cloze"> element; defaultgrade is the sum of the gap weights, as Moodle computes it."""
    element = ET.Element("question", {"type": "cloze"})
    _text(element, "name", question.name)
    text = _text(element, "questiontext", question_text(question, settings), html=True)
    if image is not None:
        _embed(text, image)
    _text(element, "generalfeedback", question.feedback, html=True)
    ET.SubElement(element, "defaultgrade").text = str(sum(gap.points for gap in question.gaps))
    ET.SubElement(element, "penalty").text = f"{settings.penalty:.7f}"
    ET.SubElement(element, "hidden").text = "0"
    ET.SubElement(element, "idnumber").text = question.idnumber
    return element


def category_path(title: str, seed: int, settings: Moodle) -> str:
    """The category from [exam.moodle] category, else symbackprop/<title> (seed S); '/' separates levels."""
    if settings.category:
        return settings.category.strip("/")
    name = (title or "exam").replace("/", "-").strip()
    return f"symbackprop/{name} (seed {seed})"


def quiz_xml(questions: list[ClozeQuestion], settings: Moodle, category: str, info: str = "",
             image: Image | None = None) -> bytes:
    """The whole file: <quiz>, the category, the questions; deterministic bytes ending in a newline."""
    quiz = ET.Element("quiz")
    quiz.append(category_element(category, info))
    for question in questions:
        quiz.append(cloze_element(question, settings, image))
    ET.indent(quiz, space="  ")
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n"


# -- HTML from the exam content (math as \( \) and \[ \] for Moodle's MathJax filter) ----------------
def plain_html(text: str) -> str:
    """Text (a title, a sentence) as HTML that cannot contain cloze syntax."""
    return html.escape(text, quote=False).translate(CLOZE_SAFE)


def _tex_inline(tex: str) -> str:
    return r"\(" + html.escape(tex, quote=False) + r"\)"


def _tex_display(tex: str) -> str:
    return r"\[" + html.escape(tex, quote=False) + r"\]"


TEX_MATH = MathMarkup(_tex_inline, _tex_display, plain_html)  # Moodle, Canvas, PrairieLearn (MathJax)


def html_text(text: str, markup: MathMarkup = TEX_MATH) -> str:
    """Catalogue text (LaTeX, math in $...$) as HTML with the platform's math."""
    parts = re.split(r"(?<!\\)\$", text)
    out = []
    for position, part in enumerate(parts):
        if position % 2:
            out.append(markup.inline(part))
        else:
            for command, replacement in TEXT_COMMANDS:
                part = part.replace(command, replacement)
            out.append(markup.text(part))
    return "".join(out)


def html_math(tex: str, markup: MathMarkup = TEX_MATH) -> str:
    """Inline math."""
    return markup.inline(tex)


def html_steps(steps, markup: MathMarkup = TEX_MATH) -> str:
    """Steps (lhs = line = line ...) as one displayed aligned block."""
    rows = []
    for step in steps:
        for position, line in enumerate(step.lines):
            head = step.lhs if position == 0 else ""
            op = line.op or r"\quad"
            rows.append(f"{head} &{op} {line.tex}")
    return markup.display(r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}") if rows else ""


def html_matrix(rows, fmt, exact: bool = False) -> str:
    """A number matrix in LaTeX; with exact, whole numbers (class labels) print as 1, not 1.000."""
    def number(value) -> str:
        return str(int(value)) if exact and value == int(value) else fmt.tex(value)

    body = r" \\ ".join(" & ".join(number(v) for v in row) for row in rows)
    return r"\left[\begin{matrix}" + body + r"\end{matrix}\right]"


def index_legend(messages: dict, layout) -> str:
    """The sentence stating the index convention of the weights and biases (as the slides and handouts print it)."""
    return catalogue.fill(messages["weight_legend"], w=layout.weight_symbol, b=layout.bias_symbol,
                          first=layout.first_layer)


def variant_html(title: str, statement: dict, content, messages: dict, fmt, markup: MathMarkup = TEX_MATH,
                 image: Image | None = None, legend: str = "") -> VariantHtml:
    """One variant as HTML: title and id, network, diagram and index convention, functions, values, notes."""
    em = messages["exam"]
    values = ", ".join(html_math(f"{item['name']} = {html_matrix(item['rows'], fmt, item.get('exact', False))}",
                                 markup)
                       for line in content.value_lines for item in line)
    functions = "".join(f"<li>{html_text(block['title'], markup)}: "
                        + ", ".join(html_math(f"{s.lhs} {s.lines[0].op} {s.lines[0].tex}", markup)
                                    for s in block["steps"])
                        + (f" ({html_text(block['note'], markup)})" if block["note"] else "")
                        + "</li>" for block in statement["functions"])
    parts = [f"<p><strong>{markup.text(title)} \u2014 {markup.text(em['variant'])} {content.id}</strong></p>",
             f"<p>{html_text(statement['summary'], markup)}</p>"]
    if image is not None:
        parts.append(f'<p><img src="{html.escape(image.src)}" alt="{html.escape(image.alt)}"/></p>')
    if legend:
        parts.append(f"<p>{html_text(legend, markup)}</p>")
    parts += [f"<ul>{functions}</ul>", f"<p>{html_text(em['values_intro'], markup)} {values}</p>"]
    if statement["update_note"]:
        parts.append(f"<p>{html_text(statement['update_note'], markup)}</p>")
    parts.append(f"<p>{html_text(statement['instructions'], markup)}</p>")
    questions = tuple((q, html_text(q.text, markup)) for q in content.questions)
    solution = [f"<p><strong>{markup.text(em['moodle_feedback'])}</strong></p>"]
    for question, sentence in questions:
        solution.append(f"<p>{question.number}. {sentence}</p>{html_steps(question.steps, markup)}")
    return VariantHtml(content.id, "\n".join(parts), questions, "\n".join(solution))


def cloze_question(page: VariantHtml) -> ClozeQuestion:
    """One variant as a cloze question: the statement, a gap per numerical question, the worked solution."""
    gaps, items = [], []
    for question, sentence in page.questions:
        if question.answer is None:
            continue
        gaps.append(Gap(question.answer, question.tolerance, question.points, question.margin))
        items.append(f"<li>{sentence} {{GAP:{len(gaps)}}}</li>")
    text = page.statement + "\n<ol>" + "".join(items) + "</ol>"
    return ClozeQuestion(page.id, page.id, text, tuple(gaps), page.solution)


def exam_quiz(title: str, seed: int, pages: list[VariantHtml], messages: dict, settings: Moodle,
              image: Image | None = None) -> bytes:
    """moodle.xml for exam variants: the category, then one cloze question per variant (the diagram embedded)."""
    questions = [cloze_question(page) for page in pages]
    info = html_text(messages["exam"]["moodle_info"].replace("((count))", str(len(pages)))
                     .replace("((seed))", str(seed)))
    return quiz_xml(questions, settings, category_path(title, seed, settings), info, image)
