"""The page's exercise: questions in the order of the algorithm, the diagram from the TikZ layout, languages."""
import pytest

from symbackprop.documents import diagram
from symbackprop.errors import SpecError
from symbackprop.notation.derivation_tex import derive
from symbackprop.model.spec import parse_spec
from symbackprop.web import exercise, messages, svg
from symbackprop.web.view import segments
from tests.specs import COURSE_232, SINGLE_NEURON


def test_questions_follow_the_algorithm():
    d = derive(parse_spec(COURSE_232).network)
    asked = ["step1.W0[1][2]", "dL/dW0[1][2]", "L", "dL/dW1[0][0]", "y1[1]"]
    assert exercise.ordered_questions(d, asked) == [
        "v0[0]", "y0[0]", "v0[1]", "y0[1]", "v0[2]", "y0[2]", "v1[0]", "y1[0]", "v1[1]", "y1[1]", "L",
        "dL/dy1[0]", "dy1[0]/dv1[0]", "dv1[0]/dW1[0][0]", "dL/dW1[0][0]",
        "dL/dy0[2]", "dy0[2]/dv0[2]", "dv0[2]/dW0[1][2]", "dL/dW0[1][2]", "step1.W0[1][2]"]


def test_forward_questions_alone_stop_at_their_layer():
    d = derive(parse_spec(COURSE_232).network)
    assert exercise.ordered_questions(d, ["y0[1]"]) == ["v0[0]", "y0[0]", "v0[1]", "y0[1]", "v0[2]", "y0[2]"]


def test_spec_exercise_uses_its_exam_questions_and_the_symbolic_one_last():
    spec = parse_spec(SINGLE_NEURON + '\n[exam]\nquestions = ["L", "dL/db0[0]"]\nsymbolic = "dL/dW0[0][0]"\n')
    questions = exercise.from_spec(spec).get(None).questions
    assert [(q.name, q.section, q.expects) for q in questions] == [
        ("v0[0]", "forward", "number"), ("y0[0]", "forward", "number"), ("L", "loss", "number"),
        ("dL/dy0[0]", "backward", "number"), ("dy0[0]/dv0[0]", "backward", "number"),
        ("dv0[0]/db0[0]", "backward", "number"), ("dL/db0[0]", "backward", "number"),
        ("dL/dW0[0][0]", "closed_form", "expression")]
    assert questions[3].tex == r"\frac{\partial L}{\partial \hat{y}^{0}_{0}}"


def test_a_spec_without_values_is_refused():
    with pytest.raises(SpecError, match=r"no \[values\] table"):
        exercise.from_spec(parse_spec("[network]\nlayers = [1, 1]\nactivations = 'sigmoid'\nloss = 'mse'\n"))


def test_svg_is_drawn_from_the_tikz_layout():
    network = parse_spec(COURSE_232).network
    captions = {"input": "input", "layer": "layer", "output": "output"}
    layout = diagram.layout(network, captions)
    shapes = svg.shapes(network, captions)
    assert len(shapes["nodes"]) == len(layout.nodes) == 7
    assert len(shapes["edges"]) == len(layout.edges) == 12
    weight_labels = [label["tex"] for label in shapes["labels"] if label["kind"] == "weight"]
    assert weight_labels == [e.label for e in layout.edges if e.label]
    assert "w^{0}_{1,2}" in weight_labels
    # the same geometry: distances between centres scale by one factor
    a, b, c, d = layout.nodes[0], layout.nodes[1], layout.nodes[0], layout.nodes[3]
    ratio_layout = abs(b.y - a.y) / abs(d.x - c.x)
    ratio_svg = abs(shapes["nodes"][1]["cy"] - shapes["nodes"][0]["cy"]) / abs(shapes["nodes"][3]["cx"] -
                                                                              shapes["nodes"][0]["cx"])
    assert ratio_svg == pytest.approx(ratio_layout, rel=1e-2)
    assert shapes["nodes"][0]["cy"] < shapes["nodes"][1]["cy"]  # y grows downwards in SVG


def test_segments_split_math_from_text():
    assert segments("where $N = 2$ is -- the number") == [{"text": "where "}, {"tex": "N = 2"},
                                                          {"text": " is – the number"}]


@pytest.mark.parametrize("requested, header, expected", [
    (None, "pt-BR,pt;q=0.9,en;q=0.8", "pt-BR"),
    (None, "pt;q=0.9,fr;q=1", "pt-BR"),
    (None, "en-GB,en;q=0.9", "en"),
    (None, "de-DE", "en"),
    ("pt-br", "en", "pt-BR"),
    ("xx", "pt-BR", "pt-BR"),
    (None, None, "en"),
    (None, "fr;q=x", "en"),
])
def test_language_negotiation(requested, header, expected):
    assert messages.negotiate(requested, header) == expected


def test_every_language_has_the_same_words_and_a_hint_for_every_mistake():
    from symbackprop.checking.mistakes import MISTAKES
    english = messages.messages("en")
    assert messages.languages() == ["en", "pt-BR"]
    for lang in messages.languages():
        words = messages.messages(lang)
        assert set(words) == set(english), lang
        assert set(words["mistakes"]) == set(MISTAKES), lang
        assert set(words["mistake_names"]) == set(MISTAKES), lang
