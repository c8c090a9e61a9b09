"""Mutation tests: one number changed in the correct Example 1 gives exactly the findings that number explains."""
import pytest

from tests.lint.helpers import FIXTURES, bad, example1, lint_fixture

EX = example1()
CORRECT = (FIXTURES / "example1_correct.md").read_text(encoding="utf-8")

# (written, mutated, findings with the spec, value each finding expects: computed by hand)
MUTATIONS = [
    ("= 0.32$$", "= 0.23$$", [(7, "arithmetic", None, "wrong"), (7, "quantity", "v0[0]", "wrong")],
     [0.7 * 0.1 + 0.25, EX["v"]]),
    ("1 + 0.7261}", "1 + 0.7216}", [(9, "arithmetic", None, "wrong")], [1 / (1 + EX["e"])]),
    ("= 0.1770$$", "= 0.1707$$", [(11, "arithmetic", None, "wrong"), (11, "quantity", "L", "wrong")],
     [(1 - 0.5793) ** 2, EX["L"]]),
    ("= -0.1435$$", "= -0.1453$$",
     [(21, "arithmetic", None, "wrong"), (21, "quantity", "dL/dW0[0][0]", "wrong")],
     [-0.8414 * 0.2437 * 0.7, EX["dL/dw"]]),
    # a factor copied wrong: the product on the right is what the document's own 0.2437 gives, so the factor is
    # the wrong number (kind operand), not the product
    ("-0.8414 \\times 0.2437 \\times 0.7", "-0.8414 \\times 0.2473 \\times 0.7",
     [(21, "quantity", "dy0[0]/dv0[0]", "wrong")], [EX["dy/dv"]]),
    ("= -0.2050$$", "= -0.2500$$", [(23, "arithmetic", None, "wrong"), (23, "quantity", "dL/db0[0]", "wrong")],
     [-0.8414 * 0.2437, EX["dL/db"]]),
    ("$b_0 = 0.25$", "$b_0 = 0.52$", [(3, "quantity", "b0[0]", "wrong")], [0.25]),
]
# without a spec: the arithmetic findings, the operand's, and an input its own substitution contradicts
WITHOUT_SPEC = {"= 0.23$$": ([(7, "arithmetic", None, "wrong")], [0.7 * 0.1 + 0.25]),
                "-0.8414 \\times 0.2473 \\times 0.7": ([(21, "operand", "\u2202y_0/\u2202v_0", "wrong")], [0.2437]),
                "$b_0 = 0.52$": ([(3, "definition", "b_0", "wrong")], [0.25])}


@pytest.mark.parametrize("written, mutated, expected, values", MUTATIONS, ids=[m[1] for m in MUTATIONS])
def test_one_changed_number_gives_exactly_its_findings(written, mutated, expected, values):
    assert CORRECT.count(written) == 1
    text = CORRECT.replace(written, mutated)
    result = lint_fixture("example1_correct.md", "single_neuron.toml", text=text)
    assert bad(result) == expected
    for finding, value in zip(result.bad, values):
        assert finding.expected_value == pytest.approx(value, rel=1e-9)
        assert finding.verdict == "wrong"
    without_spec = lint_fixture("example1_correct.md", text=text)
    rows, numbers = WITHOUT_SPEC.get(mutated, ([row for row in expected if row[1] == "arithmetic"], values[:1]))
    assert bad(without_spec) == rows
    assert [f.expected_value for f in without_spec.bad] == [pytest.approx(v, rel=1e-9) for v in numbers][:len(rows)]


def test_a_wrong_intermediate_carried_forward_is_consistent():
    text = CORRECT.replace(r"\frac{1}{1 + 0.7261} = 0.5793", r"\frac{1}{1 + 0.7621} = 0.5675")
    result = lint_fixture("example1_correct.md", text=text)
    assert bad(result) == [(9, "arithmetic", None, "wrong"), (9, "arithmetic", None, "consistent")]
    assert result.bad[1].expected == f"{1 / (1 + 0.7261):.4f}" == "0.5793"
    assert result.bad[1].written_value == 0.5675
