"""Recomputes the Session 6 exercise solutions in Markdown: each exercise its own network, its givens stated anew."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet, sigmoid  # noqa: E402

ws = Worksheet.beside(__file__)
R, C = ws.restate, ws.claim

# Exercise 3.1: z = w x + b, y_hat = sigma(z), e = y_hat - y, L = e^2
x, w, b, y = ws.given(35, "2"), ws.given(35, "0.5"), ws.given(35, "-0.5"), ws.given(35, "1")
z1 = C(41, "1.0", lambda p, q: p * q, R(41, "0.5", w), R(41, "2", x))
z = C(42, "0.5", lambda p, q: p - q, R(42, "1.0", z1), ws.restate_signed(42, "0.5", b, -1))
R(43, "0.5", z), R(43, "0.5", z)
yhat = C(43, "0.6225", sigmoid, z)
e = C(44, "-0.3775", lambda p, t: p - t, R(44, "0.6225", yhat), R(44, "1", y))
C(45, "0.1425", lambda v: v ** 2, R(45, "-0.3775", e))
de = C(51, "-0.7550", lambda v: 2 * v, R(51, "-0.3775", e), kind="derivative")
dyhat = R(52, "-0.7550", de)
dz = C(53, "-0.1774", lambda g, p, q: g * p * q, R(53, "-0.7550", dyhat), R(53, "0.6225", yhat),
       C(53, "0.3775", lambda v: 1 - v, yhat), kind="derivative")
C(54, "-0.3549", lambda g, v: g * v, R(54, "-0.1774", dz), R(54, "2", x), kind="derivative")
R(55, "-0.1774", dz)

# Exercise 5.1: delta^(2) and a^(1) are stated, a scope of its own
d2 = ws.given(63, "-0.1903")
a1 = [ws.given(63, "0.6457"), ws.given(63, "0.4256")]
d2r = R(66, "-0.1903", d2)
a1r = [R(66, "0.6457", a1[0]), R(66, "0.4256", a1[1])]
C(66, "-0.1229", lambda u, v: u * v, d2r, a1r[0], kind="derivative")
C(66, "-0.0810", lambda u, v: u * v, d2r, a1r[1], kind="derivative")
R(70, "-0.1903", d2)

# Exercise 5.2: delta^(1) and x stated
d1 = [ws.given(79, "-0.0261"), ws.given(79, "0.0186")]
x5 = [ws.given(79, "1"), ws.given(79, "0")]
d1r = [R(82, "-0.0261", d1[0]), R(82, "0.0186", d1[1])]
xr = [R(82, "1", x5[0]), R(82, "0", x5[1])]
C(82, "-0.0261", lambda u, v: u * v, d1r[0], xr[0], kind="derivative")
C(82, "0", lambda u, v: u * v, d1r[0], xr[1], kind="derivative")
C(82, "0.0186", lambda u, v: u * v, d1r[1], xr[0], kind="derivative")
C(82, "0", lambda u, v: u * v, d1r[1], xr[1], kind="derivative")
R(86, "-0.0261", d1[0]), R(86, "0.0186", d1[1])

# Exercise 9.1: 1-1-1 sigmoid, L = (y - y_hat)^2, eta = 1.0
w1, b1, w2, b2 = ws.given(137, "0.5"), ws.given(137, "0"), ws.given(137, "-1.0"), ws.given(137, "0.5")
x9, y9 = ws.given(138, "1.0"), ws.given(138, "0")
z1_9 = C(143, "0.5", lambda a, c, d: a * c + d, R(143, "0.5", w1), R(143, "1.0", x9), R(143, "0", b1))
R(147, "0.5", z1_9)
a1_9 = C(147, "0.6225", sigmoid, z1_9)
z2_9 = C(151, "-0.1225", lambda a, c, d: a * c + d, R(151, "-1.0", w2), R(151, "0.6225", a1_9), R(151, "0.5", b2))
R(155, "-0.1225", z2_9)
yh = C(155, "0.4694", sigmoid, z2_9)
C(159, "0.2203", lambda t, p: (t - p) ** 2, R(159, "0", y9), R(159, "0.4694", yh))
dy = C(165, "0.9388", lambda t, p: -2 * (t - p), R(165, "0", y9), R(165, "0.4694", yh), kind="derivative")
s2 = C(169, "0.2490", lambda u, v: u * v, R(169, "0.4694", yh), C(169, "0.5306", lambda v: 1 - v, yh),
       note="0.4694 x 0.5306 = 0.249064 (the definitions give 0.249064 too): 0.2491")
d2_9 = C(173, "0.2338", lambda u, v: u * v, R(173, "0.9388", dy), R(173, "0.2490", s2), kind="derivative")
gw2 = C(179, "0.1455", lambda u, v: u * v, R(179, "0.2338", d2_9), R(179, "0.6225", a1_9), kind="derivative")
gb2 = R(183, "0.2338", d2_9)
bk = C(189, "-0.2338", lambda u, v: u * v, R(189, "-1.0", w2), R(189, "0.2338", d2_9), kind="derivative")
s1 = C(193, "0.2350", lambda u, v: u * v, R(193, "0.6225", a1_9), C(193, "0.3775", lambda v: 1 - v, a1_9),
       kind="derivative")
d1_9 = C(197, "-0.0549", lambda u, v: u * v, R(197, "-0.2338", bk), R(197, "0.2350", s1), kind="derivative")
gw1 = C(203, "-0.0549", lambda u, v: u * v, R(203, "-0.0549", d1_9), R(203, "1.0", x9), kind="derivative")
gb1 = R(207, "-0.0549", d1_9)
lr = ws.given(210, "1.0")
for line, old, old_written, grad, grad_written, new in (
        (213, w2, "-1.0", gw2, "0.1455", "-1.1455"), (217, b2, "0.5", gb2, "0.2338", "0.2662"),
        (221, w1, "0.5", gw1, "-0.0549", "0.5549"), (225, b1, "0.0", gb1, "-0.0549", "0.0549")):
    o = R(line, old_written, old)
    r_ = R(line, "1.0", lr)
    g_ = R(line, grad_written, grad)
    C(line, new, lambda a, e_, q: a - e_ * q, o, r_, g_, kind="update")
ws.given(228, "0")  # "toward the target $0$"

EXPECTED_ERRORS = [
    (169, "0.2490", "arithmetic"), (173, "0.2490", "consistent"),
]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Session 6 exercise solutions in Markdown (smaxx73/Neural-Network-Course), whole file.
tolerance_note = "Four decimals; a result is right within half a unit of its last digit of what the printed operands give, or of the unrounded definitions. Exercises 5.1 and 5.2 state delta^(2) = -0.1903 and delta^(1) as givens ('Using ...'): in this file they are inputs, not results (the notebook computes -0.1903 from a slip)."''')
