"""The [exam] table: defaults, validation errors (one line, naming key, expected, got) and round trips."""
import json

import pytest

from symbackprop.errors import SpecError
from symbackprop.checking.tolerance import Policy
from symbackprop.exams.config import EXAM_KEYS, Grid, exam_to_dict, parse_exam
from symbackprop.model.spec import load_spec, parse_spec

NETWORK = """
[network]
layers = [2, 3, 2]
activations = ["sigmoid", "sigmoid"]
loss = "mse"
"""


def spec_with(exam: str = "", network: str = NETWORK):
    return parse_spec(network + exam, source="test.toml")


def test_defaults_of_the_course_network():
    config = parse_exam(load_spec())
    assert config.questions == ("y1[0]", "y1[1]", "L", "dL/dW1[0][0]", "dL/dW0[1][2]", "step1.W0[1][2]")
    assert config.symbolic == "dL/dW0[0][0]"
    assert config.points_of("L") == 1 and config.points_of("symbolic") == 1 and config.total_points == 7
    assert config.grid("weights") == Grid(-1.0, 1.0, 0.1, nonzero=True)
    assert config.grid("inputs") == Grid(0.0, 1.0, 0.1)
    assert config.grid("targets") == Grid(0.0, 1.0, 1.0)
    assert (config.answers.decimals, config.answers.significant, config.answers.extra_decimals) == (4, 3, 1)
    assert (config.answers.abs_tol, config.answers.rel_tol) == (1e-4, 0.0)  # tolerances are the policy's, absolute
    assert config.answers.policy == Policy(decimals=4, significant=3, max_decimals=10, extra_decimals=1)
    assert config.constraints.min_gradient == pytest.approx(2e-4)
    assert config.training.learning_rate == 0.5  # from the default spec's [training]


def test_learning_rate_defaults_to_one_half_without_training():
    assert parse_exam(spec_with()).training.learning_rate == 0.5


def test_cross_entropy_targets_are_one_hot_by_default():
    spec = spec_with(network='[network]\nlayers = [2, 3]\nactivations = "softmax"\nloss = "cce"\n')
    assert parse_exam(spec).grid("targets").one_hot


