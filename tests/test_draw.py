"""Variant draws: reproducible, stable when more are asked, on the grids, and rejected by every constraint."""
from dataclasses import replace

import numpy as np
import pytest

from symbackprop.exams.variants import (CONSTRAINTS, Context, Drawer, Prover, answers_fingerprint, draw_values,
                                       draw_variants, spec_fingerprint, variant_id, violations)
from symbackprop.errors import SettingError, SpecError
from symbackprop.numeric.values import quantity_values
from symbackprop.exams.config import parse_exam
from symbackprop.model.spec import Training, Values, load_spec, parse_spec


@pytest.fixture(scope="module")
def course():
    return load_spec()


def test_same_inputs_same_variants(course):
    first, second = draw_variants(course, 4, seed=11), draw_variants(course, 4, seed=11)
    assert [(v.id, v.seed, v.values, v.numbers) for v in first] == [(v.id, v.seed, v.values, v.numbers)
                                                                    for v in second]
    assert [v.values for v in draw_variants(course, 4, seed=12)] != [v.values for v in first]


def test_more_variants_keep_the_first_ones(course):
    five, eight = draw_variants(course, 5, seed=3), draw_variants(course, 8, seed=3)
    assert [(v.id, v.seed, v.values) for v in five] == [(v.id, v.seed, v.values) for v in eight[:5]]


def test_variant_ids():
    assert [variant_id(k) for k in (1, 42, 999, 1000)] == ["V001", "V042", "V999", "V1000"]


def test_a_variant_seed_regenerates_its_values(course):
    config = parse_exam(course)
    for variant in draw_variants(course, 3, seed=5):
        assert draw_values(course, config, variant.seed) == variant.values


def test_values_lie_on_their_grids(course):
    config = parse_exam(course)
    grids = {kind: set(config.grid(kind).points()) for kind in ("inputs", "targets", "weights", "biases")}
    for v in draw_variants(course, 10, seed=2):
        assert set(v.values.x) <= grids["inputs"] and set(v.values.y) <= grids["targets"]
        assert {w for layer in v.values.weights for row in layer for w in row} <= grids["weights"]
        assert 0.0 not in {w for layer in v.values.weights for row in layer for w in row}
        assert {b for layer in v.values.biases for b in layer} <= grids["biases"]


def test_document_text_does_not_change_the_draws(course):
    config = parse_exam(course)
    retitled = replace(course, title="Another title", exam={"points": {"L": 5}, "title": "P1"})
    assert spec_fingerprint(retitled, parse_exam(retitled)) == spec_fingerprint(course, config)
    regridded = replace(course, exam={"draw": {"inputs": {"min": 0, "max": 1, "step": 0.5}}})
    assert spec_fingerprint(regridded, parse_exam(regridded)) != spec_fingerprint(course, config)


def test_one_hot_targets():
    spec = parse_spec('[network]\nlayers = [2, 3]\nactivations = "softmax"\nloss = "cce"\n')
    for v in draw_variants(spec, 5, seed=1):
        assert sorted(v.values.y) == [0.0, 0.0, 1.0]


# -- every constraint, each with a draw that violates it -------------------------------------------
def _context(toml: str, values: Values) -> Context:
    spec = parse_spec(toml)
    config = parse_exam(spec)
    with np.errstate(all="ignore"):
        numbers = quantity_values(spec.network, values, config.training)
    proof = Prover(spec, config).of(values, numbers)
    return Context(spec, config, numbers, answers_fingerprint(config, numbers), frozenset(), proof)


ONE_UNIT = ('[network]\nlayers = [1, 1]\nactivations = "{act}"\nloss = "{loss}"\n'
            '[exam]\nquestions = ["L", "dL/dW0[0][0]"]\n')
RELU = '[network]\nlayers = [1, 1, 1]\nactivations = ["relu", "linear"]\nloss = "mse"\n'
TWO_INPUTS = ('[network]\nlayers = [2, 1]\nactivations = "sigmoid"\nloss = "mse"\n'
              '[exam]\nquestions = ["dL/dW0[0][0]", "dL/dW0[1][0]"]\n')
LINEAR_OUTPUT = '[network]\nlayers = [1, 1]\nactivations = "linear"\nloss = "mse"\n[exam]\nquestions = ["y0[0]"]\n'


def _values(w, x=1.0, y=0.0, b=0.0):
    return Values((x,), (y,), (((w,),),), ((b,),))


