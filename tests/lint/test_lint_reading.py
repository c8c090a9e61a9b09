"""Reading documents: math found with its place, code and comments skipped, equations split, numbers read."""
import pytest

from symbackprop.lint.equations import equations, uses_decimal_comma
from symbackprop.lint.linter import lint_text
from symbackprop.lint.sources import Document, guess_format


def _sides(text: str, fmt: str = "markdown") -> list[list[str]]:
    document = Document(text, fmt)
    spans = document.spans()
    return [[side.text for side in e.sides] for e in equations(document, spans, uses_decimal_comma(document, spans))]


def _math(text: str, fmt: str = "markdown") -> list[str]:
    document = Document(text, fmt)
    return [text[span.start:span.end] for span in document.spans()]


@pytest.mark.parametrize("text, found", [
    ("a $x = 1$ b $$y = 2$$ c", ["x = 1", "y = 2"]),
    ("price $5 and $10 today", []),
    ("one $ lone dollar", []),
    ("$a = 1\n\nb = 2$", []),
    ("```\n$1 + 1 = 3$\n```\n$2 = 2$", ["2 = 2"]),
    ("~~~~ python\n$1 = 3$\n~~~\n~~~~\n$2 = 2$", ["2 = 2"]),
    ("`$1 = 3$` and ``code ` $1 = 3$`` and $4 = 4$", ["4 = 4"]),
    ("text <!-- $1 = 3$ --> $4 = 4$", ["4 = 4"]),
    ("<!-- $1 = 3$ -->\n\n$4 = 4$", ["4 = 4"]),
    ("[link](http://a.b/$1=3$) ![i](p_$1=3$.png) <https://x.y/$1=3$> $4 = 4$", ["4 = 4"]),
    (r"costs \$5 and \$6, $7 = 7$", ["7 = 7"]),
    (r"\(a = 1\) and \[b = 2\]", ["a = 1", "b = 2"]),
])
def test_markdown_math(text, found):
    assert _math(text) == found


def test_latex_math_comments_and_verbatim():
    text = ("% $1 = 3$\n100\\% $a = 1$ \\verb|$1 = 3$| \\begin{verbatim}\n$1 = 3$\n\\end{verbatim}\n"
            "\\begin{align*}b &= 2\\end{align*} \\begin{equation}c = 3\\end{equation} $d$ = $e$")
    assert _math(text, "latex") == ["a = 1", "b &= 2", "c = 3", "d", "e"]


def test_format_from_name_or_content():
    assert guess_format("deck.tex", "") == "latex" and guess_format("notes.md", "\\documentclass") == "markdown"
    assert guess_format("deck", "\\documentclass{beamer}") == "latex" and guess_format("notes", "# T") == "markdown"


def test_positions_are_one_based_lines_and_columns():
    document = Document("ab\ncd $x$\n", "markdown")
    assert document.position(0) == (1, 1) and document.position(4) == (2, 2)
    assert document.position(document.spans()[0].start) == (2, 5)


@pytest.mark.parametrize("text, sides", [
    ("$$a = 1 = 2 \\approx 3$$", [["a", "1", "2", "3"]]),
    ("$x_0 = 0.7,\\ w = 0.1$", [["x_0", "0.7"], ["w", "0.1"]]),
    ("$x = 1 \\quad y = 2$", [["x", "1"], ["y", "2"]]),
    ("$x = 1 \\text{ and } y = 2$", [["x", "1"], ["y", "2"]]),
    ("$a = 1 \\Rightarrow b = 2 < 3$", [["a", "1"], ["b", "2"]]),
    ("$f(a, b) = 1$", [["f(a, b)", "1"]]),
    ("\\begin{align}a &= 1 + 2 \\label{x}\\\\ &= 3 \\nonumber\\\\ b &= 4\\end{align}", [["a", "1 + 2", "3"],
                                                                                      ["b", "4"]]),
    ("$$\\begin{aligned} a &= 1 \\\\ &= 2 \\end{aligned}$$", [["a", "1", "2"]]),
    ("$$M = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} = N$$",
     [["M", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "N"]]),
    ("$= 1$ and $a = $", []),
])
def test_equations_split(text, sides):
    fmt = "latex" if text.startswith("\\begin{align}") else "markdown"
    assert _sides(text, fmt) == sides


