"""Recomputes the blog tutorial's Mazur 2-2-2 network (weights w_{mi}^{l}, targets 'ideal', eta = 0.5)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus_check import Worksheet, sigmoid  # noqa: E402

ws = Worksheet.beside(__file__)
R, C = ws.restate, ws.claim
SIGN = "the post writes the sigmoid 1/(1+e^{net}) without the minus; the printed value is 1/(1+e^{-net})"


def lin(a, b, c, d, e):
    return a * b + c * d + e


# the weights are in a figure; the text states them where it first uses them
w11, i1, w21, i2, b1 = (ws.given(41, s) for s in ("0.15", "0.05", "0.20", "0.10", "0.35"))
net_h1 = C(41, "0.3775", lin, w11, i1, w21, i2, b1)
C(51, "0.3775", lambda v: -v, net_h1, kind="definition", note=SIGN)
out_h1 = C(51, "0.593269992", sigmoid, net_h1)
w12, w22, b2 = ws.given(63, "0.25"), ws.given(63, "0.30"), ws.given(63, "0.35")
net_h2 = C(63, "0.3925", lin, w12, R(63, "0.05", i1), w22, R(63, "0.10", i2), b2)
C(71, "0.3925", lambda v: -v, net_h2, kind="definition", note=SIGN)
out_h2 = C(71, "0.596884378", sigmoid, net_h2)

# output layer: b_3 = 0.60 and w_22^2 = 0.55 (the figure's values; 1.105905967, 1.224921404 and line 260 use them)
b3, w22o = ws.implied(0.6), ws.implied(0.55)
w11o, w21o = ws.given(83, "0.40"), ws.given(83, "0.45")
oh1, oh2 = R(83, "0.593269992", out_h1), R(83, "0.596884378", out_h2)
C(83, "0.35", lambda v: v, b3, note="wrong operand: b_3 is 0.60 (0.40 x 0.593269992 + 0.45 x 0.596884378 + 0.60 = 1.105905967)")
net_o1 = C(83, "1.105905967", lin, w11o, oh1, w21o, oh2, b3)
C(91, "1.105905967", lambda v: -v, net_o1, kind="definition", note=SIGN)
out_o1 = C(91, "0.75136507", sigmoid, net_o1)
w12o = ws.given(101, "0.50")
oh1, oh2 = R(101, "0.593269992", out_h1), R(101, "0.596884378", out_h2)
C(101, "0.45", lambda v: v, w22o, note="wrong operand: w_22^2 is 0.55, as line 260 writes it")
C(101, "0.55", lambda v: v, b3, note="wrong operand: b_3 is 0.60")
net_o2 = C(101, "1.224921404", lin, w12o, oh1, w22o, oh2, b3)
C(109, "1.224921404", lambda v: -v, net_o2, kind="definition", note=SIGN)
out_o2 = C(109, "0.772928465", sigmoid, net_o2)

# error, E = sum 1/2 (ideal - out)^2
t1, t2 = ws.given(119, "0.01"), ws.given(121, "0.99")
e1 = C(119, "0.274811083", lambda t, o: 0.5 * (t - o) ** 2, t1, R(119, "0.75136507", out_o1))
e2 = C(121, "0.023560026", lambda t, o: 0.5 * (t - o) ** 2, t2, R(121, "0.772928465", out_o2))
C(123, "0.298371109", lambda a, b: a + b, R(123, "0.274811083", e1), R(123, "0.023560026", e2))

# output layer
dE_do1 = C(155, "0.74136507", lambda t, o: -(t - o), R(155, "0.01", t1), R(155, "0.75136507", out_o1), kind="derivative")
do1_dn = C(165, "0.186815602", lambda o, p: o * (1 - p), R(165, "0.75136507", out_o1), R(165, "0.75136507", out_o1),
           kind="derivative")
dn_dw = C(175, "0.593269992", lambda v: v, out_h1, kind="derivative")
g5 = C(185, "0.0821671041", lambda a, b, c: a * b * c, R(185, "0.74136507", dE_do1), R(185, "0.186815602", do1_dn),
       R(185, "0.593269992", dn_dw), note="0.74136507 x 0.186815602 x 0.593269992 = 0.0821670406 (a digit inserted)")
d_o1 = C(193, "0.13849856185", lambda a, b: a * b, R(193, "0.74136507", dE_do1), R(193, "0.186815602", do1_dn))
eta = ws.given(197, "0.5")
C(201, "0.35891648", lambda w, e, g: w - e * g, R(201, "0.40", w11o), R(201, "0.5", eta), R(201, "0.0821671041", g5),
  kind="update")
g6 = C(213, "0.082667628", lambda d, h: d * h, R(213, "0.13849856185", d_o1), R(213, "0.596884378", out_h2))
C(221, "0.408666186", lambda w, e, g: w - e * g, R(221, "0.45", w21o), R(221, "0.5", eta), R(221, "0.082667628", g6),
  kind="update")
o2 = [R(233, "0.772928465", out_o2) for _ in range(3)]
d_o2 = C(233, "-0.03809823661", lambda t, a, b, c: -(t - a) * b * (1 - c), R(233, "0.99", t2), *o2)
g7 = C(242, "-0.022602541", lambda d, h: d * h, R(242, "-0.03809823661", d_o2), R(242, "0.593269992", out_h1))
C(246, "0.51130127", lambda w, e, g: w - e * g, R(246, "0.50", w12o), R(246, "0.5", eta), R(246, "-0.022602541", g7),
  kind="update")
g8 = C(256, "-0.022740242", lambda d, h: d * h, R(256, "-0.03809823661", d_o2), R(256, "0.596884378", out_h2))
C(260, "0.561370121", lambda w, e, g: w - e * g, C(260, "0.55", lambda v: v, w22o), R(260, "0.5", eta),
  R(260, "-0.022740242", g8), kind="update")

# hidden layer


a = C(286, "0.055399425", lambda p, q, w: p * q * w, R(286, "0.74136507", dE_do1), R(286, "0.186815602", do1_dn),
      R(286, "0.4", w11o))
o2 = [R(294, "0.772928465", out_o2) for _ in range(3)]
b = C(294, "-0.019049118", lambda t, x, y, z, w: -(t - x) * y * (1 - z) * w, R(294, "0.99", t2), *o2,
      R(294, "0.5", w12o))
dE_dh1 = C(298, "0.036350307", lambda p, q: p - q, R(298, "0.055399425", a), ws.restate_signed(298, "0.019049118", b, -1))
s1 = C(302, "0.241300709", lambda p, q: p * (1 - q), R(302, "0.593269992", out_h1), R(302, "0.593269992", out_h1),
       kind="derivative")
R(304, "0.05", i1)
g1 = C(308, "0.000438568", lambda p, q, r: p * q * r, R(308, "0.036350307", dE_dh1), R(308, "0.241300709", s1),
       R(308, "0.05", i1))
d_h1 = C(324, "0.008771354", lambda p, q: p * q, R(324, "0.036350307", dE_dh1), R(324, "0.241300709", s1),
         note="0.036350307 x 0.241300709 = 0.0087713549 (0.0087713547 unrounded): the last digit is 5, not 4")
C(332, "0.149780716", lambda w, e, g: w - e * g, R(332, "0.15", w11), R(332, "0.5", eta), R(332, "0.000438568", g1),
  kind="update")
g2 = C(342, "0.0008771354", lambda d, x: d * x, R(342, "0.008771354", d_h1), R(342, "0.10", i2))
C(350, "0.1995614323", lambda w, e, g: w - e * g, R(350, "0.20", w21), R(350, "0.5", eta), R(350, "0.0008771354", g2),
  kind="update")
c = C(366, "0.0623243528", lambda p, q, w: p * q * w, R(366, "0.74136507", dE_do1), R(366, "0.186815602", do1_dn),
      R(366, "0.45", w21o))
o2 = [R(374, "0.772928465", out_o2) for _ in range(3)]
d = C(374, "-0.02095403013", lambda t, x, y, z, w: -(t - x) * y * (1 - z) * w, R(374, "0.99", t2), *o2,
      C(374, "0.55", lambda v: v, w22o))
dE_dh2 = C(378, "0.041370322", lambda p, q: p - q, R(378, "0.0623243528", c),
           ws.restate_signed(378, "0.02095403013", d, -1),
           note="0.0623243528 - 0.02095403013 = 0.04137032267: the last digit is 3, not 2")
s2 = C(382, "0.2406134173", lambda p, q: p * (1 - q), R(382, "0.596884378", out_h2), R(382, "0.596884378", out_h2),
       kind="derivative")
R(384, "0.05", i1)
g3 = C(386, "0.0004977127", lambda p, q, r: p * q * r, R(386, "0.041370322", dE_dh2), R(386, "0.2406134173", s2),
       R(386, "0.05", i1))
d_h2 = C(392, "0.00995425455", lambda p, q: p * q, R(392, "0.041370322", dE_dh2), R(392, "0.2406134173", s2))
C(400, "0.2497511436", lambda w, e, g: w - e * g, R(400, "0.25", w12), R(400, "0.5", eta), R(400, "0.0004977127", g3),
  kind="update")
g4 = C(410, "0.000995425455", lambda dd, x: dd * x, R(410, "0.00995425455", d_h2), R(410, "0.10", i2))
C(418, "0.2995022873", lambda w, e, g: w - e * g, R(418, "0.30", w22), R(418, "0.5", eta), R(418, "0.000995425455", g4),
  kind="update")

EXPECTED_ERRORS = [
    # the sigmoid written without its minus, at each of its four numeric uses (the values are the real sigmoid's)
    (51, "0.3775", "definition"), (71, "0.3925", "definition"), (91, "1.105905967", "definition"),
    (109, "1.224921404", "definition"),
    # wrong operands on the left; the results on the right are the network's (left-side typos)
    (83, "0.35", "arithmetic"), (101, "0.45", "arithmetic"), (101, "0.55", "arithmetic"),
    # a digit inserted, and two last digits that are not the rounded value
    (185, "0.0821671041", "arithmetic"), (324, "0.008771354", "arithmetic"), (378, "0.041370322", "arithmetic"),
    # carried forward
    (201, "0.0821671041", "consistent"), (342, "0.008771354", "consistent"), (342, "0.0008771354", "consistent"),
    (350, "0.0008771354", "consistent"), (386, "0.041370322", "consistent"), (392, "0.041370322", "consistent"),
    (392, "0.00995425455", "consistent"), (410, "0.00995425455", "consistent"),
    (410, "0.000995425455", "consistent"), (418, "0.000995425455", "consistent"),
]

if __name__ == "__main__":
    ws.main(EXPECTED_ERRORS, header='''# Basic Introduction to Neural Networks (dkelsh/dkelsh.github.io), whole post.
tolerance_note = "Printed to 9-11 significant digits; a result is right within half a unit of its last digit of what the printed operands give or of the unrounded definitions. The initial weights are in a figure: b_3 = 0.60 and w_22^2 = 0.55 are the figure's (and Mazur's) values, the ones every printed result and line 260 use."''')
