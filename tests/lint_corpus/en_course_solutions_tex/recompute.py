"""Recomputes an instructor's LaTeX solutions (sessions 5-6): MSE, gradient descent, chain rule, one sigmoid neuron, delta."""
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet, sigmoid  # noqa: E402

ws = Worksheet.beside(__file__)

# Question "MSE by Hand": y and y_hat are table cells in text mode, the squared errors and the MSE are math
sq = []
for line, (y, yhat, written) in zip((23, 24, 25), (("2.0", "2.5", "0.25"), ("4.0", "3.0", "1.00"), ("1.0", "1.5", "0.25"))):
    t, p = ws.given(line, y), ws.given(line, yhat)
    sq.append(ws.claim(line, written, lambda a, b: (b - a) ** 2, t, p))
terms = [ws.restate(31, n.written, n) for n in sq]
total = ws.claim(31, "1.50", lambda a, b, c: a + b + c, *terms)
ws.claim(31, "0.5", lambda s: s / 3, total)

# Question "Manual Gradient Descent": dL/dw = 2w - 6 and L(3) = 1 fix L(w) = (w - 3)^2 + 1 (= w^2 - 6w + 10)
two, six = ws.given(72, "2"), ws.given(72, "6")
w_star = ws.claim(72, "3", lambda a, b: b / a, two, six)
ws.restate(72, "3", w_star)
l_min = ws.given(72, "1")


def loss(w, c=l_min):
    return (w - 3.0) ** 2 + c.value


w0 = ws.given(79, "0.000")
ws.claim(79, "10.000", loss, w0)
g0 = ws.claim(79, "-6.000", lambda w: 2 * w - 6, w0, kind="derivative")
w0r, eta = ws.restate(79, "0", w0), ws.given(79, "0.2")
w1 = ws.claim(79, "1.200", lambda w, e, g: w - e * g, w0r, eta, ws.restate(79, "-6", g0), kind="update")
w1r = ws.restate(80, "1.200", w1)
ws.claim(80, "4.840", loss, w1r, note="L(1.2) = (1.2 - 3)^2 + 1 = 4.24 (from dL/dw = 2w - 6 and L(3) = 1)")
g1 = ws.claim(80, "-3.600", lambda w: 2 * w - 6, w1r, kind="derivative")
w2 = ws.claim(80, "1.920", lambda w, e, g: w - e * g, ws.restate(80, "1.2", w1), ws.restate(80, "0.2", eta),
              ws.restate(80, "-3.6", g1), kind="update")
ws.restate(85, "3.0", w_star)

# Question "Partial Derivatives": u = 2 - w1 - 3 w2 at (1, 0)
p1, p2 = ws.given(112, "1"), ws.given(112, "0")
u = ws.claim(112, "1", lambda a, b, c: a - b - c, ws.given(112, "2"), ws.restate(112, "1", p1), ws.restate(112, "0", p2))
ws.claim(115, "-2", lambda v: -2 * v, u, kind="derivative")
ws.claim(115, "-6", lambda v: -6 * v, u, kind="derivative")

# Question "Chain Rule - Numerical": y = (2x + 1)^3 at x = 1
x1 = ws.given(188, "1")
u3 = ws.claim(188, "3", lambda x: 2 * x + 1, x1)
ws.claim(191, "54", lambda c, v: c * v ** 2, ws.given(191, "6"), ws.restate(191, "3", u3), kind="derivative")

# Questions "Forward Pass by Hand" and "Backward Pass by Hand": z = wx + b, y_hat = sigma(z), e = y_hat - y, L = e^2
w, b, x, y = ws.given(200, "0.8"), ws.given(200, "-0.3"), ws.given(200, "1.5"), ws.given(200, "1")
z = ws.claim(207, "0.9", lambda a, c, d: a * c - d, ws.restate(207, "0.8", w), ws.restate(207, "1.5", x),
             ws.restate_signed(207, "0.3", b, -1))
zs = [ws.restate(208, "0.9", z) for _ in range(2)]
yhat = ws.claim(208, "0.7109", sigmoid, zs[0])
e = ws.claim(209, "-0.2891", lambda p, t: p - t, ws.restate(209, "0.7109", yhat), ws.restate(209, "1", y))
loss_value = ws.claim(210, "0.0836", lambda v: v ** 2, ws.restate(210, "-0.2891", e))
for n in (z, yhat, loss_value):
    ws.restate(216, n.written, n)
