"""The hand-written fixtures: every expected finding, with its line, verdict and value computed by hand."""
import math

import pytest

from tests.lint.helpers import LECTURE, bad, example1, lint_fixture, sigmoid

EX = example1()


def _only(result, line, kind, name=None):
    found = [f for f in result.bad if result.document.position(f.offset)[0] == line and f.kind == kind
             and f.name == name]
    assert len(found) == 1, found
    return found[0]


def test_lecture_without_spec_has_the_two_arithmetic_errors_and_its_own_wrong_derivative():
    result = lint_fixture(str(LECTURE))
    assert bad(result) == [(12, "arithmetic", None, "wrong"), (18, "definition", "\u2202y_0/\u2202v_0", "wrong"),
                           (22, "arithmetic", None, "wrong"), (22, "operand", "\u2202y_0/\u2202v_0", "consistent"),
                           (24, "arithmetic", None, "consistent"), (24, "operand", "\u2202y_0/\u2202v_0", "consistent")]
    loss, derivative, product, copy, bias, _ = result.bad
    assert copy.expected_value == pytest.approx(EX["dy/dv"], rel=1e-12)
    assert bias.expected_value == pytest.approx(-0.6906 * EX["dy/dv"], rel=1e-12)  # the product with the right factor
    # y_0 = 1 / (1 + e^{-v_0}) is the document's own definition: its derivative at v_0 = 0.32, by hand
    assert derivative.expected_value == pytest.approx(EX["dy/dv"], rel=1e-12)
    assert (derivative.expected, derivative.written) == ("0.2437", "0.2261")
    assert loss.expected_value == pytest.approx((1 - 0.5793) ** 2, abs=1e-12)
    assert (loss.expected, loss.written) == (f"{(1 - 0.5793) ** 2:.4f}", "0.1192") == ("0.1770", "0.1192")
    assert product.expected_value == pytest.approx(-0.6906 * 0.2261 * 0.7, abs=1e-12)
    assert (product.expected, product.written) == (f"{-0.6906 * 0.2261 * 0.7:.5f}", "-0.10905") == ("-0.10930",
                                                                                                     "-0.10905")
    assert loss.subject == "(1 - 0.5793)^2"
    assert product.subject == r"-0.6906 \times 0.2261 \times 0.7"
    assert result.document.position(loss.offset) == (12, 31)


def test_lecture_with_spec_judges_the_five_wrong_numbers():
    result = lint_fixture(str(LECTURE), "single_neuron.toml")
    quantities = [(line, name, verdict) for line, kind, name, verdict in bad(result) if kind == "quantity"]
    assert quantities == [
        (12, "L", "wrong"), (16, "dL/dy0[0]", "wrong"), (18, "dy0[0]/dv0[0]", "wrong"),
        (22, "dL/dy0[0]", "wrong"), (22, "dy0[0]/dv0[0]", "wrong"), (22, "dL/dW0[0][0]", "wrong"),
        (24, "dL/dy0[0]", "wrong"), (24, "dy0[0]/dv0[0]", "wrong"), (24, "dL/db0[0]", "consistent")]
    truth = {"L": EX["L"], "dL/dy0[0]": EX["dL/dy"], "dy0[0]/dv0[0]": EX["dy/dv"], "dL/dW0[0][0]": EX["dL/dw"],
             "dL/db0[0]": EX["dL/db"]}
    for finding in result.bad:
        if finding.kind == "quantity":
            assert finding.expected_value == pytest.approx(truth[finding.name], rel=1e-9)
            decimals = len(finding.written.partition(".")[2])
            assert finding.expected == f"{truth[finding.name]:.{decimals}f}"
    correct = {f.name for f in result.findings if f.kind == "quantity" and f.verdict == "correct"}
    assert {"x[0]", "W0[0][0]", "b0[0]", "y[0]", "v0[0]", "y0[0]", "dv0[0]/dW0[0][0]"} <= correct


