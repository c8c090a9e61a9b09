"""The stress test: rejections per constraint, spread of answers, and failures when an answer is wrong."""
from dataclasses import replace

from symbackprop.checking.tolerance import Precision
from symbackprop.cli import main
from symbackprop.exams.variants import CONSTRAINTS, draw_variants
from symbackprop.exams.config import parse_exam
from symbackprop.model.spec import load_spec, parse_spec
from symbackprop.exams.stress import judge_precisions, stress, report_text

# ReLU units exactly at 0 (integer grids, no margin): the derivative convention g'(0) = 0 disagrees with
# central differences, which see a slope of 1/2 there; the stress test must catch it.
KINK = """
[network]
layers = [1, 1, 1]
activations = ["relu", "linear"]
loss = "mse"
[exam]
questions = ["L", "dL/dW0[0][0]"]
[exam.draw]
inputs = {min = 1, max = 1, step = 1}
weights = {min = -1, max = 1, step = 1, nonzero = true}
biases = {min = -1, max = 1, step = 1}
targets = {min = 0, max = 1, step = 1}
[exam.constraints]
relu_margin = 0
min_gradient = 0
distinct = false
"""


def test_the_course_exam_passes():
    spec = load_spec()
    config = parse_exam(spec)
    report = stress(spec, 40, seed=1)
    assert report.ok and report.count == 40 and report.draws >= 40
    assert set(report.rejected) == {c.name for c in CONSTRAINTS}
    assert sum(report.checked.values()) == 40 * len(config.questions)
    assert report.checked["finite differences"] == 40 * 3 and report.largest_error < 1e-6
    text = report_text(report, config)
    for name in [c.name for c in CONSTRAINTS] + list(config.questions):
        assert name in text
    assert "0 failures" in text


def test_rejections_show_in_the_table():
    spec = replace(load_spec(), exam={"constraints": {"saturation": 0.6}})
    report = stress(spec, 10, seed=2)
    assert report.ok and report.rejected["saturation"] > 0
    line = next(l for l in report_text(report, parse_exam(spec)).splitlines() if l.startswith("saturation"))
    assert str(report.rejected["saturation"]) in line


def test_a_wrong_answer_fails():
    spec = parse_spec(KINK)
    report = stress(spec, 12, seed=1)
    assert not report.ok
    assert {f.name for f in report.failures} == {"dL/dW0[0][0]"}
    assert "FAIL" in report_text(report, parse_exam(spec))


def test_cli_prints_the_tables_writes_nothing_and_sets_the_exit_code(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["exam", "--stress", "15", "--seed", "3", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "STRESS TEST  15 variants" in printed and "min_gradient" in printed and not out.exists()
    spec = tmp_path / "kink.toml"
    spec.write_text(KINK, encoding="utf-8")
    assert main(["exam", str(spec), "--stress", "12", "--seed", "1"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_the_proof_per_variant_shows_its_rejections_and_the_widest_tolerance():
    spec = load_spec()
    config = parse_exam(spec)
    report = stress(spec, 30, seed=1)
    assert report.ok and report.rejected["wrong_answer"] > 0 and report.draws > 30
    # one unit of the third significant figure of the scale at most (the carried path aside): under 1%
    assert 0 < report.widest[0] < 0.01 and report.widest[1] in config.questions
    lines = report_text(report, config).splitlines()
    row = next(line for line in lines if line.startswith("wrong_answer"))
    assert row.split()[1] == str(report.rejected["wrong_answer"])
    precision = next(line for line in lines if line.startswith("PRECISION"))
    assert f"{report.more_digits} answers asked with more decimals" in precision
    assert f"widest tolerance {100 * report.widest[0]:.2f}% of its scale ({report.widest[1]})" in precision


def test_a_tolerance_that_accepts_a_known_wrong_answer_fails():
    spec = load_spec()
    config = parse_exam(spec)
    report = stress(spec, 3, seed=1)
    variant = draw_variants(spec, 1, seed=1)[0]
    name = "step1.W0[1][2]"
    loose = replace(variant, precisions={**variant.precisions, name: Precision(4, 0.01)})  # 1% of |w| or so
    before = len(report.failures)
    judge_precisions(report, config, loose)
    assert [(f.name, f.reason) for f in report.failures[before:]] == [
        (name, "its tolerance accepts a known wrong answer")] * len(report.failures[before:])
    assert any(f.reference == variant.values.weights[0][1][2] for f in report.failures[before:])
