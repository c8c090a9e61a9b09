"""Golden .tex files: slides, slides body and handouts of each case in each language, byte for byte.

Regenerate after an intended change with:  python -m pytest tests/test_documents_golden.py --update-golden
"""
from pathlib import Path

import pytest

from symbackprop.cli import main

GOLDEN = Path(__file__).parent / "golden"
CASES = ["course_232", "single_neuron", "relu_3layer"]
LANGUAGES = ["en", "pt-BR"]
DOCUMENTS = {  # command line (after the spec) -> files it writes
    "slides": (["slides"], ["slides.tex", "slides_body.tex"]),
    "handout": (["handout"], ["handout.tex"]),
    "solutions": (["handout", "--solutions"], ["handout_solutions.tex"]),
}


@pytest.mark.parametrize("document", list(DOCUMENTS))
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", CASES)
def test_golden(case, lang, document, tmp_path, update_golden, capsys):
    command, files = DOCUMENTS[document]
    spec = GOLDEN / case / "spec.toml"
    assert main([command[0], str(spec), *command[1:], "--lang", lang, "-o", str(tmp_path)]) == 0
    for name in files:
        produced = (tmp_path / name).read_text(encoding="utf-8")
        expected = GOLDEN / case / lang / name
        if update_golden:
            expected.parent.mkdir(parents=True, exist_ok=True)
            expected.write_text(produced, encoding="utf-8")
            continue
        assert expected.exists(), f"{expected} missing: run pytest --update-golden"
        assert produced == expected.read_text(encoding="utf-8"), (
            f"{case}/{lang}/{name} differs from the golden file; if intended, rerun with --update-golden")


def test_same_input_same_bytes(tmp_path):
    for run in ("a", "b"):
        assert main(["slides", "-o", str(tmp_path / run)]) == 0
    assert (tmp_path / "a" / "slides.tex").read_bytes() == (tmp_path / "b" / "slides.tex").read_bytes()


def test_golden_specs_are_the_examples():
    examples = Path(__file__).parent.parent / "examples"
    for case in CASES:
        assert (GOLDEN / case / "spec.toml").read_text() == (examples / f"{case}.toml").read_text()


def test_course_232_is_the_default(tmp_path):
    assert main(["slides", "-o", str(tmp_path / "default")]) == 0
    assert main(["slides", str(GOLDEN / "course_232" / "spec.toml"), "-o", str(tmp_path / "case")]) == 0
    assert (tmp_path / "default" / "slides.tex").read_text() == (tmp_path / "case" / "slides.tex").read_text()


def test_slides_contain_the_body(tmp_path):
    assert main(["slides", "-o", str(tmp_path)]) == 0
    body = (tmp_path / "slides_body.tex").read_text()
    assert body.strip() in (tmp_path / "slides.tex").read_text()
    assert r"\documentclass" not in body and r"\begin{document}" not in body