def test_correct_example_has_no_finding_with_or_without_spec():
    for spec in (None, "single_neuron.toml"):
        result = lint_fixture("example1_correct.md", spec)
        assert result.bad == []
        assert len([f for f in result.findings if f.kind == "arithmetic"]) == 8
    result = lint_fixture("example1_correct.md", "single_neuron.toml")
    judged = [f.name for f in result.findings if f.kind == "quantity"]
    assert judged.count("dL/dy0[0]") == 3 and "dL/db0[0]" in judged and "L" in judged


def test_tutorial_222_with_symbol_table_is_correct_and_judged_quantity_by_quantity():
    result = lint_fixture("tutorial_222.md", "tutorial_222.toml")
    assert result.bad == []
    values = {f.name: f.written_value for f in result.findings if f.kind == "quantity" and f.name}
    h1 = sigmoid(0.15 * 0.05 + 0.20 * 0.10 + 0.35)
    h2 = sigmoid(0.25 * 0.05 + 0.30 * 0.10 + 0.35)
    o1 = sigmoid(0.40 * h1 + 0.45 * h2 + 0.60)
    o2 = sigmoid(0.50 * h1 + 0.55 * h2 + 0.60)
    hand = {"y0[0]": h1, "y0[1]": h2, "y1[0]": o1, "y1[1]": o2, "l[0]": 0.5 * (0.01 - o1) ** 2,
            "L": 0.5 * (0.01 - o1) ** 2 + 0.5 * (0.99 - o2) ** 2, "dy1[0]/dv1[0]": o1 * (1 - o1),
            "dL/dW1[0][0]": (o1 - 0.01) * o1 * (1 - o1) * h1}
    for name, value in hand.items():
        assert values[name] == pytest.approx(value, abs=6e-9), name
    assert len(values) == 27


def test_tutorial_mutation_of_the_gradient_is_found_with_the_right_value():
    text = (lint_fixture("tutorial_222.md").document.text).replace("= 0.082167041", "= 0.082176041")
    result = lint_fixture("tutorial_222.md", "tutorial_222.toml", text=text)
    assert bad(result) == [(43, "arithmetic", None, "wrong"), (43, "quantity", "dL/dW1[0][0]", "wrong")]
    h1 = sigmoid(0.3775)
    o1 = sigmoid(0.40 * h1 + 0.45 * sigmoid(0.3925) + 0.60)
    assert result.bad[1].expected == f"{(o1 - 0.01) * o1 * (1 - o1) * h1:.9f}" == "0.082167041"
    assert result.bad[0].expected_value == pytest.approx(0.74136507 * 0.186815602 * 0.593269992, abs=1e-15)


def test_beamer_align_deck():
    result = lint_fixture("example1_beamer.tex", "single_neuron.toml")
    assert bad(result) == [(16, "arithmetic", None, "wrong"), (17, "arithmetic", None, "consistent"),
                           (18, "quantity", "y0[0]", "wrong"), (29, "arithmetic", None, "wrong"),
                           (30, "quantity", "dL/dW0[0][0]", "wrong")]
    exponential, carried, output, product, gradient = result.bad
    assert exponential.expected == r"\frac{1}{1 + " + f"{math.exp(-0.32):.4f}" + "}"
    assert carried.expected_value == pytest.approx(1 / (1 + 0.7261), abs=1e-12)
    assert carried.written_value == pytest.approx(1 / (1 + 0.7621), abs=5e-5)
    assert output.expected == f"{EX['y']:.4f}" and output.written == "0.5675"
    assert product.expected == f"{-0.8414 * 0.2437 * 0.7:.4f}" == "-0.1435"
    assert gradient.expected == f"{EX['dL/dw']:.4f}"
    # the comment's and the verbatim block's math is never read
    assert all(result.document.position(f.offset)[0] not in (8, 32) for f in result.findings)


