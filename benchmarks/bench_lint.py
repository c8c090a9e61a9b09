"""`symbackprop lint` on a generated 500-slide beamer deck (the course's Example 1 worked for 500 drawn inputs,
one wrong loss in ten slides), next to reading and tokenizing the same file, measured in the same run.

Rows: reading the file; reading + finding the math + splitting equations and reading their numbers (the
baseline); lint without a spec (arithmetic); lint with the course's spec (arithmetic and quantities: the
slides' drawn inputs differ from the spec's, so most of their numbers are wrong for it and each is diagnosed
against the mistake catalogue, the worst case); the whole `symbackprop lint --spec` process.

Run: python benchmarks/bench_lint.py [--slides N] [--runs N]
"""
import argparse
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from symbackprop.lint.equations import equations, uses_decimal_comma
from symbackprop.lint.linter import lint_text, read_document
from symbackprop.lint.quantities import QuantityJudge, load_lint_spec
from symbackprop.lint.sources import Document

TARGET_S = 3.0
SPEC = """[network]
layers = [1, 1]
activations = ["sigmoid"]
loss = "mse"
[values]
x = [0.7]
y = [1.0]
W0 = [[0.1]]
b0 = [0.25]
"""


def frame(index: int, rng: random.Random) -> str:
    """One slide: Example 1's forward and backward pass for drawn values (slide 0 uses the course's)."""
    x, w, b = (0.7, 0.1, 0.25) if index == 0 else (rng.choice(range(1, 10)) / 10, rng.choice(range(1, 10)) / 10,
                                                 rng.choice(range(1, 10)) / 20)
    v = x * w + b
    e = math.exp(-v)
    y = 1 / (1 + e)
    loss = (1 - y) ** 2
    d1, d2 = -2 * (1 - y), y * (1 - y)
    grad = d1 * d2 * x
    if index % 10 == 9:
        loss += 0.01  # a wrong number
    return rf"""\begin{{frame}}{{Example {index + 1}}}
  Input $x_0 = {x:g}$, weight $w_{{00}} = {w:g}$, bias $b_0 = {b:g}$, target $y = 1$.
  % a note for the lecturer: $1 + 1 = 3$
  \begin{{align*}}
    v_0 &= x_0 w_{{00}} + b_0 = {x:g} \times {w:g} + {b:g} = {v:.4f} \\
    \hat{{y}} &= \frac{{1}}{{1 + e^{{-{v:.4f}}}}} = \frac{{1}}{{1 + {e:.4f}}} = {y:.4f} \\
    L &= (1 - {y:.4f})^2 = {loss:.4f}
  \end{{align*}}
  \[ \frac{{\partial L}}{{\partial w_{{00}}}} = \frac{{\partial L}}{{\partial y_0}} \cdot
     \frac{{\partial y_0}}{{\partial v_0}} \cdot \frac{{\partial v_0}}{{\partial w_{{00}}}}
     = {d1:.4f} \cdot {d2:.4f} \cdot {x:g} = {grad:.4f} \]
\end{{frame}}
"""


def deck(slides: int) -> str:
    rng = random.Random(20)
    body = "".join(frame(index, rng) for index in range(slides))
    return "\\documentclass{beamer}\n\\begin{document}\n" + body + "\\end{document}\n"


def best_of(function, runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds over runs, after one warm-up run; CPU counts this process and its children,
    so it stays meaningful on a machine that other jobs keep busy."""
    function()
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    """User + system seconds of this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        path, spec_path = Path(work) / "deck.tex", Path(work) / "spec.toml"
        path.write_text(deck(args.slides), encoding="utf-8")
        spec_path.write_text(SPEC, encoding="utf-8")

        def tokenize():
            text, _ = read_document(path)
            document = Document(text, "latex")
            spans = document.spans()
            return equations(document, spans, uses_decimal_comma(document, spans))

        def lint(with_spec):
            text, _ = read_document(path)
            judge = QuantityJudge(*load_lint_spec(spec_path)) if with_spec else None  # fresh: no verdict cached
            return lint_text(text, str(path), quantities=judge)

        def process():
            subprocess.run([sys.executable, "-m", "symbackprop", "lint", str(path), "--spec", str(spec_path)],
                           stdout=subprocess.DEVNULL, check=False)

        found = tokenize()
        arithmetic, quantities = lint(False), lint(True)
        size = path.stat().st_size
        rows = [("read the file", best_of(lambda: read_document(path), args.runs)),
                ("read + tokenize (baseline)", best_of(tokenize, args.runs)),
                ("lint (arithmetic)", best_of(lambda: lint(False), args.runs)),
                ("lint --spec (arithmetic + quantities)", best_of(lambda: lint(True), args.runs)),
                ("symbackprop lint --spec (whole process)", best_of(process, max(1, args.runs // 2)))]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (wall times scale with it, CPU times much less)")
    print(f"{args.slides} slides, {size} bytes, {len(found)} equations, "
          f"{len(arithmetic.findings)} arithmetic checks, {len(quantities.findings)} checks with the spec, "
          f"{len(arithmetic.bad)} wrong by arithmetic")
    baseline = rows[1][1]
    print(f"{'step':<42} {'wall s':>7} {'CPU s':>7} {'CPU / baseline':>15}")
    for name, (wall, cpu) in rows:
        print(f"{name:<42} {wall:>7.3f} {cpu:>7.3f} {cpu / baseline[1]:>15.1f}")
    whole = rows[-1][1][1]
    verdict = "meets" if whole < TARGET_S else "MISSES"
    print(f"\nwhole process: {whole:.2f} CPU s {verdict} the {TARGET_S:.0f} s target for {args.slides} slides")
    return 0 if whole < TARGET_S else 1

if __name__ == "__main__":
    raise SystemExit(main())