VIOLATIONS = {
    # (y - ŷ)² = 1e400 overflows float64 (a saturated sigmoid with bce is finite: its stable forms)
    "finite": lambda: _context(ONE_UNIT.format(act="linear", loss="sse"), _values(1e200)),
    "relu_margin": lambda: _context(RELU, Values((1.0,), (1.0,), (((0.02,),), ((0.5,),)), ((0.0,), (0.1,)))),
    "saturation": lambda: _context(ONE_UNIT.format(act="sigmoid", loss="mse"), _values(4.0)),  # |2σ-1| = 0.964
    "min_gradient": lambda: _context(ONE_UNIT.format(act="sigmoid", loss="mse"), _values(0.5, x=0.0)),
    "distinct": lambda: _context(ONE_UNIT.format(act="sigmoid", loss="mse"), _values(0.5)),  # + an equal earlier one
    # inputs ±1: ∂L/∂w_{1,0} = -∂L/∂w_{0,0}, one answer gives the other
    "independent": lambda: _context(TWO_INPUTS, Values((1.0, -1.0), (1.0,), (((0.3,), (0.2,)),), ((0.1,),))),
    # ŷ = 1.000004: the answer 1 is within one unit of the 5th decimal, and one extra decimal cannot refuse it
    "wrong_answer": lambda: _context(LINEAR_OUTPUT, _values(1.000004)),
}


def test_every_constraint_has_a_violating_case():
    assert set(VIOLATIONS) == {c.name for c in CONSTRAINTS}


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_a_draw_violating_one_constraint_is_rejected_by_it(name):
    context = VIOLATIONS[name]()
    if name == "distinct":
        context = replace(context, earlier=frozenset({context.fingerprint}))
    assert name in violations(context)


def test_a_well_behaved_draw_passes():
    context = _context(ONE_UNIT.format(act="sigmoid", loss="mse"), _values(0.5))
    assert violations(context) == []


def test_the_wrong_answer_constraint_asks_one_more_decimal_before_it_rejects():
    context = _context(LINEAR_OUTPUT, _values(1.00004))  # the answer 1 is 4e-5 away: 5 decimals refuse it
    assert violations(context) == []
    asked = context.prove()["y0[0]"]
    assert asked.decimals == 5 and not asked.accepts(1.0, 1.00004) and asked.accepts(1.00004, 1.00004)


def test_settings_switch_constraints_off():
    spec = parse_spec(RELU + "[exam.constraints]\nrelu_margin = 0\nsaturation = 1\nmin_gradient = 0\n"
                             "distinct = false\n")
    config = parse_exam(spec)
    numbers = quantity_values(spec.network, Values((1.0,), (1.0,), (((0.0,),), ((0.5,),)), ((0.0,), (0.1,))),
                              Training(0.5))
    fingerprint = answers_fingerprint(config, numbers)
    assert violations(Context(spec, config, numbers, fingerprint, frozenset({fingerprint}))) == []


def test_rejections_are_counted_and_accepted_draws_satisfy_all(course):
    strict = replace(course, exam={"constraints": {"saturation": 0.5}})
    drawer = Drawer(strict, 4)
    variants = drawer.draw(6)
    assert drawer.rejected["saturation"] > 0 and drawer.draws == 6 + sum(v.attempt for v in variants)
    for variant in variants:
        context = Context(strict, drawer.config, variant.numbers, "", frozenset())
        assert violations(context) == []


def test_impossible_constraints_fail_clearly(course):
    spec = replace(course, exam={"constraints": {"min_gradient": 100.0, "max_attempts": 20}})
    with pytest.raises(SpecError, match=r"variant V001: none of 20 draws .* min_gradient 20"):
        draw_variants(spec, 1, seed=1)


@pytest.mark.parametrize("seed", [-1, 1.5, True])
def test_seed_must_be_a_whole_number(course, seed):
    with pytest.raises(SettingError, match="seed"):
        Drawer(course, seed)


def test_independent_false_allows_answers_that_give_each_other():
    values = Values((1.0, -1.0), (1.0,), (((0.3,), (0.2,)),), ((0.1,),))
    context = _context(TWO_INPUTS + "[exam.constraints]\nindependent = false\n", values)
    assert context.numbers["dL/dW0[0][0]"] == -context.numbers["dL/dW0[1][0]"] != 0
    assert "independent" not in violations(context)


def test_a_hopeless_proof_names_the_setting_to_relax():
    spec = parse_spec(LINEAR_OUTPUT + "[exam.draw]\ninputs = {min = 1, max = 1, step = 1}\n"
                      "weights = {min = 1.000004, max = 1.000004, step = 0.000001}\nbiases = {min = 0, max = 0, step = 1}\n"
                      "targets = {min = 0, max = 0, step = 1}\n[exam.constraints]\ndistinct = false\n")
    with pytest.raises(SpecError, match=r"every one of the 1 possible draws fails .*wrong_answer \(a known wrong "
                                        r"answer within an answer's tolerance\): relax exam.answers.extra_decimals"):
        draw_variants(spec, 1, seed=1)
