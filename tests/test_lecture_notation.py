"""The notation of the slides and handouts: number format everywhere, one multiplication sign, ln, δ defined
before use, the N of the loss shown, titles in the chosen language."""
import math
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
    assert r"\eta = 0{,}5$" in slides  # the learning rate as the spec writes it, whatever --decimals says


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
    assert r"w^{1}_{0,0} &\leftarrow w^{1}_{0,0} - \eta \frac{\partial L}{\partial w^{1}_{0,0}} \\" in slides
    assert r"\;\to\; L^{+} = 0.2515" in slides  # one step notation: + after the update, no (1) beside the layer
    assert "^{(1)" not in slides and r"\prime" not in slides


def test_delta_defined_before_it_is_used(tmp_path):
    slides = _write(tmp_path, "slides", str(EXAMPLES / "relu_3layer.toml"))["slides.tex"]
    general = slides.index(r"\delta^{l} = \frac{\partial L}{\partial v^{l}}")  # on the algorithm frame
    assert r"y^{-1} = x" in slides and r"\delta^{l} = \left(\delta^{l+1} (W^{l+1})^{\top}\right) \odot" in slides
    for layer in range(3):
        definition = slides.index(rf"\delta^{{{layer}}}_{{j}} = \frac{{\partial L}}{{\partial v^{{{layer}}}_{{j}}}}")
        first_entry = slides.index(rf"\delta^{{{layer}}}_")
        assert general < slides.index(rf"\delta^{{{layer}}}") and definition == first_entry, layer


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
    assert (r"\framesubtitle{Uma nova propagação (forward) com os parâmetros atualizados resulta no novo erro "
            "(última linha).}") in slides
    assert r"L &= 0{,}2745 \;\to\; L^{+} = 0{,}2515" in slides  # pt-BR: the decimal comma by default
    assert "médio quadrático" not in slides and "classes" not in slides


def _softmax_network(values: str) -> str:
    return ('[network]\nlayers = [2, 3]\nactivations = "softmax"\nloss = "cce"\n[values]\nx = [0.5, -0.2]\n'
            f'{values}\nW0 = [[0.1, -0.2, 0.3], [0.4, 0.1, -0.3]]\nb0 = [0.1, 0.0, -0.1]\n')


