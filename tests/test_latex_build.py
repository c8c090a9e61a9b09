"""The latexmk runner: first error with its line, the .tex kept, the install hint, no half-written files."""
import shutil

import pytest

from symbackprop.documents import latexmk
from symbackprop.cli import main
from symbackprop.files.writing import write_atomic

LOG = r"""This is pdfTeX, Version 3.141592653
(./slides.tex
! Undefined control sequence.
l.42 \undefinedcommand
                      
! Emergency stop.
"""


RECENTLY_READ = r"""! Undefined control sequence.
<recently read> \undefinedcommand 
                                  
l.31 \end{frame}
"""


def test_first_error_with_its_line():
    assert latexmk.first_error(LOG) == r"Undefined control sequence. (line 42: \undefinedcommand)"


def test_first_error_inside_a_frame_names_the_token():
    assert (latexmk.first_error(RECENTLY_READ)
            == r"Undefined control sequence. (line 31: \end{frame}; after \undefinedcommand)")


def test_first_error_without_line():
    assert latexmk.first_error("! LaTeX Error: File `x.sty' not found.\n") == "LaTeX Error: File `x.sty' not found."


def test_no_error_in_log():
    assert "without a TeX error" in latexmk.first_error("nothing here")


def test_missing_tex_gives_one_install_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    assert main(["slides", "--pdf", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert ("apt-get install texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures "
            "texlive-fonts-recommended texlive-lang-portuguese latexmk") in err
    assert not (tmp_path / "out").exists()  # nothing written before the check


def test_write_atomic_leaves_no_temporary(tmp_path):
    path = write_atomic(tmp_path / "a" / "f.tex", "text\n")
    assert path.read_text() == "text\n"
    assert [p.name for p in path.parent.iterdir()] == ["f.tex"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "f.tex"
    target.write_text("old")

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # not text: the write fails midway
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.tex"]


def test_render_failure_writes_nothing(tmp_path):
    overrides = tmp_path / "mine"
    overrides.mkdir()
    (overrides / "slides_body.tex.j2").write_text("((( no_such_variable )))")
    assert main(["slides", "--template-dir", str(overrides), "-o", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.tex
def test_latex_failure_keeps_tex_and_reports_first_error(tmp_path, capsys):
    overrides = tmp_path / "mine"
    overrides.mkdir()
    (overrides / "slides_body.tex.j2").write_text("\\begin{frame}{Broken}\n\\undefinedcommand\n\\end{frame}\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "slides.pdf").write_bytes(b"%PDF-1.5 from an earlier, different slides.tex")
    assert main(["slides", "--template-dir", str(overrides), "-o", str(out), "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "Undefined control sequence" in err and "(line " in err and "\\undefinedcommand" in err
    assert (out / "slides.tex").exists()
    assert not (out / "slides.pdf").exists()
    assert sorted(p.name for p in out.iterdir()) == ["slides.log", "slides.tex", "slides_body.tex"]
