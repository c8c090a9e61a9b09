"""Every document type compiles with latexmk; pdftotext shows the section titles and the worked numbers.

Expected numbers are computed here with plain math, independently of the package."""
import math
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from symbackprop.cli import main

pytestmark = pytest.mark.tex
EXAMPLES = Path(__file__).parent.parent / "examples"
NASTY = "Nasty & % $ # _ { } ~ ^ \\ title"
BUILDS = {  # name -> command line (without -o and --pdf), the PDF it writes
    "slides_en": (["slides"], "slides.pdf"),
    "slides_pt": (["slides", str(EXAMPLES / "single_neuron.toml"), "--lang", "pt-BR"], "slides.pdf"),
    "slides_relu": (["slides", str(EXAMPLES / "relu_3layer.toml")], "slides.pdf"),
    "handout_en_solutions": (["handout", "NASTY_SPEC", "--solutions"], "handout_solutions.pdf"),
    "handout_pt": (["handout", "--lang", "pt-BR"], "handout.pdf"),
    "handout_pt_solutions": (["handout", str(EXAMPLES / "relu_3layer.toml"), "--lang", "pt-BR", "--solutions"],
                             "handout_solutions.pdf"),
}


def sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def single_neuron() -> dict[str, float]:
    x, w, b, y = 0.7, 0.1, 0.25, 1.0
    v = x * w + b
    p = sigmoid(v)
    d_p = -2 * (y - p)
    local = p * (1 - p)
    return {"v": v, "e": math.exp(-v), "p": p, "L": (y - p) ** 2, "dL/dp": d_p, "dp/dv": local,
            "dL/dw": d_p * local * x, "dL/db": d_p * local, "w1": w - 0.5 * d_p * local * x}


def course_232() -> dict[str, float]:
    x, y = [0.5, 0.1], [1.0, 0.0]
    W0, b0 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [0.1, 0.1, 0.1]
    W1, b1 = [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]], [0.2, 0.2]
    v0 = [sum(x[i] * W0[i][j] for i in range(2)) + b0[j] for j in range(3)]
    y0 = [sigmoid(v) for v in v0]
    v1 = [sum(y0[i] * W1[i][k] for i in range(3)) + b1[k] for k in range(2)]
    y1 = [sigmoid(v) for v in v1]
    loss = sum((y[k] - y1[k]) ** 2 for k in range(2)) / 2
    return {"v0[0]": v0[0], "y0[0]": y0[0], "y1[1]": y1[1], "L": loss}


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.replace("\u2212", "-")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("pdfs")
    nasty = root / "nasty.toml"
    text = (EXAMPLES / "single_neuron.toml").read_text().replace(
        'title = "Example 1: a single neuron"', 'title = "' + NASTY.replace("\\", "\\\\") + '"')
    nasty.write_text(text)

    def build(name):
        command, pdf = BUILDS[name]
        command = [str(nasty) if part == "NASTY_SPEC" else part for part in command]
        out = root / name
        code = main([*command, "-o", str(out), "--pdf"])
        return name, code, out / pdf

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(build, BUILDS))
    texts = {}
    for name, code, pdf in results:
        assert code == 0, f"{name}: exit code {code}"
        assert pdf.exists(), f"{name}: no PDF"
        texts[name] = text_of(pdf)
    return texts


def n(value: float) -> str:
    return f"{value:.4f}"


def test_english_slides_sections_and_numbers(pdfs):
    text = pdfs["slides_en"]
    for title in ("Network architecture", "Vectors and matrices", "Forward pass", "Backpropagation",
                  "Functions and derivatives", "Sigmoid function", "Mean squared error", "Example"):
        assert title in text
    expected = course_232()
    for key in ("v0[0]", "L"):
        assert n(expected[key]) in text, key
    # the worked example carries its printed numbers forward: y from the printed e^{-v}, v^1 from the printed y^0
    carried = lambda v: round(1 / (1 + round(math.exp(-v), 4)), 4)  # noqa: E731
    hidden = [carried(v) for v in (0.19, 0.25, 0.31)]
    v11 = round(hidden[0] * 0.8 + hidden[1] * 0.1 + hidden[2] * 0.3 + 0.2, 4)
    assert n(hidden[0]) in text and n(carried(v11)) in text


def test_portuguese_slides_sections_and_worked_numbers(pdfs):
    text = pdfs["slides_pt"]
    for title in ("Arquitetura da rede", "Propagação direta", "Backpropagation", "Funções e derivadas", "Função sigmoide",
                  "Derivada da função sigmoide", "Erro quadrático médio", "Exemplo", "Treinamento"):
        assert title in text
    expected = single_neuron()
    assert n(expected["v"]) == "0.3200" and n(expected["p"]) == "0.5793" and n(expected["L"]) == "0.1770"
    assert n(expected["dL/dw"]) == "-0.1435" and n(expected["dL/db"]) == "-0.2050"
    for key in ("v", "e", "p", "L", "dL/dp", "dp/dv", "dL/dw", "dL/db", "w1"):
        assert n(expected[key]).replace(".", ",") in text, key  # pt-BR: the decimal comma by default


def test_relu_slides_compile(pdfs):
    text = pdfs["slides_relu"]
    assert "ReLU function" in text and "Derivative of the ReLU function" in text


def test_handout_with_solutions_and_nasty_title(pdfs):
    text = pdfs["handout_en_solutions"]
    assert "Nasty & % $ # _ { } ~ ^ \\ title" in text
    assert "Exercise sheet with solutions" in text and "Questions" in text and "Solution." in text
    expected = single_neuron()
    for key in ("v", "p", "L", "dL/dw", "dL/db", "w1"):
        assert n(expected[key]) in text, key


def test_portuguese_handout_without_solutions(pdfs):
    text = pdfs["handout_pt"]
    assert "Lista de exercícios" in text and "Questões" in text and "Arquitetura da rede" in text
    assert "Solução" not in text
    assert n(course_232()["v0[0]"]) not in text  # the answers are not given away


def test_portuguese_handout_with_solutions(pdfs):
    text = pdfs["handout_pt_solutions"]
    assert "Lista de exercícios com soluções" in text and "Solução." in text


def test_same_inputs_give_byte_identical_tex_and_pdf(tmp_path):
    outputs = []
    for run in ("first", "second"):
        out = tmp_path / run
        assert main(["handout", str(EXAMPLES / "single_neuron.toml"), "-o", str(out), "--pdf"]) == 0
        outputs.append(((out / "handout.tex").read_bytes(), (out / "handout.pdf").read_bytes()))
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][1] == outputs[1][1]
    assert outputs[0][1].startswith(b"%PDF")
