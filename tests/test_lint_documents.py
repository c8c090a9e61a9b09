"""lint on documents as people write them: libraries read the math, the document's definitions judge it."""
import math

import nbformat
import pytest

from symbackprop.lint.linter import lint_text
from tests.lint.helpers import run_cli



def sigmoid(v):
    return 1 / (1 + math.exp(-v))


def wrong(result):
    return [(result.document.position(f.fix.start if f.fix else f.offset), f.kind, f.verdict) for f in result.bad]


def test_lenient_dollars_and_row_spacing_are_read():
    assert wrong(lint_text("Blog: $ 1 + 1 = 3$ here.\n", "a.md")) == [((1, 17), "arithmetic", "wrong")]
    tex = "\\begin{align} a &= 1 + 1 \\\\[1.2em] b &= 2 + 2 = 5 \\end{align}\n\\[ 3 + 3 = 6 \\]\n"
    result = lint_text(tex, "a.tex")
    assert wrong(result) == [((1, 49), "arithmetic", "wrong")]
    assert len(result.findings) == 2  # 2 + 2 = 5 and 3 + 3 = 6; nothing swallowed up to the \]


def test_code_is_never_linted():
    text = "    $1 + 1 = 3$ indented\n\n<pre>\n$2 + 2 = 5$\n</pre>\n\n`$3 = 4$` and $5 = 5$\n"
    result = lint_text(text, "a.md")
    assert result.bad == [] and [f.written for f in result.findings] == ["5"]


def test_notebook_markdown_cells_with_positions_in_the_file(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1 + 1  # $1 + 1 = 3$"),
                      nbformat.v4.new_markdown_cell("Forward:\n\n$$v = 0.7 \\times 0.1 + 0.25 = 0.33$$")]
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    code, out, _ = run_cli("lint", str(path))
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if "0.33" in row)
    col = path.read_text().splitlines()[line - 1].index("0.7") + 1
    assert code == 1 and out.splitlines()[0] == f"{path}:{line}:{col}: wrong: 0.7 \\times 0.1 + 0.25 = 0.32, not 0.33"


def test_math_with_nothing_judged_exits_3(tmp_path):
    path = tmp_path / "d.md"
    path.write_text("$$\\sum_{i} 0.25 z_i = 0.75$$\n", encoding="utf-8")
    code, out, _ = run_cli("lint", str(path))
    assert code == 3 and "nothing judged" in out and "1 not understood" in out


DOCUMENT = r"""# A 1-1 network
$x = 0.5$, $w = 0.8$, $b = 0.1$, $t = 1$.

$$z = w x + b = 0.8 \times 0.5 + 0.1 = 0.5$$

$$a = \sigma(z) = 0.6225$$

$$E = \frac{1}{2}(t - a)^2 = 0.0713$$

$$\frac{\partial E}{\partial w} = \frac{\partial E}{\partial a} \cdot \frac{\partial a}{\partial z} \cdot \frac{\partial z}{\partial w} = DEDW$$

$\eta = 0.5$ and $w^{+} = w - \eta \frac{\partial E}{\partial w} = WPLUS$
"""


def _document(dedw: str, wplus: str) -> str:
    return DOCUMENT.replace("DEDW", dedw).replace("WPLUS", wplus)


def test_the_document_defines_its_own_network():
    a = sigmoid(0.5)
    dedw = -(1 - a) * a * (1 - a) * 0.5  # by hand
    assert f"{dedw:.4f}" == "-0.0444"
    correct = lint_text(_document(f"{dedw:.4f}", f"{0.8 - 0.5 * dedw:.4f}"), "a.md")
    assert correct.bad == [] and {f.kind for f in correct.findings} >= {"definition"}
    result = lint_text(_document("-0.0544", f"{0.8 - 0.5 * dedw:.4f}"), "a.md")
    assert [(f.name, f.verdict, f.expected) for f in result.bad] == [("\u2202E/\u2202w", "wrong", "-0.0444")]


@pytest.mark.parametrize("mutation", [("0.6225", "0.6252"), ("0.0713", "0.0731")])
def test_one_changed_number_is_exactly_one_finding(mutation):
    a = sigmoid(0.5)
    dedw = -(1 - a) * a * (1 - a) * 0.5
    text = _document(f"{dedw:.4f}", f"{0.8 - 0.5 * dedw:.4f}")
    result = lint_text(text.replace(*mutation), "a.md")
    assert [f.written for f in result.bad if f.verdict == "wrong"] == [mutation[1]]


def test_a_wrong_exponent_sign_is_found():
    text = "$v = 0.32$\n\n$$y = \\frac{1}{1 + e^{-v}} = \\frac{1}{1 + e^{0.32}} = 0.5793$$\n"
    result = lint_text(text, "a.md")
    assert [(f.written, f.fix.text if f.fix else None) for f in result.bad][:1] == [("0.32", "-0.32")]


def test_hypotheticals_and_enumerations_are_not_values():
    text = "For each layer $l = 1, 2, \\ldots, L$ and if the label were $y = 0$: $$y = 1$$ $$2 y = 2$$\n"
    assert lint_text(text, "a.md").bad == []
