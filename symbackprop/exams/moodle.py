"""Moodle XML: a category, then one cloze question per variant with a NUMERICAL gap per asked number."""
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from symbackprop.exams.config import Moodle

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


@dataclass(frozen=True)
class ClozeQuestion:
    """One variant as a cloze question: HTML text where {GAP:n} marks gap n, and the HTML general feedback."""

    name: str
    idnumber: str
    text: str
    gaps: tuple[Gap, ...]
    feedback: str


def moodle_number(value: float) -> str:
    """A number as Moodle's cloze parser reads it: plain decimal or e-notation, no locale."""
    text = f"{value:.12g}"
    return "0" if text == "-0" else text


def cloze_gap(gap: Gap, settings: Moodle) -> str:
    """{points:NUMERICAL:=value:tolerance} and, when partial credit is on, ~%fraction%value:wider tolerance."""
    alternatives = [f"={moodle_number(gap.value)}:{moodle_number(gap.tolerance)}"]
    if settings.partial_fraction:
        wide = gap.tolerance * settings.partial_factor
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


def category_element(path: str, info: str) -> ET.Element:
    """The pseudo-question that makes Moodle import into (and create) a category."""
    question = ET.Element("question", {"type": "category"})
    _text(question, "category", f"$course$/top/{path}")
    _text(question, "info", info, html=True)
    return question


def cloze_element(question: ClozeQuestion, settings: Moodle) -> ET.Element:
    """A <question type="cloze"> element; defaultgrade is the sum of the gap weights, as Moodle computes it."""
    element = ET.Element("question", {"type": "cloze"})
    _text(element, "name", question.name)
    _text(element, "questiontext", question_text(question, settings), html=True)
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


def quiz_xml(questions: list[ClozeQuestion], settings: Moodle, category: str, info: str = "") -> bytes:
    """The whole file: <quiz>, the category, the questions; deterministic bytes ending in a newline."""
    quiz = ET.Element("quiz")
    quiz.append(category_element(category, info))
    for question in questions:
        quiz.append(cloze_element(question, settings))
    ET.indent(quiz, space="  ")
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n"


# -- HTML from the exam content (math as \( \) and \[ \] for Moodle's MathJax filter) ----------------
def plain_html(text: str) -> str:
    """Text (a title, a sentence) as HTML that cannot contain cloze syntax."""
    return html.escape(text, quote=False).translate(CLOZE_SAFE)


def html_text(text: str) -> str:
    """Catalogue text (LaTeX, math in $...$) as HTML with \\( \\) math."""
    parts = re.split(r"(?<!\\)\$", text)
    out = []
    for position, part in enumerate(parts):
        if position % 2:
            out.append(r"\(" + html.escape(part, quote=False) + r"\)")
        else:
            for command, replacement in TEXT_COMMANDS:
                part = part.replace(command, replacement)
            out.append(plain_html(part))
    return "".join(out)


def html_math(tex: str) -> str:
    """Inline math."""
    return r"\(" + html.escape(tex, quote=False) + r"\)"


def html_steps(steps) -> str:
    """Steps (lhs = line = line ...) as one displayed aligned block."""
    rows = []
    for step in steps:
        for position, line in enumerate(step.lines):
            head = step.lhs if position == 0 else ""
            op = line.op or r"\quad"
            rows.append(f"{head} &{op} {line.tex}")
    body = html.escape(r" \\ ".join(rows), quote=False)
    return (r"\[\begin{aligned}" + body + r"\end{aligned}\]") if rows else ""


def html_matrix(rows, fmt, exact: bool = False) -> str:
    """A number matrix in LaTeX; with exact, whole numbers (class labels) print as 1, not 1.000."""
    def number(value) -> str:
        return str(int(value)) if exact and value == int(value) else fmt.tex(value)

    body = r" \\ ".join(" & ".join(number(v) for v in row) for row in rows)
    return r"\left[\begin{matrix}" + body + r"\end{matrix}\right]"


def cloze_question(title: str, statement: dict, content, messages: dict, fmt) -> ClozeQuestion:
    """One variant as a cloze question: the statement, a gap per numerical question, the worked solution."""
    em = messages["exam"]
    values = ", ".join(html_math(f"{item['name']} = {html_matrix(item['rows'], fmt, item.get('exact', False))}")
                       for line in content.value_lines for item in line)
    functions = "".join(f"<li>{html_text(block['title'])}: "
                        + ", ".join(html_math(f"{s.lhs} {s.lines[0].op} {s.lines[0].tex}") for s in block["steps"])
                        + (f" ({html_text(block['note'])})" if block["note"] else "")
                        + "</li>" for block in statement["functions"])
    parts = [f"<p><strong>{plain_html(title)} \u2014 {plain_html(em['variant'])} {content.id}</strong></p>",
             f"<p>{html_text(statement['summary'])}</p>", f"<ul>{functions}</ul>",
             f"<p>{html_text(em['values_intro'])} {values}</p>"]
    if statement["update_note"]:
        parts.append(f"<p>{html_text(statement['update_note'])}</p>")
    parts.append(f"<p>{html_text(statement['instructions'])}</p>")
    gaps, items = [], []
    for question in content.questions:
        if question.answer is None:
            continue
        gaps.append(Gap(question.answer, question.tolerance, question.points))
        items.append(f"<li>{html_text(question.text)} {{GAP:{len(gaps)}}}</li>")
    parts.append("<ol>" + "".join(items) + "</ol>")
    feedback = [f"<p><strong>{plain_html(em['moodle_feedback'])}</strong></p>"]
    for question in content.questions:
        feedback.append(f"<p>{question.number}. {html_text(question.text)}</p>{html_steps(question.steps)}")
    return ClozeQuestion(content.id, content.id, "\n".join(parts), tuple(gaps), "\n".join(feedback))


def exam_quiz(title: str, seed: int, statement: dict, contents: list, messages: dict, fmt, settings: Moodle) -> bytes:
    """moodle.xml for exam variants: the category, then one cloze question per variant."""
    questions = [cloze_question(title, statement, content, messages, fmt) for content in contents]
    info = html_text(messages["exam"]["moodle_info"].replace("((count))", str(len(contents)))
                     .replace("((seed))", str(seed)))
    return quiz_xml(questions, settings, category_path(title, seed, settings), info)
