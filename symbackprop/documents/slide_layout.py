"""Frames of a deck measured from their content at the deck's one body size: nothing is scaled, what does not fit
on a frame is split between whole ideas (a layer, a unit, a matrix group), and only a single quantity taller than
a frame continues on the next one."""
from dataclasses import replace

from symbackprop.documents.worked_steps import Step

FRAME_LINES = 12.2  # plain display lines a frame holds between its title and footline, with a margin (measured)
FRACTION = 1.6  # a display line with a displayed fraction, in plain lines (measured)
SUM = 1.8  # a line with a sum and its limits
MATRIX_ROW, MATRIX_EDGE = 0.85, 0.3  # a matrix of r rows: MATRIX_EDGE + MATRIX_ROW * r plain lines
CASES_ROW, CASES_EDGE = 1.2, 0.2
DELIMITED = 1.15  # a line with \\left( ... \\right) delimiters around subscripted symbols
TEXT_LINE = 1.0  # one line of a sentence or a bold block title at the body size
CHARACTERS_PER_LINE = 80  # characters of a sentence on one line at the body size


def text_height(text: str) -> float:
    """Display lines a sentence takes on a frame."""
    return TEXT_LINE * max(1, -(-len(text) // CHARACTERS_PER_LINE)) if text else 0.0


def line_height(tex: str) -> float:
    """One display line's height at the body size, in plain lines: its tallest part decides."""
    height = DELIMITED if r"\left" in tex else 1.0
    if r"\frac" in tex:
        height = FRACTION
    if r"\sum_" in tex:
        height = max(height, SUM)
    for environment, row, edge in (("matrix", MATRIX_ROW, MATRIX_EDGE), ("cases", CASES_ROW, CASES_EDGE)):
        for part in tex.split(rf"\begin{{{environment}}}")[1:]:
            rows = part.split(rf"\end{{{environment}}}")[0].count("\\\\") + 1
            height = max(height, edge + row * rows)
    return height


def step_height(step: Step) -> float:
    """A step's display height at the body size, in plain lines."""
    return sum(line_height((step.lhs if n == 0 else "") + line.tex) for n, line in enumerate(step.lines))


def _height(steps: list[Step]) -> float:
    return sum(step_height(step) for step in steps)


def _split_step(step: Step, budget: float) -> list[list[Step]]:
    """A step taller than a frame as runs of its lines; the runs after the first continue it (no lhs)."""
    runs, lines = [], []
    for line in step.lines:
        trial = replace(step, lhs=step.lhs if not runs else "", lines=tuple(lines + [line]))
        if lines and step_height(trial) > budget:
            runs.append([replace(step, lhs=step.lhs if not runs else "", lines=tuple(lines))])
            lines = []
        lines.append(line)
    runs.append([replace(step, lhs=step.lhs if not runs else "", lines=tuple(lines))])
    return runs


def _groups(steps: list[Step]) -> list[list[Step]]:
    """Consecutive steps of one non-empty group as one list."""
    out: list[list[Step]] = []
    for step in steps:
        if out and step.group and out[-1][-1].group == step.group:
            out[-1].append(step)
        else:
            out.append([step])
    return out


def blocks(sections: list[list[Step]], budget: float = FRAME_LINES) -> list[list[Step]]:
    """Unbreakable blocks of at most `budget`: a whole section (a layer) when it fits, else its groups (a unit, a
    matrix group), else its steps, else a step's lines."""
    out = []
    for section in sections:
        if not section:
            continue
        if _height(section) <= budget:
            out.append(section)
            continue
        for group in _groups(section):
            if _height(group) <= budget:
                out.append(group)
                continue
            for step in group:
                out += [[step]] if step_height(step) <= budget else _split_step(step, budget)
    return out


def pack(heights: list[float], budget: float = FRAME_LINES) -> list[list[int]]:
    """Items of the given heights (in order) on the fewest frames of at most `budget`, filled evenly."""
    count, used = (1 if heights else 0), 0.0
    for height in heights:
        if used and used + height > budget:
            count, used = count + 1, 0.0
        used += height
    remaining, out, index = sum(heights), [], 0
    while index < len(heights):
        target = remaining / max(count - len(out), 1)
        page, used = [], 0.0
        while index < len(heights):
            height = heights[index]
            if page and (used + height > budget or used + height / 2 > target):
                break
            page.append(index)
            used += height
            index += 1
        out.append(page)
        remaining -= used
    return out


def frames(sections: list[list[Step]], budget: float = FRAME_LINES) -> list[list[Step]]:
    """Sections of steps on frames: whole sections where they fit, never split inside a group that fits."""
    parts = blocks(sections, budget)
    return [[step for n in page for step in parts[n]] for page in pack([_height(part) for part in parts], budget)]


def sections_by(steps: list[Step], key) -> list[list[Step]]:
    """Consecutive steps with the same key(step) as one section."""
    out: list[list[Step]] = []
    for step in steps:
        if out and key(out[-1][-1]) == key(step):
            out[-1].append(step)
        else:
            out.append([step])
    return out
