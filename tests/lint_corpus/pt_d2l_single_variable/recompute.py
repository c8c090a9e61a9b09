"""Recomputes the worked numbers of a Portuguese appendix on single-variable calculus: epsilon and epsilon^2, the
derivative of L(x) = x^2 + 1701(x - 4)^3 at x = 4, and 3! in the Taylor polynomial."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet  # noqa: E402

ws = Worksheet.beside(__file__)


def dL(x):
    """dL/dx for L(x) = x^2 + 1701 (x - 4)^3, the document's own loss (line 119)."""
    return 2 * x + 3 * 1701 * (x - 4) ** 2


eps = ws.given(17, "0.0000001")

# L(x) = x^2 + 1701(x-4)^3 at x = 4: the finite differences approach 8 = dL/dx(4)
x = ws.given(119, "4", occurrence=2)                    # the first 4 on the line is the constant of (x-4)
slope = ws.claim(132, "8", dL, x, kind="derivative")
ws.restate(132, "8", slope), ws.restate(132, "8", slope)
ws.restate(132, "4", x)
ws.restate(135, "4", x), ws.restate(135, "4", x)
ws.restate(135, "8", slope)
ws.restate(141, "8", slope)

# "se epsilon = 0.0000001, então epsilon^2 = 0.0000000000001"
e214 = ws.restate(214, "0.0000001", eps)
ws.claim(214, "0.0000000000001", lambda e: e ** 2, e214,
         note="(10^-7)^2 = 10^-14 = 0.00000000000001; the printed number has 13 decimals, 10^-13")

# Taylor: "onde $6 = 3 \times 2 = 3!$"
three, two = ws.given(423, "3"), ws.given(423, "2")
ws.claim(423, "6", lambda a, b: a * b, three, two)
ws.restate(423, "3", three)                             # 3! = 6 as well

# Taylor series of e^x at x_0 = 0
ws.given(448, "0")

EXPECTED_ERRORS = [(214, "0.0000000000001", "arithmetic")]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Cálculo de uma variável (d2l-ai/d2l-pt, appendix), whole file: epsilon^2 written with one zero too few.
tolerance_note = "Integers and the given epsilon are exact; epsilon^2 = 10^-14 is written 0.0000000000001 (10^-13), off by a factor of 10. Numbers of code blocks and their printouts are not math. Constants of formulas are not listed (1701, the 4 of (x-4), exponents, the 0 of epsilon -> 0, the denominators 2 of Taylor's formula, n=2 and n=3 as cases), nor the plot ranges [0, 3] and [1.75,2.25] (the latter also a decimal-comma trap: 1.75,2.25). The derivative rules of lines 174-185 are symbolic. The 3 of 3! is listed as a restatement of the 3 of 3 x 2."''')
