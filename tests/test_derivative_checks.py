"""Checking written derivatives: symbolic cancellation within a size bound, exact points, forms in g."""
import mpmath
import pytest
import sympy

from symbackprop.model import derivative_checks as checks

v, g = sympy.symbols("v g", real=True)
SIGMOID = 1 / (1 + sympy.exp(-v))
SWISH = v * SIGMOID


@pytest.mark.parametrize("written, exact, equal", [
    ((g + SIGMOID * (1 - g)).subs(g, SWISH), sympy.diff(SWISH, v), True),
    (1 - sympy.tanh(v) ** 2, sympy.diff(sympy.tanh(v), v), True),
    (SWISH * (1 - SWISH), sympy.diff(SWISH, v), False),
    ((v + 1) ** 40, (v + 1) ** 40 + 0, True),  # identical: SymPy folds the difference to 0 before any work
    ((v + 1) ** 40, sympy.expand((v + 1) ** 40), False),  # equal, but past the power bound: not tried
])
def test_symbolic_check_proves_only_within_its_bound(written, exact, equal):
    assert checks.provably_equal(written, exact) is equal


def test_a_difference_is_reported_at_the_first_exact_point():
    point, got, want = checks.first_difference(SWISH * (1 - SWISH), sympy.diff(SWISH, v), checks.activation_points(v))
    assert point == {v: sympy.Rational(-7, 3)}
    with mpmath.workdps(60):
        s = 1 / (1 + mpmath.exp(mpmath.mpf(7) / 3))
        swish = -mpmath.mpf(7) / 3 * s
        assert abs(got - swish * (1 - swish)) < 1e-40
        assert abs(want - (s + (-mpmath.mpf(7) / 3) * s * (1 - s))) < 1e-40


def test_values_refuse_the_off_domain_and_the_huge():
    with pytest.raises(checks.Undefined):
        checks.value(sympy.log(v), {v: sympy.Rational(-1, 2)})
    with pytest.raises(checks.Undefined):
        checks.value(sympy.exp(sympy.exp(sympy.exp(v))), {v: sympy.Integer(3)})  # e^(e^20) is past 1e200
    assert checks.value(sympy.Piecewise((v, v > 0), (2 * v, True)), {v: sympy.Integer(-3)}) == -6


@pytest.mark.parametrize("g_expr, expected", [
    (SIGMOID, g * (1 - g)),
    ((sympy.exp(v) - sympy.exp(-v)) / (sympy.exp(v) + sympy.exp(-v)), 1 - g**2),
    (sympy.exp(2 * v), 2 * g),
    (SWISH, None),
])
def test_a_derivative_is_written_in_g_when_it_is_a_small_polynomial_in_g(g_expr, expected):
    found = checks.in_terms_of(sympy.diff(g_expr, v), g_expr, g, v)
    assert found == expected if expected is None else sympy.expand(found - expected) == 0
