"""Recomputes the markdown cells of the Session 6 notebook: chain rule, one neuron (L = e^2), a 2-2-1 network, Exercise 9.1."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet, sigmoid  # noqa: E402

ws = Worksheet.beside(__file__)  # lines are lines of the .ipynb JSON file (one markdown source line per file line)
R, C = ws.restate, ws.claim

# cell 0, Q3: a finite-difference slope
dh, dl = ws.given(62, "+0.1"), ws.given(62, "+0.3")
C(62, "3.0", lambda a, b: b / a, dh, dl, kind="derivative")

# the temperature chain rule: C = 20 - 6h, F = 1.8C + 32
ws.given(95, "20"), ws.given(95, "6")
k = ws.given(96, "1.8")
ws.given(96, "32")
C(101, "-10.8", lambda a, b: a * b, R(101, "1.8", k), ws.given(101, "-6"), kind="derivative")

# Exercise 3.1 (solution table): z = w x + b, y_hat = sigma(z), e = y_hat - y, L = e^2
x, w, b, y = ws.given(225, "2"), ws.given(225, "0.5"), ws.given(225, "-0.5"), ws.given(225, "1")
z1 = C(254, "1.0", lambda p, q: p * q, R(254, "0.5", w), R(254, "2", x))
z = C(255, "0.5", lambda p, q: p + q, R(255, "1.0", z1), R(255, "-0.5", b))
R(256, "0.5", z), R(256, "0.5", z)
yhat = C(256, "0.6225", sigmoid, z)
e = C(257, "-0.3775", lambda p, t: p - t, R(257, "0.6225", yhat), R(257, "1", y))
C(258, "0.1425", lambda v: v ** 2, R(258, "-0.3775", e))
de = C(264, "-0.7550", lambda v: 2 * v, R(264, "-0.3775", e), kind="derivative")
dyhat = R(265, "-0.7550", de)
R(265, "-0.7550", de)
dz = C(266, "-0.1774", lambda g, p, q: g * p * (1 - q), R(266, "-0.7550", dyhat), R(266, "0.6225", yhat),
       R(266, "0.6225", yhat), kind="derivative")
C(267, "-0.3549", lambda g, v: g * v, R(267, "-0.1774", dz), R(267, "2", x), kind="derivative")
R(268, "-0.1774", dz), R(268, "-0.1774", dz)

# section 5, a 2-2-1 network with the column convention z = W x + b, layers written (1), (2)
W1 = [[ws.given(418, "0.5"), ws.given(418, "0.3")], [ws.given(418, "-0.2"), ws.given(418, "0.8")]]
b1 = [ws.given(418, "0.1"), ws.given(418, "-0.1")]
W2 = [ws.given(422, "0.6"), ws.given(422, "-0.4")]
b2 = ws.given(422, "0.2")
xs = [ws.given(425, "1"), ws.given(425, "0")]
t = ws.given(425, "1")
for n in (*W1[0], *W1[1], *xs, *b1):
    R(432, n.written, n)
wx = [C(432, "0.5", lambda a, c, d, f: a * c + d * f, W1[0][0], xs[0], W1[0][1], xs[1]),
      C(432, "-0.2", lambda a, c, d, f: a * c + d * f, W1[1][0], xs[0], W1[1][1], xs[1])]
bias_terms = [R(432, "0.1", b1[0]), ws.restate_signed(432, "0.1", b1[1], -1)]
z1 = [C(432, "0.6", lambda u, v: u + v, wx[0], bias_terms[0]), C(432, "-0.3", lambda u, v: u - v, wx[1], bias_terms[1])]
for n in z1:
    R(436, n.written, n)
a1 = [C(436, "0.6457", sigmoid, z1[0]), C(436, "0.4256", sigmoid, z1[1])]
for n in (W2[0], W2[1], a1[0], a1[1], b2):
    R(442, n.written, n)
args = [R(446, "0.6", W2[0]), R(446, "0.6457", a1[0]), R(446, "-0.4", W2[1]), R(446, "0.4256", a1[1]), R(446, "0.2", b2)]
q1 = C(446, "0.3874", lambda u, v: u * v, args[0], args[1])
q2 = C(446, "0.1702", lambda u, v: -u * v, args[2], args[3])
z2 = C(446, "0.4172", lambda u, v, c: u - v + c, q1, q2, R(446, "0.2", b2))
yhat2 = C(450, "0.6028", sigmoid, R(450, "0.4172", z2))
r = C(456, "0.3972", lambda a, c: a - c, R(456, "1", t), R(456, "0.6028", yhat2))
C(456, "0.1578", lambda v: v ** 2, r)
da2 = C(470, "-0.7944", lambda a, c: -2 * (a - c), R(470, "1", t), R(470, "0.6028", yhat2), kind="derivative")
y_r = R(473, "0.6028", yhat2)
one_minus = C(473, "0.3972", lambda v: 1 - v, yhat2)
slope2 = C(473, "0.2395", lambda u, v: u * v, y_r, one_minus,
           note="0.6028 x 0.3972 = 0.239432 (the definitions give 0.239429): 0.2394")
delta2 = C(476, "-0.1903", lambda u, v: u * v, R(476, "-0.7944", da2), R(476, "0.2395", slope2), kind="derivative")
R(481, "-0.1903", delta2), R(481, "0.6457", a1[0]), R(481, "0.4256", a1[1])
d2 = R(491, "-0.1903", delta2)
a1r = [R(491, "0.6457", a1[0]), R(491, "0.4256", a1[1])]
gW2 = [C(491, "-0.1229", lambda u, v: u * v, d2, a1r[0], kind="derivative"),
       C(491, "-0.0810", lambda u, v: u * v, d2, a1r[1], kind="derivative")]
R(495, "-0.1903", delta2)
R(512, "0.6", W2[0]), R(512, "-0.4", W2[1])
d2r = R(512, "-0.1903", delta2)
back = [C(512, "-0.1142", lambda u, v: u * v, W2[0], d2r), C(512, "0.0761", lambda u, v: u * v, W2[1], d2r)]
for n in z1:  # sigma(0.6)(1 - sigma(0.6)): the pre-activation twice, the 1 is the formula's
    R(518, n.written, n), R(518, n.written, n)
slopes = []
for s_n, m_written in ((a1[0], "0.3543"), (a1[1], "0.5744")):
    s_r = R(518, s_n.written, s_n)
    slopes.append((s_r, C(518, m_written, lambda v: 1 - v, s_n)))
slope1 = [C(518, "0.2288", lambda u, v: u * v, *slopes[0], kind="derivative"),
          C(518, "0.2445", lambda u, v: u * v, *slopes[1], kind="derivative")]
br = [R(522, n.written, n) for n in back]
sr = [R(522, n.written, n) for n in slope1]
delta1 = [C(522, "-0.0261", lambda u, v: u * v, br[0], sr[0], kind="derivative"),
          C(522, "0.0186", lambda u, v: u * v, br[1], sr[1], kind="derivative")]
R(527, "-0.0261", delta1[0]), R(527, "0.0186", delta1[1]), R(527, "1", xs[0]), R(527, "0", xs[1])
d1 = [R(537, "-0.0261", delta1[0]), R(537, "0.0186", delta1[1])]
xr = [R(537, "1", xs[0]), R(537, "0", xs[1])]
C(537, "-0.0261", lambda u, v: u * v, d1[0], xr[0], kind="derivative")
C(537, "0", lambda u, v: u * v, d1[0], xr[1], kind="derivative")
C(537, "0.0186", lambda u, v: u * v, d1[1], xr[0], kind="derivative")
C(537, "0", lambda u, v: u * v, d1[1], xr[1], kind="derivative")
R(541, "-0.0261", delta1[0]), R(541, "0.0186", delta1[1])
R(544, "0", xs[1])
eta = ws.given(549, "1.0")
R(552, "0.6", W2[0]), R(552, "-0.4", W2[1]), R(552, "1.0", eta)
g = [R(552, "-0.1229", gW2[0]), R(552, "-0.0810", gW2[1])]
C(556, "0.7229", lambda a, e_, q: a - e_ * q, W2[0], eta, g[0], kind="update")
C(556, "-0.3190", lambda a, e_, q: a - e_ * q, W2[1], eta, g[1], kind="update")

# cell 2: the sigmoid's largest slope
half = ws.given(600, "0.5")
C(600, "0.25", lambda u, v: u * v, half, ws.given(600, "0.5"), kind="derivative")
ws.given(600, "0")

# Exercise 9.1: 1-1-1, both sigmoid, L = (y - y_hat)^2, eta = 1.0
w1, b1s, w2, b2s = ws.given(1142, "0.5"), ws.given(1142, "0"), ws.given(1142, "-1.0"), ws.given(1142, "0.5")
x9, y9 = ws.given(1143, "1.0"), ws.given(1143, "0")
ws.given(1151, "1.0")
z1_9 = C(1157, "0.5", lambda a, c, d: a * c + d, R(1157, "0.5", w1), R(1157, "1.0", x9), R(1157, "0", b1s))
a1_9 = C(1158, "0.6225", sigmoid, R(1158, "0.5", z1_9))
z2_9 = C(1159, "-0.1225", lambda a, c, d: a * c + d, R(1159, "-1.0", w2), R(1159, "0.6225", a1_9), R(1159, "0.5", b2s))
yh = C(1160, "0.4694", sigmoid, R(1160, "-0.1225", z2_9))
C(1161, "0.2203", lambda t_, p_: (t_ - p_) ** 2, R(1161, "0", y9), R(1161, "0.4694", yh))
dy = C(1164, "0.9388", lambda t_, p_: -2 * (t_ - p_), R(1164, "0", y9), R(1164, "0.4694", yh), kind="derivative")
s2 = C(1165, "0.2490", lambda u, v: u * v, R(1165, "0.4694", yh), C(1165, "0.5306", lambda v: 1 - v, yh),
       note="0.4694 x 0.5306 = 0.249064 (the definitions give 0.249064 too): 0.2491")
d2_9 = C(1166, "0.2338", lambda u, v: u * v, R(1166, "0.9388", dy), R(1166, "0.2490", s2), kind="derivative")
gw2 = C(1169, "0.1455", lambda u, v: u * v, R(1169, "0.2338", d2_9), R(1169, "0.6225", a1_9), kind="derivative")
gb2 = R(1170, "0.2338", d2_9)
bk = C(1173, "-0.2338", lambda u, v: u * v, R(1173, "-1.0", w2), R(1173, "0.2338", d2_9), kind="derivative")
s1 = C(1174, "0.2350", lambda u, v: u * v, R(1174, "0.6225", a1_9), C(1174, "0.3775", lambda v: 1 - v, a1_9),
       kind="derivative")
d1_9 = C(1175, "-0.0549", lambda u, v: u * v, R(1175, "-0.2338", bk), R(1175, "0.2350", s1), kind="derivative")
gw1 = C(1178, "-0.0549", lambda u, v: u * v, R(1178, "-0.0549", d1_9), R(1178, "1.0", x9), kind="derivative")
gb1 = R(1179, "-0.0549", d1_9)
ws.given(1181, "1.0")
lr = ws.given(1182, "1.0")
for line, old, old_written, grad, grad_written, new in (
        (1182, w2, "-1.0", gw2, "0.1455", "-1.1455"), (1183, b2s, "0.5", gb2, "0.2338", "0.2662"),
        (1184, w1, "0.5", gw1, "-0.0549", "0.5549"), (1185, b1s, "0.0", gb1, "-0.0549", "0.0549")):
    o, r_, g_ = R(line, old_written, old), (lr if line == 1182 else R(line, "1.0", lr)), R(line, grad_written, grad)
    C(line, new, lambda a, e_, q: a - e_ * q, o, r_, g_, kind="update")

# "Think about" (last cell): (0 - 0.99)^2
C(1570, "0.98", lambda u, v: (u - v) ** 2, ws.given(1570, "0"), ws.given(1570, "0.99"))

EXPECTED_ERRORS = [
    # two slips in sigma'(z) = a(1 - a), each 0.6 units of the 4th decimal off both the printed and the exact product
    (473, "0.2395", "arithmetic"), (1165, "0.2490", "arithmetic"),
    # 0.2395 carried into delta^(2) = -0.1903 (-0.1902 from the right numbers) and everything after it
    (476, "0.2395", "consistent"), (476, "-0.1903", "consistent"), (481, "-0.1903", "consistent"),
    (491, "-0.1903", "consistent"), (491, "-0.1229", "consistent"), (491, "-0.0810", "consistent"),
    (495, "-0.1903", "consistent"), (512, "-0.1903", "consistent"), (512, "-0.1142", "consistent"),
    (522, "-0.1142", "consistent"), (552, "-0.1229", "consistent"), (552, "-0.0810", "consistent"),
    (556, "0.7229", "consistent"), (556, "-0.3190", "consistent"),
    # 0.2490 restated; delta^(2) = 0.9388 x 0.2490 = 0.2338 is right anyway (0.23383 from the right numbers)
    (1166, "0.2490", "consistent"),
]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Session 6 notebook, Neural Networks for Engineers (smaxx73/Neural-Network-Course), markdown cells; lines are .ipynb JSON lines.
tolerance_note = "Four decimals; a result is right within half a unit of its last digit of what the printed operands give, or of the unrounded definitions. Numbers in code cells and outputs are never math and are not listed."''')
