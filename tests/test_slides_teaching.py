"""What the deck teaches: live worked units, the dead-unit sentence, exercises whose answers are recomputed by
hand, the title page, unique frame titles, nothing scaled, and the language's decimal sign."""
import math
import re
from pathlib import Path

from symbackprop.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
SPECS = [None, *sorted(p for p in EXAMPLES.glob("*.toml") if not p.name.startswith("claims_"))]


def _slides(tmp_path, *args) -> str:
    assert main(["slides", *args, "-o", str(tmp_path)]) == 0
    return (tmp_path / "slides.tex").read_text(encoding="utf-8")


def _relu_by_hand():
    """The 2-3-3-1 ReLU network of examples/relu_3layer.toml in plain Python: activations and δ per layer."""
    x = [1.0, -0.5]
    W = [[[0.2, -0.3, 0.4], [0.1, 0.5, -0.2]], [[0.3, -0.2, 0.6], [0.7, 0.1, -0.4], [-0.5, 0.2, 0.3]],
         [[0.6], [-0.4], [0.8]]]
    b = [[0.1, -0.1, 0.05], [0.0, 0.1, -0.1], [0.05]]
    ys, vs = [x], []
    for layer in range(3):
        v = [sum(ys[-1][i] * W[layer][i][j] for i in range(len(ys[-1]))) + b[layer][j] for j in range(len(b[layer]))]
        vs.append(v)
        ys.append([1 / (1 + math.exp(-u)) for u in v] if layer == 2 else [max(0.0, u) for u in v])
    p = ys[-1][0]
    deltas = [None, None, [-2 * (1.0 - p) * p * (1 - p)]]
    for layer in (1, 0):
        deltas[layer] = [sum(deltas[layer + 1][k] * W[layer + 1][j][k] for k in range(len(deltas[layer + 1])))
                         * (1.0 if vs[layer][j] > 0 else 0.0) for j in range(len(vs[layer]))]
    return ys, vs, deltas


def test_default_worked_gradients_run_through_live_units(tmp_path):
    ys, _, deltas = _relu_by_hand()
    slides = _slides(tmp_path, str(EXAMPLES / "relu_3layer.toml"))
    for layer in range(3):
        j, i = next((j, i) for j in range(len(deltas[layer])) for i in range(len(ys[layer]))
                    if abs(deltas[layer][j]) >= 5e-5 and abs(ys[layer][i]) >= 5e-5)
        gradient = ys[layer][i] * deltas[layer][j]
        assert abs(gradient) >= 5e-5
        head = rf"\frac{{\partial L}}{{\partial w^{{{layer}}}_{{{i},{j}}}}} &= "
        assert head in slides, layer
        worked = slides[slides.rindex(head):].split(r"\\" + "\n" + r"\frac")[0].split(r"\end{aligned}")[0]
        printed = float(worked.rstrip().rsplit("= ", 1)[1])  # carried forward from the printed factors
        assert abs(printed - gradient) <= 2e-4 and printed != 0, (layer, worked[-60:])
    assert r"\times 0.0000 = 0.0000" not in slides and "0.6000 - 0.1000" not in slides


def test_inactive_units_are_named_with_why(tmp_path):
    _, vs, _ = _relu_by_hand()
    slides = _slides(tmp_path, str(EXAMPLES / "relu_3layer.toml"))
    for layer in (0, 1):
        dead = [j for j, v in enumerate(vs[layer]) if v <= 0]
        assert dead
        assert (rf"where ReLU is flat): $j = {', '.join(map(str, dead))}$. Their $\delta$ is 0, and so are their "
                rf"columns of $\partial L / \partial W^{{{layer}}}$.") in slides
    chosen = _slides(tmp_path / "chosen", str(EXAMPLES / "relu_3layer.toml"), "--gradient", "dL/dW1[0][0]")
    assert (rf"The unit is inactive: $v^{{1}}_{{0}} = {vs[1][0]:.4f} \le 0$, where ReLU is flat, so its derivative "
            r"is 0 there and $\delta^{1}_{0} = 0$") in chosen