def test_grid_points_are_exact_and_skip_zero():
    points = Grid(-0.3, 0.3, 0.1, nonzero=True).points()
    assert points == [-0.3, -0.2, -0.1, 0.1, 0.2, 0.3]
    assert Grid(0.0, 1.0, 0.25).points() == [0.0, 0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize("exam, key, suggestion", [
    ('[exam]\nquestons = ["L"]\n', "exam.questons", "questions"),
    ("[exam.draw]\nweight = {min = -1}\n", "exam.draw.weight", "weights"),
    ("[exam.draw]\nweights = {stp = 0.1}\n", "exam.draw.weights.stp", "step"),
    ("[exam.answers]\ndecimal = 3\n", "exam.answers.decimal", "decimals"),
    ("[exam.constraints]\nrelu_margn = 0.1\n", "exam.constraints.relu_margn", "relu_margin"),
    ("[exam.moodle]\npenality = 0.1\n", "exam.moodle.penality", "penalty"),
])
def test_unknown_keys_name_the_key_and_the_closest(exam, key, suggestion):
    with pytest.raises(SpecError) as err:
        parse_exam(spec_with(exam), source="test.toml")
    message = str(err.value)
    assert "\n" not in message and key in message and repr(suggestion) in message and "expected" in message


@pytest.mark.parametrize("exam, fragment", [
    ('[exam]\nquestions = ["dL/dW0[5][0]"]\n', "unknown quantity"),
    ('[exam]\nquestions = ["W0[0][0]"]\n', "drawn value"),
    ('[exam]\nquestions = ["L", "L"]\n', "listed twice"),
    ('[exam]\nquestions = ["step2.L"]\n', "steps exist up to step1"),
    ("[exam]\nquestions = []\n", "non-empty list"),
    ('[exam]\nsymbolic = "L"\n', "weight or bias gradient"),
    ('[exam]\npoints = {"dL/dW9" = 2}\n', "unknown key"),
    ("[exam]\npoints = {default = 1.5}\n", "whole number"),
    ("[exam.draw]\ninputs = {min = 1, max = 0}\n", "min <= max"),
    ("[exam.draw]\ninputs = {min = 0, max = 1, step = 0.3}\n", "divides"),
    ("[exam.draw]\ninputs = {step = 0}\n", "> 0"),
    ("[exam.draw]\nweights = {one_hot = true}\n", "only targets"),
    ("[exam.draw]\nweights = {min = 0, max = 0, nonzero = true}\n", "empty"),
    ("[exam.answers]\ndecimals = 11\n", "from 0 to 10"),
    ("[exam.answers]\nabs_tol = 0\nrel_tol = 0\n", "cannot be met"),
    ("[exam.answers]\nabs_tol = 0\n", "cannot be met"),
    ("[exam.answers]\nsignificant = 0\n", "from 1 to 10"),
    ("[exam.answers]\ndecimals = 4\nmax_decimals = 3\n", "from 4 to 12"),
    ('[exam.constraints]\nindependent = 1\n', "true or false"),
    ("[exam.constraints]\nsaturation = 1.5\n", "<= 1"),
    ('[exam.constraints]\ndistinct = "yes"\n', "true or false"),
    ("[exam.moodle]\npartial_fraction = 100\n", "from 0 to 99"),
])
def test_invalid_values_fail_in_one_line(exam, fragment):
    with pytest.raises(SpecError) as err:
        parse_exam(spec_with(exam), source="test.toml")
    assert fragment in str(err.value) and "\n" not in str(err.value) and str(err.value).startswith("test.toml: ")


def test_normalized_table_reads_back_unchanged():
    spec = spec_with('[exam]\nquestions = ["L", "dL/db0[1]"]\nsymbolic = false\npoints = {L = 3}\n'
                     "[exam.draw]\ntargets = {min = 0, max = 1, step = 0.5}\n[exam.answers]\ndecimals = 3\n")
    config = parse_exam(spec)
    again = parse_exam(spec_with().__class__(**{**spec.__dict__, "exam": exam_to_dict(config)}))
    assert again == config
    assert config.symbolic == "" and config.points == (("L", 3), ("dL/db0[1]", 1))
    assert config.answers.abs_tol == pytest.approx(1e-3) and config.constraints.min_gradient == pytest.approx(2e-3)


def test_points_default_is_recorded_as_the_spec_says():
    config = parse_exam(spec_with('[exam]\nquestions = ["L", "dL/db0[1]"]\npoints = {default = 2, L = 3}\n'))
    assert exam_to_dict(config)["points"] == {"default": 2, "L": 3, "dL/db0[1]": 2, "symbolic": 2}
    assert config.points_of("dL/db0[1]") == 2


def test_old_abs_and_rel_tol_are_read_as_bounds_on_the_asked_unit():
    config = parse_exam(spec_with("[exam.answers]\ndecimals = 2\nabs_tol = 0.001\nrel_tol = 0.02\n"))
    assert (config.answers.widest, config.answers.widest_relative) == (0.001, 0.02)
    assert config.answers.precision(0.5).decimals == 3  # one unit of 2 decimals (0.01) would exceed abs_tol
    assert config.answers.tolerance(0.5) == pytest.approx(1e-3)
    assert exam_to_dict(config)["answers"] == {"decimals": 2, "significant": 3, "extra_decimals": 1,
                                                "max_decimals": 10, "abs_tol": 0.001, "rel_tol": 0.02}


def test_the_documented_example_sets_every_key():
    from pathlib import Path

    spec = load_spec(Path(__file__).resolve().parent.parent / "examples" / "exam_relu.toml")
    config = parse_exam(spec)
    assert config.title == "Exam 1" and config.title_in("pt-BR") == "Prova 1" and config.title_in("de") == "Exam 1"
    assert config.total_points == 11 and config.moodle.partial_fraction == 50
    assert set(spec.exam) == EXAM_KEYS


def test_working_space_is_a_length_in_centimetres(tmp_path):
    from symbackprop.cli import main

    spec = tmp_path / "spec.toml"
    base = '[network]\nlayers = [2, 2, 1]\nactivations = "sigmoid"\nloss = "mse"\n[exam]\n'
    spec.write_text(base + "working_space = 2.5\n")
    assert main(["exam", str(spec), "--variants", "1", "--seed", "1", "-o", str(tmp_path / "out")]) == 0
    assert r"\vspace{2.5cm}" in (tmp_path / "out" / "exam.tex").read_text()
    spec.write_text(base)
    assert main(["exam", str(spec), "--variants", "1", "--seed", "1", "-o", str(tmp_path / "default")]) == 0
    assert r"\vspace{4.5cm}" in (tmp_path / "default" / "exam.tex").read_text()


def test_working_space_out_of_range_is_one_line(tmp_path, capsys):
    from symbackprop.cli import main

    spec = tmp_path / "spec.toml"
    spec.write_text('[network]\nlayers = [2, 2, 1]\nactivations = "sigmoid"\nloss = "mse"\n[exam]\nworking_space = -1\n')
    assert main(["derive", str(spec)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exam.working_space" in err


def test_an_exam_title_by_language_follows_the_exam_language(tmp_path):
    from symbackprop.cli import main

    spec = tmp_path / "spec.toml"
    spec.write_text('[network]\nlayers = [2, 2, 1]\nactivations = "sigmoid"\nloss = "mse"\n'
                    '[exam]\ntitle = { en = "Exam 1", pt-BR = "Prova 1" }\n')
    for lang, title, other in (("en", "Exam 1", "Prova 1"), ("pt-BR", "Prova 1", "Exam 1")):
        out = tmp_path / lang
        assert main(["exam", str(spec), "--variants", "1", "--seed", "2", "--lang", lang, "-o", str(out)]) == 0
        text = (out / "exam.tex").read_text(encoding="utf-8")
        assert title in text and other not in text
    manifest = json.loads((tmp_path / "en" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["spec"]["exam"]["title"] == {"en": "Exam 1", "pt-BR": "Prova 1"}
