"""Recomputes the worked numbers in the markdown cells of an autodiff notebook: f(x, y) = x^2 y + y + 2 at (3, 4),
z = sin(x^2) at x = 3 by forward and reverse mode, and dual-number arithmetic."""
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet  # noqa: E402

ws = Worksheet.beside(__file__)

# f(x, y) = x^2 y + y + 2; df/dx = 2xy, df/dy = x^2 + 1 at (3,4). "(3,4)" is not listed: written without a space it
# reads as the decimal 3,4, so x = 3 and y = 4 are taken from the prose ("At x=3 and y=4").
x, y = ws.implied(3.0), ws.implied(4.0)
ws.claim(87, "24", lambda a, b: 2 * a * b, x, y, kind="derivative")
ws.claim(87, "10", lambda a: a ** 2 + 1, x, kind="derivative")
ws.claim(122, "0", lambda: 0.0, kind="derivative")            # d(x^2 + 1)/dy

# forward mode, z(x) = sin(x^2) at x = 3 (x = 3 is prose): ds1/dx = 2x = 6, dz/dx = 6 cos(3^2)
x3 = ws.implied(3.0)
ds1 = ws.claim(463, "6", lambda a: 2 * a, x3, kind="derivative")
six = [ws.restate(463, "6", ds1) for _ in range(3)]
three = ws.restate(463, "3", x3)
ws.claim(463, "5.46", lambda s, t: -s * math.cos(t ** 2), six[2], three, kind="derivative",
         note="6 cos(3^2) = -5.4668, which rounds to -5.47; -5.46 is 6 x (-0.91) with the cosine rounded first "
              "(line 502); the minus is glued to the approx sign and not part of the written number")

# reverse mode: dz/ds1 = cos(3^2) ~ -0.91, dz/dx = 2x . -0.91 = 6 . -0.91 = -5.46
three502 = ws.restate(502, "3", x3)
cos9 = ws.claim(502, "-0.91", lambda t: math.cos(t ** 2), three502, kind="derivative")
cos_again = [ws.restate(502, "-0.91", cos9) for _ in range(3)]
six502 = ws.claim(502, "6", lambda a: 2 * a, x3, kind="derivative")
cos_last = ws.restate_signed(502, "0.91", cos9, -1)                  # "6\cdot-0.91": the minus follows \cdot
ws.claim(502, "-5.46", lambda s, c: -s * c, six502, cos_last, kind="derivative")

# dual numbers: epsilon^2 = 0; 3 + (3 + 4e) = 6 + 4e; (3 + 4e)(5 + 7e) = 15 + 41e
eps2 = ws.given(623, "0")
a, a2, b = ws.given(702, "3"), ws.given(702, "3"), ws.given(702, "4")
ws.claim(702, "6", lambda p, q: p + q, a, a2)
ws.restate(702, "4", b)

p, q, r, s = ws.given(729, "3"), ws.given(729, "4"), ws.given(729, "5"), ws.given(729, "7")
p1, r1, p2, s1 = ws.restate(729, "3", p), ws.restate(729, "5", r), ws.restate(729, "3", p), ws.restate(729, "7", s)
q1, r2, q2, s2 = ws.restate(729, "4", q), ws.restate(729, "5", r), ws.restate(729, "4", q), ws.restate(729, "7", s)
prod15 = ws.claim(729, "15", lambda u, v: u * v, p1, r1)
prod21 = ws.claim(729, "21", lambda u, v: u * v, p2, s1)
prod20 = ws.claim(729, "20", lambda u, v: u * v, q1, r2)
prod28 = ws.claim(729, "28", lambda u, v: u * v, q2, s2)
ws.restate(729, "15", prod15)
sum41 = ws.claim(729, "41", lambda u, v: u + v, prod21, prod20)
ws.restate(729, "28", prod28)
ws.restate(729, "0", eps2)
ws.restate(729, "15", prod15)
ws.restate(729, "41", sum41)

EXPECTED_ERRORS = [(463, "5.46", "derivative")]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Autodiff notebook (ageron/handson-ml2: extra_autodiff.ipynb), whole file: one rounding slip in a derivative.
tolerance_note = "Lines and columns are in the .ipynb JSON. Integers are exact; -0.91 is cos(9) = -0.91113 rounded, so 6 x -0.91 = -5.46 (line 502) is right as the product of its printed operands, but line 463 writes 6 cos(3^2) ~ -5.46 straight from exact operands, and that is -5.4668 (-5.47 to two decimals). x = 3 and y = 4 are in prose; '(3,4)' is not listed because without a space it reads as a decimal comma. Minus signs glued to a command (\\\\approx-5.46, \\\\cdot-0.91) are not part of the written number. The Hessians 8, 6, 6, 0 are in prose, not math. Line 647's denominator has a symbolic slip (- b_2^2 epsilon for - b_2^2 epsilon^2) with no number in it; not listed."''')