def test_ptbr_deck_with_decimal_commas():
    result = lint_fixture("example1_ptbr.md")
    assert result.decimal_comma
    assert bad(result) == [(8, "arithmetic", None, "wrong"), (12, "arithmetic", None, "wrong")]
    loss, product = result.bad
    assert (loss.expected, loss.written) == ("0,1770", "0,1192")
    assert (product.expected, product.written) == ("-0,10930", "-0,10905")
    checked = {f.subject: f.verdict for f in result.findings}
    assert checked[r"0,7 \cdot 0,1 + 0,25"] == "correct"
    assert checked[r"\sigma(0,32)"] == "correct"
    assert not any("max" in subject for subject in checked)
    with_spec = lint_fixture("example1_ptbr.md", "single_neuron.toml")
    given = {f.name: f.written_value for f in with_spec.findings if f.kind == "quantity"}
    assert given["x[0]"] == 0.7 and given["W0[0][0]"] == 0.1 and given["b0[0]"] == 0.25
    named = [(line, name, verdict) for line, kind, name, verdict in bad(with_spec) if kind == "quantity"]
    assert named == [(8, "L", "wrong"), (12, "dL/dy0[0]", "wrong"), (12, "dy0[0]/dv0[0]", "wrong"),
                     (12, "dL/dW0[0][0]", "wrong")]
    gradient = with_spec.bad[-1]
    assert (gradient.written, gradient.expected) == ("-0,10905", f"{EX['dL/dw']:.5f}".replace(".", ","))


def test_an_update_step_is_not_read_as_the_weight_itself():
    text = ("$$w_{00} := w_{00} - \\eta \\frac{\\partial L}{\\partial w_{00}} = 0.1 - 0.5 \\times (-0.1435) "
            "= 0.1718$$\n"
            "$$w_{00} \\leftarrow 0.1718$$ $$w_{00}' = 0.1718$$\n"
            "$$\\frac{\\partial v_0}{\\partial w_{00}} = x_0 = 0.7$$\n")
    result = lint_fixture("update.md", "single_neuron.toml", text=text)
    quantities = [(f.name, f.verdict) for f in result.findings if f.kind == "quantity"]
    assert quantities == [("dv0[0]/dW0[0][0]", "correct")]
    assert [(f.verdict, f.expected) for f in result.findings if f.kind == "arithmetic"] == [
        ("correct", f"{0.1 - 0.5 * -0.1435:.4f}")]


def test_a_spec_gives_symbolic_sides_their_values():
    text = ("$$\\frac{\\partial y_0}{\\partial v_0} = \\hat{y}(1 - \\hat{y}) = 0.6547(1 - 0.6547) = 0.2261$$\n"
            "$$(y - \\hat{y})^2 = 0.1192$$ $$g(v)(1 - g(v)) = 0.3$$ $$\\sigma(v_0) = 0.5793$$\n")
    result = lint_fixture("symbolic.md", "single_neuron.toml", text=text)
    symbolic = [(f.subject, f.verdict, f.expected) for f in result.findings if f.kind == "quantity" and not f.name]
    out = EX["y"]
    assert symbolic == [("\\hat{y}(1 - \\hat{y})", "wrong", f"{out * (1 - out):.5f}"),
                        ("(y - \\hat{y})^2", "wrong", f"{(1 - out) ** 2:.4f}"),
                        ("\\sigma(v_0)", "correct", "0.5793")]
    named = [(f.name, f.verdict) for f in result.findings if f.name]
    assert named == [("dy0[0]/dv0[0]", "wrong")]
    without_spec = lint_fixture("symbolic.md", text=text)
    assert [(f.verdict, f.expected) for f in without_spec.findings] == [("correct", "0.2261")]


def test_a_total_named_like_its_terms_is_still_judged():
    text = "$$E = E_{0} + E_{1} = 0.1770$$\n"
    result = lint_fixture("total.md", "single_neuron.toml", text=text)
    assert [(f.name, f.verdict) for f in result.findings if f.name] == [("L", "correct")]
