"""The tolerance policy: decimals or significant figures from the question's scale, the step of an updated
parameter, the carried path, and the precision that refuses every known wrong answer."""
import math

import pytest
from hypothesis import given, settings, strategies as st

from symbackprop.checking.tolerance import Policy, Precision, precision, separating


@pytest.mark.parametrize("value, decimals, tolerance, significant", [
    (0.5474, 4, 1e-4, None),  # an ordinary magnitude: 4 decimals, one unit of the last
    (-0.8412, 4, 1e-4, None),
    (12.5, 4, 1e-4, None),
    (0.0123, 4, 1e-4, None),  # 3 significant figures fit in 4 decimals
    (0.00123, 5, 1e-5, 3),  # a small gradient: 3 significant figures, 5 decimals
    (-0.000456, 6, 1e-6, 3),
    (0.0, 4, 1e-4, None),
])
def test_precision_from_the_magnitude(value, decimals, tolerance, significant):
    p = precision(value)
    assert (p.decimals, p.significant) == (decimals, significant)
    assert p.tolerance == pytest.approx(tolerance, rel=1e-12)


def test_an_updated_parameter_is_judged_on_its_step():
    w, change = 0.6, -0.5 * 0.0085  # w - η g with g = 0.0085
    p = precision(w + change, change=change)
    assert (p.decimals, p.significant) == (5, 3) and p.tolerance == pytest.approx(1e-5)  # 0.00425: 3 figures
    assert not p.accepts(w, w + change)  # the un-updated weight is refused
    assert p.accepts(round(w + change, 5), w + change)
    # the old rule, max(1e-4, 1% of |w|), accepted the un-updated weight
    assert abs(w - (w + change)) <= max(1e-4, 0.01 * abs(w + change))


def test_the_carried_path_widens_the_tolerance():
    exact, carried = 0.123456, 0.12362
    p = precision(exact, carried=carried)
    assert p.tolerance == pytest.approx(abs(carried - exact) + 0.5e-4)
    assert p.accepts(round(carried, 4), exact) and p.accepts(exact, exact) and p.accepts(round(exact, 4), exact)
    assert not p.accepts(exact + 3e-4, exact)


def test_a_carried_path_by_decimals_is_asked_at_the_decimals_tried():
    exact = 0.5
    p = separating(exact, {"early": 0.50012}, carried=lambda d: exact + 10.0 ** -d)
    assert p.decimals == 5 and p.tolerance == pytest.approx(1.5e-5)


def test_separating_asks_more_digits_until_no_wrong_value_is_accepted():
    value = 0.54741
    p = separating(value, {"close": 0.54749, "zero": 0.0})
    assert p.decimals == 5 and p.tolerance == pytest.approx(1e-5)
    assert not p.accepts(0.54749, value) and p.accepts(round(value, 5), value)
    assert separating(value, {"zero": 0.0}) == precision(value)  # nothing to separate: the policy's precision


def test_separating_ignores_a_mistake_that_changes_nothing_and_gives_up_beyond_max_decimals():
    value = 0.25
    assert separating(value, {"same": value * (1 + 1e-14)}) == precision(value)
    assert separating(value, {"twin": value + 1e-12}, Policy(max_decimals=8)) is None


def test_old_abs_and_rel_tol_bound_the_asked_unit():
    assert precision(0.5, Policy(decimals=2, widest=1e-3)).decimals == 3
    assert precision(0.5, Policy(decimals=2, widest_relative=1e-3)).decimals == 4  # 1e-3 × 0.5 = 5e-4
    assert precision(0.5, Policy(decimals=4, widest=1e-2)).decimals == 4  # a looser bound never widens


def test_non_finite_answers_are_refused():
    p = Precision(4, 1e-4)
    assert not p.accepts(math.nan, 0.5) and not p.accepts(math.inf, 0.5) and not p.accepts(0.5, math.nan)


@settings(max_examples=300, deadline=None)
@given(st.floats(-50, 50, allow_nan=False).filter(lambda v: abs(v) > 1e-9),
       st.one_of(st.none(), st.floats(-1, 1).filter(lambda c: abs(c) > 1e-9)))
def test_the_exact_answer_and_the_answer_at_declared_precision_are_accepted(value, change):
    p = precision(value, change=change)
    assert p.accepts(value, value)
    assert p.accepts(round(value, p.decimals), value)
    assert p.tolerance <= 10.0 ** -p.decimals * (1 + 1e-12)
    if p.significant and p.decimals < Policy().max_decimals:  # one unit of the third figure: at most 1%
        assert p.tolerance <= 0.01 * abs(change if change is not None else value) * (1 + 1e-9)