def test_exercise_answers_recomputed_by_hand(tmp_path):
    sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    W0, b0 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [0.1] * 3
    W1, b1 = [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]], [0.2, 0.2]

    def loss(x, y):
        h = [sig(x[0] * W0[0][j] + x[1] * W0[1][j] + b0[j]) for j in range(3)]
        out = [sig(sum(h[i] * W1[i][k] for i in range(3)) + b1[k]) for k in range(2)]
        return sum((y[k] - out[k]) ** 2 for k in range(2)) / 2, h, out

    slides = _slides(tmp_path)
    exercises = slides[slides.index(r"\begin{frame}{Exercises}"):]
    assert r"with the input $x = \left[\begin{matrix}0.8000 & 0.4000\end{matrix}\right]$" in exercises
    assert r"with the target $y = \left[\begin{matrix}0 & 1\end{matrix}\right]$" in exercises
    first, _, _ = loss([0.8, 0.4], [1.0, 0.0])
    second, h, out = loss([0.5, 0.1], [0.0, 1.0])
    dw = -(0.0 - out[0]) * out[0] * (1 - out[0]) * h[0]  # ∂L/∂w^1_{0,0} with the other target, N = 2
    note = exercises[exercises.index(r"\note{"):]
    assert f"$L = {first:.4f}$" in note and f"$L = {second:.4f}$" in note
    assert rf"$\partial L / \partial w^{{1}}_{{0,0}} = {dw:.4f}$" in note
    assert "Rumelhart, G. E. Hinton and R. J. Williams" in slides and "323, 533--536 (1986)" in slides


def test_title_page_from_the_spec(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text('title = "Backpropagation"\nauthor = "Ana Souza"\ncourse = "Redes neurais"\n'
                    'institution = "UFXX"\ndate = "Aula 7, 2026"\n[network]\nlayers = [1, 1]\n'
                    'activations = ["sigmoid"]\nloss = "mse"\n', encoding="utf-8")
    slides = _slides(tmp_path / "out", str(spec))
    for line in (r"\title{Backpropagation}", r"\subtitle{Redes neurais}", r"\author{Ana Souza}",
                 r"\institute{UFXX}", r"\date{Aula 7, 2026}"):
        assert line in slides


def test_nothing_scaled_and_no_title_twice(tmp_path):
    for n, spec in enumerate(SPECS):
        slides = _slides(tmp_path / str(n), *([str(spec)] if spec else []))
        body = slides[slides.index(r"\begin{document}"):]
        assert not re.search(r"adjustbox|scalebox|resizebox|\\tiny", body), spec
        titles = re.findall(r"\\begin\{frame\}\{(.*)\}", slides)
        plain = [title for title in titles if not title.endswith("(cont.)")]
        assert len(plain) == len(set(plain)), (spec, sorted(t for t in plain if plain.count(t) > 1))


def test_portuguese_decimal_comma_by_default(tmp_path):
    comma = _slides(tmp_path / "pt", "--lang", "pt-BR")
    point = _slides(tmp_path / "point", "--lang", "pt-BR", "--decimal-point")
    english = _slides(tmp_path / "en", "--decimal-comma")
    assert r"\eta = 0{,}5$" in comma and "0.5000" not in comma  # η as the spec writes it: 0.5, not 0.5000
    assert r"\eta = 0.5$" in point and "{,}" not in point
    assert r"\eta = 0{,}5$" in english
    assert main(["handout", "--lang", "pt-BR", "-o", str(tmp_path / "h")]) == 0
    assert r"\eta = 0{,}5$" in (tmp_path / "h" / "handout.tex").read_text(encoding="utf-8")  # as the spec writes it
    assert "Propagação direta" in comma and "FORWARD" not in comma and "gradiente descendente" not in comma


def test_decimal_signs_exclude_each_other(capsys):
    try:
        main(["slides", "--decimal-comma", "--decimal-point"])
    except SystemExit as stop:
        assert stop.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
