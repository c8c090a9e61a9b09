"""Shared helpers of the lint tests: fixtures, the course's Example 1 by hand, running the CLI."""
import io
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from symbackprop.cli import main
from symbackprop.lint.linter import lint_text
from symbackprop.lint.quantities import QuantityJudge, load_lint_spec

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parents[2] / "examples"
LECTURE = EXAMPLES / "lecture_example1.md"


def sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def example1() -> dict:
    """Every number of the course's Example 1 (x = 0.7, w = 0.1, b = 0.25, target 1, sigmoid, MSE), by hand."""
    x, w, b, y = 0.7, 0.1, 0.25, 1.0
    v = x * w + b
    out = sigmoid(v)
    dl_dy = -2.0 * (y - out)
    dy_dv = out * (1.0 - out)
    return {"v": v, "e": math.exp(-v), "y": out, "L": (y - out) ** 2, "dL/dy": dl_dy, "dy/dv": dy_dv,
            "dL/dw": dl_dy * dy_dv * x, "dL/db": dl_dy * dy_dv}


def lint_fixture(name: str, spec: str | None = None, text: str | None = None):
    """Lint a fixture (or `text` under its name), with the fixture spec's quantities when given."""
    judge = QuantityJudge(*load_lint_spec(FIXTURES / spec)) if spec else None
    source = text if text is not None else (FIXTURES / name).read_text(encoding="utf-8")  # an absolute name wins
    return lint_text(source, name, quantities=judge)


def bad(result) -> list[tuple]:
    """(line, kind, name, verdict) of every finding that is not correct."""
    return [(result.document.position(f.offset)[0], f.kind, f.name, f.verdict) for f in result.bad]


def run_cli(*argv) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `symbackprop ARGV`."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()
