"""Recomputes the numbers the CS231n notes state in math: f(x, y) = x y at (4, -3), and q = x + y's local gradients."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet  # noqa: E402

ws = Worksheet.beside(__file__)
x, y = ws.given(15, "4"), ws.given(15, "-3")
ws.claim(15, "-12", lambda u, v: u * v, x, y)
ws.claim(15, "-3", lambda u, v: v, x, y, kind="derivative")      # df/dx = y
ws.claim(15, "4", lambda u, v: u, x, y, kind="derivative")       # df/dy = x
ws.given(33, "4"), ws.given(33, "2")                              # max(x, y) at (4, 2): only the inputs are in math
ws.given(40, "1"), ws.given(40, "1")                              # dq/dx = dq/dy = 1 for q = x + y: exact local gradients

EXPECTED_ERRORS = []  # the notes are right; the numbers in code blocks, comments and the SVG circuits are never math

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# CS231n "Backpropagation, Intuitions" (cs231n/cs231n.github.io), lines 32-180: no errors; kept for false positives.
tolerance_note = "Whole numbers, exact. The worked numbers of the circuits are in Python code blocks, code comments ('q becomes 3') and SVG <text> elements, and in prose ('(1 - 0.73) * 0.73 ~= 0.2'): none of them is math, none may be judged."''')
