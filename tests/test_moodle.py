"""moodle.xml checked element by element against Moodle's XML format and its cloze (multianswer) syntax."""
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from symbackprop.cli import main
from symbackprop.exams.config import Moodle
from symbackprop.exams.moodle import Gap, cloze_gap, html_text, moodle_number

# Moodle's own grammar (question/type/multianswer/questiontype.php): a gap, its alternatives, a number
NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
GAP = re.compile(r"\{([0-9]*):(NUMERICAL|NM|MULTICHOICE|MC|SHORTANSWER|SA|MW):(.*?)\}")
ALTERNATIVE = re.compile(rf"^(=|%(-?[0-9]+)%)?({NUMBER})(:({NUMBER}))?$")

SPEC = """
title = "Exam/1"
[network]
layers = [2, 2, 1]
activations = ["sigmoid", "sigmoid"]
loss = "mse"
[exam]
questions = ["y1[0]", "L", "dL/dW1[0][0]", "dL/dW0[1][1]"]
points = {default = 2, "L" = 1}
[exam.moodle]
penalty = 0.1
partial_fraction = 50
partial_factor = 4
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("moodle")
    (tmp / "spec.toml").write_text(SPEC, encoding="utf-8")
    out = tmp / "out"
    assert main(["exam", str(tmp / "spec.toml"), "--variants", "3", "--seed", "9", "--moodle", "-o", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return ET.parse(out / "moodle.xml").getroot(), manifest


def text_of(element, tag):
    child = element.find(tag)
    assert child is not None, tag
    node = child.find("text")
    assert node is not None, f"{tag}/text"
    return node.text or ""


def test_quiz_starts_with_a_category(exported):
    quiz, manifest = exported
    assert quiz.tag == "quiz"
    questions = quiz.findall("question")
    assert [q.get("type") for q in questions] == ["category"] + ["cloze"] * 3
    category = questions[0]
    assert text_of(category, "category") == "$course$/top/symbackprop/Exam-1 (seed 9)"
    assert category.find("info").get("format") == "html" and "3" in text_of(category, "info")


def test_each_variant_is_a_cloze_question(exported):
    quiz, manifest = exported
    clozes = quiz.findall("question")[1:]
    for element, variant in zip(clozes, manifest["variants"]):
        assert [child.tag for child in element] == ["name", "questiontext", "generalfeedback", "defaultgrade",
                                                    "penalty", "hidden", "idnumber"]
        assert text_of(element, "name") == variant["id"] and element.find("idnumber").text == variant["id"]
        assert element.find("questiontext").get("format") == "html"
        assert element.find("generalfeedback").get("format") == "html"
        assert element.find("defaultgrade").text == str(sum(a["points"] for a in variant["answers"].values()))
        assert float(element.find("penalty").text) == pytest.approx(0.1) and element.find("hidden").text == "0"


def test_one_numerical_gap_per_answer_with_its_tolerance_and_fractions(exported):
    quiz, manifest = exported
    for element, variant in zip(quiz.findall("question")[1:], manifest["variants"]):
        gaps = GAP.findall(text_of(element, "questiontext"))
        answers = list(variant["answers"].values())
        assert len(gaps) == len(answers) == 4
        for (weight, kind, body), answer in zip(gaps, answers):
            assert kind == "NUMERICAL" and int(weight) == answer["points"]
            tolerance = max(answer["abs_tol"], answer["rel_tol"] * abs(answer["value"]))
            alternatives = [ALTERNATIVE.match(a) for a in body.split("~")]
            assert all(alternatives) and len(alternatives) in (1, 2)
            full = alternatives[0]
            assert full.group(1) == "=" and float(full.group(3)) == pytest.approx(answer["value"], rel=1e-11)
            assert float(full.group(8)) == pytest.approx(tolerance, rel=1e-11)
            if len(alternatives) == 2:  # partial credit: wider, at most 4x, and never around a known wrong answer
                partial = alternatives[1]
                assert partial.group(2) == "50" and float(partial.group(3)) == pytest.approx(answer["value"], rel=1e-11)
                wide = float(partial.group(8))
                assert tolerance < wide <= 4 * tolerance * (1 + 1e-11)
                value = answer["value"]
                assert all(abs(wrong - value) > wide for wrong in (0.0, 1.0, -1.0, -value))


class Balanced(HTMLParser):
    """Checks that every opened tag is closed in order."""

    def __init__(self):
        super().__init__()
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, tag


def test_html_is_balanced_and_math_uses_mathjax_delimiters(exported):
    quiz, manifest = exported
    for element in quiz.findall("question")[1:]:
        for tag in ("questiontext", "generalfeedback"):
            html = text_of(element, tag)
            parser = Balanced()
            parser.feed(html)
            assert parser.stack == []
            assert "$" not in html and r"\(" in html
        assert r"\[\begin{aligned}" in text_of(element, "generalfeedback")
        assert r"\frac{\partial L}{\partial w^{0}_{1,1}}" in text_of(element, "questiontext")


@pytest.mark.parametrize("value, text", [(0.5, "0.5"), (-0.0, "0"), (1e-05, "1e-05"), (-0.0123456789012345,
                                                                                       "-0.0123456789012")])
def test_numbers_as_moodle_reads_them(value, text):
    assert moodle_number(value) == text and re.fullmatch(NUMBER, text)


def test_partial_credit_stays_under_half_the_distance_to_the_nearest_wrong_answer():
    settings = Moodle(partial_fraction=50, partial_factor=10)
    assert cloze_gap(Gap(0.25, 0.001, 3, margin=0.008), settings) == "{3:NUMERICAL:=0.25:0.001~%50%0.25:0.004}"
    assert cloze_gap(Gap(0.25, 0.001, 3, margin=0.5), settings) == "{3:NUMERICAL:=0.25:0.001~%50%0.25:0.01}"
    assert cloze_gap(Gap(0.25, 0.001, 3, margin=0.0015), settings) == "{3:NUMERICAL:=0.25:0.001}"  # no room


def test_gap_syntax_without_partial_credit():
    assert cloze_gap(Gap(0.25, 0.001, 3), Moodle()) == "{3:NUMERICAL:=0.25:0.001}"


def test_catalogue_text_becomes_html():
    assert html_text(r"Compute $a < b$ -- 5\% of $\eta$") == r"Compute \(a &lt; b\) – 5% of \(\eta\)"


def test_class_label_targets_print_as_whole_numbers(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.replace("[exam.moodle]", '[exam.draw]\ntargets = {min = 0, max = 1, step = 1}\n[exam.moodle]'),
                    encoding="utf-8")
    out = tmp_path / "out"
    assert main(["exam", str(spec), "--variants", "2", "--seed", "4", "--moodle", "-o", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    text = (out / "moodle.xml").read_text(encoding="utf-8")
    for variant in manifest["variants"]:
        target = variant["values"]["y[0]"]
        assert target in (0.0, 1.0)
        inputs = variant["values"]["x[0]"]
        assert rf"y = \left[\begin{{matrix}}{int(target)}\end{{matrix}}\right]" in text
        assert rf"x = \left[\begin{{matrix}}{inputs:.3f}" in text or rf"x = \left[\begin{{matrix}}{inputs:.4f}" in text
