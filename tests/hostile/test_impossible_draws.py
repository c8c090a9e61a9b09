"""Exam draws stop with one line naming the constraint when the constraints look impossible, whatever
max_attempts says (the limits are lowered here so that each test draws a few dozen times)."""
import pytest

from symbackprop.errors import SpecError
from symbackprop.exams import variants
from symbackprop.exams.variants import Drawer
from symbackprop.model.spec import parse_spec
from tests.hostile.corpus import spec


def test_a_hopeless_start_stops_naming_the_constraint(monkeypatch):
    monkeypatch.setattr(variants, "HOPELESS_DRAWS", 30)
    drawer = Drawer(parse_spec(spec(append="\n[exam.constraints]\nmin_gradient = 1e9\nmax_attempts = 1000000\n")), 7)
    with pytest.raises(SpecError) as info:
        drawer.draw(2)
    message = str(info.value)
    assert message.startswith("exam: variant V001: none of the first 30 draws passed (rejections: min_gradient 30)")
    assert "relax exam.constraints.min_gradient" in message
    assert drawer.draws == 30


def test_a_run_stops_at_its_total_draw_limit(monkeypatch):
    monkeypatch.setattr(variants, "MAX_TOTAL_DRAWS", 2)
    drawer = Drawer(parse_spec(spec()), 7)
    with pytest.raises(SpecError, match="exam: variant V003: this run drew 2 times, its limit"):
        drawer.draw(5)
    assert len(drawer.variants) == 2 and drawer.draws == 2


def test_possible_draws_multiplies_the_grid_sizes():
    grids = ("\n[exam.draw]\ninputs = {min = 0, max = 1, step = 1}\ntargets = {min = 0, max = 1, step = 1}\n"
             "weights = {min = 0.5, max = 0.5, step = 0.5}\nbiases = {min = -1, max = 1, step = 1}\n")
    drawer = Drawer(parse_spec(spec(append=grids)), 1)
    # 2 inputs of 2 values, 2 targets of 2 values, 9 weights of 1 value, 5 biases of 3 values: 2^2 * 2^2 * 3^5
    assert drawer.possible == 4 * 4 * 3**5
