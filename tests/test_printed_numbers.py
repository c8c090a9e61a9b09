"""Printed numbers: every arithmetic line of every generated document reproduces from its printed operands,
`symbackprop lint` finds nothing wrong and reads the lines, and numbers print as a lecturer writes them."""
import json
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from symbackprop.cli import main
from symbackprop.documents.worked_steps import solution_steps
from symbackprop.exams.config import parse_exam
from symbackprop.exams.content import ExamContent
from symbackprop.exams.variants import Drawer
from symbackprop.model.spec import load_spec
from symbackprop.notation.derivation_tex import derive
from symbackprop.numeric.values import quantity_values
from tests import reference
from tests.printed_arithmetic import claims, filled_chains

EXAMPLES = Path(__file__).parent.parent / "examples"
WITH_VALUES = [None] + sorted(p.name for p in EXAMPLES.glob("*.toml")
                              if not p.name.startswith("claims_") and "[values]" in p.read_text())
EXAM_SPECS = [None, "exam_relu.toml"] + [name for name in WITH_VALUES if name]


def _spec_args(name):
    return [str(EXAMPLES / name)] if name else []


def _documents(tmp_path, command, name, lang, *extra):
    folder = tmp_path / f"{command}-{name or 'default'}-{lang}"
    args = [command, *_spec_args(name), "-o", str(folder), "--lang", lang, *extra]
    assert main(args) == 0
    return sorted(folder.glob("*.tex"))


def _lint(path, capsys):
    capsys.readouterr()
    main(["lint", str(path), "--json"])
    return json.loads(capsys.readouterr().out)


def _in_speaker_note(text: str, line: int) -> bool:
    """Whether a line lies in a beamer \\note{...} (the exercises' answers: other values than the example's)."""
    lines = text.splitlines()
    start = max((n for n in range(line) if lines[n].startswith("\\note{")), default=None)
    return start is not None and all(lines[n].strip() != "\\end{frame}" for n in range(start, line - 1))


def _lint_limit(finding: dict, path: Path) -> bool:
    """A wrong finding that comes from what lint cannot read yet, not from the document: a value judged against
    the definitions' exact value within two units of its last decimal (the document carries the printed operands
    of a matrix product, which lint does not read), or a number in a speaker note (lint gives notes no scope of
    their own)."""
    if finding["kind"] != "definition":
        return False
    if _in_speaker_note(path.read_text(encoding="utf-8"), finding["line"]):
        return True
    text = finding["text"].rsplit(" not ", 1)[-1]
    decimals = len(text.split(".")[-1]) if "." in text else 0
    return abs(finding["written"] - finding["expected"]) <= 2 * 10.0 ** -decimals + 1e-12


def _check(path, capsys):
    """0 lines that do not reproduce, 0 wrong for lint, and lint reads at least 90% of the arithmetic lines."""
    found = claims(path.read_text(encoding="utf-8"))
    assert found, path
    assert [f"{c.left} = {c.right}" for c in found if not c.reproduces] == []
    report = _lint(path, capsys)
    assert [f for f in report["findings"] if f["verdict"] == "wrong" and not _lint_limit(f, path)] == []
    lines = {f["line"] for f in report["findings"]}  # every judged number, whichever way lint judged it
    read = sum(any(c.first_line <= line <= c.last_line for line in lines) for c in found)
    assert read >= 0.9 * len(found), (path.name, read, len(found))


@pytest.mark.parametrize("lang", ["en", "pt-BR"])
@pytest.mark.parametrize("name", WITH_VALUES)
def test_slides_and_handouts_reproduce_and_lint_clean(tmp_path, capsys, name, lang):
    paths = _documents(tmp_path, "slides", name, lang) + _documents(tmp_path, "handout", name, lang, "--solutions")
    for path in paths:
        if path.name != "slides_body.tex":
            _check(path, capsys)
    chains = filled_chains(paths[-1].read_text(encoding="utf-8"))
    assert chains and all(abs(math.prod(factors) - product) <= 0.5e-4 + 1e-12 for factors, product in chains)


