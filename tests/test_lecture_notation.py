"""The notation of the slides and handouts: number format everywhere, one multiplication sign, ln, δ defined
before use, the N of the loss shown, titles in the chosen language."""
import re
from pathlib import Path

from symbackprop.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def _write(tmp_path, *args) -> dict[str, str]:
    assert main([*args, "-o", str(tmp_path)]) == 0
    return {path.name: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.tex")}


def _frames(tex: str) -> list[str]:
    return re.findall(r"\\begin\{frame\}.*?\\end\{frame\}", tex, re.S)


def test_decimal_comma_and_decimals_reach_the_values_slide_and_handout(tmp_path):
    slides = _write(tmp_path / "s", "slides", "--lang", "pt-BR", "--decimal-comma", "--decimals", "2")["slides.tex"]
    handout = _write(tmp_path / "h", "handout", "--decimal-comma", "--decimals", "2")["handout.tex"]
    for text in (slides, handout):
        values = text[text.index("x = \\left[") - 1:][:400]
        assert r"x = \left[\begin{matrix}0{,}50 & 0{,}10\end{matrix}\right]" in values
        assert "0.5000" not in text and "0.50" not in text.replace("{,}", ",")
    assert r"\eta = 0{,}50" in slides


def test_one_multiplication_sign_per_frame(tmp_path):
    slides = _write(tmp_path, "slides", str(EXAMPLES / "relu_3layer.toml"))["slides.tex"]
    assert r"\times" in slides
    for frame in _frames(slides):
        assert not (r"\times" in frame and r"\cdot" in frame), frame[:200]


def test_natural_logarithm_is_ln(tmp_path):
    spec = tmp_path / "bce.toml"
    spec.write_text('[network]\nlayers = [2, 1]\nactivations = "sigmoid"\nloss = "bce"\n')
    slides = _write(tmp_path / "out", "slides", str(spec))["slides.tex"]
    assert r"\ln" in slides and r"\log" not in slides


def test_updated_parameter_has_step_apart_from_layer(tmp_path):
    slides = _write(tmp_path, "slides")["slides.tex"]
    assert r"{w^{1}_{0,0}}^{(1)}" in slides
    assert r"^{(1)\," not in slides and r"\prime" not in slides


def test_delta_defined_before_it_is_used(tmp_path):
    slides = _write(tmp_path, "slides", str(EXAMPLES / "relu_3layer.toml"))["slides.tex"]
    for layer in range(3):
        definition = slides.index(rf"\delta^{{{layer}}}_{{j}} = \frac{{\partial L}}{{\partial v^{{{layer}}}_{{j}}}}")
        first_use = slides.index(rf"\delta^{{{layer}}}")
        assert definition == first_use, layer


def test_loss_derivative_with_this_networks_n(tmp_path):
    slides = _write(tmp_path, "slides")["slides.tex"]
    assert r"- \frac{2}{N} \left(y_{k} - \hat{y}_k\right) \\" in slides
    assert r"&= - \left(y_{k} - \hat{y}_k\right) \quad (N = 2)" in slides
    assert "where $N = 2$ is the number of outputs." in slides and "classes" not in slides


def test_single_output_has_no_sum_over_one_term(tmp_path):
    slides = _write(tmp_path, "slides", str(EXAMPLES / "single_neuron.toml"))["slides.tex"]
    assert r"\sum_{k=0}^{0}" not in slides
    assert "L &= l_{0}" in slides


def test_default_title_in_each_language(tmp_path):
    english = _write(tmp_path / "en", "slides")["slides.tex"]
    portuguese = _write(tmp_path / "pt", "slides", "--lang", "pt-BR")["slides.tex"]
    assert r"\title{Backpropagation: the 2-3-2 network}" in english
    assert r"\title{Backpropagation: a rede 2-3-2}" in portuguese


def test_portuguese_wording(tmp_path):
    slides = _write(tmp_path, "slides", "--lang", "pt-BR")["slides.tex"]
    assert "Erro quadrático médio" in slides and "onde $N = 2$ é o número de saídas." in slides
    assert r"\begin{frame}{Exemplo: parâmetros atualizados, novo erro}" in slides
    assert r"L &= 0.2745 \;\to\; L^{(1)} = 0.2515" in slides
    assert "médio quadrático" not in slides and "classes" not in slides
