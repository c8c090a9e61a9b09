"""Arithmetic at printed precision: what the left side's numbers give as printed, or unrounded."""
import math

import pytest

from symbackprop.lint.linter import lint_text


def _verdicts(text: str) -> list[tuple[str, str, str]]:
    return [(f.verdict, f.expected, f.written) for f in lint_text(text, "doc.md").findings]


@pytest.mark.parametrize("text, verdicts", [
    # 0.10 is e^{-2.3} rounded: unrounded, 3 × 0.100259 = 0.3008; as printed, 3 × 0.10 = 0.30: 0.31 is neither
    ("$e^{-2.3} \\approx 0.10$ and $3 \\times 0.10 = 0.31$", [("correct", "0.10", "0.10"),
                                                             ("wrong", "0.30", "0.31")]),
    ("$e^{-2.3} \\approx 0.1003$ and $3 \\times 0.1003 = 0.3008$", [("correct", "0.1003", "0.1003"),
                                                                   ("correct", "0.3008", "0.3008")]),
    # as printed 3 × 0.1003 = 0.3009 is right too; 0.3010 is neither
    ("$e^{-2.3} \\approx 0.1003$ and $3 \\times 0.1003 = 0.3009$", [("correct", "0.1003", "0.1003"),
                                                                   ("correct", "0.3009", "0.3009")]),
    ("$e^{-2.3} \\approx 0.1003$ and $3 \\times 0.1003 = 0.3010$", [("correct", "0.1003", "0.1003"),
                                                                   ("wrong", "0.3009", "0.3010")]),
    ("$3 \\times 0.10 = 0.31$", [("wrong", "0.30", "0.31")]),
    # 0.7408's unrounded value is never given: it carries its rounding, ±0.00005 + 2 × ±0.00005 = 0.00015
    ("$2 \\times 0.7408 = 1.4817$", [("correct", "1.4817", "1.4817")]),
    ("$2 \\times 0.7408 = 1.4819$", [("wrong", "1.4816", "1.4819")]),
    # given as e^{-0.3} rounded, it is 0.740818: 2 × 0.740818 = 1.481636, so 1.4817 is neither that nor 1.4816
    ("$e^{-0.3} = 0.7408$ and $2 \\times 0.7408 = 1.4817$", [("correct", "0.7408", "0.7408"),
                                                           ("wrong", "1.4816", "1.4817")]),
    # (1 - 0.5793)^2 = 0.17698849
    ("$(1 - 0.5793)^2 = 0.1770$", [("correct", "0.1770", "0.1770")]),
    ("$(1 - 0.5793)^2 = 0.1771$", [("wrong", "0.1770", "0.1771")]),
    ("$e^{-0.32} \\approx 0.7621$", [("wrong", f"{math.exp(-0.32):.4f}", "0.7621")]),
    ("$\\exp(1) = 2.718$, $\\ln 2 = 0.6931$, $\\sqrt{2} = 1.414$, $\\log(10) = 2.303$, $6 / 4 = 1.5$",
     [("correct", "2.718", "2.718"), ("correct", "0.6931", "0.6931"), ("correct", "1.414", "1.414"),
      ("correct", "2.303", "2.303"), ("correct", "1.5", "1.5")]),
])
def test_tolerance_rule(text, verdicts):
    assert _verdicts(text) == verdicts


@pytest.mark.parametrize("text", [
    "$g(v)(1 - g(v)) = 0.2437$", "$\\frac{1}{N}(y - \\hat{y})^2 = 0.1770$", "$\\ln(0) = 1$", "$1/0 = 2$",
    "$10^{400} = 1$", "$(-8)^{0.5} = 2$", "$\\max(0, 0.3) = 0.5$", "$50\\% = 0.4$", "$a = b$", "$0.5 =$",
])
def test_symbolic_or_undefined_sides_are_skipped(text):
    assert lint_text(text, "doc.md").findings == ()


def test_a_wrong_right_side_expression_is_fixed_at_its_one_wrong_number():
    result = lint_text("$$\\frac{1}{1 + e^{-0.32}} = \\frac{1}{1 + 0.7621}$$", "doc.md")
    (finding,) = result.findings
    assert finding.verdict == "wrong"
    assert finding.fix.text == f"{math.exp(-0.32):.4f}" == "0.7261"
    assert finding.expected == "\\frac{1}{1 + 0.7261}"
    assert finding.expected_value == pytest.approx(1 / (1 + math.exp(-0.32)), abs=1e-15)


def test_fix_keeps_decimal_comma_and_minus_sign():
    result = lint_text("$$0,5 \\cdot (-0,3) = −0,16$$ e $$1{,}5 \\cdot 2 = 3{,}5$$", "doc.md")
    assert [(f.verdict, f.fix.text) for f in result.findings] == [("wrong", "−0,15"), ("wrong", "3{,}0")]


def test_a_written_symbol_never_takes_a_numbers_value():
    assert lint_text("$${x_{0}} = 0.5 = {x_{0}}$$ $$x_0 + 0.5 = 0.5$$", "doc.md").findings == ()
