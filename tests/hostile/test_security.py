"""Files planted in an output folder are never read by TeX or latexmk; templates run sandboxed; Moodle text
cannot open a cloze gap; a closed pipe ends quietly; user text with Unicode builds or is refused by name."""
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from symbackprop.cli import main
from symbackprop.documents.templating import escape_latex
from symbackprop.errors import DocumentError
from symbackprop.files.writing import clean_leftovers
from symbackprop.model.spec import parse_spec
from tests.hostile.corpus import DEFAULT, TITLE, spec

ROOT = Path(__file__).resolve().parents[2]
PLANTED_RC = 'system("touch {marker}"); $pdflatex = "touch {marker}; pdflatex %O %S";\n'
PLANTED_CLASS = "\\immediate\\write18{{touch {marker}}}\\errmessage{{planted class file was read}}\n"


@pytest.mark.tex
@pytest.mark.parametrize("command", ["slides", "handout"])
def test_a_planted_latexmkrc_or_class_file_is_never_read(command, tmp_path):
    out, marker = tmp_path / "out", tmp_path / "MARKER"
    out.mkdir()
    for name in ("latexmkrc", ".latexmkrc"):
        (out / name).write_text(PLANTED_RC.format(marker=marker))
    for name in ("article.cls", "beamer.cls", "amsmath.sty"):
        (out / name).write_text(PLANTED_CLASS.format(marker=marker))
    assert main([command, "--pdf", "-o", str(out)]) == 0
    assert not marker.exists()
    assert (out / f"{command}.pdf").read_bytes().startswith(b"%PDF")


def test_user_templates_keep_the_filters_in_the_sandbox(tmp_path, capsys):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "slides.tex.j2").write_text(
        '((* extends "base.tex.j2" *))((* block body *))[((( "50% & $x_1$" | escape_latex )))] '
        '[((( 0.123456 | num )))] [((( -2.5 | factor )))] [((( meta.title | escape_latex )))]((* endblock *))')
    assert main(["slides", "-o", str(tmp_path / "out"), "--template-dir", str(templates)]) == 0
    body = (tmp_path / "out" / "slides.tex").read_text()
    assert (r"[50\% \& \$x\_1\$] [0.1235] [(-2.5000)] [Backpropagation: the 2-3-2 network]\end{document}"
            in body)


def test_a_cloze_title_adds_no_gap_to_moodle(tmp_path):
    (tmp_path / "spec.toml").write_text(spec((TITLE, 'title = "Quiz {1:NUMERICAL:=42} #2 ~x = y"')))
    assert main(["exam", str(tmp_path / "spec.toml"), "--seed", "1", "--variants", "2", "--moodle",
                 "-o", str(tmp_path / "out")]) == 0
    xml = (tmp_path / "out" / "moodle.xml").read_text()
    texts = re.findall(r"<questiontext format=\"html\">\s*<text>(.*?)</text>", xml, re.S)
    assert len(texts) == 2
    for text in texts:
        assert len(re.findall(r"\{\d+:NUMERICAL:", text)) == 6  # the six default questions, nothing more
        assert "Quiz &amp;#123;1:NUMERICAL:&amp;#61;42&amp;#125; &amp;#35;2 &amp;#126;x &amp;#61; y" in text


def test_a_closed_pipe_ends_quietly(tmp_path):
    spec_path = tmp_path / "wide.toml"  # about 150 KB of JSON: more than a pipe holds, so a write must fail
    spec_path.write_text('[network]\nlayers = [2, 100, 2]\nactivations = "sigmoid"\nloss = "mse"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "symbackprop", "derive", str(spec_path), "--json"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline() == b"{\n"
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert stderr == b""


@pytest.mark.parametrize("text,latex", [
    ("Δw", r"\ensuremath{\Delta}w"),
    ("ŷ", "ŷ"),
    ("y\u0302", "ŷ"),  # decomposed: normalized to the one character
    ("x\u0302", r"\^{x}"),
    ("a → b ≤ c", r"a → b \ensuremath{\leq} c"),
    ("α ∈ ℝ", r"\ensuremath{\alpha} \ensuremath{\in} \ensuremath{\mathbb{R}}"),
    ("São Paulo — “ok” ½ €", "São Paulo — “ok” ½ €"),
    ("100% & #1", r"100\% \& \#1"),
])
def test_unicode_text_maps_to_latex(text, latex):
    assert escape_latex(text) == latex


@pytest.mark.parametrize("char,code", [("\U0001F680", "U+1F680"), ("Ж", "U+0416"), ("中", "U+4E2D")])
def test_characters_without_glyphs_are_refused_by_name(char, code):
    with pytest.raises(DocumentError, match=re.escape(code)):
        escape_latex(f"title {char}")


def test_line_breaks_and_tabs_in_text_become_single_spaces():
    text = DEFAULT.replace(TITLE, 'title = """First\n\n\tSecond"""')
    assert parse_spec(text).title == "First Second"


@pytest.mark.tex
def test_unicode_and_a_blank_line_in_the_title_build(tmp_path):
    text = spec((TITLE, 'title = """Δw, ŷ → y, α ≤ 1\n\nSão Paulo"""\nauthor = "Ana Γ"\ncourse = "∂L/∂w"'))
    (tmp_path / "spec.toml").write_text(text)
    assert main(["slides", str(tmp_path / "spec.toml"), "--pdf", "-o", str(tmp_path / "out")]) == 0
    shown = subprocess.run(["pdftotext", "-l", "1", str(tmp_path / "out" / "slides.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    shown = unicodedata.normalize("NFC", shown)  # pdftotext may give ŷ as y + a combining circumflex
    assert "w, ŷ → y, α ≤ 1 São Paulo" in shown and "Ana Γ" in shown and "∂L/∂w" in shown
    assert "\u0394w," in shown or "\u2206w," in shown  # the font's Delta reads back as GREEK DELTA or INCREMENT


def test_leftovers_of_a_live_process_are_kept(tmp_path):
    live = tmp_path / f".slides-build-{os.getpid()}-abc"
    dead = tmp_path / ".slides-build-999999999-abc"
    partial = tmp_path / ".exam.tex.999999999.x1y2.tmp"
    for folder in (live, dead):
        folder.mkdir()
    partial.write_text("half")
    assert sorted(clean_leftovers(tmp_path)) == sorted([dead, partial])
    assert live.is_dir() and not dead.exists() and not partial.exists()


def test_a_tex_error_whose_context_line_is_empty_is_reported_in_one_line():
    from symbackprop.documents.latexmk import first_error

    log = ("! Paragraph ended before \\title was complete.\n<to be read again> \n"
           "                   \\par \nl.12 \n")
    assert first_error(log) == "Paragraph ended before \\title was complete. (line 12; after \\par)"


def test_an_error_line_stays_one_line_whatever_the_input_echoes(tmp_path, capsys):
    (tmp_path / "spec.toml").write_text(DEFAULT + '\n[exam.draw]\n"a\\u0085b\\u2028c\\u000bd" = 0\n')
    assert main(["derive", str(tmp_path / "spec.toml")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "unknown key 'exam.draw.a b c d'" in err