for n in (e, yhat, z, x):
    ws.restate(225, n.written, n)
dl_de = ws.claim(233, "-0.5782", lambda v: 2 * v, ws.restate(233, "-0.2891", e), kind="derivative")
dl_dyhat = ws.restate(235, "-0.5782", dl_de)
dl_dz = ws.claim(237, "-0.1189", lambda g, p, q: g * p * q, ws.restate(237, "-0.5782", dl_dyhat),
                 ws.restate(237, "0.7109", yhat), ws.claim(237, "0.2891", lambda p: 1 - p, yhat),
                 note="-0.5782 x 0.7109 x 0.2891 = -0.118832 (the definitions give -0.118799): -0.1188")
dl_dw = ws.claim(239, "-0.1784", lambda g, v: g * v, ws.restate(239, "-0.1189", dl_dz), ws.restate(239, "1.5", x),
                 kind="derivative")
dl_db = ws.restate(241, "-0.1189", dl_dz)
lr = ws.given(250, "1.0")
w_new = ws.claim(252, "0.9784", lambda a, r, g: a - r * g, ws.restate(252, "0.8", w), ws.restate(252, "1.0", lr),
                 ws.restate(252, "-0.1784", dl_dw), kind="update")
b_new = ws.claim(253, "-0.1811", lambda a, r, g: a - r * g, ws.restate(253, "-0.3", b), ws.restate(253, "1.0", lr),
                 ws.restate(253, "-0.1189", dl_db), kind="update")
ws.restate(257, "0.9784", w_new), ws.restate(257, "-0.1811", b_new)

# Question "Error Signal delta": delta1 = (W2^T delta2) (.) sigma'(z1)
d2 = ws.given(265, "-0.20")
W2 = [ws.given(266, "0.6"), ws.given(266, "-0.4")]
z1 = [ws.given(267, "0.6"), ws.given(267, "-0.3")]
ws.restate(273, "0.6", W2[0]), ws.restate(273, "-0.4", W2[1]), ws.restate(273, "-0.20", d2)
back = [ws.claim(274, "-0.120", lambda a, d: a * d, W2[0], d2), ws.claim(274, "0.080", lambda a, d: a * d, W2[1], d2)]
slopes = []
for line, zk, s_written, m_written, d_written in ((280, z1[0], "0.6457", "0.3543", "0.2288"),
                                                  (281, z1[1], "0.4256", "0.5744", "0.2445")):
    s = ws.claim(line, s_written, sigmoid, ws.restate(line, zk.written, zk))
    ws.restate(line, zk.written, zk)
    m = ws.claim(line, m_written, lambda v: 1 - v, s)
    slopes.append(ws.claim(line, d_written, lambda p, q: p * q, ws.restate(line, s_written, s), m, kind="derivative"))
for line in (284, 293):
    for n in slopes:
        ws.restate(line, n.written, n)
for n in back:
    ws.restate(291, n.written, n)
ws.claim(297, "-0.0275", lambda a, c: a * c, back[0], slopes[0], kind="derivative")
ws.claim(297, "0.0196", lambda a, c: a * c, back[1], slopes[1], kind="derivative")

EXPECTED_ERRORS = [
    (80, "4.840", "arithmetic"), (237, "-0.1189", "arithmetic"),
    (239, "-0.1189", "consistent"), (239, "-0.1784", "consistent"), (241, "-0.1189", "consistent"),
    (252, "-0.1784", "consistent"), (252, "0.9784", "consistent"), (253, "-0.1189", "consistent"),
    (253, "-0.1811", "consistent"), (257, "0.9784", "consistent"), (257, "-0.1811", "consistent"),
]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Session 6 solutions, Neural Networks for Engineers (smaxx73/Neural-Network-Course), whole file.
tolerance_note = "Four decimals; a result is right within half a unit of its last digit of what the printed operands give, or of what the definitions give unrounded. L(w) is never written in this file: dL/dw = 2w - 6 and L(3) = 1 (line 72) fix it as (w - 3)^2 + 1, the quiz's w^2 - 6w + 10. The table inputs of 'MSE by Hand' are text-mode cells (listed as given, not math)."''')