def test_decimal_comma_rule():
    # a comma between digits is a decimal comma when the document writes more numbers that way; a comma
    # followed by a space, or any comma in a decimal-point document, separates
    text = "$x = 0,7$ $[0,1, 0,2]$ $f(a, b) = 0{,}5$ $y = 1,5 + 1,5 = 3$"
    result = lint_text(text, "doc.md")
    assert result.decimal_comma
    numbers = [n.value for e in result.equations for s in e.sides for n in s.numbers]
    assert numbers == [0.7, 0.5, 1.5, 1.5, 3.0]
    assert [f.verdict for f in result.findings] == ["correct"]
    point = lint_text("$x = 0.5$ $y = 0.25$ $f(1,2) = 3$", "doc.md")
    assert not point.decimal_comma
    assert [[n.value for n in s.numbers] for s in point.equations[2].sides] == [[1.0, 2.0], [3.0]]


def test_numbers_signs_subscripts_and_frac_digits():
    result = lint_text(r"$$w^{0}_{12} x_3 + W0 = -0.5 \times -2 - 1 = \frac12 − 0.5 = y_{10}$$", "doc.md")
    sides = result.equations[0].sides
    assert [n.text for n in sides[0].numbers] == []  # the layer superscript before a subscript, subscripts and W0 are names
    assert [(n.text, n.value) for n in sides[1].numbers] == [("-0.5", -0.5), ("-2", -2.0), ("1", 1.0)]
    assert [(n.text, n.value) for n in sides[2].numbers] == [("1", 1.0), ("2", 2.0), ("0.5", 0.5)]
    assert sides[3].numbers == ()
    assert [f.verdict for f in result.findings] == ["correct"]


def test_written_keeps_decimals_mark_and_minus():
    result = lint_text("$$a = −0{,}50 = 0,25 + 1,0$$", "doc.md")
    first = result.equations[0].sides[1].numbers[0]
    assert (first.text, first.value, first.decimals, first.mark, first.minus) == ("−0{,}50", -0.5, 2, "{,}", "−")
    assert first.written(-1.254) == "−1{,}25" and first.written(0.004) == "0{,}00" and first.written(2) == "2{,}00"


@pytest.mark.parametrize("text", [
    "# Aula\n\nSó prosa, sem contas. Custa $5.\n\n- item\n- outro\n",
    "$\\frac{1}{$ and $$(1 - 0.5 = $$ and $$= = =$$ and $$\\left( 0.5 = 0.5$$",
    "$x = 1 and $$y = 2 and \\(z = 3 and \\begin{align} a &= 1",
    "$$\\frac{1}{0} = 1$$ $$0.5^{1000} = 0$$ $$\\sqrt{-1} = 1$$ $$\\ln(-1) = 0$$ $$e^{1000} = 1$$",
    "\\begin{equation} 1 = 2 \\end{align} $1 +$ $$+ = -$$",
])
def test_no_math_broken_math_and_unbalanced_dollars_give_no_finding(text):
    for name in ("doc.md", "doc.tex"):
        result = lint_text(text, name)
        assert result.bad == [], (name, [(f.subject, f.written) for f in result.bad])


def test_unbalanced_dollar_does_not_swallow_the_math_after_it():
    result = lint_text("Preço: $5 por aluno.\n\n$$(1 - 0.5793)^2 = 0.1192$$\n", "doc.md")
    assert [(f.verdict, f.expected) for f in result.findings] == [("wrong", "0.1770")]


def test_thin_spaces_between_thousands():
    result = lint_text("$$1\\,000 \\times 0.5 = 500$$ $$12\\,345{,}5 = 12\\,345{,}5$$ $$2\\,3 = 6$$", "doc.md")
    values = [[n.value for n in side.numbers] for e in result.equations for side in e.sides]
    assert values == [[1000.0, 0.5], [500.0], [12345.5], [12345.5], [2.0, 3.0], [6.0]]
    assert [f.verdict for f in result.findings] == ["correct", "correct", "correct"]
