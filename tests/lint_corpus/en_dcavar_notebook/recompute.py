"""Recomputes the few value claims in the markdown cells of a backpropagation notebook built around code cells."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet, sigmoid  # noqa: E402

ws = Worksheet.beside(__file__)

# "If the network guessed something close to $x=0, y=0.5$": a point on the sigmoid, and it is one
x = ws.given(393, "0")
ws.claim(393, "0.5", sigmoid, x)

# "for the input $[ 1, 0, 1 ]$ and the weights $[ 9.5, 0.2, -0.1 ]$ and an output of $0.99$: If $y = 1$,
# the $l1\_error = y - l2 = 0.01$, and $l1\_delta = 0.01 * tiny\_deriv$"
inputs = [ws.given(409, "1"), ws.given(409, "0"), ws.given(409, "1")]
weights = [ws.given(409, "9.5"), ws.given(409, "0.2"), ws.given(409, "-0.1")]
output = ws.given(409, "0.99")   # stated, not computed: sigmoid(9.4) = 0.99992, the text says "an output of 0.99"
y = ws.given(409, "1")
error = ws.claim(409, "0.01", lambda t, o: t - o, y, output)
ws.restate(409, "0.01", error)

EXPECTED_ERRORS = []

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Backpropagation notebook (dcavar/python-tutorial-notebooks), whole file: no true errors; kept for false positives.
tolerance_note = "Lines and columns are in the .ipynb JSON. Almost every number is in code cells (not math) or is a constant of prose in math: the range $0$ and $1$, the dots at $x = 0$, $x = 2$, $x = -1$, a 4 by 1 matrix, $1$ in column $1$ or $2$; none of those is a value claim and none is listed. The two claims are y = 0.5 at x = 0 (sigmoid(0)) and l1_error = 1 - 0.99 = 0.01. The output 0.99 is stated for an illustration, not computed from the weights (sigmoid(9.5 - 0.1) = 0.99992), so it is listed as given."''')
