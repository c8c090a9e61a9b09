"""A run never leaves an earlier run's output beside its own: a PDF or Moodle file that no longer matches."""
import json

from symbackprop.cli import main


def test_slides_without_pdf_remove_the_pdf_of_an_earlier_tex(tmp_path, capsys):
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.5 old")
    assert main(["slides", "-o", str(tmp_path)]) == 0
    assert not (tmp_path / "slides.pdf").exists()
    assert "\\begin{document}" in (tmp_path / "slides.tex").read_text()
    assert f"removed {tmp_path / 'slides.pdf'} (made from an earlier .tex)" in capsys.readouterr().out


def test_exam_without_moodle_or_pdf_removes_their_earlier_files(tmp_path, capsys):
    assert main(["exam", "--variants", "2", "--seed", "3", "-o", str(tmp_path), "--moodle"]) == 0
    assert (tmp_path / "moodle.xml").exists()
    (tmp_path / "key.pdf").write_bytes(b"%PDF-1.5 old")
    capsys.readouterr()
    assert main(["exam", "--variants", "3", "--seed", "4", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert not (tmp_path / "moodle.xml").exists() and not (tmp_path / "key.pdf").exists()
    assert "removed" in out and "moodle.xml" in out and "key.pdf" in out
    assert len(json.loads((tmp_path / "manifest.json").read_text())["variants"]) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exam.tex", "key.tex", "manifest.json"]