@pytest.mark.parametrize("lang", ["en", "pt-BR"])
@pytest.mark.parametrize("name", EXAM_SPECS)
def test_keys_reproduce_and_lint_clean(tmp_path, capsys, name, lang):
    folder = tmp_path / "exam"
    assert main(["exam", *_spec_args(name), "--variants", "12", "--seed", "1", "-o", str(folder), "--lang", lang]) == 0
    _check(folder / "key.tex", capsys)
    assert _lint(folder / "exam.tex", capsys)["summary"]["wrong"] == 0


def test_the_independent_reader_finds_the_lines_that_do_not_reproduce():
    tex = (r"\begin{align*} a &= (-1.7453) \times 0.2447 = -0.4270 \\ b &= 0.7000 - 0.5 \times (-0.0085) = 0.7043"
           r" \\ c &= 0.4110 \times 0.4000 \\ & + 1.0000 = 1.1644 \\ d &= \frac{1}{1 + 0.4098} = 0.7093 \end{align*}")
    found = claims(tex)
    assert [(c.right, c.reproduces) for c in found] == [("-0.4270", False), ("0.7043", True), ("1.1644", True),
                                                         ("0.7093", True)]


def test_the_key_prints_the_carried_result_and_the_manifest_accepts_it():
    spec = load_spec()
    config = parse_exam(spec)
    content = ExamContent(spec, config)
    differ = 0
    for variant in Drawer(spec, 1, config).draw(150):
        for q in content.variant(variant).questions:
            if q.answer is None:
                continue
            decimals = variant.precision(q.name).decimals
            assert q.answer_tex == f"{q.answer:.{decimals}f}"
            if q.carried_tex:
                differ += 1
                assert q.carried_tex != q.answer_tex and len(q.carried_tex.split(".")[1]) == decimals
                assert variant.precision(q.name).accepts(float(q.carried_tex), q.answer), (variant.id, q.name)
    assert differ > 0  # the carried path does differ in the last digit somewhere: the key says so


def _two_steps_numpy(spec):
    """W0[0][0] after each of two gradient-descent steps with momentum (Δw = -η g + α Δw_before), from central
    differences of the NumPy reference."""
    net, values, training = spec.network, spec.values, spec.training
    weights = [np.array(w, float) for w in values.weights]
    biases = [np.array(b, float) for b in values.biases]
    change_w = [np.zeros_like(w) for w in weights]
    change_b = [np.zeros_like(b) for b in biases]
    history = []
    for _ in range(2):
        d_w, d_b = reference.finite_difference(net.activations, net.loss, weights, biases, values.x, values.y)
        change_w = [-training.learning_rate * g + training.momentum * c for g, c in zip(d_w, change_w)]
        change_b = [-training.learning_rate * g + training.momentum * c for g, c in zip(d_b, change_b)]
        weights = [w + c for w, c in zip(weights, change_w)]
        biases = [b + c for b, c in zip(biases, change_b)]
        history.append(weights[0][0, 0])
    return history


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_the_second_step_shows_its_own_working(momentum):
    spec = load_spec()
    spec = replace(spec, training=replace(spec.training, steps=2, momentum=momentum))
    first, second = _two_steps_numpy(spec)
    d = derive(spec)
    steps = solution_steps(d, quantity_values(spec.network, spec.values, spec.training), "step2.W0[0][0]",
                           spec.training)
    update = steps[-1]
    assert update.name == "step2.W0[0][0]" and update.lhs == "{w^{0}_{0,0}}^{(1)}"  # w^{(1)} ← w^{(1)} − η ∂L/∂w^{(1)}
    numbers = update.lines[-1].tex
    before, result = re.match(r"(-?[\d.]+) - .* = (-?[\d.]+)$", numbers).groups()
    assert abs(float(before) - first) < 5e-5  # starts from w after step 1, not from the spec's w
    assert abs(float(result) - second) < 2e-4 and abs(float(result) - first) > 1e-3
    assert (r"\alpha" in update.lines[0].tex) == bool(momentum)
    assert claims(rf"\begin{{align*}} a &= {numbers} \end{{align*}}")[0].reproduces


