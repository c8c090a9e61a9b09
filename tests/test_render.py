"""The Jinja environment: filters (table tests), --template-dir overrides, strict undefined, errors."""
import pytest

from symbackprop.cli import main
from symbackprop.errors import DocumentError
from symbackprop.notation.catalogue import fill
from symbackprop.notation.numbers_in_math import NumberFormat
from symbackprop.documents.templating import builtin_template_dir, escape_latex, factor, num, render, setting

ESCAPES = [
    ("plain text", "plain text"),
    ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"),
    ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}"), ("\\", r"\textbackslash{}"),
    ("A & B: 50% of $x_1 {#2} ~ y^2 \\", r"A \& B: 50\% of \$x\_1 \{\#2\} \textasciitilde{} y\textasciicircum{}2 \textbackslash{}"),
    ("Redes neurais – ação", "Redes neurais – ação"),
]
NUMBERS = [
    (0.19, None, "0.1900"),
    (-0.2307, None, "-0.2307"),
    (-0.00001, None, "0.0000"),
    (1.0, None, "1.0000"),
    (0.5793, NumberFormat(2), "0.58"),
    (0.1900, NumberFormat(4, True), "0{,}1900"),
    (-1.5, NumberFormat(1, True), "-1{,}5"),
]
FACTORS = [
    (0.5, None, "0.5000"),
    (-0.2307, None, "(-0.2307)"),
    (-0.2307, NumberFormat(4, True), "(-0{,}2307)"),
    (-0.00001, None, "0.0000"),
]


@pytest.mark.parametrize("text, expected", ESCAPES)
def test_escape_latex(text, expected):
    assert escape_latex(text) == expected


@pytest.mark.parametrize("value, fmt, expected", NUMBERS)
def test_num(value, fmt, expected):
    assert num(value, fmt) == expected


@pytest.mark.parametrize("value, fmt, expected", FACTORS)
def test_factor(value, fmt, expected):
    assert factor(value, fmt) == expected


@pytest.mark.parametrize("value, fmt, expected", [
    (0.5, None, "0.5"), (0.05, NumberFormat(decimal_comma=True), "0{,}05"), (1.0, None, "1"), (0.125, None, "0.125"),
    (1e-05, None, "0.00001"),
])
def test_setting_as_the_spec_writes_it(value, fmt, expected):
    assert setting(value, fmt) == expected


@pytest.mark.parametrize("message, values, expected", [
    ("N = ((N))", {"N": 2}, "N = 2"),
    ("((a)) and ((b))", {"a": "x", "b": 1}, "x and 1"),
    ("no placeholder", {"a": 1}, "no placeholder"),
])
def test_fill(message, values, expected):
    assert fill(message, **values) == expected


def test_filters_in_templates_read_the_context_format(tmp_path):
    (tmp_path / "t.tex.j2").write_text("((( x | num ))) ((( y | factor ))) ((( s | escape_latex )))")
    out = render("t.tex.j2", {"x": 0.5, "y": -0.25, "s": "a_b", "fmt": NumberFormat(2, True)}, tmp_path)
    assert out == r"0{,}50 (-0{,}25) a\_b"


def test_delimiters_leave_tex_braces_alone(tmp_path):
    (tmp_path / "t.tex.j2").write_text(r"((= a comment =))\frac{1}{((( n )))}((* if n *)) {yes}((* endif *))")
    assert render("t.tex.j2", {"n": 2}, tmp_path) == r"\frac{1}{2} {yes}"


def test_missing_variable_fails_loudly(tmp_path):
    (tmp_path / "t.tex.j2").write_text("((( nothing )))")
    with pytest.raises(DocumentError, match="nothing"):
        render("t.tex.j2", {}, tmp_path)


def test_missing_template_names_the_folders(tmp_path):
    with pytest.raises(DocumentError, match="not found"):
        render("no_such.tex.j2", {}, tmp_path)


def test_template_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "bad.tex.j2").write_text("line one\n((* if *))\n")
    with pytest.raises(DocumentError, match=r"bad.tex.j2:2"):
        render("bad.tex.j2", {}, tmp_path)


def test_builtin_templates_are_found():
    assert (builtin_template_dir() / "base.tex.j2").exists()


def test_template_dir_overrides_one_template(tmp_path):
    overrides = tmp_path / "mine"
    overrides.mkdir()
    (overrides / "diagram.tex.j2").write_text("% MY OWN DIAGRAM\n")
    out = tmp_path / "out"
    assert main(["slides", "--template-dir", str(overrides), "-o", str(out)]) == 0
    text = (out / "slides.tex").read_text()
    assert "% MY OWN DIAGRAM" in text and r"\begin{tikzpicture}" not in text.split("MY OWN DIAGRAM")[0][-200:]
    assert r"\section{Forward pass}" in text  # everything else is the built-in deck


def test_template_dir_block_override(tmp_path):
    overrides = tmp_path / "mine"
    overrides.mkdir()
    (overrides / "slides.tex.j2").write_text(
        "((* extends 'base.tex.j2' *))((* block docclass *))\\documentclass{beamer}\n\\usetheme{Madrid}\n"
        "((* endblock *))((* block body *))((* include 'slides_body.tex.j2' *))((* endblock *))")
    assert main(["slides", "--template-dir", str(overrides), "-o", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "slides.tex").read_text()
    assert "\\usetheme{Madrid}" in text and "Network architecture" in text


def test_template_dir_must_exist(tmp_path, capsys):
    assert main(["slides", "--template-dir", str(tmp_path / "nope"), "-o", str(tmp_path)]) == 2
    assert "--template-dir: " in (err := capsys.readouterr().err) and "not a folder" in err


def test_user_text_is_escaped_math_is_not(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text('title = "Nasty & % $ # _ { } ~ ^ \\\\ title"\nauthor = "A_B"\n'
                    '[network]\nlayers = [1, 1]\nactivations = "sigmoid"\nloss = "mse"\n')
    assert main(["slides", str(spec), "-o", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "slides.tex").read_text()
    assert r"\title{Nasty \& \% \$ \# \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{} title}" in text
    assert r"\author{A\_B}" in text
    assert r"w^{0}_{0,0}" in text  # math from the printer, unescaped
