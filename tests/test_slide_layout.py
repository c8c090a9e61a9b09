"""Frames measured from their content: heights of display lines, splits between whole ideas, even filling."""
from symbackprop.documents import slide_layout
from symbackprop.documents.slide_layout import FRACTION, blocks, frames, line_height, pack, step_height
from symbackprop.documents.worked_steps import Line, Step


def _step(name: str, lines: int = 1, group: str = "") -> Step:
    return Step(name, name, tuple(Line("=", f"{name}_{n}") for n in range(lines)), group=group)


def test_line_heights_follow_the_tallest_part():
    assert line_height("a + b") == 1.0
    assert line_height(r"\frac{\partial L}{\partial v}") == FRACTION
    three_rows = r"\left[\begin{matrix}1 \\ 2 \\ 3\end{matrix}\right]"
    assert line_height(three_rows) == slide_layout.MATRIX_EDGE + 3 * slide_layout.MATRIX_ROW
    assert line_height(r"\frac{1}{2} " + three_rows) == line_height(three_rows)  # the matrix is taller
    assert step_height(_step("v", 3)) == 3.0


def test_a_section_that_fits_stays_whole_else_splits_at_its_groups_then_steps_then_lines():
    layer = [_step("v0", 2, "unit0"), _step("y0", 2, "unit0"), _step("v1", 2, "unit1"), _step("y1", 2, "unit1")]
    assert blocks([layer], budget=8) == [layer]
    assert blocks([layer], budget=5) == [layer[:2], layer[2:]]
    assert blocks([layer], budget=3) == [[step] for step in layer]
    tall = _step("L", 5)
    runs = blocks([[tall]], budget=2)
    assert [len(run[0].lines) for run in runs] == [2, 2, 1]
    assert [run[0].lhs for run in runs] == ["L", "", ""]  # a quantity continued on the next frame has no lhs
    assert [line for run in runs for line in run[0].lines] == list(tall.lines)


def test_frames_are_few_and_filled_evenly():
    assert pack([3, 3, 3, 3], budget=10) == [[0, 1], [2, 3]]  # greedy would leave 9 + 3
    assert pack([6, 6, 6], budget=12) == [[0, 1], [2]]
    assert pack([], budget=12) == []
    sections = [[_step("x", 4)], [_step("W", 4)], [_step("b", 4)]]
    assert [[s.name for s in page] for page in frames(sections, budget=8)] == [["x", "W"], ["b"]]