def test_numbers_print_as_a_lecturer_writes_them(tmp_path):
    (path,) = _documents(tmp_path, "handout", "softmax_4663.toml", "en", "--solutions")
    tex = path.read_text(encoding="utf-8")
    assert "-0.0000" not in tex
    assert r"\eta = 0.5$" in tex and r"- 0.5 \times" in tex  # η as the spec writes it, in the text and the updates
    assert r"= 0 \quad \text{(since }" in tex  # a loss term of a zero target: omitted with a word
    assert not re.search(r"0\.0000 \\times \\ln", tex)


def test_exam_prints_one_title_and_the_moodle_note_only_with_moodle(tmp_path):
    folder = tmp_path / "exam"
    assert main(["exam", "--variants", "2", "--seed", "3", "-o", str(folder)]) == 0
    exam = (folder / "exam.tex").read_text(encoding="utf-8")
    title = "Backpropagation: the 2-3-2 network"
    assert exam.count(title) == 2  # once per variant
    assert "Moodle" not in exam
    computed = len(parse_exam(load_spec()).questions)
    assert exam.count(r"\needspace{7cm}") == 2 * computed
    assert r"g^{0}(v) = g^{1}(v)" in exam
    assert main(["exam", "--variants", "2", "--seed", "3", "-o", str(folder), "--moodle"]) == 0
    assert "Moodle quiz" in (folder / "exam.tex").read_text(encoding="utf-8")
    key = (folder / "key.tex").read_text(encoding="utf-8")
    answers = re.findall(r"= (-?[\d.]+)\$(?: \\quad \{\(\}carried forward: \$-?[\d.]+\$\))? \\quad \(\$\\pm ([\d.]+)\$\)", key)
    assert len(answers) == 2 * computed  # each tolerance at its answer's decimals
    assert all(len(value.split(".")[1]) == len(tolerance.split(".")[1]) for value, tolerance in answers)


@pytest.mark.tex
def test_each_variant_has_an_even_number_of_pages_and_its_values_face_the_questions(tmp_path):
    import shutil
    import subprocess
    if shutil.which("latexmk") is None or shutil.which("pdftotext") is None:
        pytest.skip("needs latexmk and pdftotext")
    folder = tmp_path / "exam"
    assert main(["exam", str(EXAMPLES / "exam_relu.toml"), "--variants", "2", "--seed", "5", "-o", str(folder),
                 "--pdf"]) == 0
    text = subprocess.run(["pdftotext", str(folder / "exam.pdf"), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    starts = [n for n, page in enumerate(pages) if "Name:" in page]  # each variant's first page
    assert len(starts) == 2 and starts[0] == 0 and len(pages) % 2 == 0
    assert starts[1] % 2 == 0  # the second variant starts on the front of a sheet
    for start in starts:
        assert "The values of this variant" in pages[start + 1]  # page 2, facing page 3 when opened
        assert "Compute" in pages[start + 1] and "Compute" in pages[start + 2]


def test_decimal_comma_documents_reproduce_and_lint_clean(tmp_path, capsys):
    paths = (_documents(tmp_path, "slides", "relu_3layer.toml", "pt-BR", "--decimal-comma")
             + _documents(tmp_path, "handout", "softmax_4663.toml", "pt-BR", "--solutions", "--decimal-comma"))
    folder = tmp_path / "exam"
    assert main(["exam", str(EXAMPLES / "exam_relu.toml"), "--variants", "6", "--seed", "2", "--lang", "pt-BR",
                 "--decimal-comma", "-o", str(folder)]) == 0
    for path in [p for p in paths if p.name != "slides_body.tex"] + [folder / "key.tex"]:
        assert "{,}" in path.read_text(encoding="utf-8")
        _check(path, capsys)
        assert _lint(path, capsys)["summary"]["decimal_comma"] is True
