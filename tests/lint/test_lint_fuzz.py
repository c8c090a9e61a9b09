"""Random documents never make lint raise: prose, code, comments, links, unbalanced $, broken math, Portuguese."""
from hypothesis import HealthCheck, given, settings, strategies as st

from symbackprop.lint.linter import lint_text
from symbackprop.lint.quantities import QuantityJudge, load_lint_spec
from symbackprop.lint.report import as_json, chosen_fixes, fixed_text, render_text
from tests.lint.helpers import FIXTURES

PIECES = ["$", "$$", "\\(", "\\)", "\\[", "\\]", "=", "\\approx", "≈", "0.5", "0,5", "0{,}5", "-", "−", "1", "2",
          "0.7261", "\\frac{", "\\frac12", "}", "{", "(", ")", "[", "]", "^", "_", "e", "x_0", "w_{00}",
          "\\hat{y}", "\\times", "\\cdot", "×", "\\\\", "&", "\n", "\n\n", "```", "`", "<!--", "-->", "%",
          "\\begin{align}", "\\end{align}", "\\begin{aligned}", "\\begin{cases}", "\\end{cases}", "ação", " ",
          "\\text{", "\\partial", "L", ",", ";", "](", "<https:", ">", "\\verb|", "|", "\\begin{verbatim}",
          "\\end{verbatim}", "99999999999999999999", "1e5", "\\sqrt{", "\\ln", "\\exp", "0.", ".5", "/", "*",
          "\\left(", "\\right)", "E_{total}", "\\sigma", "10^{400}", "(0.5)^{999}", "\\max", "\\label{x}",
          "- lista", "[link](http://a)", "![img](b.png)", "\\$", "\\", "\\quad", "\\leq", "+", "0"]
DOCUMENTS = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
SINGLE = QuantityJudge(*load_lint_spec(FIXTURES / "single_neuron.toml"))
TUTORIAL = QuantityJudge(*load_lint_spec(FIXTURES / "tutorial_222.toml"))


def _check(text: str, name: str, judge) -> None:
    result = lint_text(text, name, quantities=judge)
    render_text(result, name, "pt-BR")
    as_json(result)
    fixes = chosen_fixes(result.findings)
    fixed = fixed_text(text, fixes)
    kept = 0
    for fix in fixes:
        assert 0 <= fix.start < fix.end <= len(text)
        kept += fix.end - fix.start
    assert len(fixed) == len(text) - kept + sum(len(fix.text) for fix in fixes)
    for finding in result.findings:
        line, col = result.document.position(finding.offset)
        assert 1 <= line <= text.count("\n") + 1 and col >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_random_markdown_never_raises(text):
    _check(text, "doc.md", SINGLE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_random_latex_never_raises(text):
    _check(text, "doc.tex", TUTORIAL)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_unicode_never_raises(text):
    _check(text, "doc.md", None)
    _check("$" + text + "$", "doc.tex", SINGLE)