def test_cce_target_must_sum_to_one(tmp_path, capsys):
    spec = tmp_path / "bad.toml"
    spec.write_text(_softmax_network("y = [0.0, 0.5, 0.3]"))
    assert main(["slides", str(spec), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "values.y: cce needs targets that sum to 1" in err[0]
    assert "got [0.0, 0.5, 0.3]" in err[0] and not (tmp_path / "out").exists()


def test_softmax_cce_delta_collapses_to_yhat_minus_y(tmp_path):
    import math
    spec = tmp_path / "softmax.toml"
    spec.write_text(_softmax_network("y = [0.0, 1.0, 0.0]"))
    slides = _write(tmp_path / "out", "slides", str(spec))["slides.tex"]
    assert r"\delta_{kj}" not in slides  # the Jacobian by cases, no Kronecker delta beside the backprop δ
    assert r"\hat{y}^{0}_{j} - y_{j} \qquad \left(\textstyle\sum_{k} y_{k} = 1\right)" in slides
    assert r"\sum_{k} \frac{\partial L}{\partial \hat{y}^{0}_{k}} \frac{\partial \hat{y}^{0}_{k}}{\partial v^{0}_{0}}" in slides
    assert "The target sums to 1" in slides
    # δ_0 = ŷ_0 − y_0, by hand: softmax of v = x W + b
    x, W, b = [0.5, -0.2], [[0.1, -0.2, 0.3], [0.4, 0.1, -0.3]], [0.1, 0.0, -0.1]
    v = [x[0] * W[0][j] + x[1] * W[1][j] + b[j] for j in range(3)]
    p = [math.exp(u) / sum(math.exp(w) for w in v) for u in v]
    assert rf"\delta^{{0}}_{{0}} = \frac{{\partial L}}{{\partial v^{{0}}_{{0}}}} &= \hat{{y}}^{{0}}_{{0}} - y_{{0}}" in slides
    assert f"{p[0]:.4f} - 0 = {p[0]:.4f}" in slides  # a whole target prints as its class label
    assert f"{p[0]:.4f} \\times 0.5000 = {round(p[0], 4) * 0.5:.4f}" in slides  # ∂L/∂w_{0,0} = δ_0 x_0, printed δ


def test_sigmoid_bce_delta_collapses_to_yhat_minus_y(tmp_path):
    import math
    spec = tmp_path / "bce.toml"
    spec.write_text('[network]\nlayers = [1, 1]\nactivations = "sigmoid"\nloss = "bce"\n'
                    "[values]\nx = [0.7]\ny = [1.0]\nW0 = [[0.1]]\nb0 = [0.25]\n")
    slides = _write(tmp_path / "out", "slides", str(spec))["slides.tex"]
    p = 1 / (1 + math.exp(-(0.7 * 0.1 + 0.25)))
    assert r"&= \hat{y}^{0}_{j} - y_{j}" in slides
    assert f"{p:.4f} - 1 = {p - 1:.4f}" in slides


def _default_by_hand():
    import math
    sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    x, W0, b0 = [0.5, 0.1], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [0.1] * 3
    W1, b1, y = [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]], [0.2, 0.2], [1.0, 0.0]
    h = [sig(x[0] * W0[0][j] + x[1] * W0[1][j] + b0[j]) for j in range(3)]
    out = [sig(sum(h[i] * W1[i][k] for i in range(3)) + b1[k]) for k in range(2)]
    delta1 = [-(y[k] - out[k]) * out[k] * (1 - out[k]) for k in range(2)]  # mse, N = 2
    return h, delta1, W1


def _default_carried():
    """The default network by hand as the slides print it: each value from the rounded values before it."""
    r = lambda value: round(value, 4)  # noqa: E731
    x, W0, b0 = [0.5, 0.1], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [0.1] * 3
    W1, b1, y = [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]], [0.2, 0.2], [1.0, 0.0]
    h = [r(1 / (1 + r(math.exp(-r(x[0] * W0[0][j] + x[1] * W0[1][j] + b0[j]))))) for j in range(3)]
    out = [r(1 / (1 + r(math.exp(-r(sum(h[i] * W1[i][k] for i in range(3)) + b1[k]))))) for k in range(2)]
    delta1 = [r(r(-(y[k] - out[k])) * r(out[k] * (1 - out[k]))) for k in range(2)]  # mse, N = 2: -(y - ŷ)
    return h, delta1, W1


def test_matrix_form_is_the_numeric_outer_product(tmp_path):
    h, delta1, W1 = _default_carried()
    slides = _write(tmp_path, "slides")["slides.tex"]
    row = " & ".join(f"{value:.4f}" for value in delta1)
    outer = r" \\ ".join(" & ".join(f"{hi * dk:.4f}" for dk in delta1) for hi in h)
    # three inputs: the outer product's factors are the vectors just shown, so only its result is written out
    assert (r"\frac{\partial L}{\partial W^{1}} &= (y^{0})^{\top} \delta^{1} \\" + "\n"
            + rf" &= \left[\begin{{matrix}}{outer}\end{{matrix}}\right]") in slides
    assert rf"\frac{{\partial L}}{{\partial b^{{1}}}} &= \delta^{{1}} \\" + "\n" + \
        rf" &= \left[\begin{{matrix}}{row}\end{{matrix}}\right]" in slides
    updated = r" \\ ".join(" & ".join(f"{W1[i][k] - 0.5 * round(h[i] * delta1[k], 4):.4f}" for k in range(2))
                          for i in range(3))
    assert rf"W^{{1}} &\leftarrow W^{{1}} - \eta \frac{{\partial L}}{{\partial W^{{1}}}} = \left[\begin{{matrix}}{updated}" in slides


def test_gradient_option_chooses_the_worked_gradients(tmp_path):
    h, delta1, _ = _default_by_hand()
    default = _write(tmp_path / "d", "slides")["slides.tex"]
    chosen = _write(tmp_path / "c", "slides", "--gradient", "dL/dW1[2][1]")["slides.tex"]
    product = rf"\frac{{\partial L}}{{\partial w^{{1}}_{{2,1}}}} &= \frac{{\partial L}}{{\partial \hat{{y}}^{{1}}_{{1}}}}"
    assert product not in default.split(r"\section{Example}")[1] and product in chosen.split(r"\section{Example}")[1]
    assert f"= {h[2] * delta1[1]:.4f}" in chosen


def test_all_gradients_works_every_gradient(tmp_path):
    full = _write(tmp_path, "slides", "--all-gradients")["slides.tex"].split(r"\section{Example}")[1]
    for i in range(3):
        for k in range(2):
            assert rf"\frac{{\partial L}}{{\partial w^{{1}}_{{{i},{k}}}}} &= " in full


def test_gradient_option_rejects_other_quantities(tmp_path, capsys):
    assert main(["slides", "--gradient", "v0[0]", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("symbackprop: error:") and "v0[0]" in err and "weight or bias gradient" in err


def test_derive_and_documents_word_cases_alike(tmp_path, capsys):
    import json
    relu = str(EXAMPLES / "relu_3layer.toml")
    assert main(["derive", relu, "--json"]) == 0
    latex = json.loads(capsys.readouterr().out)["latex"]["dy0[0]/dv0[0]"]
    assert latex == r"\begin{cases} 1 & \text{if } v^{0}_{0} > 0 \\ 0 & \text{if } v^{0}_{0} \leq 0 \end{cases}"
    slides = _write(tmp_path, "slides", relu)["slides.tex"]
    assert latex in slides and r"\text{for}" not in slides
    portuguese = _write(tmp_path / "pt", "slides", relu, "--lang", "pt-BR")["slides.tex"]
    assert latex.replace(r"\text{if }", r"\text{se }") in portuguese


def test_handout_blanks_per_unit_and_per_factor(tmp_path):
    h, delta1, _ = _default_by_hand()
    sheet = _write(tmp_path / "q", "handout")["handout.tex"]
    solved = _write(tmp_path / "s", "handout", "--solutions")["handout_solutions.tex"]
    # one row per unit: v and y of the same unit side by side
    assert r"$v^{0}_{2} = $ \answerblank & $y^{0}_{2} = $ \answerblank \\" in sheet
    assert rf"$v^{{0}}_{{2}} = $ \answerfilled{{0.3100}} & $y^{{0}}_{{2}} = $ \answerfilled{{{h[2]:.4f}}} \\" in solved
    # ∂L/∂w^1_{0,0}: one blank per factor (3) and one for the product, filled with the factors' values
    chain = solved.split(r"$\displaystyle \frac{\partial L}{\partial w^{1}_{0,0}}$")[1].split(r"\\[2ex]")[0]
    assert chain.count(r"\answerfilled") == 4
    y0 = round(1 / (1 + round(math.exp(-0.19), 4)), 4)  # y^0_0 from the printed e^{-v} = 0.8270, carried forward
    assert rf"\answerfilled{{{y0:.4f}}}" in chain and rf"\answerfilled{{{y0 * round(delta1[0], 4):.4f}}}" in chain
    assert sheet.count(r"\begin{minipage}[t]{\linewidth}") == 4  # a question and its blanks never split


def test_exam_total_matches_moodle_and_symbolic_is_graded_by_hand(tmp_path):
    import re as regex
    spec = EXAMPLES / "exam_relu.toml"
    assert main(["exam", str(spec), "--variants", "1", "--seed", "3", "--moodle", "-o", str(tmp_path)]) == 0
    exam = (tmp_path / "exam.tex").read_text(encoding="utf-8")
    moodle = (tmp_path / "moodle.xml").read_text(encoding="utf-8")
    # examples/exam_relu.toml: 7 computed questions, L worth 2, the rest 1; the symbolic question worth 3
    assert "& 8 + 3$^{*}$" in exam and "which totals 8 points" in exam
    gaps = regex.findall(r"\{(\d+):NUMERICAL:", moodle)
    assert sum(int(points) for points in gaps) == 8
    symbolic = exam.index(r"\question[3]")
    assert exam.rfind(r"\newpage", 0, symbolic) > exam.rfind(r"\question[1]", 0, symbolic)  # on a page of its own
    assert r"\vspace{5cm}" in exam  # room for working under every computed question (the example sets 5 cm)


def test_key_expands_every_delta_of_the_symbolic_answer(tmp_path):
    assert main(["exam", str(EXAMPLES / "exam_relu.toml"), "--variants", "1", "--seed", "3",
                 "-o", str(tmp_path)]) == 0
    key = (tmp_path / "key.tex").read_text(encoding="utf-8")
    answer = key[key.index(r"\question[3]"):]
    assert r"\delta^{1}_{0} w^{1}_{1,0}" in answer  # the factor ∂L/∂y^0_1 uses δ^1_0 ...
    assert r"\delta^{1}_{0} = \frac{\partial L}{\partial v^{1}_{0}} &= \hat{y}^{1}_{0} - y_{0}" in answer  # ... expanded
